"""The audit trail: appends, queries, the key and checkpoint files, and tampering done
behind the program's back with plain ``sqlite3`` and file operations, which `verify` must
name with the right seqs (issue 4, audit acceptance)."""

from __future__ import annotations

import hashlib
import hmac
import json
import multiprocessing
import os
import sqlite3
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cablegram.access.audit import AuditError, AuditLog, Tampering, VerifyReport, acting_as
from cablegram.access.audit_store import CHECKPOINT_SLOT

START = datetime(2010, 1, 1, 9, 0, tzinfo=UTC)


def ticking_clock(start: datetime = START) -> Callable[[], datetime]:
    """A clock that advances one minute per reading."""
    readings = iter(range(10**9))
    return lambda: start + timedelta(minutes=next(readings))


@dataclass
class Trail:
    """An archive directory and a key directory apart from it, with an open log."""

    archive: Path
    keys: Path
    log: AuditLog

    @property
    def db(self) -> Path:
        return self.archive / "audit.sqlite"

    def sql(self, *statements: str) -> None:
        """Tamper with the log behind the program's back."""
        with sqlite3.connect(self.db) as connection:
            for statement in statements:
                connection.execute(statement)
        connection.close()

    def rows(self) -> list[tuple[int, str, str, str, str, str, str, str]]:
        with sqlite3.connect(self.db) as connection:
            rows = connection.execute(
                "SELECT seq, timestamp, principal, action, target, detail, prev, mac"
                " FROM entries ORDER BY seq"
            ).fetchall()
        connection.close()
        return rows

    def checkpoint(self) -> Path:
        (path,) = self.keys.glob("*.head")
        return path

    def checkpoint_slots(self) -> list[dict[str, object]]:
        """The checkpoint file's two slots, as JSON (``{}`` for a blank slot)."""
        raw = self.checkpoint().read_bytes()
        assert len(raw) == 2 * CHECKPOINT_SLOT
        halves = (raw[:CHECKPOINT_SLOT], raw[CHECKPOINT_SLOT:])
        return [json.loads(half) if half.strip() else {} for half in halves]

    def latest_checkpoint(self) -> dict[str, object]:
        return max(self.checkpoint_slots(), key=lambda slot: int(str(slot.get("seq", 0))))

    def key(self) -> Path:
        (path,) = self.keys.glob("*.key")
        return path


def open_trail(root: Path, entries: int) -> Trail:
    archive, keys = root / "archive", root / "keys"
    log = AuditLog(archive, keys, clock=ticking_clock())
    for number in range(entries):
        principal = ("alice", "bob", "operator")[number % 3]
        log.record(principal, "read", f"07MOSCOW{1000 + number}", {"withheld": ["12 S"]})
    return Trail(archive, keys, log)


@pytest.fixture
def trail(tmp_path: Path) -> Iterator[Trail]:
    opened = open_trail(tmp_path, 10)
    yield opened
    opened.log.close()


def found(report: VerifyReport) -> set[tuple[Tampering, int | None, int | None]]:
    """(kind, first seq, last seq) of each problem; one seq is a range of one."""
    return {
        (problem.kind, problem.first, problem.first if problem.last is None else problem.last)
        for problem in report.problems
    }


# ---- appends and the intact chain ------------------------------------------------------


def test_intact_chain_verifies(trail: Trail) -> None:
    report = trail.log.verify()
    assert report.intact, report.problems
    assert (report.entries, report.head, report.checkpoint) == (10, 10, 10)


def test_empty_log_verifies(tmp_path: Path) -> None:
    with AuditLog(tmp_path / "archive", tmp_path / "keys") as log:
        report = log.verify()
    assert report.intact and report.entries == 0 and report.head is None


def test_record_returns_gapless_seqs_and_stores_the_entry(tmp_path: Path) -> None:
    with AuditLog(tmp_path / "archive", tmp_path / "keys", clock=ticking_clock()) as log:
        seqs = [log.record("alice", "search", "kislyak", {"hits": n}) for n in range(3)]
    assert seqs == [1, 2, 3]
    trail = Trail(tmp_path / "archive", tmp_path / "keys", log)
    first = trail.rows()[0]
    assert first[:6] == (
        1,
        "2010-01-01T09:00:00.000000Z",
        "alice",
        "search",
        "kislyak",
        '{"hits":0}',
    )


