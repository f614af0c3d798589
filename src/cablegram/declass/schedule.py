"""When a cable's classified portions become releasable (spec §2.3, §4.9; E.O. 13526).

* a declassification date on the E.O. line: classified portions count as UNCLASSIFIED
  from that day;
* an exemption code (25X1-25X9, 50X1-HUM, 50X2-WMD, the older X1-X8 and OADR) or an event
  ("after Korean unification"): never automatic; the cable goes to a reviewer;
* N/A on an unclassified cable: nothing to declassify;
* a classified cable with no instruction (or N/A by mistake): the 25-year rule from its
  date (E.O. 13526 §3.3), and no date at all means review.

SBU and LOU are not classifications: no schedule releases them. A reviewer's decision
(release on a day, or extend to a day) overrides the cable's own schedule.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from cablegram.model import Cable, DeclassificationKind

TWENTY_FIVE_YEARS = 25


class ScheduleKind(enum.Enum):
    DATE = "date"
    TWENTY_FIVE_YEAR_RULE = "25-year rule"
    REVIEW = "review"
    """An exemption or an event: a reviewer decides."""
    NOT_CLASSIFIED = "not classified"
    DECISION = "reviewer decision"


@dataclass(frozen=True)
class Schedule:
    kind: ScheduleKind
    date: date | None
    """The day classified portions become UNCLASSIFIED; None: not automatic."""
    reason: str


def schedule(cable: Cable, decision: date | None = None) -> Schedule:
    """The cable's declassification schedule; ``decision`` is a reviewer's release (or
    extension) day, which overrides everything else."""
    if decision is not None:
        return Schedule(ScheduleKind.DECISION, decision, f"reviewer decision: {decision}")
    overall = cable.overall_classification
    if overall is None or not overall.level.is_classified:
        return Schedule(ScheduleKind.NOT_CLASSIFIED, None, "no classified portion")
    instruction = cable.declassification
    if instruction is not None:
        if instruction.kind is DeclassificationKind.DATE and instruction.date is not None:
            return Schedule(ScheduleKind.DATE, instruction.date, f"DECL: {instruction.date}")
        if instruction.kind is DeclassificationKind.EXEMPTION:
            return Schedule(ScheduleKind.REVIEW, None, f"exemption {instruction.exemption}")
        if instruction.kind is DeclassificationKind.EVENT:
            return Schedule(ScheduleKind.REVIEW, None, f"event: {instruction.event}")
    if cable.dtg is None:
        return Schedule(ScheduleKind.REVIEW, None, "classified, undated, no instruction")
    origin = cable.dtg.date()
    try:
        day = origin.replace(year=origin.year + TWENTY_FIVE_YEARS)
    except ValueError:  # 29 February
        day = date(origin.year + TWENTY_FIVE_YEARS, 3, 1)
    return Schedule(ScheduleKind.TWENTY_FIVE_YEAR_RULE, day, f"25 years from {origin}")
