"""Benchmark (a) of the archive issue: ingest end to end, beside a bare tantivy bulk index.

**Corpus.** `CABLES` documents (``--cables N``, default 250,000) in one JSON Lines file:
four fifths are the shared sample (2,979 Cablegate records) replicated under new ids, one
fifth synthetic cables (`cablegram.synth.generate`, seed `SYNTH_SEED`). A replica keeps its
template's text except the serial on the classification line (``S E C R E T MOSCOW
001002`` becomes ``... MOSCOW 200017``), numbered per (year, origin) from `NEW_SERIALS`
up, above the sample's serials and above the DE line's four digits (so the reader keeps
the classification line's serial); the original records come first. Partial extracts
without a parsed id keep their text and get the new id in ``reference_id``, the id ingest
falls back to. A template whose copy does not read back with its new id is not
replicated (the count is reported).

**Runs, in one process and on one machine.** (1) ``cablegram ingest FILE --archive DIR
--json`` in a subprocess, wall time and memory: peaks of private memory (``RssAnon``, what
the processes allocate: the target's measure) and of RSS (``VmHWM``, which also counts the
index files' pages mapped while tantivy merges segments), of the main process and summed
over the process tree (main, fork server, parsing workers), sampled every
`RSS_SAMPLE_SECONDS`. (2) A bare tantivy bulk index of the same texts: a
two-field schema (id, text), the same writer heap and threads as the archive's index, one
commit. The ratio (1)/(2) says what the archive adds to indexing alone: parsing, access
views, SQLite storage, people and references. (3) Where the CPU time goes, per stage, on
the shared sample in one process.

The parse benchmark pins its process to one core; this one restores every core first, or
the ingest subprocess would inherit the pinning.

**Size.** ``python -m bench`` runs the full 250,000 cables, which takes about 5 minutes on
the 2-core reference machine with both cores free (250,000 × 1.8 ms of CPU per document /
2 cores ≈ 4 minutes of ingest, plus the corpus and the bare index): the targets are stated
at that size, and the index's merges only show there (RSS grew past 2 GiB at 250,000 by
the mapped pages of one large merge, while private memory stayed near 0.5 GiB).
``python -m bench.ingest --cables N`` runs another size. Targets: at least 1,000 cables/s
end to end; peak memory under 1 GiB.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import tantivy
from rich.console import Console

from bench.report import Machine, measured_on, this_machine, write_section
from cablegram.access import cable_access
from cablegram.archive import Archive, people
from cablegram.archive.documents import documents
from cablegram.archive.index.tantivy_index import WRITER_HEAP, WRITER_THREADS
from cablegram.archive.ingest import BATCH_DOCUMENTS, Unstored
from cablegram.archive.records import NewVersion
from cablegram.archive.storage import encode
from cablegram.read import parse
from cablegram.read.classification import classification_line
from cablegram.synth import Options, generate

NAME = "ingest"
CABLES = 250_000
SYNTHETIC_SHARE = 0.2
SYNTH_SEED = 3
NEW_SERIALS = 200_000
TARGET_CABLES_PER_SECOND = 1_000
TARGET_RSS_BYTES = 1 << 30
RSS_SAMPLE_SECONDS = 0.25
SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "cablegate-sample.jsonl.gz"
_METADATA_ID = re.compile(r"^(\d{2})([A-Z][A-Z0-9]*?)(\d+)$")


@dataclass(frozen=True)
class Template:
    """A sample record that can be copied under new ids: its text around the serial."""

    year: str
    origin: str
    before: str
    after: str
    """The text is ``before + serial + after``; for a partial extract ``after`` is empty and
    ``before`` the whole text (its id lives in the metadata)."""
    partial: bool
    released: str | None

    def copy(self, serial: int) -> dict[str, str]:
        cable_id = f"{self.year}{self.origin}{serial}"
        text = self.before if self.partial else f"{self.before}{serial:06d}{self.after}"
        record = {"reference_id": cable_id, "text": text}
        if self.released:
            record["released"] = self.released
        return record


def template(text: str, metadata_id: str, released: str | None) -> Template | None:
    cable = parse(text)
    if cable.id is None:
        found = _METADATA_ID.match(metadata_id)
        if found is None:
            return None
        return Template(found[1], found[2], text, "", True, released)
    offset = 0
    for line in text.split("\n"):
        written = classification_line(line.strip())
        if written is not None and written.serial == cable.serial and cable.origin:
            serial = list(re.finditer(rf"\b0*{cable.serial}\b", line))
            if serial:
                start, end = offset + serial[-1].start(), offset + serial[-1].end()
                candidate = Template(
                    cable.id[:2], cable.origin, text[:start], text[end:], False, released
                )
                # Keep it only if a copy reads back under its new id.
                copy = candidate.copy(NEW_SERIALS - 1)
                return candidate if parse(copy["text"]).id == copy["reference_id"] else None
        offset += len(line) + 1
    return None


def sample_templates() -> tuple[list[dict[str, str]], list[Template]]:
    """The sample's records as they are, and the templates for copies."""
    originals: list[dict[str, str]] = []
    templates: list[Template] = []
    for line in _sample_lines():
        record = json.loads(line)
        released = record.get("released")
        originals.append(
            {k: record[k] for k in ("reference_id", "released", "text") if k in record}
        )
        found = template(record["text"], record["reference_id"], released)
        if found is not None:
            templates.append(found)
    return originals, templates


