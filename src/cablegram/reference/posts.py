"""Posts and origins: from what a cable writes to the origin of its canonical id (spec §2.6).

A canonical id is year + origin + serial (``07MOSCOW1002``); the origin is the place of the
classification line with spaces, hyphens, dots and apostrophes removed (``RIO DE JANEIRO``
-> ``RIODEJANEIRO``, ``MAZAR-E SHARIF`` -> ``MAZARESHARIF``), except where State or the
publishers wrote it otherwise (``data/origin_aliases.tsv``): SECSTATE/WASHDC -> STATE,
HAGUE -> THEHAGUE, USUN -> USUNNEWYORK, UNVIE -> UNVIEVIENNA, PARISFR -> UNESCOPARISFR, the
REF abbreviation ``RIO DE JAN`` -> RIODEJANEIRO; USNATO stays USNATO.

``data/posts.tsv`` ties each post's FM address (``AMEMBASSY MOSCOW``, ``SECSTATE WASHDC``,
``USMISSION USNATO``, ``USDEL SECRETARY`` -> PARTO) to its origin and routing indicator
(RUEHMO). Rows observed together in the sample corpus (FM + DE + id) come first, then
TO/INFO observations, then the ACP 117 decode, which is later than the cables and
sometimes disagrees with them (RUEHDIR is AMCONSUL NAGOYA in the decode and RPO DUBAI on
the cables). An origin may have several addresses (BRUSSELS: AMEMBASSY and USEU) and an RI
several origins over time (RUEHKV: KIEV, then KYIV); the most cables win, and for the
address of an origin an embassy beats a consulate beats a mission.

Publisher noise is not an origin: ``EFTOLONDON`` (EFTO glued to LONDON) and an FM line
that is body text (``de Hoop Scheffer on December 3 ...``) were left out of the tables.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from dataclasses import dataclass

from cablegram.reference._tsv import table

#: Designators that open a State post's address, in the order `post_address` prefers them.
POST_DESIGNATORS = (
    "AMEMBASSY",
    "AMCONSUL",
    "SECSTATE",
    "USMISSION",
    "US MISSION",
    "USINT",
    "USEU",
    "USOFFICE",
    "AIT",
)
_EVIDENCE_RANK = {"id": 0, "addressee": 1, "acp117": 2}
_SQUASHED = re.compile(r"[\s.\-']")


@dataclass(frozen=True)
class Post:
    """A row of ``data/posts.tsv``."""

    origin: str
    address: str
    ri: str | None
    evidence: str
    """``id``, ``addressee`` or ``acp117`` (see the file's provenance lines)."""
    cables: int

    @property
    def strength(self) -> tuple[int, int]:
        """Sort key: observed with ids first, then by cables seen."""
        return _EVIDENCE_RANK[self.evidence], -self.cables


def address_key(address: str) -> str:
    """An address as tables key it: upper case, single spaces, ``//...//`` qualifiers dropped
    (``USDEL SECRETARY//EUROPE//``), ``WASHINGTON DC`` written ``WASHDC``."""
    key = " ".join(address.split("//")[0].upper().split()).strip(" ,")
    return re.sub(r" WASHINGTON DC$", " WASHDC", key)


def split_designator(address: str) -> tuple[str | None, str]:
    """``AMEMBASSY LA PAZ`` -> (``AMEMBASSY``, ``LA PAZ``); (None, address) for other forms."""
    key = address_key(address)
    for designator in POST_DESIGNATORS:
        if key.startswith(designator + " "):
            return designator, key[len(designator) + 1 :]
    return None, key


def _squash(text: str) -> str:
    return _SQUASHED.sub("", text.upper())


@functools.cache
def _aliases() -> dict[str, str]:
    return {_squash(row["written"]): row["origin"] for row in table("origin_aliases.tsv").rows}


def canonical_origin(written: str) -> str:
    """The id origin of a written origin: ``RIO DE JAN`` -> ``RIODEJANEIRO``, ``SECSTATE`` ->
    ``STATE``; other names upper-cased with spaces, hyphens, dots and apostrophes removed."""
    key = _squash(written)
    return _aliases().get(key, key)


@functools.cache
def posts() -> tuple[Post, ...]:
    """All rows of ``posts.tsv``, strongest evidence first."""
    rows = (
        Post(row["origin"], row["address"], row["ri"] or None, row["evidence"], int(row["cables"]))
        for row in table("posts.tsv").rows
    )
    return tuple(sorted(rows, key=lambda post: post.strength))


@functools.cache
def _index() -> tuple[dict[str, list[Post]], dict[str, list[Post]], dict[str, list[Post]]]:
    by_address: dict[str, list[Post]] = defaultdict(list)
    by_ri: dict[str, list[Post]] = defaultdict(list)
    by_origin: dict[str, list[Post]] = defaultdict(list)
    for post in posts():  # already strongest first, so each list is too
        by_address[address_key(post.address)].append(post)
        by_origin[post.origin].append(post)
        if post.ri:
            by_ri[post.ri].append(post)
    return dict(by_address), dict(by_ri), dict(by_origin)


def posts_at(address: str) -> tuple[Post, ...]:
    """Posts whose address is ``address`` (any spacing or case), strongest first."""
    return tuple(_index()[0].get(address_key(address), ()))


def post_for_routing_indicator(ri: str) -> Post | None:
    """The post a routing indicator serves (the strongest row), None when it is no post."""
    found = _index()[1].get(ri.strip().upper())
    return found[0] if found else None


def origin_for_originator(fm: str) -> str | None:
    """The id origin of an FM address: ``AMEMBASSY MOSCOW`` -> ``MOSCOW``, ``SECSTATE WASHDC``
    -> ``STATE``, ``USMISSION USNATO`` -> ``USNATO``; None when it is not a post's address."""
    known = posts_at(fm)
    if known:
        return known[0].origin
    key = address_key(fm)
    if _squash(key) in _aliases():
        return _aliases()[_squash(key)]
    designator, place = split_designator(key)
    if designator is None or not place:
        return None
    words = place.split()
    if len(words) > 1 and len(words[-1]) == 2:
        words = words[:-1]  # a trailing country code: AIT TAIPEI TW
    return canonical_origin(" ".join(words))


def origin_for_routing_indicator(ri: str) -> str | None:
    """The id origin of a post's routing indicator (``RUEHMO`` -> ``MOSCOW``), else None."""
    post = post_for_routing_indicator(ri)
    return post.origin if post else None


@functools.cache
def known_origins() -> frozenset[str]:
    """Every id origin the tables know: posts, STATE, and the aliases' targets."""
    return frozenset({post.origin for post in posts()} | set(_aliases().values()) | {"STATE"})


def post_address(origin: str) -> str | None:
    """The address a post writes on its FM line: ``MOSCOW`` -> ``AMEMBASSY MOSCOW``, ``STATE``
    -> ``SECSTATE WASHDC``; None for an origin without a known post."""
    found = _index()[2].get(origin.strip().upper())
    if not found:
        return None
    return min(found, key=lambda post: (_designator_rank(post.address), post.strength)).address


def _designator_rank(address: str) -> int:
    designator, _ = split_designator(address)
    return POST_DESIGNATORS.index(designator) if designator else len(POST_DESIGNATORS)
