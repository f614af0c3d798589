"""People: names and titles in cables, the merging rule, and the person index with access.

The seed's participant list (paragraph 19) is typed below from the cable text; the other
tables quote the cable (or spec section) each input comes from.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from cablegram.access import Principal, cable_access, view
from cablegram.archive import Archive
from cablegram.archive.people import (
    CLASSIFIED_BY,
    PARTICIPANT,
    SIGNATURE,
    TEXT,
    mentions,
    organisations,
    person_query_term,
    person_terms,
)
from cablegram.archive.people_index import counted, people
from cablegram.archive.people_index import organisations as archive_organisations
from cablegram.archive.person_names import classifier_name, parse_name, titled_names
from cablegram.archive.storage.base import Mention as StoredMention
from cablegram.model import Cable, ClassifiedBy, Level, Marking, Paragraph, Tag, TagKind
from cablegram.read import parse
from seed_archive import BEFORE_DECLASSIFICATION, PART_ONE_ID, SEED_ID, build
from strategies import cables

#: 07MOSCOW1002 paragraph 19, "Meeting Participants", as written (name: title).
SEED_PARTICIPANTS = {
    "Robert Joseph": "U/S",
    "John Rood": "A/S",
    "Joseph Benkert": "ASD(Acting)",
    "Stephen Elliott": "PDAS",
    "Brian Green": "DASD",
    "William Tobey": None,
    "Jim Timbie": None,
    "Tim Katsapis": None,
    "David Dowley": None,
    "Richard Trout": None,
    "Tim MacGregor": None,
    "Charles Miller": None,
    "Scott Roenicke": None,
    "Sergey Kislyak": "DFM",
    "Igor Neverov": None,
    "Anatoliy Antonov": None,
    "Oleg Burmistrov": None,
    "Oleg Rozhkov": None,
    "Sergey Koshelev": None,
    "Vladimir Venyevtsev": None,
    "Andrey Belyakov": None,
    "Andrey Belousov": None,
    "Vladimir Kuchinov": None,
    "Marina Belyayeva": None,
    "Yevgeniy Buzhinskiy": "Gen-Lt.",
}
CONFIDENTIAL_READER = Principal("c-reader", Level.CONFIDENTIAL)
PUBLIC = Principal("public", Level.UNCLASSIFIED)


@pytest.fixture(scope="module")
def seed(seed_text: str) -> Cable:
    return parse(seed_text)


def key_of(found: list[object], name: str, role: str | None = None) -> set[str]:
    return {
        m.key  # type: ignore[attr-defined]
        for m in found
        if m.name == name and (role is None or m.role == role)  # type: ignore[attr-defined]
    }


# --- the seed: the acceptance ----------------------------------------------------


def test_the_seed_lists_its_25_participants_with_their_titles(seed: Cable) -> None:
    listed = {(m.name, m.title) for m in mentions(seed) if m.role == PARTICIPANT}
    assert listed == set(SEED_PARTICIPANTS.items())
    keys = {m.key for m in mentions(seed) if m.role == PARTICIPANT}
    assert len(keys) == 25
    assert all(m.portion_key == "paragraph:19" for m in mentions(seed) if m.role == PARTICIPANT)


@pytest.mark.parametrize(
    ("short", "title", "full"),
    [
        pytest.param("Joseph", "U/S", "Robert Joseph", id="U/S-Joseph"),
        pytest.param("Kislyak", "DFM", "Sergey Kislyak", id="DFM-Kislyak"),
        pytest.param("Elliott", "PDAS", "Stephen Elliott", id="PDAS-Elliott"),  # paragraph 18
        pytest.param("Antonov", "Mr.", "Anatoliy Antonov", id="Mr-Antonov"),  # paragraph 17
    ],
)
def test_titled_names_in_the_text_merge_with_the_participant(
    seed: Cable, short: str, title: str, full: str
) -> None:
    found = mentions(seed)
    short_keys = {m.key for m in found if m.name == short and m.title == title and m.role == TEXT}
    assert short_keys == key_of(found, full, PARTICIPANT)  # type: ignore[arg-type]


def test_joseph_benkert_stays_a_different_person(seed: Cable) -> None:
    found = mentions(seed)
    benkert = key_of(found, "Joseph Benkert")  # type: ignore[arg-type]
    joseph = key_of(found, "Robert Joseph")  # type: ignore[arg-type]
    assert len(benkert) == 1 and benkert != joseph
    assert [m.name for m in found if m.key in benkert] == ["Joseph Benkert"]


def test_the_classifier_and_the_signature_are_one_person(seed: Cable) -> None:
    # "Classified By: DCM Daniel A. Russell for reasons 1.4 (b/d)." ... "RUSSELL"
    found = mentions(seed)
    classifier = [m for m in found if m.role == CLASSIFIED_BY]
    signer = [m for m in found if m.role == SIGNATURE]
    assert [(m.name, m.title, m.portion_key) for m in classifier] == [
        ("Daniel A. Russell", "DCM", None)
    ]
    assert [(m.name, m.portion_key) for m in signer] == [("Russell", "signature")]
    assert classifier[0].key == signer[0].key


def test_mentions_name_the_portion_they_are_written_in(seed: Cable) -> None:
    desutter = [m for m in mentions(seed) if m.name == "DeSutter"]
    # Paragraph 7: "A/S DeSutter (State/VCI) and he had a productive meeting"
    assert [(m.title, m.portion_key) for m in desutter] == [("A/S", "paragraph:7")]
    subject = {(m.name, m.title) for m in mentions(seed) if m.portion_key == "subject"}
    assert subject == {("Joseph", "U/S"), ("Kislyak", "DFM")}


def test_tag_entities_of_the_seed(seed: Cable) -> None:
    # "TAGS: IAEA KACT KNNP MNUC PARM PREL IR RS START"; RS is Russia in the FIPS-era table.
    found = {(e.code, e.kind, e.name) for e in organisations(seed)}
    assert ("RS", "country", "Russia") in found
    assert ("IR", "country", "Iran") in found
    assert {e.code for e in organisations(seed) if e.kind == "organization"} == {"IAEA", "START"}


# --- names, titles and Classified By lines -----------------------------------------------


@pytest.mark.parametrize(
    ("written", "given", "surname"),
    [
        pytest.param("Daniel A. Russell", ("Daniel", "A."), "Russell", id="initial"),
        pytest.param("STEINBERG, JAMES B.", ("James", "B."), "Steinberg", id="person-tag"),
        pytest.param("VAN VOORST", (), "Van Voorst", id="particle"),  # a Cablegate signature
        pytest.param("Timothy Zuniga-Brown", ("Timothy",), "Zuniga-Brown", id="hyphen"),
        pytest.param("William B. Wood, Jr.", ("William", "B."), "Wood", id="suffix"),
    ],
)
def test_parse_name(written: str, given: tuple[str, ...], surname: str) -> None:
    name = parse_name(written)
    assert name is not None
    assert (name.given, name.surname) == (given, surname)


@pytest.mark.parametrize(
    "written", ["XXXXXXXXXXXX", "MISSION", "A", "the Ambassador", "1.4 (b)"], ids=str
)
def test_parse_name_refuses_what_is_no_name(written: str) -> None:
    assert parse_name(written) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 07MOSCOW1002 paragraph 15
        pytest.param(
            "A/S Rood replied that Prime Minister Singh had stated",
            [("A/S", "Rood"), ("Prime Minister", "Singh")],
            id="seed-para-15",
        ),
        # 07MOSCOW1002 paragraph 7: a title after an office name
        pytest.param(
            "MFA Arms Control and Security Department Director Antonov reported",
            [("Director", "Antonov")],
            id="seed-para-7",
        ),
        pytest.param("DG ElBaradei did not think", [("DG", "ElBaradei")], id="seed-para-14"),
        pytest.param(
            "Ambassador William J. Burns's visit", [("Ambassador", "William J. Burns")], id="full"
        ),
        pytest.param("the UN General Assembly voted", [], id="general-assembly"),
        pytest.param("the Consulate General Sao Paulo reported", [], id="consulate-general"),
        pytest.param("the Secretary said", [], id="no-name"),
        # 07MOSCOW1002 subject line, all capitals
        pytest.param(
            "U/S JOSEPH-RUSSIAN DFM KISLYAK MEETING ON STRATEGIC SECURITY",
            [("U/S", "Joseph"), ("DFM", "Kislyak")],
            id="capitals-subject",
        ),
        pytest.param("PRESIDENT JOSE MANUEL ZELAYA MET", [], id="capitals-full-name-refused"),
        pytest.param("GENERAL ELECTIONS WILL BE HELD", [], id="capitals-common-word"),
        pytest.param("SECRETARY RICE'S VISIT", [("SECRETARY", "Rice")], id="capitals-possessive"),
    ],
)
def test_titled_names(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(title, name.display) for title, name in titled_names(text)] == expected


@pytest.mark.parametrize(
    ("written", "name", "title"),
    [
        # spec §2.4 and Classified By lines of the shared sample
        pytest.param("Daniel A. Russell", "Daniel A. Russell", None, id="plain"),
        pytest.param("Margaret Scobey per", "Margaret Scobey", None, id="per"),
        pytest.param(
            "Classified by Political Counselor Dennis Hearne",
            "Dennis Hearne",
            "Political Counselor",
            id="title-in-name",
        ),
        pytest.param(
            "Global Affairs Unit Chief Don L. Brown",
            "Don L. Brown",
            "Global Affairs Unit Chief",
            id="office",
        ),
        pytest.param(
            "Fred Carter and Poloff Steven Prohaska", "Fred Carter", None, id="two-classifiers"
        ),
        pytest.param("PHILLIP CHICOLA BASED UPON", "Phillip Chicola", None, id="based-upon"),
    ],
)
def test_classifier_name(written: str, name: str, title: str | None) -> None:
    found = classifier_name(written)
    assert found is not None
    assert (found[0].display, found[1]) == (name, title)


# --- the merging rule across and within cables -------------------------------------------


def _cable(cable_id: str, *texts: str, classified_by: str | None = None) -> Cable:
    return Cable(
        id=cable_id,
        classification=Marking(Level.UNCLASSIFIED),
        paragraphs=tuple(
            Paragraph(n, Marking(Level.UNCLASSIFIED), text) for n, text in enumerate(texts, 1)
        ),
        classified_by=ClassifiedBy(classified_by) if classified_by else None,
    )


def test_across_cables_the_same_full_name_is_the_same_person() -> None:
    one = mentions(_cable("09PARIS1", "Ambassador Craig Stapleton met the minister."))
    two = mentions(_cable("09PARIS2", "Ambassador Craig Stapleton left Paris."))
    assert one[0].key == two[0].key == "stapleton, craig"


def test_across_cables_a_surname_alone_merges_only_with_the_same_title() -> None:
    rice = mentions(_cable("05STATE1", "Secretary Rice arrived."))
    rice_un = mentions(_cable("09USUNNEWYORK1", "Ambassador Rice spoke."))
    again = mentions(_cable("05STATE2", "Secretary Rice left."))
    assert rice[0].key == again[0].key
    assert rice[0].key != rice_un[0].key


def test_within_a_cable_an_ambiguous_surname_stays_alone() -> None:
    found = mentions(
        _cable("09PARIS3", "Mr. John Smith and Mr. Paul Smith met.", "Mr. Smith said no.")
    )
    keys = {m.name: m.key for m in found}
    assert len({keys["John Smith"], keys["Paul Smith"], keys["Smith"]}) == 3


def test_within_a_cable_a_conflicting_title_stays_apart() -> None:
    found = mentions(
        _cable("09PARIS4", "Ambassador Susan Rice met Secretary Rice.", "Secretary Rice agreed.")
    )
    keys = {(m.name, m.title): m.key for m in found}
    assert keys[("Susan Rice", "Ambassador")] != keys[("Rice", "Secretary")]


def test_a_person_tag_merges_with_the_same_name_in_the_text() -> None:
    cable = replace(
        _cable("09STATE5", "Deputy Secretary James B. Steinberg will visit."),
        tags=(Tag("STEINBERG, JAMES B.", TagKind.PERSON),),
    )
    found = mentions(cable)
    assert {(m.role, m.key) for m in found} == {
        ("tag", "steinberg, james b"),
        ("text", "steinberg, james b"),
    }
    assert [m.portion_key for m in found if m.role == "tag"] == [None]


@pytest.mark.parametrize(
    ("written", "term"),
    [
        pytest.param("Kislyak", "kislyak", id="surname"),
        pytest.param("Sergey Kislyak", "kislyak, sergey", id="full-name"),
        pytest.param("Kislyak, Sergey", "kislyak, sergey", id="key-order"),
    ],
)
def test_person_query_terms_meet_the_index_terms(written: str, term: str) -> None:
    assert person_query_term(written) == term
    assert term in person_terms("kislyak, sergey")


# --- the person index of an archive, for a reader ----------------------------------------


@pytest.fixture(scope="module")
def seed_archive(tmp_path_factory: pytest.TempPathFactory, seed_text: str) -> Iterator[Archive]:
    with Archive.open(build(tmp_path_factory.mktemp("people"), seed_text)) as archive:
        yield archive


def test_the_operator_index_lists_everyone_with_their_cables(seed_archive: Archive) -> None:
    found = {p.name: p for p in people(seed_archive)}
    assert set(SEED_PARTICIPANTS) <= set(found)
    for name, title in SEED_PARTICIPANTS.items():
        if title is not None:
            assert found[name].titles[0] == title
        assert SEED_ID in found[name].cables
    assert found["Daniel A. Russell"].cables == (PART_ONE_ID, SEED_ID)
    assert found["Robert Joseph"].roles == (PARTICIPANT, TEXT)


def test_a_confidential_reader_counts_only_what_they_may_read(seed_archive: Archive) -> None:
    found = {
        p.name: p for p in people(seed_archive, None, CONFIDENTIAL_READER, BEFORE_DECLASSIFICATION)
    }
    # "PDAS Elliott asked ..." is in paragraph 18 (S): only the participant list remains.
    assert found["Stephen Elliott"].roles == (PARTICIPANT,)
    assert found["Stephen Elliott"].mentions == 1
    # Part I (all SECRET) does not exist for this reader.
    assert all(PART_ONE_ID not in person.cables for person in found.values())
    # Classified By is handling metadata: counted for a cable the reader may see.
    assert found["Daniel A. Russell"].roles == (CLASSIFIED_BY,)


def test_the_public_sees_only_the_unclassified_paragraphs_and_metadata(
    seed_archive: Archive,
) -> None:
    found = {p.name: p for p in people(seed_archive, None, PUBLIC, BEFORE_DECLASSIFICATION)}
    assert "DeSutter" not in found  # paragraph 7 is SBU
    # Paragraph 20 (U): "U/S Joseph has cleared this message."
    assert found["Robert Joseph"].mentions == 2
    assert set(SEED_PARTICIPANTS) <= set(found)


def test_a_query_selects_the_cables(seed_archive: Archive) -> None:
    found = people(seed_archive, f"id:{PART_ONE_ID}")
    # Its subject names "U/S JOSEPH" and "DFM KISLYAK"; no full names: keys by title.
    assert {p.key for p in found} == {
        "russell, daniel a",
        "joseph (under-secretary)",
        "kislyak (deputy-foreign-minister)",
    }
    assert all(p.cables == (PART_ONE_ID,) for p in found)


def test_organisations_of_the_archive(seed_archive: Archive) -> None:
    found = {e.code: e for e in archive_organisations(seed_archive)}
    assert (found["RS"].name, found["RS"].cables) == ("Russia", (PART_ONE_ID, SEED_ID))
    assert found["IAEA"].cables == (SEED_ID,)
    hidden = archive_organisations(seed_archive, None, CONFIDENTIAL_READER, BEFORE_DECLASSIFICATION)
    assert {e.code: e.cables for e in hidden}["RS"] == (SEED_ID,)


# --- property: the index counts nothing a reader may not read ----------------------------

readers = st.builds(
    Principal,
    name=st.just("reader"),
    clearance=st.sampled_from(list(Level)),
    us_person=st.booleans(),
    country=st.none() | st.sampled_from(["GBR", "AUS", "CAN"]),
    caveats=st.frozensets(st.sampled_from(["ORCON", "PROPIN"])),
)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cable=cables(), reader=readers, as_of=st.dates(date(1995, 1, 1), date(2040, 1, 1)))
def test_counted_mentions_come_from_what_the_reader_may_read(
    cable: Cable, reader: Principal, as_of: date
) -> None:
    seen = view(reader, cable, cable_access(cable), as_of)
    assume(seen is not None)
    assert seen is not None
    stored = [StoredMention(m.key, m.name, m.title, m.portion_key, m.role) for m in mentions(cable)]
    kept = counted(stored, seen)
    readable = {p.portion.key: p.portion.text.lower() for p in seen.portions if p.readable}
    for mention in kept:
        if mention.portion is None:
            assert mention.role in (CLASSIFIED_BY, "tag")
        else:
            # Written in a portion the reader may read: its surname is in that text.
            assert mention.name.split()[-1].lower() in readable[mention.portion]
    dropped = [m for m in stored if m not in kept]
    assert all(m.portion is not None and m.portion not in readable for m in dropped)
