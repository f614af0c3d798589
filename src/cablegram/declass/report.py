"""What becomes releasable when, and what waits for a reviewer.

Pure functions over (id, cable, reviewer decision) records; the CLI feeds them from the
archive. A cable is *releasable in a year* when its schedule's day falls in that year;
the *review queue* holds classified cables whose schedule is not automatic (an exemption,
an event, or no date at all) and that no reviewer has decided yet.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from cablegram.declass.schedule import Schedule, ScheduleKind, schedule
from cablegram.model import Cable


@dataclass(frozen=True)
class Entry:
    cable_id: str
    cable_date: date | None
    level: str
    schedule: Schedule


Record = tuple[str, Cable, date | None]


def _entry(cable_id: str, cable: Cable, decision: date | None) -> Entry:
    overall = cable.classification or cable.overall_classification
    return Entry(
        cable_id,
        cable.dtg.date() if cable.dtg else None,
        overall.level.word if overall else "UNKNOWN",
        schedule(cable, decision),
    )


def releasable_in(records: Iterable[Record], year: int) -> Iterator[Entry]:
    """Cables whose classified portions become UNCLASSIFIED during ``year``."""
    for cable_id, cable, decision in records:
        entry = _entry(cable_id, cable, decision)
        if entry.schedule.date is not None and entry.schedule.date.year == year:
            yield entry


def review_queue(records: Iterable[Record]) -> Iterator[Entry]:
    """Classified cables a reviewer must decide (exemptions, events, undated)."""
    for cable_id, cable, decision in records:
        entry = _entry(cable_id, cable, decision)
        if entry.schedule.kind is ScheduleKind.REVIEW:
            yield entry
