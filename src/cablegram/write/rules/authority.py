"""Rules on classification authority: Classified By, reasons, the E.O. line (spec §2.3, §2.4).

A classified document must show who classified it, why, and when it is declassified
(E.O. 13526 §1.6; 5 FAH-1 H-131/132 [S11, S28]); the 2004 handbook asks for the
classifier's name and position and the reason "derived from section 1.5 of Executive
Order 12958" [S10]. Reasons are the letters (a)-(h) of the order's classification
categories; E.O. 13292 (25 March 2003) renumbered the categories from 1.5 to 1.4 and added
(h), weapons of mass destruction. The order named on the E.O. line follows the date:
11652 -> 12065 (from 1 December 1978, [S23]) -> 12356 -> 12958 -> 13526 (signed
29 December 2009, [S28]); the 11652, 12356 and 12958 start dates are the orders' effective
dates as recalled, not read in the spec sources. Classification lasts 10 years by default
and at most 25 (E.O. 13526 §1.5 [S28]).

Variants seen in the sample corpus (2,979 Cablegate cables): every 2010 cable still cites
E.O. 12958 (13526 took effect in June 2010), 90 cables after March 2003 cite 1.5, typos in
the order number (12598, 1295, 19528), DECL dates on or before the cable date
(09TRIPOLI694, 10MOSCOW435) and 30 to 110 years out (06SANJOSE156: 01/18/2116), and
1960s cables carrying NARA's later ``E.O. 12958: DECL: DECLASSIFIED BY NARA`` stamp.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from cablegram.model import ClassifiedBy, Declassification, DeclassificationKind
from cablegram.write.rules.base import Context, Finding, Severity, rule
from cablegram.write.rules.locate import CLASSIFIED_BY_LINE, EO_LINE

CLASSIFIED_BY_MISSING = rule(
    "CG201",
    "classified-by-missing",
    Severity.ERROR,
    "A classified cable names its classifier in a Classified By line.",
)
REASONS_MISSING = rule(
    "CG202",
    "reasons-missing",
    Severity.ERROR,
    "The Classified By line of a classified cable gives the reasons.",
)
REASON_INVALID = rule(
    "CG203",
    "reason-invalid",
    Severity.ERROR,
    "Reasons are letters (a)-(h) of section 1.4 or 1.5.",
)
REASON_ERA = rule(
    "CG204",
    "reason-section-era",
    Severity.WARNING,
    "The section cited (1.5 before 25 March 2003, 1.4 from then on) and (h) fit the date.",
)
DECLASSIFICATION_MISSING = rule(
    "CG211",
    "declassification-missing",
    Severity.ERROR,
    "A classified cable carries a declassification instruction on its E.O. line.",
)
ORDER_ERA = rule(
    "CG212",
    "eo-order-era",
    Severity.WARNING,
    "The executive order named on the E.O. line is the one in force on the cable's date.",
)
DECL_NOT_AFTER_CABLE = rule(
    "CG213",
    "decl-date-not-after-cable",
    Severity.ERROR,
    "The declassification date of a classified cable is after the cable's date.",
)
DECL_TOO_FAR = rule(
    "CG214",
    "decl-date-too-far",
    Severity.WARNING,
    "The declassification date is at most 25 years after the cable's date.",
)

#: E.O. 13292 renumbered the classification categories (1.5 -> 1.4) and added (h).
RENUMBERED = date(2003, 3, 25)
REASON_LETTERS = frozenset("abcdefgh")
#: Classification orders and the day each took over, oldest first.
ORDERS = (
    ("11652", date(1972, 6, 1)),
    ("12065", date(1978, 12, 1)),
    ("12356", date(1982, 8, 1)),
    ("12958", date(1995, 10, 14)),
    ("13526", date(2009, 12, 29)),
)
MAXIMUM_YEARS = 25


def check(context: Context) -> Iterator[Finding]:
    cable = context.cable
    eo_line = context.locate.starting(EO_LINE)
    declassification = cable.declassification
    if declassification is not None and context.on is not None:
        yield from _order(declassification, context.on, eo_line)
    if cable.level is None or not cable.level.is_classified:
        return
    if cable.classified_by is not None:
        yield from _reasons(context, cable.classified_by)
    elif not cable.partial:
        yield CLASSIFIED_BY_MISSING.finding(
            f"{cable.level.word} cable has no Classified By line",
            "add 'Classified By: NAME, TITLE, for reasons 1.4 (b) and (d).' before the text",
            None,
        )
    if declassification is None or declassification.kind is DeclassificationKind.NOT_APPLICABLE:
        if declassification is not None or not cable.partial:
            said = "says N/A" if declassification is not None else "is missing"
            yield DECLASSIFICATION_MISSING.finding(
                f"the E.O. line of a {cable.level.word} cable {said}",
                "write 'E.O. 13526: DECL: MM/DD/YYYY' (10 years by default) or an exemption",
                eo_line,
            )
    elif context.on is not None:
        yield from _date(declassification, context.on, eo_line)


def _reasons(context: Context, classified_by: ClassifiedBy) -> Iterator[Finding]:
    line = context.locate.starting(CLASSIFIED_BY_LINE)
    if not classified_by.reasons:
        yield REASONS_MISSING.finding(
            "the Classified By line gives no reasons",
            "end it with 'for reasons 1.4 (b) and (d).' naming the categories that apply",
            line,
        )
    invalid = [r for r in classified_by.reasons if r.lower() not in REASON_LETTERS]
    if invalid or classified_by.section not in (None, "1.4", "1.5"):
        cited = ", ".join(f"({r})" for r in invalid) or f"section {classified_by.section}"
        yield REASON_INVALID.finding(
            f"the Classified By line cites {cited}, not a classification category",
            "cite section 1.4 (1.5 before 25 March 2003) with letters (a) to (h)",
            line,
        )
    on = context.on
    if on is None:
        return
    if classified_by.section == "1.5" and on >= RENUMBERED:
        yield REASON_ERA.finding(
            "reasons cite section 1.5, renumbered 1.4 by E.O. 13292 on 25 March 2003",
            "cite section 1.4",
            line,
        )
    elif classified_by.section == "1.4" and on < RENUMBERED:
        yield REASON_ERA.finding(
            "reasons cite section 1.4, which listed the categories only from 25 March 2003",
            "cite section 1.5 of E.O. 12958",
            line,
        )
    if "h" in (r.lower() for r in classified_by.reasons) and on < RENUMBERED:
        yield REASON_ERA.finding(
            "reason (h), weapons of mass destruction, was added by E.O. 13292 in March 2003",
            "use the categories (a) to (g) of the order in force",
            line,
        )


def in_force(on: date) -> str | None:
    """The classification order in force on a day (None before E.O. 11652)."""
    current = None
    for order, start in ORDERS:
        if start <= on:
            current = order
    return current


def _order(declassification: Declassification, on: date, line: int | None) -> Iterator[Finding]:
    cited = declassification.order
    if cited is None:
        return
    expected = in_force(on)
    starts = dict(ORDERS)
    if cited not in starts:
        yield ORDER_ERA.finding(
            f"E.O. {cited} is not a classification order",
            f"cite E.O. {expected}" if expected else "cite the order in force",
            line,
        )
    elif expected is None:
        if starts[cited] > on:
            yield ORDER_ERA.finding(
                f"E.O. {cited} did not exist on {on.isoformat()}",
                "cite the order in force on the cable's date",
                line,
            )
    elif cited != expected:
        yield ORDER_ERA.finding(
            f"E.O. {cited} cited on {on.isoformat()}, when E.O. {expected} was in force",
            f"cite E.O. {expected}",
            line,
        )


def _date(declassification: Declassification, on: date, line: int | None) -> Iterator[Finding]:
    if declassification.kind is not DeclassificationKind.DATE or declassification.date is None:
        return
    decl = declassification.date
    if decl <= on:
        yield DECL_NOT_AFTER_CABLE.finding(
            f"declassification date {decl.isoformat()} is not after the cable's date "
            f"{on.isoformat()}",
            "set DECL to a date after the cable's date (10 years later by default)",
            line,
        )
    elif decl > _years_after(on, MAXIMUM_YEARS):
        yield DECL_TOO_FAR.finding(
            f"declassification date {decl.isoformat()} is more than {MAXIMUM_YEARS} years "
            f"after the cable's date {on.isoformat()}",
            f"set DECL at most {MAXIMUM_YEARS} years out, or cite a 25X/50X exemption",
            line,
        )


def _years_after(on: date, years: int) -> date:
    try:
        return on.replace(year=on.year + years)
    except ValueError:  # 29 February in a year that has none
        return on.replace(year=on.year + years, day=28)
