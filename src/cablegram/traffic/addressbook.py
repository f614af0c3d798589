"""The address book: who a cable can be addressed to, how it is routed, and which offices
receive it (spec §1.4, §1.8; issue 6, item 4).

Every addressee is an **office**, the unit users belong to (`cablegram.access.Principal`
``offices``) and whose queue its members read:

* a **post** is named by its id origin (``MOSCOW``, ``STATE``, ``USUNNEWYORK``,
  ``UNVIEVIENNA``) and addressed by its FM address (``AMEMBASSY MOSCOW``,
  ``SECSTATE WASHDC``, ``USMISSION USUN NEW YORK``), from ``data/posts.tsv``;
* an **agency** is named by its plain-language address without ``WASHDC``
  (``NSC``, ``SECDEF``, ``JOINT STAFF``, ``DEPT OF ENERGY``), from the addresses observed
  on TO/INFO lines and the ACP 117 decode (`cablegram.reference.routing_indicators_for`);
* a **bureau** of the Department (``EUR/RUS``, ``ISN``) is reached through a passing
  instruction on a cable to the Department (``DEPT FOR EUR/RUS, ISN``, spec §2.2), which
  the Department's message centre distributes by (5 FAH-2 H-440 [S8, S9]);
* a **collective** (``ALL US CONSULATES IN MEXICO COLLECTIVE``) is one address line whose
  member posts each receive the cable, less those excluded with ``XMT`` (FL9: "follow the
  collective address with ... 'XMT,' and the name(s) of the posts in the collective that
  will not receive the telegram" [S17]).

Routing: the routing indicator of an address is the one most used for it
(`routing_indicators_for`); one RI may serve several addresses (RUEKJCS delivers to
SECDEF WASHDC and to JOINT STAFF WASHDC, which stay two offices). The FL2 line lists each
station that delivers to an addressee once (ACP 127 §204 [S1]), a collective by its
members' stations, in alphabetical order, as received copies show (06MEXICO456 to the
Mexico collective: ``RR RUEHCD RUEHGD RUEHHO RUEHMC RUEHNG RUEHNL RUEHRD RUEHRS RUEHTM``).

A State activity (`cablegram.reference.is_state_addressee`) gets a message continuity
number; agencies and collectives do not.

Collective membership is not published; `COLLECTIVES` holds the two the sample lets us
state: the Mexico consulates (observed: the FL2 line above names exactly their nine
stations) and the China posts (inferred from the name and the Chinese mission's posts of
2006-2010; Hong Kong reported separately). Others can be given to `AddressBook`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from cablegram.reference import (
    canonical_origin,
    is_state_addressee,
    known_origins,
    origin_for_originator,
    post_address,
)
from cablegram.reference import routing_indicators_for as _routing_indicators_for
from cablegram.reference.posts import address_key

#: Member posts (id origins) of the collectives whose membership is known (module notes).
COLLECTIVES: Mapping[str, tuple[str, ...]] = {
    "ALL US CONSULATES IN MEXICO COLLECTIVE": (
        "CIUDADJUAREZ",
        "GUADALAJARA",
        "HERMOSILLO",
        "MATAMOROS",
        "MERIDA",
        "MONTERREY",
        "NOGALES",
        "NUEVOLAREDO",
        "TIJUANA",
    ),
    "CHINA POSTS COLLECTIVE": ("BEIJING", "CHENGDU", "GUANGZHOU", "SHANGHAI", "SHENYANG"),
}
DEPARTMENT = "STATE"
"""The office of the Department (SECSTATE WASHDC), whose bureaus passing instructions name."""

_WASHDC = " WASHDC"
_EXPLICIT_RI = re.compile(r"^(R[A-Z]{3,7})\s*/\s*(.+)$")
_XMT = re.compile(r"^(.*?)[\s,]+XMT[\s,]+(.+)$")
_LIST = re.compile(r"\s*(?:,|\bAND\b)\s*")
_DEPARTMENT_PASSING = re.compile(r"^(?:DEPT|STATE|SECSTATE)\s+(?:FOR|PASS TO|PASS)\s+(.+)$")


@functools.cache
def routing_indicators_for(address: str) -> tuple[str, ...]:
    """`cablegram.reference.routing_indicators_for`, remembered: it scans the whole ACP 117
    decode on every call (25 ms), and a release resolves every addressee."""
    return _routing_indicators_for(address)


class AddressError(ValueError):
    """An address the book cannot resolve."""


@dataclass(frozen=True)
class Office:
    """An addressee that receives cables: a post, an agency, a bureau or a collective."""

    name: str
    """The office users are members of: ``MOSCOW``, ``NSC``, ``EUR/RUS``."""
    address: str
    """The plain-language address on the TO/INFO line: ``AMEMBASSY MOSCOW``."""
    routing_indicator: str | None
    state: bool
    """A State activity, which gets a message continuity number."""


@dataclass(frozen=True)
class Addressing:
    """One TO or INFO entry as resolved: the address line and the offices it reaches."""

    office: Office
    """The office named on the line (for a collective, the collective itself)."""
    recipients: tuple[Office, ...]
    """The offices that receive the cable through this line: the office itself, or the
    collective's members less the exempted posts."""
    exempted: tuple[str, ...] = ()
    """Addresses of the posts excluded with ``XMT``, as the XMT lines write them."""

    @property
    def collective(self) -> bool:
        return self.recipients != (self.office,)


