"""The people of generated cables: host officials, Washington officials, post chiefs.

People recur: each host country has a fixed roster of officials, Washington a roster of
under and assistant secretaries, and each post an ambassador (or consul general) and DCM per
three-year term, so the person index of an archive built from a synthetic corpus has
people with many cables, as the real one does. Rosters are drawn from a random stream
derived from the corpus seed and the roster's key, so they do not depend on the order in
which cables are generated.

A person appears in the forms real cables use (seed 07MOSCOW1002):

* in prose, title and family name: ``DFM Petrov``, ``A/S Morgan``, ``Ambassador Walsh``;
* in a participant list, list title, given and family name, affiliation:
  ``DFM Sergey Petrov, MFA`` (list titles are tokens the reader takes for titles:
  `cablegram.read.participants.is_title`);
* on the Classified By line, a title and the full name with a middle initial:
  ``Classified By: Ambassador James R. Walsh for reasons 1.4 (b) and (d).``;
* as a person TAG after OVIP: ``OVIP (MORGAN, SUSAN K.)``;
* as the signature, the family name in capitals: ``WALSH``.

Every name is a random combination of common given and family names (``names.tsv``), with
the surnames of prominent 2000s officials left out, so no generated person is a real one.
The Department's cables are signed with the Secretary's name, as real ones were
(`secretary`).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from cablegram.synth.vocabulary import NamePool, Post, name_pools

US_POOL = "us"


@dataclass(frozen=True)
class Person:
    given: str
    middle: str
    """A middle initial, written only on Classified By lines and person TAGS."""
    family: str
    female: bool
    title: str
    """As prose writes it before the family name: ``DFM``, ``Ambassador``."""
    list_title: str
    """As participant lists write it: ``DFM``, ``Amb.``, ``Gen.``."""
    affiliation: str
    topics: frozenset[str] = frozenset()
    """Topics this person speaks on; empty for any."""

    @property
    def short(self) -> str:
        return f"{self.title} {self.family}"

    @property
    def full(self) -> str:
        return f"{self.given} {self.middle}. {self.family}"

    @property
    def listed(self) -> str:
        """A participant line: ``DFM Sergey Petrov, MFA`` (no title when it has no list title)."""
        name = f"{self.given} {self.family}"
        titled = f"{self.list_title} {name}" if self.list_title else name
        return f"{titled}, {self.affiliation}"

    @property
    def tag(self) -> str:
        """The person TAG written after OVIP: ``MORGAN, SUSAN K.``."""
        return f"{self.family}, {self.given} {self.middle}.".upper()

    def pronouns(self) -> dict[str, str]:
        if self.female:
            return {"He": "She", "he": "she", "his": "her"}
        return {"He": "He", "he": "he", "his": "his"}

    def fits(self, topic: str) -> bool:
        return not self.topics or topic in self.topics


@dataclass(frozen=True)
class Mission:
    """A post's officers in one term."""

    chief: Person
    """The ambassador, or the consul general of a consulate."""
    deputy: Person
    """The DCM, or a consulate's deputy principal officer."""
    counselor: Person
    """The political counselor, the usual notetaker and drafter."""


@dataclass(frozen=True)
class _Role:
    title: str
    list_title: str
    affiliations: tuple[str, ...]
    count: int
    topics: frozenset[str] = frozenset()


