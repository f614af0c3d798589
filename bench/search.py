"""Benchmark (b) of the archive issue and the access benchmark of the access issue: search
latency at 250,000 cables through the Python API, for the operator and a CONFIDENTIAL reader.

**Archive.** ``build/bench-archive`` (``--archive DIR``), reused when it was built from at
least `CABLES` documents (``--cables N``); otherwise it is built with the ingest API from the
corpus the ingest benchmark writes (`bench.ingest.write_corpus`: the shared sample
replicated under new ids, plus synthetic cables). Building takes several minutes; the
measurement itself well under one.

**Queries.** `QUERIES` mixed queries drawn with a fixed seed from the shared sample: single
words, two words, phrases, OR, negation, and words with ``tag:``, ``origin:``, ``date:``
ranges and ``classification:`` filters (`mixed_queries`). Words are taken among those of
at least four letters that occur in at least `MIN_CABLES_PER_WORD` sample cables, so that
most queries have hits (a query with no hits is cheap and would flatter the figures).

**Runs.** In a child process (so that its peak RSS is the search process's alone, not the
builder's): every query once to warm the caches, then `ROUNDS` rounds in which each query
runs, in turn, for the operator and for a CONFIDENTIAL reader as of `PINNED` (a day on
which most Cablegate-era cables are still classified, so the reader's filter selects
different views from the operator's): **plain** (20 hits, no snippets, no facets) and
**full** (20 hits with snippets and every facet). Interleaving the two readers in one
process keeps machine noise out of their ratio. Targets: plain p50 <= 5 ms and p95 <= 30
ms, full p95 <= 60 ms, the CONFIDENTIAL reader within 1.3x of the operator.

**The ratio** is judged on each query's median over the rounds (`per_query`), then p50 and
p95 over the queries: it compares what the same queries cost the two readers. Over every
single run (also printed) a pause that hits one run of one query (the garbage collector,
the scheduler) decides the p95: three runs of this measurement on one index put the operator's
plain p95 at 3.6, 3.7 and 5.9 ms.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from rich.console import Console

from bench.ingest import SAMPLE, use_every_core, write_corpus
from bench.report import Machine, measured_on, this_machine, write_section
from cablegram.access import OPERATOR, Principal
from cablegram.archive import Archive
from cablegram.archive.search import search
from cablegram.evaluate import load_records
from cablegram.model import Level

NAME = "search"
CABLES = 250_000
QUERIES = 200
ROUNDS = 5
SEED = 7
MIN_CABLES_PER_WORD = 20
PINNED = date(2010, 6, 1)
ARCHIVE = Path(__file__).resolve().parents[1] / "build" / "bench-archive"
BUILT_FROM = "bench-documents"
"""A file in the archive directory: how many corpus documents it was built from."""
CONFIDENTIAL = Principal("bench-confidential", Level.CONFIDENTIAL)
TARGET_P50_MS, TARGET_P95_MS, TARGET_FULL_P95_MS, TARGET_RATIO = 5.0, 30.0, 60.0, 1.3
CABLEGRAM = (sys.executable, "-c", "from cablegram.cli import main; main()")
_WORD = re.compile(r"\b[A-Za-z]{4,}\b")
_ID = re.compile(r"^\d{2}([A-Z]+?)\d+$")

#: How many queries of each kind, in this order; the counts add up to `QUERIES`.
KINDS = {
    "word": 50,
    "two words": 30,
    "phrase": 30,
    "or": 20,
    "word and tag": 20,
    "word and origin": 15,
    "word and date range": 15,
    "negation": 10,
    "fields only": 10,
}


@dataclass(frozen=True)
class Sample:
    words: list[str]
    pairs: list[str]
    tags: list[str]
    origins: list[str]


def read_sample(rng: random.Random) -> Sample:
    documents: Counter[str] = Counter()
    tags: Counter[str] = Counter()
    origins: Counter[str] = Counter()
    pairs: list[str] = []
    for record in load_records(SAMPLE):
        words = [w.lower() for w in _WORD.findall(record.text)]
        documents.update(set(words))
        tags.update(t for t in record.tags if t.isalpha() and t.isupper())
        origin = _ID.match(record.reference_id)
        if origin:
            origins[origin[1]] += 1
        if len(words) > 40 and rng.random() < 0.2:
            start = rng.randrange(20, len(words) - 2)
            pairs.append(f"{words[start]} {words[start + 1]}")
    common = sorted(w for w, n in documents.items() if n >= MIN_CABLES_PER_WORD)
    return Sample(
        common, pairs, [t for t, _ in tags.most_common(60)], [o for o, _ in origins.most_common(40)]
    )


def mixed_queries(seed: int = SEED) -> list[tuple[str, str]]:
    """(kind, query) pairs, deterministic for a seed."""
    rng = random.Random(seed)
    sample = read_sample(rng)

    def word() -> str:
        return rng.choice(sample.words)

    def year_range() -> str:
        first = rng.randrange(2003, 2010)
        return f"date:{first}-{rng.randrange(1, 13):02d}..{first + 1}"

    makers: dict[str, Callable[[], str]] = {
        "word": word,
        "two words": lambda: f"{word()} {word()}",
        "phrase": lambda: f'"{rng.choice(sample.pairs)}"',
        "or": lambda: f"{word()} OR {word()}",
        "word and tag": lambda: f"{word()} tag:{rng.choice(sample.tags)}",
        "word and origin": lambda: f"{word()} origin:{rng.choice(sample.origins)}",
        "word and date range": lambda: f"{word()} {year_range()}",
        "negation": lambda: f"{word()} -{word()}",
        "fields only": lambda: f"tag:{rng.choice(sample.tags)} classification:C {year_range()}",
    }
    return [(kind, makers[kind]()) for kind, count in KINDS.items() for _ in range(count)]


def ensure_archive(path: Path, cables: int, console: Console) -> int:
    """The number of cables in the archive at ``path``, built first unless it was built
    from at least ``cables`` documents (by ``cablegram ingest``, whose progress bar shows).
    A few documents of the corpus share an id, so the cables are slightly fewer."""
    marker = path / BUILT_FROM
    if marker.is_file() and int(marker.read_text(encoding="ascii")) >= cables:
        with Archive.open(path) as archive:
            return archive.storage.count()
    shutil.rmtree(path, ignore_errors=True)
    scratch = Path(tempfile.mkdtemp(prefix="cablegram-bench-search-"))
    try:
        corpus = scratch / "corpus.jsonl"
        console.print(f"building {path}: writing {cables:,} documents")
        write_corpus(corpus, cables)
        subprocess.run(
            [*CABLEGRAM, "ingest", str(corpus), "--archive", str(path)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    marker.write_text(str(cables), encoding="ascii")
    with Archive.open(path) as archive:
        return archive.storage.count()


def measure(archive_path: Path, queries: list[tuple[str, str]]) -> dict[str, Any]:
    """The child process's work: latencies in ms by (reader, mode), and its peak RSS."""
    readers = {"operator": (OPERATOR, None), "confidential": (CONFIDENTIAL, PINNED)}
    samples: dict[str, list[float]] = {
        f"{reader}/{mode}": [] for reader in readers for mode in ("plain", "full")
    }
    by_kind: dict[str, list[float]] = {kind: [] for kind in KINDS}
    totals: dict[str, list[int]] = {reader: [] for reader in readers}
    with Archive.open(archive_path) as archive:
        for _, query in queries:
            for principal, as_of in readers.values():
                search(archive, query, principal, as_of, facets=True)
        for round_ in range(ROUNDS):
            for kind, query in queries:
                for reader, (principal, as_of) in readers.items():
                    started = time.perf_counter()
                    found = search(archive, query, principal, as_of, snippets=False)
                    elapsed = (time.perf_counter() - started) * 1000
                    samples[f"{reader}/plain"].append(elapsed)
                    if reader == "operator":
                        by_kind[kind].append(elapsed)
                    if round_ == 0:
                        totals[reader].append(found.total)
                    started = time.perf_counter()
                    search(archive, query, principal, as_of, facets=True, snippets=True)
                    samples[f"{reader}/full"].append((time.perf_counter() - started) * 1000)
        documents = archive.index.count_docs()
        cables = archive.storage.count()
        visible = {
            reader: search(archive, "", principal, as_of, limit=1).total
            for reader, (principal, as_of) in readers.items()
        }
    index_bytes = sum(f.stat().st_size for f in (archive_path / "index").rglob("*") if f.is_file())
    return {
        "visible": visible,
        "index_bytes": index_bytes,
        "samples": samples,
        "by_kind": by_kind,
        "totals": totals,
        "documents": documents,
        "cables": cables,
        "peak_rss_bytes": _peak_rss(),
    }


