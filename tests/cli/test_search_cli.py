"""`cablegram search`: table and JSON output, options, errors with carets, exit codes.

The archive holds the seed 07MOSCOW1002 and one hand-written UNCLASSIFIED cable.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cablegram.access.users import SqliteUserStore, User
from cablegram.archive import Archive
from cablegram.archive.indexer import sync
from cablegram.archive.records import NewVersion
from cablegram.cli import app
from cablegram.model import Level
from cablegram.read import parse

runner = CliRunner()

# A hand-written UNCLASSIFIED telegram in the canonical layout.
ROME = """\
091200Z JAN 09
FM AMEMBASSY ROME
TO SECSTATE WASHDC PRIORITY
BT
UNCLAS ROME 000100

SIPDIS

E.O. 12958: N/A
TAGS: AMGT IT
SUBJECT: ROUTINE NOTICE ON SPACE ALLOCATION

1. (U) Routine administrative notice: office space for the mission.

SMITH
BT
NNNN
"""


@pytest.fixture(scope="module")
def archive(seed_text: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("archive")
    with Archive.open(directory) as opened:
        cables = [parse(text) for text in (seed_text, ROME)]
        opened.storage.put([NewVersion(c.id or "", c.original_text, c, "test") for c in cables])
        sync(opened.storage, opened.index)
    return directory


def run(archive: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["search", "--archive", str(archive), *args])
    return result.exit_code, result.stdout, result.stderr


def test_json_output(archive: Path) -> None:
    code, out, _ = run(archive, "space", "--json", "--sort", "-date", "--facets")
    assert code == 0
    data = json.loads(out)
    assert data["total"] == 2
    assert [hit["id"] for hit in data["hits"]] == ["09ROME100", "07MOSCOW1002"]
    rome = data["hits"][0]
    assert rome["date"] == "2009-01-09T12:00:00Z"
    assert (rome["origin"], rome["classification"]) == ("ROME", "UNCLASSIFIED")
    assert rome["subject"] == "ROUTINE NOTICE ON SPACE ALLOCATION"
    assert "<b>space</b>" in rome["snippet"]
    assert rome["score"] is None  # sorted by date
    assert data["facets"]["origins"] == [
        {"value": "MOSCOW", "count": 1},
        {"value": "ROME", "count": 1},
    ]
    assert data["facets"]["years"] == [
        {"value": "2007", "count": 1},
        {"value": "2009", "count": 1},
    ]
    assert data["facets"]["classifications"] == [
        {"value": "SECRET", "count": 1},
        {"value": "UNCLASSIFIED", "count": 1},
    ]


def test_limit_and_offset(archive: Path) -> None:
    _, first, _ = run(archive, "space", "--json", "--sort", "date", "--limit", "1")
    _, second, _ = run(
        archive, "space", "--json", "--sort", "date", "--limit", "1", "--offset", "1"
    )
    assert [h["id"] for h in json.loads(first)["hits"]] == ["07MOSCOW1002"]
    assert [h["id"] for h in json.loads(second)["hits"]] == ["09ROME100"]
    assert json.loads(second)["total"] == 2


def test_table_output(archive: Path) -> None:
    code, out, _ = run(archive, "tag:AMGT", "--facets")
    assert code == 0
    assert "1 cable match; showing 1-1." in out
    assert "09ROME100" in out and "2009-01-09" in out
    assert "AMGT" in out and "Origins" in out
    timeline = out.split("Cables by year and month", 1)[1].splitlines()
    assert timeline[1].split() == ["year", "all", "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]  # fmt: skip
    assert timeline[2].split() == ["2009", "1", "1", *["·"] * 11]


def test_no_match_is_not_an_error(archive: Path) -> None:
    code, out, _ = run(archive, "zanzibar")
    assert code == 0
    assert "0 cables match" in out


PARAGRAPH_12 = '"dedicated satellite interceptors"'  # only in the seed's paragraph 12 (S)


def test_the_operator_reads_everything_on_any_day(archive: Path) -> None:
    code, out, _ = run(archive, PARAGRAPH_12, "--json", "--as-of", "2010-01-01")
    assert code == 0
    data = json.loads(out)
    assert data["as_of"] == "2010-01-01"
    assert [h["id"] for h in data["hits"]] == ["07MOSCOW1002"]


def test_as_user_searches_their_view(archive: Path) -> None:
    store = SqliteUserStore(archive)
    try:
        if store.get("carol") is None:
            store.add(User("carol", Level.CONFIDENTIAL))
    finally:
        store.close()
    _, pinned, _ = run(archive, PARAGRAPH_12, "--json", "--as", "carol", "--as-of", "2010-01-01")
    assert json.loads(pinned)["total"] == 0
    _, later, _ = run(archive, PARAGRAPH_12, "--json", "--as", "carol", "--as-of", "2017-03-01")
    assert json.loads(later)["total"] == 1  # declassified on 2017-03-01
    code, _, err = run(archive, "space", "--as", "nobody")
    assert code == 2
    assert "no user 'nobody'" in err


def test_bad_as_of_is_a_usage_error(archive: Path) -> None:
    code, _, err = run(archive, "space", "--as-of", "2010-13-01")
    assert code == 2
    assert "not a date" in err


def test_missing_archive(tmp_path: Path) -> None:
    code, _, err = run(tmp_path / "nowhere", "space")
    assert code == 1
    assert "no archive at" in err


QUERY_LANGUAGE = Path(__file__).resolve().parents[2] / "docs" / "query-language.md"
CONSOLE_BLOCKS = re.findall(
    r"```console\n\$ cablegram search (.*?)\n(.*?)\n```",
    QUERY_LANGUAGE.read_text(encoding="utf-8"),
    re.S,
)


def test_the_documentation_shows_errors() -> None:
    assert len(CONSOLE_BLOCKS) >= 3


@pytest.mark.parametrize(("command", "expected"), CONSOLE_BLOCKS)
def test_documented_errors_are_printed_exactly(archive: Path, command: str, expected: str) -> None:
    (query,) = shlex.split(command)
    code, out, err = run(archive, query)
    assert code == 2
    assert out == ""
    assert err == expected + "\n"
