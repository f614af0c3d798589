"""Queues: what an office (or a named recipient) has received, acknowledgement and FLASH
escalation (issue 6, item 4).

A member reads the queues of their offices and their personal queue, **ordered by
precedence, then time**: the cable's date-time group, oldest first, as a message centre
works them (then the time of delivery):
FLASH, NIACT IMMEDIATE (flagged: "night action", the addressee acts at once, day or
night, 5 FAH-2 H-420 [S5]), IMMEDIATE, PRIORITY, ROUTINE. Each member sees each cable as
their clearance allows (`cablegram.access.view`): withheld portions are placeholders, and
a cable of which they may read nothing is not listed for them at all. The local operator
(no user) sees every queue.

One member **acknowledges** a delivery for the office; the acknowledgement (who, when) is
then the office's. A **FLASH** cable not acknowledged within its deadline is **overdue**:
shown so in the queue, and escalated once by the dispatcher (`escalate`: a notification
and an audit entry). ACP 127 gives FLASH ten minutes in-station handling time [S1; the
figure as the issue states it], the default of `FLASH_DEADLINE`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from cablegram.access import CableView, cable_access, view
from cablegram.archive.storage.encoding import decode_cable
from cablegram.model import Cable, Precedence
from cablegram.traffic.records import DeliveryRecord, ReleasedRecord
from cablegram.traffic.routing import OFFICE, PERSON
from cablegram.traffic.service import Actor, Traffic, TrafficError

FLASH_DEADLINE = timedelta(minutes=10)
DISPATCHER = "dispatcher"
"""How the audit trail names the dispatcher's own steps."""


@dataclass(frozen=True)
class InboxItem:
    delivery: DeliveryRecord
    precedence: Precedence
    view: CableView
    """The cable as this reader may see it."""
    due: datetime | None
    """When a FLASH delivery must be acknowledged by; None for other precedences."""
    overdue: bool

    @property
    def cable_id(self) -> str:
        return self.delivery.cable_id

    @property
    def niact(self) -> bool:
        return self.precedence is Precedence.NIACT_IMMEDIATE

    @property
    def acknowledged(self) -> bool:
        return self.delivery.acked_at is not None

    @property
    def escalated(self) -> bool:
        return self.delivery.escalated_at is not None


def queues_of(actor: Actor) -> list[tuple[str, str]]:
    """The (kind, recipient) queues a user reads: their offices' and their own."""
    principal = actor.principal
    return [(OFFICE, o) for o in sorted(principal.offices)] + [(PERSON, principal.name)]


def inbox(
    traffic: Traffic,
    actor: Actor,
    include_acknowledged: bool = False,
    flash_deadline: timedelta = FLASH_DEADLINE,
) -> list[InboxItem]:
    """The actor's queues (every queue for the operator), in working order."""
    store = traffic.store
    now = traffic.now()
    with store.snapshot():
        if actor.principal.operator:
            rows = store.all_deliveries(include_acknowledged)
        else:
            rows = store.deliveries(queues_of(actor), include_acknowledged)
        cables: dict[str, tuple[Cable, ReleasedRecord]] = {}
        items: list[InboxItem] = []
        for row in rows:
            if row.cable_id not in cables:
                record = _released(traffic, row.cable_id)
                cables[row.cable_id] = (decode_cable(record.cable_json, record.text), record)
            cable, record = cables[row.cable_id]
            seen = view(
                actor.principal, cable, cable_access(cable, record.distribution), now.date()
            )
            if seen is None:
                continue
            due = _due(row, flash_deadline)
            overdue = due is not None and row.acked_at is None and now > due
            items.append(InboxItem(row, Precedence(row.precedence), seen, due, overdue))
    with store.write():
        store.audit(
            actor.audit_name,
            "traffic.inbox",
            actor.name,
            {"cables": sorted({item.cable_id for item in items})},
        )
    traffic.flush_audit()
    return items


def acknowledge(
    traffic: Traffic, actor: Actor, cable_id: str, office: str | None = None
) -> DeliveryRecord:
    """Acknowledge a delivery for the actor's office (``office`` when they belong to more
    than one that received it) or for themselves as a named recipient."""
    store = traffic.store
    mine = set(queues_of(actor))
    with store.write():
        rows = [r for r in store.deliveries_of(cable_id) if (r.kind, r.recipient) in mine]
        if office is not None:
            rows = [r for r in rows if r.kind == OFFICE and r.recipient == office.upper()]
        record = store.released(cable_id)
        if not rows or record is None:
            raise TrafficError(f"no delivery of {cable_id} to {office or actor.name}")
        cable = decode_cable(record.cable_json, record.text)
        access = cable_access(cable, record.distribution)
        if view(actor.principal, cable, access, traffic.today()) is None:
            raise TrafficError(f"no delivery of {cable_id} to {office or actor.name}")
        open_rows = [r for r in rows if r.acked_at is None]
        if not open_rows:
            done = rows[0]
            raise TrafficError(
                f"{cable_id} was acknowledged for {done.recipient} by {done.acked_by} "
                f"at {done.acked_at}"
            )
        if len(open_rows) > 1:
            names = ", ".join(r.recipient for r in open_rows)
            raise TrafficError(f"{cable_id} reached several of your queues ({names}): name one")
        row = open_rows[0]
        at = traffic.stamp()
        store.acknowledge(cable_id, row.kind, row.recipient, actor.name, at)
        store.notify(cable_id, row.kind, row.recipient, "acknowledged", at)
        store.audit(
            actor.audit_name, "traffic.ack", cable_id, {"kind": row.kind, "for": row.recipient}
        )
    traffic.flush_audit()
    return next(r for r in store.deliveries_of(cable_id) if r.recipient == row.recipient)


def escalate(traffic: Traffic, flash_deadline: timedelta = FLASH_DEADLINE) -> list[DeliveryRecord]:
    """Escalate, once each, the FLASH deliveries not acknowledged within the deadline."""
    store = traffic.store
    cutoff = (traffic.now() - flash_deadline).isoformat(timespec="microseconds")
    at = traffic.stamp()
    with store.write():
        late = store.unacknowledged(Precedence.FLASH.urgency, cutoff)
        for row in late:
            store.mark_escalated(row.cable_id, row.kind, row.recipient, at)
            store.notify(row.cable_id, row.kind, row.recipient, "escalated", at)
            store.audit(
                DISPATCHER,
                "traffic.escalate",
                row.cable_id,
                {"kind": row.kind, "for": row.recipient, "delivered": row.delivered_at},
            )
    traffic.flush_audit()
    return late


def _due(row: DeliveryRecord, flash_deadline: timedelta) -> datetime | None:
    if row.urgency != Precedence.FLASH.urgency:
        return None
    return datetime.fromisoformat(row.delivered_at) + flash_deadline


def _released(traffic: Traffic, cable_id: str) -> ReleasedRecord:
    record = traffic.store.released(cable_id)
    if record is None:  # deliveries reference released cables (foreign key)
        raise TrafficError(f"no released cable {cable_id}")
    return record
