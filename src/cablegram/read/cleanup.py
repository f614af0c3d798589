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

from cablegram.model import Diagnostic

_PILCROW_LINK = re.compile(r"\[1\]\(#\)")
_LINK = re.compile(r"\[([^\[\]\n]{1,200})\]\(#?[^()\s]{0,200}\)")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b\u200c\u200d\ufeff]")
_SPACES = re.compile(r"[\t\u00a0\u2000-\u200a\u202f\u3000]")


def split_lines(text: str) -> list[str]:
    """Lines of the text with any newline convention."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


#: Head labels that begin a line of their own in a well-formed cable.
_LABEL = re.compile(
    r"(?:E\.O\.\s?1\d{4}|\bEO 1\d{4}\b|(?<![A-Za-z])(?:TAGS:|SUBJECT:|SUBJ:|REF:|Classified By:))",
    re.IGNORECASE,
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
        text = line[:-1] if line.endswith("\\") else line
        for piece in text.split("\t") if "\t" in text else [text]:
            parts = _split_glued(piece) if len(piece) > 12 else [piece]
            if (
                result
                and len(result[-1]) < 40
                and _BANNER_ONLY.match(result[-1])
                and _NUMBER_LINE.match(parts[0])
            ):
                # "C O N F I D E N T I A L" with "BAKU 000687" on the next line.
                merged = _split_glued(f"{result[-1].rstrip()} {parts.pop(0).strip()}")
                result[-1:] = merged
                numbers.extend([numbers[-1]] * (len(merged) - 1))
            result.extend(parts)
            numbers.extend([number] * len(parts))
    # The body keeps its lines; tabs there are spacing, not CSV field separators.
    body = lines[head_end:]
    if any(line.endswith("\\") for line in body):
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


def _split_glued(line: str) -> list[str]:
    if line[0] == "R" and "/" in line[4:9]:
        return [line]  # an address line: "RUEHC/SECSTATE WASHDC PRIORITY 8096"
    run_on = _BANNER_RUN_ON.match(line)
    if run_on:
        return [run_on.group(1), *_split_glued(line[run_on.end() :])]
    cuts = set()
    if " E C " in line or " O N " in line:
        for banner in ("S E C R E T ", "C O N F I D E N T I A L "):
            found = line.find(banner)
            if found > 0 and not line[found - 1].isspace():
                cuts.add(found)
    if (
        "E.O." in line
        or "TAGS" in line
        or "SUBJ" in line
        or "REF" in line
        or "lassified" in line
        or "LASSIFIED" in line
        or "EO 1" in line
        or "Tags" in line
        or "Subj" in line
        or "Ref" in line
    ):
        cuts.update(m.start() for m in _GLUED_LABEL.finditer(line))
        labels = [m.start() for m in _LABEL.finditer(line)]
        if len(labels) >= 2:
            cuts.update(labels)
    cuts.update(m.start() + 5 for m in _SERIAL_GLUED.finditer(line))
    cuts.discard(0)
    if not cuts:
        return [line]
    bounds = [0, *sorted(cuts), len(line)]
    parts = [line[start:end].strip() for start, end in itertools.pairwise(bounds)]
    return [part for part in parts if part]


def clean_lines(
    lines: list[str], numbers: list[int] | None = None
) -> tuple[list[str], list[Diagnostic]]:
    """The lines with artefacts removed, and a diagnostic per kind of repair made;
    ``numbers`` gives each line's number in the original text (default: its position)."""
    joined = "\n".join(lines)
    line_numbers = numbers if numbers is not None else list(range(1, len(lines) + 1))
    repairs: dict[str, tuple[int, int, int]] = {}
    for code, hint, pattern, replacement in _REPAIRS:
        if hint is not None and hint not in joined:
            continue
        found = [match.start() for match in pattern.finditer(joined)]
        if not found:
            continue
        first = line_numbers[joined.count("\n", 0, found[0])]
        last = line_numbers[joined.count("\n", 0, found[-1])]
        count, low, high = repairs.get(code, (0, first, last))
        repairs[code] = (count + len(found), min(low, first), max(high, last))
        joined = pattern.sub(replacement, joined)
    diagnostics = [
        Diagnostic(code, _REPAIR_MESSAGES[code].format(count=count), low, high)
        for code, (count, low, high) in repairs.items()
    ]
    if _SPACES.search(joined):
        joined = _SPACES.sub(" ", joined)
    return [line.rstrip() for line in joined.split("\n")], diagnostics


_REPAIR_MESSAGES = {
    "cleanup.link-residue": "removed {count} web link residue(s)",
    "cleanup.pilcrow": "removed {count} pilcrow sign(s)",
    "cleanup.control-characters": "removed {count} control character(s)",
}
#: (diagnostic code, cheap substring hint, pattern, replacement), applied in order.
_REPAIRS: tuple[tuple[str, str | None, re.Pattern[str], str], ...] = (
    ("cleanup.link-residue", "](", _PILCROW_LINK, ""),
    ("cleanup.link-residue", "](", _LINK, r"\1"),
    ("cleanup.pilcrow", "¶", re.compile("¶"), ""),
    ("cleanup.control-characters", None, _CONTROL, ""),
)


def squeeze(text: str) -> str:
    """Collapse runs of whitespace to single spaces and trim."""
    return " ".join(text.split())
