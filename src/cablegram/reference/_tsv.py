"""Read the package's reference tables (``cablegram/data/*.tsv``).

Each file opens with ``#`` provenance lines (where the facts come from, which columns were
kept), then a header row, then one row per line, tab-separated, unquoted. The tables were
written from ``../shared/reference`` and counts over the sample corpus by
``scripts/build_reference_data.py``; nothing here reaches outside the installed package.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable


@dataclass(frozen=True)
class Table:
    name: str
    provenance: tuple[str, ...]
    """The leading ``#`` lines, without the ``#``."""
    columns: tuple[str, ...]
    rows: tuple[dict[str, str], ...]


def _data_dir() -> Traversable:
    return resources.files("cablegram").joinpath("data")


def data_files() -> Iterator[str]:
    """Names of the TSV files shipped as package data."""
    for entry in _data_dir().iterdir():
        if entry.name.endswith(".tsv"):
            yield entry.name


@functools.cache
def table(name: str) -> Table:
    """The table ``name`` (read once)."""
    text = _data_dir().joinpath(name).read_text(encoding="utf-8")
    provenance: list[str] = []
    lines = text.splitlines()
    while lines and lines[0].startswith("#"):
        provenance.append(lines.pop(0).lstrip("#").strip())
    if not lines:
        raise ValueError(f"{name}: no header row")
    columns = tuple(lines[0].split("\t"))
    rows: list[dict[str, str]] = []
    for number, line in enumerate(lines[1:], start=len(provenance) + 2):
        if not line.strip():
            continue
        values = line.split("\t")
        if len(values) > len(columns):
            raise ValueError(f"{name}:{number}: {len(values)} values for {len(columns)} columns")
        # Trailing empty cells may be missing when the writer's editor trimmed them.
        values += [""] * (len(columns) - len(values))
        rows.append(dict(zip(columns, values, strict=True)))
    return Table(name, tuple(provenance), columns, tuple(rows))
