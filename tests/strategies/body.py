"""Paragraphs, and what the reader derives from them: blocks, participants, part n of m."""

from __future__ import annotations

import string
from dataclasses import dataclass

from hypothesis import strategies as st

from cablegram.model import Block, BlockKind, Marking, Paragraph, Part, Participant, Reference
from strategies.markings import portion_markings
from strategies.text import (
    FIRST_NAMES,
    HEADING_WORDS,
    LAST_NAMES,
    LOWER_WORDS,
    paragraph_texts,
    sentences,
)

PARTICIPANT_TITLES = ("U/S", "A/S", "DFM", "PDAS", "DASD", "ASD(Acting)", "Gen-Lt.", "Amb.", "Dr.")
AFFILIATIONS = ("State/T", "State/ISN", "OSD", "DOE/NNSA", "NSC", "MFA", "MFA/DVBR", "Rosatom")
SIDES = ("U.S.", "Russia", "France", "Georgia")
NUMBER_WORDS = ("one", "two", "three", "four", "five")
HEADINGS = st.lists(st.sampled_from(HEADING_WORDS), min_size=1, max_size=5).map(
    lambda words: " ".join([words[0].capitalize(), *words[1:]])
)


@dataclass(frozen=True)
class DraftParagraph:
    """Paragraph text with what the reader must derive from it."""

    text: str
    block: tuple[BlockKind, str] | None = None
    participants: tuple[Participant, ...] = ()


@st.composite
def plain_paragraphs(draw: st.DrawFn) -> DraftParagraph:
    return DraftParagraph(draw(_PARAGRAPH_TEXTS))


@st.composite
def framed_paragraphs(draw: st.DrawFn, kind: BlockKind) -> DraftParagraph:
    """``Summary: ... End summary.``, ``Comment: ... End comment.`` or
    ``(Note: ... End note.)`` followed by more text."""
    body = draw(_SENTENCES)
    if kind is BlockKind.NOTE:
        tail = " " + draw(_SENTENCES) if draw(st.booleans()) else ""
        return DraftParagraph(f"(Note: {body} End note.){tail}", (kind, body))
    label = kind.value
    return DraftParagraph(f"{label.capitalize()}: {body} End {label}.", (kind, body))


@st.composite
def participant_paragraphs(draw: st.DrawFn) -> DraftParagraph:
    """``Meeting Participants.`` then, per side, ``U.S.:`` and one participant a line."""
    header = draw(
        st.sampled_from(("Meeting Participants.", "Participants:", "Lunch Participants."))
    )
    sides = draw(st.lists(st.sampled_from(SIDES), min_size=1, max_size=2, unique=True))
    chunks = [header]
    found: list[Participant] = []
    for side in sides:
        people = draw(
            st.lists(
                st.tuples(
                    st.sampled_from((None, *PARTICIPANT_TITLES)),
                    st.sampled_from(FIRST_NAMES),
                    st.sampled_from(LAST_NAMES),
                    st.sampled_from((None, *AFFILIATIONS)),
                ),
                min_size=1,
                max_size=5,
            )
        )
        lines = []
        for title, first, last, affiliation in people:
            name = f"{first} {last}"
            found.append(Participant(name, title, affiliation, side))
            line = f"{title} {name}" if title else name
            lines.append(f"{line}, {affiliation}" if affiliation else line)
        chunks.extend([f"{side}:", "\n".join(lines)])
    return DraftParagraph("\n\n".join(chunks), participants=tuple(found))


@st.composite
def part_paragraphs(draw: st.DrawFn, refs: tuple[Reference, ...]) -> tuple[DraftParagraph, Part]:
    """``This is part two of a two-part cable ... Part one is Ref G.``"""
    total = draw(st.integers(2, 5))
    number = draw(st.integers(1, total))
    in_words = draw(st.booleans())

    def spell(value: int) -> str:
        return NUMBER_WORDS[value - 1] if in_words else str(value)

    topic = " ".join(draw(st.lists(st.sampled_from(LOWER_WORDS), min_size=1, max_size=4)))
    text = f"This is part {spell(number)} of a {spell(total)}-part cable, reporting on {topic}."
    other: tuple[str, ...] = ()
    if number > 1 and draw(st.booleans()):
        lettered = [r for r in refs if r.letter]
        if lettered and draw(st.booleans()):
            cited = draw(st.sampled_from(lettered))
            letter = str(cited.letter)
            other = (cited.id or letter,)
        else:
            letter = string.ascii_uppercase[len(refs) + draw(st.integers(0, 3))]
            other = (letter,)
        text += f" Part one is Ref {letter}."
    if draw(st.booleans()):
        text += " " + draw(_SENTENCES)
    return DraftParagraph(text), Part(number, total, other)


# Built once: hypothesis validates every new strategy object, which dominates generation.
_SENTENCES = sentences()
_PARAGRAPH_TEXTS = paragraph_texts()
_PLAIN = plain_paragraphs()
_PARTICIPANT_LISTS = participant_paragraphs()
_FRAMED = {kind: framed_paragraphs(kind) for kind in BlockKind}


@dataclass(frozen=True)
class Body:
    paragraphs: tuple[Paragraph, ...]
    blocks: tuple[Block, ...]
    participants: tuple[Participant, ...]
    part: Part | None


@st.composite
def bodies(draw: st.DrawFn, banner: Marking, refs: tuple[Reference, ...]) -> Body:
    """Paragraphs: an optional unnumbered introduction (or a single unnumbered paragraph),
    then paragraphs numbered 1..n, some marked, some with headings, with summary, comment,
    note, participant-list and part-n-of-m paragraphs."""
    numbered_count = draw(st.integers(0, 7))
    has_intro = numbered_count == 0 or draw(st.booleans())
    marking_mode = draw(st.sampled_from(("all", "none", "some")))
    drafts: list[tuple[int | None, DraftParagraph]] = []
    part: Part | None = None
    summary_used = False
    if has_intro:
        intro_kind = draw(st.sampled_from(("plain", "part", "summary")))
        if intro_kind == "part":
            draft, part = draw(part_paragraphs(refs))
        elif intro_kind == "summary":
            draft, summary_used = draw(_FRAMED[BlockKind.SUMMARY]), True
        else:
            draft = draw(_PLAIN)
        drafts.append((None, draft))
    for number in range(1, numbered_count + 1):
        choices = ["plain", "plain", "plain", "comment", "note"]
        if number == 1 and not summary_used:
            choices.append("summary")
        if number == 1 and part is None:
            choices.append("part")
        if number < numbered_count:
            choices.append("participants")
        kind = draw(st.sampled_from(choices))
        if kind == "part":
            draft, part = draw(part_paragraphs(refs))
        elif kind == "participants":
            draft = draw(_PARTICIPANT_LISTS)
        elif kind == "plain":
            draft = draw(_PLAIN)
        else:
            draft = draw(_FRAMED[BlockKind(kind)])
        drafts.append((number, draft))

    paragraphs: list[Paragraph] = []
    blocks: list[Block] = []
    participants: list[Participant] = []
    for number, draft in drafts:
        marking = None
        heading = None
        if number is not None:
            marked = marking_mode == "all" or (marking_mode == "some" and draw(st.booleans()))
            marking = draw(portion_markings(banner)) if marked else None
            heading = draw(HEADINGS) if draw(st.integers(0, 3)) == 0 else None
        paragraphs.append(Paragraph(number, marking, draft.text, heading))
        if draft.block is not None:
            blocks.append(Block(draft.block[0], draft.block[1], number))
        participants.extend(draft.participants)
    return Body(tuple(paragraphs), tuple(blocks), tuple(participants), part)
