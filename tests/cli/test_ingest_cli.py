"""`cablegram ingest`: the JSON summary, the human sentence, failures on stderr, exit 2.

The inputs are small hand-made Department cables (the same shape as those of
``test_parse_cli.py``) in the formats the command reads; the archive is real.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from cablegram.archive import INDEX_DIRECTORY, Archive
from cablegram.archive.index.tantivy_index import FORMAT_FILE
from cablegram.archive.search import search
from cablegram.cli import app
from cablegram.cli.common import catch_up_index


def telegram(serial: int, subject: str) -> str:
    """A small hand-made Department cable of 1 Jan 2009: id ``09STATE<serial>``."""
    return f"""VZCZCXYZ0000
RR RUEHWEB

DE RUEHC #{serial:04d} 0011200
ZNR UUUUU ZZH
R 011200Z JAN 09
FM SECSTATE WASHDC
TO RUEHMO/AMEMBASSY MOSCOW 0001

UNCLAS STATE {serial:06d}

E.O. 12958: N/A
TAGS: PREL, RS
SUBJECT: {subject}

1. (U) Text of the test cable.
CLINTON
"""


def ingest(*args: str) -> tuple[int, str, list[str]]:
    result = CliRunner().invoke(app, ["ingest", *args])
    return result.exit_code, result.stdout, result.stderr.splitlines()


def summary(*args: str) -> tuple[int, dict[str, Any], list[str]]:
    code, out, errors = ingest(*args, "--json", "--workers", "0")
    return code, json.loads(out), errors


def test_ingest_reports_what_it_stored(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "one.txt").write_text(telegram(1, "FIRST"), encoding="utf-8")
    with gzip.open(inputs / "two.jsonl.gz", "wt", encoding="utf-8") as out:
        for serial in (2, 3):
            out.write(json.dumps({"text": telegram(serial, "MORE"), "released": "2011-01-01"}))
            out.write("\n")
    archive = tmp_path / "archive"
    code, found, errors = summary(str(inputs), "--archive", str(archive))
    assert code == 0, errors
    assert {k: found[k] for k in ("documents", "new", "failed", "indexed")} == {
        "documents": 3,
        "new": 3,
        "failed": 0,
        "indexed": 3,
    }
    with Archive.open(archive) as opened:
        assert list(opened.storage.ids()) == ["09STATE1", "09STATE2", "09STATE3"]
    code, found, _ = summary(str(inputs), "--archive", str(archive))
    assert (code, found["resumed"], found["new"]) == (0, 3, 0)


def test_failures_go_to_stderr_and_exit_2(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(telegram(7, "GOOD"), encoding="utf-8")
    binary = tmp_path / "image.txt"
    binary.write_bytes(bytes(range(256)))
    code, found, errors = summary(str(binary), str(good), "--archive", str(tmp_path / "a"))
    assert code == 2
    assert (found["new"], found["failed"]) == (1, 1)
    assert found["failures"] == [
        {"where": str(binary), "reason": "binary file (contains NUL bytes), not cable text"}
    ]
    assert any(line.startswith(f"error: {binary}: binary file") for line in errors)


def test_the_sentence_for_humans(tmp_path: Path) -> None:
    path = tmp_path / "one.txt"
    path.write_text(telegram(1, "FIRST"), encoding="utf-8")
    code, out, _ = ingest(str(path), "--archive", str(tmp_path / "a"), "--workers", "0")
    assert code == 0
    assert out.startswith("1 documents in ")
    assert out.rstrip().endswith(
        "s: 1 new, 0 new versions, 0 unchanged, 0 failed, 1 cables indexed"
    )


def test_an_index_of_an_older_format_is_rebuilt_before_ingesting(tmp_path: Path) -> None:
    first = tmp_path / "first.txt"
    first.write_text(telegram(1, "FIRST"), encoding="utf-8")
    archive = tmp_path / "archive"
    code, _, errors = summary(str(first), "--archive", str(archive))
    assert code == 0, errors
    # What an upgrade to another index format finds: the old index is recreated empty.
    (archive / INDEX_DIRECTORY / FORMAT_FILE).write_text("0")
    second = tmp_path / "second.txt"
    second.write_text(telegram(2, "SECOND"), encoding="utf-8")
    code, found, errors = summary(str(second), "--archive", str(archive))
    assert code == 0, errors
    assert "re-indexed 1 cable" in errors
    assert (found["new"], found["indexed"]) == (1, 2)
    with Archive.open(archive) as opened:
        assert sorted(hit.cable_id for hit in search(opened, "test").hits) == [
            "09STATE1",
            "09STATE2",
        ]


def test_catching_up_leaves_an_index_another_process_writes(tmp_path: Path) -> None:
    first = tmp_path / "first.txt"
    first.write_text(telegram(1, "FIRST"), encoding="utf-8")
    archive = tmp_path / "archive"
    assert summary(str(first), "--archive", str(archive))[0] == 0
    (archive / INDEX_DIRECTORY / FORMAT_FILE).write_text("0")
    with Archive.open(archive) as writer, Archive.open(archive) as other:
        writer.index.replace("X", [])  # takes the index's writer lock
        catch_up_index(other)  # warns, does not fail
        assert other.index.count_docs() == 0
