"""``python -m bench``: run every benchmark and write its section of ``docs/performance.md``."""

from __future__ import annotations

from rich.console import Console

from bench import http, ingest, parse_throughput, search, traffic
from bench.report import PERFORMANCE_PAGE, write_section

BENCHMARKS = (parse_throughput, ingest, search, http, traffic)


def main() -> None:
    console = Console()
    for benchmark in BENCHMARKS:
        write_section(benchmark.NAME, benchmark.benchmark(console))
        console.print(f"wrote section {benchmark.NAME!r} of {PERFORMANCE_PAGE}")


if __name__ == "__main__":
    main()
