"""Artefact normalisation: undo what web scraping and retyping did to a cable.

Works line by line and never adds or removes a line, so that diagnostics keep pointing at
lines of the original text. Repairs seen in real copies:

* markdown link residue from scraped pages: ``[1](#)`` stood for a pilcrow link and is
  dropped; ``[IAEA](#)`` keeps its text (seed 07MOSCOW1002, TAGS line);
* pilcrows ``¶`` before paragraph numbers (``¶9. (C)``);
* carriage returns, tabs, non-breaking and zero-width spaces, control characters;
* the publisher's line-continuation backslash at the end of header lines.

Repairs that need context (a pilcrow turned into a digit, ``14. (C)`` for paragraph 4;
captions dropped inside a paragraph; page-break lines) are made by the paragraph reader.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from cablegram.model import Diagnostic

_PILCROW_LINK = re.compile(r"\[1\]\(#\)")
_LINK = re.compile(r"\[([^\[\]\n]{1,200})\]\(#?[^()\s]{0,200}\)")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b\u200c\u200d\ufeff]")
_SPACES = re.compile(r"[\t\u00a0\u2000-\u200a\u202f\u3000]")


def split_lines(text: str) -> list[str]:
    """Lines of the text with any newline convention."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


#: Head labels that begin a line of their own in a well-formed cable.
#: The first letter is matched alone so the search can skip ahead; `_labels` checks the
#: word boundary before EO and the labels that need one.
_LABEL = re.compile(
    r"[ETSRC](?:\.O\.\s?1\d{4}|O 1\d{4}\b|AGS:|UBJECT:|UBJ:|EF:|lassified By:)", re.IGNORECASE
)
#: The end of a serial glued to the next word (``000409SIPDIS``).
_SERIAL_GLUED = re.compile(r"[0-9]{5}(?=[A-Z]{3})")
#: An E.O. label glued to the word before it (``BEN-YEHUDAE.O. 12958``).
_GLUED_LABEL = re.compile(r"(?<=[A-Z0-9])E\.O\.\s?1\d{4}")
_HEAD_LINES = 400
_BANNER_ONLY = re.compile(
    r"^\W{0,12}(?:S ?E ?C ?R ?E ?T|C ?O ?N ?F ?I ?D ?E ?N ?T ?I ?A ?L|UNCLAS(?:SIFIED)?)\s*$"
)
_NUMBER_LINE = re.compile(r"^\s*(?:SECTION \d+ OF \d+ )?[A-Z][A-Z .'\-]{1,30} \d{3,8}\b")
_FIRST_PARAGRAPH = re.compile(r"^\s*1\s?\.\s")
_PARAGRAPH_ONE = frozenset({"1.", "1 "})


def unglue(lines: list[str]) -> tuple[list[str], list[int]]:
    """Split header lines that a publisher glued together, and drop the backslash line
    continuations and tab field separators of leaked CSV rows.

    Returns the new lines and, for each, its 1-based line number in the original text.
    Only lines before the first paragraph (where the envelope and head live) are split,
    and only where a line holds two head labels (``E.O. 12958: N/A TAGS: PGOV``) or a
    glued banner: a single ``REF:`` inside a paragraph stays where it is.
    """
    head_end = _head_end(lines)
    glue = _Glue.of("\n".join(lines[:head_end]))
    result: list[str] = []
    numbers: list[int] = []
    for number, line in enumerate(lines[:head_end], start=1):
        if len(line) <= 12 or (
            line[0] == "R" and "/" in line[4:9] and "\t" not in line and line[-1] != "\\"
        ):
            # Short lines and address lines ("RUEHC/SECSTATE WASHDC PRIORITY 8096") are whole.
            result.append(line)
            numbers.append(number)
            continue
        text = line[:-1] if line[-1] == "\\" else line
        for piece in text.split("\t") if "\t" in text else [text]:
            parts = glue.split(piece) if len(piece) > 12 else [piece]
            if (
                result
                and len(result[-1]) < 40
                and _BANNER_ONLY.match(result[-1])
                and _NUMBER_LINE.match(parts[0])
            ):
                # "C O N F I D E N T I A L" with "BAKU 000687" on the next line.
                merged = _ANY_GLUE.split(f"{result[-1].rstrip()} {parts.pop(0).strip()}")
                result[-1:] = merged
                numbers.extend([numbers[-1]] * (len(merged) - 1))
            result.extend(parts)
            numbers.extend([number] * len(parts))
    # The body keeps its lines; tabs there are spacing, not CSV field separators.
    body = lines[head_end:]
    if "\\" in "".join(body):
        body = [line[:-1] if line.endswith("\\") else line for line in body]
    result.extend(body)
    numbers.extend(range(head_end + 1, len(lines) + 1))
    return result, numbers


