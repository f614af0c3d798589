"""The head fields: TAGS, the E.O. line, Classified By, SUBJECT, REF, captions, passing."""

from __future__ import annotations

import string
from dataclasses import dataclass
from datetime import date

from hypothesis import strategies as st

from cablegram.model import (
    ClassifiedBy,
    Declassification,
    DeclassificationKind,
    Level,
    Marking,
    Reference,
    ReferenceKind,
    Tag,
    TagKind,
    canonical_id,
)
from cablegram.reference import classify_tag, geographic_era
from strategies.markings import CAVEAT_CAPTIONS, portion_markings
from strategies.text import FIRST_NAMES, LAST_NAMES, SUBJECT_WORDS

SUBJECT_TAGS = ("PREL", "PGOV", "PHUM", "PINR", "ECON", "EFIN", "ETRD", "MARR", "MNUC", "PARM")
PROGRAM_TAGS = ("KACT", "KNNP", "KPAO", "KDEM", "KCRM", "KJUS", "KTFN")
GEOGRAPHIC_TAGS = ("RS", "IR", "UK", "CH", "JA", "GG", "SZ", "FR", "GM", "KN", "KS", "TU")
ORGANIZATION_TAGS = ("IAEA", "NATO", "UNSC", "OSCE", "OPCW", "START")
UNKNOWN_TAGS = ("XXXX", "ZZZZ")
PERSON_TAGS = ("STEINBERG, JAMES B.", "KISLYAK, SERGEY", "JOSEPH, ROBERT")
TAG_CODES = SUBJECT_TAGS + PROGRAM_TAGS + GEOGRAPHIC_TAGS + ORGANIZATION_TAGS + UNKNOWN_TAGS


@st.composite
def tag_lists(draw: st.DrawFn, on: date) -> tuple[Tag, ...]:
    """One to eight distinct TAGS, kinds and eras as `cablegram.reference` classifies them
    for a cable dated ``on``; a person tag follows an OVIP tag, as on real TAGS lines."""
    era = geographic_era(on)
    codes = draw(st.lists(st.sampled_from(TAG_CODES), min_size=1, max_size=8, unique=True))
    tags = [Tag(code, *classify_tag(code, era)) for code in codes]
    if draw(st.integers(0, 3)) == 0:
        position = draw(st.integers(0, len(tags)))
        person = draw(st.sampled_from(PERSON_TAGS))
        tags[position:position] = [
            Tag("OVIP", *classify_tag("OVIP", era)),
            Tag(person, TagKind.PERSON),
        ]
    return tuple(tags)


EXEMPTIONS = {
    "12356": ("OADR",),
    "12958": ("X1", "X5", "X6", "1.6X1", "1.6X6", "25X1", "25X6"),
    "13526": ("25X1", "25X5", "25X9", "50X1-HUM", "50X2-WMD"),
}
EVENTS = ("AFTER KOREAN UNIFICATION", "UPON COMPLETION OF NEGOTIATIONS", "END OF CONFLICT")


def executive_order(on: date) -> str:
    """The order in force: 12356 until 1995-04-16, 12958 until 2009-12-28, then 13526."""
    if on < date(1995, 4, 17):
        return "12356"
    if on < date(2009, 12, 29):
        return "12958"
    return "13526"


@st.composite
def declassifications(draw: st.DrawFn, on: date, classified: bool) -> Declassification:
    """A date, an exemption or an event for classified cables; N/A for the others."""
    order = executive_order(on)
    if not classified:
        return Declassification(order, DeclassificationKind.NOT_APPLICABLE)
    kind = draw(
        st.sampled_from(
            (DeclassificationKind.DATE, DeclassificationKind.EXEMPTION, DeclassificationKind.EVENT)
        )
    )
    if kind is DeclassificationKind.DATE:
        years = draw(st.integers(5, 25))
        return Declassification(order, kind, date=date(on.year + years, on.month, min(on.day, 28)))
    if kind is DeclassificationKind.EXEMPTION:
        return Declassification(order, kind, exemption=draw(st.sampled_from(EXEMPTIONS[order])))
    return Declassification(order, kind, event=draw(st.sampled_from(EVENTS)))


CLASSIFIER_TITLES = (
    "DCM",
    "Ambassador",
    "Charge d'Affaires a.i.",
    "Political Counselor",
    "Acting DCM",
    "POLOFF",
)


@st.composite
def classified_bys(draw: st.DrawFn, on: date) -> ClassifiedBy:
    """Title, name, reasons a-h and the section: 1.5 before E.O. 13292 (2003-03-25), then 1.4."""
    first = draw(st.sampled_from(FIRST_NAMES))
    initial = draw(st.sampled_from(("", *(f"{c}." for c in "ABDJ"))))
    last = draw(st.sampled_from(LAST_NAMES))
    name = " ".join(part for part in (first, initial, last) if part)
    reasons = tuple(
        sorted(draw(st.lists(st.sampled_from("abcdefgh"), min_size=1, max_size=3, unique=True)))
    )
    section = "1.5" if on < date(2003, 3, 25) else "1.4"
    return ClassifiedBy(name, draw(st.sampled_from(CLASSIFIER_TITLES)), reasons, section)


@st.composite
def subjects(draw: st.DrawFn) -> str:
    """Subject lines in capitals, two to sixteen words (long ones wrap)."""
    words = draw(st.lists(st.sampled_from(SUBJECT_WORDS), min_size=2, max_size=16))
    return " ".join(words)


