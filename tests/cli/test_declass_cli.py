"""`cablegram declass`: the yearly report, the review queue, and reviewers' decisions that
change what every output shows at once."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cablegram.cli import app
from cablegram.model import (
    Cable,
    Declassification,
    DeclassificationKind,
    Level,
    Marking,
    Paragraph,
    Tag,
    TagKind,
)
from cablegram.write import render

RUNNER = CliRunner()


def _cable(serial: int, level: Level, instruction: Declassification | None, text: str) -> Cable:
    return Cable(
        id=f"07MOSCOW{serial}",
        dtg=datetime(2007, 3, 9, 15, 23, tzinfo=UTC),
        classification=Marking(level),
        origin="MOSCOW",
        serial=serial,
        declassification=instruction,
        tags=(Tag("PREL", TagKind.SUBJECT),),
        subject="A SUBJECT",
        paragraphs=(Paragraph(1, Marking(level), text),),
    )


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    cables = [
        _cable(
            11,
            Level.SECRET,
            Declassification("12958", DeclassificationKind.DATE, date(2027, 5, 1)),
            "Zanzibar matters are secret.",
        ),
        _cable(
            12,
            Level.SECRET,
            Declassification("12958", DeclassificationKind.EXEMPTION, exemption="25X1"),
            "Quokka matters are exempt.",
        ),
        _cable(
            13,
            Level.UNCLASSIFIED,
            Declassification("12958", DeclassificationKind.NOT_APPLICABLE),
            "Public matters.",
        ),
    ]
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps({"text": render(c)}) + "\n" for c in cables))
    directory = tmp_path / "archive"
    result = RUNNER.invoke(app, ["ingest", str(corpus), "--archive", str(directory)])
    assert result.exit_code == 0, result.output
    result = RUNNER.invoke(
        app,
        [
            "user",
            "add",
            "rev",
            "--archive",
            str(directory),
            "--clearance",
            "U",
            "--role",
            "reviewer",
            "--password",
            "long enough",
        ],
    )
    assert result.exit_code == 0, result.output
    result = RUNNER.invoke(
        app,
        [
            "user",
            "add",
            "pub",
            "--archive",
            str(directory),
            "--clearance",
            "U",
            "--password",
            "long enough",
        ],
    )
    assert result.exit_code == 0, result.output
    return directory


def _ids(output: str) -> list[str]:
    return [json.loads(line)["id"] for line in output.splitlines() if line.strip()]


def test_report_lists_what_becomes_releasable_that_year(archive: Path) -> None:
    result = RUNNER.invoke(
        app, ["declass", "report", "--year", "2027", "--json", "--archive", str(archive)]
    )
    assert result.exit_code == 0, result.output
    assert _ids(result.output) == ["07MOSCOW11"]
    result = RUNNER.invoke(
        app, ["declass", "report", "--year", "2026", "--json", "--archive", str(archive)]
    )
    assert _ids(result.output) == []


def test_review_queue_holds_the_exempt_cable(archive: Path) -> None:
    result = RUNNER.invoke(app, ["declass", "review", "--json", "--archive", str(archive)])
    assert result.exit_code == 0, result.output
    assert _ids(result.output) == ["07MOSCOW12"]


def _search(archive: Path, query: str, user: str) -> int:
    result = RUNNER.invoke(
        app, ["search", query, "--json", "--archive", str(archive), "--as", user]
    )
    assert result.exit_code == 0, result.output
    return int(json.loads(result.output)["total"])


def test_release_decision_applies_at_once_and_is_audited(archive: Path) -> None:
    assert _search(archive, "quokka", "pub") == 0
    refused = RUNNER.invoke(
        app,
        [
            "declass",
            "release",
            "07MOSCOW12",
            "--on",
            "2020-01-01",
            "--archive",
            str(archive),
            "--as",
            "pub",
        ],
    )
    assert refused.exit_code == 1
    result = RUNNER.invoke(
        app,
        [
            "declass",
            "release",
            "07MOSCOW12",
            "--on",
            "2020-01-01",
            "--archive",
            str(archive),
            "--as",
            "rev",
        ],
    )
    assert result.exit_code == 0, result.output
    assert _search(archive, "quokka", "pub") == 1
    result = RUNNER.invoke(app, ["declass", "review", "--json", "--archive", str(archive)])
    assert _ids(result.output) == []
    log = RUNNER.invoke(
        app, ["audit", "log", "--json", "--archive", str(archive), "--action", "declass.release"]
    )
    assert log.exit_code == 0, log.output
    entries = json.loads(log.output)
    assert [(e["principal"], e["target"]) for e in entries] == [("operator as rev", "07MOSCOW12")]


def test_extension_keeps_a_cable_classified(archive: Path) -> None:
    result = RUNNER.invoke(
        app, ["declass", "extend", "07MOSCOW11", "--to", "2040-01-01", "--archive", str(archive)]
    )
    assert result.exit_code == 0, result.output
    result = RUNNER.invoke(
        app, ["declass", "report", "--year", "2027", "--json", "--archive", str(archive)]
    )
    assert _ids(result.output) == []
    show = RUNNER.invoke(
        app,
        ["show", "07MOSCOW11", "--archive", str(archive), "--as", "pub", "--as-of", "2030-01-01"],
    )
    assert show.exit_code == 1
