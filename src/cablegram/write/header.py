"""The header of a transmission: ACP-127 format lines 1-9 (spec §1.1-§1.8).

Lines, in order, each written only when the model carries it:

* FL1 transmission id, as stored (``VZCZCXYZ0000``);
* FL2 the highest precedence's prosign doubled (§1.3: ``PP``, never ``P``) and the
  delivering stations (``PP RUEHWEB``);
* FL3 ``DE`` + originating station + ``#`` + the four-digit station serial + ``/`` +
  the two-digit transmission section + the Julian filing time (``DE RUEHMO #1002/01
  0681523``, §1.5). Each section of a long cable repeats this line with its own ``/nn``;
* FL4 the security line, as stored (``ZNY SSSSS ZZH``, §1.6);
* FL5 the precedence prosigns, single (``P``, or ``P R`` when dual, §1.3) and the DTG
  ``DDHHMMZ MON YY`` in UTC with a two-digit year, the form State kept after 2006 (§1.7);
* FL6-FL9 ``FM``, ``TO``, ``INFO`` and ``XMT``: one address per line, ``[RI/]PLA
  [PRECEDENCE] [MCN]`` with the MCN zero-padded to four digits (§1.8); only the first
  action and the first information addressee carry the prosign; the posts a collective
  excludes follow it on ``XMT`` lines.

A cable printed without its transmission envelope (1970s archive copies start at
``P 222227Z NOV 78``) has only FL5 onwards: the lines above are simply absent.
"""

from __future__ import annotations

from datetime import UTC, datetime

from cablegram.model import Addressee, Cable, Envelope

MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")


def format_dtg(moment: datetime) -> str:
    """``datetime(2007, 3, 9, 15, 23, tzinfo=UTC)`` -> ``091523Z MAR 07``.

    A naive datetime is taken to be UTC already (the model stores DTGs in UTC).
    """
    utc = moment.astimezone(UTC) if moment.tzinfo is not None else moment
    return f"{utc:%d%H%M}Z {MONTHS[utc.month - 1]} {utc:%y}"


def header_lines(cable: Cable, section: int | None) -> list[str]:
    """FL1-FL9 of one transmission; ``section`` is the FL3 ``/nn`` of this transmission."""
    lines = envelope_lines(cable.envelope, cable.dtg, section)
    if cable.originator is not None:
        lines.append(f"FM {address_line(cable.originator)}")
    lines.extend(addressee_lines("TO", cable.to))
    lines.extend(addressee_lines("INFO", cable.info))
    return lines


def envelope_lines(envelope: Envelope, dtg: datetime | None, section: int | None) -> list[str]:
    """FL1-FL5."""
    lines: list[str] = []
    if envelope.transmission_id is not None:
        lines.append(envelope.transmission_id)
    if envelope.routing_precedence is not None or envelope.delivering_stations:
        prosigns = [envelope.routing_precedence.prosign * 2] if envelope.routing_precedence else []
        lines.append(" ".join([*prosigns, *envelope.delivering_stations]))
    if envelope.originating_station is not None:
        lines.append(_calling_line(envelope, section))
    if envelope.security_line is not None:
        lines.append(envelope.security_line)
    if dtg is not None:
        lines.append(" ".join([*(p.prosign for p in envelope.precedences), format_dtg(dtg)]))
    return lines


def _calling_line(envelope: Envelope, section: int | None) -> str:
    parts = ["DE", str(envelope.originating_station)]
    if envelope.station_serial is not None:
        serial = f"#{envelope.station_serial:04d}"
        if section is not None:
            serial += f"/{section:02d}"
        parts.append(serial)
    if envelope.filing_time is not None:
        parts.append(envelope.filing_time)
    return " ".join(parts)


def address_line(addressee: Addressee) -> str:
    """``RUEHC/SECSTATE WASHDC PRIORITY 8096`` (no prosign)."""
    parts = [
        f"{addressee.routing_indicator}/{addressee.address}"
        if addressee.routing_indicator
        else addressee.address
    ]
    if addressee.precedence is not None:
        parts.append(addressee.precedence.label)
    if addressee.mcn is not None:
        parts.append(f"{addressee.mcn:04d}")
    return " ".join(parts)


def addressee_lines(prosign: str, addressees: tuple[Addressee, ...]) -> list[str]:
    """The TO or INFO group: prosign on the first line only, XMT lines after a collective."""
    lines: list[str] = []
    for position, addressee in enumerate(addressees):
        prefix = f"{prosign} " if position == 0 else ""
        lines.append(prefix + address_line(addressee))
        lines.extend(f"XMT {post}" for post in addressee.exempted)
    return lines
