"""Cable -> JSON: shape, values, the schema in docs/, and the way back."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from cablegram.jsonio import cable_from_dict, cable_to_dict
from cablegram.model import (
    Addressee,
    Block,
    BlockKind,
    Cable,
    ClassifiedBy,
    Declassification,
    DeclassificationKind,
    Diagnostic,
    Envelope,
    Level,
    Marking,
    Paragraph,
    Part,
    Participant,
    Precedence,
    Reference,
    ReferenceKind,
    Section,
    Tag,
    TagEra,
    TagKind,
)
from cablegram.read import parse
from cablegram.read.formats import Document, read_documents

SCHEMA_PATH = Path(__file__).resolve().parents[1] / "docs" / "cable.schema.json"


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


# Modelled on the seed cable 07MOSCOW1002, with every optional field filled in.
FULL = Cable(
    id="07MOSCOW1002",
    envelope=Envelope(
        transmission_id="VZCZCXYZ0000",
        routing_precedence=Precedence.PRIORITY,
        delivering_stations=("RUEHWEB",),
        originating_station="RUEHMO",
        station_serial=1002,
        section=1,
        filing_time="0681523",
        security_line="ZNY SSSSS ZZH",
        precedences=(Precedence.PRIORITY, Precedence.ROUTINE),
    ),
    dtg=datetime(2007, 3, 9, 15, 23, tzinfo=UTC),
    originator=Addressee("AMEMBASSY MOSCOW"),
    to=(Addressee("SECSTATE WASHDC", "RUEHC", Precedence.NIACT_IMMEDIATE, 8096),),
    info=(
        Addressee("NSC WASHDC", "RHEHNSC", Precedence.PRIORITY),
        Addressee("EUROPEAN POLITICAL COLLECTIVE", "RUEHZL", None, None, ("AMEMBASSY ROME",)),
    ),
    classification=Marking(Level.SECRET, frozenset({"ORCON", "NOFORN"})),
    origin="MOSCOW",
    serial=1002,
    section=Section(1, 2),
    captions=("SIPDIS", "NOFORN"),
    passing=("DEPT FOR EUR/RUS",),
    declassification=Declassification("12958", DeclassificationKind.DATE, date(2017, 3, 1)),
    tags=(
        Tag("PREL", TagKind.SUBJECT),
        Tag("RS", TagKind.GEOGRAPHIC, TagEra.FIPS),
        Tag("STEINBERG, JAMES B.", TagKind.PERSON),
    ),
    subject="RUSSIA ON IRAN",
    subject_marking=Marking(Level.CONFIDENTIAL, rel_to=("USA", "GBR")),
    references=(
        Reference("07 STATE 3773", ReferenceKind.CABLE, "07STATE3773", "A", notal=True),
        Reference("SECDEF R162245Z OCT 08", ReferenceKind.MESSAGE),
    ),
    classified_by=ClassifiedBy("Daniel A. Russell", "DCM", ("b", "d"), "1.4"),
    paragraphs=(
        Paragraph(None, None, "Intro."),
        Paragraph(1, Marking(Level.SBU, frozenset({"NOFORN"})), "Summary: ...", "Summary"),
    ),
    blocks=(Block(BlockKind.SUMMARY, "...", 1),),
    participants=(Participant("Sergey Kislyak", "Deputy Foreign Minister", "MFA", "Russia"),),
    part=Part(1, 2, ("07MOSCOW1003",)),
    signature="RUSSELL",
    partial=True,
    original_text="not output",
    diagnostics=(Diagnostic("cleanup.pilcrow", "removed 1 pilcrow", 40, 41),),
)


def test_full_cable_values() -> None:
    data = cable_to_dict(FULL, Document("cables/seed.txt", 3, "", {}))
    assert data["source"] == {"path": "cables/seed.txt", "index": 3}
    assert data["date"] == "2007-03-09T15:23:00Z"
    assert data["dtg"] == "091523Z MAR 07"
    assert data["classification"] == {
        "level": "SECRET",
        "caveats": ["NOFORN", "ORCON"],
        "rel_to": [],
        "portion": "S/NF/ORCON",
        "banner": "SECRET//NOFORN//ORCON",
    }
    assert data["precedence"] == "NIACT IMMEDIATE"
    assert data["envelope"]["precedences"] == ["PRIORITY", "ROUTINE"]
    assert data["recipients"]["to"] == [
        {
            "address": "SECSTATE WASHDC",
            "routing_indicator": "RUEHC",
            "precedence": "NIACT IMMEDIATE",
            "mcn": 8096,
            "exempted": [],
        }
    ]
    assert data["recipients"]["info"][1]["exempted"] == ["AMEMBASSY ROME"]
    assert data["sections"] == {"number": 1, "total": 2}
    assert data["declassify"] == {
        "order": "12958",
        "kind": "date",
        "date": "2017-03-01",
        "exemption": None,
        "event": None,
    }
    assert data["tags"][1] == {"code": "RS", "kind": "geographic", "era": "fips"}
    assert data["subject_marking"] == {
        "level": "CONFIDENTIAL",
        "caveats": [],
        "rel_to": ["USA", "GBR"],
        "portion": "C/REL USA, GBR",
    }
    assert data["references"][0] == {
        "id": "07STATE3773",
        "kind": "cable",
        "text": "07 STATE 3773",
        "letter": "A",
        "notal": True,
    }
    assert data["classified_by"] == {
        "name": "Daniel A. Russell",
        "title": "DCM",
        "reasons": ["b", "d"],
        "section": "1.4",
    }
    assert data["paragraphs"][1]["marking"]["portion"] == "SBU/NF"
    assert data["paragraphs"][1]["heading"] == "Summary"
    assert data["part"] == {"number": 1, "total": 2, "other": ["07MOSCOW1003"]}
    assert data["diagnostics"] == [
        {"code": "cleanup.pilcrow", "message": "removed 1 pilcrow", "line": 40, "end_line": 41}
    ]
    assert "not output" not in json.dumps(data)


def test_keys_come_in_a_fixed_order() -> None:
    assert list(cable_to_dict(Cable())) == [
        "source", "id", "date", "dtg", "origin", "serial", "classification", "precedence",
        "envelope", "originator", "recipients", "sections", "captions", "passing",
        "declassify", "tags", "subject", "subject_marking", "references", "classified_by",
        "paragraphs", "blocks", "participants", "part", "signature", "partial", "diagnostics",
    ]  # fmt: skip


def test_empty_cable_is_nulls_and_empty_lists(validator: Draft202012Validator) -> None:
    data = cable_to_dict(Cable())
    validator.validate(data)
    assert data["source"] is None
    assert data["date"] is None
    assert data["classification"] is None
    assert data["recipients"] == {"to": [], "info": []}
    assert data["envelope"]["delivering_stations"] == []
    assert data["partial"] is False


def test_full_cable_matches_the_schema(validator: Draft202012Validator) -> None:
    validator.validate(cable_to_dict(FULL, Document("-", 0, "", {})))


@pytest.mark.parametrize(
    ("where", "extra"),
    [
        pytest.param((), "colour", id="top"),
        pytest.param(("envelope",), "colour", id="envelope"),
        pytest.param(("classification",), "colour", id="classification"),
        pytest.param(("paragraphs", 1, "marking"), "colour", id="paragraph-marking"),
        pytest.param(("recipients", "to", 0), "colour", id="addressee"),
    ],
)
def test_schema_refuses_unknown_keys(
    validator: Draft202012Validator, where: tuple[str | int, ...], extra: str
) -> None:
    data = cable_to_dict(FULL)
    target: Any = data
    for step in where:
        target = target[step]
    target[extra] = "red"
    assert not validator.is_valid(data)


def test_schema_refuses_a_level_written_as_abbreviation(validator: Draft202012Validator) -> None:
    data = cable_to_dict(FULL)
    data["classification"]["level"] = "S"
    assert not validator.is_valid(data)


def test_full_cable_round_trips() -> None:
    back = cable_from_dict(json.loads(json.dumps(cable_to_dict(FULL))))
    assert back == FULL
    assert back.diagnostics == FULL.diagnostics


texts = st.text(alphabet=st.characters(codec="utf-8"), max_size=12)
optional_texts = st.none() | texts
small = st.integers(min_value=0, max_value=9999)
optional_small = st.none() | small
precedences = st.sampled_from(Precedence)
markings = st.builds(
    Marking,
    st.sampled_from(Level),
    st.frozensets(st.sampled_from(["NOFORN", "ORCON", "FGI", "PROPIN", "FOUO", "EXDIS"])),
    st.lists(st.sampled_from(["USA", "GBR", "AUS"]), unique=True).map(tuple),
)
addressees = st.builds(
    Addressee,
    texts,
    optional_texts,
    st.none() | precedences,
    optional_small,
    st.lists(texts, max_size=2).map(tuple),
)
cables = st.builds(
    Cable,
    id=optional_texts,
    envelope=st.builds(
        Envelope,
        optional_texts,
        st.none() | precedences,
        st.lists(texts, max_size=3).map(tuple),
        optional_texts,
        optional_small,
        optional_small,
        optional_texts,
        optional_texts,
        st.lists(precedences, max_size=2).map(tuple),
    ),
    dtg=st.none()
    | st.datetimes(datetime(1950, 1, 1), datetime(2049, 12, 31)).map(
        lambda moment: moment.replace(second=0, microsecond=0, tzinfo=UTC)
    ),
    originator=st.none() | addressees,
    to=st.lists(addressees, max_size=2).map(tuple),
    info=st.lists(addressees, max_size=2).map(tuple),
    classification=st.none() | markings,
    origin=optional_texts,
    serial=optional_small,
    section=st.none() | st.builds(Section, small, small),
    captions=st.lists(texts, max_size=3).map(tuple),
    passing=st.lists(texts, max_size=2).map(tuple),
    declassification=st.none()
    | st.builds(
        Declassification,
        optional_texts,
        st.sampled_from(DeclassificationKind),
        st.none() | st.dates(),
        optional_texts,
        optional_texts,
    ),
    tags=st.lists(
        st.builds(Tag, texts, st.sampled_from(TagKind), st.none() | st.sampled_from(TagEra)),
        max_size=3,
    ).map(tuple),
    subject=optional_texts,
    subject_marking=st.none() | markings,
    references=st.lists(
        st.builds(Reference, texts, st.sampled_from(ReferenceKind), optional_texts, optional_texts),
        max_size=2,
    ).map(tuple),
    classified_by=st.none()
    | st.builds(
        ClassifiedBy, optional_texts, optional_texts, st.lists(texts).map(tuple), optional_texts
    ),
    paragraphs=st.lists(
        st.builds(Paragraph, optional_small, st.none() | markings, texts, optional_texts),
        max_size=3,
    ).map(tuple),
    blocks=st.lists(
        st.builds(Block, st.sampled_from(BlockKind), texts, optional_small), max_size=2
    ).map(tuple),
    participants=st.lists(
        st.builds(Participant, texts, optional_texts, optional_texts, optional_texts), max_size=2
    ).map(tuple),
    part=st.none() | st.builds(Part, small, optional_small, st.lists(texts).map(tuple)),
    signature=optional_texts,
    partial=st.booleans(),
    diagnostics=st.lists(
        st.builds(
            Diagnostic,
            texts,
            texts,
            st.none() | st.integers(1, 999),
            st.none() | st.integers(1, 999),
        ),
        max_size=2,
    ).map(tuple),
)


@given(cable=cables)
def test_any_cable_matches_the_schema_and_round_trips(cable: Cable) -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    data = json.loads(json.dumps(cable_to_dict(cable)))
    Draft202012Validator(schema).validate(data)
    back = cable_from_dict(data)
    assert back == cable
    assert back.diagnostics == cable.diagnostics


def test_seed_cable_matches_the_schema_and_round_trips(
    seed_text: str, validator: Draft202012Validator
) -> None:
    cable = parse(seed_text)
    data = json.loads(json.dumps(cable_to_dict(cable)))
    validator.validate(data)
    assert data["id"] == "07MOSCOW1002"
    assert cable_from_dict(data) == cable


@pytest.mark.slow
def test_every_sample_cable_matches_the_schema(
    shared_dir: Path, validator: Draft202012Validator
) -> None:
    invalid = {}
    for document in read_documents(shared_dir / "corpus" / "cablegate-sample.jsonl.gz"):
        data = cable_to_dict(parse(document.text), document)
        error = next(validator.iter_errors(data), None)
        if error is not None:
            invalid[document.metadata["reference_id"]] = f"{error.json_path}: {error.message}"
    assert invalid == {}
