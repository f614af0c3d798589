"""The cable: a typed, immutable record of everything a State telegram carries.

Field names follow the format reference (``shared/spec/cable-format.md``): the ACP-127
envelope (FL1-FL8), the text's classification line, captions, E.O. line, TAGS, SUBJECT,
REF list, Classified By, marked paragraphs and the signature. Values are as the cable
states them; nothing here does I/O or parsing.

Equality ignores `Cable.original_text` and `Cable.diagnostics`, so that a cable rendered
and read back compares equal to the model it was rendered from.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime

from cablegram.model.marking import Level, Marking
from cablegram.model.precedence import Precedence


@dataclass(frozen=True)
class Diagnostic:
    """Something the reader could not read, or read with a repair.

    ``line`` and ``end_line`` are 1-based line numbers in the original text (inclusive).
    """

    code: str
    message: str
    line: int | None = None
    end_line: int | None = None


@dataclass(frozen=True)
class Envelope:
    """ACP-127 format lines 1-5 (transmission id to preamble)."""

    transmission_id: str | None = None
    """FL1, e.g. ``VZCZCXYZ0000``."""
    routing_precedence: Precedence | None = None
    """FL2's doubled prosign (``PP``): the highest precedence of the message."""
    delivering_stations: tuple[str, ...] = ()
    """FL2 routing indicators of the stations responsible for delivery (``RUEHWEB``)."""
    originating_station: str | None = None
    """FL3 routing indicator after DE (``RUEHMO``)."""
    station_serial: int | None = None
    """FL3 ``#1002``: the last four digits of the cable's serial."""
    section: int | None = None
    """FL3 ``/01``: the transmission section."""
    filing_time: str | None = None
    """FL3 Julian filing time ``JJJHHMM`` (``0681523`` = day 68, 15:23Z)."""
    security_line: str | None = None
    """FL4, e.g. ``ZNY SSSSS ZZH``."""
    precedences: tuple[Precedence, ...] = ()
    """FL5 prosigns: action precedence first, then info precedence if dual."""

    @property
    def filing_day(self) -> int | None:
        """Ordinal day of the year from the Julian filing time."""
        if self.filing_time is None or len(self.filing_time) != 7:
            return None
        return int(self.filing_time[:3])


@dataclass(frozen=True)
class Addressee:
    """One FM/TO/INFO address line: ``RUEHC/SECSTATE WASHDC PRIORITY 8096``."""

    address: str
    """Plain-language address (PLA), e.g. ``SECSTATE WASHDC``."""
    routing_indicator: str | None = None
    precedence: Precedence | None = None
    mcn: int | None = None
    """Message continuity number, for State addressees only."""
    exempted: tuple[str, ...] = ()
    """Posts excluded from a collective with ``XMT``."""


@dataclass(frozen=True)
class Section:
    """``SECTION 01 OF 02`` on the classification line."""

    number: int
    total: int


class TagKind(enum.Enum):
    SUBJECT = "subject"
    PROGRAM = "program"
    GEOGRAPHIC = "geographic"
    ORGANIZATION = "organization"
    PERSON = "person"
    UNKNOWN = "unknown"


class TagEra(enum.Enum):
    """Which code table a geographic TAG belongs to (RS: Russia in FIPS, Serbia in GENC)."""

    TAGS_1974 = "1974"
    FIPS = "fips"
    CURRENT = "current"


@dataclass(frozen=True)
class Tag:
    code: str
    """As written: ``PREL``, ``RS``, or a person name ``STEINBERG, JAMES B.``."""
    kind: TagKind = TagKind.UNKNOWN
    era: TagEra | None = None
    """The code table that decides the meaning (geographic TAGS only)."""


class DeclassificationKind(enum.Enum):
    DATE = "date"
    EXEMPTION = "exemption"
    EVENT = "event"
    NOT_APPLICABLE = "n/a"


@dataclass(frozen=True)
class Declassification:
    """The E.O. line: ``E.O. 12958: DECL: 03/01/2017`` or ``E.O. 12958: N/A``."""

    order: str | None
    kind: DeclassificationKind
    date: date | None = None
    exemption: str | None = None
    """``25X1``, ``X1``, ``OADR`` ..."""
    event: str | None = None
    """A declassification event, e.g. ``AFTER KOREAN UNIFICATION``."""


class ReferenceKind(enum.Enum):
    CABLE = "cable"
    EMAIL = "email"
    MESSAGE = "message"
    """A military or non-State message cited by DTG (``SECDEF R162245Z OCT 08``)."""
    DOCUMENT = "document"
    """Memo, letter, report, telcon, meeting, IIR, OSC item ..."""
    OTHER = "other"


