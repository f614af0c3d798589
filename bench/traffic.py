"""Benchmark of the traffic issue: release and dispatch to ten addressees each, durable, on
the embedded store, beside a bare insert of the same rows.

**Cables.** `CABLES` cleared drafts (``--cables N``) from Embassy Moscow, each to SECSTATE
and nine information addressees (NSC, SECDEF, JOINT STAFF, DOE, Treasury, USNATO, USUN,
UNVIE, London): ten offices, four MCN sequences. Their text comes from synthetic cables
(`cablegram.synth.generate`, seed `SEED`, dated 2007-2009 like the release: realistic
length, markings, TAGS, captions, references), taken through the draft format. The
drafts are written straight into the store as cleared (drafting and clearance are not
what is measured).

**Runs** (one process, but for the last). (1) **Release**: `cablegram.traffic.release` in groups of
`GROUP` drafts, one transaction each (group commit): counters, composition (writer,
reader, render-back check, linter), the cable, ten outbox rows, the draft's state and the
audit entries, committed with ``synchronous=FULL`` (on disk when COMMIT returns) before
the release returns, then the audit entries appended to the audit trail. (2) **Deliver**:
the dispatcher's delivery stage (`Dispatcher.deliver`): every outbox row into its queue
with its notification, in batches of `cablegram.traffic.dispatch.BATCH`. Release plus
delivery is the figure the target (at least 200 cables/s) applies to. (3) **Archive
copy** of the SIPDIS cables (`Dispatcher.archive`: archive storage, distribution, search
index), a later stage of the dispatcher that no delivery waits for, reported apart. (4)
**Bare insert**: the same rows (cable, outbox, queue and notification rows) inserted with
plain SQL into the same schema with the same pragmas and the same transaction size: what
the storage alone costs. Also: release one draft per transaction (no group commit), on
`UNGROUPED` drafts; and release by one process per post (`POSTS`) at once, `PARALLEL`
drafts in all, which shows how releases from several processes add up (each composes
outside the write lock).

``python -m bench.traffic`` runs it and writes its section of ``docs/performance.md``.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from rich.console import Console

from bench.report import Machine, measured_on, this_machine, write_section
from cablegram.access import Role
from cablegram.access.decision import CHANNELS, ELIGIBILITY_CAVEATS
from cablegram.access.users import SqliteUserStore, User
from cablegram.model import Level, Precedence
from cablegram.synth import Options, generate
from cablegram.traffic import (
    Actor,
    AddressBook,
    DraftContent,
    DraftError,
    Released,
    SettableClock,
    Traffic,
    content_from_cable,
    release,
)
from cablegram.traffic.compose import compose
from cablegram.traffic.dispatch import Dispatcher
from cablegram.traffic.drafts import DraftState
from cablegram.traffic.records import ReleasedRecord
from cablegram.traffic.store import DATABASE_NAME, TrafficStore

NAME = "traffic"
CABLES = 2_000
GROUP = 25
UNGROUPED = 200
PARALLEL = 1_000
POSTS = ("MOSCOW", "PARIS")
SEED = 6
TARGET = 200.0
RELEASE_TIME = datetime(2009, 6, 1, 9, 0, tzinfo=UTC)
TO = ("SECSTATE",)
INFO = (
    "NSC",
    "SECDEF",
    "JOINT STAFF",
    "DEPT OF ENERGY",
    "DEPT OF TREASURY",
    "USNATO",
    "USUN",
    "UNVIE",
    "LONDON",
)


@dataclass(frozen=True)
class Rates:
    cables: int
    release_seconds: float
    deliver_seconds: float
    archive_seconds: float
    archived: int
    bare_seconds: float
    ungrouped_cables: int
    ungrouped_seconds: float
    release_cpu: float
    deliver_cpu: float
    parallel_seconds: float
    load: float
    """The machine's one-minute load average at the end of the run."""

    @property
    def end_to_end(self) -> float:
        return self.cables / (self.release_seconds + self.deliver_seconds)


def drafts(count: int) -> list[DraftContent]:
    """Draft contents from synthetic cables, addressed to the ten offices; cables whose
    content no draft may have are left out (an unmarked numbered paragraph, a NODIS or
    EXDIS caption without named recipients ...)."""
    book = AddressBook()
    found: list[DraftContent] = []
    options = Options(seed=SEED, start=date(2007, 1, 1), end=date(2009, 5, 31))
    for synthetic in generate(count * 3, options):
        draft = replace(
            content_from_cable(synthetic.cable, origin="MOSCOW"),
            to=TO,
            info=INFO,
            precedence=Precedence.PRIORITY,
            info_precedence=None,
            recipients=(),
        )
        if draft.declassify:
            draft = replace(draft, declassify="06/01/2019")
        try:
            if compose(draft, book, RELEASE_TIME, 1, {}).errors:
                continue
        except DraftError:
            continue
        found.append(draft)
        if len(found) == count:
            return found
    raise RuntimeError("too few synthetic cables with a draft form")


