"""Finding the line of a field in a cable's original text, so findings can point at it.

The model keeps values, not positions, so the linter searches ``Cable.original_text`` for
the line that carries the offending field: the line starting ``TAGS:``, the caption line
``SIPDIS``, the first line mentioning a routing indicator, the line where a paragraph's
text begins. Real copies carry scraping residue before the fields (``[1](#)1. (SBU)``,
``¶9. (C)`` in the seed 07MOSCOW1002), and wrap a paragraph anywhere, so paragraphs are
found by their first words with any whitespace between them, searching forward from the
previous paragraph (two paragraphs of the seed open with "DFM Kislyak asked whether").
A field that cannot be found has no line (None); a hand-built cable has no text at all.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from functools import cached_property

from cablegram.model import Paragraph

#: Words of a paragraph's opening used to find it; enough to tell paragraphs apart.
_OPENING_WORDS = 8

# How each field's line starts (for `Locator.starting`; spec §1.3-§1.6, §2.1-§2.6).
FL2_LINE = r"(?:ZZ|OO|PP|RR)\s"
FL3_LINE = r"DE\s"
FL4_LINE = r"ZN[RY]\s"
CLASSIFICATION_LINE = (
    r"(?:T\s?O\s?P\s+)?S\s?E\s?C\s?R\s?E\s?T\b|C\s?O\s?N\s?F\s?I\s?D\s?E\s?N\s?T\s?I\s?A\s?L\b"
    r"|UNCLAS|LIMITED\s+OFFICIAL\s+USE"
)
EO_LINE = r"E\.?\s?O\.?\s*\d{4,5}|DECL\b"
TAGS_LINE = r"TAGS?\b"
SUBJECT_LINE = r"SUBJ(?:ECT)?\b"
CLASSIFIED_BY_LINE = r"(?:U\)\s*)?CLASSIFIED\s+BY\b"


class Locator:
    def __init__(self, text: str, paragraphs: Sequence[Paragraph] = ()) -> None:
        self._text = text.replace("\r\n", "\n").replace("\r", "\n")
        self._lines = self._text.split("\n") if self._text else []
        self._paragraphs = tuple(paragraphs)
        self._starts = [0]
        for line in self._lines[:-1]:
            self._starts.append(self._starts[-1] + len(line) + 1)

    def line_of_offset(self, offset: int) -> int:
        return bisect_right(self._starts, offset)

    def starting(self, pattern: str) -> int | None:
        """The first line that starts (after spaces and markup residue) with ``pattern``,
        a regular expression matched without regard to case."""
        compiled = re.compile(r"[\s\[\]()#¶*]*(?:" + pattern + ")", re.IGNORECASE)
        for number, line in enumerate(self._lines, start=1):
            if compiled.match(line):
                return number
        return None

    def exact(self, text: str) -> int | None:
        """The first line that is ``text`` alone (spaces and case ignored)."""
        wanted = " ".join(text.split()).upper()
        for number, line in enumerate(self._lines, start=1):
            if " ".join(line.split()).upper() == wanted:
                return number
        return None

    def word(self, word: str, after: int | None = None) -> int | None:
        """The first line (at or after line ``after``) containing ``word`` as a whole word."""
        compiled = re.compile(rf"(?<![A-Za-z0-9]){re.escape(word)}(?![A-Za-z0-9])", re.IGNORECASE)
        first = (after or 1) - 1
        for number, line in enumerate(self._lines[first:], start=first + 1):
            if compiled.search(line):
                return number
        return None

    def paragraph(self, index: int) -> int | None:
        """The line where the cable's paragraph number ``index`` (0-based) begins."""
        return self._paragraph_lines[index]

    @cached_property
    def _paragraph_lines(self) -> tuple[int | None, ...]:
        lines: list[int | None] = []
        position = 0
        for paragraph in self._paragraphs:
            words = paragraph.text.split()[:_OPENING_WORDS]
            match = None
            if words:
                pattern = r"\s+".join(re.escape(word) for word in words)
                match = re.compile(pattern).search(self._text, position)
            if match is None:
                lines.append(None)
                continue
            lines.append(self.line_of_offset(match.start()))
            position = match.end()
        return tuple(lines)
