"""`cablegram export`: every format through the command line, counts equal to the search's,
a reader's view with ``--as``, and errors."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from cablegram.access.users import SqliteUserStore, User
from cablegram.cli import app
from cablegram.model import Level
from seed_archive import PART_ONE_ID, SEED_ID, SEED_PARAGRAPH_12, build

runner = CliRunner()


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory, seed_text: str) -> Path:
    path = build(tmp_path_factory.mktemp("cli-export"), seed_text)
    store = SqliteUserStore(path)
    try:
        store.add(User("carol", Level.CONFIDENTIAL))
    finally:
        store.close()
    return path


def export(archive: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["export", *args, "--archive", str(archive)])
    return result.exit_code, result.stdout, result.stderr


def search_total(archive: Path, query: str, *args: str) -> int:
    result = runner.invoke(app, ["search", query, "--json", "--archive", str(archive), *args])
    return int(json.loads(result.stdout)["total"])


def count(path: Path, export_format: str) -> int:
    if export_format == "parquet":
        return int(pq.read_metadata(path).num_rows)
    if export_format == "csv":
        with path.open(encoding="utf-8", newline="") as rows:
            return len(list(csv.reader(rows))) - 1  # the header
    return len(path.read_text(encoding="utf-8").splitlines())


@pytest.mark.parametrize("export_format", ["jsonl", "csv", "parquet"])
@pytest.mark.parametrize("query", ["", "Kislyak", f"id:{PART_ONE_ID}"])
def test_exports_hold_as_many_cables_as_the_search_finds(
    archive: Path, tmp_path: Path, export_format: str, query: str
) -> None:
    path = tmp_path / f"out.{export_format}"
    code, out, _ = export(
        archive, query, "--format", export_format, "--output", str(path), "--json"
    )
    assert code == 0
    summary = json.loads(out)
    total = search_total(archive, query)
    assert summary["matched"] == summary["written"] == total
    assert count(path, export_format) == total


def test_export_as_a_user_writes_their_view(archive: Path, tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    as_carol = ("--as", "carol", "--as-of", "2010-01-01")
    code, out, _ = export(archive, "", "--format", "jsonl", "--output", str(path), *as_carol)
    assert code == 0
    assert out.startswith(f"{search_total(archive, '', *as_carol)} cables written")
    cables = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [c["id"] for c in cables] == [SEED_ID]
    assert SEED_PARAGRAPH_12 not in path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("export_format", "node_path"),
    [
        ("graphml", "{http://graphml.graphdrawing.org/xmlns}graph/{http://graphml.graphdrawing.org/xmlns}node"),
        ("gexf", "{http://gexf.net/1.3}graph/{http://gexf.net/1.3}nodes/{http://gexf.net/1.3}node"),
    ],
)  # fmt: skip
def test_graph_formats(archive: Path, tmp_path: Path, export_format: str, node_path: str) -> None:
    path = tmp_path / f"graph.{export_format}"
    code, out, _ = export(archive, "", "--format", export_format, "--output", str(path), "--json")
    assert code == 0
    summary = json.loads(out)
    # The seed's REF list names 7 cables (one of them part I): 8 nodes, 7 edges.
    assert (summary["nodes"], summary["edges"], summary["described"]) == (8, 7, 2)
    nodes = ET.parse(path).getroot().findall(node_path)
    assert len(nodes) == 8


def test_a_malformed_query_exits_2_with_a_caret(archive: Path, tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    code, _, err = export(archive, '"unclosed', "--format", "csv", "--output", str(path))
    assert code == 2
    assert "^" in err


def test_no_archive_exits_1(tmp_path: Path) -> None:
    code, _, err = export(tmp_path / "none", "", "--format", "csv", "--output", str(tmp_path / "x"))
    assert code == 1
    assert "no archive" in err
