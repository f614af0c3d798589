"""The dispatcher: moves released cables from the outbox into queues, copies SIPDIS cables
into the archive, escalates late FLASH cables and tells subscribers (issue 6, items 4-5).

It runs as its own process (``cablegram traffic dispatch --once | --follow``); one pass
(`Dispatcher.run_once`) does, in order:

1. **Deliver**, most urgent first: in one transaction per batch, each outbox row's cable
   is put in its recipient's queue (an insert keyed by cable, kind and recipient, which a
   repeat leaves alone), a ``delivered`` notification is written when the insert happened,
   and the row is marked done. A dispatcher killed at any instant has either done the
   whole batch or none of it; the next run (or a second dispatcher) repeats nothing that
   was committed. Deliveries are never lost and never made twice.
2. **Archive** SIPDIS cables (`cablegram.traffic.release.copied_to_archive`): record the
   cable's distribution in the archive, store the telegram and its model, catch the search
   index up (`cablegram.archive.indexer.sync`), then mark the rows done. A crash between
   those steps repeats them, which storage makes harmless (the same text is ``UNCHANGED``,
   the distribution is replaced by itself, the indexer replaces a cable's documents). The
   distribution is recorded before the cable so that a channel cable is never in the
   archive without it.
3. **Escalate** FLASH deliveries past their deadline (`cablegram.traffic.inbox.escalate`).
4. **Notify** each subscriber of every notification after its cursor, in order, then
   advance the cursor. A subscriber is called at least once per notification (again after
   a crash before the cursor moved) and must treat (cable, kind, recipient, event) as an
   idempotency key.
5. Append queued audit entries (`TrafficStore.flush_audit`), including those a killed
   process left behind.

`Subscriber` is the narrow interface for what lies beyond this site: a relay that carries
deliveries to another site's dispatcher subscribes here and receives each delivery with
its telegram, in order, at least once, keyed for idempotency.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from cablegram.archive import Archive
from cablegram.archive.indexer import sync
from cablegram.archive.records import NewVersion
from cablegram.archive.storage.encoding import decode_cable
from cablegram.traffic.inbox import DISPATCHER, FLASH_DEADLINE, escalate
from cablegram.traffic.records import ReleasedRecord
from cablegram.traffic.release import ARCHIVE
from cablegram.traffic.routing import OFFICE, PERSON
from cablegram.traffic.service import Traffic

BATCH = 500
"""Outbox rows per transaction: one disk sync carries many deliveries."""
ARCHIVE_BATCH = 500
"""Cables per archive batch: each costs a search-index commit (about 0.2 s), so the archive
copy takes large batches whatever the delivery batch."""


@dataclass(frozen=True)
class Notification:
    seq: int
    cable_id: str
    kind: str
    """``office`` or ``person``."""
    recipient: str
    event: str
    """``delivered``, ``acknowledged`` or ``escalated``."""
    at: str
    telegram: str
    """The released telegram, for a subscriber that carries it on (a relay)."""


class Subscriber(Protocol):
    """Told of every delivery, acknowledgement and escalation (module notes)."""

    @property
    def name(self) -> str:
        """A stable name: the store keeps each subscriber's place by it."""
        ...

    def notify(self, notification: Notification) -> None: ...


@dataclass(frozen=True)
class DispatchReport:
    delivered: int = 0
    """Outbox rows moved into queues."""
    archived: int = 0
    escalated: int = 0
    notified: int = 0

    @property
    def busy(self) -> bool:
        return any((self.delivered, self.archived, self.escalated, self.notified))

    def __add__(self, other: DispatchReport) -> DispatchReport:
        return DispatchReport(
            self.delivered + other.delivered,
            self.archived + other.archived,
            self.escalated + other.escalated,
            self.notified + other.notified,
        )


class Dispatcher:
    def __init__(
        self,
        traffic: Traffic,
        subscribers: Sequence[Subscriber] = (),
        batch: int = BATCH,
        flash_deadline: timedelta = FLASH_DEADLINE,
    ) -> None:
        self.traffic = traffic
        self.subscribers = tuple(subscribers)
        self.batch = batch
        self.flash_deadline = flash_deadline

    def run_once(self) -> DispatchReport:
        """One pass: everything pending now is delivered, archived, escalated, notified."""
        self.traffic.flush_audit()
        delivered = self.deliver()
        archived = self.archive()
        escalated = len(escalate(self.traffic, self.flash_deadline))
        notified = self.notify()
        return DispatchReport(delivered, archived, escalated, notified)

    def follow(self, interval: float, stop: Callable[[], bool]) -> DispatchReport:
        """Pass after pass until ``stop()``; sleeps ``interval`` seconds after an idle pass."""
        total = DispatchReport()
        while not stop():
            report = self.run_once()
            total += report
            if not report.busy:
                time.sleep(interval)
        return total

    def deliver(self) -> int:
        store = self.traffic.store
        moved = 0
        while True:
            with store.write():
                rows = store.pending((OFFICE, PERSON), self.batch)
                at = self.traffic.stamp()
                reached: dict[str, list[str]] = defaultdict(list)
                for row in rows:
                    if store.deliver(row, at):
                        store.notify(row.cable_id, row.kind, row.recipient, "delivered", at)
                    reached[row.cable_id].append(f"{row.kind}:{row.recipient}")
                store.mark_done([row.seq for row in rows], at)
                if reached:  # one entry per batch: its cables, each with its recipients
                    store.audit(DISPATCHER, "traffic.deliver", " ".join(reached), reached)
            self.traffic.flush_audit()
            moved += len(rows)
            if len(rows) < self.batch:
                return moved

    def archive(self) -> int:
        store = self.traffic.store
        rows = store.pending((ARCHIVE,), ARCHIVE_BATCH)
        if not rows:
            return 0
        copied = 0
        with Archive.open(self.traffic.directory) as archive:
            while rows:
                records = [self._released(row.cable_id) for row in rows]
                for record in records:
                    archive.storage.record_distribution(record.cable_id, record.distribution)
                archive.storage.put([_version(record) for record in records])
                sync(archive.storage, archive.index)
                with store.write():
                    store.mark_done([row.seq for row in rows], self.traffic.stamp())
                    store.audit(
                        DISPATCHER,
                        "traffic.archive",
                        " ".join(record.cable_id for record in records),
                        {r.cable_id: sorted(r.distribution) for r in records},
                    )
                self.traffic.flush_audit()
                copied += len(rows)
                rows = store.pending((ARCHIVE,), ARCHIVE_BATCH)
        return copied

    def notify(self) -> int:
        store = self.traffic.store
        told = 0
        for subscriber in self.subscribers:
            while pending := store.notifications_after(store.cursor(subscriber.name), self.batch):
                for record in pending:
                    released = self._released(record.cable_id)
                    subscriber.notify(
                        Notification(
                            record.seq,
                            record.cable_id,
                            record.kind,
                            record.recipient,
                            record.event,
                            record.at,
                            released.text,
                        )
                    )
                    told += 1
                with store.write():
                    store.set_cursor(subscriber.name, pending[-1].seq)
        return told

    def _released(self, cable_id: str) -> ReleasedRecord:
        record = self.traffic.store.released(cable_id)
        assert record is not None, cable_id  # outbox and notifications follow releases
        return record


def _version(record: ReleasedRecord) -> NewVersion:
    return NewVersion(
        cable_id=record.cable_id,
        text=record.text,
        cable=decode_cable(record.cable_json, record.text),
        source=f"traffic:{record.origin}",
        released=record.dtg[:10],
    )
