"""The access decision and the index views, against an independent oracle.

The oracle restates the issue's rule in the plainest terms, without importing the module
under test: level dominance on U < SBU = LOU < C < S < TS, NOFORN for US persons only,
ORCON/PROPIN need eligibility, liaison users read above U only what a REL TO list
releases to their country, classified portions count as U from the declassification day,
and channel captions need the authorisation (and a place on the distribution when one is
recorded).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cablegram.access import OPERATOR, Principal, cable_access, may_read, portions, view
from cablegram.access.decision import CableAccess
from cablegram.access.views import (
    FOREIGN,
    channel_tokens,
    principal_channel_tokens,
    principal_nations,
    views,
)
from cablegram.model import Cable, Level, Marking
from cablegram.read import parse
from strategies import cables

RANK = {"U": 0, "SBU": 1, "LOU": 1, "C": 2, "S": 3, "TS": 4}
CHANNEL_ORDER = ["NODIS", "EXDIS", "LIMDIS", "STADIS", "CHEROKEE", "CONDIS"]


def oracle(
    principal: Principal,
    marking: Marking,
    captions: tuple[str, ...],
    distribution: frozenset[str] | None,
    declassified_on: date | None,
    as_of: date,
) -> bool:
    """The rule as the issue states it."""
    if principal.operator:
        return True
    channels = [c for c in CHANNEL_ORDER if c in captions]
    if channels:
        channel = channels[0]
        if channel not in principal.channels:
            return False
        if distribution is not None and not (
            principal.name in distribution or principal.offices & distribution
        ):
            return False
    rank = RANK[marking.level.value]
    caveats = set(marking.caveats)
    rel_to = set(marking.rel_to)
    if rank >= 2 and declassified_on is not None and as_of >= declassified_on:
        rank, caveats, rel_to = 0, set(), set()
    if RANK[principal.clearance.value] < rank:
        return False
    if "NOFORN" in caveats and not principal.us_person:
        return False
    if {"ORCON", "PROPIN"} & caveats - principal.caveats:
        return False
    return not (not principal.us_person and rank > 0 and principal.country not in rel_to)


levels = st.sampled_from(list(Level))
countries = st.sampled_from(["GBR", "AUS", "CAN", "FRA", "NATO"])


@st.composite
def markings(draw: st.DrawFn) -> Marking:
    caveats = draw(st.sets(st.sampled_from(["NOFORN", "ORCON", "PROPIN", "FGI"]), max_size=2))
    rel = () if "NOFORN" in caveats else tuple(draw(st.lists(countries, max_size=3, unique=True)))
    return Marking(draw(levels), frozenset(caveats), rel)


@st.composite
def principals(draw: st.DrawFn) -> Principal:
    foreign = draw(st.booleans())
    return Principal(
        name=draw(st.sampled_from(["ann", "bob", "cy"])),
        clearance=draw(levels),
        us_person=not foreign,
        country=draw(countries) if foreign else None,
        caveats=frozenset(draw(st.sets(st.sampled_from(["ORCON", "PROPIN"])))),
        channels=frozenset(draw(st.sets(st.sampled_from(["NODIS", "EXDIS", "LIMDIS"])))),
        offices=frozenset(draw(st.sets(st.sampled_from(["MOSCOW", "EUR/RUS", "NSC"])))),
    )


caption_sets = st.lists(st.sampled_from(["SIPDIS", "NODIS", "EXDIS", "LIMDIS"]), unique=True)
distributions = st.none() | st.frozensets(st.sampled_from(["MOSCOW", "NSC", "ann", "bob"]))
days = st.dates(date(1990, 1, 1), date(2040, 12, 31))


@settings(max_examples=600, deadline=None)
@given(principals(), markings(), caption_sets, distributions, st.none() | days, days)
def test_decision_equals_oracle(
    principal: Principal,
    marking: Marking,
    captions: list[str],
    distribution: frozenset[str] | None,
    declassified_on: date | None,
    as_of: date,
) -> None:
    from cablegram.access.decision import channel_of

    access = CableAccess(channel_of(tuple(captions)), distribution, declassified_on)
    expected = oracle(principal, marking, tuple(captions), distribution, declassified_on, as_of)
    assert may_read(principal, access, marking, as_of) == expected


def _filter_matches(view_: object, principal: Principal, access: CableAccess, as_of: date) -> bool:
    """The index filter of the design, evaluated in Python over a view's fields."""
    nation, regime, lo, hi = (
        view_.nation,  # type: ignore[attr-defined]
        view_.regime,  # type: ignore[attr-defined]
        view_.lo,  # type: ignore[attr-defined]
        view_.hi,  # type: ignore[attr-defined]
    )
    return (
        nation in principal_nations(principal)
        and lo <= principal.rank <= hi
        and (
            regime == "always"
            or (
                regime == "before"
                and (access.declassified_on is None or as_of < access.declassified_on)
            )
            or (
                regime == "after"
                and access.declassified_on is not None
                and as_of >= access.declassified_on
            )
        )
    )