def test_macs_follow_the_documented_formula(trail: Trail) -> None:
    """mac = HMAC-SHA256(key, previous mac || canonical JSON of the entry), computed here
    independently from the stored rows and the key file."""
    key = trail.key().read_bytes()
    previous = "0" * 64
    for seq, timestamp, principal, action, target, detail, prev, mac in trail.rows():
        entry = {
            "seq": seq,
            "timestamp": timestamp,
            "principal": principal,
            "action": action,
            "target": target,
            "detail": json.loads(detail),
        }
        canonical = json.dumps(entry, sort_keys=True, separators=(",", ":")).encode()
        assert prev == previous
        assert mac == hmac.new(key, previous.encode() + canonical, hashlib.sha256).hexdigest()
        previous = mac


# ---- tampering behind the program's back ---------------------------------------------

ED, INS, DEL, REO, TRU = (
    Tampering.EDITED,
    Tampering.INSERTED,
    Tampering.DELETED,
    Tampering.REORDERED,
    Tampering.TRUNCATED,
)
SWAP_4_7 = (
    "UPDATE entries SET seq = -1 WHERE seq = 4",
    "UPDATE entries SET seq = 4 WHERE seq = 7",
    "UPDATE entries SET seq = 7 WHERE seq = -1",
)
FORGED_ROW = "'2010-01-01T10:00:00.000000Z', 'mallory', 'read', '07MOSCOW1002', '{}'"


@pytest.mark.parametrize(
    ("statements", "expected"),
    [
        pytest.param(
            ["UPDATE entries SET detail = '{\"withheld\":[]}' WHERE seq = 5"],
            {(ED, 5, 5)},
            id="edit-detail-middle",
        ),
        pytest.param(
            ["UPDATE entries SET principal = 'mallory' WHERE seq = 10"],
            {(ED, 10, 10)},
            id="edit-principal-last",
        ),
        pytest.param(
            [
                "UPDATE entries SET target = 'x', mac = (SELECT mac FROM entries WHERE seq = 2)"
                " WHERE seq = 6"
            ],
            {(ED, 6, 6)},
            id="edit-with-copied-mac",
        ),
        pytest.param(
            [
                f"INSERT INTO entries SELECT 11, {FORGED_ROW}, mac,"
                " (SELECT mac FROM entries WHERE seq = 9) FROM entries WHERE seq = 10"
            ],
            {(INS, 11, 11)},
            id="insert-at-end-with-plausible-mac",
        ),
        pytest.param(
            [
                "UPDATE entries SET seq = seq + 100 WHERE seq >= 5",
                "UPDATE entries SET seq = seq - 99 WHERE seq >= 100",
                f"INSERT INTO entries SELECT 5, {FORGED_ROW}, prev, mac FROM entries WHERE seq = 6",
            ],
            {(INS, 5, 5), (REO, 5, 10)},
            id="insert-in-middle-renumbering-the-rest",
        ),
        pytest.param(["DELETE FROM entries WHERE seq = 5"], {(DEL, 5, 5)}, id="delete-middle"),
        pytest.param(["DELETE FROM entries WHERE seq = 1"], {(DEL, 1, 1)}, id="delete-first"),
        pytest.param(
            ["DELETE FROM entries WHERE seq IN (3, 4, 5)"], {(DEL, 3, 5)}, id="delete-range"
        ),
        pytest.param(
            ["DELETE FROM entries WHERE seq = 5", "UPDATE entries SET seq = seq - 1 WHERE seq > 5"],
            {(DEL, 5, 5), (REO, 6, 10)},
            id="delete-and-close-the-gap",
        ),
        pytest.param(["DELETE FROM entries WHERE seq > 7"], {(TRU, 8, 10)}, id="truncate-tail"),
        pytest.param(["DELETE FROM entries"], {(TRU, 1, 10)}, id="truncate-everything"),
        pytest.param(list(SWAP_4_7), {(REO, 4, 4), (REO, 7, 7)}, id="swap-two-entries"),
    ],
)
def test_tampering_is_named_with_its_seqs(
    trail: Trail, statements: list[str], expected: set[tuple[Tampering, int, int]]
) -> None:
    trail.sql(*statements)
    report = trail.log.verify()
    assert not report.intact
    assert found(report) == expected


