"""The ACP-127 envelope: format lines 1-5 (spec §1.1-§1.7).

Output fields: `Envelope` and the DTG.

* FL1 transmission id ``VZCZCXYZ0000`` (``V`` + ``ZCZC`` + channel designator + serial);
* FL2 ``PP RUEHWEB``: the doubled prosign of the highest precedence and the delivering
  stations' routing indicators;
* FL3 ``DE RUEHMO #1002/01 0681523``: originating station, station serial, section,
  Julian filing time (day of year + HHMM);
* FL4 ``ZNY SSSSS ZZH``: the security warning operating signal;
* FL5 ``P 091523Z MAR 07`` or ``P R 041820Z JAN 10``: precedence prosigns and the DTG.

State kept two-digit years after 2006 (``091523Z MAR 07``); ACP 127(G) allows four
(``011500Z JAN 2006``); both are read. Two-digit years pivot at 50 (the sample corpus runs
from 1966 to 2010).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from cablegram.model import Envelope, Precedence

MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")

TRANSMISSION_ID = re.compile(r"^\s*(V?ZCZC[A-Z0-9]{0,10})\s*$")
ROUTING_LINE = re.compile(r"^\s*(ZZ|OO|PP|RR)\s+((?:[A-Z]{4,8}\s*)+)$")
DE_LINE = re.compile(
    r"^\s*DE\s+([A-Z]{4,8})\s+#\s*([0-9]{1,7}[A-Z]?)(?:\s*/\s*([0-9]{1,3}))?(?:\s+([0-9]{3,7}))?\s*$"
)
SECURITY_LINE = re.compile(r"^\s*(ZN[RY]\s+[A-Z]{5}(?:/[A-Z]{5})?(?:\s+Z[A-Z]{2})*)\s*$")
PREAMBLE = re.compile(
    r"^\s*((?:[ZOPR]\s+){1,2})?([0-9]{6})\s*Z\s+([A-Z]{3})\s+([0-9]{2,4})\b(.*)$", re.IGNORECASE
)
_DTG = re.compile(r"([0-9]{2})([0-9]{2})([0-9]{2})\s*Z\s*([A-Za-z]{3})\s*([0-9]{2,4})")


@dataclass(frozen=True)
class Preamble:
    precedences: tuple[Precedence, ...]
    dtg: datetime | None


def expand_year(year: str) -> int:
    """Two-digit years pivot at 50; four-digit years are taken as they are."""
    value = int(year)
    if len(year) <= 2:
        return 1900 + value if value >= 50 else 2000 + value
    return value


def dtg(text: str) -> datetime | None:
    """Parse a date-time group ``091523Z MAR 07`` into an aware UTC datetime."""
    match = _DTG.search(text)
    if not match:
        return None
    day, hour, minute, month_name, year = match.groups()
    month_key = month_name.upper()
    if month_key not in MONTHS:
        return None
    try:
        return datetime(
            expand_year(year),
            MONTHS.index(month_key) + 1,
            int(day),
            int(hour),
            int(minute),
            tzinfo=UTC,
        )
    except ValueError:
        return None


def preamble(line: str) -> Preamble | None:
    """FL5: prosigns and DTG; None when the line is not a preamble."""
    match = PREAMBLE.match(line)
    if not match:
        return None
    prosigns = (match.group(1) or "").split()
    moment = dtg(line[match.start(2) :])
    if moment is None:
        return None
    return Preamble(tuple(Precedence.from_prosign(p) for p in prosigns), moment)


def envelope_lines(lines: list[str]) -> tuple[Envelope, datetime | None, dict[str, int]]:
    """Read FL1-FL5 from the header lines; returns the envelope, the DTG and where each
    format line was found (key -> 0-based line index)."""
    fields: dict[str, object] = {}
    where: dict[str, int] = {}
    moment: datetime | None = None
    for index, line in enumerate(lines):
        if "transmission_id" not in where and (m := TRANSMISSION_ID.match(line)):
            fields["transmission_id"] = m.group(1)
            where["transmission_id"] = index
        elif "routing" not in where and (m := ROUTING_LINE.match(line)):
            fields["routing_precedence"] = Precedence.from_prosign(m.group(1)[0])
            fields["delivering_stations"] = tuple(m.group(2).split())
            where["routing"] = index
        elif "de" not in where and (m := DE_LINE.match(line)):
            station, serial, section, filing = m.groups()
            fields["originating_station"] = station
            digits = re.sub(r"[A-Z]", "", serial)
            fields["station_serial"] = int(digits) if digits else None
            fields["section"] = int(section) if section else None
            fields["filing_time"] = filing
            where["de"] = index
        elif "security" not in where and (m := SECURITY_LINE.match(line)):
            fields["security_line"] = " ".join(m.group(1).split())
            where["security"] = index
        elif "preamble" not in where and (found := preamble(line)) is not None:
            fields["precedences"] = found.precedences
            moment = found.dtg
            where["preamble"] = index
    return Envelope(**fields), moment, where  # type: ignore[arg-type]
