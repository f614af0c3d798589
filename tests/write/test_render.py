"""The writer: canonical telegram lines, wrapping, sections.

Expected lines are written by hand from the seed cable (07MOSCOW1002) and from the format
reference's examples, not produced by the code under test.
"""

from __future__ import annotations

import dataclasses
import itertools
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cablegram.model import (
    Addressee,
    Cable,
    ClassifiedBy,
    Declassification,
    DeclassificationKind,
    Envelope,
    Level,
    Marking,
    Paragraph,
    Precedence,
    Reference,
    ReferenceKind,
    Section,
    Tag,
    TagKind,
)
from cablegram.write import render, sections_needed, wrap
from cablegram.write.header import format_dtg
from strategies import SEED_CABLE, cables

# The seed's header as the canonical layout writes it (seed lines 1-45, with BT added and
# the reasons written "(b) and (d)").
SEED_HEADER = """\
VZCZCXYZ0000
PP RUEHWEB
DE RUEHMO #1002/01 0681523
ZNY SSSSS ZZH
P 091523Z MAR 07
FM AMEMBASSY MOSCOW
TO RUEHC/SECSTATE WASHDC PRIORITY 8096
INFO RHEHNSC/NSC WASHDC PRIORITY
RUEHUNV/USMISSION UNVIE VIENNA PRIORITY 0458
RUEKJCS/SECDEF WASHDC PRIORITY
RUEKJCS/JOINT STAFF WASHDC PRIORITY
RHEBAAA/DEPT OF ENERGY WASHDC PRIORITY
RUEATRS/DEPT OF TREASURY WASHDC PRIORITY
RUCNDT/USMISSION USUN NEW YORK PRIORITY 0318
RUEHNO/USMISSION USNATO PRIORITY 6763
BT
S E C R E T MOSCOW 001002

SIPDIS

E.O. 12958: DECL: 03/01/2017
TAGS: IAEA KACT KNNP MNUC PARM PREL IR RS START
SUBJECT: U/S JOSEPH-RUSSIAN DFM KISLYAK MEETING ON STRATEGIC SECURITY
DIALOGUE: PART II

REF: A. STATE 003773
B. 06 STATE 201804
C. 06 STATE 165526
D. STATE 007445
E. 06 STATE 028324
F. STATE 004837
G. MOSCOW 01001

Classified By: DCM Daniel A. Russell for reasons 1.4 (b) and (d).

This is part two of a two-part cable, reporting on the January 29
meeting of the U.S.-Russia Strategic Security Dialogue chaired by U/S
Joseph and Russian DFM Kislyak. Part one is Ref G.

Australia Group / Shchuch'ye Chemical Weapons Destruction Facility

1. (SBU) DFM Kislyak asked whether U/S Joseph had anything new on the
issue of the denial of Russia's membership in the Australia Group.
U/S Joseph said he did not.
"""

SEED_TRAILER = """\
Gen-Lt. Yevgeniy Buzhinskiy, MOD

20. (U) U/S Joseph has cleared this message.

RUSSELL
BT
#1002
NNNN
"""


def test_seed_header_and_first_paragraph() -> None:
    assert render(SEED_CABLE).startswith(SEED_HEADER)


def test_seed_ends_with_signature_and_trailer() -> None:
    assert render(SEED_CABLE).endswith(SEED_TRAILER)


def test_seed_participant_lines_keep_their_breaks() -> None:
    lines = render(SEED_CABLE).splitlines()
    start = lines.index("19. (U) Meeting Participants.")
    assert lines[start + 1 : start + 6] == [
        "",
        "U.S.:",
        "",
        "U/S Robert Joseph, State/T",
        "A/S John Rood, State/ISN",
    ]


def _bare(**fields: object) -> Cable:
    """A minimal cable: no envelope, origin MOSCOW, serial 1002, plus ``fields``."""
    defaults: dict[str, object] = {
        "classification": Marking(Level.UNCLASSIFIED),
        "origin": "MOSCOW",
        "serial": 1002,
    }
    return Cable(**{**defaults, **fields})  # type: ignore[arg-type]


