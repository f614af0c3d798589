"""The generator's word lists and tables (``cablegram/synth/data``), read once.

* ``posts.tsv``: the posts cables come from. The address (``AMEMBASSY MOSCOW``) and routing
  indicator (RUEHMO) are not repeated there: they come from `cablegram.reference`, so a
  generated envelope uses exactly what the reader and the linter know.
* ``topics.tsv``: what cables are about, with the share of each banner level and the TAGS.
* ``phrases.tsv``: sentence, subject and heading templates by topic and kind.
* ``names.tsv``: given and family names by language pool.
* ``addressees.tsv``: Washington agencies, collectives and commands cables inform.

Every table opens with ``#`` provenance lines, then a header row; cells are tab-separated.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass
from importlib import resources

from cablegram.reference import canonical_origin, is_state_addressee, post_address
from cablegram.reference.posts import posts_at, split_designator

STATE_ORIGIN = "STATE"
"""The Department's origin: its cables instruct posts instead of reporting from a country."""


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("cablegram.synth").joinpath("data", name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    columns = lines[0].split("\t")
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        cells = line.split("\t")
        if len(cells) != len(columns):
            raise ValueError(f"{name}: row {number} has {len(cells)} cells for {len(columns)}")
        rows.append(dict(zip(columns, cells, strict=True)))
    return rows


@dataclass(frozen=True)
class Post:
    """A post that sends cables, with what prose and headers need to name it."""

    origin: str
    """As in canonical ids: ``MOSCOW``, ``NEWDELHI``, ``STATE``."""
    tag: str
    """The host country's geographic TAG (FIPS era); empty for the Department."""
    country: str
    adjective: str
    government: str
    """How cables abbreviate the host government: ``GOR``, ``HMG``, ``SARG``."""
    bureau: str
    """The State regional bureau (EUR, NEA, SCA, EAP, WHA, AF); empty for the Department."""
    names: str
    """The pool of names.tsv host officials are drawn from."""
    city: str
    weight: int
    volume: int
    """Cables the post sends in a year: sets how fast its serials grow."""
    address: str
    """The FM address: ``AMEMBASSY MOSCOW``."""
    routing_indicator: str
    written: str
    """The origin as REF lines write it (``NEW DELHI``), read back to ``origin``."""

    @property
    def consulate(self) -> bool:
        return self.address.startswith("AMCONSUL")

    @property
    def is_department(self) -> bool:
        return self.origin == STATE_ORIGIN


def _written_origin(origin: str, address: str) -> str:
    if origin == STATE_ORIGIN:
        return STATE_ORIGIN
    _, place = split_designator(address)
    # REF lines write the place as the address does, when the reader maps it back.
    return place if canonical_origin(place) == origin else origin


@functools.cache
def posts() -> tuple[Post, ...]:
    found = []
    for row in _rows("posts.tsv"):
        origin = row["origin"]
        address = post_address(origin)
        known = [p.ri for p in posts_at(address or "") if p.origin == origin and p.ri]
        if address is None or not known:
            raise ValueError(f"posts.tsv: {origin} is not a post cablegram.reference knows")
        found.append(
            Post(
                origin=origin,
                tag=row["tag"],
                country=row["country"],
                adjective=row["adjective"],
                government=row["gov"],
                bureau=row["bureau"],
                names=row["names"],
                city=row["city"],
                weight=int(row["weight"]),
                volume=int(row["volume"]),
                address=address,
                routing_indicator=known[0],
                written=_written_origin(origin, address),
            )
        )
    return tuple(found)


@functools.cache
def posts_by_bureau() -> dict[str, tuple[Post, ...]]:
    grouped: dict[str, list[Post]] = defaultdict(list)
    for post in posts():
        if not post.is_department:
            grouped[post.bureau].append(post)
    return {bureau: tuple(found) for bureau, found in grouped.items()}


@dataclass(frozen=True)
class Topic:
    name: str
    weight: int
    level_weights: tuple[int, int, int, int]
    """Shares of UNCLASSIFIED, SBU (or LOU), CONFIDENTIAL and SECRET banners."""
    tags: tuple[str, ...]
    optional_tags: tuple[str, ...]


@functools.cache
def topics() -> tuple[Topic, ...]:
    found = []
    for row in _rows("topics.tsv"):
        u, sbu, c, s = (int(value) for value in row["levels"].split())
        found.append(
            Topic(
                row["topic"],
                int(row["weight"]),
                (u, sbu, c, s),
                tuple(row["tags"].split()),
                tuple(row["optional"].split()),
            )
        )
    return tuple(found)


ANY_TOPIC = "*"


@functools.cache
def phrases() -> dict[tuple[str, str], tuple[str, ...]]:
    """Templates by (topic, kind); topic ``*`` holds those that fit any topic."""
    grouped: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in _rows("phrases.tsv"):
        grouped[(row["topic"], row["kind"])].append(row["template"])
    return {key: tuple(found) for key, found in grouped.items()}


@dataclass(frozen=True)
class NamePool:
    male: tuple[str, ...]
    female: tuple[str, ...]
    family: tuple[str, ...]


@functools.cache
def name_pools() -> dict[str, NamePool]:
    cells: dict[str, dict[str, tuple[str, ...]]] = defaultdict(dict)
    for row in _rows("names.tsv"):
        cells[row["pool"]][row["kind"]] = tuple(row["names"].split())
    return {
        pool: NamePool(kinds["male"], kinds["female"], kinds["family"])
        for pool, kinds in cells.items()
    }


@dataclass(frozen=True)
class Recipient:
    """An addressee that is not a post of posts.tsv (an agency, collective or command)."""

    address: str
    routing_indicator: str
    gets_mcn: bool
    """A State activity: it gets a message continuity number (spec §1.8)."""


@functools.cache
def recipients() -> dict[str, tuple[Recipient, ...]]:
    """Recipients by bureau; ``*`` are the Washington agencies any cable may inform."""
    grouped: dict[str, list[Recipient]] = defaultdict(list)
    for row in _rows("addressees.tsv"):
        address, ri = row["address"], row["ri"]
        grouped[row["bureau"]].append(Recipient(address, ri, is_state_addressee(address, ri)))
    return {bureau: tuple(found) for bureau, found in grouped.items()}
