"""The linter on hand-built cables (one table row per rule), on line lookup, and on the seed.

Cables are built from model objects, so these tests do not depend on the reader; only the
seed test parses text. Cable ids in comments name the real cable a case imitates.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from cablegram.model import (
    Addressee,
    Cable,
    ClassifiedBy,
    Declassification,
    DeclassificationKind,
    Diagnostic,
    Envelope,
    Level,
    Marking,
    Paragraph,
    Precedence,
    Section,
    Tag,
    TagEra,
    TagKind,
)
from cablegram.read import parse
from cablegram.write import Finding, Severity, lint
from cablegram.write.lint import RULES

REPO = Path(__file__).resolve().parents[2]

C = Marking(Level.CONFIDENTIAL)
S = Marking(Level.SECRET)
S_NF = Marking(Level.SECRET, frozenset({"NOFORN"}))
SBU = Marking(Level.SBU)
LOU = Marking(Level.LOU)
U = Marking(Level.UNCLASSIFIED)

# Modelled on the seed 07MOSCOW1002: a SECRET post cable with everything a release needs.
GOOD = Cable(
    id="07MOSCOW1002",
    envelope=Envelope(
        transmission_id="VZCZCXYZ0000",
        routing_precedence=Precedence.PRIORITY,
        delivering_stations=("RUEHC",),
        originating_station="RUEHMO",
        station_serial=1002,
        section=1,
        filing_time="0681523",
        security_line="ZNY SSSSS ZZH",
        precedences=(Precedence.PRIORITY,),
    ),
    dtg=datetime(2007, 3, 9, 15, 23, tzinfo=UTC),
    originator=Addressee("AMEMBASSY MOSCOW"),
    to=(Addressee("SECSTATE WASHDC", "RUEHC", Precedence.PRIORITY, 8096),),
    info=(Addressee("NSC WASHDC", "RHEHNSC", Precedence.PRIORITY),),
    classification=S,
    origin="MOSCOW",
    serial=1002,
    captions=("SIPDIS",),
    declassification=Declassification("12958", DeclassificationKind.DATE, date(2017, 3, 1)),
    tags=(
        Tag("PREL", TagKind.SUBJECT),
        Tag("PARM", TagKind.SUBJECT),
        Tag("RS", TagKind.GEOGRAPHIC, TagEra.FIPS),
    ),
    subject="U/S JOSEPH-RUSSIAN DFM KISLYAK MEETING ON STRATEGIC SECURITY DIALOGUE",
    classified_by=ClassifiedBy("Daniel A. Russell", "DCM", ("b", "d"), "1.4"),
    paragraphs=(
        Paragraph(1, C, "DFM Kislyak asked whether U/S Joseph had anything new."),
        Paragraph(2, S, "DFM Kislyak asked whether the United States would respond."),
    ),
    signature="RUSSELL",
)


def dated(cable: Cable, moment: datetime) -> Cable:
    """The cable sent at ``moment``: DTG, FL3 filing time and a DECL date 10 years on."""
    day = moment.timetuple().tm_yday
    declassification = cable.declassification
    if declassification is not None and declassification.date is not None:
        declassification = replace(
            declassification, date=moment.date().replace(year=moment.year + 10)
        )
    return replace(
        cable,
        dtg=moment,
        envelope=replace(cable.envelope, filing_time=f"{day:03d}{moment:%H%M}"),
        declassification=declassification,
    )


IN_2002 = dated(GOOD, datetime(2002, 6, 3, 10, 0, tzinfo=UTC))
IN_2002_15 = replace(IN_2002, classified_by=ClassifiedBy("Ann Smith", "DCM", ("b",), "1.5"))
UNCLAS = replace(
    GOOD,
    classification=U,
    envelope=replace(GOOD.envelope, security_line="ZNR UUUUU ZZH"),
    declassification=Declassification("12958", DeclassificationKind.NOT_APPLICABLE),
    classified_by=None,
    paragraphs=(Paragraph(1, U, "Text one."), Paragraph(2, U, "Text two.")),
)
SBU_CABLE = replace(UNCLAS, classification=SBU, captions=("SIPDIS", "SENSITIVE"))

FIRING = [
    # (id, cable, rule, severity)
    pytest.param(
        replace(GOOD, diagnostics=(Diagnostic("cleanup.pilcrow", "pilcrow removed", 30),)),
        "CG000",
        Severity.WARNING,
        id="reader-diagnostic",
    ),
    pytest.param(replace(GOOD, classification=None), "CG100", Severity.ERROR, id="no-banner"),
    # 09CAIRO2011: a CONFIDENTIAL banner over an (S/NF) paragraph.
    pytest.param(replace(GOOD, classification=C), "CG101", Severity.ERROR, id="banner-below"),
    pytest.param(
        replace(UNCLAS, paragraphs=(Paragraph(1, U, "One."), Paragraph(2, C, "Two."))),
        "CG102",
        Severity.ERROR,
        id="classified-portion-in-unclas",
    ),
    pytest.param(
        replace(SBU_CABLE, paragraphs=(Paragraph(1, SBU, "One."), Paragraph(2, S, "Two."))),
        "CG102",
        Severity.ERROR,
        id="classified-portion-in-sbu",
    ),
    pytest.param(
        replace(UNCLAS, subject_marking=C),
        "CG102",
        Severity.ERROR,
        id="classified-subject-in-unclas",
    ),
    pytest.param(
        replace(GOOD, paragraphs=(GOOD.paragraphs[0], replace(GOOD.paragraphs[1], marking=S_NF))),
        "CG103",
        Severity.ERROR,
        id="noforn-portion-without-caption",
    ),
    pytest.param(
        replace(SBU_CABLE, captions=("SIPDIS",)), "CG104", Severity.ERROR, id="sbu-no-sensitive"
    ),
    pytest.param(
        replace(UNCLAS, paragraphs=(Paragraph(1, SBU, "One."), Paragraph(2, U, "Two."))),
        "CG105",
        Severity.WARNING,
        id="sbu-portion-under-unclas",
    ),
    pytest.param(
        replace(UNCLAS, paragraphs=(Paragraph(1, LOU, "One."), Paragraph(2, U, "Two."))),
        "CG105",
        Severity.WARNING,
        id="lou-portion-under-unclas",
    ),
    pytest.param(
        replace(GOOD, paragraphs=(GOOD.paragraphs[0], replace(GOOD.paragraphs[1], marking=None))),
        "CG106",
        Severity.WARNING,
        id="numbered-paragraph-unmarked",
    ),
    pytest.param(replace(GOOD, classified_by=None), "CG201", Severity.ERROR, id="no-classifier"),
    pytest.param(
        replace(GOOD, classified_by=ClassifiedBy("Daniel A. Russell", "DCM", (), "1.4")),
        "CG202",
        Severity.ERROR,
        id="no-reasons",
    ),
    pytest.param(
        replace(GOOD, classified_by=ClassifiedBy("Daniel A. Russell", "DCM", ("b", "k"), "1.4")),
        "CG203",
        Severity.ERROR,
        id="reason-letter-k",
    ),
    pytest.param(
        replace(GOOD, classified_by=ClassifiedBy("Daniel A. Russell", "DCM", ("b",), "1.6")),
        "CG203",
        Severity.ERROR,
        id="reason-section-1.6",
    ),
    # 08BRASILIA cables still cite "Reason 1.5 (d)" years after the renumbering.
    pytest.param(
        replace(GOOD, classified_by=ClassifiedBy("Ann Smith", "DCM", ("d",), "1.5")),
        "CG204",
        Severity.WARNING,
        id="section-1.5-in-2007",
    ),
    pytest.param(
        replace(IN_2002, classified_by=ClassifiedBy("Ann Smith", "DCM", ("b",), "1.4")),
        "CG204",
        Severity.WARNING,
        id="section-1.4-in-2002",
    ),
    pytest.param(
        replace(IN_2002, classified_by=ClassifiedBy("Ann Smith", "DCM", ("h",), "1.5")),
        "CG204",
        Severity.WARNING,
        id="reason-h-in-2002",
    ),
    pytest.param(replace(GOOD, declassification=None), "CG211", Severity.ERROR, id="no-eo-line"),
    pytest.param(
        replace(
            GOOD, declassification=Declassification("12958", DeclassificationKind.NOT_APPLICABLE)
        ),
        "CG211",
        Severity.ERROR,
        id="eo-n/a-on-secret",
    ),
    # Every 2010 cable of the sample still cites E.O. 12958.
    pytest.param(
        dated(GOOD, datetime(2010, 1, 15, 9, 0, tzinfo=UTC)),
        "CG212",
        Severity.WARNING,
        id="eo-12958-in-2010",
    ),
    pytest.param(
        replace(
            dated(GOOD, datetime(2009, 12, 28, 9, 0, tzinfo=UTC)),
            declassification=Declassification(
                "13526", DeclassificationKind.DATE, date=date(2019, 12, 28)
            ),
        ),
        "CG212",
        Severity.WARNING,
        id="eo-13526-before-signature",
    ),
    pytest.param(
        replace(
            GOOD,
            declassification=Declassification(
                "12598", DeclassificationKind.DATE, date=date(2017, 3, 1)
            ),
        ),
        "CG212",
        Severity.WARNING,
        id="eo-number-typo",
    ),
    # 10MOSCOW435: DECL 2/19/2010 on a cable of 26 February 2010.
    pytest.param(
        replace(
            GOOD,
            declassification=Declassification(
                "12958", DeclassificationKind.DATE, date=date(2007, 3, 9)
            ),
        ),
        "CG213",
        Severity.ERROR,
        id="decl-on-cable-date",
    ),
    pytest.param(
        replace(
            GOOD,
            declassification=Declassification(
                "12958", DeclassificationKind.DATE, date=date(2006, 1, 1)
            ),
        ),
        "CG213",
        Severity.ERROR,
        id="decl-before-cable-date",
    ),
    # 06SANJOSE156: DECL 01/18/2116.
    pytest.param(
        replace(
            GOOD,
            declassification=Declassification(
                "12958", DeclassificationKind.DATE, date=date(2032, 3, 10)
            ),
        ),
        "CG214",
        Severity.WARNING,
        id="decl-25-years-and-a-day",
    ),
    pytest.param(replace(GOOD, subject=None), "CG301", Severity.ERROR, id="no-subject"),
    pytest.param(replace(GOOD, subject="  "), "CG301", Severity.ERROR, id="blank-subject"),
    pytest.param(
        replace(GOOD, tags=(Tag("RS", TagKind.GEOGRAPHIC, TagEra.FIPS),)),
        "CG302",
        Severity.ERROR,
        id="geographic-tag-only",
    ),
    pytest.param(replace(GOOD, tags=()), "CG302", Severity.ERROR, id="no-tags"),
    # The seed's START.
    pytest.param(
        replace(GOOD, tags=(*GOOD.tags, Tag("START"))), "CG303", Severity.WARNING, id="tag-start"
    ),
    pytest.param(
        replace(GOOD, paragraphs=(GOOD.paragraphs[0], replace(GOOD.paragraphs[1], number=3))),
        "CG304",
        Severity.WARNING,
        id="paragraph-gap",
    ),
    pytest.param(
        replace(GOOD, paragraphs=(replace(GOOD.paragraphs[0], number=2), GOOD.paragraphs[1])),
        "CG304",
        Severity.WARNING,
        id="paragraph-repeat-2",
    ),
    pytest.param(
        replace(GOOD, paragraphs=GOOD.paragraphs[1:]),
        "CG305",
        Severity.WARNING,
        id="single-paragraph-numbered",
    ),
    pytest.param(
        replace(GOOD, captions=("SIPDIS", "NODIS")), "CG401", Severity.ERROR, id="sipdis-nodis"
    ),
    pytest.param(
        replace(GOOD, captions=("EXDIS", "SIPDIS")), "CG401", Severity.ERROR, id="sipdis-exdis"
    ),
    pytest.param(
        replace(GOOD, captions=("SIPDIS", "DIRGEN CHANNEL", "MED CHANNEL")),
        "CG402",
        Severity.ERROR,
        id="two-channel-captions",
    ),
    pytest.param(
        replace(GOOD, envelope=replace(GOOD.envelope, routing_precedence=Precedence.ROUTINE)),
        "CG501",
        Severity.ERROR,
        id="fl2-rr-over-fl5-p",
    ),
    pytest.param(
        replace(
            GOOD,
            envelope=replace(GOOD.envelope, precedences=(Precedence.ROUTINE, Precedence.IMMEDIATE)),
        ),
        "CG501",
        Severity.ERROR,
        id="fl2-pp-over-fl5-r-o",
    ),
    # 08STOCKHOLM748: filed on day 312 for a DTG of 10 NOV 08 (day 315).
    pytest.param(
        replace(GOOD, envelope=replace(GOOD.envelope, filing_time="0701523")),
        "CG502",
        Severity.WARNING,
        id="filing-day-two-late",
    ),
    pytest.param(
        replace(GOOD, envelope=replace(GOOD.envelope, filing_time="0671523")),
        "CG502",
        Severity.WARNING,
        id="filing-day-before-dtg",
    ),
    # 09ASUNCION595: #0595 on cable number 000561.
    pytest.param(
        replace(GOOD, envelope=replace(GOOD.envelope, station_serial=1003)),
        "CG503",
        Severity.WARNING,
        id="station-serial",
    ),
    pytest.param(
        replace(GOOD, envelope=replace(GOOD.envelope, security_line="ZNY CCCCC ZZH")),
        "CG504",
        Severity.ERROR,
        id="fl4-confidential-on-secret",
    ),
    pytest.param(
        replace(GOOD, envelope=replace(GOOD.envelope, security_line="ZNR UUUUU ZZH")),
        "CG504",
        Severity.ERROR,
        id="fl4-unclas-on-secret",
    ),
    # The seed's FL2 station.
    pytest.param(
        replace(GOOD, envelope=replace(GOOD.envelope, delivering_stations=("RUEHWEB",))),
        "CG505",
        Severity.WARNING,
        id="ri-ruehweb",
    ),
    pytest.param(
        replace(GOOD, to=(Addressee("SECSTATE WASHDC", "RXQQQZZ", Precedence.PRIORITY, 8096),)),
        "CG505",
        Severity.WARNING,
        id="ri-made-up-addressee",
    ),
]


@pytest.mark.parametrize(("cable", "rule", "severity"), FIRING)
def test_rule_fires_alone(cable: Cable, rule: str, severity: Severity) -> None:
    findings = lint(cable)
    assert [f.rule for f in findings] == [rule]
    assert findings[0].severity is severity
    assert findings[0].message and findings[0].hint


def test_every_rule_has_a_firing_case() -> None:
    assert {param.values[1] for param in FIRING} == set(RULES)


SILENT = [
    pytest.param(GOOD, id="seed-like"),
    pytest.param(UNCLAS, id="unclas-n/a"),
    pytest.param(SBU_CABLE, id="sbu-with-sensitive"),
    pytest.param(
        replace(SBU_CABLE, paragraphs=(Paragraph(1, SBU, "One."), Paragraph(2, U, "Two."))),
        id="sbu-portion-under-sbu",
    ),
    pytest.param(
        replace(
            GOOD,
            classification=S_NF,
            captions=("SIPDIS", "NOFORN"),
            paragraphs=(GOOD.paragraphs[0], replace(GOOD.paragraphs[1], marking=S_NF)),
        ),
        id="noforn-captioned",
    ),
    pytest.param(
        replace(GOOD, paragraphs=(Paragraph(None, None, "Intro."), *GOOD.paragraphs)),
        id="unnumbered-unmarked-intro",
    ),
    # 09STATE83026: DTG 102356Z AUG 09, filed 2230014 after midnight.
    pytest.param(
        replace(
            dated(GOOD, datetime(2007, 8, 10, 23, 56, tzinfo=UTC)),
            envelope=replace(GOOD.envelope, filing_time="2230014"),
        ),
        id="filed-after-midnight",
    ),
    pytest.param(
        replace(
            dated(GOOD, datetime(2007, 12, 31, 23, 58, tzinfo=UTC)),
            envelope=replace(GOOD.envelope, filing_time="0010003"),
        ),
        id="filed-on-new-year",
    ),
    # 08REYKJAVIK-era leap year: 131503Z MAR 08 is day 073.
    pytest.param(
        replace(
            dated(GOOD, datetime(2008, 3, 13, 15, 3, tzinfo=UTC)),
            envelope=replace(GOOD.envelope, filing_time="0731503"),
        ),
        id="leap-year-day",
    ),
    # 10STATE284: FL2 PP over FL5 P R.
    pytest.param(
        replace(
            GOOD,
            envelope=replace(GOOD.envelope, precedences=(Precedence.PRIORITY, Precedence.ROUTINE)),
        ),
        id="dual-precedence",
    ),
    pytest.param(
        replace(
            GOOD,
            envelope=replace(
                GOOD.envelope,
                routing_precedence=Precedence.IMMEDIATE,
                precedences=(Precedence.NIACT_IMMEDIATE,),
            ),
        ),
        id="niact-travels-as-o",
    ),
    pytest.param(
        replace(
            GOOD,
            partial=True,
            classified_by=None,
            declassification=None,
            subject=None,
            tags=(),
            paragraphs=(Paragraph(5, S, "Extract."), Paragraph(6, S, "More.")),
        ),
        id="partial-extract",
    ),
    pytest.param(
        replace(
            GOOD,
            section=Section(2, 3),
            paragraphs=(Paragraph(7, S, "Seven."), Paragraph(8, C, "Eight.")),
        ),
        id="later-section-numbering",
    ),
    pytest.param(
        replace(
            GOOD,
            tags=(
                *GOOD.tags,
                Tag("OVIP", TagKind.SUBJECT),
                Tag("STEINBERG, JAMES B.", TagKind.PERSON),
            ),
        ),
        id="person-tag",
    ),
    pytest.param(replace(GOOD, tags=(Tag("PREL"), Tag("RS"))), id="tag-kinds-unset"),
    pytest.param(replace(GOOD, captions=("SIPDIS", "DIRGEN CHANNEL")), id="one-channel-caption"),
    pytest.param(dated(GOOD, datetime(2009, 12, 28, 9, 0, tzinfo=UTC)), id="eo-12958-last-day"),
    pytest.param(
        replace(
            dated(GOOD, datetime(2009, 12, 29, 9, 0, tzinfo=UTC)),
            declassification=Declassification(
                "13526", DeclassificationKind.DATE, date=date(2019, 12, 29)
            ),
        ),
        id="eo-13526-first-day",
    ),
    # 90KHARTOUM10657: E.O. 12356: DECL: OADR.
    pytest.param(
        replace(
            dated(IN_2002_15, datetime(1990, 10, 11, 10, 46, tzinfo=UTC)),
            tags=(Tag("PREL", TagKind.SUBJECT),),  # no geographic TAG: the era table varies
            declassification=Declassification(
                "12356", DeclassificationKind.EXEMPTION, exemption="OADR"
            ),
        ),
        id="eo-12356-oadr-1990",
    ),
    pytest.param(IN_2002_15, id="section-1.5-in-2002"),
    pytest.param(
        dated(IN_2002_15, datetime(2003, 3, 24, 12, 0, tzinfo=UTC)), id="section-1.5-last-day"
    ),
    pytest.param(
        replace(
            GOOD,
            declassification=Declassification(
                "12958", DeclassificationKind.DATE, date=date(2032, 3, 9)
            ),
        ),
        id="decl-exactly-25-years",
    ),
    pytest.param(
        replace(
            GOOD,
            declassification=Declassification(
                "12958", DeclassificationKind.EXEMPTION, exemption="25X1"
            ),
        ),
        id="decl-exemption",
    ),
]


@pytest.mark.parametrize("cable", SILENT)
def test_correct_cable_is_silent(cable: Cable) -> None:
    assert lint(cable) == []


# A hand-written telegram (modelled on the seed) whose fields break rules on known lines.
TEXT = """\
VZCZCXYZ0000
PP RUEHWEB

