"""The cable reader: a telegram laid out for reading, as one reader may see it on one day.

Everything comes from the reader's view (`cablegram.archive.export.show`, i.e.
`cablegram.access.view`): a withheld portion is never in the page, only its placeholder
(``[paragraph 12 withheld — S]``), shown in a dashed box beside its marking; a portion
readable only because its classification lapsed carries the note "declassified on DAY".

Layout (spec ``shared/spec/cable-format.md``):

* **header fields** (§1 envelope, §2.1-2.6): id, date-time group (``091523Z MAR 07``, with
  the ISO date), precedence, FM, TO, INFO, the banner, captions (``SIPDIS``, ``NODIS``),
  passing instructions, the E.O. line, TAGS each with its meaning from the reference
  tables of its era (``RS``: Russia in the FIPS era, Serbia in the current one), SUBJECT,
  REF list and Classified By;
* **the text**: section headings and paragraphs in order, each portion's marking in the
  margin (``S``, ``SBU``; the banner's marking in grey for unmarked text, which takes it,
  spec §2.7), the signature last;
* **references**: a REF entry naming a cable links to it when the archive holds it and the
  reader may see it; otherwise it says "not in the archive" (the two are the same for the
  reader, issue 4: an invisible cable does not exist). Non-cable references (memos,
  e-mails, messages cited by DTG) are listed as written;
* **navigation**: contents (the section headings, each a link to its place), the parts of
  a multi-part cable (`cablegram.archive.graph.thread`: "part 2 of 2", previous/next),
  how many transmission sections it was sent in (spec §1.9: sections travel under one id),
  "cited by" (the cables citing it that the reader may see), the people named in what
  the reader may read, every version, and the raw text and JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cablegram.access import PortionView
from cablegram.access.portions import banner
from cablegram.archive.export import Shown
from cablegram.archive.graph import RefGraph, RefNode, Thread
from cablegram.archive.storage.base import Mention
from cablegram.model import Addressee, Cable, TagEra
from cablegram.reference import classify_tag, tag_meaning
from cablegram.web.pages.common import badge_class
from cablegram.write.body import classified_by_lines, declassification_line
from cablegram.write.header import format_dtg


@dataclass(frozen=True)
class TagRow:
    code: str
    meaning: str | None
    kind: str


@dataclass(frozen=True)
class ReferenceRow:
    letter: str
    text: str
    target: str | None
    """The cited cable's id when the reference is a cable."""
    linked: bool
    """The reader may open the cited cable."""
    notal: bool
    part: bool


@dataclass(frozen=True)
class PortionRow:
    anchor: str
    heading: bool
    number: int | None
    marking: str
    marked: bool
    """False when the text took the banner's marking (shown in grey)."""
    text: str
    withheld: bool
    declassified: bool


@dataclass(frozen=True)
class CitingRow:
    id: str
    date: str
    subject: str
    letter: str


@dataclass(frozen=True)
class PartRow:
    id: str
    label: str
    linked: bool
    current: bool
    sections: int


@dataclass(frozen=True)
class PersonRow:
    key: str
    name: str
    title: str


@dataclass(frozen=True)
class VersionRow:
    number: int
    released: str
    ingested: str
    current: bool
    shown: bool


@dataclass(frozen=True)
class CablePage:
    id: str
    version: int
    subject: str
    subject_withheld: bool
    subject_marking: str
    banner: str
    badge: str
    fields: tuple[tuple[str, str], ...]
    """Plain header fields (name, value), in telegram order."""
    to: tuple[str, ...]
    info: tuple[str, ...]
    captions: tuple[str, ...]
    tags: tuple[TagRow, ...]
    references: tuple[ReferenceRow, ...]
    classified_by: str
    portions: tuple[PortionRow, ...]
    contents: tuple[tuple[str, str], ...]
    """(anchor, heading) of the section headings."""
    declassified_on: str
    declassified_now: bool
    """The as-of day is on or after the declassification day."""
    withheld: int
    cited_by: tuple[CitingRow, ...]
    parts: tuple[PartRow, ...]
    previous_part: str | None
    next_part: str | None
    sections: int
    people: tuple[PersonRow, ...]
    versions: tuple[VersionRow, ...]


def _address(addressee: Addressee) -> str:
    precedence = f" {addressee.precedence.value}" if addressee.precedence else ""
    return f"{addressee.address}{precedence}"


def _portion_rows(portions: tuple[PortionView, ...]) -> tuple[PortionRow, ...]:
    rows: list[PortionRow] = []
    for seen in portions:
        portion = seen.portion
        if portion.key == "subject":
            continue  # shown in the header fields
        rows.append(
            PortionRow(
                anchor=portion.key.replace(":", "-"),
                heading=portion.key.startswith("heading:"),
                number=portion.paragraph if portion.key.startswith("paragraph:") else None,
                marking=portion.marking.portion,
                marked=portion.marked,
                text=seen.shown,
                withheld=not seen.readable,
                declassified=seen.declassified,
            )
        )
    return tuple(rows)


def _tags(cable: Cable) -> tuple[TagRow, ...]:
    return tuple(
        TagRow(tag.code, tag_meaning(tag.code, tag.kind, tag.era), tag.kind.value)
        for tag in cable.tags
    )


ERA_NAMES = (
    (TagEra.TAGS_1974, "1974 handbook (to 1979)"),
    (TagEra.FIPS, "FIPS 10-4 era (1980-2015)"),
    (TagEra.CURRENT, "current 5 FAH-3 (from 2016)"),
)
"""The TAGS eras of `cablegram.reference.eras`, as a TAG page names them."""