#: Written origin -> canonical origin (spec §2.6 examples).
REFERENCE_ORIGINS = (
    ("STATE", "STATE"),
    ("SECSTATE", "STATE"),
    ("MOSCOW", "MOSCOW"),
    ("PARIS", "PARIS"),
    ("TBILISI", "TBILISI"),
    ("SAN JOSE", "SANJOSE"),
    ("LA PAZ", "LAPAZ"),
)
EMAIL_REFERENCES = (
    "RICHARD-WITMER EMAIL",
    "EUR/WE E-MAIL OF OCTOBER",
    "WHA-SAN JOSE EMAIL",
    "FORDER-DURHAM EMAILS",
)
MESSAGE_REFERENCES = ("SECDEF R162245Z OCT 08", "DEPT OF TREAS 241534Z MAR 06")
DOCUMENT_REFERENCES = (
    "WILKINS/CARTER TELCON",
    "IIR 6 902 9642 06",
    "MFA DIPLOMATIC NOTE",
    "LETTER FROM DFM KISLYAK",
)
OTHER_REFERENCES = ("UNSCR 1737", "AND PREVIOUS")


@st.composite
def cable_references(draw: st.DrawFn, year: int) -> Reference:
    """``STATE 003773`` (the citing cable's year), ``06 STATE 201804``, ``2007 PARIS 12``."""
    written, origin = draw(st.sampled_from(REFERENCE_ORIGINS))
    serial = draw(st.integers(1, 299999))
    serial_text = draw(st.sampled_from((f"{serial:06d}", str(serial))))
    cited = draw(st.integers(max(1995, year - 10), year))
    year_text = draw(st.sampled_from(("", f"{cited % 100:02d} ", f"{cited} ")))
    ref_year = cited if year_text else year
    return Reference(
        f"{year_text}{written} {serial_text}",
        ReferenceKind.CABLE,
        canonical_id(ref_year, origin, serial),
        notal=draw(st.booleans()),
    )


@st.composite
def references(draw: st.DrawFn, year: int) -> Reference:
    """A reference of any kind, unlettered; ``year`` is the citing cable's."""
    kind = draw(st.sampled_from(tuple(ReferenceKind)))
    if kind is ReferenceKind.CABLE:
        return draw(cable_references(year))
    texts = {
        ReferenceKind.EMAIL: EMAIL_REFERENCES,
        ReferenceKind.MESSAGE: MESSAGE_REFERENCES,
        ReferenceKind.DOCUMENT: DOCUMENT_REFERENCES,
        ReferenceKind.OTHER: OTHER_REFERENCES,
    }[kind]
    return Reference(draw(st.sampled_from(texts)), kind, notal=draw(st.booleans()))


@st.composite
def reference_lists(draw: st.DrawFn, year: int) -> tuple[Reference, ...]:
    """None, a single unlettered reference, or a list lettered A, B, C ..."""
    count = draw(st.integers(0, 8))
    found = [draw(references(year)) for _ in range(count)]
    if count == 1 and draw(st.booleans()):
        return tuple(found)
    return tuple(
        Reference(r.text, r.kind, r.id, string.ascii_uppercase[i], r.notal)
        for i, r in enumerate(found)
    )


PASSING = ("DEPT FOR EUR/RUS", "DEPT FOR ISN/MNSA AND T", "USDOE FOR NNSA", "PARIS FOR DATT")
CHANNEL_CAPTIONS = ("EXDIS", "NODIS", "LIMDIS", "STADIS")


@st.composite
def caption_lists(draw: st.DrawFn, banner: Marking) -> tuple[str, ...]:
    """SIPDIS (never with NODIS/EXDIS), at most one channel caption, the banner's caveats
    and release list, SENSITIVE exactly when the banner is SBU."""
    found = [c for c in CAVEAT_CAPTIONS if c in banner.caveats]
    if banner.rel_to:
        found.append("REL TO " + ", ".join(banner.rel_to))
    if banner.level is Level.SBU:
        found.append("SENSITIVE")
    channel = draw(st.sampled_from((None, None, None, *CHANNEL_CAPTIONS)))
    if channel is not None:
        found.append(channel)
    if channel not in ("NODIS", "EXDIS") and draw(st.booleans()):
        found.append("SIPDIS")
    return tuple(draw(st.permutations(found)))


@dataclass(frozen=True)
class Head:
    """The fields between the classification line and the text (section 1 only)."""

    captions: tuple[str, ...] = ()
    passing: tuple[str, ...] = ()
    declassification: Declassification | None = None
    tags: tuple[Tag, ...] = ()
    subject: str | None = None
    subject_marking: Marking | None = None
    classified_by: ClassifiedBy | None = None


@st.composite
def heads(draw: st.DrawFn, on: date, banner: Marking) -> Head:
    """Head fields for a cable dated ``on`` under ``banner``: Classified By and a dated,
    exempted or event declassification only when classified, N/A otherwise."""
    classified = banner.level.is_classified
    subject_mark = None
    if draw(st.booleans()):
        # Subject lines carry a short mark: (U), (C), (SBU), (S/NF).
        mark = draw(portion_markings(banner))
        subject_mark = Marking(mark.level, mark.caveats & {"NOFORN"})
    return Head(
        captions=draw(caption_lists(banner)),
        passing=tuple(draw(st.lists(st.sampled_from(PASSING), max_size=2, unique=True))),
        declassification=draw(declassifications(on, classified))
        if draw(st.integers(0, 9)) > 0
        else None,
        tags=draw(tag_lists(on)),
        subject=draw(subjects()),
        subject_marking=subject_mark,
        classified_by=draw(classified_bys(on)) if classified else None,
    )