def _sample_lines() -> Iterator[str]:
    with gzip.open(SAMPLE, "rt", encoding="utf-8") as lines:
        yield from lines


def write_corpus(path: Path, cables: int) -> dict[str, int]:
    """Write the corpus; returns how many records of each kind it holds."""
    synthetic = int(cables * SYNTHETIC_SHARE)
    originals, templates = sample_templates()
    replicated = cables - synthetic
    serials: dict[tuple[str, str], int] = defaultdict(lambda: NEW_SERIALS)
    with path.open("w", encoding="utf-8") as out:
        for record in originals[:replicated]:
            out.write(json.dumps(record) + "\n")
        written = min(replicated, len(originals))
        while written < replicated:
            for item in templates[: replicated - written]:
                key = (item.year, item.origin)
                serials[key] += 1
                out.write(json.dumps(item.copy(serials[key])) + "\n")
            written += min(len(templates), replicated - written)
        for cable in generate(synthetic, Options(seed=SYNTH_SEED)):
            out.write(json.dumps(cable.record()) + "\n")
    return {
        "sample": min(replicated, len(originals)),
        "copies": replicated - min(replicated, len(originals)),
        "synthetic": synthetic,
        "templates": len(templates),
        "sample_records": len(originals),
    }


@dataclass(frozen=True)
class IngestRun:
    seconds: float
    summary: dict[str, Any]
    main_peak_rss: int
    tree_peak_rss: int
    main_peak_private: int
    tree_peak_private: int
    """Peaks of private (anonymous) memory, ``RssAnon``: what the processes allocate, the
    index writer's heap included. RSS also counts the pages of the index files tantivy maps
    while it merges segments: page cache, which the kernel reclaims under pressure."""
    cpu_seconds: float
    """CPU time of the whole process tree (user + system), as last sampled."""
    archive_bytes: int


