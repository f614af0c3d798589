"""The TAGS line (spec §2.5).

Output field: ``tags`` (`Tag` with kind and, for geographic codes, the era whose table
decides the meaning: RS is Russia in Cablegate-era cables and Serbia today).

``TAGS: PREL PGOV ECON`` — space or comma separated, may wrap onto following lines until
SUBJECT or a blank line. Personal names follow OVIP/OREP in parentheses:
``OVIP (STEINBERG, JAMES B.)``. Variants seen: ``TAGS PREL``, ``TAGS:PREL,PGOV``,
``TAGSC:``/``TAGS;`` (OCR), markdown link residue (removed by cleanup), lowercase.
"""

from __future__ import annotations

import re
from datetime import date

from cablegram import reference as reference_data
from cablegram.model import Tag, TagEra, TagKind

TAGS_LABEL = re.compile(r"^\s*TAGS?(?:[A-Z](?=[:;]))?\s*[:;.]?\s*", re.IGNORECASE)
_PERSON = re.compile(r"\(([^()]*)\)")
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9&\-_.]*")


def tags(text: str, on: date | None = None) -> tuple[Tag, ...]:
    """Parse a TAGS fragment; ``on`` (the cable's date) picks the geographic era."""
    era = reference_data.geographic_era(on)
    body = TAGS_LABEL.sub("", text.strip(), count=1) if TAGS_LABEL.match(text) else text
    found: list[Tag] = []
    seen: set[str] = set()
    position = 0
    for person in _PERSON.finditer(body):
        _add_codes(body[position : person.start()], era, found, seen)
        name = " ".join(person.group(1).split()).strip(" ,")
        if name and name.upper() not in seen:
            seen.add(name.upper())
            found.append(Tag(name, TagKind.PERSON, None))
        position = person.end()
    _add_codes(body[position:], era, found, seen)
    return tuple(found)


def _add_codes(chunk: str, era: TagEra, found: list[Tag], seen: set[str]) -> None:
    for token in _TOKEN.findall(chunk.replace(",", " ")):
        code = token.strip(".-_").upper()
        if not code or code in seen:
            continue
        seen.add(code)
        kind, tag_era = reference_data.classify_tag(code, era)
        found.append(Tag(code, kind, tag_era))