def _text_lines(cable: Cable) -> list[str]:
    """The lines between the first BT and the next one."""
    lines = render(cable).splitlines()
    first = lines.index("BT")
    return lines[first + 1 : lines.index("BT", first + 1)]


@pytest.mark.parametrize(
    ("level", "section", "expected"),
    [
        (Level.UNCLASSIFIED, None, "UNCLAS MOSCOW 001002"),
        (Level.SBU, None, "UNCLAS MOSCOW 001002"),
        (Level.LOU, None, "LIMITED OFFICIAL USE MOSCOW 001002"),
        (Level.CONFIDENTIAL, None, "C O N F I D E N T I A L MOSCOW 001002"),
        (Level.SECRET, Section(1, 2), "S E C R E T SECTION 01 OF 02 MOSCOW 001002"),
        (Level.TOP_SECRET, Section(2, 3), "T O P S E C R E T SECTION 02 OF 03 MOSCOW 001002"),
    ],
    ids=["unclas", "sbu", "lou", "confidential", "secret-section", "top-secret-lone-section"],
)
def test_classification_line(level: Level, section: Section | None, expected: str) -> None:
    cable = _bare(classification=Marking(level), section=section)
    assert _text_lines(cable)[0] == expected


@pytest.mark.parametrize(
    ("declassification", "expected"),
    [
        # 07MOSCOW1002
        (
            Declassification("12958", DeclassificationKind.DATE, date(2017, 3, 1)),
            "E.O. 12958: DECL: 03/01/2017",
        ),
        # 10STATE284
        (
            Declassification("12958", DeclassificationKind.DATE, date(2020, 1, 4)),
            "E.O. 12958: DECL: 01/04/2020",
        ),
        (Declassification("12958", DeclassificationKind.NOT_APPLICABLE), "E.O. 12958: N/A"),
        (
            Declassification("13526", DeclassificationKind.EXEMPTION, exemption="25X1"),
            "E.O. 13526: DECL: 25X1",
        ),
        (
            Declassification("12356", DeclassificationKind.EXEMPTION, exemption="OADR"),
            "E.O. 12356: DECL: OADR",
        ),
        (
            Declassification("12958", DeclassificationKind.EVENT, event="AFTER KOREAN UNIFICATION"),
            "E.O. 12958: DECL: AFTER KOREAN UNIFICATION",
        ),
    ],
    ids=["date", "date-padded", "not-applicable", "exemption", "oadr", "event"],
)
def test_declassification_line(declassification: Declassification, expected: str) -> None:
    assert _text_lines(_bare(declassification=declassification))[2] == expected


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2007, 3, 9, 15, 23, tzinfo=UTC), "091523Z MAR 07"),  # 07MOSCOW1002
        (datetime(2010, 1, 4, 18, 20, tzinfo=UTC), "041820Z JAN 10"),  # 10STATE284
        (datetime(2007, 9, 11, 9, 44, tzinfo=UTC), "110944Z SEP 07"),  # 07BERN881
        (datetime(1995, 12, 31, 23, 59, tzinfo=UTC), "312359Z DEC 95"),
        # Moscow local time (UTC+3) is written in Zulu time.
        (datetime(2007, 3, 9, 18, 23, tzinfo=timezone(timedelta(hours=3))), "091523Z MAR 07"),
    ],
    ids=["seed", "state-284", "bern-881", "year-end", "converted-to-utc"],
)
def test_date_time_group(moment: datetime, expected: str) -> None:
    assert format_dtg(moment) == expected


def test_dual_precedence_and_routing_line() -> None:
    # 10STATE284: FL5 "P R 041820Z JAN 10"; FL2 carries only the higher precedence, doubled.
    cable = _bare(
        envelope=Envelope(
            routing_precedence=Precedence.PRIORITY,
            delivering_stations=("RUEHWEB", "RUEHDA"),
            precedences=(Precedence.PRIORITY, Precedence.ROUTINE),
        ),
        dtg=datetime(2010, 1, 4, 18, 20, tzinfo=UTC),
    )
    assert render(cable).splitlines()[:2] == ["PP RUEHWEB RUEHDA", "P R 041820Z JAN 10"]


