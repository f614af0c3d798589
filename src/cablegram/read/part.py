"""Multi-part cables: "This is part two of a two-part cable ... Part one is Ref G."

Output field: ``part`` (number, total, and the other parts: canonical ids of the
references that are the other parts, or the reference letter when it is not resolved).
"""

from __future__ import annotations

import re

from cablegram.model import Paragraph, Part, Reference

_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8}
_WORD = r"(one|two|three|four|five|six|seven|eight|\d{1,2}|i{1,3}|iv|v)"
#: Matched without a leading \b, which would slow the search; `part` checks the boundary.
_PART = re.compile(
    rf"part\s+{_WORD}\s+of\s+(?:a|an|the)?\s*{_WORD}[\s-]+part\s+(?:cable|message|series|report|telegram)",
    re.IGNORECASE,
)
#: `_PART` for lower-cased ASCII text: faster than a case-insensitive search.
_PART_LOWER = re.compile(_PART.pattern)
_OTHER = re.compile(
    rf"\bpart\s+{_WORD}\s+(?:is|was)\s+\(?\s*(?:ref(?:tel)?|reference)\s+([A-Z])\b", re.IGNORECASE
)
_WORD_CHARACTER = re.compile(r"\w")
_OPENING_PARAGRAPHS = 3
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5}


def _number(word: str) -> int:
    lower = word.lower()
    if lower.isdigit():
        return int(lower)
    return _NUMBERS.get(lower) or _ROMAN[lower]


def part(paragraphs: tuple[Paragraph, ...], references: tuple[Reference, ...]) -> Part | None:
    # The text says so at its start: the introduction or the first paragraphs.
    for paragraph in paragraphs[:_OPENING_PARAGRAPHS]:
        text = paragraph.text
        if "part" not in text and "PART" not in text and "Part" not in text:
            continue
        searched, pattern = (text.lower(), _PART_LOWER) if text.isascii() else (text, _PART)
        match = next(
            (
                found
                for found in pattern.finditer(searched)
                if found.start() == 0 or not _WORD_CHARACTER.match(searched, found.start() - 1)
            ),
            None,
        )
        if match is None:
            continue
        number, total = _number(match.group(1)), _number(match.group(2))
        by_letter = {ref.letter: ref for ref in references if ref.letter}
        other: list[str] = []
        for other_match in _OTHER.finditer(paragraph.text):
            letter = other_match.group(2).upper()
            cited = by_letter.get(letter)
            resolved = cited.id if cited is not None and cited.id else letter
            if resolved not in other:
                other.append(resolved)
        return Part(number, total, tuple(other))
    return None