def _head_end(lines: list[str]) -> int:
    """The index of the first paragraph line (the head ends there), at most _HEAD_LINES."""
    for index, line in enumerate(lines[:_HEAD_LINES]):
        if line[:8].lstrip()[:2] in _PARAGRAPH_ONE and _FIRST_PARAGRAPH.match(line):
            return index
    return min(len(lines), _HEAD_LINES)


#: A classification line with the captions or passing instructions run on after the serial.
_BANNER_RUN_ON = re.compile(
    r"^(\W{0,12}(?:S ?E ?C ?R ?E ?T|C ?O ?N ?F ?I ?D ?E ?N ?T ?I ?A ?L|UNCLAS(?:SIFIED)?|"
    r"LIMITED OFFICIAL USE)\b[A-Z0-9 /]{0,60}?\s\d{5,6})\s+(?=\S)"
)
#: Substrings without which a line holds no head label (a cheap test before _LABEL).
_LABEL_HINT = re.compile(r"E\.O\.|TAGS|SUBJ|REF|lassified|LASSIFIED|EO 1|Tags|Subj|Ref")
#: Digits to "0" and capitals to "A": a serial glued to a word is then b"00000AAA".
_DIGITS_AND_CAPITALS = bytes.maketrans(
    b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"0" * 10 + b"A" * 26
)


def _may_hold_glued_serial(text: str) -> bool:
    """A fast necessary test for _SERIAL_GLUED (five times faster than the search)."""
    ascii_text = text.encode("ascii", "replace")
    return b"00000AAA" in ascii_text.translate(_DIGITS_AND_CAPITALS)


@dataclass(frozen=True)
class _Glue:
    """Which kinds of glue a head may hold, found by one scan of the whole head, so that
    the line-by-line splitting skips the searches that cannot find anything."""

    banners: bool
    labels: bool
    serials: bool

    @classmethod
    def of(cls, head: str) -> _Glue:
        return cls(
            banners=" E C " in head or " O N " in head,
            labels=_LABEL_HINT.search(head) is not None,
            serials=_may_hold_glued_serial(head),
        )

    def split(self, line: str) -> list[str]:
        if line[0] == "R" and "/" in line[4:9]:
            return [line]  # an address line: "RUEHC/SECSTATE WASHDC PRIORITY 8096"
        run_on = _BANNER_RUN_ON.match(line)
        if run_on:
            return [run_on.group(1), *self.split(line[run_on.end() :])]
        cuts = set()
        if self.banners and (" E C " in line or " O N " in line):
            for banner in ("S E C R E T ", "C O N F I D E N T I A L "):
                found = line.find(banner)
                if found > 0 and not line[found - 1].isspace():
                    cuts.add(found)
        if self.labels and _LABEL_HINT.search(line):
            cuts.update(m.start() for m in _GLUED_LABEL.finditer(line))
            labels = _labels(line)
            if len(labels) >= 2:
                cuts.update(labels)
        if self.serials:
            cuts.update(m.start() + 5 for m in _SERIAL_GLUED.finditer(line))
        cuts.discard(0)
        if not cuts:
            return [line]
        bounds = [0, *sorted(cuts), len(line)]
        parts = [line[start:end].strip() for start, end in itertools.pairwise(bounds)]
        return [part for part in parts if part]


