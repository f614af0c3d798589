"""``cablegram draft|clear|return|release|inbox|ack|traffic``: a cable drafted, cleared,
released, dispatched and acknowledged from the command line, the draft file and the
editor, counters, refusals with exit status 1, and the dispatcher stopping on SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cablegram.access import Role
from cablegram.access.users import SqliteUserStore, User
from cablegram.cli import app
from cablegram.model import Level
from cablegram.traffic.clock import CLOCK_VARIABLE

runner = CliRunner()
MOSCOW = frozenset({"MOSCOW"})
BODY = """\
## Background

1. (C) The Ambassador met the Foreign Minister today.
The meeting was cordial.

2. (U) Nothing else happened.
"""
DRAFT_FILE = (
    """\
From: MOSCOW
To: SECSTATE
Info: NSC
Precedence: IMMEDIATE
Tags: PREL RS
Subject: MEETING WITH THE FOREIGN MINISTER
Classified-By: Ambassador John R. Beyrle
Reasons: b d
Declassify: 03/01/2020

"""
    + BODY
)


@pytest.fixture
def archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "archive"
    directory.mkdir()
    store = SqliteUserStore(directory)
    for user in (
        User("alice", Level.SECRET, roles=frozenset({Role.DRAFTER}), offices=MOSCOW),
        User("bob", Level.SECRET, roles=frozenset({Role.CLEARER}), offices=MOSCOW),
        User("carol", Level.SECRET, roles=frozenset({Role.RELEASER}), offices=MOSCOW),
        User("dan", Level.SECRET, offices=frozenset({"STATE"})),
        User("root", Level.UNCLASSIFIED, roles=frozenset({Role.ADMIN})),
    ):
        store.add(user)
    store.close()
    monkeypatch.setenv(CLOCK_VARIABLE, "2010-03-01T12:00Z")
    return directory


def run(archive: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, "--archive", str(archive)])
    return result.exit_code, result.stdout, result.stderr


def test_a_cable_from_draft_to_acknowledgement(archive: Path, tmp_path: Path) -> None:
    body = tmp_path / "body.txt"
    body.write_text(BODY, encoding="utf-8")
    code, out, err = run(
        archive, "draft", "new", "--as", "alice", "--from", "MOSCOW", "--to", "SECSTATE",
        "--info", "NSC", "--precedence", "IMMEDIATE", "--subject", "MEETING WITH THE FM",
        "--tags", "PREL RS START", "--body", str(body), "--classified-by",
        "Ambassador John R. Beyrle", "--reasons", "b d", "--declassify", "03/01/2020",
    )  # fmt: skip
    assert code == 0, err
    assert "draft 1 saved (draft): 0 error(s), 1 warning(s)" in out
    assert "CG303 TAG START" in out
    code, out, _ = run(archive, "draft", "list", "--as", "alice", "--json")
    assert [(d["id"], d["state"], d["warnings"]) for d in json.loads(out)] == [(1, "draft", 1)]
    code, out, _ = run(archive, "draft", "show", "1", "--as", "alice", "--telegram")
    assert "DE RUEHMO #0001/01 0601200" in out and "O 011200Z MAR 10" in out
    assert run(archive, "draft", "submit", "1", "--as", "alice", "--clearer", "bob")[0] == 0
    code, out, _ = run(archive, "clear", "1", "--as", "bob", "--comment", "Fine.")
    assert (code, out.strip()) == (0, "draft 1 cleared by bob: cleared")
    code, out, err = run(archive, "release", "1", "--as", "carol")
    assert code == 0, err
    assert out.startswith("draft 1 released as 10MOSCOW1 to 2 recipients")
    code, out, _ = run(archive, "traffic", "dispatch", "--once")
    assert out.strip() == "delivered 2, archived 0, escalated 0"
    code, out, _ = run(archive, "inbox", "--as", "dan", "--json")
    (item,) = json.loads(out)
    assert (item["cable"], item["precedence"], item["to"], item["overdue"]) == (
        "10MOSCOW1", "IMMEDIATE", "STATE", False
    )  # fmt: skip
    code, out, _ = run(archive, "ack", "10MOSCOW1", "--as", "dan")
    assert out.strip() == "10MOSCOW1 acknowledged for STATE by dan"
    code, out, _ = run(archive, "traffic", "status", "--json")
    status = json.loads(out)
    assert status["drafts"]["released"] == 1
    assert status["deliveries"] == {"queued": 2, "acknowledged": 1, "escalated": 0}
    code, out, _ = run(archive, "audit", "log", "--json")
    actions = [(e["principal"], e["action"]) for e in json.loads(out)]
    assert ("operator as carol", "traffic.release") in actions
    assert ("dispatcher", "traffic.deliver") in actions


def test_draft_file_edit_and_return(archive: Path, tmp_path: Path) -> None:
    path = tmp_path / "draft.txt"
    path.write_text(DRAFT_FILE, encoding="utf-8")
    assert run(archive, "draft", "new", "--as", "alice", "--file", str(path))[0] == 0
    run(archive, "draft", "submit", "1", "--as", "alice", "--clearer", "bob")
    code, out, _ = run(archive, "return", "1", "--as", "bob", "--comment", "Name the FM.")
    assert (code, out.strip()) == (0, "draft 1 returned to alice")
    path.write_text(DRAFT_FILE.replace("FOREIGN MINISTER", "FOREIGN MINISTER LAVROV"), "utf-8")
    code, out, _ = run(archive, "draft", "edit", "1", "--as", "alice", "--file", str(path))
    assert code == 0 and "draft 1 saved (draft)" in out
    code, out, _ = run(archive, "draft", "show", "1", "--as", "alice")
    assert "Subject: MEETING WITH THE FOREIGN MINISTER LAVROV" in out
    assert "clearer bob: pending" in out
    assert "bob return: Name the FM." in out


def test_draft_in_the_editor(
    archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    written = tmp_path / "written.txt"
    written.write_text(DRAFT_FILE, encoding="utf-8")
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import shutil, sys\n"
        "assert 'A cable draft' in open(sys.argv[1]).read()\n"
        f"shutil.copy({str(written)!r}, sys.argv[1])\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("EDITOR", f"{sys.executable} {editor}")
    code, out, err = run(archive, "draft", "new", "--as", "alice")
    assert code == 0, err
    code, out, _ = run(archive, "draft", "show", "1", "--as", "alice", "--json")
    assert json.loads(out)["content"]["subject"] == "MEETING WITH THE FOREIGN MINISTER"


def test_draft_from_the_seed_telegram(archive: Path, shared_dir: Path) -> None:
    seed = shared_dir / "corpus" / "seed-07MOSCOW1002.txt"
    code, out, err = run(archive, "draft", "new", "--as", "alice", "--telegram", str(seed))
    assert code == 0, err
    code, out, _ = run(archive, "draft", "show", "1", "--as", "alice")
    assert "To: RUEHC/SECSTATE WASHDC" in out
    assert "12. (S) DFM Kislyak asked whether the United States would respond" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("draft", "new", "--as", "alice", "--from", "MOSCOW", "--to", "ATLANTIS"), "unknown addressee"),
        (("draft", "new", "--as", "dan", "--from", "MOSCOW", "--to", "SECSTATE"), "drafter role"),
        (("draft", "new", "--as", "alice", "--to", "SECSTATE", "--precedence", "URGENT"), "unknown precedence"),
        (("release", "7", "--as", "carol"), "no draft 7"),
        (("draft", "show", "1", "--as", "alice"), "no draft 1"),
        (("ack", "10MOSCOW9", "--as", "dan"), "no delivery"),
        (("inbox", "--as", "nobody"), "no user 'nobody'"),
        (("draft", "list", "--as", "alice", "--state", "lost"), "no draft state 'lost'"),
        (("draft", "new", "--as", "alice", "--telegram", "/dev/null"), "/dev/null"),
    ],
    ids=["unknown-addressee", "not-a-drafter", "bad-precedence", "no-draft", "not-shown",
         "no-delivery", "no-user", "bad-state", "empty-telegram"],
)  # fmt: skip
def test_refusals_exit_1(archive: Path, args: tuple[str, ...], message: str) -> None:
    code, _, err = run(archive, *args)
    assert code != 0
    assert message in err


def test_counters_preset_forward_only(archive: Path) -> None:
    code, out, err = run(archive, "traffic", "counters", "MOSCOW", "--as", "root", "--year",
                         "2007", "--serial", "1001", "--mcn", "SECSTATE=8095", "--json")  # fmt: skip
    assert code == 0, err
    assert json.loads(out) == {
        "post": "MOSCOW",
        "serials": {"2007": 1001},
        "mcns": {"SECSTATE WASHDC": 8095},
    }
    code, _, err = run(archive, "traffic", "counters", "MOSCOW", "--as", "root", "--year",
                       "2007", "--serial", "999")  # fmt: skip
    assert code == 1 and "only move forward" in err
    code, _, err = run(archive, "traffic", "counters", "MOSCOW", "--as", "alice", "--year",
                       "2007", "--serial", "2000")  # fmt: skip
    assert code == 1 and "admin role" in err


def test_dispatcher_follows_until_sigterm(archive: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-c", "from cablegram.cli import main; main()", "traffic", "dispatch",
         "--follow", "--interval", "0.05", "--archive", str(archive)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while not (archive / "traffic.sqlite").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert out.strip() == "delivered 0, archived 0, escalated 0"
