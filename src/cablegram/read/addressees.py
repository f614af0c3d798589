"""FM / TO / INFO / XMT lines: format lines 6-9 (spec §1.8).

Output fields: ``originator``, ``to``, ``info`` (`Addressee`: routing indicator,
plain-language address, precedence, message continuity number, XMT exclusions).

One address per line, ``[RI/]PLA [PRECEDENCE] [MCN]``: ``TO RUEHC/SECSTATE WASHDC PRIORITY
8096``; ``RUEKJCS/SECDEF WASHDC PRIORITY`` (no MCN: not a State activity); ``ZEN/`` instead
of a routing indicator for delivery by other means. Continuation lines carry no prosign.
``XMT`` lines name posts excluded from the collective above them. Old cables (1960s) have
no routing indicators at all (``TO SECSTATE WASHDC PRIORITY``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from cablegram.model import Addressee, Precedence

_PRECEDENCE = r"(FLASH|NIACT\s+IMMEDIATE|IMMEDIATE|PRIORITY|ROUTINE)"
_ADDRESS = re.compile(
    r"^(?:(?P<ri>[A-Z]{3,8})\s*/\s*)?(?P<pla>.+?)"
    rf"(?:\s+{_PRECEDENCE})?(?:\s+(?P<mcn>[0-9]{{1,5}}))?\s*$"
)
#: Envelope lines that may sit among the address lines (FL11 separation, FL16 end).
_NOT_ADDRESSES = frozenset({"BT", "NNNN"})
PROSIGN = re.compile(r"^\s*(FM|TO|INFO|XMT)\b[:\s]*(.*)$")


@dataclass(frozen=True)
class Recipients:
    to: tuple[Addressee, ...]
    info: tuple[Addressee, ...]


def address(text: str) -> Addressee | None:
    """Parse one address line without its prosign."""
    line = " ".join(text.split()).rstrip(",")
    if not line:
        return None
    match = _ADDRESS.match(line)
    if not match:
        return None
    label = match.group(3)
    mcn = match.group("mcn")
    return Addressee(
        address=match.group("pla").strip(),
        routing_indicator=match.group("ri"),
        precedence=Precedence.from_label(label) if label else None,
        mcn=int(mcn) if mcn else None,
    )


def originator(text: str) -> Addressee | None:
    """The FM line: ``FM AMEMBASSY MOSCOW`` (the prosign is optional)."""
    for line in text.splitlines():
        match = PROSIGN.match(line)
        if match and match.group(1) == "FM":
            return address(match.group(2))
    first = text.strip().splitlines()
    return address(first[0]) if first else None


def recipients(text: str) -> Recipients:
    """Action and information addressees from a fragment holding TO/INFO/XMT lines."""
    groups: dict[str, list[Addressee]] = {"TO": [], "INFO": []}
    current: str | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line in _NOT_ADDRESSES:
            continue
        match = PROSIGN.match(line)
        if match:
            prosign, rest = match.groups()
            if prosign == "FM":
                current = None
                continue
            if prosign == "XMT":
                _exempt(groups, current, rest)
                continue
            current = prosign
            line = rest
            if not line:
                continue
        if current is None:
            continue
        parsed = address(line)
        if parsed is not None:
            groups[current].append(parsed)
    return Recipients(tuple(groups["TO"]), tuple(groups["INFO"]))


def _exempt(groups: dict[str, list[Addressee]], current: str | None, rest: str) -> None:
    if current is None or not groups[current] or not rest.strip():
        return
    last = groups[current][-1]
    groups[current][-1] = replace(last, exempted=(*last.exempted, " ".join(rest.split())))
