"""Benchmark results in ``docs/performance.md``: one section per benchmark, replaced in place.

Each benchmark owns the text between ``<!-- bench:NAME -->`` and ``<!-- /bench:NAME -->``;
a re-run replaces that text and leaves the rest of the page (the prose written by hand, the
other benchmarks' sections) untouched. A section missing from the page is appended. Every
section states when and on what machine it was measured, because throughput figures mean
nothing without the CPU, core count, memory and Python version they were taken on.
"""

from __future__ import annotations

import os
import platform
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

PERFORMANCE_PAGE = Path(__file__).resolve().parents[1] / "docs" / "performance.md"


@dataclass(frozen=True)
class Machine:
    cpu: str
    cores: int
    memory_gib: float | None
    python: str

    def describe(self) -> str:
        memory = f"{self.memory_gib:.0f} GiB RAM" if self.memory_gib is not None else "RAM unknown"
        return f"{self.cpu}, {self.cores} cores, {memory}, Python {self.python}"


def this_machine(
    cpuinfo: Path = Path("/proc/cpuinfo"), meminfo: Path = Path("/proc/meminfo")
) -> Machine:
    """Read the CPU model and memory from /proc (Linux); fall back to `platform` elsewhere."""
    cpu = platform.processor() or platform.machine() or "unknown CPU"
    memory_gib: float | None = None
    if cpuinfo.is_file():
        model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.MULTILINE)
        cpu = model[1].strip() if model else cpu
    if meminfo.is_file():
        total = re.search(r"^MemTotal:\s*(\d+)\s*kB", meminfo.read_text(), re.MULTILINE)
        memory_gib = int(total[1]) / 2**20 if total else None
    return Machine(cpu, os.cpu_count() or 1, memory_gib, platform.python_version())


def measured_on(machine: Machine, day: date) -> str:
    """``Measured 2026-11-29 on AMD EPYC, 2 cores, 24 GiB RAM, Python 3.11.7``."""
    return f"Measured {day.isoformat()} on {machine.describe()}"


def replace_section(page: str, name: str, body: str) -> str:
    """``page`` with benchmark ``name``'s section set to ``body`` (appended when absent)."""
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    section = f"{start}\n{body.strip()}\n{end}"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.DOTALL)
    if pattern.search(page):
        return pattern.sub(lambda _: section, page, count=1)
    return f"{page.rstrip()}\n\n{section}\n" if page.strip() else f"{section}\n"


def write_section(name: str, body: str, page: Path = PERFORMANCE_PAGE) -> None:
    text = page.read_text(encoding="utf-8") if page.exists() else ""
    page.write_text(replace_section(text, name, body), encoding="utf-8")
