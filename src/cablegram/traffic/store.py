"""The traffic store: ``traffic.sqlite`` in the archive directory (issue 6, item 5).

Tables: ``drafts`` (content as JSON, state, lint findings of the last save, a revision
bumped by every edit), ``clearances`` (the named clearers of a draft and what each did),
``events`` (a draft's history: submissions, clearances, returns with their comments),
``serials`` and ``mcns`` (the counters), ``released`` (each released cable: telegram text,
model as JSON, distribution), ``outbox`` (work the dispatcher owes: one row per recipient
and one for the archive copy), ``deliveries`` (the office and personal queues, with
acknowledgement and escalation), ``notifications`` (what subscribers are told) with a
``cursors`` row per subscriber, and ``audit_outbox`` (audit entries not yet appended).

Durability and concurrency:

* **WAL, ``synchronous=FULL``**: a transaction is on disk when COMMIT returns, so a
  release is durable before it is acknowledged (a power cut loses nothing acknowledged).
  Group commit (`TrafficStore.write` around several releases) shares one sync.
* **``BEGIN IMMEDIATE``** for every write: the write lock is taken first, so concurrent
  releases from several processes queue instead of failing on a lock upgrade, and
  counters read and written in one transaction are gapless and unique. cablegram's
  writers queue on a file lock (``traffic.lock``, ``flock``) before ``BEGIN IMMEDIATE``,
  so a waiting writer starts the moment the lock is free instead of polling
  (``busy_timeout`` remains for anything else that writes). The
  ``released`` table's UNIQUE (origin, year, serial) makes a duplicate impossible even if a
  counter were wrongly preset.
* **Exactly once.** A release writes the cable, its outbox rows, its counters, the draft's
  new state and its audit entries in one transaction: all or nothing. The dispatcher moves
  an outbox row into a queue and marks it done in one transaction; the queue's key
  (cable, kind, recipient) and the notifications' key (cable, kind, recipient, event)
  make a repeated move harmless. So a process killed at any instant loses no delivery and
  makes none twice.
* **Audit.** Entries are written to ``audit_outbox`` in the transaction of the step they
  record, then appended to the tamper-evident trail (`flush_audit`) after the commit, by
  the process or, if it died, by the next one (the dispatcher flushes on every pass).
  A crash between the append and the row's deletion repeats the entry, with the same
  ``event`` number in its detail: the trail may hold an entry twice, never miss one.
* ``PRAGMA user_version`` carries the schema version (`cablegram.traffic.schema`); the
  rows come back as the records of `cablegram.traffic.records`.
"""

from __future__ import annotations

import fcntl
import json
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from cablegram.access.audit import AuditLog
from cablegram.traffic.records import (
    ClearanceRecord,
    DeliveryRecord,
    DraftRecord,
    EventRecord,
    NotificationRecord,
    OutboxRow,
    ReleasedRecord,
)
from cablegram.traffic.schema import SCHEMA, SCHEMA_VERSION

DATABASE_NAME = "traffic.sqlite"
LOCK_NAME = "traffic.lock"
_BUSY_TIMEOUT_MS = 60_000


class StoreError(Exception):
    """The traffic database is of another schema version."""


_DELIVERY_COLUMNS = (
    "cable_id, kind, recipient, precedence, urgency, delivered_at, acked_by, acked_at, escalated_at"
)
_QUEUE_COLUMNS = ", ".join(
    f"d.{column}" if column != "cable_id" else column for column in _DELIVERY_COLUMNS.split(", ")
)
_QUEUE_ORDER = "d.urgency DESC, r.dtg, d.delivered_at, r.origin, r.serial, d.kind, d.recipient"
_RELEASED_COLUMNS = (
    "cable_id, draft_id, origin, year, serial, dtg, urgency, text, cable, distribution, released_by"
)