def tag_meanings(code: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """A TAG's kind (as the current era classifies it) and its meaning in each era whose
    tables give one: the same code can name different things (``RS``: Russia in the FIPS
    era, Serbia today)."""
    meanings: list[tuple[str, str]] = []
    for era, name in ERA_NAMES:
        kind, tag_era = classify_tag(code, era)
        meaning = tag_meaning(code, kind, tag_era)
        if meaning:
            meanings.append((name, meaning))
    kind, _ = classify_tag(code, TagEra.CURRENT)
    return kind.value, tuple(meanings)


def _references(cable: Cable, graph: RefGraph) -> tuple[ReferenceRow, ...]:
    own = {(link.letter, link.target): link for link in graph.cites if link.depth == 1}
    rows: list[ReferenceRow] = []
    for reference in cable.references:
        link = own.get((reference.letter, reference.id))
        rows.append(
            ReferenceRow(
                letter=reference.letter or "",
                text=reference.text,
                target=reference.id,
                linked=link is not None and link.resolved,
                notal=reference.notal,
                part=link is not None and link.part,
            )
        )
    return tuple(rows)


def _citing(graph: RefGraph) -> tuple[CitingRow, ...]:
    nodes: dict[str, RefNode] = {node.id: node for node in graph.nodes}
    rows: dict[str, CitingRow] = {}
    for link in graph.cited_by:
        if link.depth != 1 or link.source in rows:
            continue
        node = nodes.get(link.source)
        rows[link.source] = CitingRow(
            id=link.source,
            date=node.date.date().isoformat() if node and node.date else "",
            subject=(node.subject or "") if node else "",
            letter=link.letter or "",
        )
    return tuple(sorted(rows.values(), key=lambda row: (row.date, row.id)))


def _parts(thread: Thread) -> tuple[tuple[PartRow, ...], str | None, str | None]:
    rows: list[PartRow] = []
    for member in thread.members:
        number = f"Part {member.part}" if member.part else "Part ?"
        total = f" of {member.parts}" if member.parts else ""
        rows.append(
            PartRow(
                id=member.cable_id,
                label=f"{number}{total}",
                linked=member.node is not None,
                current=member.cable_id == thread.cable_id,
                sections=member.sections,
            )
        )
    where = next(i for i, row in enumerate(rows) if row.current)
    previous = rows[where - 1].id if where > 0 and rows[where - 1].linked else None
    following = rows[where + 1].id if where + 1 < len(rows) and rows[where + 1].linked else None
    return tuple(rows), previous, following


def _people(mentions: list[Mention]) -> tuple[PersonRow, ...]:
    found: dict[str, PersonRow] = {}
    for mention in mentions:
        known = found.get(mention.person)
        # The fullest written form names the person best (``Sergey Kislyak`` over
        # ``Kislyak``).
        if known is None or len(mention.name) > len(known.name):
            found[mention.person] = PersonRow(mention.person, mention.name, mention.title or "")
    return tuple(sorted(found.values(), key=lambda row: row.key))


def cable_page(
    shown: Shown,
    graph: RefGraph,
    thread: Thread,
    mentions: list[Mention],
    as_of: date,
) -> CablePage:
    """The reader's page of ``shown``; ``graph`` is its depth-1 reference graph, ``thread``
    its parts and ``mentions`` the people named in what the reader may read."""
    view = shown.view
    cable = view.cable
    stored = shown.reading.stored
    marking = banner(stored.cable)
    subject_view = next((p for p in view.portions if p.portion.key == "subject"), None)
    fields: list[tuple[str, str]] = []
    if cable.dtg is not None:
        fields.append(("Date", f"{format_dtg(cable.dtg)} ({cable.dtg.date().isoformat()})"))
    if cable.precedence is not None:
        fields.append(("Precedence", cable.precedence.value))
    if cable.originator is not None:
        fields.append(("From", cable.originator.address))
    if cable.origin:
        fields.append(("Origin", cable.origin))
    if cable.passing:
        fields.append(("Passing", "; ".join(cable.passing)))
    if cable.declassification is not None:
        fields.append(("E.O.", " ".join(declassification_line(cable.declassification))))
    parts, previous, following = _parts(thread)
    current = next(part for part in parts if part.current)
    rows = _portion_rows(view.portions)
    return CablePage(
        id=stored.cable_id,
        version=stored.version,
        subject=cable.subject or "",
        subject_withheld=subject_view is not None and not subject_view.readable,
        subject_marking=subject_view.portion.marking.portion if subject_view else "",
        banner=marking.banner,
        badge=badge_class(marking.level.word),
        fields=tuple(fields),
        to=tuple(_address(a) for a in cable.to),
        info=tuple(_address(a) for a in cable.info),
        captions=cable.captions,
        tags=_tags(cable),
        references=_references(cable, graph),
        classified_by=(
            " ".join(classified_by_lines(cable.classified_by)) if cable.classified_by else ""
        ),
        portions=rows,
        contents=tuple((row.anchor, row.text) for row in rows if row.heading),
        declassified_on=view.declassified_on.isoformat() if view.declassified_on else "",
        declassified_now=view.declassified_on is not None and as_of >= view.declassified_on,
        withheld=len(view.withheld),
        cited_by=_citing(graph),
        parts=parts if len(parts) > 1 else (),
        previous_part=previous,
        next_part=following,
        sections=current.sections,
        people=_people(mentions),
        versions=tuple(
            VersionRow(
                number=int(v["version"]),
                released=str(v["released"] or ""),
                ingested=str(v["ingested_at"] or ""),
                current=bool(v["current"]),
                shown=int(v["version"]) == stored.version,
            )
            for v in shown.versions
        ),
    )