def test_calling_line_without_section() -> None:
    cable = _bare(
        envelope=Envelope(originating_station="RUEHSW", station_serial=881, filing_time="2540944")
    )
    assert render(cable).splitlines()[0] == "DE RUEHSW #0881 2540944"


def test_addressee_lines() -> None:
    cable = _bare(
        originator=Addressee("SECSTATE WASHDC"),
        to=(
            Addressee("AMEMBASSY PARIS", "RUEHFR", Precedence.NIACT_IMMEDIATE, 42),
            Addressee("SECDEF WASHDC", "RUEKJCS", Precedence.NIACT_IMMEDIATE),
        ),
        info=(
            Addressee(
                "EUROPEAN POLITICAL COLLECTIVE",
                "RUEHZL",
                Precedence.ROUTINE,
                exempted=("AMEMBASSY PARIS", "AMEMBASSY BERN"),
            ),
            Addressee("AMEMBASSY MOSCOW"),
        ),
    )
    assert render(cable).splitlines()[:7] == [
        "FM SECSTATE WASHDC",
        "TO RUEHFR/AMEMBASSY PARIS NIACT IMMEDIATE 0042",
        "RUEKJCS/SECDEF WASHDC NIACT IMMEDIATE",
        "INFO RUEHZL/EUROPEAN POLITICAL COLLECTIVE ROUTINE",
        "XMT AMEMBASSY PARIS",
        "XMT AMEMBASSY BERN",
        "AMEMBASSY MOSCOW",
    ]


def test_captions_passing_tags_subject_blocks() -> None:
    cable = _bare(
        classification=Marking(Level.SECRET, frozenset({"NOFORN"})),
        captions=("SIPDIS", "NOFORN"),
        passing=("DEPT FOR EUR/RUS", "USDOE FOR NNSA"),
        tags=(
            Tag("OVIP", TagKind.SUBJECT),
            Tag("STEINBERG, JAMES B.", TagKind.PERSON),
            Tag("PREL", TagKind.SUBJECT),
        ),
        subject="MEETING WITH DFM KISLYAK",
        subject_marking=Marking(Level.CONFIDENTIAL),
    )
    assert _text_lines(cable)[1:] == [
        "",
        "SIPDIS",
        "NOFORN",
        "",
        "DEPT FOR EUR/RUS",
        "USDOE FOR NNSA",
        "",
        "TAGS: OVIP (STEINBERG, JAMES B.) PREL",
        "SUBJECT: (C) MEETING WITH DFM KISLYAK",
    ]


def test_long_tags_line_wraps_unprefixed() -> None:
    codes = ("PREL", "PGOV", "PHUM", "PINR", "ECON", "EFIN", "ETRD", "MARR", "MNUC", "PARM")
    more = ("KNNP", "KACT", "IAEA", "NATO", "RS")
    cable = _bare(tags=tuple(Tag(code) for code in codes + more))
    assert _text_lines(cable)[2:4] == [
        "TAGS: PREL PGOV PHUM PINR ECON EFIN ETRD MARR MNUC PARM KNNP KACT",
        "IAEA NATO RS",
    ]


@pytest.mark.parametrize(
    ("references", "expected"),
    [
        # 05REYKJAVIK: a single unlettered reference with its NOTAL qualifier
        (
            (Reference("STATE 193439", ReferenceKind.CABLE, "05STATE193439", notal=True),),
            ["REF: STATE 193439 (NOTAL)"],
        ),
        (
            (
                Reference("STATE 003773", ReferenceKind.CABLE, "07STATE3773", "A"),
                Reference("SECDEF R162245Z OCT 08", ReferenceKind.MESSAGE, letter="B"),
                Reference("RICHARD-WITMER EMAIL", ReferenceKind.EMAIL, letter="C", notal=True),
            ),
            [
                "REF: A. STATE 003773",
                "B. SECDEF R162245Z OCT 08",
                "C. RICHARD-WITMER EMAIL (NOTAL)",
            ],
        ),
    ],
    ids=["single-unlettered", "lettered"],
)
def test_reference_lines(references: tuple[Reference, ...], expected: list[str]) -> None:
    assert _text_lines(_bare(references=references))[2:] == expected