DE RUEHMO #1002/01 0701523
ZNY CCCCC ZZH
P 091523Z MAR 07
FM AMEMBASSY MOSCOW
TO RUEHC/SECSTATE WASHDC PRIORITY 8096
BT
S E C R E T MOSCOW 001002

SIPDIS
NODIS

E.O. 12958: DECL: 03/09/2007
TAGS: PREL RS
START
SUBJECT: KISLYAK ON SPACE

Classified By: DCM Daniel A. Russell for reasons 1.4 (b/d).

[1](#)1. (C) DFM Kislyak asked whether U/S Joseph had
anything new.

¶2. (S/NF) DFM Kislyak asked whether U/S Joseph would respond in
kind to the test.
RUSSELL
"""


def test_findings_point_at_their_lines() -> None:
    cable = replace(
        GOOD,
        envelope=replace(
            GOOD.envelope,
            delivering_stations=("RUEHWEB",),
            filing_time="0701523",
            security_line="ZNY CCCCC ZZH",
        ),
        captions=("SIPDIS", "NODIS"),
        declassification=Declassification(
            "12958", DeclassificationKind.DATE, date=date(2007, 3, 9)
        ),
        tags=(*GOOD.tags[::2], Tag("START")),
        paragraphs=(
            Paragraph(1, C, "DFM Kislyak asked whether U/S Joseph had anything new."),
            Paragraph(2, S_NF, "DFM Kislyak asked whether U/S Joseph would respond in kind."),
        ),
        original_text=TEXT,
    )
    assert [(f.rule, f.line) for f in lint(cable)] == [
        ("CG505", 2),
        ("CG502", 4),
        ("CG504", 5),
        ("CG401", 13),
        ("CG213", 15),
        ("CG303", 17),
        ("CG103", 25),
    ]


def test_absent_fields_have_no_line() -> None:
    cable = replace(GOOD, classified_by=None, original_text=TEXT.replace("Classified", "Noted"))
    (finding,) = [f for f in lint(cable) if f.rule == "CG201"]
    assert finding.line is None


def test_findings_are_sorted_by_line_and_unplaced_last() -> None:
    cable = replace(
        GOOD,
        classified_by=None,
        captions=("NODIS", "SIPDIS"),
        envelope=replace(GOOD.envelope, station_serial=9, security_line="ZNY CCCCC ZZH"),
        original_text=TEXT,
    )
    lines = [f.line for f in lint(cable)]
    placed = [line for line in lines if line is not None]
    assert len(placed) >= 3 and None in lines
    assert placed == sorted(placed)
    assert lines[len(placed) :] == [None] * (len(lines) - len(placed))


def test_finding_names_its_rule() -> None:
    finding = Finding("CG101", Severity.ERROR, "m", "h", 3)
    assert finding.name == "banner-below-portion"


def test_every_rule_is_documented() -> None:
    document = (REPO / "docs" / "lint-rules.md").read_text(encoding="utf-8")
    for code, rule in RULES.items():
        heading = re.search(rf"^## {code} `{rule.name}`.*$", document, re.MULTILINE)
        assert heading, f"{code} {rule.name} has no section in docs/lint-rules.md"
        section = document[heading.end() :].split("\n## ", 1)[0]
        assert f"**Severity:** {rule.severity.name.lower()}" in section
        for part in ("**Checks:**", "**Why:**", "**Source:**", "**Fix:**"):
            assert part in section, f"{code} lacks {part}"


def test_seed_lints_with_warnings_only(seed_text: str) -> None:
    findings = lint(parse(seed_text))
    assert [f for f in findings if f.severity is Severity.ERROR] == []
    lines = seed_text.splitlines()
    tags_line = next(i for i, line in enumerate(lines, 1) if line.startswith("TAGS:"))
    fl2_line = next(i for i, line in enumerate(lines, 1) if line.startswith("PP "))
    assert ("CG303", tags_line) in {(f.rule, f.line) for f in findings if "START" in f.message}
    assert ("CG505", fl2_line) in {(f.rule, f.line) for f in findings if "RUEHWEB" in f.message}
