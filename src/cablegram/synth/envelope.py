"""The envelope and the addressees of generated cables (spec §1.1-§1.8), and the counters
that number them: yearly serials per post and message continuity numbers.

* Serials (the cable number, ``MOSCOW 001002``) restart each year at each post and grow
  with the day of the year at the post's yearly volume (``posts.tsv``): a Moscow cable of
  9 March is near 1000, a Department cable of October in the hundred thousands, as in
  Cablegate. A generated corpus is a subset of a post's traffic, so serials skip numbers
  but never go back.
* Message continuity numbers (MCN, ``TO RUEHC/SECSTATE WASHDC PRIORITY 8096``) count the
  messages from one post to one State addressee (5 FAH-2 H-321.7/8), so there is one
  counter per (origin, addressee); only State addressees carry one
  (`cablegram.reference.is_state_addressee`). Counters start at a random value, as if
  the series had been running, and wrap at 10000.
* FL1 ``VZCZCXYZ0000`` (most Cablegate copies) or ``VZCZCXRO`` plus four digits; FL2 the
  highest precedence doubled and RUEHWEB, the delivering station of Cablegate copies (in
  no ACP 117 decode, so the linter warns about it, as it does for the real copies); FL3
  the post's routing indicator, the serial's last four digits, ``/01`` and the Julian
  filing time of the DTG (``DE RUEHMO #1002/01 0681523``); FL4 the banner's security line;
  FL5 the action precedence, and the information precedence when it differs.
* A post's cable goes TO the Department and INFO neighbouring posts, its country's other
  posts, its bureau's collectives and commands, and Washington agencies; a Department
  cable goes TO one to three posts of a bureau. Precedence shares follow the sample
  (PRIORITY 42 %, IMMEDIATE 31 %, ROUTINE 27 %); NIACT IMMEDIATE and FLASH are rare.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from cablegram.model import Addressee, Envelope, Level, Precedence
from cablegram.synth.chance import weighted
from cablegram.synth.vocabulary import STATE_ORIGIN, Post, posts, posts_by_bureau, recipients

DELIVERING_STATION = "RUEHWEB"
SERIAL_LIMIT = 999_999
"""Classification lines write six digits."""
MCN_MODULUS = 10_000
SECURITY_LINES = {
    Level.UNCLASSIFIED: "ZNR UUUUU ZZH",
    Level.SBU: "ZNR UUUUU ZZH",
    Level.LOU: "ZNR UUUUU ZZH",
    Level.CONFIDENTIAL: "ZNY CCCCC ZZH",
    Level.SECRET: "ZNY SSSSS ZZH",
    Level.TOP_SECRET: "ZNY TTTTT ZZH",
}
PRECEDENCE_SHARES = (
    (Precedence.ROUTINE, 270),
    (Precedence.PRIORITY, 420),
    (Precedence.IMMEDIATE, 300),
    (Precedence.NIACT_IMMEDIATE, 8),
    (Precedence.FLASH, 2),
)
#: NIACT IMMEDIATE travels as O in the envelope (`Precedence.prosign`).
ENVELOPE_PRECEDENCE = {
    Precedence.FLASH: Precedence.FLASH,
    Precedence.NIACT_IMMEDIATE: Precedence.IMMEDIATE,
    Precedence.IMMEDIATE: Precedence.IMMEDIATE,
    Precedence.PRIORITY: Precedence.PRIORITY,
    Precedence.ROUTINE: Precedence.ROUTINE,
}
#: Washington agencies a topic's cables inform, beyond the NSC.
AGENCIES_BY_TOPIC = {
    "terrorism": ("CIA WASHDC", "DEPT OF JUSTICE WASHDC", "DIA WASHDC"),
    "nonproliferation": ("CIA WASHDC", "SECDEF WASHDC", "DEPT OF COMMERCE WASHDC"),
    "military": ("SECDEF WASHDC", "JOINT STAFF WASHDC", "DIA WASHDC"),
    "economy": ("DEPT OF TREASURY WASHDC", "DEPT OF COMMERCE WASHDC"),
    "trade": ("DEPT OF COMMERCE WASHDC", "DEPT OF TREASURY WASHDC"),
    "energy": ("DEPT OF COMMERCE WASHDC",),
    "narcotics": ("DEPT OF JUSTICE WASHDC",),
    "multilateral": ("USMISSION USUN NEW YORK",),
    "politics": ("CIA WASHDC",),
    "relations": ("CIA WASHDC", "SECDEF WASHDC"),
}


class Counters:
    """Serials per (origin, year) and MCNs per (origin, addressee) for one corpus."""

    def __init__(self, rng: random.Random, reserved: frozenset[str]) -> None:
        self._rng = rng
        self._serials: dict[tuple[str, int], int] = {}
        self._mcns: dict[tuple[str, str], int] = {}
        self._reserved = reserved

    def serial(self, post: Post, moment: datetime) -> int:
        """The next cable number of ``post`` in the year of ``moment``; never a reserved id."""
        year = moment.year
        day = moment.timetuple().tm_yday - 1 + moment.hour / 24
        expected = int(post.volume * day / 366) + self._rng.randint(1, 3)
        previous = self._serials.get((post.origin, year), 0)
        serial = min(max(previous + 1, expected), SERIAL_LIMIT)
        while f"{year % 100:02d}{post.origin}{serial}" in self._reserved:
            serial += 1
        self._serials[(post.origin, year)] = serial
        return serial

    def mcn(self, origin: str, address: str) -> int:
        key = (origin, address)
        if key not in self._mcns:
            self._mcns[key] = self._rng.randrange(MCN_MODULUS)
        self._mcns[key] = (self._mcns[key] + 1) % MCN_MODULUS
        return self._mcns[key]


@dataclass(frozen=True)
class Addressing:
    to: tuple[Addressee, ...]
    info: tuple[Addressee, ...]
    prosigns: tuple[Precedence, ...]
    """FL5: the action precedence, then the information precedence when it differs."""


def _precedences(rng: random.Random) -> tuple[Precedence, Precedence]:
    action = weighted(rng, PRECEDENCE_SHARES)
    if action is Precedence.FLASH or action is Precedence.ROUTINE or rng.random() < 0.75:
        return action, action
    return action, Precedence.ROUTINE


def addressing(
    rng: random.Random, sender: Post, subjects: tuple[Post, ...], topic: str, counters: Counters
) -> Addressing:
    """TO and INFO lines of a cable from ``sender`` about the country of ``subjects[0]``
    (a post's own country; a Department cable's action posts)."""
    action, informed = _precedences(rng)
    by_address: dict[str, tuple[str, bool]] = {}
    department = next(post for post in posts() if post.origin == STATE_ORIGIN)
    action_posts = subjects if sender.is_department else (department,)
    for post in action_posts:
        by_address[post.address] = (post.routing_indicator, True)
    info: dict[str, tuple[str, bool]] = {}
    country = subjects[0]
    same_country = [
        p for p in posts() if p.tag == country.tag and p.address not in by_address and p != sender
    ]
    for post in rng.sample(same_country, min(len(same_country), rng.randint(0, 2))):
        info[post.address] = (post.routing_indicator, True)
    neighbours = [p for p in posts_by_bureau().get(country.bureau, ()) if p.tag != country.tag]
    for post in rng.sample(
        neighbours, min(len(neighbours), rng.choices((0, 1, 2, 4), (4, 3, 2, 1))[0])
    ):
        info[post.address] = (post.routing_indicator, True)
    regional = recipients().get(country.bureau, ())
    for recipient in rng.sample(regional, min(len(regional), rng.choices((0, 1, 2), (5, 3, 2))[0])):
        info[recipient.address] = (recipient.routing_indicator, recipient.gets_mcn)
    agencies = {r.address: r for r in recipients()["*"]}
    wanted = ["NSC WASHDC", *AGENCIES_BY_TOPIC.get(topic, ())]
    for address in wanted[: rng.randint(0, len(wanted))]:
        info[address] = (agencies[address].routing_indicator, agencies[address].gets_mcn)
    for address in by_address:
        info.pop(address, None)
    to = tuple(
        Addressee(address, ri, action, counters.mcn(sender.origin, address) if mcn else None)
        for address, (ri, mcn) in by_address.items()
    )
    copies = tuple(
        Addressee(address, ri, informed, counters.mcn(sender.origin, address) if mcn else None)
        for address, (ri, mcn) in info.items()
        if address != sender.address
    )
    prosigns = [ENVELOPE_PRECEDENCE[action]]
    if copies and ENVELOPE_PRECEDENCE[informed] is not prosigns[0]:
        prosigns.append(ENVELOPE_PRECEDENCE[informed])
    return Addressing(to, copies, tuple(prosigns))


def envelope(
    rng: random.Random,
    sender: Post,
    serial: int,
    dtg: datetime,
    level: Level,
    prosigns: tuple[Precedence, ...],
) -> Envelope:
    transmission = "VZCZCXYZ0000" if rng.random() < 0.7 else f"VZCZCXRO{rng.randrange(10000):04d}"
    return Envelope(
        transmission_id=transmission,
        routing_precedence=max(prosigns, key=lambda p: p.urgency),
        delivering_stations=(DELIVERING_STATION,),
        originating_station=sender.routing_indicator,
        station_serial=serial % 10000,
        section=1,
        filing_time=f"{dtg.timetuple().tm_yday:03d}{dtg:%H%M}",
        security_line=SECURITY_LINES[level],
        precedences=prosigns,
    )
