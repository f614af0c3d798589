"""Declassification schedules: E.O. dates, exemptions and events to review, the 25-year
rule, reviewer decisions; the yearly report and the review queue."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from cablegram.declass import ScheduleKind, releasable_in, review_queue, schedule
from cablegram.model import (
    Cable,
    Declassification,
    DeclassificationKind,
    Level,
    Marking,
    Paragraph,
)

SECRET = Marking(Level.SECRET)


def cable(
    instruction: Declassification | None,
    level: Level = Level.SECRET,
    day: date | None = date(2007, 3, 9),
) -> Cable:
    return Cable(
        id="07MOSCOW1",
        dtg=datetime(day.year, day.month, day.day, 12, tzinfo=UTC) if day else None,
        classification=Marking(level),
        declassification=instruction,
        paragraphs=(Paragraph(1, Marking(level), "Text."),),
    )


@pytest.mark.parametrize(
    ("instruction", "kind", "day"),
    [
        (Declassification("12958", DeclassificationKind.DATE, date(2017, 3, 1)), ScheduleKind.DATE, date(2017, 3, 1)),
        (Declassification("13526", DeclassificationKind.EXEMPTION, exemption="25X1"), ScheduleKind.REVIEW, None),
        (Declassification("12356", DeclassificationKind.EXEMPTION, exemption="OADR"), ScheduleKind.REVIEW, None),
        (Declassification("12958", DeclassificationKind.EVENT, event="AFTER KOREAN UNIFICATION"), ScheduleKind.REVIEW, None),
        (None, ScheduleKind.TWENTY_FIVE_YEAR_RULE, date(2032, 3, 9)),
        (Declassification("12958", DeclassificationKind.NOT_APPLICABLE), ScheduleKind.TWENTY_FIVE_YEAR_RULE, date(2032, 3, 9)),
    ],
)  # fmt: skip
def test_schedules(
    instruction: Declassification | None, kind: ScheduleKind, day: date | None
) -> None:
    found = schedule(cable(instruction))
    assert (found.kind, found.date) == (kind, day)


def test_unclassified_and_sbu_have_nothing_to_declassify() -> None:
    assert schedule(cable(None, Level.UNCLASSIFIED)).kind is ScheduleKind.NOT_CLASSIFIED
    assert schedule(cable(None, Level.SBU)).kind is ScheduleKind.NOT_CLASSIFIED


def test_undated_classified_cable_goes_to_review() -> None:
    assert schedule(cable(None, day=None)).kind is ScheduleKind.REVIEW


def test_leap_day_plus_twenty_five_years() -> None:
    assert schedule(cable(None, day=date(2008, 2, 29))).date == date(2033, 3, 1)


def test_reviewer_decision_overrides() -> None:
    exempt = cable(Declassification("13526", DeclassificationKind.EXEMPTION, exemption="25X1"))
    decided = schedule(exempt, decision=date(2030, 1, 1))
    assert (decided.kind, decided.date) == (ScheduleKind.DECISION, date(2030, 1, 1))


def test_report_and_review_queue() -> None:
    records = [
        ("A", cable(Declassification("12958", DeclassificationKind.DATE, date(2027, 5, 1))), None),
        ("B", cable(Declassification("12958", DeclassificationKind.DATE, date(2028, 5, 1))), None),
        (
            "C",
            cable(Declassification("13526", DeclassificationKind.EXEMPTION, exemption="25X1")),
            None,
        ),
        (
            "D",
            cable(Declassification("13526", DeclassificationKind.EXEMPTION, exemption="25X1")),
            date(2027, 2, 2),
        ),
        ("E", cable(None, Level.UNCLASSIFIED), None),
    ]
    assert [e.cable_id for e in releasable_in(records, 2027)] == ["A", "D"]
    assert [e.cable_id for e in review_queue(records)] == ["C"]
