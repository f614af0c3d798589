"""Routing indicators and State addressees (spec §1.4, §1.8)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from cablegram.reference import (
    RoutingIndicator,
    is_known_routing_indicator,
    is_state_addressee,
    routing_indicator,
    routing_indicators_for,
)

# The seed 07MOSCOW1002's TO and INFO lines: RI, address, gets an MCN (State addressee).
SEED_ADDRESSEES = [
    ("RUEHC", "SECSTATE WASHDC", True),  # PRIORITY 8096
    ("RHEHNSC", "NSC WASHDC", False),
    ("RUEHUNV", "USMISSION UNVIE VIENNA", True),  # 0458
    ("RUEKJCS", "SECDEF WASHDC", False),
    ("RUEKJCS", "JOINT STAFF WASHDC", False),
    ("RHEBAAA", "DEPT OF ENERGY WASHDC", False),
    ("RUEATRS", "DEPT OF TREASURY WASHDC", False),
    ("RUCNDT", "USMISSION USUN NEW YORK", True),  # 0318
    ("RUEHNO", "USMISSION USNATO", True),  # 6763
]
SEED_IDS = [address for _, address, _ in SEED_ADDRESSEES]


@pytest.mark.parametrize(("ri", "address", "state"), SEED_ADDRESSEES, ids=SEED_IDS)
def test_seed_addressee_is_reached_through_its_ri(ri: str, address: str, state: bool) -> None:
    assert ri in routing_indicators_for(address)
    assert is_known_routing_indicator(ri)


@pytest.mark.parametrize(("ri", "address", "state"), SEED_ADDRESSEES, ids=SEED_IDS)
def test_seed_state_addressees(ri: str, address: str, state: bool) -> None:
    assert is_state_addressee(address) is state
    assert is_state_addressee(address, ri) is state


def test_one_ri_serves_secdef_and_joint_staff() -> None:
    assert "RUEKJCS" in routing_indicators_for("SECDEF WASHDC")
    assert "RUEKJCS" in routing_indicators_for("JOINT STAFF WASHDC")


RIS = [
    ("RUEHC", RoutingIndicator("RUEHC", "SECSTATE WASHDC", True, "STATE")),
    ("RUEHMO", RoutingIndicator("RUEHMO", "AMEMBASSY MOSCOW", True, "MOSCOW")),  # FL3 DE RUEHMO
    ("RUCNDT", RoutingIndicator("RUCNDT", "USMISSION USUN NEW YORK", True, "USUNNEWYORK")),
    ("RUEHNO", RoutingIndicator("RUEHNO", "USMISSION USNATO", True, "USNATO")),
    # ACP 117 decode: "JOINT STAFF WASHINGTON DC"; not a post.
    ("RUEKJCS", RoutingIndicator("RUEKJCS", "JOINT STAFF WASHINGTON DC", False, None)),
    # The decode says AMCONSUL NAGOYA; Cablegate cables from RPO DUBAI say DE RUEHDIR.
    ("RUEHDIR", RoutingIndicator("RUEHDIR", "RPO DUBAI", True, "RPODUBAI")),
]


@pytest.mark.parametrize(("ri", "expected"), RIS, ids=[ri for ri, _ in RIS])
def test_routing_indicator(ri: str, expected: RoutingIndicator) -> None:
    assert routing_indicator(ri) == expected
    assert routing_indicator(f" {ri.lower()} ") == expected


@pytest.mark.parametrize(
    "ri",
    [
        "RHMFISS",  # DMS gateway, SECRET and below
        "RUEHZL",  # EUROPEAN POLITICAL COLLECTIVE
        "RUEHZA",  # WHA CENTRAL AMERICAN COLLECTIVE: only on TO/INFO lines of the sample
    ],
)
def test_observed_extras_are_known_but_serve_no_post(ri: str) -> None:
    assert is_known_routing_indicator(ri)
    found = routing_indicator(ri)
    assert found is not None
    assert found.origin is None


def test_ruehweb_is_described_but_unknown() -> None:
    """FL2 of the seed: observed, in no ACP 117 decode (spec §1.4), so the linter warns."""
    assert not is_known_routing_indicator("RUEHWEB")
    found = routing_indicator("RUEHWEB")
    assert found is not None and found.origin is None


@pytest.mark.parametrize("ri", ["RUZZZZQ", "", "RUEH MO"])
def test_unknown_routing_indicators(ri: str) -> None:
    assert not is_known_routing_indicator(ri)
    assert routing_indicator(ri) is None


@pytest.mark.parametrize(
    ("address", "state"),
    [
        ("AMEMBASSY BERN", True),
        ("AMCONSUL SAO PAULO", True),
        ("USINT HAVANA", True),
        ("USEU BRUSSELS", True),
        ("AIT TAIPEI", True),
        ("AMEMBASSY ATLANTIS", True),  # an embassy by its designator, known or not
        ("RPO DUBAI", True),  # a post without a designator (posts table)
        ("SECSTATE WASHINGTON DC", True),
        ("EUROPEAN POLITICAL COLLECTIVE", False),
        ("ALL DIPLOMATIC AND CONSULAR POSTS COLLECTIVE", False),
        ("CIA WASHDC", False),
        ("DEPT OF LABOR WASHDC", False),  # routed through RUEHC, but gets no MCN
        ("HQ USCENTCOM MACDILL AFB FL", False),
        ("USDA FAS WASHDC", True),  # 8 of 13 sample lines carried an MCN
        ("", False),
    ],
)
def test_state_addressees_beyond_the_seed(address: str, state: bool) -> None:
    assert is_state_addressee(address) is state


_LINE = re.compile(
    r"^(?:TO |INFO )?(?P<ri>[A-Z]{4,8})/(?P<pla>.+?)"
    r"(?: (?:FLASH|NIACT IMMEDIATE|IMMEDIATE|PRIORITY|ROUTINE))?(?P<mcn> [0-9]+)?$"
)


def _address_lines(text: str) -> list[re.Match[str]]:
    block = re.search(r"^FM .*?\n(.*?)\n\s*\n", text, re.MULTILINE | re.DOTALL)
    if block is None:
        return []
    lines = (_LINE.match(line.strip()) for line in block.group(1).splitlines())
    return [line for line in lines if line]


def test_seed_header_mcns_mark_the_state_addressees(seed_text: str) -> None:
    lines = _address_lines(seed_text)
    assert len(lines) == 9
    for line in lines:
        assert is_known_routing_indicator(line["ri"])
        assert is_state_addressee(line["pla"], line["ri"]) is (line["mcn"] is not None), line[0]


def test_sample_mcns_agree_with_state_addressees(sample_cables: list[dict[str, Any]]) -> None:
    agree = total = 0
    for cable in sample_cables:
        for line in _address_lines(cable["text"]):
            total += 1
            agree += is_state_addressee(line["pla"], line["ri"]) is (line["mcn"] is not None)
    # 96.6% when written: posts whose MCN the copy lost (AMEMBASSY BOGOTA without one 33
    # times) and USDOC WASHDC, which carries one on half its lines.
    assert total > 15000
    assert agree / total >= 0.95, f"{agree}/{total}"


def test_sample_routing_indicators_are_known(sample_cables: list[dict[str, Any]]) -> None:
    used: list[str] = []
    for cable in sample_cables:
        used += [line["ri"] for line in _address_lines(cable["text"])]
        station = re.search(r"^DE ([A-Z]{4,8}) #", cable["text"], re.MULTILINE)
        if station:
            used.append(station.group(1))
    known = sum(is_known_routing_indicator(ri) for ri in used)
    # Per line, not per distinct RI: one-off typos (REUHVV) are many RIs but few lines.
    assert known / len(used) >= 0.98, f"{known}/{len(used)}"
