"""Real processes: numbering under concurrent releases, and SIGKILL at random moments.

1. Four processes release the same twenty cleared drafts (each tries every draft, in its
   own order; a draft another process released is skipped), two with the clock at the last
   minute of 2010 and two at the first minute of 2011, from two posts. Every draft is
   released once, and the serials of each post and year, and the MCNs of each post's
   sequence to each State addressee, run 1, 2, 3 ... without gap or repeat.
2. A releasing process (``traffic_worker.py``) and the dispatcher (``cablegram traffic
   dispatch --follow`` with small batches) run side by side and are both killed with
   SIGKILL, five times over, then run to completion. Each round the releaser gets ten
   drafts (eight to release, two released already) and is killed at a seeded random
   moment after two to five more releases (plus up to 30 ms), and the dispatcher up to 50 ms after its first
   new delivery (inside a delivery batch, the archive copy, the index commit or the audit
   append), both seen from outside through SQLite. Every draft
   is released once with all its outbox rows, every outbox row is delivered exactly once
   (one queue row and one notification), every SIPDIS cable is archived once with its
   distribution, the audit trail verifies and holds every release, and SQLite's integrity
   checks pass.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import pytest
from traffic_helpers import START, cleared, content

from cablegram.archive import Archive
from cablegram.model import Precedence
from cablegram.read import parse
from cablegram.traffic import AddressBook, DraftContent, SettableClock, Traffic
from cablegram.traffic.clock import CLOCK_VARIABLE
from cablegram.traffic.routing import plan

pytestmark = pytest.mark.slow

WORKER = Path(__file__).with_name("traffic_worker.py")
CABLEGRAM = [sys.executable, "-c", "from cablegram.cli import main; main()"]
SEED = 20070309
POLL_SECONDS = 0.005
ROUNDS = 5
DRAFTS = 48


def release_process(
    directory: Path, seed: int, ids: list[int], clock: str
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WORKER), str(directory), str(seed), *map(str, ids)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, CLOCK_VARIABLE: clock},
    )


def dispatch_process(directory: Path, *mode: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*CABLEGRAM, "traffic", "dispatch", "--archive", str(directory), "--batch", "3",
         "--interval", "0.02", *mode],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, CLOCK_VARIABLE: "2010-03-01T12:30Z"},
    )  # fmt: skip


class Progress:
    """What the processes have done, seen from outside through SQLite."""

    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(path)

    def counts(self) -> tuple[int, int, int]:
        """(cables released, deliveries made, outbox rows still to do: deliveries and
        archive copies)."""
        released = self._db.execute("SELECT count(*) FROM released").fetchone()[0]
        delivered = self._db.execute("SELECT count(*) FROM deliveries").fetchone()[0]
        pending = self._db.execute("SELECT count(*) FROM outbox WHERE done_at IS NULL")
        pending = pending.fetchone()[0]
        return int(released), int(delivered), int(pending)

    def released_drafts(self) -> set[int]:
        return {row[0] for row in self._db.execute("SELECT draft_id FROM released")}

    def wait(self, done: Callable[[int, int, int], bool], process: subprocess.Popen[str]) -> None:
        """Until ``done(*counts)`` or the process has ended."""
        deadline = time.monotonic() + 60
        while not done(*self.counts()) and process.poll() is None:
            assert time.monotonic() < deadline, "no progress"
            time.sleep(POLL_SECONDS)

    def close(self) -> None:
        self._db.close()


def drafts(directory: Path, variants: list[DraftContent]) -> list[int]:
    with Traffic(directory, clock=SettableClock(START)) as traffic:
        return [cleared(traffic, draft) for draft in variants]


def test_numbering_is_gapless_and_unique_under_concurrent_releases(archive_dir: Path) -> None:
    variants = [content(info=("NSC", "USNATO")) for _ in range(12)]
    variants += [content(origin="PARIS", info=("USNATO",)) for _ in range(8)]
    ids = drafts(archive_dir, variants)
    clocks = ["2010-12-31T23:59Z", "2010-12-31T23:59Z", "2011-01-01T00:00Z", "2011-01-01T00:00Z"]
    processes = [release_process(archive_dir, n, ids, clock) for n, clock in enumerate(clocks)]
    lines = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        lines += [json.loads(line) for line in out.splitlines()]
    assert sorted(line["draft"] for line in lines) == sorted(ids)
    with Traffic(archive_dir) as traffic:
        cables = [parse(record.text) for record in map(traffic.store.released, traffic.store.released_ids()) if record]  # fmt: skip
    assert len(cables) == len(ids)
    serials: dict[tuple[str, int], list[int]] = defaultdict(list)
    mcns: dict[tuple[str, str], list[int]] = defaultdict(list)
    for cable in cables:
        assert cable.origin is not None and cable.dtg is not None and cable.serial is not None
        serials[(cable.origin, cable.dtg.year)].append(cable.serial)
        for addressee in (*cable.to, *cable.info):
            if addressee.mcn is not None:
                mcns[(cable.origin, addressee.address)].append(addressee.mcn)
    for numbers in (*serials.values(), *mcns.values()):
        assert sorted(numbers) == list(range(1, len(numbers) + 1))
    assert sum(len(n) for (origin, _), n in serials.items() if origin == "MOSCOW") == 12
    assert {key for key in mcns} == {
        ("MOSCOW", "SECSTATE WASHDC"),
        ("MOSCOW", "USMISSION USNATO"),
        ("PARIS", "SECSTATE WASHDC"),
        ("PARIS", "USMISSION USNATO"),
    }
    assert len(mcns[("MOSCOW", "USMISSION USNATO")]) == 12  # across the new year


def test_killed_releaser_and_dispatcher_lose_nothing_and_repeat_nothing(archive_dir: Path) -> None:
    rng = random.Random(SEED)
    variants = []
    for n in range(DRAFTS):
        info = rng.sample(["NSC", "USNATO", "SECDEF", "JOINT STAFF", "CHINA POSTS COLLECTIVE"], 3)
        captions = ("SIPDIS",) if n % 3 else ()
        precedence = rng.choice([Precedence.ROUTINE, Precedence.PRIORITY, Precedence.IMMEDIATE])
        variants.append(content(info=tuple(info), captions=captions, precedence=precedence))
    ids = drafts(archive_dir, variants)
    clock = "2010-03-01T12:15Z"
    progress = Progress(archive_dir / "traffic.sqlite")
    cut_short = {"releaser": 0, "dispatcher": 0}  # kills that left work undone
    for round_ in range(ROUNDS):
        released_before, delivered_before, _ = progress.counts()
        # Eight drafts not yet released and two released already (which it skips): the
        # releaser still has work when it is killed, two to five releases in.
        done = progress.released_drafts()
        waiting = [i for i in ids if i not in done]
        batch = rng.sample(waiting, 8) + rng.sample(sorted(done), min(2, len(done)))
        releaser = release_process(archive_dir, round_, batch, clock)
        dispatcher = dispatch_process(archive_dir, "--follow")
        # Kill each at a random moment after it was seen (from outside) to work: the
        # releaser after a few releases, then the dispatcher soon after its first delivery.
        target = released_before + rng.randint(2, 5)
        progress.wait(lambda released, *_, at_least=target: released >= at_least, releaser)
        time.sleep(rng.uniform(0.0, 0.03))
        cut_short["releaser"] += releaser.poll() is None
        releaser.send_signal(signal.SIGKILL)
        releaser.communicate(timeout=30)  # reaps it and closes its pipes
        progress.wait(
            lambda _, delivered, pending, before=delivered_before: (
                delivered > before or not pending
            ),
            dispatcher,
        )
        time.sleep(rng.uniform(0.0, 0.05))
        dispatcher.send_signal(signal.SIGKILL)
        dispatcher.communicate(timeout=30)
        cut_short["dispatcher"] += progress.counts()[2] > 0
    progress.close()
    # A busy machine may let a process finish before its kill; most kills must cut it short.
    assert cut_short["releaser"] >= 3 and cut_short["dispatcher"] >= 2, cut_short
    finish = release_process(archive_dir, 99, ids, clock)
    _, err = finish.communicate(timeout=120)
    assert finish.returncode == 0, err
    done = dispatch_process(archive_dir, "--once")
    _, err = done.communicate(timeout=120)
    assert done.returncode == 0, err

    book = AddressBook()
    with Traffic(archive_dir) as traffic:
        store = traffic.store
        records = [store.released(cable_id) for cable_id in store.released_ids()]
        assert len(records) == len(ids)
        assert sorted(r.serial for r in records if r) == list(range(1, len(ids) + 1))
        assert store.outbox_counts()["office"][0] == 0  # nothing pending
        sipdis = 0
        for record in records:
            assert record is not None
            draft = store.draft(record.draft_id)
            assert draft is not None and draft.cable_id == record.cable_id
            expected = {
                (r.kind, r.name)
                for r in plan(DraftContent.from_json(draft.content), book).recipients()
            }
            delivered = {(d.kind, d.recipient) for d in store.deliveries_of(record.cable_id)}
            assert delivered == expected, record.cable_id
            sipdis += "SIPDIS" in parse(record.text).captions
    with sqlite3.connect(archive_dir / "traffic.sqlite") as db:
        outbox = db.execute("SELECT count(*) FROM outbox WHERE kind != 'archive'").fetchone()[0]
        deliveries = db.execute("SELECT count(*) FROM deliveries").fetchone()[0]
        notices = db.execute(
            "SELECT count(*) FROM notifications WHERE event = 'delivered'"
        ).fetchone()[0]
        assert outbox == deliveries == notices
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with Archive.open(archive_dir) as archive:
        assert archive.storage.count() == sipdis == DRAFTS * 2 // 3
        watermark, documents = archive.storage.index_watermark(), archive.index.count_docs()
        for cable_id in archive.storage.ids():
            versions = archive.storage.versions(cable_id)
            assert [v.version for v in versions] == [1]
            assert archive.storage.distribution(cable_id)
            seq = versions[0].seq
            assert archive.index.count_docs(cable_id) > 0, (cable_id, seq, watermark, documents)
    with Traffic(archive_dir) as traffic:
        assert traffic.audit.verify().intact
        releases = {e.target for e in traffic.audit.entries(action="traffic.release")}
        assert len(releases) == len(ids)
