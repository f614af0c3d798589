"""The seed cable 07MOSCOW1002, as scraped from the web, parses to what the issue states."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from cablegram.model import (
    Cable,
    DeclassificationKind,
    Level,
    Precedence,
    ReferenceKind,
    TagKind,
)
from cablegram.read import parse


@pytest.fixture(scope="module")
def seed(seed_text: str) -> Cable:
    return parse(seed_text)


def test_identity_and_date(seed: Cable) -> None:
    assert seed.id == "07MOSCOW1002"
    assert seed.dtg == datetime(2007, 3, 9, 15, 23, tzinfo=UTC)
    assert seed.precedence is Precedence.PRIORITY
    assert seed.origin == "MOSCOW"
    assert seed.serial == 1002


def test_envelope(seed: Cable) -> None:
    envelope = seed.envelope
    assert envelope.transmission_id == "VZCZCXYZ0000"
    assert envelope.routing_precedence is Precedence.PRIORITY
    assert envelope.delivering_stations == ("RUEHWEB",)
    assert envelope.originating_station == "RUEHMO"
    assert (envelope.station_serial, envelope.section) == (1002, 1)
    assert envelope.filing_time == "0681523"
    assert envelope.filing_day == 68
    assert envelope.security_line == "ZNY SSSSS ZZH"
    assert envelope.precedences == (Precedence.PRIORITY,)


def test_classification_and_captions(seed: Cable) -> None:
    assert seed.classification is not None
    assert seed.classification.level is Level.SECRET
    assert seed.classification.caveats == frozenset()
    assert seed.captions == ("SIPDIS",)
    assert seed.declassification is not None
    assert seed.declassification.order == "12958"
    assert seed.declassification.kind is DeclassificationKind.DATE
    assert seed.declassification.date == date(2017, 3, 1)


def test_tags_with_kinds(seed: Cable) -> None:
    assert [t.code for t in seed.tags] == [
        "IAEA", "KACT", "KNNP", "MNUC", "PARM", "PREL", "IR", "RS", "START",
    ]  # fmt: skip
    kinds = {t.code: t.kind for t in seed.tags}
    assert kinds["PREL"] is TagKind.SUBJECT
    assert kinds["KNNP"] is TagKind.PROGRAM
    assert kinds["RS"] is TagKind.GEOGRAPHIC
    assert kinds["IAEA"] is TagKind.ORGANIZATION


def test_subject(seed: Cable) -> None:
    assert seed.subject == (
        "U/S JOSEPH-RUSSIAN DFM KISLYAK MEETING ON STRATEGIC SECURITY DIALOGUE: PART II"
    )
    assert seed.subject_marking is None


def test_references(seed: Cable) -> None:
    assert [(r.letter, r.id) for r in seed.references] == [
        ("A", "07STATE3773"),
        ("B", "06STATE201804"),
        ("C", "06STATE165526"),
        ("D", "07STATE7445"),
        ("E", "06STATE28324"),
        ("F", "07STATE4837"),
        ("G", "07MOSCOW1001"),
    ]
    assert all(r.kind is ReferenceKind.CABLE and not r.notal for r in seed.references)


def test_classified_by(seed: Cable) -> None:
    assert seed.classified_by is not None
    assert seed.classified_by.title == "DCM"
    assert seed.classified_by.name == "Daniel A. Russell"
    assert seed.classified_by.reasons == ("b", "d")
    assert seed.classified_by.section == "1.4"


MARKINGS = {
    1: "SBU", 2: "SBU", 3: "C", 4: "C", 5: "SBU", 6: "SBU", 7: "SBU", 8: "SBU", 9: "C",
    10: "C", 11: "C", 12: "S", 13: "SBU", 14: "C", 15: "C", 16: "C", 17: "C", 18: "S",
    19: "U", 20: "U",
}  # fmt: skip


def test_paragraphs_in_order_with_markings(seed: Cable) -> None:
    numbered = [p for p in seed.paragraphs if p.number is not None]
    assert [p.number for p in numbered] == list(range(1, 21))
    assert {p.number: str(p.marking) for p in numbered} == MARKINGS


def test_headings(seed: Cable) -> None:
    headings = {p.number: p.heading for p in seed.paragraphs if p.heading}
    assert headings == {
        1: "Australia Group / Shchuch'ye Chemical Weapons Destruction Facility",
        3: "Highly Enriched Uranium Seizure in Georgia",
        5: "International Science and Technology Center (ISTC)",
        7: "Space Policy",
        14: "India",
        17: "Proliferation Finance",
    }


@pytest.mark.parametrize(
    ("number", "sentence"),
    [
        (3, "provided the Government of Georgia a list of questions regarding the seizure"),
        (8, "He believed the existing multilateral treaties relating to space were sufficient"),
        (11, "It was told by China that the event was an experiment"),
        (13, "along with the proposed joint statement on the free access to and use of space"),
        (15, "the agreement would be off if India tested a nuclear device"),
        (16, "two of the four reactors were not grandfathered under the existing Guidelines"),
    ],
)
def test_sentences_whole_across_page_breaks(seed: Cable, number: int, sentence: str) -> None:
    paragraph = seed.paragraph(number)
    assert paragraph is not None
    assert sentence in paragraph.text


def test_no_stray_caption_or_artefact_in_text(seed: Cable) -> None:
    for paragraph in seed.paragraphs:
        assert "SIPDIS" not in paragraph.text
        assert "[1](#)" not in paragraph.text
        assert "¶" not in paragraph.text
    codes = {d.code for d in seed.diagnostics}
    assert {"cleanup.link-residue", "paragraph.pilcrow-digit", "body.stray-caption"} <= codes


def test_introduction_is_unnumbered(seed: Cable) -> None:
    first = seed.paragraphs[0]
    assert first.number is None and first.marking is None
    assert first.text.startswith("This is part two of a two-part cable")


def test_part_two_of_two_with_part_one_as_ref_g(seed: Cable) -> None:
    assert seed.part is not None
    assert (seed.part.number, seed.part.total) == (2, 2)
    assert seed.part.other == ("07MOSCOW1001",)


def test_participants(seed: Cable) -> None:
    people = seed.participants
    assert len(people) == 25
    by_name = {p.name: p for p in people}
    assert by_name["Robert Joseph"].title == "U/S"
    assert by_name["Robert Joseph"].affiliation == "State/T"
    assert by_name["Robert Joseph"].side == "U.S."
    assert by_name["Sergey Kislyak"].title == "DFM"
    assert by_name["Sergey Kislyak"].side == "Russia"
    assert by_name["Joseph Benkert"].title == "ASD(Acting)"
    assert by_name["Yevgeniy Buzhinskiy"].title == "Gen-Lt."
    assert by_name["William Tobey"].title is None
    assert sum(p.side == "U.S." for p in people) == 13


def test_signature(seed: Cable) -> None:
    assert seed.signature == "RUSSELL"
    last = seed.paragraphs[-1]
    assert last.number == 20
    assert last.text == "U/S Joseph has cleared this message."


def test_addressees(seed: Cable) -> None:
    assert seed.originator is not None
    assert seed.originator.address == "AMEMBASSY MOSCOW"
    (action,) = seed.to
    assert (action.routing_indicator, action.address, action.precedence, action.mcn) == (
        "RUEHC",
        "SECSTATE WASHDC",
        Precedence.PRIORITY,
        8096,
    )
    assert [(a.routing_indicator, a.address, a.mcn) for a in seed.info] == [
        ("RHEHNSC", "NSC WASHDC", None),
        ("RUEHUNV", "USMISSION UNVIE VIENNA", 458),
        ("RUEKJCS", "SECDEF WASHDC", None),
        ("RUEKJCS", "JOINT STAFF WASHDC", None),
        ("RHEBAAA", "DEPT OF ENERGY WASHDC", None),
        ("RUEATRS", "DEPT OF TREASURY WASHDC", None),
        ("RUCNDT", "USMISSION USUN NEW YORK", 318),
        ("RUEHNO", "USMISSION USNATO", 6763),
    ]
    assert all(a.precedence is Precedence.PRIORITY for a in seed.info)


def test_original_text_kept(seed: Cable, seed_text: str) -> None:
    assert seed.original_text == seed_text
    assert not seed.partial
