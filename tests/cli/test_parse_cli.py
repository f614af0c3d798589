"""`cablegram parse`: formats in, JSON Lines or summaries out, bad files reported, exit 2."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from cablegram.cli import app

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "docs" / "cable.schema.json"


def telegram(serial: int, subject: str) -> str:
    """A small hand-made Department cable of 1 Jan 2009."""
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


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def run(*args: str, stdin: str | None = None) -> tuple[int, list[dict[str, Any]], list[str]]:
    result = CliRunner().invoke(app, ["parse", *args], input=stdin)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    objects = [json.loads(line) for line in result.stdout.splitlines()] if "--json" in args else []
    return result.exit_code, objects, result.stderr.splitlines()


def test_bad_files_are_reported_and_the_good_ones_still_printed(
    tmp_path: Path, validator: Draft202012Validator
) -> None:
    first = tmp_path / "first.txt"
    first.write_text(telegram(123, "FIRST"), encoding="utf-8")
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" * 20)
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes(telegram(124, "CAFÉ").encode("latin-1"))
    batch = tmp_path / "batch.jsonl"
    batch.write_text(
        "\n".join(json.dumps({"text": telegram(n, f"NUMBER {n}")}) for n in (125, 126)),
        encoding="utf-8",
    )

    code, objects, errors = run(str(first), str(binary), str(latin1), str(batch), "--json")

    assert code == 2
    assert [(o["source"]["path"], o["source"]["index"]) for o in objects] == [
        (str(first), 0),
        (str(batch), 0),
        (str(batch), 1),
    ]
    assert [o["id"] for o in objects] == ["09STATE123", "09STATE125", "09STATE126"]
    assert [o["subject"] for o in objects] == ["FIRST", "NUMBER 125", "NUMBER 126"]
    for data in objects:
        validator.validate(data)
    assert len(errors) == 2
    assert errors[0].startswith(f"error: {binary}: binary file")
    assert errors[1].startswith(f"error: {latin1}: not UTF-8")


def test_all_good_exits_zero(tmp_path: Path) -> None:
    path = tmp_path / "cable.txt"
    path.write_text(telegram(7, "GOOD"), encoding="utf-8")
    code, objects, errors = run(str(path), "--json")
    assert (code, len(objects), errors) == (0, 1, [])


def test_missing_file_is_reported(tmp_path: Path) -> None:
    code, _, errors = run(str(tmp_path / "absent.txt"), "--json")
    assert code == 2
    assert errors == [f"error: {tmp_path / 'absent.txt'}: cannot read: No such file or directory"]


def test_directory_is_read_recursively_in_sorted_order(tmp_path: Path) -> None:
    for relative, serial in [("b.txt", 3), ("a/z.txt", 2), ("a/b/c.txt", 1), (".hidden", 9)]:
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(telegram(serial, "ORDER"), encoding="utf-8")
    code, objects, _ = run(str(tmp_path), "--json")
    assert code == 0
    assert [o["id"] for o in objects] == ["09STATE1", "09STATE2", "09STATE3"]


def test_stdin_seed_cable(seed_text: str, validator: Draft202012Validator) -> None:
    code, objects, errors = run("-", "--json", stdin=seed_text)
    assert (code, errors) == (0, [])
    (data,) = objects
    validator.validate(data)
    assert data["source"] == {"path": "<stdin>", "index": 0}
    assert data["id"] == "07MOSCOW1002"
    assert data["date"] == "2007-03-09T15:23:00Z"
    assert data["classification"]["level"] == "SECRET"


def test_forced_csv_format(shared_dir: Path, tmp_path: Path) -> None:
    # A copy under a name that says nothing, so only --format decides.
    sample = shared_dir / "corpus" / "formats" / "cables-csv-sample.csv"
    renamed = tmp_path / "dump.data"
    renamed.write_bytes(sample.read_bytes())
    code, objects, _ = run(str(renamed), "--format", "csv", "--json")
    assert code == 0
    assert [o["source"]["index"] for o in objects] == [0, 1]
    assert [o["id"] for o in objects] == ["66BUENOSAIRES2481", "72TEHRAN1164"]


def test_summary_lines_without_json(tmp_path: Path) -> None:
    path = tmp_path / "cables.jsonl"
    path.write_text(
        "\n".join(json.dumps({"text": telegram(n, f"SUBJECT {n}")}) for n in (41, 42)),
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["parse", str(path)])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    fields = lines[0].split("  ")
    assert fields[:4] == ["09STATE41", "2009-01-01 12:00Z", "UNCLASSIFIED", "SUBJECT 41"]
    assert fields[4].endswith(("diagnostic", "diagnostics"))
    assert "\x1b[" not in result.stdout  # no terminal styling when not a terminal


def test_summary_names_the_source_when_the_text_gives_no_id(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("Some notes that are not a cable.\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["parse", str(path)])
    assert result.exit_code == 0
    assert result.stdout.startswith(f"{path}#0  -  -  ")


def test_empty_document_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "cables.jsonl"
    path.write_text('{"text": "  "}\n' + json.dumps({"text": telegram(5, "X")}), encoding="utf-8")
    code, objects, errors = run(str(path), "--json")
    assert code == 2
    assert [o["source"]["index"] for o in objects] == [1]
    assert errors == [f"error: {path}: cable 0: no text"]
