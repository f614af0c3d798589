"""`cablegram audit verify|who-read|log`: exit codes, named tampering, tables and JSON."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from cablegram.access.audit import AuditLog, acting_as
from cablegram.cli import audit

runner = CliRunner()
app = typer.Typer()
audit.register(app)


@pytest.fixture
def archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An archive whose audit trail holds five entries; keys in a directory apart."""
    monkeypatch.setenv("CABLEGRAM_KEY_DIR", str(tmp_path / "keys"))
    directory = tmp_path / "archive"
    with AuditLog(directory) as log:
        log.record("alice", "read", "07MOSCOW1002", {"withheld": ["12 S", "18 S"]})
        log.record("bob", "search", "kislyak space")
        log.record("operator", "user.add", "carol", {"clearance": "SECRET"})
        log.record(acting_as("carol"), "read", "07MOSCOW1002")
        log.record("bob", "read", "07MOSCOW1001")
    yield directory


def tamper(directory: Path, statement: str) -> None:
    with sqlite3.connect(directory / "audit.sqlite") as connection:
        connection.execute(statement)
    connection.close()


def test_verify_intact_exits_0(archive: Path) -> None:
    result = runner.invoke(app, ["audit", "verify", "--archive", str(archive)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "audit trail intact: 5 entries, checkpoint at seq 5"


def test_verify_names_an_edited_entry_and_exits_1(archive: Path) -> None:
    tamper(archive, "UPDATE entries SET detail = '{}' WHERE seq = 1")
    result = runner.invoke(app, ["audit", "verify", "--archive", str(archive)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "audit trail TAMPERED: 1 problem(s)"
    assert lines[1].strip().startswith("seq 1: edited:")


def test_verify_json_lists_each_tampering(archive: Path) -> None:
    tamper(archive, "DELETE FROM entries WHERE seq >= 4")
    tamper(archive, "DELETE FROM entries WHERE seq = 2")
    result = runner.invoke(app, ["audit", "verify", "--json", "--archive", str(archive)])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["intact"] is False
    assert (report["entries"], report["head"], report["checkpoint"]) == (2, 3, 5)
    kinds = [(p["kind"], p["first"], p["last"]) for p in report["problems"]]
    assert kinds == [("deleted", 2, 2), ("truncated", 4, 5)]


def test_verify_without_the_key_exits_1(archive: Path, tmp_path: Path) -> None:
    (key,) = (tmp_path / "keys").glob("*.key")
    key.unlink()
    result = runner.invoke(app, ["audit", "verify", "--archive", str(archive)])
    assert result.exit_code == 1
    assert "key-missing" in result.stdout


def test_no_archive_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["audit", "verify", "--archive", str(tmp_path / "none")])
    assert result.exit_code == 2
    assert "no archive" in result.stderr
    assert not (tmp_path / "none").exists()


def test_who_read_table(archive: Path) -> None:
    result = runner.invoke(app, ["audit", "who-read", "07MOSCOW1002", "--archive", str(archive)])
    assert result.exit_code == 0, result.output
    assert "Reads of 07MOSCOW1002 (2)" in result.stdout
    assert "alice" in result.stdout and "operator as carol" in result.stdout
    assert "bob" not in result.stdout


def test_who_read_json(archive: Path) -> None:
    result = runner.invoke(
        app, ["audit", "who-read", "07MOSCOW1002", "--json", "--archive", str(archive)]
    )
    entries = json.loads(result.stdout)
    assert [(e["seq"], e["principal"], e["action"]) for e in entries] == [
        (1, "alice", "read"),
        (4, "operator as carol", "read"),
    ]
    assert entries[0]["detail"] == {"withheld": ["12 S", "18 S"]}


@pytest.mark.parametrize(
    ("options", "seqs"),
    [
        pytest.param(["--user", "bob"], [2, 5], id="user"),
        pytest.param(["--user", "operator"], [3, 4], id="operator-includes-acting-as"),
        pytest.param(["--action", "read"], [1, 4, 5], id="action"),
        pytest.param(["--user", "bob", "--action", "read"], [5], id="user-and-action"),
        pytest.param(["--since", "2000-01-01"], [1, 2, 3, 4, 5], id="since-day"),
        pytest.param(["--since", "2999-01-01T00:00:00"], [], id="since-time"),
    ],
)
def test_log_filters(archive: Path, options: list[str], seqs: list[int]) -> None:
    result = runner.invoke(app, ["audit", "log", "--json", "--archive", str(archive), *options])
    assert result.exit_code == 0, result.output
    assert [entry["seq"] for entry in json.loads(result.stdout)] == seqs


def test_log_bad_since_is_a_usage_error(archive: Path) -> None:
    result = runner.invoke(app, ["audit", "log", "--since", "yesterday", "--archive", str(archive)])
    assert result.exit_code == 2
    assert "not an ISO day or time" in result.output


def test_log_table_shows_logged_text_literally(archive: Path) -> None:
    with AuditLog(archive) as log:
        log.record("dave", "search", "[bold]NODIS[/bold]")
    result = runner.invoke(app, ["audit", "log", "--user", "dave", "--archive", str(archive)])
    assert result.exit_code == 0, result.output
    assert "[bold]NODIS[/bold]" in result.stdout
