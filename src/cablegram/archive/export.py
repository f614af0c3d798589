"""Reading one cable out (`show`) and streaming every cable a query matches (`export`).

Everything written is the principal's view (`cablegram.access.view`, through
`cablegram.archive.reading.Reader`): withheld portions are placeholders such as
``[paragraph 12 withheld — S]``, and a cable the principal may see nothing of is neither
shown (`CableNotFoundError`: "no cable ID", as for a missing id) nor exported.

**show** gives the telegram text and the JSON of one version. The text is the original
telegram when the view is complete (the operator's view of the seed is its scraped text,
byte for byte), else the canonical telegram of the redacted cable (`cablegram.write
.render`): the original text would show what is withheld.

**export** walks the matches page by page (`cablegram.archive.reading.matching_ids`) and
writes each cable as it is read, so memory stays bounded whatever the number of cables:

* ``jsonl``: one `cablegram.jsonio.cable_to_dict` object of the view per line (the schema
  of ``docs/cable.schema.json``);
* ``csv``: a header, then the fixed columns `COLUMNS`: id, date (ISO 8601 UTC), origin,
  classification (the banner, ``SECRET//NOFORN``), tags and references (cable ids),
  space-separated, subject and text as the view shows them (the text: every portion after
  the subject, blank-line separated);
* ``parquet``: the same columns with types (a timestamp, lists of strings), written by
  pyarrow in row groups of `ROW_GROUP` cables.
"""

from __future__ import annotations

import csv
import enum
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import pyarrow as pa
import pyarrow.parquet as pq

from cablegram.access import OPERATOR, CableView, Principal
from cablegram.access.portions import banner
from cablegram.archive.reading import Reader, Reading, matching_ids
from cablegram.jsonio import cable_to_dict
from cablegram.write import render

if TYPE_CHECKING:
    from cablegram.archive import Archive

COLUMNS = ("id", "date", "origin", "classification", "tags", "subject", "references", "text")
ROW_GROUP = 1_000
"""Cables per Parquet row group: the rows held in memory before they are written."""


# --- show --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """One version of a cable as a principal sees it."""

    reading: Reading
    versions: tuple[dict[str, Any], ...]
    """Every version of the cable: number, release date, ingestion time, current."""

    @property
    def view(self) -> CableView:
        return self.reading.view

    @property
    def text(self) -> str:
        """The original telegram when nothing is withheld, else the redacted rendering."""
        if self.view.complete:
            return self.reading.stored.text
        return render(self.view.cable)

    def as_json(self) -> dict[str, Any]:
        stored = self.reading.stored
        data = cable_to_dict(self.view.cable)
        data["version"] = stored.version
        data["versions"] = list(self.versions)
        data["as_of"] = self.view.as_of.isoformat()
        data["declassified_on"] = _iso(self.view.declassified_on)
        data["withheld"] = [
            {
                "portion": p.portion.key,
                "label": p.portion.label,
                "marking": p.portion.marking.portion,
            }
            for p in self.view.withheld
        ]
        data["declassified"] = [p.portion.key for p in self.view.portions if p.declassified]
        return data


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def show(
    archive: Archive,
    cable_id: str,
    principal: Principal = OPERATOR,
    as_of: date | None = None,
    version: int | None = None,
) -> Shown:
    """A version of a cable (None: the current one) for the principal, or
    `CableNotFoundError` when the archive does not hold it or the principal sees none of it."""
    reading = Reader(archive.storage, principal, as_of).require(cable_id, version)
    versions = tuple(
        {
            # No text hash: it would confirm a guess of text the reader may not read.
            "version": v.version,
            "released": v.released,
            "ingested_at": v.ingested_at,
            "current": v.current,
        }
        for v in archive.storage.versions(cable_id)
    )
    return Shown(reading, versions)


# --- export ------------------------------------------------------------------------------


class ExportFormat(enum.Enum):
    JSONL = "jsonl"
    CSV = "csv"
    PARQUET = "parquet"


