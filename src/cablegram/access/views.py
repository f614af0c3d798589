"""Index views: the versions of a cable that readers of each access class can see.

The search index enforces the access rule itself (hits, counts, snippets and facets exact
for the principal, no post-filtering). Each cable is indexed as a few *views*; a view
holds exactly the portions that readers of an access class may read, and the query of a
principal matches exactly one view per cable, or none when nothing is readable.

An access class is (nationality, clearance rank, declassification regime):

* nationality ``us`` for US persons, ``rel:XXX`` for liaison users of a country that a
  ``REL TO`` list in the cable names, ``foreign`` for any other liaison user;
* clearance rank 0-4 (U, SBU/LOU, C, S, TS): views carry a rank interval ``[lo, hi]``
  because the readable set only grows with the rank;
* regime ``before`` / ``after`` the declassification day, or ``always`` when the cable
  does not change on any day.

Which portions each class reads is decided by `cablegram.access.decision` for a
representative principal of the class, so the rule lives in one place. Channels
(NODIS ...) restrict whole cables and are indexed as tokens (`channel_tokens`).
Caveats that need an eligibility (ORCON, PROPIN) get no view: only readers eligible for
every such caveat in the cable see it through the index (`eligibility` tokens).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, timedelta

from cablegram.access.decision import (
    ELIGIBILITY_CAVEATS,
    CableAccess,
    effective_marking,
    may_read_marking,
)
from cablegram.access.portions import Portion, banner, portions
from cablegram.access.principal import Principal
from cablegram.model import Cable, Level, Marking

RANK_LEVELS = (Level.UNCLASSIFIED, Level.SBU, Level.CONFIDENTIAL, Level.SECRET, Level.TOP_SECRET)
US = "us"
FOREIGN = "foreign"


@dataclass(frozen=True)
class View:
    nation: str
    regime: str
    """``always``, ``before`` or ``after`` the declassification day."""
    lo: int
    hi: int
    portions: tuple[Portion, ...]


def _nations(cable_portions: tuple[Portion, ...]) -> list[str]:
    countries = sorted({c for p in cable_portions for c in p.marking.rel_to})
    return [US, *(f"rel:{c}" for c in countries), FOREIGN]


@functools.lru_cache(maxsize=256)
def _representative(nation: str, rank: int) -> Principal:
    level = RANK_LEVELS[rank]
    if nation == US:
        return Principal(name="view", clearance=level, caveats=ELIGIBILITY_CAVEATS)
    country = nation.removeprefix("rel:") if nation.startswith("rel:") else None
    return Principal(
        name="view", clearance=level, us_person=False, country=country, caveats=ELIGIBILITY_CAVEATS
    )


def views(
    cable: Cable, access: CableAccess, cable_portions: tuple[Portion, ...] | None = None
) -> tuple[View, ...]:
    """The views of a cable; the channel rule is applied separately (`channel_tokens`).
    ``cable_portions``: the cable's `portions`, when the caller has them already."""
    if cable_portions is None:
        cable_portions = portions(cable)
    if not cable_portions:
        cable_portions = (Portion("banner", "the cable", banner(cable), False, ""),)
    regimes: list[tuple[str, date]]
    if access.declassified_on is None or not any(
        p.marking.level.is_classified for p in cable_portions
    ):
        regimes = [("always", date.min)]
    else:
        day = access.declassified_on
        regimes = [("before", day - timedelta(days=1)), ("after", day)]
    markings = [
        (regime, _Markings([effective_marking(p.marking, access, as_of) for p in cable_portions]))
        for regime, as_of in regimes
    ]
    found: list[View] = []
    for nation in _nations(cable_portions):
        for regime, regime_markings in markings:
            found.extend(_intervals(nation, regime, cable_portions, regime_markings))
    return tuple(found)


class _Markings:
    """The effective markings of a cable's portions on one day, each distinct marking
    decided once per reader (a cable has many portions but few distinct markings)."""

    def __init__(self, effective: list[Marking]) -> None:
        # By identity, which is cheap to hash: equal markings are mostly one object (the
        # reader shares them), and a duplicate is merely decided twice.
        position: dict[int, int] = {}
        self.distinct: list[Marking] = []
        self.of_portion: list[int] = []
        for marking in effective:
            if id(marking) not in position:
                position[id(marking)] = len(self.distinct)
                self.distinct.append(marking)
            self.of_portion.append(position[id(marking)])

    def readable(
        self, reader: Principal, cable_portions: tuple[Portion, ...]
    ) -> tuple[Portion, ...]:
        allowed = [may_read_marking(reader, marking) for marking in self.distinct]
        return tuple(
            portion
            for portion, marking in zip(cable_portions, self.of_portion, strict=True)
            if allowed[marking]
        )


def _intervals(
    nation: str, regime: str, cable_portions: tuple[Portion, ...], markings: _Markings
) -> list[View]:
    found: list[View] = []
    current: tuple[Portion, ...] | None = None
    start = 0
    for rank in range(len(RANK_LEVELS)):
        visible = markings.readable(_representative(nation, rank), cable_portions)
        if visible != current:
            if current:
                found.append(View(nation, regime, start, rank - 1, current))
            current, start = visible, rank
    if current:
        found.append(View(nation, regime, start, len(RANK_LEVELS) - 1, current))
    return found


def channel_tokens(access: CableAccess) -> tuple[str, ...]:
    """Tokens a principal must hold one of to see the cable at all."""
    if access.channel is None:
        return ("open",)
    if access.distribution is None:
        return (f"auth:{access.channel}",)
    return tuple(f"dist:{access.channel}:{member}" for member in sorted(access.distribution))


def principal_channel_tokens(principal: Principal) -> tuple[str, ...]:
    tokens = ["open"]
    for channel in sorted(principal.channels):
        tokens.append(f"auth:{channel}")
        tokens.extend(f"dist:{channel}:{member}" for member in sorted(principal.offices))
        tokens.append(f"dist:{channel}:{principal.name}")
    return tuple(tokens)


def eligibility_tokens(
    cable: Cable, cable_portions: tuple[Portion, ...] | None = None
) -> tuple[str, ...]:
    """Caveats needing eligibility present anywhere in the cable (the index requires the
    reader to hold all of them; readers eligible for some only are refused by the index
    and may still read through `decision` directly)."""
    if cable_portions is None:
        cable_portions = portions(cable)
    found = {c for p in cable_portions for c in p.marking.caveats & ELIGIBILITY_CAVEATS}
    return tuple(sorted(found))


def principal_nations(principal: Principal) -> tuple[str, ...]:
    if principal.us_person:
        return (US,)
    if principal.country:
        return (f"rel:{principal.country}", FOREIGN)
    return (FOREIGN,)
