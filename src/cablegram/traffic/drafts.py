"""A draft: what a drafter writes before release gives the cable its numbers (issue 6,
item 1; spec §2).

`DraftContent` holds the fields a drafter chooses: origin post, action (TO) and
information (INFO) addressees, precedences, captions, passing instructions, TAGS,
subject, references, Classified By, the declassification instruction, named recipients
(for NODIS and EXDIS), the signature and the body. Everything else is derived:

* **The banner is computed, never lowered.** It is the join (`Marking.join`) of every
  portion marking (paragraphs, a marked subject) and of the optional ``classification``
  the drafter asks for, which can raise the banner but never lower it below a portion
  (5 FAH-1 H-240 [S10]: the overall classification is the highest portion's). Unmarked
  text (an introduction, headings, the signature) takes the banner (`access.portions`).
* **Caveat captions follow the banner**: NOFORN, ORCON, PROPIN and a ``REL TO`` list are
  captioned under the classification line, SENSITIVE for an SBU cable (spec §2.1, §2.2),
  after the drafter's own captions (SIPDIS first, as in the sample).
* **The E.O. and the section of the reasons follow the date** (`executive_order`,
  `reasons_section`): E.O. 12958 until 2009-12-28, then 13526 [S28]; reasons under 1.5
  before E.O. 13292 (2003-03-25), then 1.4. The drafter gives only the instruction
  (``03/01/2017``, ``25X1``, an event) and the reason letters.
* References are lettered A, B, C ... when there are several (spec §2.6).

The body is written in a small markdown-like format (`parse_body`, `format_body`):

* blocks are separated by blank lines; within a block lines are joined with a space
  (soft wraps) except after a line ending in a backslash, which keeps a hard break (a
  participants list);
* ``N. (MARK) text`` starts paragraph N with its portion marking (``S``, ``C/NF``,
  ``SBU``, ``C/REL USA, GBR``); every numbered paragraph must be marked (issue 6);
* ``## Heading`` is the heading of the paragraph after it;
* a plain block continues the paragraph before it (as its next block); the first block,
  or one after a heading, starts an unnumbered paragraph (an introduction; ``(C) ...``
  marks it, before the first numbered paragraph);
* a block starting with a backslash is plain text even when it looks like one of the
  above (``\\3. is not a paragraph``).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import date

from cablegram.model import (
    UNCLASSIFIED,
    Addressee,
    Cable,
    ClassifiedBy,
    Declassification,
    DeclassificationKind,
    Level,
    Marking,
    Paragraph,
    Precedence,
    Reference,
    Tag,
    TagKind,
)
from cablegram.read.declassification import declassification
from cablegram.read.marking import portion_marking
from cablegram.read.subject import subject as read_subject
from cablegram.read.tags import tags as read_tags

#: E.O. 13526 replaced E.O. 12958 on 29 December 2009 (75 FR 707 [S28]).
EO_13526_FROM = date(2009, 12, 29)
#: E.O. 13292 renumbered the classification categories from 1.5 to 1.4 on 25 March 2003.
SECTION_14_FROM = date(2003, 3, 25)
#: Banner caveats that State captions under the classification line (spec §2.2).
CAVEAT_CAPTIONS = ("NOFORN", "ORCON", "PROPIN")

_NUMBERED = re.compile(r"^(\d{1,3})\.\s+(?:\(([^()]{1,80})\)\s*)?(.*)$", re.DOTALL)
_MARKED = re.compile(r"^\(([^()]{1,80})\)\s+(.*)$", re.DOTALL)
_HEADING = re.compile(r"^#{1,6}\s+(.*)$", re.DOTALL)
_LETTERED = re.compile(r"^(?:\(?[A-Z][.)])\s+")


class DraftState(enum.Enum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    """Sent to its clearers; none has returned it."""
    RETURNED = "returned"
    """A clearer returned it with a comment; the drafter edits and submits again."""
    CLEARED = "cleared"
    """Every named clearer cleared it: a releaser may release it."""
    RELEASED = "released"


class DraftError(ValueError):
    """A draft that cannot be read or saved; ``line`` is 1-based in the text given."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(f"line {line}: {message}" if line is not None else message)
        self.line = line


