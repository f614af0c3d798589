"""Head fields of generated cables: TAGS, the E.O. line, Classified By, the REF list
(spec §2.3-§2.6).

* E.O. line: the order in force on the cable's day (`cablegram.write.rules.authority.in_force`:
  12958 until 28 December 2009, then 13526), ``N/A`` on unclassified and SBU cables; a
  classified cable is declassified on a date 10 years out in most cases (5 to 25 years
  otherwise; the sample: 2,012 dates, 14 events, 5 exemptions), rarely by an exemption
  (``X1`` before 25 March 2003, ``25X1`` after, ``50X1-HUM`` under 13526) or an event.
* Classified By: the post's chief, deputy or political counselor (the Department: the
  regional assistant secretary), ``for reasons 1.4 (b) and (d).``: section 1.5 before
  E.O. 13292 renumbered it on 25 March 2003, 1.4 after; reason (h), weapons of mass
  destruction, only after that day.
* TAGS: the topic's TAGS, some of its optional ones, the host country's geographic TAG
  (and sometimes a neighbour's); a visit cable carries ``OVIP (SURNAME, GIVEN M.)`` for the
  visitor. Kinds and eras as `cablegram.reference.classify_tag` gives them, so the reader
  reads them back identically. The sample has 5.6 TAGS per cable on average.
* REF: earlier generated cables about the same country, most recent first in the drawing,
  listed oldest first; ``STATE 003773`` in the citing cable's year, ``06 STATE 201804``
  otherwise, the origin written as REF lines write it (``NEW DELHI``). The sample: no REF
  on 39 % of cables, one on 30 %, two on 14 %.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass
from datetime import date, timedelta

from cablegram.model import (
    ClassifiedBy,
    Declassification,
    DeclassificationKind,
    Reference,
    ReferenceKind,
    Tag,
    TagKind,
)
from cablegram.reference import classify_tag, geographic_era
from cablegram.synth.chance import weighted
from cablegram.synth.people import Person
from cablegram.synth.vocabulary import Post, Topic
from cablegram.write.rules.authority import RENUMBERED, in_force

DECL_YEARS = ((10, 80), (5, 6), (15, 5), (20, 5), (25, 4))
"""Years to the declassification date, with their shares."""
EVENTS = ("UPON COMPLETION OF NEGOTIATIONS", "END OF CONFLICT")
REASONS = (
    (("b", "d"), 55),
    (("d",), 10),
    (("b",), 8),
    (("a", "b", "d"), 5),
    (("b", "c", "d"), 5),
    (("c",), 4),
    (("d", "e"), 3),
    (("b", "d", "g"), 2),
)
WMD_TOPICS = frozenset({"nonproliferation", "military"})
REFERENCE_COUNTS = ((0, 39), (1, 30), (2, 14), (3, 8), (4, 4), (5, 2), (6, 1), (7, 1), (8, 1))


GENERAL_TAGS = (("PREL", 0.35), ("PGOV", 0.3))
"""Political TAGS most cables carry whatever their topic (sample: PREL 71 %, PGOV 56 %)."""
DISCUSSED_COUNTRIES = (
    ("IR", 9), ("IZ", 4), ("AF", 4), ("KN", 3), ("PK", 3), ("IS", 3), ("RS", 3), ("CH", 3),
    ("VE", 2), ("SY", 2), ("LE", 1), ("SU", 1),
)  # fmt: skip
"""Third countries cables discuss most, as TAGS (the sample: IR on 9 % of cables)."""


@dataclass(frozen=True)
class Cited:
    """A generated cable that later cables may cite."""

    id: str
    written: str
    """Its origin as REF lines write it."""
    serial: int
    year: int


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def declassification(rng: random.Random, on: date, classified: bool) -> Declassification:
    order = in_force(on)
    if not classified:
        return Declassification(order, DeclassificationKind.NOT_APPLICABLE)
    draw = rng.random()
    if draw < 0.015:
        if order == "13526":
            exemption = rng.choice(("25X1", "50X1-HUM"))
        else:
            exemption = rng.choice(("X1", "X6") if on < RENUMBERED else ("25X1", "25X6"))
        return Declassification(order, DeclassificationKind.EXEMPTION, exemption=exemption)
    if draw < 0.02:
        return Declassification(order, DeclassificationKind.EVENT, event=rng.choice(EVENTS))
    years = weighted(rng, DECL_YEARS)
    # Drafters often round the date: up to three weeks before the anniversary.
    when = _years_later(on, years) - timedelta(days=rng.randint(0, 21))
    return Declassification(order, DeclassificationKind.DATE, date=max(when, on + timedelta(1)))


def classified_by(
    rng: random.Random, on: date, topic: str, classifier: Person, title: str
) -> ClassifiedBy:
    reasons = weighted(rng, REASONS)
    if topic in WMD_TOPICS and on >= RENUMBERED and rng.random() < 0.3:
        reasons = tuple(sorted({*reasons, "h"}))
    section = "1.4" if on >= RENUMBERED else "1.5"
    return ClassifiedBy(classifier.full, title, reasons, section)


def tags(
    rng: random.Random,
    on: date,
    topic: Topic,
    countries: tuple[Post, ...],
    neighbours: tuple[Post, ...],
    visitor: Person | None,
) -> tuple[Tag, ...]:
    era = geographic_era(on)
    codes = list(topic.tags)
    extra = rng.choices((0, 1, 2, 3, 4), (2, 4, 4, 2, 1))[0]
    codes.extend(rng.sample(topic.optional_tags, min(extra, len(topic.optional_tags))))
    for code, share in GENERAL_TAGS:
        if code not in codes and rng.random() < share:
            codes.append(code)
    for country in countries:
        if country.tag and country.tag not in codes:
            codes.append(country.tag)
    count = min(len(neighbours), rng.choices((0, 1, 2), (6, 3, 1))[0])
    mentioned = [post.tag for post in rng.sample(neighbours, count)]
    if rng.random() < 0.2:
        mentioned.append(weighted(rng, DISCUSSED_COUNTRIES))
    for code in mentioned:
        if code not in codes:
            codes.append(code)
    found = [Tag(code, *classify_tag(code, era)) for code in codes]
    if visitor is not None and "OVIP" in codes:
        found.insert(codes.index("OVIP") + 1, Tag(visitor.tag, TagKind.PERSON))
    return tuple(found)


def reference_count(rng: random.Random) -> int:
    return weighted(rng, REFERENCE_COUNTS)


def cited_text(cited: Cited, year: int) -> str:
    """``STATE 003773`` (same year as the citing cable) or ``06 STATE 201804``."""
    prefix = "" if cited.year == year else f"{cited.year % 100:02d} "
    return f"{prefix}{cited.written} {cited.serial:06d}"


def references(
    rng: random.Random, parts: list[Cited], candidates: list[Cited], wanted: int, year: int
) -> tuple[Reference, ...]:
    """The REF list: the earlier parts of a multi-part cable first (A, B ...), then up to
    ``wanted`` other cables drawn from ``candidates`` (most recent last), oldest first."""
    recent = [c for c in candidates[-12:] if c not in parts]
    others = rng.sample(recent, min(wanted, len(recent)))
    others.sort(key=lambda c: (c.year, c.serial))
    chosen = [*parts, *others]
    unlettered = len(chosen) == 1 and not parts and rng.random() < 0.5
    return tuple(
        Reference(
            cited_text(cited, year),
            ReferenceKind.CABLE,
            cited.id,
            None if unlettered else string.ascii_uppercase[index],
            notal=rng.random() < 0.03,
        )
        for index, cited in enumerate(chosen)
    )