def prepare(directory: Path, contents: list[DraftContent]) -> list[int]:
    """Users, and the drafts written into the store as cleared."""
    users = SqliteUserStore(directory)
    offices = frozenset(POSTS)
    users.add(
        User(
            "releaser",
            Level.TOP_SECRET,
            roles=frozenset({Role.RELEASER}),
            offices=offices,
            channels=frozenset(CHANNELS),  # the synthetic cables carry every caption
            caveats=ELIGIBILITY_CAVEATS,
        )
    )
    users.close()
    store = TrafficStore(directory)
    ids = []
    with store.write():
        for draft in contents:
            draft_id = store.add_draft("MOSCOW", "drafter", draft.to_json(), [], "2009-06-01")
            store.set_clearers(draft_id, ["clearer"])
            store.set_clearance(draft_id, "clearer", "cleared", None, "2009-06-01")
            store.set_state(draft_id, DraftState.CLEARED.value, "2009-06-01")
            ids.append(draft_id)
    store.close()
    return ids


def measure(cables: int, console: Console) -> Rates:
    contents = drafts(cables + UNGROUPED + PARALLEL)
    parallel = [
        replace(draft, origin=POSTS[n % len(POSTS)]) for n, draft in enumerate(contents[-PARALLEL:])
    ]
    contents = contents[:-PARALLEL] + parallel
    with tempfile.TemporaryDirectory(prefix="bench-traffic-") as scratch:
        root = Path(scratch)
        os.environ.setdefault("CABLEGRAM_KEY_DIR", str(root / "keys"))
        directory = root / "archive"
        directory.mkdir()
        ids = prepare(directory, contents)
        grouped, single = ids[:cables], ids[cables : cables + UNGROUPED]
        by_post = [ids[cables + UNGROUPED + n :: len(POSTS)] for n in range(len(POSTS))]
        with Traffic(directory, clock=SettableClock(RELEASE_TIME)) as traffic:
            releaser = traffic.principal("releaser")
            assert releaser is not None
            actor = Actor.of(releaser)
            done: list[Released] = []
            with timed() as release_time:
                for start in range(0, len(grouped), GROUP):
                    done += release(traffic, actor, grouped[start : start + GROUP])
            dispatcher = Dispatcher(traffic)
            with timed() as deliver_time:
                delivered = dispatcher.deliver()
            # Ten offices each, and the bureaus that passing instructions name.
            assert delivered == sum(len(item.recipients) for item in done), delivered
            with timed() as archive_time:
                archived = dispatcher.archive()
            with timed() as single_time:
                for draft_id in single:
                    release(traffic, actor, [draft_id])
            records = [traffic.store.released(item.cable_id) for item in done]
        parallel_seconds = parallel_release(directory, by_post)
        console.print(f"released {len(done)}, delivered {delivered}, archived {archived}")
        bare = bare_insert(root / "bare", [r for r in records if r is not None], done)
    return Rates(
        cables,
        release_time[0],
        deliver_time[0],
        archive_time[0],
        archived,
        bare,
        len(single),
        single_time[0],
        release_time[1],
        deliver_time[1],
        parallel_seconds,
        os.getloadavg()[0],
    )


def parallel_release(directory: Path, by_post: list[list[int]]) -> float:
    """Seconds for one process per post to release its drafts, all at once (each process
    composes outside the write lock; the posts' counters do not meet)."""
    context = multiprocessing.get_context("spawn")
    start, ready = context.Event(), context.Queue()
    workers = [
        context.Process(target=_release_worker, args=(str(directory), ids, start, ready))
        for ids in by_post
    ]
    for worker in workers:
        worker.start()
    for _ in workers:
        ready.get(timeout=120)
    began = time.perf_counter()
    start.set()
    for worker in workers:
        worker.join()
        assert worker.exitcode == 0
    return time.perf_counter() - began


def _release_worker(directory: str, ids: list[int], start: Any, ready: Any) -> None:
    with Traffic(Path(directory), clock=SettableClock(RELEASE_TIME)) as traffic:
        releaser = traffic.principal("releaser")
        assert releaser is not None
        ready.put(True)
        start.wait()
        for first in range(0, len(ids), GROUP):
            release(traffic, Actor.of(releaser), ids[first : first + GROUP])


