"""TAGS: kinds, eras, meanings and known codes (spec §2.5)."""

from __future__ import annotations

import string
from datetime import UTC, date, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cablegram.model import TagEra, TagKind
from cablegram.reference import classify_tag, geographic_era, is_known_tag, tag_meaning

SEED_DATE = date(2007, 3, 9)  # 07MOSCOW1002, DTG 091523Z MAR 07

# The seed's TAGS line, kinds as spec §2.5 states them for "the Moscow example".
SEED_TAGS = [
    ("IAEA", TagKind.ORGANIZATION),
    ("KACT", TagKind.PROGRAM),
    ("KNNP", TagKind.PROGRAM),
    ("MNUC", TagKind.SUBJECT),
    ("PARM", TagKind.SUBJECT),
    ("PREL", TagKind.SUBJECT),
    ("IR", TagKind.GEOGRAPHIC),
    ("RS", TagKind.GEOGRAPHIC),
    ("START", TagKind.ORGANIZATION),
]


@pytest.mark.parametrize(("code", "kind"), SEED_TAGS, ids=[code for code, _ in SEED_TAGS])
def test_seed_tags_have_the_kinds_the_spec_gives(code: str, kind: TagKind) -> None:
    era = geographic_era(SEED_DATE)
    expected_era = era if kind is TagKind.GEOGRAPHIC else None
    assert classify_tag(code, era) == (kind, expected_era)


ERA_CASES = [
    (date(1966, 12, 28), TagEra.TAGS_1974),  # 66BUENOSAIRES2481: TAGS added from the 1970s set
    (date(1975, 3, 4), TagEra.TAGS_1974),  # 75TEHRAN2069
    (date(1979, 12, 31), TagEra.TAGS_1974),  # last day of the 1973-79 CFPF years
    (date(1980, 1, 1), TagEra.FIPS),
    (date(1989, 12, 13), TagEra.FIPS),  # 89PANAMA8545 tags PM (FIPS Panama; 1974 had PN)
    (SEED_DATE, TagEra.FIPS),
    (date(2010, 2, 28), TagEra.FIPS),  # the end of Cablegate
    (date(2015, 12, 31), TagEra.FIPS),
    (date(2016, 1, 1), TagEra.CURRENT),
    (date(2024, 3, 4), TagEra.CURRENT),  # 5 FAH-3 H-414, CT:TAGS-96
    (datetime(2007, 3, 9, 15, 23, tzinfo=UTC), TagEra.FIPS),  # a DTG is a datetime
    (None, TagEra.FIPS),  # undated cables read as Cablegate-era
]


@pytest.mark.parametrize(("on", "era"), ERA_CASES, ids=[str(on) for on, _ in ERA_CASES])
def test_geographic_era(on: date | None, era: TagEra) -> None:
    assert geographic_era(on) is era


GEO_MEANINGS = [
    ("RS", TagEra.FIPS, "Russia"),  # spec §2.5: RS Russia in Cablegate-era cables
    ("RS", TagEra.CURRENT, "Serbia"),  # ... and Serbia in 5 FAH-3 H-414
    ("RU", TagEra.CURRENT, "Russia"),
    ("IR", TagEra.FIPS, "Iran"),
    ("UR", TagEra.TAGS_1974, "Soviet Union"),  # 1974 handbook
    ("GE", TagEra.TAGS_1974, "Germany (East)"),
    ("GE", TagEra.CURRENT, "Georgia"),
    ("CH", TagEra.FIPS, "China"),
    ("CH", TagEra.CURRENT, "Switzerland"),
    ("SZ", TagEra.FIPS, "Switzerland"),  # 07BERN881 "IR SZ"
    ("PN", TagEra.TAGS_1974, "Panama"),
    ("PM", TagEra.FIPS, "Panama"),
    ("XF", TagEra.FIPS, "Middle East"),  # 1974 region code on Cablegate-era cables
]


