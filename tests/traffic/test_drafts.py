"""The draft: body format, computed banner and captions, the E.O. and reasons section by
date, references, the draft file; the body format round-trips any generated body."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from traffic_helpers import content

from cablegram.model import Cable, DeclassificationKind, Level, Marking, Paragraph, Precedence
from cablegram.traffic.draftfile import format_draft, parse_draft
from cablegram.traffic.drafts import (
    DraftContent,
    DraftError,
    captions_for,
    executive_order,
    format_body,
    parse_body,
    reasons_section,
    text_fields,
)
from cablegram.write import render
from strategies import cables

C = Marking(Level.CONFIDENTIAL)
S = Marking(Level.SECRET)
SBU = Marking(Level.SBU)
U = Marking(Level.UNCLASSIFIED)
C_NF = Marking(Level.CONFIDENTIAL, frozenset({"NOFORN"}))

BODIES = [
    # (body, paragraphs) -- shapes of the seed 07MOSCOW1002 and of hand-made drafts.
    ("1. (C) One.\n\n2. (S) Two.\n", (Paragraph(1, C, "One."), Paragraph(2, S, "Two."))),
    ("1. (C) A line\nwrapped softly.\n", (Paragraph(1, C, "A line wrapped softly."),)),
    ("1. (U) Participants.\n\nU.S.:\n\nU/S Robert Joseph\\\nA/S John Rood\n",
     (Paragraph(1, U, "Participants.\n\nU.S.:\n\nU/S Robert Joseph\nA/S John Rood"),)),
    ("Part two of two.\n\n## Space Policy\n\n1. (SBU) Talks.\n",
     (Paragraph(None, None, "Part two of two."), Paragraph(1, SBU, "Talks.", "Space Policy"))),
    ("(C) A marked introduction.\n\n1. (C/NF) Text.\n",
     (Paragraph(None, C, "A marked introduction."), Paragraph(1, C_NF, "Text."))),
    ("1. (S) First block.\n\nSecond block of the same paragraph.\n",
     (Paragraph(1, S, "First block.\n\nSecond block of the same paragraph."),)),
    ("1. (C) Text.\n\n\\2. is not a paragraph here.\n",
     (Paragraph(1, C, "Text.\n\n2. is not a paragraph here."),)),
]  # fmt: skip
BODY_IDS = ["numbered", "soft-wrap", "hard-breaks", "intro-and-heading", "marked-intro",
            "continuation", "escaped"]  # fmt: skip


@pytest.mark.parametrize(("body", "expected"), BODIES, ids=BODY_IDS)
def test_parse_body(body: str, expected: tuple[Paragraph, ...]) -> None:
    assert parse_body(body) == expected


@pytest.mark.parametrize(("body", "expected"), BODIES, ids=BODY_IDS)
def test_format_body_reads_back(body: str, expected: tuple[Paragraph, ...]) -> None:
    assert parse_body(format_body(expected)) == expected


BAD_BODIES = [
    ("1. The paragraph has no marking.\n", 1, "no portion marking"),
    ("1. (Q) Not a marking.\n", 1, "(Q) is not a portion marking"),
    ("1. (C) Text.\n\n(S) A marked block after it.\n", 3, "number it"),
    ("## One\n\n## Two\n\n1. (C) Text.\n", 3, "two headings"),
    ("1. (C) Text.\n\n## Dangling\n", 3, "no paragraph after it"),
]


@pytest.mark.parametrize(("body", "line", "message"), BAD_BODIES,
                         ids=["unmarked", "bad-marking", "marked-after", "two-headings", "dangling"])  # fmt: skip
def test_bad_bodies_name_their_line(body: str, line: int, message: str) -> None:
    with pytest.raises(DraftError, match=re.escape(message)) as raised:
        parse_body(body)
    assert raised.value.line == line


@settings(max_examples=25, deadline=None)
@given(cables())
def test_any_body_survives_the_draft_format(cable: Cable) -> None:
    """The paragraphs of any generated cable, written in the draft format and read back,
    render as the same telegram (numbered paragraphs marked, as drafts require)."""
    marked = tuple(
        replace(p, marking=p.marking or U) if p.number is not None else p for p in cable.paragraphs
    )
    cable = replace(cable, paragraphs=marked)
    again = replace(cable, paragraphs=parse_body(format_body(cable.paragraphs)))
    assert render(again) == render(cable)


@pytest.mark.parametrize(
    ("requested", "body", "banner"),
    [
        (None, "1. (C) One.\n\n2. (S) Two.\n", Level.SECRET),
        (Level.TOP_SECRET, "1. (C) One.\n", Level.TOP_SECRET),
        (Level.CONFIDENTIAL, "1. (S) One.\n", Level.SECRET),
        (None, "1. (SBU) One.\n", Level.SBU),
        (None, "Unmarked only.\n", Level.UNCLASSIFIED),
    ],
    ids=["join-of-portions", "raised-by-request", "not-lowered", "sbu", "unmarked"],
)
def test_banner_is_computed_and_never_lower_than_a_portion(
    requested: Level | None, body: str, banner: Level
) -> None:
    text = text_fields(content(classification=requested, body=body), date(2010, 3, 1))
    assert text.classification.level is banner
    lowered = requested is not None and banner > requested
    assert bool(text.notes) is lowered


def test_subject_marking_counts_for_the_banner() -> None:
    text = text_fields(
        content(subject="(S) A SECRET SUBJECT", body="1. (C) One.\n"), date(2010, 1, 1)
    )
    assert text.subject == "A SECRET SUBJECT" and text.subject_marking == S
    assert text.classification.level is Level.SECRET


@pytest.mark.parametrize(
    ("written", "banner", "captions"),
    [
        (("SIPDIS",), Marking(Level.SECRET, frozenset({"NOFORN"})), ("SIPDIS", "NOFORN")),
        (("SIPDIS",), SBU, ("SIPDIS", "SENSITIVE")),
        ((), Marking(Level.CONFIDENTIAL, rel_to=("USA", "GBR")), ("REL TO USA, GBR",)),
        (("noforn", "SIPDIS"), Marking(Level.SECRET, frozenset({"NOFORN"})), ("NOFORN", "SIPDIS")),
        (("EXDIS",), S, ("EXDIS",)),
    ],
    ids=["noforn-added", "sensitive-added", "rel-to", "kept-once", "nothing-added"],
)
def test_captions_follow_the_banner(
    written: tuple[str, ...], banner: Marking, captions: tuple[str, ...]
) -> None:
    assert captions_for(written, banner) == captions


@pytest.mark.parametrize(
    ("day", "order", "section"),
    [
        (date(2003, 3, 24), "12958", "1.5"),
        (date(2003, 3, 25), "12958", "1.4"),
        (date(2009, 12, 28), "12958", "1.4"),
        (date(2009, 12, 29), "13526", "1.4"),
    ],
    ids=["before-13292", "13292", "last-day-of-12958", "first-day-of-13526"],
)
def test_order_and_reasons_section_follow_the_release_day(
    day: date, order: str, section: str
) -> None:
    assert executive_order(day) == order
    assert reasons_section(day) == section
    text = text_fields(content(), day)
    assert text.declassification.order == order
    assert text.classified_by is not None and text.classified_by.section == section


def test_references_are_lettered_when_several() -> None:
    text = text_fields(
        content(references=("STATE 003773", "B. 06 STATE 201804 (NOTAL)")), date(2007, 3, 9)
    )
    assert [(r.letter, r.text, r.notal) for r in text.references] == [
        ("A", "STATE 003773", False),
        ("B", "06 STATE 201804", True),
    ]
    single = text_fields(content(references=("STATE 003773",)), date(2007, 3, 9))
    assert single.references[0].letter is None


@pytest.mark.parametrize(
    ("instruction", "kind", "value"),
    [
        (None, DeclassificationKind.NOT_APPLICABLE, None),
        ("03/01/2017", DeclassificationKind.DATE, date(2017, 3, 1)),
        ("25X1", DeclassificationKind.EXEMPTION, "25X1"),
        ("AFTER KOREAN UNIFICATION", DeclassificationKind.EVENT, "AFTER KOREAN UNIFICATION"),
    ],
    ids=["n/a", "date", "exemption", "event"],
)
def test_declassification_instruction(
    instruction: str | None, kind: DeclassificationKind, value: object
) -> None:
    made = text_fields(content(declassify=instruction), date(2010, 3, 1)).declassification
    assert made.kind is kind and made.order == "13526"
    assert value in (made.date, made.exemption, made.event)


def test_draft_file_round_trips() -> None:
    draft = content(
        info=("NSC", "CHINA POSTS COLLECTIVE XMT SHANGHAI"),
        info_precedence=Precedence.ROUTINE,
        precedence=Precedence.NIACT_IMMEDIATE,
        classification=Level.SECRET,
        passing=("DEPT FOR EUR/RUS",),
        references=("STATE 003773", "06 STATE 201804 (NOTAL)"),
        recipients=("nina",),
        signature="BEYRLE",
    )
    assert parse_draft(format_draft(draft, help_text=True)) == draft
    assert DraftContent.from_json(draft.to_json()) == draft


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("To: SECSTATE\n\n1. (C) Text.\n", "From: POST"),
        ("From: MOSCOW\nColour: red\n", "unknown header key 'colour'"),
        ("From: MOSCOW\nPrecedence: URGENT\n", "unknown precedence"),
        ("From: MOSCOW\nno colon here\n", "Key: value"),
    ],
    ids=["no-origin", "unknown-key", "bad-precedence", "no-colon"],
)
def test_bad_draft_files(text: str, message: str) -> None:
    with pytest.raises(DraftError, match=message):
        parse_draft(text)
