"""The rows of the traffic store, as `cablegram.traffic.store.TrafficStore` returns them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class DraftRecord:
    id: int
    origin: str
    drafter: str
    state: str
    content: dict[str, Any]
    findings: list[dict[str, Any]]
    revision: int
    created: str
    updated: str
    cable_id: str | None


@dataclass(frozen=True)
class ClearanceRecord:
    clearer: str
    status: str
    """``pending``, ``cleared`` or ``returned``."""
    comment: str | None
    at: str | None


@dataclass(frozen=True)
class EventRecord:
    at: str
    who: str
    action: str
    comment: str | None


@dataclass(frozen=True)
class ReleasedRecord:
    cable_id: str
    draft_id: int
    origin: str
    year: int
    serial: int
    dtg: str
    urgency: int
    text: str
    cable_json: str
    distribution: frozenset[str]
    released_by: str


@dataclass(frozen=True)
class OutboxRow:
    seq: int
    cable_id: str
    kind: str
    recipient: str
    precedence: str
    urgency: int


@dataclass(frozen=True)
class DeliveryRecord:
    cable_id: str
    kind: str
    recipient: str
    precedence: str
    urgency: int
    delivered_at: str
    acked_by: str | None
    acked_at: str | None
    escalated_at: str | None


@dataclass(frozen=True)
class NotificationRecord:
    seq: int
    cable_id: str
    kind: str
    recipient: str
    event: str
    at: str