def row(reading: Reading) -> dict[str, Any]:
    """The fixed columns of one cable's view (`COLUMNS`), with typed values."""
    cable = reading.view.cable
    return {
        "id": reading.stored.cable_id,
        "date": cable.dtg.astimezone(UTC) if cable.dtg else None,
        "origin": cable.origin,
        "classification": banner(reading.stored.cable).banner,
        "tags": [tag.code for tag in cable.tags],
        "subject": cable.subject,
        "references": [ref.id for ref in cable.references if ref.id],
        "text": "\n\n".join(p.shown for p in reading.view.portions if p.portion.key != "subject"),
    }


class _Sink(Protocol):
    def write(self, reading: Reading) -> None: ...


class _JsonLines:
    def __init__(self, out: Any) -> None:
        self._out = out

    def write(self, reading: Reading) -> None:
        self._out.write(json.dumps(cable_to_dict(reading.view.cable), ensure_ascii=False) + "\n")


class _Csv:
    def __init__(self, out: Any) -> None:
        self._writer = csv.writer(out)
        self._writer.writerow(COLUMNS)

    def write(self, reading: Reading) -> None:
        values = row(reading)
        values["date"] = values["date"].strftime("%Y-%m-%dT%H:%M:%SZ") if values["date"] else ""
        values["tags"] = " ".join(values["tags"])
        values["references"] = " ".join(values["references"])
        self._writer.writerow(["" if values[c] is None else values[c] for c in COLUMNS])


PARQUET_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("date", pa.timestamp("s", tz="UTC")),
        ("origin", pa.string()),
        ("classification", pa.string()),
        ("tags", pa.list_(pa.string())),
        ("subject", pa.string()),
        ("references", pa.list_(pa.string())),
        ("text", pa.string()),
    ]
)


class _Parquet:
    def __init__(self, writer: Any) -> None:
        self._writer = writer
        self._rows: list[dict[str, Any]] = []

    def write(self, reading: Reading) -> None:
        self._rows.append(row(reading))
        if len(self._rows) >= ROW_GROUP:
            self.flush()

    def flush(self) -> None:
        if self._rows:
            table = pa.Table.from_pylist(self._rows, schema=PARQUET_SCHEMA)
            self._writer.write_table(table, row_group_size=ROW_GROUP)
            self._rows = []


@contextmanager
def _sink(output: Path, export_format: ExportFormat) -> Iterator[_Sink]:
    if export_format is ExportFormat.PARQUET:
        with pq.ParquetWriter(output, PARQUET_SCHEMA) as writer:
            parquet = _Parquet(writer)
            yield parquet
            parquet.flush()
        return
    with output.open("w", encoding="utf-8", newline="") as out:
        yield _JsonLines(out) if export_format is ExportFormat.JSONL else _Csv(out)


@dataclass(frozen=True)
class ExportSummary:
    matched: int
    """Cables the query matched for the principal (the search total)."""
    written: int
    """Cables written (fewer only when a cable left the archive or the reader's view
    while the export ran)."""


def export(
    archive: Archive,
    query: str,
    output: Path,
    export_format: ExportFormat | str = ExportFormat.JSONL,
    principal: Principal = OPERATOR,
    as_of: date | None = None,
    started: Callable[[int], None] | None = None,
    progress: Callable[[int], None] | None = None,
) -> ExportSummary:
    """Write every cable ``query`` matches for the principal to ``output``.

    ``started`` is called once with the number of matches, ``progress`` with 1 per cable
    handled (for a progress bar)."""
    chosen = ExportFormat(export_format)
    reader = Reader(archive.storage, principal, as_of)
    matches = matching_ids(archive, query, principal, reader.as_of)
    if started is not None:
        started(matches.total)
    written = 0
    with _sink(output, chosen) as sink:
        for cable_id in matches:
            reading = reader.read(cable_id)
            if reading is not None:
                sink.write(reading)
                written += 1
            if progress is not None:
                progress(1)
    return ExportSummary(matches.total, written)