def _peak_rss() -> int:
    status = Path("/proc/self/status").read_text(encoding="ascii")
    match = re.search(r"^VmHWM:\s*(\d+) kB", status, re.MULTILINE)
    return int(match[1]) * 1024 if match else 0


def per_query(values: list[float], queries: int) -> list[float]:
    """Each query's median over the rounds (``values`` hold the rounds one after another,
    the queries in the same order in each)."""
    return [statistics.median(values[query::queries]) for query in range(queries)]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def section(result: dict[str, Any], queries: int, machine: Machine, day: date) -> str:
    samples: dict[str, list[float]] = result["samples"]

    def cell(key: str, share: float) -> str:
        return f"{percentile(samples[key], share):.2f} ms"

    rows = [
        f"| {label} | {cell(f'{key}/plain', 0.5)} | {cell(f'{key}/plain', 0.95)} "
        f"| {cell(f'{key}/full', 0.5)} | {cell(f'{key}/full', 0.95)} |"
        for key, label in (
            ("operator", "operator (everything, today)"),
            ("confidential", f"CONFIDENTIAL reader as of {PINNED}"),
        )
    ]
    plain = [percentile(samples["operator/plain"], s) for s in (0.5, 0.95)]
    full_p95 = percentile(samples["operator/full"], 0.95)
    medians = {key: per_query(values, queries) for key, values in samples.items()}

    def ratios_of(values: dict[str, list[float]]) -> list[float]:
        return [
            percentile(values[f"confidential/{mode}"], share)
            / percentile(values[f"operator/{mode}"], share)
            for mode in ("plain", "full")
            for share in (0.5, 0.95)
        ]

    def shown(ratios: list[float]) -> str:
        names = ("plain p50", "plain p95", "full p50", "full p95")
        return ", ".join(f"{n} {r:.2f}×" for n, r in zip(names, ratios, strict=True))

    ratios = ratios_of(medians)
    latency_met = (
        plain[0] <= TARGET_P50_MS and plain[1] <= TARGET_P95_MS and full_p95 <= TARGET_FULL_P95_MS
    )
    ratio_met = max(ratios) <= TARGET_RATIO
    kinds = " · ".join(
        f"{kind} {percentile(values, 0.5):.1f}/{percentile(values, 0.95):.1f}"
        for kind, values in result["by_kind"].items()
    )
    hits = [statistics.median(result["totals"][reader]) for reader in ("operator", "confidential")]
    return "\n".join(
        [
            "## Search latency",
            "",
            f"_{measured_on(machine, day)}._",
            "",
            f"{result['cables']:,} cables in {result['documents']:,} index documents (views), "
            f"{result['index_bytes'] / 2**30:.1f} GiB; the CONFIDENTIAL reader sees "
            f"{result['visible']['confidential']:,} of them (whole or in part) on {PINNED}. "
            f"{queries} mixed queries (`bench/search.py`), {ROUNDS} rounds after a warm-up, "
            "through the Python API (`cablegram.archive.search.search`). Plain: 20 hits, no "
            "snippets or facets. Full: 20 hits with snippets, facets (tags, origins, "
            "classifications, captions) and the year and month histogram.",
            "",
            "| reader | plain p50 | plain p95 | full p50 | full p95 |",
            "|---|---:|---:|---:|---:|",
            *rows,
            "",
            f"CONFIDENTIAL / operator, each query's median over the {ROUNDS} rounds: "
            f"{shown(ratios)}. Over every run: {shown(ratios_of(samples))}. "
            f"Median hits per query: operator {hits[0]:,.0f}, CONFIDENTIAL {hits[1]:,.0f}.",
            "",
            f"Operator plain p50/p95 by kind (ms): {kinds}.",
            "",
            f"Peak RSS of the search process: {result['peak_rss_bytes'] / 2**20:,.0f} MiB.",
            "",
            f"Targets: latency (plain p50 ≤ {TARGET_P50_MS:.0f} ms, p95 ≤ {TARGET_P95_MS:.0f} ms; "
            f"full p95 ≤ {TARGET_FULL_P95_MS:.0f} ms) "
            + ("met" if latency_met else "**not met**")
            + f"; CONFIDENTIAL ≤ {TARGET_RATIO}× the operator "
            + ("met." if ratio_met else "**not met**."),
        ]
    )


def benchmark(console: Console, cables: int = CABLES, archive: Path = ARCHIVE) -> str:
    """Build or reuse the archive, measure in a child process, print and return the section."""
    use_every_core()  # the parse benchmark pins this process; the child would inherit it
    ensure_archive(archive, cables, console)
    queries = mixed_queries()
    console.print(f"measuring {len(queries)} queries x {ROUNDS} rounds in a child process")
    child = subprocess.run(
        [sys.executable, "-m", "bench.search", "--child", str(archive)],
        check=True,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    body = section(json.loads(child.stdout), len(queries), this_machine(), date.today())
    console.print(body)
    return body


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--cables", type=int, default=CABLES)
    parser.add_argument("--archive", type=Path, default=ARCHIVE)
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child is not None:
        print(json.dumps(measure(arguments.child, mixed_queries())))
        return
    body = benchmark(Console(), arguments.cables, arguments.archive)
    if not arguments.no_write:
        write_section(NAME, body)


if __name__ == "__main__":
    main()