def bare_insert(directory: Path, records: list[ReleasedRecord], done: list[Released]) -> float:
    """Seconds to insert the rows of the released cables with plain SQL, ``GROUP`` cables a
    commit: the draft's row, the cable's, and an outbox, queue and notification row for
    each recipient."""
    directory.mkdir()
    TrafficStore(directory).close()  # the same schema and pragmas, then a plain connection
    db = sqlite3.connect(directory / DATABASE_NAME, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = FULL")
    at = RELEASE_TIME.isoformat()
    rows = [_rows(record, item) for record, item in zip(records, done, strict=True)]
    with timed() as elapsed:
        for start in range(0, len(rows), GROUP):
            db.execute("BEGIN IMMEDIATE")
            for released, recipients in rows[start : start + GROUP]:
                db.execute(
                    "INSERT INTO drafts (id, origin, drafter, state, content, findings, revision,"
                    " created, updated) VALUES (?, 'MOSCOW', 'd', 'released', '{}', '[]', 1, ?, ?)",
                    (released[1], at, at),
                )
                db.execute(
                    "INSERT INTO released VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", released
                )
                db.executemany(
                    "INSERT INTO outbox (cable_id, kind, recipient, precedence, urgency, done_at)"
                    " VALUES (?, 'office', ?, 'PRIORITY', 1, ?)",
                    [(released[0], name, at) for name in recipients],
                )
                db.executemany(
                    "INSERT INTO deliveries (cable_id, kind, recipient, precedence, urgency,"
                    " delivered_at) VALUES (?, 'office', ?, 'PRIORITY', 1, ?)",
                    [(released[0], name, at) for name in recipients],
                )
                db.executemany(
                    "INSERT INTO notifications (cable_id, kind, recipient, event, at)"
                    " VALUES (?, 'office', ?, 'delivered', ?)",
                    [(released[0], name, at) for name in recipients],
                )
            db.execute("COMMIT")
    db.close()
    return elapsed[0]


def _rows(record: ReleasedRecord, item: Released) -> tuple[tuple[object, ...], list[str]]:
    released = (
        record.cable_id,
        record.draft_id,
        record.origin,
        record.year,
        record.serial,
        record.dtg,
        record.urgency,
        record.text,
        record.cable_json,
        json.dumps(sorted(record.distribution)),
        record.released_by,
    )
    return released, [recipient.name for recipient in item.recipients]


@contextmanager
def timed() -> Iterator[list[float]]:
    """[wall seconds, CPU seconds of this process] of the block."""
    elapsed = [0.0, 0.0]
    start, cpu = time.perf_counter(), time.process_time()
    yield elapsed
    elapsed[0] = time.perf_counter() - start
    elapsed[1] = time.process_time() - cpu


def section(rates: Rates, machine: Machine, day: date) -> str:
    n = rates.cables

    def row(what: str, seconds: float, count: int) -> str:
        return f"| {what} | {seconds:.2f} s | {count / seconds:,.0f} |"

    bare_rate = n / rates.bare_seconds
    met = "met" if rates.end_to_end >= TARGET else "**not met**"
    archived = max(rates.archived, 1)
    return "\n".join(
        [
            "## Traffic: release and dispatch",
            "",
            f"_{measured_on(machine, day)}; one process (but for the two-process row), "
            "`traffic.sqlite` with "
            "`synchronous=FULL` on the machine's disk._",
            "",
            f"{n:,} cables from Moscow to ten offices each (`bench/traffic.py`), text from "
            f"synthetic cables; releases committed {GROUP} to a transaction (group commit), "
            "each on disk before it is returned.",
            "",
            "| stage | time | cables/s |",
            "|---|---:|---:|",
            row("release (number, compose, lint, commit, audit)", rates.release_seconds, n),
            row("deliver (ten queue rows and notifications each)", rates.deliver_seconds, n),
            row("**release + deliver**", rates.release_seconds + rates.deliver_seconds, n),
            row(f"bare insert of the same rows ({GROUP} cables a commit)", rates.bare_seconds, n),
            row(
                f"release, {len(POSTS)} processes, one post each ({PARALLEL} drafts)",
                rates.parallel_seconds,
                PARALLEL,
            ),
            row(
                f"release, one draft a transaction ({rates.ungrouped_cables} drafts)",
                rates.ungrouped_seconds,
                rates.ungrouped_cables,
            ),
            row(
                f"archive copy, later stage ({rates.archived:,} SIPDIS cables)",
                rates.archive_seconds,
                archived,
            ),
            "",
            f"Release + deliver runs at {rates.end_to_end:,.0f} cables/s, "
            f"{rates.end_to_end / bare_rate:.2f} of the bare insert's {bare_rate:,.0f}. "
            f"Target ≥ {TARGET:.0f} cables/s release + deliver: {met}. CPU time of the "
            f"process: {1000 * rates.release_cpu / n:.1f} ms a release, "
            f"{1000 * rates.deliver_cpu / n:.1f} ms a delivery of ten; load average "
            f"{rates.load:.1f} on {machine.cores} cores at the end of the run (figures from "
            "a busy machine understate the rates).",
        ]
    )


def benchmark(console: Console, cables: int = CABLES) -> str:
    rates = measure(cables, console)
    body = section(rates, this_machine(), date.today())
    console.print(body)
    return body


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cables", type=int, default=CABLES)
    parser.add_argument("--no-write", action="store_true", help="Print only.")
    args = parser.parse_args()
    body = benchmark(Console(), args.cables)
    if not args.no_write:
        write_section(NAME, body)


if __name__ == "__main__":
    main()
