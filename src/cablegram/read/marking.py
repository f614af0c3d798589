"""Portion markings: the ``(S/NF)`` after a paragraph number (spec §2.7).

Forms seen in the sample corpus, by frequency: ``C``, ``SBU``, ``U``, ``S``, ``S/NF``,
``C/NF``, ``S//NF``, ``SBU/NF``, ``C//NF``, ``C/REL NATO``, ``U//FOUO``,
``C//REL TO USA, KEN, GBR//``, ``S/REL TO NATO/AUS``, ``S//FGI//NF``, ``SBU/N``,
``C/NOFORN``, ``S//REL MLT, GBR, AND GER``. Release lists are split on commas, slashes and
"and"; ``NF``, ``N`` and ``NOFORN`` all mean NOFORN.
"""

from __future__ import annotations

import functools
import re

from cablegram.model import Level, Marking

_LEVELS = {
    "U": Level.UNCLASSIFIED,
    "UNCLAS": Level.UNCLASSIFIED,
    "UNCLASSIFIED": Level.UNCLASSIFIED,
    "SBU": Level.SBU,
    "LOU": Level.LOU,
    "C": Level.CONFIDENTIAL,
    "CONFIDENTIAL": Level.CONFIDENTIAL,
    "S": Level.SECRET,
    "SECRET": Level.SECRET,
    "TS": Level.TOP_SECRET,
    "TOP SECRET": Level.TOP_SECRET,
}
_CAVEATS = {
    "NF": "NOFORN",
    "N": "NOFORN",
    "NOFORN": "NOFORN",
    "ORCON": "ORCON",
    "OC": "ORCON",
    "PROPIN": "PROPIN",
    "PR": "PROPIN",
    "FGI": "FGI",
    "FOUO": "FOUO",
}
_REL_SUFFIX = re.compile(r"/+\s*REL\b.*$")
_REL = re.compile(r"^REL(?:\s+TO)?\s+(.+)$")
_LIST_SPLIT = re.compile(r"\s*(?:,|/|\bAND\b)\s*")


@functools.lru_cache(maxsize=1024)
def portion_marking(text: str) -> Marking | None:
    """Parse the inside of a portion mark (``S/NF``); None when it is not a marking.
    Cached: a corpus writes few distinct marks, and `Marking` is immutable."""
    body = " ".join(text.upper().split()).strip("/ ")
    if not body:
        return None
    rel_match = _REL_SUFFIX.search(body) if "REL" in body else None
    rel_to: tuple[str, ...] = ()
    if rel_match:
        rel_text = rel_match.group(0).lstrip("/ ").rstrip("/ ")
        body = body[: rel_match.start()]
        match = _REL.match(rel_text)
        if match:
            rel_to = tuple(c for c in _LIST_SPLIT.split(match.group(1)) if c)
    pieces = [piece for piece in body.split("/") if piece]
    if not pieces or pieces[0] not in _LEVELS:
        return None
    level = _LEVELS[pieces[0]]
    caveats = set()
    for piece in pieces[1:]:
        caveat = _CAVEATS.get(piece)
        if caveat is None:
            return None
        caveats.add(caveat)
    return Marking(level, frozenset(caveats), rel_to)