class AddressBook:
    """Posts, agencies, bureaus and collectives, from the reference tables."""

    def __init__(self, collectives: Mapping[str, tuple[str, ...]] = COLLECTIVES) -> None:
        self._collectives = {address_key(name): members for name, members in collectives.items()}
        self._resolved: dict[str, Addressing] = {}

    def post(self, origin: str) -> Office:
        """The post whose id origin is ``origin`` (``MOSCOW`` -> AMEMBASSY MOSCOW, RUEHMO)."""
        key = canonical_origin(origin)
        address = post_address(key)
        if address is None:
            raise AddressError(f"no post with origin {origin!r}")
        ris = routing_indicators_for(address)
        return Office(key, address, ris[0] if ris else None, True)

    def resolve(self, written: str) -> Addressing:
        """A TO/INFO entry as a drafter writes it: an origin (``MOSCOW``, ``USUN``), an
        address (``SECDEF WASHDC``, ``NSC``), ``RI/ADDRESS`` to choose the routing
        indicator, and ``COLLECTIVE XMT POST, POST`` for exclusions."""
        text = " ".join(written.upper().split())
        known = self._resolved.get(text)
        if known is None:
            known = self._resolved[text] = self._resolve(text)
        return known

    def _resolve(self, text: str) -> Addressing:
        exclusions: list[str] = []
        if match := _XMT.match(text):
            text = match.group(1)
            exclusions = [part for part in _LIST.split(match.group(2)) if part]
        office = self._office(text)
        members = self._collectives.get(address_key(office.address))
        if members is None:
            if exclusions:
                raise AddressError(f"XMT applies to a collective, not to {office.address}")
            return Addressing(office, (office,))
        excluded = [self._office(post) for post in exclusions]
        for post in excluded:
            if post.name not in members:
                raise AddressError(f"{post.address} is not a member of {office.address}")
        names = {post.name for post in excluded}
        recipients = tuple(self.post(member) for member in members if member not in names)
        return Addressing(office, recipients, tuple(post.address for post in excluded))

    def bureaus(self, passing: Iterable[str]) -> tuple[Office, ...]:
        """The Department's bureaus that passing instructions name: ``DEPT FOR EUR/RUS, ISN``
        -> EUR/RUS and ISN."""
        department = self.post(DEPARTMENT)
        found: list[Office] = []
        for line in passing:
            match = _DEPARTMENT_PASSING.match(" ".join(line.upper().split()))
            if match is None:
                continue
            for name in _LIST.split(match.group(1)):
                bureau = name.strip(" .")
                if bureau and all(office.name != bureau for office in found):
                    found.append(
                        Office(bureau, department.address, department.routing_indicator, False)
                    )
        return tuple(found)

    def _office(self, text: str) -> Office:
        ri: str | None = None
        if match := _EXPLICIT_RI.match(text):
            ri, text = match.group(1), match.group(2)
        address = self._address(text)
        if address is None:
            raise AddressError(f"unknown addressee {text!r}: not a post, agency or collective")
        known = routing_indicators_for(address)
        if ri is None:
            if not known:
                raise AddressError(f"no routing indicator is known for {address}")
            ri = known[0]
        elif ri not in known:
            raise AddressError(f"{ri} does not serve {address} (it knows {', '.join(known)})")
        origin = origin_for_originator(address)
        if origin is not None and post_address(origin) is not None:
            name = origin
        else:
            name = address.removesuffix(_WASHDC)
        return Office(name, address, ri, is_state_addressee(address, ri))

    def _address(self, text: str) -> str | None:
        key = address_key(text)
        origin = canonical_origin(key)
        if origin in known_origins() and (address := post_address(origin)) is not None:
            return address
        for candidate in (key, key + _WASHDC):
            if routing_indicators_for(candidate):
                return candidate
        return None