@dataclass(frozen=True)
class Reference:
    """An entry of the REF list."""

    text: str
    """The reference as written, without its letter."""
    kind: ReferenceKind = ReferenceKind.OTHER
    id: str | None = None
    """Canonical cable id when the reference is a cable: ``07STATE3773``."""
    letter: str | None = None
    notal: bool = False


@dataclass(frozen=True)
class ClassifiedBy:
    """``Classified By: DCM Daniel A. Russell for reasons 1.4 (b/d).``"""

    name: str | None
    title: str | None = None
    reasons: tuple[str, ...] = ()
    """Letters a-h of the order's classification categories."""
    section: str | None = None
    """The section cited: ``1.4`` (E.O. 12958 as amended, 13526) or ``1.5`` (before 2003)."""


@dataclass(frozen=True)
class Paragraph:
    number: int | None
    """None for unnumbered text, such as an introduction."""
    marking: Marking | None
    """The portion marking as written, None when unmarked."""
    text: str
    """Text with soft line wraps removed; hard line breaks and blank lines kept."""
    heading: str | None = None
    """The section heading written just before this paragraph."""


class BlockKind(enum.Enum):
    SUMMARY = "summary"
    COMMENT = "comment"
    NOTE = "note"


@dataclass(frozen=True)
class Block:
    """A summary, comment or note block inside the paragraphs."""

    kind: BlockKind
    text: str
    paragraph: int | None = None


@dataclass(frozen=True)
class Participant:
    name: str
    title: str | None = None
    affiliation: str | None = None
    side: str | None = None
    """The group heading the list gives (``U.S.``, ``Russia``)."""


@dataclass(frozen=True)
class Part:
    """Part n of m of a multi-part cable, with the references that are the other parts."""

    number: int
    total: int | None = None
    other: tuple[str, ...] = ()
    """Canonical ids (or reference letters when unresolved) of the other parts."""


@dataclass(frozen=True)
class Cable:
    id: str | None = None
    """Canonical id: two-digit year + origin + serial without zeros (``07MOSCOW1002``)."""
    envelope: Envelope = field(default_factory=Envelope)
    dtg: datetime | None = None
    """Date-time group as an aware UTC datetime."""
    originator: Addressee | None = None
    """The FM line."""
    to: tuple[Addressee, ...] = ()
    info: tuple[Addressee, ...] = ()
    classification: Marking | None = None
    """The banner: the classification line's level with the caveats captioned under it."""
    origin: str | None = None
    """Origin as written in canonical ids (``MOSCOW``, ``STATE``, ``USUNNEWYORK``)."""
    serial: int | None = None
    """The cable number on the classification line (``MOSCOW 001002`` -> 1002)."""
    section: Section | None = None
    captions: tuple[str, ...] = ()
    passing: tuple[str, ...] = ()
    """Passing instructions: ``DEPT FOR EUR/RUS``."""
    declassification: Declassification | None = None
    tags: tuple[Tag, ...] = ()
    subject: str | None = None
    subject_marking: Marking | None = None
    references: tuple[Reference, ...] = ()
    classified_by: ClassifiedBy | None = None
    paragraphs: tuple[Paragraph, ...] = ()
    blocks: tuple[Block, ...] = ()
    participants: tuple[Participant, ...] = ()
    part: Part | None = None
    signature: str | None = None
    partial: bool = False
    """The text is a partial extract, not the whole cable."""
    original_text: str = field(default="", compare=False, repr=False)
    diagnostics: tuple[Diagnostic, ...] = field(default=(), compare=False)

    @property
    def precedence(self) -> Precedence | None:
        """The action precedence: the first addressee's, else the envelope's."""
        for addressee in self.to:
            if addressee.precedence is not None:
                return addressee.precedence
        if self.envelope.precedences:
            return self.envelope.precedences[0]
        return self.envelope.routing_precedence

    @property
    def portion_marking(self) -> Marking | None:
        """The join of all portion markings (None when no portion is marked)."""
        return Marking.highest(p.marking for p in self.paragraphs if p.marking is not None)

    @property
    def overall_classification(self) -> Marking | None:
        """The banner joined with every portion marking: what the whole cable is, even
        when its banner understates a portion (which the linter reports)."""
        markings = [self.classification, self.subject_marking]
        markings.extend(p.marking for p in self.paragraphs)
        return Marking.highest(m for m in markings if m is not None)

    @property
    def level(self) -> Level | None:
        return self.classification.level if self.classification else None

    def paragraph(self, number: int) -> Paragraph | None:
        for paragraph in self.paragraphs:
            if paragraph.number == number:
                return paragraph
        return None


def canonical_id(year: int, origin: str, serial: int) -> str:
    """``canonical_id(2007, "MOSCOW", 1002) == "07MOSCOW1002"``."""
    return f"{year % 100:02d}{origin}{serial}"
