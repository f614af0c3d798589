"""Principals: who reads, with what clearance, caveat eligibility, channels and offices."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from cablegram.model import Level


class Role(enum.Enum):
    READER = "reader"
    DRAFTER = "drafter"
    CLEARER = "clearer"
    RELEASER = "releaser"
    REVIEWER = "reviewer"
    ADMIN = "admin"


@dataclass(frozen=True)
class Principal:
    """A reader. ``clearance`` is on the markings' scale: UNCLASSIFIED is the public, SBU
    is staff without a clearance (reads SBU and LOU), then CONFIDENTIAL, SECRET, TOP SECRET.
    """

    name: str
    clearance: Level
    us_person: bool = True
    """NOFORN portions are for US persons only."""
    country: str | None = None
    """For foreign liaison users: the country code a ``REL TO`` list must name."""
    caveats: frozenset[str] = field(default_factory=frozenset)
    """Eligibility for caveats that need it (ORCON, PROPIN)."""
    channels: frozenset[str] = field(default_factory=frozenset)
    """Channel authorisations: NODIS, EXDIS, LIMDIS, STADIS ..."""
    offices: frozenset[str] = field(default_factory=frozenset)
    """Posts, bureaus and agencies the principal belongs to (their inboxes)."""
    roles: frozenset[Role] = field(default_factory=lambda: frozenset({Role.READER}))
    operator: bool = False
    """The trusted local operator of an archive with no users: reads everything."""

    @property
    def rank(self) -> int:
        return self.clearance.rank


#: The local operator of an archive that has no users (see docs/security.md).
OPERATOR = Principal(
    name="operator",
    clearance=Level.TOP_SECRET,
    operator=True,
    roles=frozenset(Role),
)
