"""Classification markings: a level on a total order plus caveats.

Levels follow the scale used by State cables and by readers' clearances:
UNCLASSIFIED < SBU = LOU < CONFIDENTIAL < SECRET < TOP SECRET. SBU ("sensitive but
unclassified") and LOU ("limited official use") are administrative controls, not
classifications; they share one rank but keep their names so a marking renders as written.

A `Marking` adds caveats (NOFORN, ORCON, FGI, ...) and an optional ``REL TO`` list. The
banner of a cable is the least upper bound (`Marking.join`) of its portions: the highest
level, the union of caveats, and the intersection of the release lists (NOFORN wins over
any release list).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field


class Level(enum.Enum):
    """A classification level or administrative control, as written on a cable."""

    UNCLASSIFIED = "U"
    SBU = "SBU"
    LOU = "LOU"
    CONFIDENTIAL = "C"
    SECRET = "S"
    TOP_SECRET = "TS"

    @property
    def rank(self) -> int:
        """Position on the total order; SBU and LOU share rank 1."""
        return _RANK_BY_VALUE[self._value_]  # a str key: hashing a member is slow

    @property
    def is_classified(self) -> bool:
        """True for CONFIDENTIAL and above (SBU and LOU are not classifications)."""
        return self.rank >= 2

    @property
    def word(self) -> str:
        """The full word used in banners (``SECRET``, ``LIMITED OFFICIAL USE``)."""
        return _WORD[self]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Level):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Level):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Level):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Level):
            return NotImplemented
        return self.rank >= other.rank

    @classmethod
    def from_name(cls, name: str) -> Level:
        """Accept abbreviations and full words: ``C``, ``CONFIDENTIAL``, ``UNCLAS``, ``TS``."""
        key = " ".join(name.upper().replace("_", " ").split())
        try:
            return _NAMES[key]
        except KeyError:
            raise ValueError(f"unknown classification level: {name!r}") from None


_RANK = {
    Level.UNCLASSIFIED: 0,
    Level.SBU: 1,
    Level.LOU: 1,
    Level.CONFIDENTIAL: 2,
    Level.SECRET: 3,
    Level.TOP_SECRET: 4,
}
_RANK_BY_VALUE = {level.value: rank for level, rank in _RANK.items()}
_WORD = {
    Level.UNCLASSIFIED: "UNCLASSIFIED",
    Level.SBU: "SENSITIVE BUT UNCLASSIFIED",
    Level.LOU: "LIMITED OFFICIAL USE",
    Level.CONFIDENTIAL: "CONFIDENTIAL",
    Level.SECRET: "SECRET",
    Level.TOP_SECRET: "TOP SECRET",
}
_NAMES = {
    "U": Level.UNCLASSIFIED,
    "UNCLAS": Level.UNCLASSIFIED,
    "UNCLASSIFIED": Level.UNCLASSIFIED,
    "SBU": Level.SBU,
    "SENSITIVE": Level.SBU,
    "SENSITIVE BUT UNCLASSIFIED": Level.SBU,
    "LOU": Level.LOU,
    "LIMITED OFFICIAL USE": Level.LOU,
    "C": Level.CONFIDENTIAL,
    "CONFIDENTIAL": Level.CONFIDENTIAL,
    "S": Level.SECRET,
    "SECRET": Level.SECRET,
    "TS": Level.TOP_SECRET,
    "TOP SECRET": Level.TOP_SECRET,
}

#: Caveats in the order a banner lists them.
CAVEAT_ORDER = ("NOFORN", "ORCON", "PROPIN", "FGI", "FOUO")


@dataclass(frozen=True)
class Marking:
    """A level with caveats and an optional release list (``REL TO USA, GBR``)."""

    level: Level
    caveats: frozenset[str] = field(default_factory=frozenset)
    rel_to: tuple[str, ...] = ()

    @property
    def noforn(self) -> bool:
        return "NOFORN" in self.caveats

    @property
    def rank(self) -> int:
        return self.level.rank

    def dominates(self, other: Marking) -> bool:
        """Level at least as high and every caveat of ``other`` also held here."""
        return self.level >= other.level and other.caveats <= self.caveats

    def join(self, other: Marking) -> Marking:
        """Least upper bound: the marking that covers both portions."""
        level = max(self.level, other.level, key=lambda lv: (lv.rank, lv is Level.SBU))
        caveats = self.caveats | other.caveats
        if "NOFORN" in caveats or not (self.rel_to and other.rel_to):
            # A portion without a release list is not releasable abroad, so neither is the whole.
            rel_to: tuple[str, ...] = ()
        else:
            rel_to = tuple(c for c in self.rel_to if c in other.rel_to)
        return Marking(level, frozenset(caveats), rel_to)

    @staticmethod
    def highest(markings: Iterable[Marking]) -> Marking | None:
        """The join of all markings, or None for none."""
        result: Marking | None = None
        for marking in markings:
            result = marking if result is None else result.join(marking)
        return result

    @property
    def portion(self) -> str:
        """Portion-mark form without parentheses: ``S/NF``, ``C/REL UK``, ``SBU``."""
        parts = [self.level.value]
        for caveat in _ordered(self.caveats):
            parts.append("NF" if caveat == "NOFORN" else caveat)
        if self.rel_to:
            parts.append("REL " + ", ".join(self.rel_to))
        return "/".join(parts)

    @property
    def banner(self) -> str:
        """Banner form: ``SECRET//NOFORN``, ``CONFIDENTIAL//REL TO USA, GBR``."""
        parts = [self.level.word]
        parts.extend(_ordered(self.caveats))
        if self.rel_to:
            parts.append("REL TO " + ", ".join(self.rel_to))
        return "//".join(parts)

    def __str__(self) -> str:
        return self.portion


def _ordered(caveats: frozenset[str]) -> list[str]:
    known = [c for c in CAVEAT_ORDER if c in caveats]
    return known + sorted(caveats - set(CAVEAT_ORDER))


UNCLASSIFIED = Marking(Level.UNCLASSIFIED)
