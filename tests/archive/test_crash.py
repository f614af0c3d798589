"""``kill -9`` in mid-ingest, for real: nothing lost, nothing duplicated, index consistent.

A clean ``cablegram ingest`` of a few thousand hand-made cables (three JSON Lines files and
a directory of text files) gives the reference archive. Then the same command on a second
archive is started again and again, each run resuming what the last one left, and killed
with SIGKILL (the ingesting process only; its fork server and workers must then exit by
themselves) at moments chosen to cover every phase: 0.2 s in (starting up), a random
fraction of a second in, after a random number of cables is stored, while a batch is
stored but not yet indexed, and while the last batch is (moments are seen from outside
through SQLite and seeded, so a failure can be replayed); finally it runs to completion.
A run that finishes before its moment (the last windows last a tenth of a second, which a
loaded machine can miss) is undone from a copy of the archive taken before it, and tried
again.
The second archive must then hold exactly the reference's versions (id, version number,
text hash), each once; the index must hold the same number of view documents per cable
(one view set per cable: no duplicates from a repeated batch, no cable missing); and
SQLite's integrity check must pass.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from telegrams import telegram, write_jsonl

from cablegram.archive import Archive

pytestmark = pytest.mark.slow

FILES = 3
PER_FILE = 600
TEXT_FILES = 300
CABLES = FILES * PER_FILE + TEXT_FILES
SEED = 20070309
COMMAND = [sys.executable, "-c", "from cablegram.cli import main; main()", "ingest"]
POLL_SECONDS = 0.02
ORPHAN_SECONDS = 10
ATTEMPTS = 4


@dataclass(frozen=True)
class Moment:
    """What a running ingest has done so far: seen from outside, through SQLite."""

    elapsed: float
    cables: int
    watermark: int


def kill_moments(rng: random.Random) -> list[tuple[str, Callable[[Moment], bool]]]:
    """When to kill each run: early timings, then states of the job seen from outside (each
    later than the last, with a random element). Ingest stores a batch, then indexes it."""
    early = rng.uniform(0.4, 0.8)
    stored = rng.randrange(CABLES // 10, CABLES * 2 // 5)
    later = rng.randrange(CABLES // 2, CABLES * 4 // 5)
    return [
        ("0.2 s in", lambda m: m.elapsed >= 0.2),
        (f"{early:.2f} s in", lambda m: m.elapsed >= early),
        (f"{stored} cables stored", lambda m: m.cables >= stored),
        (f"{later} stored, index behind", lambda m: m.cables >= later > m.watermark),
        ("all stored, index behind", lambda m: m.cables == CABLES > m.watermark),
    ]


def ingest_process(corpus: Path, archive: Path) -> subprocess.Popen[bytes]:
    # Its own session, so that the test can see its helpers exit after the kill; output to
    # a file, not a pipe, which helpers left running would hold open.
    with (archive.parent / f"{archive.name}.log").open("ab") as log:
        return subprocess.Popen(
            [*COMMAND, str(corpus), "--archive", str(archive), "--workers", "2"],
            stdout=log,
            stderr=log,
            start_new_session=True,
        )


def complete(corpus: Path, archive: Path) -> None:
    process = ingest_process(corpus, archive)
    assert process.wait(timeout=120) == 0, (archive.parent / f"{archive.name}.log").read_text()


def observe(archive: Path, started: float) -> Moment:
    cables = watermark = 0
    database = archive / "archive.sqlite"
    if database.exists():
        try:
            with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
                cables = db.execute("SELECT count(*) FROM cables").fetchone()[0]
                found = db.execute("SELECT value FROM state").fetchone()
                watermark = found[0] if found else 0
            db.close()
        except sqlite3.OperationalError:
            pass  # still being created
    return Moment(time.perf_counter() - started, cables, watermark)


def run_until(corpus: Path, archive: Path, moment: Callable[[Moment], bool]) -> bool:
    """Run an ingest and SIGKILL it at the first moment ``moment`` holds; False when it
    finished first. Only the ingesting process is killed, as by ``kill -9 PID``; its
    helpers (fork server, workers) must then exit by themselves."""
    started = time.perf_counter()
    process = ingest_process(corpus, archive)
    while process.poll() is None:
        if moment(observe(archive, started)):
            process.kill()
            process.wait(timeout=60)
            assert_group_exits(process.pid)
            return True
        time.sleep(POLL_SECONDS)
    return False


def kill_at(corpus: Path, archive: Path, moment: Callable[[Moment], bool]) -> bool:
    """`run_until`, from the same starting state up to `ATTEMPTS` times; False when every
    attempt finished before the moment."""
    before = archive.with_name(f"{archive.name}.before")
    for _ in range(ATTEMPTS):
        shutil.rmtree(before, ignore_errors=True)
        if archive.exists():
            shutil.copytree(archive, before)
        if run_until(corpus, archive, moment):
            return True
        shutil.rmtree(archive)
        if before.exists():
            before.rename(archive)
    return False


def assert_group_exits(group: int) -> None:
    deadline = time.monotonic() + ORPHAN_SECONDS
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return
        time.sleep(POLL_SECONDS)
    os.killpg(group, signal.SIGKILL)  # do not leave them behind, then fail
    raise AssertionError(f"helpers of the killed ingest still ran {ORPHAN_SECONDS} s later")


def contents(archive_dir: Path) -> tuple[list[tuple[str, int, str]], dict[str, int], int]:
    with Archive.open(archive_dir) as archive:
        versions = [
            (v.cable_id, v.version, v.hash)
            for cable_id in archive.storage.ids()
            for v in archive.storage.versions(cable_id)
        ]
        ids = sorted({cable_id for cable_id, _, _ in versions})
        docs = {cable_id: archive.index.count_docs(cable_id) for cable_id in ids}
        return versions, docs, archive.index.count_docs()


def test_sigkill_at_any_moment_then_rerun_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "texts").mkdir(parents=True)
    for file in range(FILES):
        first = file * PER_FILE
        cables = [telegram(n) for n in range(first, first + PER_FILE)]
        write_jsonl(corpus / f"part{file}.jsonl", cables)
    for n in range(FILES * PER_FILE, CABLES):
        (corpus / "texts" / f"{n}.txt").write_text(telegram(n).text, encoding="utf-8")

    complete(corpus, tmp_path / "clean")
    crashed = tmp_path / "crashed"
    missed = [
        name
        for name, moment in kill_moments(random.Random(SEED))
        if not kill_at(corpus, crashed, moment)
    ]
    assert not missed, f"finished before the kill: {missed}"
    complete(corpus, crashed)

    expected_versions, expected_docs, expected_total = contents(tmp_path / "clean")
    versions, docs, total = contents(crashed)
    assert len(expected_versions) == CABLES
    assert len(set(versions)) == len(versions)
    assert versions == expected_versions
    assert docs == expected_docs
    assert total == expected_total
    with sqlite3.connect(crashed / "archive.sqlite") as db:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    db.close()
