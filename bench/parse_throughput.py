"""Parse throughput: cables per second on one core, against a line-splitting baseline.

The shared sample (2,979 Cablegate records, ``../shared/corpus/cablegate-sample.jsonl.gz``)
is loaded into memory once; then, in the same process and run, each of `REPEATS` rounds
times two loops over the same texts: the **baseline**, which only splits every text into
lines (the least any reader must do), and **parse**, which calls `cablegram.read.parse` on
every text. The best and median rounds are reported; the ratio parse / baseline is less
sensitive to the machine than the raw rate. The process is pinned to one CPU where the OS
allows it, so the figure is a one-core figure. Target: at least 2,000 cables/s.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rich.console import Console
from rich.progress import Progress

from bench.report import Machine, measured_on, this_machine
from cablegram.evaluate import load_records
from cablegram.read import parse
from cablegram.read import parser as parser_module

NAME = "parse-throughput"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "cablegate-sample.jsonl.gz"
REPEATS = 5
TARGET_CABLES_PER_SECOND = 2_000


@dataclass(frozen=True)
class Throughput:
    cables: int
    megabytes: float
    parse_seconds: tuple[float, ...]
    baseline_seconds: tuple[float, ...]

    def rate(self, seconds: float) -> float:
        return self.cables / seconds

    @property
    def best(self) -> float:
        return min(self.parse_seconds)

    @property
    def ratio(self) -> float:
        """Best parse round over best baseline round."""
        return self.best / min(self.baseline_seconds)


def pin_to_one_core() -> bool:
    """Restrict this process to one CPU (Linux); False where the OS does not support it."""
    if not hasattr(os, "sched_setaffinity"):
        return False
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    return True


def measure(texts: Sequence[str], repeats: int, on_round: Callable[[], None]) -> Throughput:
    parse_seconds: list[float] = []
    baseline_seconds: list[float] = []
    for _ in range(repeats):
        baseline_seconds.append(_timed(texts, str.splitlines))
        parse_seconds.append(_timed(texts, parse))
        on_round()
    size = sum(len(text.encode("utf-8")) for text in texts) / 1e6
    return Throughput(len(texts), size, tuple(parse_seconds), tuple(baseline_seconds))


def _timed(texts: Sequence[str], work: Callable[[str], object]) -> float:
    start = time.perf_counter()
    for text in texts:
        work(text)
    return time.perf_counter() - start


def section(result: Throughput, machine: Machine, pinned: bool, day: date) -> str:
    """The markdown section for ``docs/performance.md``."""
    rate = result.rate(result.best)
    verdict = "met" if rate >= TARGET_CABLES_PER_SECOND else "**not met**"
    core = "pinned to one core" if pinned else "one process (not pinned)"
    build = "compiled by mypyc" if compiled() else "pure Python (not compiled)"
    rows = [
        _row("`cablegram.read.parse`", result, result.parse_seconds),
        _row("baseline: `str.splitlines`", result, result.baseline_seconds),
    ]
    return "\n".join(
        [
            "## Parse throughput",
            "",
            f"_{measured_on(machine, day)}; {core}; parser {build}._",
            "",
            f"{result.cables:,} cables of the shared sample ({result.megabytes:.1f} MB of text), "
            f"best and median of {len(result.parse_seconds)} rounds "
            "(`bench/parse_throughput.py`).",
            "",
            "| loop over the texts | best | median | cables/s (best) |",
            "|---|---:|---:|---:|",
            *rows,
            "",
            f"Parse / baseline: **{result.ratio:.0f}×**. "
            f"Target ≥ {TARGET_CABLES_PER_SECOND:,} cables/s: {verdict}.",
        ]
    )


def compiled() -> bool:
    """Whether the parser runs as mypyc's C extension (setup.py) or as Python source."""
    return not parser_module.__file__ or not parser_module.__file__.endswith(".py")


def _row(label: str, result: Throughput, seconds: tuple[float, ...]) -> str:
    best, median = min(seconds), statistics.median(seconds)
    return f"| {label} | {best:.3f} s | {median:.3f} s | {result.rate(best):,.0f} |"


def benchmark(console: Console) -> str:
    """Run the benchmark, print its section and return it."""
    pinned = pin_to_one_core()
    texts = [record.text for record in load_records(CORPUS)]
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("parse throughput", total=REPEATS)
        result = measure(texts, REPEATS, lambda: progress.advance(task))
    body = section(result, this_machine(), pinned, date.today())
    console.print(body)
    return body