class TrafficStore:
    """One connection to ``traffic.sqlite``; use one per process (or thread)."""

    def __init__(self, archive_dir: Path) -> None:
        archive_dir.mkdir(parents=True, exist_ok=True)
        self.path = archive_dir / DATABASE_NAME
        # Opened before the database, so that a failing open leaves no lock file open.
        self._lock = (archive_dir / LOCK_NAME).open("a")
        self._db = sqlite3.connect(self.path, isolation_level=None)
        self._db.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("PRAGMA synchronous = FULL")
        self._db.execute("PRAGMA foreign_keys = ON")
        try:
            self._migrate()
        except StoreError:
            self.close()
            raise

    def _migrate(self) -> None:
        with self.write():
            found = self._db.execute("PRAGMA user_version").fetchone()[0]
            if found == 0:
                for statement in SCHEMA.split(";"):
                    if statement.strip():
                        self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            elif found != SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path}: traffic schema version {found}, this cablegram reads "
                    f"version {SCHEMA_VERSION}"
                )

    def close(self) -> None:
        self._db.close()
        self._lock.close()

    @contextmanager
    def write(self) -> Iterator[None]:
        """A write transaction (``BEGIN IMMEDIATE`` ... ``COMMIT``, ``ROLLBACK`` on error);
        nested uses join the outer one, which commits them all at once (group commit)."""
        if self._db.in_transaction:
            yield
            return
        # Writers queue on a file lock first: a waiting process wakes the moment the lock
        # is free, where SQLite's own busy handler would poll with growing sleeps.
        fcntl.flock(self._lock, fcntl.LOCK_EX)
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        finally:
            fcntl.flock(self._lock, fcntl.LOCK_UN)

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """A read transaction: every query inside sees one state of the database."""
        if self._db.in_transaction:
            yield
            return
        self._db.execute("BEGIN")
        try:
            yield
        finally:
            self._db.execute("COMMIT")

    def _one(self, sql: str, parameters: Sequence[object] = ()) -> Any:
        return self._db.execute(sql, parameters).fetchone()

    # -- drafts ---------------------------------------------------------------------------

    def add_draft(
        self, origin: str, drafter: str, content: Mapping[str, Any], findings: list[Any], at: str
    ) -> int:
        cursor = self._db.execute(
            "INSERT INTO drafts (origin, drafter, state, content, findings, revision, created, "
            "updated) VALUES (?, ?, 'draft', ?, ?, 1, ?, ?)",
            (origin, drafter, _json(content), _json(findings), at, at),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def draft(self, draft_id: int) -> DraftRecord | None:
        row = self._one(f"SELECT {_DRAFT_COLUMNS} FROM drafts WHERE id = ?", (draft_id,))
        return None if row is None else _draft(row)

    def drafts(self, state: str | None = None) -> list[DraftRecord]:
        where, parameters = ("WHERE state = ?", (state,)) if state else ("", ())
        rows = self._db.execute(
            f"SELECT {_DRAFT_COLUMNS} FROM drafts {where} ORDER BY id", parameters
        )
        return [_draft(row) for row in rows]

    def save_draft(
        self, draft_id: int, origin: str, content: Mapping[str, Any], findings: list[Any], at: str
    ) -> None:
        self._db.execute(
            "UPDATE drafts SET origin = ?, content = ?, findings = ?, revision = revision + 1, "
            "updated = ? WHERE id = ?",
            (origin, _json(content), _json(findings), at, draft_id),
        )

    def set_state(self, draft_id: int, state: str, at: str, cable_id: str | None = None) -> None:
        self._db.execute(
            "UPDATE drafts SET state = ?, updated = ?, cable_id = coalesce(?, cable_id) "
            "WHERE id = ?",
            (state, at, cable_id, draft_id),
        )

    def set_clearers(self, draft_id: int, clearers: Sequence[str]) -> None:
        self._db.execute("DELETE FROM clearances WHERE draft_id = ?", (draft_id,))
        self._db.executemany(
            "INSERT INTO clearances (draft_id, clearer, position, status) "
            "VALUES (?, ?, ?, 'pending')",
            [(draft_id, name, position) for position, name in enumerate(clearers)],
        )

    def clearances(self, draft_id: int) -> list[ClearanceRecord]:
        rows = self._db.execute(
            "SELECT clearer, status, comment, at FROM clearances WHERE draft_id = ? "
            "ORDER BY position",
            (draft_id,),
        )
        return [ClearanceRecord(*row) for row in rows]

    def set_clearance(
        self, draft_id: int, clearer: str, status: str, comment: str | None, at: str | None
    ) -> None:
        self._db.execute(
            "UPDATE clearances SET status = ?, comment = ?, at = ? WHERE draft_id = ? "
            "AND clearer = ?",
            (status, comment, at, draft_id, clearer),
        )

    def reset_clearances(self, draft_id: int) -> None:
        self._db.execute(
            "UPDATE clearances SET status = 'pending', comment = NULL, at = NULL "
            "WHERE draft_id = ?",
            (draft_id,),
        )

    def add_event(
        self, draft_id: int, at: str, who: str, action: str, comment: str | None = None
    ) -> None:
        self._db.execute(
            "INSERT INTO events (draft_id, at, who, action, comment) VALUES (?, ?, ?, ?, ?)",
            (draft_id, at, who, action, comment),
        )

    def events(self, draft_id: int) -> list[EventRecord]:
        rows = self._db.execute(
            "SELECT at, who, action, comment FROM events WHERE draft_id = ? ORDER BY seq",
            (draft_id,),
        )
        return [EventRecord(*row) for row in rows]

    # -- counters -------------------------------------------------------------------------

    def last_serial(self, origin: str, year: int) -> int:
        row = self._one("SELECT last FROM serials WHERE origin = ? AND year = ?", (origin, year))
        return 0 if row is None else int(row[0])

    def set_serial(self, origin: str, year: int, last: int) -> None:
        self._db.execute(
            "INSERT INTO serials (origin, year, last) VALUES (?, ?, ?) "
            "ON CONFLICT (origin, year) DO UPDATE SET last = excluded.last",
            (origin, year, last),
        )

    def last_mcn(self, origin: str, addressee: str) -> int:
        row = self._one(
            "SELECT last FROM mcns WHERE origin = ? AND addressee = ?", (origin, addressee)
        )
        return 0 if row is None else int(row[0])

    def set_mcn(self, origin: str, addressee: str, last: int) -> None:
        self._db.execute(
            "INSERT INTO mcns (origin, addressee, last) VALUES (?, ?, ?) "
            "ON CONFLICT (origin, addressee) DO UPDATE SET last = excluded.last",
            (origin, addressee, last),
        )

    def counters(self, origin: str) -> tuple[dict[int, int], dict[str, int]]:
        """The post's last serial per year and last MCN per State addressee."""
        serials = self._db.execute(
            "SELECT year, last FROM serials WHERE origin = ? ORDER BY year", (origin,)
        )
        mcns = self._db.execute(
            "SELECT addressee, last FROM mcns WHERE origin = ? ORDER BY addressee", (origin,)
        )
        return dict(serials.fetchall()), dict(mcns.fetchall())

    # -- released cables and the outbox ---------------------------------------------------

    def add_released(self, record: ReleasedRecord) -> None:
        self._db.execute(
            f"INSERT INTO released ({_RELEASED_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                record.cable_id,
                record.draft_id,
                record.origin,
                record.year,
                record.serial,
                record.dtg,
                record.urgency,
                record.text,
                record.cable_json,
                _json(sorted(record.distribution)),
                record.released_by,
            ),
        )

    def released(self, cable_id: str) -> ReleasedRecord | None:
        row = self._one(f"SELECT {_RELEASED_COLUMNS} FROM released WHERE cable_id = ?", (cable_id,))
        return None if row is None else _released(row)

    def released_ids(self, origin: str | None = None) -> list[str]:
        where, parameters = ("WHERE origin = ?", (origin,)) if origin else ("", ())
        rows = self._db.execute(
            f"SELECT cable_id FROM released {where} ORDER BY origin, year, serial", parameters
        )
        return [row[0] for row in rows]

    def add_outbox(
        self, cable_id: str, kind: str, recipient: str, precedence: str, urgency: int
    ) -> None:
        self._db.execute(
            "INSERT INTO outbox (cable_id, kind, recipient, precedence, urgency) "
            "VALUES (?, ?, ?, ?, ?)",
            (cable_id, kind, recipient, precedence, urgency),
        )

    def pending(self, kinds: Sequence[str], limit: int) -> list[OutboxRow]:
        """Undone outbox rows of these kinds, most urgent first, then oldest."""
        marks = ", ".join("?" for _ in kinds)
        rows = self._db.execute(
            "SELECT seq, cable_id, kind, recipient, precedence, urgency FROM outbox "
            f"WHERE done_at IS NULL AND kind IN ({marks}) ORDER BY urgency DESC, seq LIMIT ?",
            (*kinds, limit),
        )
        return [OutboxRow(*row) for row in rows]

    def mark_done(self, seqs: Sequence[int], at: str) -> None:
        self._db.executemany(
            "UPDATE outbox SET done_at = ? WHERE seq = ? AND done_at IS NULL",
            [(at, seq) for seq in seqs],
        )

    def outbox_counts(self) -> dict[str, tuple[int, int]]:
        """(pending, done) outbox rows by kind."""
        rows = self._db.execute(
            "SELECT kind, sum(done_at IS NULL), sum(done_at IS NOT NULL) FROM outbox GROUP BY kind"
        )
        return {kind: (int(pending), int(done)) for kind, pending, done in rows}

    # -- deliveries (queues) --------------------------------------------------------------

    def deliver(self, row: OutboxRow, at: str) -> bool:
        """Put the row's cable in its recipient's queue; False when it is there already."""
        cursor = self._db.execute(
            "INSERT INTO deliveries (cable_id, kind, recipient, precedence, urgency, "
            "delivered_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (row.cable_id, row.kind, row.recipient, row.precedence, row.urgency, at),
        )
        return cursor.rowcount == 1

    def deliveries(
        self, recipients: Sequence[tuple[str, str]], include_acknowledged: bool
    ) -> list[DeliveryRecord]:
        """The queue rows of these (kind, recipient) pairs: most urgent first, then by the
        cable's DTG (oldest first), then as delivered."""
        if not recipients:
            return []
        pairs = " OR ".join("(d.kind = ? AND d.recipient = ?)" for _ in recipients)
        acked = "" if include_acknowledged else " AND d.acked_at IS NULL"
        rows = self._db.execute(
            f"SELECT {_QUEUE_COLUMNS} FROM deliveries d JOIN released r USING (cable_id) "
            f"WHERE ({pairs}){acked} ORDER BY {_QUEUE_ORDER}",
            [value for pair in recipients for value in pair],
        )
        return [DeliveryRecord(*row) for row in rows]

    def all_deliveries(self, include_acknowledged: bool) -> list[DeliveryRecord]:
        """Every queue's rows, in the order of `deliveries`."""
        acked = "" if include_acknowledged else "WHERE d.acked_at IS NULL "
        rows = self._db.execute(
            f"SELECT {_QUEUE_COLUMNS} FROM deliveries d JOIN released r USING (cable_id) "
            f"{acked}ORDER BY {_QUEUE_ORDER}"
        )
        return [DeliveryRecord(*row) for row in rows]

    def deliveries_of(self, cable_id: str) -> list[DeliveryRecord]:
        rows = self._db.execute(
            f"SELECT {_DELIVERY_COLUMNS} FROM deliveries WHERE cable_id = ? "
            "ORDER BY kind, recipient",
            (cable_id,),
        )
        return [DeliveryRecord(*row) for row in rows]

    def acknowledge(self, cable_id: str, kind: str, recipient: str, by: str, at: str) -> bool:
        cursor = self._db.execute(
            "UPDATE deliveries SET acked_by = ?, acked_at = ? WHERE cable_id = ? AND kind = ? "
            "AND recipient = ? AND acked_at IS NULL",
            (by, at, cable_id, kind, recipient),
        )
        return cursor.rowcount == 1

    def unacknowledged(self, urgency: int, delivered_before: str) -> list[DeliveryRecord]:
        """Unacknowledged, not yet escalated queue rows of an urgency delivered before."""
        rows = self._db.execute(
            f"SELECT {_DELIVERY_COLUMNS} FROM deliveries WHERE acked_at IS NULL "
            "AND escalated_at IS NULL AND urgency = ? AND delivered_at < ? "
            "ORDER BY delivered_at",
            (urgency, delivered_before),
        )
        return [DeliveryRecord(*row) for row in rows]

    def mark_escalated(self, cable_id: str, kind: str, recipient: str, at: str) -> bool:
        cursor = self._db.execute(
            "UPDATE deliveries SET escalated_at = ? WHERE cable_id = ? AND kind = ? "
            "AND recipient = ? AND escalated_at IS NULL AND acked_at IS NULL",
            (at, cable_id, kind, recipient),
        )
        return cursor.rowcount == 1

    def delivery_counts(self) -> tuple[int, int, int]:
        """(queued, acknowledged, escalated and unacknowledged) deliveries."""
        row = self._one(
            "SELECT count(*), count(acked_at), "
            "sum(escalated_at IS NOT NULL AND acked_at IS NULL) FROM deliveries"
        )
        return int(row[0]), int(row[1]), int(row[2] or 0)

    # -- notifications --------------------------------------------------------------------

    def notify(self, cable_id: str, kind: str, recipient: str, event: str, at: str) -> None:
        self._db.execute(
            "INSERT INTO notifications (cable_id, kind, recipient, event, at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (cable_id, kind, recipient, event, at),
        )

    def notifications_after(self, seq: int, limit: int) -> list[NotificationRecord]:
        rows = self._db.execute(
            "SELECT seq, cable_id, kind, recipient, event, at FROM notifications "
            "WHERE seq > ? ORDER BY seq LIMIT ?",
            (seq, limit),
        )
        return [NotificationRecord(*row) for row in rows]

    def cursor(self, subscriber: str) -> int:
        row = self._one("SELECT seq FROM cursors WHERE subscriber = ?", (subscriber,))
        return 0 if row is None else int(row[0])

    def set_cursor(self, subscriber: str, seq: int) -> None:
        self._db.execute(
            "INSERT INTO cursors (subscriber, seq) VALUES (?, ?) "
            "ON CONFLICT (subscriber) DO UPDATE SET seq = max(seq, excluded.seq)",
            (subscriber, seq),
        )

    # -- audit ----------------------------------------------------------------------------

    def audit(self, principal: str, action: str, target: str, detail: Mapping[str, Any]) -> None:
        """Queue an audit entry in the current transaction (`flush_audit` appends it)."""
        self._db.execute(
            "INSERT INTO audit_outbox (principal, action, target, detail) VALUES (?, ?, ?, ?)",
            (principal, action, target, _json(detail)),
        )

    def flush_audit(self, log: AuditLog) -> int:
        """Append the queued audit entries to the trail, oldest first; returns how many."""
        flushed = 0
        if self._one("SELECT 1 FROM audit_outbox LIMIT 1") is None:
            return flushed
        with self.write():
            rows = self._db.execute(
                "SELECT seq, principal, action, target, detail FROM audit_outbox ORDER BY seq"
            ).fetchall()
            for seq, principal, action, target, detail in rows:
                log.record(principal, action, target, {**json.loads(detail), "event": seq})
                self._db.execute("DELETE FROM audit_outbox WHERE seq = ?", (seq,))
                flushed += 1
        return flushed

    def audit_backlog(self) -> int:
        return int(self._one("SELECT count(*) FROM audit_outbox")[0])


_DRAFT_COLUMNS = (
    "id, origin, drafter, state, content, findings, revision, created, updated, cable_id"
)


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _draft(row: Any) -> DraftRecord:
    draft_id, origin, drafter, state, content, findings, revision, created, updated, cable = row
    return DraftRecord(
        draft_id,
        origin,
        drafter,
        state,
        json.loads(content),
        json.loads(findings),
        revision,
        created,
        updated,
        cable,
    )


def _released(row: Any) -> ReleasedRecord:
    cable_id, draft_id, origin, year, serial, dtg, urgency, text, cable, distribution, by = row
    return ReleasedRecord(
        cable_id,
        draft_id,
        origin,
        year,
        serial,
        dtg,
        urgency,
        text,
        cable,
        frozenset(json.loads(distribution)),
        by,
    )