@pytest.mark.parametrize(
    ("code", "era", "meaning"), GEO_MEANINGS, ids=[f"{c}-{e.value}" for c, e, _ in GEO_MEANINGS]
)
def test_geographic_meaning_depends_on_the_era(code: str, era: TagEra, meaning: str) -> None:
    assert classify_tag(code, era) == (TagKind.GEOGRAPHIC, era)
    assert tag_meaning(code, TagKind.GEOGRAPHIC, era) == meaning


SHAPE_CASES = [
    ("STEINBERG, JAMES B.", TagEra.FIPS, TagKind.PERSON),  # OVIP (STEINBERG, JAMES B.), spec §2.5
    ("UN", TagEra.FIPS, TagKind.ORGANIZATION),  # two letters, but an organisation, not a place
    ("EU", TagEra.FIPS, TagKind.GEOGRAPHIC),  # two letters in no geographic table: still a place
    ("RU", TagEra.FIPS, TagKind.GEOGRAPHIC),  # GENC Russia on 2008 cables; not in FIPS
    ("1A", TagEra.CURRENT, TagKind.GEOGRAPHIC),  # 5 FAH-3 H-416 region: Africa
    ("KZZQ", TagEra.FIPS, TagKind.PROGRAM),  # K + three letters, in no table
    ("PZZQ", TagEra.FIPS, TagKind.SUBJECT),  # P is the Political Affairs category
    ("XXXX", TagEra.FIPS, TagKind.UNKNOWN),  # X is no subject category
    ("POL", TagEra.FIPS, TagKind.UNKNOWN),  # free text on a TAGS line
    ("NATO", TagEra.FIPS, TagKind.ORGANIZATION),  # four letters, but in the organisation table
    ("ECIN", TagEra.FIPS, TagKind.SUBJECT),  # 1974 and 5 FAH-3 subject table
    ("prel", TagEra.FIPS, TagKind.SUBJECT),  # lowercase TAGS lines occur
]


@pytest.mark.parametrize(
    ("code", "era", "kind"), SHAPE_CASES, ids=[code for code, _, _ in SHAPE_CASES]
)
def test_classify_by_shape_and_table(code: str, era: TagEra, kind: TagKind) -> None:
    assert classify_tag(code, era)[0] is kind


MEANINGS = [
    ("PREL", TagKind.SUBJECT, TagEra.FIPS, "Political Affairs--External Political Relations"),
    ("ECON", TagKind.SUBJECT, TagEra.CURRENT, "Economic Conditions"),  # 5 FAH-3 H-011.1
    ("ECON", TagKind.SUBJECT, TagEra.TAGS_1974, "Economic Conditions, Trends and Potential"),
    ("PGOV", TagKind.SUBJECT, TagEra.TAGS_1974, "Government"),
    ("KMDR", TagKind.PROGRAM, TagEra.FIPS, "Media Reaction Reporting"),  # PlusD descriptor
    ("KNNP", TagKind.PROGRAM, TagEra.FIPS, "Nuclear nonproliferation (unverified)"),
    ("KACT", TagKind.PROGRAM, TagEra.FIPS, None),  # no public meaning found
    ("WTO", TagKind.ORGANIZATION, TagEra.TAGS_1974, "Warsaw Pact Organization"),
    ("WTO", TagKind.ORGANIZATION, TagEra.FIPS, None),  # meanings drift: not the 1974 one
    ("IAEA", TagKind.ORGANIZATION, TagEra.TAGS_1974, "International Atomic Energy Agency"),
    ("STEINBERG, JAMES B.", TagKind.PERSON, None, None),
    ("XXXX", TagKind.UNKNOWN, TagEra.FIPS, None),
    ("RS", TagKind.GEOGRAPHIC, None, "Russia"),  # undated: FIPS
]


@pytest.mark.parametrize(
    ("code", "kind", "era", "meaning"),
    MEANINGS,
    ids=[f"{c}-{e.value if e else 'undated'}" for c, _, e, _ in MEANINGS],
)
def test_tag_meaning(code: str, kind: TagKind, era: TagEra | None, meaning: str | None) -> None:
    assert tag_meaning(code, kind, era) == meaning