def recompute(trail: Trail, key: bytes) -> None:
    """Rewrite every MAC with ``key``, following the documented formula."""
    previous = "0" * 64
    with sqlite3.connect(trail.db) as connection:
        for seq, timestamp, principal, action, target, detail, _, _ in trail.rows():
            entry = {
                "seq": seq,
                "timestamp": timestamp,
                "principal": principal,
                "action": action,
                "target": target,
                "detail": json.loads(detail),
            }
            body = json.dumps(entry, sort_keys=True, separators=(",", ":")).encode()
            mac = hmac.new(key, previous.encode() + body, hashlib.sha256).hexdigest()
            connection.execute(
                "UPDATE entries SET prev = ?, mac = ? WHERE seq = ?", (previous, mac, seq)
            )
            previous = mac
    connection.close()


def test_chain_recomputed_without_the_key_is_named_once(trail: Trail) -> None:
    trail.sql("UPDATE entries SET principal = 'mallory' WHERE principal = 'alice'")
    recompute(trail, os.urandom(32))
    report = trail.log.verify()
    assert [problem.kind for problem in report.problems] == [Tampering.RECOMPUTED]
    assert "none of the 10 entries" in report.problems[0].message


def test_recomputing_with_the_real_key_is_not_tampering(trail: Trail) -> None:
    """The control for the test above: the recompute helper itself is faithful."""
    recompute(trail, trail.key().read_bytes())
    assert trail.log.verify().intact


def test_checkpoint_deleted(trail: Trail) -> None:
    trail.checkpoint().unlink()
    assert found(trail.log.verify()) == {(Tampering.CHECKPOINT_MISSING, None, None)}


def test_checkpoint_forged(trail: Trail) -> None:
    stored = trail.latest_checkpoint()
    stored["seq"] = 7
    trail.checkpoint().write_text(json.dumps(stored))
    trail.sql("DELETE FROM entries WHERE seq > 7")
    report = trail.log.verify()
    assert (Tampering.CHECKPOINT_FORGED, None, None) in found(report)
    assert report.checkpoint is None


def test_checkpoints_alternate_between_two_slots(trail: Trail) -> None:
    assert [slot["seq"] for slot in trail.checkpoint_slots()] == [10, 9]
    trail.log.record("alice", "read", "07MOSCOW1002")
    assert [slot["seq"] for slot in trail.checkpoint_slots()] == [10, 11]


