"""Standalone field readers on fragments, as researchers use them.

Each row is a variant seen in real cables (source id in the comment) or the spec.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from cablegram import fields
from cablegram.model import DeclassificationKind, Level, Precedence, ReferenceKind, TagKind


@pytest.mark.parametrize(
    ("text", "year", "expected"),
    [
        # spec §2.6 (cablemap tests), a 2007 cable citing these
        ("REF: A. TBILISI 1605 B. 06 TBILISI 2601", 2007, ["07TBILISI1605", "06TBILISI2601"]),
        ("REF: 2007 MANAGUA 2135", 2008, ["07MANAGUA2135"]),
        ("REF: SECSTATE 74879", 2008, ["08STATE74879"]),
        (
            "REF: (A) SAO PAULO 355; (B) 05 SAO PAULO 1181;",
            2006,
            ["06SAOPAULO355", "05SAOPAULO1181"],
        ),
        (
            "REF: A) Minsk 297, B) 2005 Minsk 1234",
            2006,
            ["06MINSK297", "05MINSK1234"],
        ),  # 06MINSK311
        ("REF: STATE 25063", 2005, ["05STATE25063"]),  # 05MADRID569
    ],
)
def test_cable_references(text: str, year: int, expected: list[str]) -> None:
    assert [r.id for r in fields.references(text, year)] == expected


def test_reference_letters_kinds_and_notal() -> None:
    refs = fields.references(
        "REF: A. STATE 003773 (NOTAL)\nB. EMAIL FROM POLOFF 3/1/2007\nC. SECDEF R162245Z OCT 08\n"
        "D. TELCON OF MARCH 2",
        2007,
    )
    assert [r.letter for r in refs] == ["A", "B", "C", "D"]
    assert [r.kind for r in refs] == [
        ReferenceKind.CABLE,
        ReferenceKind.EMAIL,
        ReferenceKind.MESSAGE,
        ReferenceKind.DOCUMENT,
    ]
    assert refs[0].notal and refs[0].text == "STATE 003773" and refs[0].id == "07STATE3773"
    assert not any(r.notal for r in refs[1:])
    assert all(r.id is None for r in refs[1:])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("TAGS: PREL PGOV ECON", ["PREL", "PGOV", "ECON"]),
        ("TAGS PGOV, PHUM, PREL, BO", ["PGOV", "PHUM", "PREL", "BO"]),  # 06MINSK311
        ("TAGS:PREL,PGOV", ["PREL", "PGOV"]),
        ("TAGSC: PREL PGOV", ["PREL", "PGOV"]),  # OCR variant
        ("tags: prel pgov", ["PREL", "PGOV"]),
        ("TAGS: OVIP (STEINBERG, JAMES B.) PREL", ["OVIP", "STEINBERG, JAMES B.", "PREL"]),
    ],
)
def test_tags(text: str, expected: list[str]) -> None:
    assert [t.code for t in fields.tags(text)] == expected


def test_person_tag_kind() -> None:
    parsed = fields.tags("TAGS: OVIP (STEINBERG, JAMES B.)")
    assert parsed[1].kind is TagKind.PERSON


def test_geographic_era_decides_meaning() -> None:
    cablegate_era = fields.tags("TAGS: RS", date(2007, 3, 9))
    current = fields.tags("TAGS: RS", date(2024, 1, 1))
    assert cablegate_era[0].kind is TagKind.GEOGRAPHIC and current[0].kind is TagKind.GEOGRAPHIC
    assert cablegate_era[0].era != current[0].era


@pytest.mark.parametrize(
    ("text", "subject", "marking"),
    [
        ("SUBJECT: (C) UK SHARES U.S. GOALS ON IRAN", "UK SHARES U.S. GOALS ON IRAN", "C"),
        ("SUBJECT: (C/NF) UK SHARES GOALS", "UK SHARES GOALS", "C/NF"),  # 07LONDON4328
        ("SUBJECT:  ILLEGAL LOGGING\nTHRIVES IN PERU", "ILLEGAL LOGGING THRIVES IN PERU", None),
        ("SUBJ: HELLO", "HELLO", None),
    ],
)
def test_subject(text: str, subject: str, marking: str | None) -> None:
    parsed = fields.subject(text)
    assert parsed is not None
    assert parsed.text == subject
    assert (str(parsed.marking) if parsed.marking else None) == marking


@pytest.mark.parametrize(
    ("text", "name", "title", "reasons", "section"),
    [
        ("Classified By: DCM Daniel A. Russell for reasons 1.4 (b/d).",
         "Daniel A. Russell", "DCM", ("b", "d"), "1.4"),  # 07MOSCOW1002
        ("Classified By: Charg d'Affaires a.i. Leigh Carter; reasons 1.4(b) and (d).",
         "Leigh Carter", "Charg d'Affaires a.i.", ("b", "d"), "1.4"),
        ("CLASSIFIED BY: Chris Stevens, CDA, Embassy Tripoli, Dept of State. REASON: 1.4 (b), (d)",
         "Chris Stevens", "CDA, Embassy Tripoli, Dept of State", ("b", "d"), "1.4"),
        ("Classified By: AMBASSADOR PHILIP D. MURPHY FOR REASONS 1.4 (B) and (D)",
         "PHILIP D. MURPHY", "AMBASSADOR", ("b", "d"), "1.4"),
        ("Classified By: Political Counselor Kathleen M. Fitzpatrick,\nreasons 1.4(b) and (d).",
         "Kathleen M. Fitzpatrick", "Political Counselor", ("b", "d"), "1.4"),  # 05MADRID569
        ("Classified By: Charge d'Affaires Scott F. Kilner. Reasons: 1.4 (b) an\nd (d).",
         "Scott F. Kilner", "Charge d'Affaires", ("b", "d"), "1.4"),  # 05VIENNA3833
        ("Classified by Ambassador Marcelle M. Wahba for reasons 1.5 (B) and (D).",
         "Marcelle M. Wahba", "Ambassador", ("b", "d"), "1.5"),  # 03ABUDHABI2641
        ("Classified By: RM A/S Brad Higgins, For Reasons 1.4 (d) and (g).",
         "Brad Higgins", "RM A/S", ("d", "g"), "1.4"),
    ],
)  # fmt: skip
def test_classified_by(
    text: str, name: str, title: str, reasons: tuple[str, ...], section: str
) -> None:
    parsed = fields.classified_by(text)
    assert parsed is not None
    assert (parsed.name, parsed.title, parsed.reasons, parsed.section) == (
        name,
        title,
        reasons,
        section,
    )


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("E.O. 12958: DECL: 03/01/2017", DeclassificationKind.DATE, date(2017, 3, 1)),
        ("EO 12958 DECL: 12/31/2034", DeclassificationKind.DATE, date(2034, 12, 31)),
        ("E.O. 12958: DECL: 6/30/08", DeclassificationKind.DATE, date(2008, 6, 30)),
        ("E.O. 12958: DECL: 2017/03/01", DeclassificationKind.DATE, date(2017, 3, 1)),
        ("E.O. 12958: N/A", DeclassificationKind.NOT_APPLICABLE, None),
        ("E.O. 12958:  N/A \\", DeclassificationKind.NOT_APPLICABLE, None),
        ("E.O. 12356: DECL: OADR", DeclassificationKind.EXEMPTION, "OADR"),
        ("E.O. 12958: DECL: 1.6X1", DeclassificationKind.EXEMPTION, "1.6X1"),
        ("E.O. 13526: DECL: 25X1", DeclassificationKind.EXEMPTION, "25X1"),
        ("E.O. 13526: DECL: 50X1-HUM", DeclassificationKind.EXEMPTION, "50X1-HUM"),
        ("E.O. 12958: DECL: AFTER KOREAN UNIFICATION", DeclassificationKind.EVENT,
         "AFTER KOREAN UNIFICATION"),
    ],
)  # fmt: skip
def test_declassification(text: str, kind: DeclassificationKind, value: object) -> None:
    parsed = fields.declassification(text)
    assert parsed is not None
    assert parsed.kind is kind
    if kind is DeclassificationKind.DATE:
        assert parsed.date == value
    elif kind is DeclassificationKind.EXEMPTION:
        assert parsed.exemption == value
    elif kind is DeclassificationKind.EVENT:
        assert parsed.event == value


def test_recipients() -> None:
    parsed = fields.recipients(
        "TO RUEHC/SECSTATE WASHDC NIACT IMMEDIATE 4460\n"
        "RUEHXX/AMEMBASSY PARIS FLASH\n"
        "INFO RUEHZL/EUROPEAN POLITICAL COLLECTIVE PRIORITY\n"
        "XMT AMEMBASSY ROME\n"
        "RUEKJCS/SECDEF WASHDC\n"
        "SECSTATE WASHDC 0018\n"
    )
    assert [(a.address, a.precedence, a.mcn) for a in parsed.to] == [
        ("SECSTATE WASHDC", Precedence.NIACT_IMMEDIATE, 4460),
        ("AMEMBASSY PARIS", Precedence.FLASH, None),
    ]
    assert parsed.info[0].exempted == ("AMEMBASSY ROME",)
    assert parsed.info[1].routing_indicator == "RUEKJCS"
    assert parsed.info[2].routing_indicator is None and parsed.info[2].mcn == 18


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("P 091523Z MAR 07", datetime(2007, 3, 9, 15, 23, tzinfo=UTC)),
        ("P R 041820Z JAN 10", datetime(2010, 1, 4, 18, 20, tzinfo=UTC)),
        ("R 281848Z DEC 66", datetime(1966, 12, 28, 18, 48, tzinfo=UTC)),
        ("011500Z JAN 2006", datetime(2006, 1, 1, 15, 0, tzinfo=UTC)),
        ("311500Z FEB 07", None),
    ],
)
def test_dtg(text: str, expected: datetime | None) -> None:
    assert fields.dtg(text) == expected


@pytest.mark.parametrize(
    ("text", "level", "caveats", "rel_to"),
    [
        ("S/NF", Level.SECRET, {"NOFORN"}, ()),
        ("C//REL TO USA, KEN, GBR//", Level.CONFIDENTIAL, set(), ("USA", "KEN", "GBR")),
        ("S/REL TO NATO/AUS", Level.SECRET, set(), ("NATO", "AUS")),
        ("SBU/N", Level.SBU, {"NOFORN"}, ()),
        ("U//FOUO", Level.UNCLASSIFIED, {"FOUO"}, ()),
        ("S//FGI//NF", Level.SECRET, {"FGI", "NOFORN"}, ()),
        ("LOU", Level.LOU, set(), ()),
        ("TS", Level.TOP_SECRET, set(), ()),
    ],
)
def test_portion_markings(
    text: str, level: Level, caveats: set[str], rel_to: tuple[str, ...]
) -> None:
    marking = fields.portion_marking(text)
    assert marking is not None
    assert (marking.level, set(marking.caveats), marking.rel_to) == (level, caveats, rel_to)


@pytest.mark.parametrize("text", ["A", "1.4", "USA", "S/XYZ", ""])
def test_not_a_portion_marking(text: str) -> None:
    assert fields.portion_marking(text) is None


def test_signature_and_paragraphs() -> None:
    text = "1. (C) First point.\n\n2. (U) Second point.\nSMITH\n"
    assert fields.signature(text) == "SMITH"
    assert [(p.number, str(p.marking)) for p in fields.paragraphs(text)] == [(1, "C"), (2, "U")]