@pytest.mark.parametrize(
    ("classified_by", "expected"),
    [
        (
            ClassifiedBy("Daniel A. Russell", "DCM", ("b", "d"), "1.4"),
            ["Classified By: DCM Daniel A. Russell for reasons 1.4 (b) and (d)."],
        ),
        (
            ClassifiedBy("Leigh Carter", "Ambassador", ("d",), "1.5"),
            ["Classified By: Ambassador Leigh Carter for reason 1.5 (d)."],
        ),
        (
            ClassifiedBy("Anne E. Derse", "Charge d'Affaires a.i.", ("a", "b", "d"), "1.4"),
            [
                "Classified By: Charge d'Affaires a.i. Anne E. Derse for reasons 1.4",
                "(a), (b) and (d).",
            ],
        ),
    ],
    ids=["two-reasons", "one-reason", "three-reasons-wrapped"],
)
def test_classified_by_line(classified_by: ClassifiedBy, expected: list[str]) -> None:
    assert _text_lines(_bare(classified_by=classified_by))[2:] == expected


def test_paragraph_heading_blank_lines_and_hard_breaks() -> None:
    cable = _bare(
        paragraphs=(
            Paragraph(
                1,
                Marking(Level.SECRET, frozenset({"NOFORN"})),
                "He made three points:\n-- first\n-- second.\n\nHe said no more.",
                heading="Space Policy",
            ),
            Paragraph(2, Marking(Level.CONFIDENTIAL, rel_to=("USA", "GBR")), "Agreed."),
        ),
        signature="BURNS",
    )
    assert _text_lines(cable)[1:] == [
        "",
        "Space Policy",
        "",
        "1. (S/NF) He made three points:",
        "-- first",
        "-- second.",
        "",
        "He said no more.",
        "",
        "2. (C/REL USA, GBR) Agreed.",
        "",
        "BURNS",
    ]


def test_partial_extract_notice_opens_the_text() -> None:
    lines = render(_bare(partial=True)).splitlines()
    assert lines[:3] == [
        "This record is a partial extract of the original cable. The full text",
        "of the original cable is not available.",
        "",
    ]


# --- wrapping ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [
        ("one two three", 7, ["one two", "three"]),
        ("one two three", 13, ["one two three"]),
        ("one  two", 20, ["one two"]),
        ("first\nsecond", 69, ["first", "second"]),
        ("block one.\n\nblock two.", 69, ["block one.", "", "block two."]),
        ("unbreakable-word-longer-than-width x", 10, ["unbreakable-word-longer-than-width", "x"]),
        ("", 69, [""]),
    ],
    ids=[
        "breaks",
        "fits-exactly",
        "spaces-collapse",
        "hard-break",
        "blank-line",
        "long-word",
        "empty",
    ],
)
def test_wrap(text: str, width: int, expected: list[str]) -> None:
    assert wrap(text, width) == expected


_WORDS = st.text(alphabet="abcdefghij.,", min_size=1, max_size=20)


@given(st.lists(_WORDS, min_size=1, max_size=60), st.integers(20, 80))
def test_wrap_is_greedy_and_keeps_every_word(words: list[str], width: int) -> None:
    lines = wrap(" ".join(words), width)
    assert " ".join(lines).split() == words
    assert all(len(line) <= width for line in lines)
    for line, following in itertools.pairwise(lines):
        # Greedy: the next line's first word would not have fitted.
        assert len(line) + 1 + len(following.split()[0]) > width


# --- every line fits; sections ----------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(cables())
def test_every_line_fits_in_69_columns(cable: Cable) -> None:
    assert all(len(line) <= 69 for line in render(cable).splitlines())


def _sectioned(paragraph_lines: list[int], signature: str | None = "RICE") -> Cable:
    """A cable whose numbered paragraphs take the given numbers of text lines."""
    paragraphs = tuple(
        Paragraph(number, None, "\n".join(["Short line."] * count))
        for number, count in enumerate(paragraph_lines, start=1)
    )
    return _bare(
        envelope=Envelope(originating_station="RUEHMO", station_serial=1002, section=1),
        captions=("SIPDIS",),
        paragraphs=paragraphs,
        signature=signature,
    )