@dataclass(frozen=True)
class DraftContent:
    """The fields a drafter writes. Addresses are kept as written; `AddressBook` resolves
    them whenever the draft is saved and when it is released."""

    origin: str
    to: tuple[str, ...]
    info: tuple[str, ...] = ()
    precedence: Precedence = Precedence.ROUTINE
    info_precedence: Precedence | None = None
    """None: the information addressees get the action precedence."""
    classification: Level | None = None
    """A level the banner must reach at least; portions may raise it further."""
    captions: tuple[str, ...] = ()
    passing: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    subject: str = ""
    """``(C) TEXT`` marks the subject."""
    references: tuple[str, ...] = ()
    """One reference each, as written: ``STATE 003773``, ``06 STATE 201804 (NOTAL)``."""
    classified_by: str | None = None
    """``DCM Daniel A. Russell``: the classifier's title and name."""
    reasons: tuple[str, ...] = ()
    """Letters (a)-(h) of the classification categories."""
    declassify: str | None = None
    """``03/01/2017``, ``25X1`` or an event; None writes ``N/A`` (unclassified cables)."""
    recipients: tuple[str, ...] = ()
    """Named recipients (user names): the only readers of a NODIS or EXDIS cable."""
    signature: str | None = None
    body: str = ""

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["precedence"] = self.precedence.value
        data["info_precedence"] = self.info_precedence.value if self.info_precedence else None
        data["classification"] = self.classification.name if self.classification else None
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> DraftContent:
        def strings(name: str) -> tuple[str, ...]:
            value = data.get(name) or ()
            assert isinstance(value, list | tuple), name
            return tuple(str(item) for item in value)

        def optional(name: str) -> str | None:
            value = data.get(name)
            return None if value is None else str(value)

        info_precedence = optional("info_precedence")
        level = optional("classification")
        return cls(
            origin=str(data["origin"]),
            to=strings("to"),
            info=strings("info"),
            precedence=Precedence(data["precedence"]),
            info_precedence=Precedence(info_precedence) if info_precedence else None,
            classification=Level[level] if level else None,
            captions=strings("captions"),
            passing=strings("passing"),
            tags=strings("tags"),
            subject=str(data.get("subject") or ""),
            references=strings("references"),
            classified_by=optional("classified_by"),
            reasons=strings("reasons"),
            declassify=optional("declassify"),
            recipients=strings("recipients"),
            signature=optional("signature"),
            body=str(data.get("body") or ""),
        )


@dataclass(frozen=True)
class Text:
    """The text fields of the cable a draft makes, before numbering."""

    classification: Marking
    captions: tuple[str, ...]
    passing: tuple[str, ...]
    declassification: Declassification
    tags: tuple[Tag, ...]
    subject: str
    subject_marking: Marking | None
    references: tuple[Reference, ...]
    classified_by: ClassifiedBy | None
    paragraphs: tuple[Paragraph, ...]
    signature: str | None
    notes: tuple[str, ...] = field(default=())
    """Things the drafter should know that are not lint findings (a raised banner)."""

    def apply(self, cable: Cable) -> Cable:
        """``cable`` with these text fields."""
        return replace(
            cable,
            classification=self.classification,
            captions=self.captions,
            passing=self.passing,
            declassification=self.declassification,
            tags=self.tags,
            subject=self.subject,
            subject_marking=self.subject_marking,
            references=self.references,
            classified_by=self.classified_by,
            paragraphs=self.paragraphs,
            signature=self.signature,
        )


def executive_order(on: date) -> str:
    """The classification order in force on a release day: 12958, then 13526."""
    return "13526" if on >= EO_13526_FROM else "12958"


def reasons_section(on: date) -> str:
    return "1.4" if on >= SECTION_14_FROM else "1.5"


def text_fields(content: DraftContent, on: date) -> Text:
    """The text of the cable ``content`` makes when released on ``on``."""
    paragraphs = parse_body(content.body)
    subject = read_subject(content.subject) if content.subject.strip() else None
    subject_marking = subject.marking if subject else None
    markings = [p.marking for p in paragraphs if p.marking is not None]
    if subject_marking is not None:
        markings.append(subject_marking)
    portions = Marking.highest(markings)
    requested = Marking(content.classification) if content.classification else None
    banner = Marking.highest(m for m in (portions, requested) if m is not None) or UNCLASSIFIED
    notes: list[str] = []
    if requested is not None and banner.level > requested.level:
        notes.append(
            f"the banner is {banner.level.word}, not {requested.level.word}: "
            "a banner is never lower than a portion"
        )
    return Text(
        classification=banner,
        captions=captions_for(content.captions, banner),
        passing=tuple(" ".join(p.upper().split()) for p in content.passing if p.strip()),
        declassification=_declassification(content.declassify, on),
        tags=read_tags(" ".join(content.tags), on),
        subject=subject.text if subject else "",
        subject_marking=subject_marking,
        references=_references(content.references),
        classified_by=_classified_by(content, on),
        paragraphs=paragraphs,
        signature=content.signature.strip().upper() if content.signature else None,
        notes=tuple(notes),
    )