KNOWN = [
    ("RS", TagEra.FIPS, True),
    ("RS", TagEra.TAGS_1974, False),  # the USSR was UR
    ("UR", TagEra.TAGS_1974, True),
    ("UR", TagEra.FIPS, False),
    ("RU", TagEra.FIPS, False),
    ("PREL", TagEra.FIPS, True),
    ("KNNP", TagEra.FIPS, True),
    ("KNNP", TagEra.TAGS_1974, False),  # no K-tags in the 1974 handbook
    ("CSCE", TagEra.TAGS_1974, True),
    ("START", TagEra.FIPS, False),  # an organisation by observation, in no table
    ("IAEA", TagEra.FIPS, True),
    ("ECIN", TagEra.FIPS, True),
    ("XXXX", TagEra.FIPS, False),
    ("XXXX", TagEra.CURRENT, False),
    ("STEINBERG, JAMES B.", TagEra.FIPS, False),  # free-style: in no table
]


@pytest.mark.parametrize(
    ("code", "era", "known"), KNOWN, ids=[f"{c}-{e.value}" for c, e, _ in KNOWN]
)
def test_is_known_tag(code: str, era: TagEra, known: bool) -> None:
    assert is_known_tag(code, era) is known


@given(
    code=st.text(alphabet=string.ascii_uppercase + string.digits + " ,.-", max_size=12),
    era=st.sampled_from(TagEra),
)
def test_only_geographic_tags_carry_an_era(code: str, era: TagEra) -> None:
    kind, tag_era = classify_tag(code, era)
    assert (tag_era is not None) == (kind is TagKind.GEOGRAPHIC)
    if tag_era is not None:
        assert tag_era is era


@given(
    code=st.text(alphabet=string.ascii_uppercase, min_size=2, max_size=2),
    era=st.sampled_from(TagEra),
)
def test_two_letters_are_a_place_or_an_organisation(code: str, era: TagEra) -> None:
    assert classify_tag(code, era)[0] in (TagKind.GEOGRAPHIC, TagKind.ORGANIZATION)


@given(
    code=st.text(alphabet=string.ascii_uppercase, min_size=2, max_size=5),
    era=st.sampled_from(TagEra),
)
def test_case_and_spacing_do_not_change_a_tag(code: str, era: TagEra) -> None:
    assert classify_tag(f" {code.lower()} ", era) == classify_tag(code, era)
    assert is_known_tag(code.lower(), era) is is_known_tag(code, era)


@given(
    code=st.text(alphabet=string.ascii_uppercase + string.digits, min_size=2, max_size=2),
    era=st.sampled_from(TagEra),
)
def test_every_known_place_has_a_name(code: str, era: TagEra) -> None:
    kind, tag_era = classify_tag(code, era)
    if kind is TagKind.GEOGRAPHIC and is_known_tag(code, era):
        assert tag_meaning(code, kind, tag_era)


def _cable_date(cable: dict[str, Any]) -> date:
    return date.fromisoformat(cable["created"][:10])


def test_sample_tags_are_known_in_their_era(sample_cables: list[dict[str, Any]]) -> None:
    counted = known = 0
    for cable in sample_cables:
        era = geographic_era(_cable_date(cable))
        for code in cable["tags"]:
            if classify_tag(code, era)[0] is TagKind.PERSON:
                continue
            counted += 1
            known += is_known_tag(code, era)
    # 97.5% when written; the rest is free text (POL, MIL), GENC codes (RU) and typos.
    assert known / counted >= 0.97, f"{known}/{counted}"


def test_rs_on_moscow_cables_is_russia(sample_cables: list[dict[str, Any]]) -> None:
    moscow = [c for c in sample_cables if c["reference_id"][2:].startswith("MOSCOW")]
    tagged = [c for c in moscow if "RS" in c["tags"]]
    assert len(tagged) >= 10
    for cable in tagged:
        kind, era = classify_tag("RS", geographic_era(_cable_date(cable)))
        assert tag_meaning("RS", kind, era) == "Russia", cable["reference_id"]
