"""Show and export: the operator's full text, a cleared reader's redacted view, versions,
and exports whose row counts equal the search totals (parquet read back with pyarrow)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from cablegram.access import OPERATOR, Principal
from cablegram.archive import Archive, export
from cablegram.archive.export import ExportFormat, show
from cablegram.archive.ingest import ingest
from cablegram.archive.reading import CableNotFoundError
from cablegram.archive.search import search
from cablegram.model import Level
from cablegram.write import render
from seed_archive import (
    BEFORE_DECLASSIFICATION,
    PART_ONE_ID,
    SEED_ID,
    SEED_PARAGRAPH_12,
    SEED_PARAGRAPH_18,
    build,
    part_one,
)

CONFIDENTIAL_READER = Principal("c-reader", Level.CONFIDENTIAL)
#: Portions of the seed a CONFIDENTIAL reader may not read before 2017-03-01: paragraphs
#: 12 and 18 are (S); the subject, the introduction, the six section headings ("Australia
#: Group / ...", "Highly Enriched Uranium ...", "International Science ...", "Space
#: Policy", "India", "Proliferation Finance") and the signature are unmarked and take the
#: banner's SECRET.
WITHHELD_FROM_CONFIDENTIAL = {
    "subject",
    "intro:0",
    "heading:1",
    "heading:3",
    "heading:5",
    "heading:7",
    "heading:14",
    "heading:17",
    "paragraph:12",
    "paragraph:18",
    "signature",
}


@pytest.fixture(scope="module")
def seed_archive(tmp_path_factory: pytest.TempPathFactory, seed_text: str) -> Iterator[Archive]:
    with Archive.open(build(tmp_path_factory.mktemp("export"), seed_text)) as archive:
        yield archive


# --- show --------------------------------------------------------------------------------


def test_the_operator_is_shown_the_original_text(seed_archive: Archive, seed_text: str) -> None:
    shown = show(seed_archive, SEED_ID)
    assert shown.view.complete
    assert shown.text == seed_text


def test_a_confidential_reader_is_shown_placeholders_for_12_and_18(seed_archive: Archive) -> None:
    shown = show(seed_archive, SEED_ID, CONFIDENTIAL_READER, BEFORE_DECLASSIFICATION)
    assert {p.portion.key for p in shown.view.withheld} == WITHHELD_FROM_CONFIDENTIAL
    text = shown.text
    assert "[paragraph 12 withheld — S]" in text
    assert "[paragraph 18 withheld — S]" in text
    assert SEED_PARAGRAPH_12 not in text
    assert SEED_PARAGRAPH_18 not in " ".join(text.split())
    # Paragraph 13 (SBU) is there.
    assert "were very close" in " ".join(text.split())
    data = shown.as_json()
    withheld = {item["portion"]: item["marking"] for item in data["withheld"]}
    assert withheld["paragraph:12"] == withheld["paragraph:18"] == "S"
    texts = {p["number"]: p["text"] for p in data["paragraphs"]}
    assert texts[12] == "[paragraph 12 withheld — S]"


def test_after_the_declassification_day_the_same_reader_sees_everything(
    seed_archive: Archive, seed_text: str
) -> None:
    shown = show(seed_archive, SEED_ID, CONFIDENTIAL_READER)
    assert shown.text == seed_text
    assert "paragraph:12" in shown.as_json()["declassified"]


@pytest.mark.parametrize(
    ("cable_id", "principal"),
    [
        pytest.param("07MOSCOW9999", OPERATOR, id="missing"),
        pytest.param(PART_ONE_ID, CONFIDENTIAL_READER, id="invisible"),
    ],
)
def test_a_missing_or_invisible_cable_is_not_found(
    seed_archive: Archive, cable_id: str, principal: Principal
) -> None:
    with pytest.raises(CableNotFoundError) as raised:
        show(seed_archive, cable_id, principal, BEFORE_DECLASSIFICATION)
    assert str(raised.value) == f"no cable {cable_id}"


def test_show_gives_every_version(tmp_path: Path, seed_text: str) -> None:
    path = build(tmp_path, seed_text)
    second = part_one()
    revised = render(second).replace("missile defense", "missile defense and space")
    (tmp_path / "revised.txt").write_text(revised, encoding="utf-8")
    with Archive.open(path) as archive:
        ingest(archive, [tmp_path / "revised.txt"], workers=0)
        current = show(archive, PART_ONE_ID)
        first = show(archive, PART_ONE_ID, version=1)
        with pytest.raises(CableNotFoundError, match="version 3"):
            show(archive, PART_ONE_ID, version=3)
    assert [(v["version"], v["current"]) for v in current.versions] == [(1, False), (2, True)]
    assert "and space" in current.text
    assert "and space" not in first.text
    assert first.as_json()["version"] == 1


# --- export ------------------------------------------------------------------------------

QUERIES = ["", f"id:{SEED_ID}", "Kislyak", "missile", "nothing-matches-this"]
READERS = [
    pytest.param(OPERATOR, id="operator"),
    pytest.param(CONFIDENTIAL_READER, id="confidential"),
]


def _rows(path: Path, export_format: ExportFormat) -> list[dict[str, object]]:
    if export_format is ExportFormat.JSONL:
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    if export_format is ExportFormat.CSV:
        with path.open(encoding="utf-8", newline="") as rows:
            return list(csv.DictReader(rows))
    return pq.read_table(path).to_pylist()  # type: ignore[no-any-return]


@pytest.mark.parametrize("export_format", list(ExportFormat), ids=lambda f: f.value)
@pytest.mark.parametrize("principal", READERS)
@pytest.mark.parametrize("query", QUERIES)
def test_row_counts_equal_search_totals(
    seed_archive: Archive,
    tmp_path: Path,
    export_format: ExportFormat,
    principal: Principal,
    query: str,
) -> None:
    path = tmp_path / f"out.{export_format.value}"
    summary = export.export(
        seed_archive, query, path, export_format, principal, BEFORE_DECLASSIFICATION
    )
    total = search(seed_archive, query, principal, BEFORE_DECLASSIFICATION).total
    assert summary.matched == summary.written == total
    assert len(_rows(path, export_format)) == total


def test_csv_has_the_fixed_columns_and_the_view(seed_archive: Archive, tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    export.export(seed_archive, "", path, "csv", CONFIDENTIAL_READER, BEFORE_DECLASSIFICATION)
    with path.open(encoding="utf-8", newline="") as rows:
        reader = csv.reader(rows)
        header = next(reader)
        body = list(reader)
    assert header == [
        "id", "date", "origin", "classification", "tags", "subject", "references", "text"
    ]  # fmt: skip
    (row,) = body
    assert row[:4] == [SEED_ID, "2007-03-09T15:23:00Z", "MOSCOW", "SECRET"]
    assert row[4] == "IAEA KACT KNNP MNUC PARM PREL IR RS START"
    assert row[5] == "[the subject withheld — S]"
    assert row[6].split() == [
        "07STATE3773", "06STATE201804", "06STATE165526", "07STATE7445", "06STATE28324",
        "07STATE4837", "07MOSCOW1001",
    ]  # fmt: skip
    assert "[paragraph 12 withheld — S]" in row[7]
    assert SEED_PARAGRAPH_12 not in row[7]


def test_jsonl_holds_the_view_of_each_cable(seed_archive: Archive, tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    export.export(seed_archive, "", path, "jsonl", CONFIDENTIAL_READER, BEFORE_DECLASSIFICATION)
    (cable,) = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert cable["id"] == SEED_ID
    texts = {p["number"]: p["text"] for p in cable["paragraphs"]}
    assert texts[18] == "[paragraph 18 withheld — S]"
    assert texts[19].startswith("Meeting Participants.")


def test_parquet_is_written_in_row_groups(
    seed_archive: Archive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export, "ROW_GROUP", 1)
    path = tmp_path / "out.parquet"
    export.export(seed_archive, "", path, "parquet")
    parquet = pq.ParquetFile(path)
    assert parquet.metadata.num_row_groups == 2
    table = parquet.read()
    assert table.column_names == list(export.COLUMNS)
    assert sorted(table.column("id").to_pylist()) == [PART_ONE_ID, SEED_ID]
    by_id = {row["id"]: row for row in table.to_pylist()}
    assert by_id[PART_ONE_ID]["tags"] == ["PARM", "PREL", "RS"]
    assert by_id[SEED_ID]["date"].isoformat() == "2007-03-09T15:23:00+00:00"