def captions_for(written: tuple[str, ...], banner: Marking) -> tuple[str, ...]:
    """The drafter's captions, then those the banner needs and lacks."""
    found = list(dict.fromkeys(" ".join(c.upper().split()) for c in written if c.strip()))
    needed = [c for c in CAVEAT_CAPTIONS if c in banner.caveats]
    if banner.level is Level.SBU:
        needed.append("SENSITIVE")
    if banner.rel_to:
        needed.append("REL TO " + ", ".join(banner.rel_to))
    return tuple(found + [c for c in needed if c not in found])


def _declassification(instruction: str | None, on: date) -> Declassification:
    order = executive_order(on)
    if instruction is None or not instruction.strip():
        return Declassification(order, DeclassificationKind.NOT_APPLICABLE)
    # The reader takes any instruction that is not a date or an exemption for an event.
    parsed = declassification(f"E.O. {order}: DECL: {instruction.strip()}")
    assert parsed is not None
    return parsed


def _references(written: tuple[str, ...]) -> tuple[Reference, ...]:
    lettered = len(written) > 1
    found: list[Reference] = []
    for position, line in enumerate(written):
        text = _LETTERED.sub("", " ".join(line.split()))
        notal = bool(re.search(r"\(NOTAL\)\s*$", text, re.IGNORECASE))
        text = re.sub(r"\s*\(NOTAL\)\s*$", "", text, flags=re.IGNORECASE)
        letter = chr(ord("A") + position) if lettered else None
        found.append(Reference(text=text, letter=letter, notal=notal))
    return tuple(found)


def _classified_by(content: DraftContent, on: date) -> ClassifiedBy | None:
    if content.classified_by is None or not content.classified_by.strip():
        return None
    reasons = tuple(dict.fromkeys(r.strip(" ()").lower() for r in content.reasons if r.strip()))
    return ClassifiedBy(
        name=" ".join(content.classified_by.split()),
        reasons=tuple(sorted(reasons)),
        section=reasons_section(on) if reasons else None,
    )


# -- the body format -------------------------------------------------------------------


def parse_body(body: str) -> tuple[Paragraph, ...]:
    """The paragraphs of a body written in the draft format (module notes)."""
    paragraphs: list[Paragraph] = []
    heading: str | None = None
    heading_line = 0
    numbered = False
    for line, block in _blocks(body):
        if block.startswith("\\"):
            kind, number, mark, text = "plain", None, None, block[1:]
        elif match := _HEADING.match(block):
            if heading is not None:
                raise DraftError("two headings in a row", line)
            heading, heading_line = " ".join(match.group(1).split()), line
            continue
        elif match := _NUMBERED.match(block):
            kind, number, mark, text = "numbered", int(match.group(1)), match.group(2), match[3]
        elif (match := _MARKED.match(block)) and portion_marking(match.group(1)) is not None:
            kind, number, mark, text = "marked", None, match.group(1), match.group(2)
        else:
            kind, number, mark, text = "plain", None, None, block
        marking = portion_marking(mark) if mark is not None else None
        if kind == "numbered":
            if marking is None:
                said = f"({mark}) is not a portion marking" if mark else "has no portion marking"
                raise DraftError(f"paragraph {number} {said}: write '{number}. (C) ...'", line)
            numbered = True
        elif kind == "marked" and numbered:
            raise DraftError("a marked block after a numbered paragraph: number it", line)
        elif kind == "plain" and paragraphs and heading is None:
            last = paragraphs[-1]
            paragraphs[-1] = Paragraph(
                last.number, last.marking, f"{last.text}\n\n{text}", last.heading
            )
            continue
        paragraphs.append(Paragraph(number, marking, text, heading))
        heading = None
    if heading is not None:
        raise DraftError("a heading with no paragraph after it", heading_line)
    return tuple(paragraphs)