@pytest.mark.parametrize(
    ("paragraph_lines", "signature", "max_lines", "expected"),
    [
        # Section 1 holds the classification line and the caption block (3 lines), then
        # each paragraph's lines and a blank line; the signature takes 2 more lines.
        ([5], "RICE", 100, 1),
        ([9, 9, 9, 9, 9], "RICE", 25, 3),  # 3+10+10 | 1+10+10 | 1+10+2
        ([9, 9], None, 23, 1),  # 3+10+10
        ([9, 9], "RICE", 23, 2),  # 3+10 | 1+10+2: the signature pushes paragraph 2 on
        ([30], "RICE", 10, 1),  # a paragraph too long for any section gets one alone
        ([], "RICE", 100, 1),
    ],
    ids=["short", "five-paragraphs", "fits", "signature-pushes-over", "oversized", "empty"],
)
def test_sections_needed(
    paragraph_lines: list[int], signature: str | None, max_lines: int, expected: int
) -> None:
    assert sections_needed(_sectioned(paragraph_lines, signature), max_lines) == expected


def test_default_section_size_is_five_pages_of_twenty_lines() -> None:
    # 3 + (1 + 47) + (1 + 48) = 100 lines fit; one more line does not.
    assert sections_needed(_sectioned([47, 48], signature=None)) == 1
    assert sections_needed(_sectioned([48, 48], signature=None)) == 2


def _transmissions(text: str) -> list[list[str]]:
    found: list[list[str]] = []
    for line in text.splitlines():
        if line.startswith("DE "):
            found.append([])
        if found:
            found[-1].append(line)
    return found


def test_split_cable_repeats_the_envelope_per_section() -> None:
    cable = dataclasses.replace(_sectioned([9, 9, 9, 9, 9]), section=Section(1, 3))
    transmissions = _transmissions(render(cable))
    assert [t[0] for t in transmissions] == [
        "DE RUEHMO #1002/01",
        "DE RUEHMO #1002/02",
        "DE RUEHMO #1002/03",
    ]
    assert [t[2] for t in transmissions] == [
        "UNCLAS SECTION 01 OF 03 MOSCOW 001002",
        "UNCLAS SECTION 02 OF 03 MOSCOW 001002",
        "UNCLAS SECTION 03 OF 03 MOSCOW 001002",
    ]
    assert ["SIPDIS" in t for t in transmissions] == [True, False, False]
    assert ["RICE" in t for t in transmissions] == [False, False, True]
    assert [t[-3:] for t in transmissions] == [["BT", "#1002", "NNNN"]] * 3
    starts = [line for t in transmissions for line in t if line.endswith(". Short line.")]
    assert starts == [f"{n}. Short line." for n in range(1, 6)]


def test_lone_later_section_is_one_transmission() -> None:
    cable = dataclasses.replace(
        _sectioned([3, 3]),
        section=Section(2, 3),
        envelope=Envelope(originating_station="RUEHMO", station_serial=1002, section=2),
    )
    text = render(cable)
    assert text.count("NNNN") == 1
    assert "DE RUEHMO #1002/02" in text.splitlines()
    assert "UNCLAS SECTION 02 OF 03 MOSCOW 001002" in text.splitlines()


@settings(max_examples=40, deadline=None)
@given(cables(), st.integers(15, 60))
def test_sections_hold_at_most_max_lines(cable: Cable, max_lines: int) -> None:
    """Rendered with the number of sections `sections_needed` asks for, no section holds
    more than ``max_lines`` text lines unless it holds a single paragraph, and every
    paragraph is rendered once, in order."""
    total = sections_needed(cable, max_lines)
    sectioned = dataclasses.replace(cable, section=Section(1, total) if total > 1 else None)
    transmissions = _transmissions(render(sectioned))
    assume(transmissions)  # sections are found by their FL3 line: a full envelope
    assert len(transmissions) == total
    numbered = [p.number for p in cable.paragraphs if p.number is not None]
    seen: list[int] = []
    for transmission in transmissions:
        first = transmission.index("BT")
        text = transmission[first + 1 : transmission.index("BT", first + 1)]
        starts = [n for n in numbered if any(line.startswith(f"{n}. ") for line in text)]
        seen.extend(starts)
        assert len(text) <= max_lines or len(starts) <= 1
    assert seen == numbered