@settings(max_examples=150, deadline=None)
@given(cables(), principals(), distributions, st.none() | days, days)
def test_views_hold_exactly_what_the_oracle_allows(
    cable: Cable,
    principal: Principal,
    distribution: frozenset[str] | None,
    decision: date | None,
    as_of: date,
) -> None:
    principal = Principal(
        principal.name,
        principal.clearance,
        principal.us_person,
        principal.country,
        frozenset({"ORCON", "PROPIN"}),  # the index serves readers eligible for every caveat
        principal.channels,
        principal.offices,
    )
    access = cable_access(cable, distribution, decision)
    readable = [
        p.key
        for p in portions(cable)
        if oracle(principal, p.marking, cable.captions, distribution, access.declassified_on, as_of)
    ]
    channel_ok = bool(set(channel_tokens(access)) & set(principal_channel_tokens(principal)))
    matching = [v for v in views(cable, access) if _filter_matches(v, principal, access, as_of)]
    rel_views = {v.nation for v in views(cable, access) if v.nation.startswith("rel:")}
    if not principal.us_person and f"rel:{principal.country}" in rel_views:
        matching = [v for v in matching if v.nation != FOREIGN]
    visible = [p.key for v in matching for p in v.portions] if channel_ok else []
    assert len(matching) <= 1 or not channel_ok
    assert visible == (readable if channel_ok else [])


@pytest.fixture(scope="module")
def seed(seed_text: str) -> Cable:
    return parse(seed_text)


def _numbers(cable: Cable, principal: Principal, as_of: date) -> list[int] | None:
    shown = view(principal, cable, cable_access(cable), as_of)
    if shown is None:
        return None
    return [
        p.portion.paragraph
        for p in shown.portions
        if p.readable and p.portion.key.startswith("paragraph")
    ]  # type: ignore[misc]


def test_seed_as_of_2010(seed: Cable) -> None:
    day = date(2010, 1, 1)
    assert _numbers(seed, Principal("c", Level.CONFIDENTIAL), day) == [
        *range(1, 12), *range(13, 18), 19, 20,
    ]  # fmt: skip
    assert _numbers(seed, Principal("s", Level.SECRET), day) == list(range(1, 21))
    assert _numbers(seed, Principal("u", Level.UNCLASSIFIED), day) == [19, 20]


def test_seed_withheld_placeholders_for_confidential_reader(seed: Cable) -> None:
    shown = view(Principal("c", Level.CONFIDENTIAL), seed, cable_access(seed), date(2010, 1, 1))
    assert shown is not None
    withheld = {p.portion.key for p in shown.withheld}
    assert {
        "paragraph:12",
        "paragraph:18",
        "subject",
        "intro:0",
        "heading:1",
        "signature",
    } <= withheld
    twelve = shown.cable.paragraph(12)
    assert twelve is not None and twelve.text == "[paragraph 12 withheld — S]"
    assert "ASAT test" not in " ".join(p.text for p in shown.cable.paragraphs if p.number == 12)
    assert shown.cable.original_text == ""


def test_seed_as_of_today_is_declassified(seed: Cable) -> None:
    today = date(2026, 11, 29)
    numbers = _numbers(seed, Principal("u", Level.UNCLASSIFIED), today)
    assert numbers == [3, 4, *range(9, 13), *range(14, 21)]
    shown = view(Principal("u", Level.UNCLASSIFIED), seed, cable_access(seed), today)
    assert shown is not None and shown.declassified_on == date(2017, 3, 1)
    assert all(
        p.declassified
        for p in shown.portions
        if p.readable and p.portion.marking.level.is_classified
    )


def test_liaison_reader_sees_only_unclassified_portions_of_an_unreleased_cable(
    seed: Cable,
) -> None:
    foreign = Principal("f", Level.TOP_SECRET, us_person=False, country="GBR")
    assert _numbers(seed, foreign, date(2010, 1, 1)) == [19, 20]


SECRET_ONLY = """S E C R E T STATE 000001

E.O. 12958: DECL: 01/01/2030
TAGS: PREL
SUBJECT: (S) NOTHING FOR THE PUBLIC

1. (S) Everything here is secret.

2. (S/NF) So is this.
"""


def test_nothing_readable_means_no_view() -> None:
    cable = parse(SECRET_ONLY)
    access = cable_access(cable)
    assert view(Principal("u", Level.UNCLASSIFIED), cable, access, date(2010, 1, 1)) is None
    assert view(Principal("c", Level.CONFIDENTIAL), cable, access, date(2010, 1, 1)) is None
    liaison = Principal("f", Level.TOP_SECRET, us_person=False, country="GBR")
    assert view(liaison, cable, access, date(2010, 1, 1)) is None
    assert view(OPERATOR, cable, access, date(2010, 1, 1)) is not None
    assert view(Principal("u", Level.UNCLASSIFIED), cable, access, date(2030, 1, 1)) is not None


def test_declassification_day_boundary(seed: Cable) -> None:
    reader = Principal("u", Level.UNCLASSIFIED)
    before = _numbers(seed, reader, date(2017, 3, 1) - timedelta(days=1))
    on = _numbers(seed, reader, date(2017, 3, 1))
    assert before == [19, 20]
    assert on is not None and 12 in on
