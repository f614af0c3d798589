"""The REF list and canonical reference ids (spec §2.6).

Output field: ``references`` (`Reference`: canonical id when the reference is a cable,
else its kind; the text as written; letter; NOTAL).

Items are lettered ``A.``, ``(A)``, ``A)`` (or unlettered when there is one), one per line
or run together, separated by ``;``. A cable reference is ``[YY|YYYY] ORIGIN NNNNNN``:
``STATE 003773``, ``06 STATE 201804``, ``2007 MANAGUA 2135``, ``SECSTATE 74879``,
``RIO DE JAN 138``; a missing year is the citing cable's year. Non-cable references
(e-mails, ``SECDEF R162245Z OCT 08`` messages, memos, IIRs, OSC items) keep their text and
get a kind. ``(NOTAL)`` marks a reference not all addressees received.
"""

from __future__ import annotations

import re

from cablegram import reference as reference_data
from cablegram.model import Reference, ReferenceKind, canonical_id
from cablegram.read.envelope import expand_year

_LETTER = re.compile(r"^(?:\(([A-Z])\)|([A-Z])[.)])\s+(?=\S)")
_ITEM_START = re.compile(r"(?:^|(?<=[\s;,]))(?:\(([A-Z])\)|([A-Z])[.)])\s+(?=\S)")
_CABLE = re.compile(
    r"^(?:(?P<year>\d{2}|\d{4})\s*)?(?P<origin>[A-Z][A-Z .'\-]{1,30}?)\s*"
    r"(?P<serial>\d{1,7})\b(?P<rest>.*)$"
)
_NOTAL = re.compile(r"\(?\bNOTAL\b\)?", re.IGNORECASE)
_EMAIL = re.compile(r"\bE-?MAILS?\b|@", re.IGNORECASE)
_MESSAGE = re.compile(r"\b[ZOPR]?\s?\d{6}Z\s+[A-Z]{3}\s+\d{2,4}\b", re.IGNORECASE)
_DOCUMENT = re.compile(
    r"\b(MEMO(?:RANDUM)?|LETTER|TELCON|REPORT|IIR|NON-?PAPER|PAPER|FAX|NOTE|MEETING|"
    r"CONVERSATION|OSC|FBIS|DIPNOTE|DEMARCHE|BRIEFING|STATEMENT|PRESS|WEB ?SITE|"
    r"ARTICLE|MESSAGE|REQUEST|ANNUAL|ANNOUNCEMENT)\b",
    re.IGNORECASE,
)
_NOT_ORIGINS = frozenset(
    {"EMAIL", "E-MAIL", "IIR", "OSC", "FBIS", "TELCON", "MEMO", "NOTE", "PARA"}
)


def references(text: str, year: int | None = None) -> tuple[Reference, ...]:
    """Parse a REF list (with or without its ``REF:`` label); ``year`` is the citing
    cable's year, used for cable references written without one."""
    body = re.sub(r"^\s*REF(?:S|TEL|TELS)?\s*[:.]?\s*", "", text.strip(), flags=re.IGNORECASE)
    items = _split_items(body)
    return tuple(parsed for letter, item in items if (parsed := _reference(item, letter, year)))


def _split_items(body: str) -> list[tuple[str | None, str]]:
    flat = " ".join(body.split())
    starts = list(_ITEM_START.finditer(flat))
    # Lettered only when the letters run A, B, C ... from the start of the list.
    lettered = []
    expected = "A"
    for match in starts:
        letter = match.group(1) or match.group(2)
        if letter == expected:
            lettered.append(match)
            expected = chr(ord(expected) + 1)
    if not lettered or lettered[0].start() != 0:
        return [(None, piece) for piece in re.split(r"\s*;\s*", flat) if piece.strip()]
    items: list[tuple[str | None, str]] = []
    for index, match in enumerate(lettered):
        end = lettered[index + 1].start() if index + 1 < len(lettered) else len(flat)
        letter = match.group(1) or match.group(2)
        items.append((letter, flat[match.end() : end].strip(" ;,")))
    return items


def _reference(item: str, letter: str | None, year: int | None) -> Reference | None:
    text = item.strip(" ;,")
    if not text:
        return None
    notal = bool(_NOTAL.search(text))
    if notal:
        text = " ".join(_NOTAL.sub(" ", text).split())
    return Reference(
        text=text, kind=reference_kind(text), id=cable_id(text, year), letter=letter, notal=notal
    )


def cable_id(text: str, year: int | None) -> str | None:
    """The canonical id of a cable reference (``06 STATE 201804`` -> ``06STATE201804``)."""
    upper = text.upper()
    if _EMAIL.search(upper) or _MESSAGE.search(upper):
        return None
    match = _CABLE.match(upper)
    if not match:
        return None
    origin_written = " ".join(match.group("origin").split()).strip(" .-")
    if origin_written in _NOT_ORIGINS or not origin_written:
        return None
    origin = reference_data.canonical_origin(origin_written)
    if origin not in reference_data.known_origins():
        return None
    written_year = match.group("year")
    if written_year:
        full_year = expand_year(written_year)
    elif year is not None:
        full_year = year
    else:
        return None
    return canonical_id(full_year, origin, int(match.group("serial")))


def reference_kind(text: str) -> ReferenceKind:
    if cable_id(text, 2000) is not None:
        return ReferenceKind.CABLE
    if _EMAIL.search(text):
        return ReferenceKind.EMAIL
    if _MESSAGE.search(text):
        return ReferenceKind.MESSAGE
    if _DOCUMENT.search(text):
        return ReferenceKind.DOCUMENT
    return ReferenceKind.OTHER
