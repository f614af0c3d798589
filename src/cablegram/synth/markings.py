"""Markings of generated cables: the level and caveats a cable is written at, the marking of
each portion, and the captions under the classification line (spec §2.1, §2.2, §2.7).

A cable is planned at a level (`Plan`): UNCLASSIFIED, SBU (LIMITED OFFICIAL USE for half of
the controlled cables before 2005, when State still used it), CONFIDENTIAL or SECRET, with
the topic's shares (``topics.tsv``). Classified cables may be NOFORN (more often when
SECRET), rarely ORCON, or releasable to allies (``REL TO``); SBU cables are rarely NOFORN
(``SBU/NF``, seen in the sample). Portions are marked at or below the plan; the banner is
then the join of the portion markings (`cablegram.model.Marking.join`), never computed
apart from them, so it covers every portion by construction.

Captions, in the order generated: a distribution caption (NODIS, EXDIS, LIMDIS: a few
classified cables; never with SIPDIS, linter rule CG401), SENSITIVE for SBU, the banner's
caveats, its ``REL TO`` list, and SIPDIS on most cables from December 2005, when it was
introduced.

Shares seen in the shared sample (2,979 cables, parsed): banners C 52 %, S 18 %, SBU 17 %,
U 14 %; NOFORN captions on 11 %; portion marks C 43 %, SBU 19 %, U 14 %, S 7 %, S/NF 5 %,
C/NF 3 %, unmarked 9 %, REL TO lists on under 1 %. No NODIS or EXDIS cable is in the
sample (Cablegate left them out), so their share here is a choice.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from cablegram.model import Level, Marking
from cablegram.synth.chance import weighted

SIPDIS_FROM = date(2005, 12, 1)
"""SIPDIS (SIPRNet distribution) was introduced in December 2005 (05 STATE 226504)."""
LOU_UNTIL = date(2005, 1, 1)
"""Before this day, half of the controlled unclassified cables are LIMITED OFFICIAL USE."""

RELEASE_LISTS = (
    ("USA", "GBR"),
    ("USA", "AUS", "CAN", "GBR", "NZL"),
    ("USA", "NATO"),
    ("USA", "ISAF"),
    ("USA", "GBR", "FRA", "DEU"),
)
"""``REL TO`` lists, as trigraphs and organisation codes after USA (CAPCO)."""

#: Levels of the portions of a classified cable, by the cable's level.
PORTION_LEVELS: dict[Level, tuple[tuple[Level, int], ...]] = {
    Level.SECRET: (
        (Level.SECRET, 48),
        (Level.CONFIDENTIAL, 30),
        (Level.SBU, 12),
        (Level.UNCLASSIFIED, 10),
    ),
    Level.CONFIDENTIAL: ((Level.CONFIDENTIAL, 72), (Level.SBU, 18), (Level.UNCLASSIFIED, 10)),
}


@dataclass(frozen=True)
class Plan:
    """The marking a cable is written at; portions are drawn at or below it."""

    level: Level
    caveats: frozenset[str] = frozenset()
    rel_to: tuple[str, ...] = ()
    distribution: str | None = None
    """NODIS, EXDIS or LIMDIS."""

    @property
    def top(self) -> Marking:
        """The highest portion marking: the plan itself."""
        return Marking(self.level, self.caveats, self.rel_to)


def plan(rng: random.Random, weights: tuple[int, int, int, int], on: date) -> Plan:
    """Draw a cable's plan from the topic's level shares (U, SBU, C, S)."""
    level = rng.choices((Level.UNCLASSIFIED, Level.SBU, Level.CONFIDENTIAL, Level.SECRET), weights)[
        0
    ]
    if level is Level.SBU:
        if on < LOU_UNTIL and rng.random() < 0.5:
            return Plan(Level.LOU)
        return Plan(level, frozenset({"NOFORN"}) if rng.random() < 0.02 else frozenset())
    if not level.is_classified:
        return Plan(level)
    caveats: frozenset[str] = frozenset()
    rel_to: tuple[str, ...] = ()
    noforn_share = 0.35 if level is Level.SECRET else 0.1
    draw = rng.random()
    if draw < noforn_share:
        caveats = frozenset({"NOFORN", "ORCON"}) if rng.random() < 0.04 else frozenset({"NOFORN"})
    elif draw < noforn_share + 0.03:
        rel_to = rng.choice(RELEASE_LISTS)
    distribution = None
    if rng.random() < 0.02:
        distribution = rng.choices(("NODIS", "EXDIS", "LIMDIS"), (1, 3, 2))[0]
    return Plan(level, caveats, rel_to, distribution)


def portion(rng: random.Random, cable: Plan) -> Marking:
    """A portion marking at or below the plan, with the shares of real cables: most portions
    at the plan's level, some lower (a classified cable's unclassified background)."""
    level = cable.level
    if level is Level.UNCLASSIFIED:
        return Marking(level)
    if level in (Level.SBU, Level.LOU):
        if rng.random() < 0.3:
            return Marking(Level.UNCLASSIFIED)
        return Marking(level, cable.caveats if rng.random() < 0.5 else frozenset())
    level = weighted(rng, PORTION_LEVELS[level])
    if not level.is_classified:
        return Marking(level)
    caveats = cable.caveats if rng.random() < 0.75 else frozenset()
    return Marking(level, caveats, cable.rel_to)


def subject_marking(rng: random.Random, cable: Plan) -> Marking | None:
    """A few subject lines carry a short mark: ``(U)``, ``(SBU)``, ``(C)`` (2 % in the sample)."""
    if rng.random() >= 0.03:
        return None
    if cable.level.is_classified:
        return Marking(rng.choice((Level.UNCLASSIFIED, Level.UNCLASSIFIED, cable.level)))
    return Marking(cable.level)


def captions(rng: random.Random, banner: Marking, cable: Plan, on: date) -> tuple[str, ...]:
    found: list[str] = []
    if cable.distribution is not None:
        found.append(cable.distribution)
    if banner.level is Level.SBU:
        found.append("SENSITIVE")
    found.extend(caveat for caveat in ("NOFORN", "ORCON") if caveat in banner.caveats)
    if banner.rel_to:
        found.append("REL TO " + ", ".join(banner.rel_to))
    if on >= SIPDIS_FROM and cable.distribution not in ("NODIS", "EXDIS") and rng.random() < 0.95:
        found.append("SIPDIS")
    return tuple(found)
