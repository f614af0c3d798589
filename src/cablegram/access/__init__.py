"""Access control: principals, the single access decision, redaction, index views.

Every output asks `decision` (directly, or through the index views built from it).
"""

from cablegram.access.decision import (
    CableAccess,
    cable_access,
    channel_of,
    effective_marking,
    may_read,
    may_read_marking,
    may_see_cable,
    may_see_channel,
    readable_portions,
)
from cablegram.access.portions import Portion, portions
from cablegram.access.principal import OPERATOR, Principal, Role
from cablegram.access.redaction import CableView, PortionView, view

__all__ = [
    "OPERATOR",
    "CableAccess",
    "CableView",
    "Portion",
    "PortionView",
    "Principal",
    "Role",
    "cable_access",
    "channel_of",
    "effective_marking",
    "may_read",
    "may_read_marking",
    "may_see_cable",
    "may_see_channel",
    "portions",
    "readable_portions",
    "view",
]
