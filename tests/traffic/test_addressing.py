"""The address book, the address plan and the release numbers: routing indicators, offices,
State addressees (MCN), collectives with XMT, bureaus, precedences, FL2-FL5, filing time."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from traffic_helpers import content

from cablegram.model import Precedence
from cablegram.read import parse
from cablegram.traffic.addressbook import AddressBook, AddressError
from cablegram.traffic.compose import compose
from cablegram.traffic.drafts import DraftError
from cablegram.traffic.numbering import filing_time, next_mcn, release_minute
from cablegram.traffic.routing import OFFICE, PERSON, plan

BOOK = AddressBook()

ADDRESSES = [
    # (written, office, address, RI, State addressee) -- the seed 07MOSCOW1002's lines and others.
    ("SECSTATE", "STATE", "SECSTATE WASHDC", "RUEHC", True),
    ("secstate washington dc", "STATE", "SECSTATE WASHDC", "RUEHC", True),
    ("NSC", "NSC", "NSC WASHDC", "RHEHNSC", False),
    ("USUN", "USUNNEWYORK", "USMISSION USUN NEW YORK", "RUCNDT", True),
    ("USMISSION UNVIE VIENNA", "UNVIEVIENNA", "USMISSION UNVIE VIENNA", "RUEHUNV", True),
    ("USNATO", "USNATO", "USMISSION USNATO", "RUEHNO", True),
    ("SECDEF WASHDC", "SECDEF", "SECDEF WASHDC", "RUEKJCS", False),
    ("JOINT STAFF", "JOINT STAFF", "JOINT STAFF WASHDC", "RUEKJCS", False),
    ("DEPT OF ENERGY WASHDC", "DEPT OF ENERGY", "DEPT OF ENERGY WASHDC", "RHEBAAA", False),
    ("MOSCOW", "MOSCOW", "AMEMBASSY MOSCOW", "RUEHMO", True),
    ("AMCONSUL SHANGHAI", "SHANGHAI", "AMCONSUL SHANGHAI", "RUEHGH", True),
    ("RHMFISS/JOINT STAFF WASHDC", "JOINT STAFF", "JOINT STAFF WASHDC", "RHMFISS", False),
]


@pytest.mark.parametrize(
    ("written", "office", "address", "ri", "state"),
    ADDRESSES,
    ids=[a[0] for a in ADDRESSES],
)
def test_resolve(written: str, office: str, address: str, ri: str, state: bool) -> None:
    resolved = BOOK.resolve(written)
    assert not resolved.collective
    assert (
        resolved.office.name,
        resolved.office.address,
        resolved.office.routing_indicator,
        resolved.office.state,
    ) == (office, address, ri, state)


def test_one_routing_indicator_serves_two_offices() -> None:
    secdef, staff = BOOK.resolve("SECDEF"), BOOK.resolve("JOINT STAFF")
    assert secdef.office.routing_indicator == staff.office.routing_indicator == "RUEKJCS"
    assert secdef.office.name != staff.office.name


def test_collective_with_exclusions() -> None:
    # 06MEXICO456: TO RUEHXC/ALL US CONSULATES IN MEXICO COLLECTIVE, FL2 its nine stations.
    resolved = BOOK.resolve("ALL US CONSULATES IN MEXICO COLLECTIVE XMT TIJUANA, AMCONSUL NOGALES")
    assert resolved.collective and not resolved.office.state
    assert resolved.office.routing_indicator == "RUEHXC"
    assert resolved.exempted == ("AMCONSUL TIJUANA", "AMCONSUL NOGALES")
    names = {office.name for office in resolved.recipients}
    assert names == {"CIUDADJUAREZ", "GUADALAJARA", "HERMOSILLO", "MATAMOROS", "MERIDA",
                     "MONTERREY", "NUEVOLAREDO"}  # fmt: skip


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("ATLANTIS", "unknown addressee"),
        ("NSC XMT MOSCOW", "XMT applies to a collective"),
        ("CHINA POSTS COLLECTIVE XMT MOSCOW", "not a member"),
        ("RUEHMO/SECSTATE WASHDC", "does not serve"),
    ],
    ids=["unknown", "xmt-not-collective", "xmt-not-member", "wrong-ri"],
)
def test_unresolvable(written: str, message: str) -> None:
    with pytest.raises(AddressError, match=message):
        BOOK.resolve(written)


def test_bureaus_from_passing_instructions() -> None:
    bureaus = BOOK.bureaus(["DEPT FOR EUR/RUS, ISN AND T", "OSLO FOR DATT"])
    assert [b.name for b in bureaus] == ["EUR/RUS", "ISN", "T"]


def test_plan_recipients_precedences_and_stations() -> None:
    routing = plan(
        content(
            to=("SECSTATE",),
            info=("NSC", "CHINA POSTS COLLECTIVE XMT SHENYANG", "USNATO"),
            precedence=Precedence.NIACT_IMMEDIATE,
            info_precedence=Precedence.ROUTINE,
            passing=("DEPT FOR EUR/RUS",),
        ),
        BOOK,
    )
    received = {(r.kind, r.name): r.precedence for r in routing.recipients()}
    assert received == {
        (OFFICE, "STATE"): Precedence.NIACT_IMMEDIATE,
        (OFFICE, "EUR/RUS"): Precedence.NIACT_IMMEDIATE,
        (OFFICE, "NSC"): Precedence.ROUTINE,
        (OFFICE, "BEIJING"): Precedence.ROUTINE,
        (OFFICE, "CHENGDU"): Precedence.ROUTINE,
        (OFFICE, "GUANGZHOU"): Precedence.ROUTINE,
        (OFFICE, "SHANGHAI"): Precedence.ROUTINE,
        (OFFICE, "USNATO"): Precedence.ROUTINE,
    }
    # FL5 is dual (O R); FL2 lists each delivering station once, alphabetically.
    assert routing.precedences == (Precedence.NIACT_IMMEDIATE, Precedence.ROUTINE)
    assert routing.stations() == (
        "RHEHNSC",
        "RUEHBJ",
        "RUEHC",
        "RUEHCN",
        "RUEHGH",
        "RUEHGZ",
        "RUEHNO",
    )
    # MCN sequences: the State activities named on the lines, not a collective or the NSC.
    assert routing.state_addresses() == ("SECSTATE WASHDC", "USMISSION USNATO")


def test_same_prosign_is_not_dual() -> None:
    routing = plan(
        content(precedence=Precedence.NIACT_IMMEDIATE, info_precedence=Precedence.IMMEDIATE),
        BOOK,
    )
    assert routing.precedences == (Precedence.NIACT_IMMEDIATE,)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"to": ()}, "at least one action"),
        ({"precedence": Precedence.FLASH, "info_precedence": Precedence.ROUTINE}, "FLASH"),
        ({"info": ("SECSTATE WASHDC",)}, "addressed twice"),
        ({"passing": ("DEPT FOR EUR/RUS",), "to": ("USNATO",)}, "Department"),
        ({"captions": ("NODIS",)}, "named recipients"),
        ({"origin": "ATLANTIS"}, "no post"),
    ],
    ids=["no-action", "flash-dual", "twice", "bureau-without-department", "nodis-unnamed",
         "unknown-origin"],
)  # fmt: skip
def test_plan_refusals(changes: dict[str, object], message: str) -> None:
    with pytest.raises(DraftError, match=message):
        plan(content(**changes), BOOK)


def test_nodis_goes_to_named_recipients_only() -> None:
    routing = plan(content(captions=("NODIS",), recipients=("nina",)), BOOK)
    assert [(r.kind, r.name) for r in routing.recipients()] == [(PERSON, "nina")]
    assert routing.distribution() == {"nina"}


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2007, 3, 9, 15, 23, tzinfo=UTC), "0681523"),  # the seed 07MOSCOW1002
        (datetime(2007, 9, 11, 9, 44, tzinfo=UTC), "2540944"),  # 07TBILISI2290
        (datetime(2008, 3, 13, 15, 3, tzinfo=UTC), "0731503"),  # leap year: 08REYKJAVIK195
        (datetime(2010, 1, 4, 18, 20, tzinfo=UTC), "0041820"),  # 10STATE284 (DTG 041820Z)
    ],
    ids=["seed", "september", "leap-year", "january"],
)
def test_filing_time(moment: datetime, expected: str) -> None:
    assert filing_time(moment) == expected


def test_release_minute_drops_seconds() -> None:
    assert release_minute(datetime(2007, 3, 9, 15, 23, 59, 999, tzinfo=UTC)) == datetime(
        2007, 3, 9, 15, 23, tzinfo=UTC
    )


@pytest.mark.parametrize(
    ("last", "expected"), [(0, 1), (8095, 8096), (9998, 9999), (9999, 1)],
    ids=["new", "seed", "last", "wraps"],
)  # fmt: skip
def test_next_mcn(last: int, expected: int) -> None:
    assert next_mcn(last) == expected


@pytest.mark.parametrize(
    ("mark", "line"),
    [
        ("U", "ZNR UUUUU ZZH"),
        ("SBU", "ZNR UUUUU ZZH"),
        ("C", "ZNY CCCCC ZZH"),
        ("S", "ZNY SSSSS ZZH"),
        ("TS", "ZNY TTTTT ZZH"),
    ],
    ids=["unclas", "sbu", "confidential", "secret", "top-secret"],
)
def test_security_line_follows_the_banner(mark: str, line: str) -> None:
    draft = content(body=f"1. ({mark}) Text of the cable.\n\n2. (U) More text.\n")
    made = compose(draft, BOOK, datetime(2010, 3, 1, 12, 0, tzinfo=UTC), 7, {"SECSTATE WASHDC": 1})
    assert parse(made.telegram).envelope.security_line == line
