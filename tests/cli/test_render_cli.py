"""`cablegram render`: a cable read from a file or stdin, printed as the canonical telegram."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cablegram.cli import app

pytest.importorskip("cablegram.read.parser")

# A retyped copy as users bring them: no envelope lines, lines wrapped past 69 columns,
# doubled spaces, SIPDIS twice, a wrapped subject, no blank line before the signature.
MESSY = """\
P 041820Z JAN 10
FM SECSTATE WASHDC
TO AMEMBASSY BERN PRIORITY 0042

C O N F I D E N T I A L STATE 000284

SIPDIS
SIPDIS

E.O. 12958: DECL: 01/04/2020
TAGS: PREL SZ
SUBJECT:  SWISS VIEWS ON
IRAN SANCTIONS

Classified By: A/S Philip H. Gordon for reasons 1.4 (b) and (d).

1. (C) Swiss officials told the embassy on January 3 that they would support the new
sanctions proposal.

2. (U) Please see paragraph one.
CLINTON
"""

# Written by hand from MESSY with the canonical layout.
CANONICAL = """\
P 041820Z JAN 10
FM SECSTATE WASHDC
TO AMEMBASSY BERN PRIORITY 0042
BT
C O N F I D E N T I A L STATE 000284

SIPDIS

E.O. 12958: DECL: 01/04/2020
TAGS: PREL SZ
SUBJECT: SWISS VIEWS ON IRAN SANCTIONS

Classified By: A/S Philip H. Gordon for reasons 1.4 (b) and (d).

1. (C) Swiss officials told the embassy on January 3 that they would
support the new sanctions proposal.

2. (U) Please see paragraph one.

CLINTON
BT
NNNN
"""


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["render", *args], input=stdin)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_renders_a_file(tmp_path: Path) -> None:
    path = tmp_path / "10STATE284.txt"
    path.write_text(MESSY, encoding="utf-8")
    assert run(str(path)) == (0, CANONICAL, "")


def test_renders_stdin() -> None:
    assert run("-", stdin=MESSY) == (0, CANONICAL, "")


def test_canonical_text_renders_to_itself() -> None:
    assert run("-", stdin=CANONICAL) == (0, CANONICAL, "")


def test_missing_file_is_reported(tmp_path: Path) -> None:
    code, out, err = run(str(tmp_path / "absent.txt"))
    assert (code, out) == (2, "")
    assert "absent.txt" in err


def test_empty_cable_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_text("\n\n", encoding="utf-8")
    code, out, err = run(str(path))
    assert (code, out) == (2, "")
    assert err.startswith("error:")


@pytest.mark.shared
def test_seed_renders_with_the_canonical_header(shared_dir: Path) -> None:
    code, out, _ = run(str(shared_dir / "corpus" / "seed-07MOSCOW1002.txt"))
    assert code == 0
    lines = out.splitlines()
    assert lines[:5] == [
        "VZCZCXYZ0000",
        "PP RUEHWEB",
        "DE RUEHMO #1002/01 0681523",
        "ZNY SSSSS ZZH",
        "P 091523Z MAR 07",
    ]
    assert lines[15:17] == ["BT", "S E C R E T MOSCOW 001002"]
    assert lines[-4:] == ["RUSSELL", "BT", "#1002", "NNNN"]
    assert all(len(line) <= 69 for line in lines)
    # Rendering the rendered text again changes nothing.
    assert run("-", stdin=out)[1] == out