def run_ingest(corpus: Path, archive: Path) -> IngestRun:
    command = [sys.executable, "-c", "from cablegram.cli import main; main()", "ingest"]
    started = time.perf_counter()
    process = subprocess.Popen(
        [*command, str(corpus), "--archive", str(archive), "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    main_peak = tree_peak = main_private = tree_private = 0
    cpu_ticks: dict[int, int] = {}
    while process.poll() is None:
        tree = _tree(process.pid)
        main_peak = max(main_peak, _status_kib(process.pid, "VmHWM") * 1024)
        tree_peak = max(tree_peak, sum(_status_kib(pid, "VmRSS") for pid in tree) * 1024)
        main_private = max(main_private, _status_kib(process.pid, "RssAnon") * 1024)
        tree_private = max(tree_private, sum(_status_kib(pid, "RssAnon") for pid in tree) * 1024)
        cpu_ticks.update({pid: ticks for pid in tree if (ticks := _cpu_ticks(pid))})
        time.sleep(RSS_SAMPLE_SECONDS)
    seconds = time.perf_counter() - started
    out, _ = process.communicate()
    size = sum(f.stat().st_size for f in archive.rglob("*") if f.is_file())
    cpu = sum(cpu_ticks.values()) / os.sysconf("SC_CLK_TCK")
    return IngestRun(
        seconds, json.loads(out), main_peak, tree_peak, main_private, tree_private, cpu, size
    )


def _cpu_ticks(pid: int) -> int:
    """User + system CPU of a process in clock ticks (fields 14 and 15 of its stat)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0
    return int(fields[11]) + int(fields[12])


def _status_kib(pid: int, field: str) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    found = re.search(rf"^{field}:\s+(\d+) kB", status, re.MULTILINE)
    return int(found[1]) if found else 0


def _tree(root: int) -> set[int]:
    """``root`` and its descendants, from ``/proc/*/stat`` (ppid is the 4th field)."""
    children: dict[int, list[int]] = defaultdict(list)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        children[int(fields[1])].append(int(stat.parent.name))
    found, todo = set(), [root]
    while todo:
        pid = todo.pop()
        found.add(pid)
        todo.extend(children.get(pid, ()))
    return found


def bare_tantivy(corpus: Path, directory: Path) -> float:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_text_field("text")
    schema = builder.build()
    started = time.perf_counter()
    index = tantivy.Index(schema, path=str(directory))
    writer = index.writer(WRITER_HEAP, WRITER_THREADS)
    with corpus.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            writer.add_document(tantivy.Document(id=record["reference_id"], text=record["text"]))
    writer.commit()
    writer.wait_merging_threads()
    return time.perf_counter() - started


def use_every_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, range(os.cpu_count() or 1))


def section(
    cables: int,
    kinds: dict[str, int],
    run: IngestRun,
    bare_seconds: float,
    stages: dict[str, float],
    machine: Machine,
    day: date,
) -> str:
    rate = cables / run.seconds
    rate_verdict = "met" if rate >= TARGET_CABLES_PER_SECOND else "**not met**"
    memory_verdict = "met" if run.tree_peak_private < TARGET_RSS_BYTES else "**not met**"
    summary = run.summary
    stage_rows = [f"| {name} | {ms:.2f} ms |" for name, ms in stages.items()]
    return "\n".join(
        [
            "## Ingest (benchmark a)",
            "",
            f"_{measured_on(machine, day)}._",
            "",
            f"{cables:,} documents in one JSON Lines file: {kinds['sample']:,} sample records, "
            f"{kinds['copies']:,} copies of {kinds['templates']:,} of the "
            f"{kinds['sample_records']:,} sample records under new ids, "
            f"{kinds['synthetic']:,} synthetic cables (`bench/ingest.py`). "
            f"Stored: {summary['new']:,} cables, {summary['new_versions']:,} further versions "
            f"(ids the synthetic cables share with the sample), {summary['failed']:,} failed.",
            "",
            "| run | seconds | documents/s |",
            "|---|---:|---:|",
            f"| `cablegram ingest` (parse, store, index) | {run.seconds:,.1f} | {rate:,.0f} |",
            f"| bare tantivy bulk index of the texts | {bare_seconds:,.1f} | "
            f"{cables / bare_seconds:,.0f} |",
            "",
            f"Ingest / bare tantivy: **{run.seconds / bare_seconds:.1f}×**. The ingest used "
            f"{run.cpu_seconds:,.0f} s of CPU ({run.cpu_seconds / run.seconds:.1f} cores on "
            f"average, {run.cpu_seconds * 1000 / cables:.2f} ms per document): the rate on a "
            "machine with the same cores free is about cores / (CPU per document). "
            "Peak memory, private (allocated: `RssAnon`, the index writer's heap included): "
            f"main process {run.main_peak_private / 2**20:,.0f} MiB, whole process tree "
            f"(main + fork server + workers, sampled) {run.tree_peak_private / 2**20:,.0f} MiB. "
            f"Peak RSS, which adds the index files' pages tantivy maps while it merges "
            f"segments (page cache, reclaimed by the kernel under pressure): main process "
            f"{run.main_peak_rss / 2**20:,.0f} MiB, tree {run.tree_peak_rss / 2**20:,.0f} MiB. "
            f"Archive on disk {run.archive_bytes / 2**30:.1f} GiB.",
            "",
            f"Target ≥ {TARGET_CABLES_PER_SECOND:,} cables/s: {rate_verdict}. "
            f"Peak memory of the ingest (private, whole tree) < 1 GiB: {memory_verdict}.",
            "",
            "CPU time per cable by stage, on the shared sample in one process (the workers "
            "parse, encode and make the index documents; the main process reads, stores and "
            "adds the documents to the index, which a thread of its own indexes):",
            "",
            "| stage | per cable |",
            "|---|---:|",
            *stage_rows,
        ]
    )


def stage_costs(scratch: Path) -> dict[str, float]:
    """Milliseconds of CPU per cable for each stage of ingest, over the shared sample, in
    this process (every thread counted: tantivy indexes on its own thread). The stages
    are the steps of `encode_documents` and of storing and indexing, timed apart."""
    texts = [json.loads(line)["text"] for line in _sample_lines()]
    costs: dict[str, float] = {}
    started = time.process_time()
    cables = [parse(text) for text in texts]
    costs["parse (`cablegram.read.parse`, worker)"] = _per_cable(started, len(texts))
    started = time.process_time()
    for cable in cables:
        people.mentions(cable)
    costs["people (`people.mentions`, worker)"] = _per_cable(started, len(texts))
    started = time.process_time()
    versions = [
        encode(NewVersion(cable.id or f"X{n}", text, cable, "sample"))
        for n, (cable, text) in enumerate(zip(cables, texts, strict=True))
    ]
    costs["encode (JSON, references; people again, worker)"] = (
        _per_cable(started, len(texts)) - costs["people (`people.mentions`, worker)"]
    )
    started = time.process_time()
    docs = [
        documents(Unstored(version.cable_id, 1, cable), cable_access(cable), version.mentions)
        for version, cable in zip(versions, cables, strict=True)
    ]
    costs["index documents (`documents`: access views, worker)"] = _per_cable(started, len(texts))
    with Archive.open(scratch) as archive:
        storage, index = archive.storage, archive.index
        started = time.process_time()
        for first in range(0, len(versions), BATCH_DOCUMENTS):
            storage.put_encoded(versions[first : first + BATCH_DOCUMENTS])
        costs["store (SQLite, batches of 1,000)"] = _per_cable(started, len(texts))
        started = time.process_time()
        for version, found in zip(versions, docs, strict=True):
            index.replace(version.cable_id, found)
        index.commit()
        costs["tantivy (add, commit)"] = _per_cable(started, len(texts))
    costs["total"] = sum(costs.values())
    return costs


def _per_cable(started: float, count: int) -> float:
    """Milliseconds of this process's CPU (every thread) since ``started``, per cable."""
    return (time.process_time() - started) * 1000 / count


def benchmark(console: Console, cables: int = CABLES) -> str:
    """Run the benchmark, print its section and return it."""
    use_every_core()
    scratch = Path(tempfile.mkdtemp(prefix="cablegram-bench-ingest-"))
    try:
        corpus = scratch / "corpus.jsonl"
        console.print(f"writing {cables:,} documents to {corpus}")
        kinds = write_corpus(corpus, cables)
        console.print("ingesting")
        run = run_ingest(corpus, scratch / "archive")
        console.print(f"ingest: {run.seconds:,.1f} s; bare tantivy")
        bare_seconds = bare_tantivy(corpus, _fresh(scratch / "bare"))
        console.print("stage costs")
        stages = stage_costs(scratch / "stages")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    body = section(cables, kinds, run, bare_seconds, stages, this_machine(), date.today())
    console.print(body)
    return body


def _fresh(directory: Path) -> Path:
    directory.mkdir(parents=True)
    return directory


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--cables", type=int, default=CABLES)
    parser.add_argument("--no-write", action="store_true", help="print only")
    arguments = parser.parse_args()
    body = benchmark(Console(), arguments.cables)
    if not arguments.no_write:
        write_section(NAME, body)


if __name__ == "__main__":
    main()
