"""The access decision: may this principal read this portion of this cable on this day?

Every output of cablegram asks this module, directly or through the index views built from
it (`cablegram.access.views`); nothing else re-implements the rule. The rule:

1. **Channel.** A cable captioned NODIS, EXDIS, LIMDIS, STADIS (the most restrictive one
   controls, spec §2.2) is readable only by principals holding that channel's
   authorisation who are on its distribution (its addressee offices and named
   recipients). An ingested historical cable with no recorded distribution needs the
   authorisation alone.
2. **Declassification.** On or after the cable's declassification day, a classified
   portion (CONFIDENTIAL and above) counts as UNCLASSIFIED, caveats and all. SBU and LOU
   are not classifications and stay SBU.
3. **Dominance.** The principal's clearance is at least the portion's level (no read up).
4. **Caveats.** NOFORN needs a US person; ORCON and PROPIN need the principal's eligibility.
5. **Release to foreign liaison.** A principal who is not a US person reads a portion
   above UNCLASSIFIED only when its ``REL TO`` list names the principal's country.

The local operator of an archive without users reads everything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cablegram.access.portions import Portion, portions
from cablegram.access.principal import Principal
from cablegram.declass.schedule import schedule
from cablegram.model import UNCLASSIFIED, Cable, Marking

#: Channel captions from most to least restrictive.
CHANNELS = ("NODIS", "EXDIS", "LIMDIS", "STADIS", "CHEROKEE", "CONDIS")
#: Caveats that need an explicit eligibility.
ELIGIBILITY_CAVEATS = frozenset({"ORCON", "PROPIN"})


@dataclass(frozen=True)
class CableAccess:
    """What the rule needs to know about a cable besides its portions."""

    channel: str | None
    """The controlling channel caption, None for an open cable."""
    distribution: frozenset[str] | None
    """Offices and named recipients it was distributed to; None when not recorded."""
    declassified_on: date | None
    """The day its classified portions become UNCLASSIFIED; None: not automatic."""


def channel_of(captions: tuple[str, ...]) -> str | None:
    """The controlling channel caption: the most restrictive present."""
    for channel in CHANNELS:
        if channel in captions:
            return channel
    return None


def cable_access(
    cable: Cable,
    distribution: frozenset[str] | None = None,
    decision: date | None = None,
) -> CableAccess:
    """``distribution`` is recorded for cables released by cablegram's traffic system;
    ``decision`` is a reviewer's declassification decision."""
    return CableAccess(
        channel=channel_of(cable.captions),
        distribution=distribution,
        declassified_on=schedule(cable, decision).date,
    )


def may_see_channel(principal: Principal, access: CableAccess) -> bool:
    if principal.operator or access.channel is None:
        return True
    if access.channel not in principal.channels:
        return False
    if access.distribution is None:
        return True
    return bool(principal.offices & access.distribution) or principal.name in access.distribution


def effective_marking(marking: Marking, access: CableAccess, as_of: date) -> Marking:
    """The marking that applies on ``as_of``: classified portions are UNCLASSIFIED from
    the declassification day on."""
    declassified = access.declassified_on is not None and as_of >= access.declassified_on
    if declassified and marking.level.is_classified:
        return UNCLASSIFIED
    return marking


def may_read_marking(principal: Principal, marking: Marking) -> bool:
    """Dominance, caveats and release for one (effective) marking."""
    if principal.operator:
        return True
    if principal.clearance < marking.level:
        return False
    if marking.noforn and not principal.us_person:
        return False
    if not (marking.caveats & ELIGIBILITY_CAVEATS) <= principal.caveats:
        return False
    if not principal.us_person and marking.level.rank > 0:
        return principal.country is not None and principal.country in marking.rel_to
    return True


def may_read(principal: Principal, access: CableAccess, marking: Marking, as_of: date) -> bool:
    """The decision for one portion marking of a cable, on a day."""
    if not may_see_channel(principal, access):
        return False
    return may_read_marking(principal, effective_marking(marking, access, as_of))


def readable_portions(
    principal: Principal, cable: Cable, access: CableAccess, as_of: date
) -> tuple[Portion, ...]:
    return tuple(p for p in portions(cable) if may_read(principal, access, p.marking, as_of))


def may_see_cable(principal: Principal, cable: Cable, access: CableAccess, as_of: date) -> bool:
    """A cable exists for a principal who may read at least one of its portions (and then
    its handling metadata too)."""
    return bool(readable_portions(principal, cable, access, as_of))