def _topics(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Host government roles; titles are single tokens so participant lists read back.
HOST_ROLES = (
    _Role("FM", "FM", ("MFA",), 1),
    _Role("DFM", "DFM", ("MFA",), 2),
    _Role(
        "Director",
        "Director",
        (
            "MFA/Americas Department",
            "MFA/Security Affairs",
            "MFA/Economic Department",
            "MFA/International Organizations",
        ),
        3,
        _topics("relations nonproliferation terrorism multilateral visit military"),
    ),
    _Role(
        "Minister",
        "Minister",
        ("Ministry of Finance", "Ministry of Economy", "Central Bank"),
        2,
        _topics("economy trade"),
    ),
    _Role("Minister", "Minister", ("Ministry of Energy",), 1, _topics("energy")),
    _Role("Minister", "Minister", ("Ministry of Defense",), 1, _topics("military terrorism")),
    _Role(
        "Minister",
        "Minister",
        ("Ministry of Interior", "Ministry of Justice"),
        2,
        _topics("narcotics terrorism rights consular"),
    ),
    _Role(
        "Minister",
        "Minister",
        ("Ministry of Health", "Ministry of Environment", "Ministry of Social Affairs"),
        2,
        _topics("health humanitarian"),
    ),
    _Role("MP", "MP", ("Parliament",), 3, _topics("politics elections rights")),
    _Role("General", "Gen.", ("MOD", "General Staff"), 2, _topics("military terrorism")),
    _Role(
        "Dr.",
        "Dr.",
        ("Office of the President",),
        1,
        _topics("politics relations economy elections"),
    ),
)

#: Functional bureaus of the Department and the topics their officials speak on.
FUNCTIONAL_BUREAUS = (
    ("ISN", "nonproliferation military"),
    ("DRL", "rights elections politics"),
    ("INL", "narcotics"),
    ("EEB", "economy trade energy"),
    ("PM", "military"),
    ("CA", "consular"),
    ("OES", "health"),
    ("PRM", "humanitarian"),
    ("IO", "multilateral"),
    ("S/CT", "terrorism"),
)
REGIONAL_BUREAUS = ("EUR", "NEA", "SCA", "EAP", "WHA", "AF")

#: The Secretary of State from each date (the Department's cables carry the name).
SECRETARIES = (
    (date(1989, 1, 25), "BAKER"),
    (date(1993, 1, 20), "CHRISTOPHER"),
    (date(1997, 1, 23), "ALBRIGHT"),
    (date(2001, 1, 20), "POWELL"),
    (date(2005, 1, 26), "RICE"),
    (date(2009, 1, 21), "CLINTON"),
    (date(2013, 2, 1), "KERRY"),
    (date(2017, 2, 1), "TILLERSON"),
    (date(2018, 4, 26), "POMPEO"),
    (date(2021, 1, 26), "BLINKEN"),
    (date(2025, 1, 21), "RUBIO"),
)

TERM_MONTHS = 36
"""A chief of mission's usual tour."""


def secretary(on: date) -> str:
    current = SECRETARIES[0][1]
    for start, name in SECRETARIES:
        if start <= on:
            current = name
    return current


def _person(
    rng: random.Random,
    pool: NamePool,
    title: str,
    list_title: str,
    affiliation: str,
    topics: frozenset[str] = frozenset(),
    taken: set[str] | None = None,
) -> Person:
    female = rng.random() < 0.3
    for _ in range(20):
        family = rng.choice(pool.family)
        # Two people sharing a family name would make titled mentions ambiguous.
        if taken is None or family not in taken:
            break
    if taken is not None:
        taken.add(family)
    given = rng.choice(pool.female if female else pool.male)
    middle = chr(ord("A") + rng.randrange(26))
    return Person(given, middle, family, female, title, list_title, affiliation, topics)


class Rosters:
    """The people of one synthetic corpus, created on first use from the corpus seed."""

    def __init__(self, seed: int) -> None:
        self._seed = seed
        self._hosts: dict[str, tuple[Person, ...]] = {}
        self._missions: dict[tuple[str, int], Mission] = {}
        self._offsets: dict[str, int] = {}
        self._washington: tuple[Person, ...] | None = None

    def _random(self, key: str) -> random.Random:
        return random.Random(f"{self._seed}:{key}")

    def host(self, post: Post) -> tuple[Person, ...]:
        """The host government's officials (one roster per country, shared by its posts)."""
        key = post.tag or post.origin
        if key not in self._hosts:
            rng = self._random(f"host:{key}")
            pool = name_pools()[post.names]
            taken: set[str] = set()
            self._hosts[key] = tuple(
                _person(rng, pool, role.title, role.list_title, affiliation, role.topics, taken)
                for role in HOST_ROLES
                for _ in range(role.count)
                for affiliation in (rng.choice(role.affiliations),)
            )
        return self._hosts[key]

    def washington(self) -> tuple[Person, ...]:
        """Under secretaries, assistant and deputy assistant secretaries."""
        if self._washington is None:
            rng = self._random("washington")
            pool = name_pools()[US_POOL]
            taken: set[str] = set()
            found = [
                _person(rng, pool, "U/S", "U/S", "State/P", _topics("relations visit"), taken),
                _person(
                    rng, pool, "U/S", "U/S", "State/T", _topics("nonproliferation military"), taken
                ),
                _person(rng, pool, "U/S", "U/S", "State/E", _topics("economy trade energy"), taken),
            ]
            for bureau in REGIONAL_BUREAUS:
                found.append(
                    _person(rng, pool, "A/S", "A/S", f"State/{bureau}", frozenset(), taken)
                )
                found.append(
                    _person(rng, pool, "DAS", "DAS", f"State/{bureau}", frozenset(), taken)
                )
            for bureau, topics in FUNCTIONAL_BUREAUS:
                found.append(
                    _person(rng, pool, "A/S", "A/S", f"State/{bureau}", _topics(topics), taken)
                )
            found.append(_person(rng, pool, "DASD", "DASD", "OSD", _topics("military"), taken))
            self._washington = tuple(found)
        return self._washington

    def mission(self, post: Post, on: date) -> Mission:
        """The post's officers in office on a day (a new team every `TERM_MONTHS`, the
        changeover month differing from post to post)."""
        if post.origin not in self._offsets:
            self._offsets[post.origin] = self._random(f"term:{post.origin}").randrange(TERM_MONTHS)
        offset = self._offsets[post.origin]
        term = (on.year * 12 + on.month - offset) // TERM_MONTHS
        key = (post.origin, term)
        if key not in self._missions:
            rng = self._random(f"mission:{post.origin}:{term}")
            pool = name_pools()[US_POOL]
            office = f"Consulate {post.city}" if post.consulate else f"Embassy {post.city}"
            taken: set[str] = set()
            if post.consulate:
                chief = _person(rng, pool, "Consul General", "CG", office, taken=taken)
                deputy = _person(rng, pool, "DPO", "DPO", office, taken=taken)
            else:
                chief = _person(rng, pool, "Ambassador", "Amb.", office, taken=taken)
                deputy = _person(rng, pool, "DCM", "DCM", office, taken=taken)
            counselor = _person(rng, pool, "PolCouns", "", f"{office} (notetaker)", taken=taken)
            self._missions[key] = Mission(chief, deputy, counselor)
        return self._missions[key]

    def visitors(self, post: Post, topic: str) -> tuple[Person, ...]:
        """Washington officials who would meet a post's host government on a topic."""
        regional = f"State/{post.bureau}"
        return tuple(
            person
            for person in self.washington()
            if person.affiliation == regional or (person.topics and topic in person.topics)
        )
