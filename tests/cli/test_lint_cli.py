"""`cablegram lint`: output lines, JSON, exit codes, unreadable files, multi-cable files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cablegram.cli import app

runner = CliRunner()

# A hand-written SECRET telegram in the canonical layout, modelled on the seed 07MOSCOW1002;
# paragraph 2 is marked above the CONFIDENTIAL banner.
BANNER_TOO_LOW = """\
VZCZCXYZ0000
PP RUEHC
DE RUEHMO #1002/01 0681523
ZNY CCCCC ZZH
P 091523Z MAR 07
FM AMEMBASSY MOSCOW
TO RUEHC/SECSTATE WASHDC PRIORITY 8096
BT
C O N F I D E N T I A L MOSCOW 001002

SIPDIS

E.O. 12958: DECL: 03/01/2017
TAGS: PREL PARM RS
SUBJECT: KISLYAK ON SPACE POLICY

Classified By: DCM Daniel A. Russell for reasons 1.4 (b) and (d).

1. (C) DFM Kislyak asked whether U/S Joseph had anything new on
the space dialogue.

2. (S) U/S Joseph said the United States would respond after the
talks in Paris.

RUSSELL
BT
#1002
NNNN
"""
PARAGRAPH_2_LINE = next(
    number
    for number, line in enumerate(BANNER_TOO_LOW.splitlines(), start=1)
    if line.startswith("2. (S)")
)

# The same cable made consistent: a SECRET banner and security line.
CLEAN = BANNER_TOO_LOW.replace("C O N F I D E N T I A L", "S E C R E T").replace(
    "ZNY CCCCC", "ZNY SSSSS"
)


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def test_clean_cable_exits_0(tmp_path: Path) -> None:
    path = write(tmp_path, "clean.txt", CLEAN)
    result = runner.invoke(app, ["lint", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "1 cable in 1 file: 0 errors, 0 warnings"


def test_error_is_printed_at_its_line_and_exits_1(tmp_path: Path) -> None:
    path = write(tmp_path, "low.txt", BANNER_TOO_LOW)
    result = runner.invoke(app, ["lint", str(path)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    expected = f"{path}:{PARAGRAPH_2_LINE}: ERROR CG101 banner-below-portion: "
    assert [line for line in lines if line.startswith(expected)], result.stdout
    assert "(hint: raise the banner to SECRET" in result.stdout
    assert lines[-1].startswith("1 cable in 1 file: 1 error")


def test_json_output_is_one_object_per_cable(tmp_path: Path) -> None:
    low = write(tmp_path, "low.txt", BANNER_TOO_LOW)
    clean = write(tmp_path, "clean.txt", CLEAN)
    result = runner.invoke(app, ["lint", "--json", str(low), str(clean)])
    assert result.exit_code == 1
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["path"], r["index"], r["id"]) for r in records] == [
        (str(low), 0, "07MOSCOW1002"),
        (str(clean), 0, "07MOSCOW1002"),
    ]
    assert records[1]["findings"] == [] and records[1]["errors"] == 0
    assert {
        "rule": "CG101",
        "name": "banner-below-portion",
        "severity": "error",
        "line": PARAGRAPH_2_LINE,
    }.items() <= records[0]["findings"][0].items()
    assert records[0]["errors"] == 1


def test_unreadable_file_exits_2_and_others_are_still_linted(tmp_path: Path) -> None:
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\x00\x01\x02\xff" * 50)
    low = write(tmp_path, "low.txt", BANNER_TOO_LOW)
    missing = tmp_path / "missing.txt"
    result = runner.invoke(app, ["lint", str(binary), str(low), str(missing)])
    assert result.exit_code == 2
    assert "binary.txt" in result.stderr and "missing.txt" in result.stderr
    assert "ERROR CG101" in result.stdout
    assert result.stdout.splitlines()[-1].endswith("; 2 could not be read")


def test_several_cables_in_one_file_are_labelled_by_index(tmp_path: Path) -> None:
    lines = [json.dumps({"text": text}) for text in (CLEAN, BANNER_TOO_LOW)]
    path = write(tmp_path, "two.jsonl", "\n".join(lines) + "\n")
    result = runner.invoke(app, ["lint", str(path)])
    assert result.exit_code == 1
    assert f"{path}[1]:{PARAGRAPH_2_LINE}: ERROR CG101" in result.stdout
    assert f"{path}[0]" not in result.stdout
    assert "2 cables in 1 file: 1 error" in result.stdout


def test_directory_is_read_recursively(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", CLEAN)
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", "b.txt", BANNER_TOO_LOW)
    result = runner.invoke(app, ["lint", str(tmp_path)])
    assert result.exit_code == 1
    assert "2 cables in 2 files: 1 error" in result.stdout


def test_stdin(tmp_path: Path) -> None:
    result = runner.invoke(app, ["lint", "-"], input=BANNER_TOO_LOW)
    assert result.exit_code == 1
    assert f"<stdin>:{PARAGRAPH_2_LINE}: ERROR CG101" in result.stdout


@pytest.mark.shared
def test_seed_lints_with_warnings_only(shared_dir: Path) -> None:
    seed = shared_dir / "corpus" / "seed-07MOSCOW1002.txt"
    result = runner.invoke(app, ["lint", str(seed)])
    assert result.exit_code == 0, result.output
    assert "WARNING CG303 tag-unknown: TAG START" in result.stdout
    assert "WARNING CG505 routing-indicator-unknown: routing indicator RUEHWEB" in result.stdout
    assert " ERROR " not in result.stdout
