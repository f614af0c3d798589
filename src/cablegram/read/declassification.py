"""The E.O. line: declassification instructions (spec §2.3).

Output field: ``declassification`` (order; a date, an exemption code, an event, or N/A).

``E.O. 12958: DECL: 03/01/2017`` · ``E.O. 12958: N/A`` · ``EO 12958 DECL: 12/31/2034`` ·
``decl: 6/30/08`` · ``DECL: 2017/03/01`` · ``DECL: OADR`` · ``DECL: 1.6X1`` · ``DECL: 25X1``
· ``DECL: TWENTY YEARS`` (an event-like instruction, kept as text) · ``DNG: CO 12/31/2010``.
Exemption codes: OADR (E.O. 12356), X1-X8 and 1.6X1 (E.O. 12958 §1.6(d)), 25X1-25X9 and
50X1-HUM / 50X2-WMD (E.O. 13526 §3.3).
"""

from __future__ import annotations

import re
from datetime import date

from cablegram.model import Declassification, DeclassificationKind
from cablegram.read.envelope import expand_year

EO_LINE = re.compile(r"^\s*E\.?\s?O\.?\s*(\d{4,5})?\s*[:;.]?\s*(.*)$", re.IGNORECASE)
_DECL = re.compile(r"^(?:DECL\w*|DNG|DECLASSIFY\s+ON)\s*[:;.]?\s*", re.IGNORECASE)
_NOT_APPLICABLE = re.compile(r"^N\s?/?\s?A\b", re.IGNORECASE)
_US_DATE = re.compile(r"\b(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{2,4})\b")
_ISO_DATE = re.compile(r"\b(\d{4})\s*[/-]\s*(\d{1,2})\s*[/-]\s*(\d{1,2})\b")
EXEMPTION = re.compile(
    r"^(?:OADR|(?:1\.[56]\s*)?X[1-8]|25X[1-9](?:\s*,\s*25X[1-9])*|50X[12](?:-(?:HUM|WMD))?|MR)\b",
    re.IGNORECASE,
)


def declassification(text: str) -> Declassification | None:
    """Parse an E.O. line; None when the fragment carries no E.O. instruction."""
    line = " ".join(text.split())
    match = EO_LINE.match(line)
    if not match:
        return None
    order, rest = match.group(1), match.group(2).strip()
    rest = re.sub(r"\s+TAGS?\s*:.*$", "", rest, flags=re.IGNORECASE).rstrip(" \\.")
    if _NOT_APPLICABLE.match(rest):
        return Declassification(order, DeclassificationKind.NOT_APPLICABLE)
    instruction = _DECL.sub("", rest, count=1).strip()
    if not instruction:
        return None
    when = parse_date(instruction)
    if when is not None:
        return Declassification(order, DeclassificationKind.DATE, date=when)
    if EXEMPTION.match(instruction):
        return Declassification(
            order, DeclassificationKind.EXEMPTION, exemption=instruction.upper()
        )
    return Declassification(order, DeclassificationKind.EVENT, event=instruction)


def parse_date(text: str) -> date | None:
    """``03/01/2017``, ``6/30/08``, ``2017/03/01`` -> a date (month first, as State writes)."""
    iso = _ISO_DATE.search(text)
    try:
        if iso:
            return date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        us = _US_DATE.search(text)
        if us:
            return date(expand_year(us.group(3)), int(us.group(1)), int(us.group(2)))
    except ValueError:
        return None
    return None