def _labels(line: str) -> list[int]:
    """Where head labels start in the line (``E.O. 12958``, ``TAGS:``, ``SUBJECT:`` ...)."""
    found = []
    for match in _LABEL.finditer(line):
        start = match.start()
        before = line[start - 1] if start else " "
        if match.group()[1] == ".":  # E.O. may be glued to the word before it
            found.append(start)
        elif match.group()[1] in "Oo":  # EO 12958: a whole word
            if not before.isalnum() and before != "_":
                found.append(start)
        elif not (before.isascii() and before.isalpha()):
            found.append(start)
    return found


#: Every kind of glue: for text made after the scan.
_ANY_GLUE = _Glue(banners=True, labels=True, serials=True)


def clean_lines(
    lines: list[str], numbers: list[int] | None = None
) -> tuple[list[str], list[Diagnostic]]:
    """The lines with artefacts removed, and a diagnostic per kind of repair made;
    ``numbers`` gives each line's number in the original text (default: its position)."""
    joined = "\n".join(lines)
    line_numbers = numbers if numbers is not None else list(range(1, len(lines) + 1))
    repairs: dict[str, tuple[int, int, int]] = {}

    def record(code: str, count: int, first_at: int, last_at: int) -> None:
        first = line_numbers[joined.count("\n", 0, first_at)]
        last = line_numbers[joined.count("\n", 0, last_at)]
        before, low, high = repairs.get(code, (0, first, last))
        repairs[code] = (before + count, min(low, first), max(high, last))

    # Fast string scans decide which repairs are needed: most texts need none.
    if "](" in joined:
        for pattern, replacement in ((_PILCROW_LINK, ""), (_LINK, r"\1")):
            found = [match.start() for match in pattern.finditer(joined)]
            if found:
                record("cleanup.link-residue", len(found), found[0], found[-1])
                joined = pattern.sub(replacement, joined)
    if not joined.isascii() and "¶" in joined:  # isascii is a flag test, "in" a scan
        record("cleanup.pilcrow", joined.count("¶"), joined.find("¶"), joined.rfind("¶"))
        joined = joined.replace("¶", "")
    if not _printable(joined):
        found = [match.start() for match in _CONTROL.finditer(joined)]
        if found:
            record("cleanup.control-characters", len(found), found[0], found[-1])
            joined = _CONTROL.sub("", joined)
        joined = _SPACES.sub(" ", joined)
    elif not repairs:
        return [line.rstrip() for line in lines], []
    diagnostics = [
        Diagnostic(code, _REPAIR_MESSAGES[code].format(count=count), low, high)
        for code, (count, low, high) in repairs.items()
    ]
    return [line.rstrip() for line in joined.split("\n")], diagnostics


#: Printable ASCII and the newline: deleting them leaves the characters to repair.
_PRINTABLE_ASCII = bytes(range(32, 127)) + b"\n"


def _printable(text: str) -> bool:
    """Whether the text, newlines aside, is free of control characters and odd spaces
    (all of which are non-printable); the ASCII test is ten times faster than isprintable."""
    if text.isascii():
        return not text.encode("ascii").translate(None, _PRINTABLE_ASCII)
    return text.replace("\n", "").isprintable()


_REPAIR_MESSAGES = {
    "cleanup.link-residue": "removed {count} web link residue(s)",
    "cleanup.pilcrow": "removed {count} pilcrow sign(s)",
    "cleanup.control-characters": "removed {count} control character(s)",
}


def squeeze(text: str) -> str:
    """Collapse runs of whitespace to single spaces and trim."""
    return " ".join(text.split())