def _blocks(body: str) -> list[tuple[int, str]]:
    """(first line number, text) of each block, soft wraps joined, hard breaks kept."""
    blocks: list[tuple[int, str]] = []
    current: list[str] = []
    start = 0
    for number, raw in enumerate(body.splitlines(), start=1):
        if not raw.strip():
            if current:
                blocks.append((start, _join(current)))
                current = []
            continue
        if not current:
            start = number
        current.append(raw)
    if current:
        blocks.append((start, _join(current)))
    return blocks


def _join(lines: list[str]) -> str:
    text = ""
    for position, line in enumerate(lines):
        stripped = line.strip()
        hard = stripped.endswith("\\") and position < len(lines) - 1
        text += stripped[:-1].rstrip() if hard else stripped
        if position < len(lines) - 1:
            text += "\n" if hard else " "
    return text


def format_body(paragraphs: tuple[Paragraph, ...]) -> str:
    """The draft-format text of ``paragraphs``: `parse_body` reads it back to them. (Two
    unnumbered paragraphs in a row have no draft form apart from one paragraph of two
    blocks; the reader does not tell them apart either.)"""
    blocks: list[str] = []
    for paragraph in paragraphs:
        if paragraph.heading:
            blocks.append(f"## {paragraph.heading}")
        pieces = paragraph.text.split("\n\n")
        prefix = f"{paragraph.number}. " if paragraph.number is not None else ""
        if paragraph.marking is not None:
            prefix += f"({paragraph.marking.portion}) "
        first, rest = pieces[0], pieces[1:]
        blocks.append(prefix + _hard(first) if prefix else _plain(first))
        blocks.extend(_plain(piece) for piece in rest)
    return "\n\n".join(blocks) + "\n"


def _hard(text: str) -> str:
    return "\\\n".join(text.split("\n"))


def _plain(text: str) -> str:
    """A plain block, escaped when it would read as a heading or a (marked) paragraph."""
    looks_special = bool(_HEADING.match(text) or _NUMBERED.match(text) or _MARKED.match(text))
    return ("\\" if looks_special or text.startswith("\\") else "") + _hard(text)


def content_from_cable(cable: Cable, origin: str | None = None) -> DraftContent:
    """A draft with the content of an existing cable (to send it again, or to re-create
    it): its addressees with their routing indicators, fields and body."""

    def address(addressee: Addressee) -> str:
        written = addressee.address
        if addressee.routing_indicator:
            written = f"{addressee.routing_indicator}/{written}"
        if addressee.exempted:
            written += " XMT " + ", ".join(addressee.exempted)
        return written

    action = cable.to[0].precedence if cable.to else None
    information = cable.info[0].precedence if cable.info else None
    subject = cable.subject or ""
    if cable.subject_marking is not None:
        subject = f"({cable.subject_marking.portion}) {subject}"
    by = cable.classified_by
    return DraftContent(
        origin=origin or cable.origin or "",
        to=tuple(address(a) for a in cable.to),
        info=tuple(address(a) for a in cable.info),
        precedence=action or cable.precedence or Precedence.ROUTINE,
        info_precedence=information if information is not action else None,
        classification=cable.level,
        captions=cable.captions,
        passing=cable.passing,
        tags=tuple(f"({t.code})" if t.kind is TagKind.PERSON else t.code for t in cable.tags),
        subject=subject,
        references=tuple(r.text + (" (NOTAL)" if r.notal else "") for r in cable.references),
        classified_by=" ".join(p for p in (by.title, by.name) if p) if by else None,
        reasons=by.reasons if by else (),
        declassify=_instruction(cable.declassification),
        signature=cable.signature,
        body=format_body(cable.paragraphs),
    )


def _instruction(declassification: Declassification | None) -> str | None:
    if declassification is None:
        return None
    match declassification.kind:
        case DeclassificationKind.DATE:
            return f"{declassification.date:%m/%d/%Y}" if declassification.date else None
        case DeclassificationKind.EXEMPTION:
            return declassification.exemption
        case DeclassificationKind.EVENT:
            return declassification.event
        case DeclassificationKind.NOT_APPLICABLE:
            return None
