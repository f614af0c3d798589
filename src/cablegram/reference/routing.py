"""Routing indicators and addressees (spec §1.4, §1.8).

A routing indicator (RI) names the relay station that delivers to an addressee:
``RUEHC/SECSTATE WASHDC``. ``R`` = routing, ``U``/``H`` = United States, then area and
relay letters; State posts sit behind RUEH (Beltsville): RUEHMO Moscow, RUEHC the
Department. One RI may serve several plain-language addresses (RUEKJCS delivers to
SECDEF WASHDC and JOINT STAFF WASHDC; the DMS gateway RHMFISS to combatant commands) and
one address may be reached through several RIs.

Sources, all package data with provenance lines: ``routing_indicators.tsv`` (ACP 117
decodes 2010/2015 + cable2graph + RIs observed only in Cablegate headers such as RUEHWEB,
RHMFISS, RUEHZL), ``posts.tsv`` (State posts), and ``observed_addressees.tsv`` (TO/INFO
lines of the sample corpus, with how many carried an MCN).

State addressees are the ones that get a message continuity number (MCN), "a consecutive
number from a series dedicated to each Department of State activity" (5 FAH-2 H-321.7/8,
S17): the Department (SECSTATE WASHDC) and posts (AMEMBASSY, AMCONSUL, USMISSION, USINT,
USEU, USOFFICE, AIT ..., and posts without a designator such as RPO DUBAI). Not NSC,
SECDEF, JOINT STAFF, CIA, other departments, or collectives (``... COLLECTIVE``), which
carry none. For other addresses the sample decides: State when at least three of its
lines were seen and most carried an MCN (USDA FAS WASHDC: 8 of 13; NSC WASHDC: 8 of 590,
not State). The RI alone does not decide: RUEHC also serves DEPT OF LABOR WASHDC, which
gets no MCN; given, it only narrows the evidence to the lines with that RI.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from dataclasses import dataclass

from cablegram.reference._tsv import table
from cablegram.reference.posts import (
    address_key,
    post_for_routing_indicator,
    posts_at,
    split_designator,
)

#: A note citing a paragraph of ACP 117's general instructions (RHMFISS: para 7.a(2)).
_CITES_ACP117 = re.compile(r"ACP 117\b.*\bpara\b")
#: Fewest observed lines that let the MCN count decide an address without a designator.
_MIN_LINES = 3


@dataclass(frozen=True)
class RoutingIndicator:
    ri: str
    address: str
    """The post's FM address, else the decode's plain-language address."""
    state_post: bool
    """The RI is a State station (a post, the Department, or a RUEH tributary)."""
    origin: str | None
    """The id origin of the post it serves, None when it serves no post."""


@dataclass(frozen=True)
class _Observed:
    address: str
    ri: str
    lines: int
    with_mcn: int


@functools.cache
def _decode() -> dict[str, dict[str, str]]:
    return {row["ri"]: row for row in table("routing_indicators.tsv").rows}


@functools.cache
def _observed() -> dict[str, tuple[_Observed, ...]]:
    """Observed lines by address key, most lines first."""
    by_address: dict[str, list[_Observed]] = defaultdict(list)
    for row in table("observed_addressees.tsv").rows:
        seen = _Observed(row["address"], row["ri"], int(row["lines"]), int(row["with_mcn"]))
        by_address[address_key(seen.address)].append(seen)
    return {
        key: tuple(sorted(found, key=lambda seen: -seen.lines)) for key, found in by_address.items()
    }


@functools.cache
def _observed_by_ri() -> dict[str, str]:
    """The address each observed RI was seen with most."""
    best: dict[str, _Observed] = {}
    for found in _observed().values():
        for seen in found:
            if seen.ri not in best or seen.lines > best[seen.ri].lines:
                best[seen.ri] = seen
    return {ri: seen.address for ri, seen in best.items()}


def _decode_address(row: dict[str, str]) -> str:
    if row["pla"]:
        return row["pla"]
    # Observed extras carry a note instead: 'EU INTEREST COLLECTIVE (collective; seen in ...)'.
    return row["note_observed"].split(" (")[0].split(" -- ")[0].strip()


def routing_indicator(ri: str) -> RoutingIndicator | None:
    """What a routing indicator is (``RUEHMO``: AMEMBASSY MOSCOW, State, MOSCOW), or None."""
    key = ri.strip().upper()
    post = post_for_routing_indicator(key)
    if post is not None:
        return RoutingIndicator(key, post.address, True, post.origin)
    row = _decode().get(key)
    if row is not None:
        return RoutingIndicator(key, _decode_address(row), row["state_post"] == "Y", None)
    address = _observed_by_ri().get(key)
    if address is not None:
        return RoutingIndicator(key, address, key.startswith("RUEH"), None)
    return None


def routing_indicators_for(address: str) -> tuple[str, ...]:
    """The RIs that deliver to a plain-language address, most used first: observed lines,
    then posts, then the ACP 117 decode. ``SECDEF WASHDC`` -> ``("RUEKJCS",)``."""
    key = address_key(address)
    found = [seen.ri for seen in _observed().get(key, ())]
    found += [post.ri for post in posts_at(key) if post.ri]
    found += [ri for ri, row in _decode().items() if address_key(_decode_address(row)) == key]
    return tuple(dict.fromkeys(found))


def is_known_routing_indicator(ri: str) -> bool:
    """True for RIs that ACP 117 names (its decode or its general instructions), State
    posts, and RIs seen serving addressees. An RI seen only on FL2 with no source naming
    it (RUEHWEB) is unknown: the linter warns about it."""
    key = ri.strip().upper()
    row = _decode().get(key)
    documented = row is not None and (
        bool(row["pla"]) or _CITES_ACP117.search(row["note_observed"]) is not None
    )
    return documented or post_for_routing_indicator(key) is not None or key in _observed_by_ri()


def is_state_addressee(address: str, ri: str | None = None) -> bool:
    """True when the addressee is a State activity, which gets an MCN (see module notes).

    ``ri`` narrows the observed evidence to lines with that routing indicator."""
    key = address_key(address)
    if not key or "COLLECTIVE" in key.split():
        return False
    designator, place = split_designator(key)
    if designator is not None and place:
        return True
    if posts_at(key):
        return True
    observed = _observed().get(key, ())
    if ri is not None and any(seen.ri == ri.strip().upper() for seen in observed):
        observed = tuple(seen for seen in observed if seen.ri == ri.strip().upper())
    lines = sum(seen.lines for seen in observed)
    with_mcn = sum(seen.with_mcn for seen in observed)
    return lines >= _MIN_LINES and 2 * with_mcn > lines