def test_a_torn_checkpoint_write_leaves_the_one_before(trail: Trail) -> None:
    # A crash cut the write of entry 10's checkpoint short: slot 0 holds half of it.
    with trail.checkpoint().open("r+b") as file:
        file.write(b"x" * (CHECKPOINT_SLOT // 2))
    report = trail.log.verify()
    assert report.checkpoint == 9
    assert found(report) == {(Tampering.CHECKPOINT_BEHIND, None, None)}
    trail.log.record("alice", "read", "07MOSCOW1002")  # slot 1: entry 11
    report = trail.log.verify()
    assert report.intact, report.problems
    assert report.checkpoint == 11


def test_a_checkpoint_without_slots_is_read_then_rewritten_with_them(trail: Trail) -> None:
    """A checkpoint file written before the slots: one JSON object."""
    trail.checkpoint().write_text(json.dumps(trail.latest_checkpoint()))
    report = trail.log.verify()
    assert report.intact and report.checkpoint == 10, report.problems
    trail.log.record("alice", "read", "07MOSCOW1002")
    assert [slot.get("seq") for slot in trail.checkpoint_slots()] == [None, 11]
    report = trail.log.verify()
    assert report.intact and report.checkpoint == 11, report.problems


def test_a_checkpoint_file_without_a_verifying_slot_is_forged(trail: Trail) -> None:
    with trail.checkpoint().open("r+b") as file:
        file.write(b" " * CHECKPOINT_SLOT + b"y" * (CHECKPOINT_SLOT - 1) + b"\n")
    assert found(trail.log.verify()) == {(Tampering.CHECKPOINT_FORGED, None, None)}


def test_old_checkpoint_restored(trail: Trail) -> None:
    old = trail.checkpoint().read_bytes()
    trail.log.record("alice", "read", "07MOSCOW1002")
    trail.checkpoint().write_bytes(old)
    assert found(trail.log.verify()) == {(Tampering.CHECKPOINT_BEHIND, None, None)}


def test_truncation_stays_visible_after_later_appends(trail: Trail) -> None:
    trail.sql("DELETE FROM entries WHERE seq > 7")
    seq = trail.log.record("alice", "read", "07MOSCOW1002")
    assert seq == 11
    assert found(trail.log.verify()) == {(Tampering.DELETED, 8, 10)}


def test_a_head_forged_under_a_live_log_is_not_chained_from(trail: Trail) -> None:
    # The log remembers the entry it appended last; a head changed since (here its detail
    # and MAC, rewritten together) must be checked, not trusted, so the next entry chains
    # from the checkpoint and the forgery stays named.
    genuine = trail.latest_checkpoint()["mac"]
    trail.sql(f"UPDATE entries SET detail = '{{}}', mac = '{'f' * 64}' WHERE seq = 10")
    seq = trail.log.record("alice", "read", "07MOSCOW1002")
    assert seq == 11
    assert trail.rows()[-1][6] == genuine  # prev: the checkpoint's MAC, not the forged one
    assert found(trail.log.verify()) == {(Tampering.EDITED, 10, 10)}


def test_append_after_checkpoint_loss_records_an_anomaly(trail: Trail) -> None:
    trail.checkpoint().unlink()
    seq = trail.log.record("alice", "read", "07MOSCOW1002")
    assert seq == 12
    report = trail.log.verify()
    assert found(report) == {(Tampering.ANOMALY, 11, 11)}
    assert "checkpoint was missing while the log ran to seq 10" in report.problems[0].message


# ---- the key --------------------------------------------------------------------------


def test_key_is_private_and_lives_apart_from_the_archive(trail: Trail) -> None:
    key = trail.key()
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert len(key.read_bytes()) == 32
    assert not key.resolve().is_relative_to(trail.archive.resolve())
    archive_id = (trail.archive / "archive-id").read_text()
    assert key.name == f"{archive_id}.key"
    assert trail.log.key_path == key


def test_default_key_dir_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CABLEGRAM_KEY_DIR", str(tmp_path / "elsewhere"))
    with AuditLog(tmp_path / "archive") as log:
        log.record("alice", "login", "alice")
    assert log.key_path.parent == tmp_path / "elsewhere"
    assert log.key_path.exists()


def test_key_dir_inside_the_archive_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="apart from the log"):
        AuditLog(tmp_path / "archive", tmp_path / "archive" / "keys")


def test_missing_key_stops_appends_and_is_reported(trail: Trail) -> None:
    trail.key().unlink()
    with AuditLog(trail.archive, trail.keys) as reopened:
        with pytest.raises(AuditError, match="missing"):
            reopened.record("alice", "read", "07MOSCOW1002")
        assert found(reopened.verify()) == {(Tampering.KEY_MISSING, None, None)}
    assert not list(trail.keys.glob("*.key")), "a fresh key would fork the chain"


def test_damaged_archive_id_is_refused(trail: Trail) -> None:
    (trail.archive / "archive-id").write_text("../../etc/passwd")
    with pytest.raises(AuditError, match="archive identifier"):
        AuditLog(trail.archive, trail.keys)


# ---- queries --------------------------------------------------------------------------


@pytest.fixture
def queried(tmp_path: Path) -> Iterator[AuditLog]:
    with AuditLog(tmp_path / "archive", tmp_path / "keys", clock=ticking_clock()) as log:
        log.record("alice", "read", "07MOSCOW1002", {"withheld": ["12 S", "18 S"]})
        log.record("bob", "search", "07MOSCOW1002")
        log.record("bob", "read", "07MOSCOW1001")
        log.record("operator", "user.add", "carol", {"clearance": "SECRET"})
        log.record(acting_as("carol"), "read", "07MOSCOW1002")
        log.record("operatorx", "read", "07MOSCOW1002")
        yield log


def test_who_read_lists_the_reads_of_one_cable(queried: AuditLog) -> None:
    reads = queried.who_read("07MOSCOW1002")
    assert [(e.seq, e.principal) for e in reads] == [
        (1, "alice"),
        (5, "operator as carol"),
        (6, "operatorx"),
    ]
    assert json.loads(reads[0].detail) == {"withheld": ["12 S", "18 S"]}


def test_entries_by_user_action_and_time(queried: AuditLog) -> None:
    assert [e.seq for e in queried.entries(user="bob")] == [2, 3]
    assert [e.seq for e in queried.entries(user="operator")] == [4, 5]
    assert [e.seq for e in queried.entries(action="read")] == [1, 3, 5, 6]
    assert [e.seq for e in queried.entries(user="bob", action="read")] == [3]
    since = START + timedelta(minutes=3)
    assert [e.seq for e in queried.entries(since=since)] == [4, 5, 6]
    assert [e.seq for e in queried.entries(since=date(2010, 1, 2))] == []
    assert len(queried.entries()) == 6


# ---- several processes appending at once ----------------------------------------------


def append_many(
    archive: str, keys: str, worker: int, count: int, start: Barrier, results: Queue[list[int]]
) -> None:
    with AuditLog(Path(archive), Path(keys)) as log:
        start.wait()
        results.put([log.record(f"worker{worker}", "read", f"C{n}") for n in range(count)])


def test_concurrent_appends_keep_the_chain(tmp_path: Path) -> None:
    archive, keys = tmp_path / "archive", tmp_path / "keys"
    AuditLog(archive, keys).close()
    workers, count = 3, 80
    total = workers * count
    context = multiprocessing.get_context("spawn")
    # The verifier is a party too: it starts when the appends do, not after them.
    start, results = context.Barrier(workers + 1), context.Queue()
    processes = [
        context.Process(
            target=append_many, args=(str(archive), str(keys), w, count, start, results)
        )
        for w in range(workers)
    ]
    for process in processes:
        process.start()
    # Verifying while the others append must see a consistent log and checkpoint.
    during: list[VerifyReport] = []
    deadline = time.monotonic() + 60
    with AuditLog(archive, keys) as log:
        start.wait()
        while time.monotonic() < deadline and (not during or during[-1].entries < total):
            during.append(log.verify())
    per_worker = [results.get(timeout=60) for _ in processes]
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    seqs = sorted(seq for result in per_worker for seq in result)
    assert seqs == list(range(1, total + 1))
    # The appends really raced: some worker's seqs are not one contiguous block.
    assert any(result[-1] - result[0] >= count for result in per_worker)
    assert [report.problems for report in during if not report.intact] == []
    assert any(0 < report.entries < total for report in during), "verify ran alone"
    with AuditLog(archive, keys) as log:
        report = log.verify()
    assert report.intact, report.problems
    assert report.checkpoint == total


# ---- property: any one tampering of any log is reported --------------------------------


@st.composite
def tamperings(draw: st.DrawFn) -> tuple[int, str, tuple[int, ...], Tampering]:
    """(entries, how, arguments, what verify must report covering the seqs in arguments)."""
    size = draw(st.integers(1, 12))
    how = draw(
        st.sampled_from(
            [
                "edit",
                "forge-mac",
                "insert",
                "insert-renumbering",
                "delete",
                "delete-renumbering",
                "truncate",
                "swap",
                "recompute",
                "checkpoint",
            ]
        )
    )
    seq = draw(st.integers(1, size))
    if how == "edit":
        columns = ["timestamp", "principal", "action", "target", "detail", "prev"]
        column = draw(st.sampled_from(columns))
        return size, f"edit:{column}", (seq,), Tampering.EDITED
    if how == "forge-mac":
        return size, how, (seq,), Tampering.EDITED
    if how == "insert":
        return size, how, (size + 1,), Tampering.INSERTED
    if how == "insert-renumbering":
        return size, how, (seq,), Tampering.INSERTED
    if how in ("delete", "delete-renumbering"):
        return size, how, (seq,), Tampering.DELETED if seq < size else Tampering.TRUNCATED
    if how == "truncate":
        return size, how, (seq,), Tampering.TRUNCATED
    if how == "swap" and size > 1:
        other = draw(st.integers(1, size).filter(lambda s: s != seq))
        return size, how, (seq, other), Tampering.REORDERED
    if how == "recompute":
        # A log of one entry whose MAC was rewritten is reported as that entry, edited.
        return (
            (size, how, (), Tampering.RECOMPUTED) if size > 1 else (1, how, (1,), Tampering.EDITED)
        )
    return size, "checkpoint", (), Tampering.CHECKPOINT_FORGED


def apply(trail: Trail, how: str, arguments: tuple[int, ...]) -> None:
    if how.startswith("edit:"):
        column = how.split(":")[1]
        trail.sql(f"UPDATE entries SET {column} = {column} || 'x' WHERE seq = {arguments[0]}")
    elif how == "forge-mac":
        trail.sql(f"UPDATE entries SET mac = '{os.urandom(32).hex()}' WHERE seq = {arguments[0]}")
    elif how == "insert":
        trail.sql(
            f"INSERT INTO entries SELECT {arguments[0]}, timestamp, 'mallory', action, target,"
            f" detail, mac, '{os.urandom(32).hex()}' FROM entries WHERE seq = {arguments[0] - 1}"
        )
    elif how == "insert-renumbering":
        (seq,) = arguments
        trail.sql(
            f"UPDATE entries SET seq = -seq WHERE seq >= {seq}",
            "UPDATE entries SET seq = 1 - seq WHERE seq < 0",
            f"INSERT INTO entries SELECT {seq}, timestamp, 'mallory', action, target, detail,"
            f" prev, mac FROM entries WHERE seq = {seq + 1}",
        )
    elif how == "delete":
        trail.sql(f"DELETE FROM entries WHERE seq = {arguments[0]}")
    elif how == "delete-renumbering":
        (seq,) = arguments
        trail.sql(
            f"DELETE FROM entries WHERE seq = {seq}",
            f"UPDATE entries SET seq = -seq WHERE seq > {seq}",
            "UPDATE entries SET seq = -1 - seq WHERE seq < 0",
        )
    elif how == "truncate":
        trail.sql(f"DELETE FROM entries WHERE seq >= {arguments[0]}")
    elif how == "swap":
        first, second = arguments
        trail.sql(
            f"UPDATE entries SET seq = -1 WHERE seq = {first}",
            f"UPDATE entries SET seq = {first} WHERE seq = {second}",
            f"UPDATE entries SET seq = {second} WHERE seq = -1",
        )
    elif how == "recompute":
        recompute(trail, os.urandom(32))
    else:
        trail.checkpoint().write_text('{"archive": "x", "seq": 1, "mac": "0", "tag": "0"}')


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tamperings())
def test_any_single_tampering_is_reported(
    tampering: tuple[int, str, tuple[int, ...], Tampering],
) -> None:
    size, how, arguments, kind = tampering
    with tempfile.TemporaryDirectory() as root:
        trail = open_trail(Path(root), size)
        try:
            assert trail.log.verify().intact
            apply(trail, how, arguments)
            report = trail.log.verify()
        finally:
            trail.log.close()
    problems = [p for p in report.problems if p.kind is kind]
    assert problems, (how, arguments, report.problems)
    for seq in arguments:
        assert any(
            p.first is not None and p.first <= seq <= (p.last or p.first) for p in problems
        ), (
            how,
            arguments,
            report.problems,
        )
