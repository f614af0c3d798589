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
#: A spaced banner or the end of a serial glued to the next word (``000409SIPDIS``).
_GLUED_BANNER = re.compile(
    r"(?<=\S)(?=S E C R E T |C O N F I D E N T I A L )|(?<=[0-9]{5})(?=[A-Z]{4})"
    r"|(?<=[A-Z])(?=E\.O\.\s?1\d{4})"
)
_HEAD_LINES = 400
_BANNER_ONLY = re.compile(
    r"^\W{0,12}(?:S ?E ?C ?R ?E ?T|C ?O ?N ?F ?I ?D ?E ?N ?T ?I ?A ?L|UNCLAS(?:SIFIED)?)\s*$"
)
_NUMBER_LINE = re.compile(r"^\s*(?:SECTION \d+ OF \d+ )?[A-Z][A-Z .'\-]{1,30} \d{3,8}\b")
_FIRST_PARAGRAPH = re.compile(r"^\s*1\s?\.\s")


def unglue(lines: list[str]) -> tuple[list[str], list[int]]:
    """Split header lines that a publisher glued together, and drop the backslash line
    continuations and tab field separators of leaked CSV rows.

    Returns the new lines and, for each, its 1-based line number in the original text.
    Only lines before the first paragraph (where the envelope and head live) are split, and only where a
    line holds two head labels (``E.O. 12958: N/A TAGS: PGOV``) or a glued banner: a
    single ``REF:`` inside a paragraph stays where it is.
    """
    result: list[str] = []
    numbers: list[int] = []
    in_head = True
    for number, line in enumerate(lines, start=1):
        text = line[:-1] if line.endswith("\\") else line
        pieces = text.split("\t") if "\t" in text else [text]
        for piece in pieces:
            if in_head and (number > _HEAD_LINES or _FIRST_PARAGRAPH.match(piece)):
                in_head = False
            parts = _split_glued(piece) if in_head and len(piece) > 12 else [piece]
            if in_head and result and _BANNER_ONLY.match(result[-1]) and _NUMBER_LINE.match(parts[0]):
                # "C O N F I D E N T I A L" with "BAKU 000687" on the next line.
                result[-1] = f"{result[-1].rstrip()} {parts.pop(0).strip()}"
            result.extend(parts)
            numbers.extend([number] * len(parts))
    return result, numbers


#: Cheap substring tests that every glued line passes (most lines fail all of them).
_GLUE_HINTS = (
    "E.O",
    "EO 1",
    "TAGS",
    "Tags",
    "SUBJ",
    "Subj",
    "REF",
    "Ref",
    "lassified",
    "LASSIFIED",
    "S E C R E T",
    "C O N F I D",
)
_SERIAL_GLUED = re.compile(r"\d{6}[A-Z]")


#: A classification line with the captions or passing instructions run on after the serial.
_BANNER_RUN_ON = re.compile(
    r"^(\W{0,12}(?:S ?E ?C ?R ?E ?T|C ?O ?N ?F ?I ?D ?E ?N ?T ?I ?A ?L|UNCLAS(?:SIFIED)?|"
    r"LIMITED OFFICIAL USE)\b[A-Z0-9 /]{0,60}?\s\d{5,6})\s+(?=\S)"
)


def _split_glued(line: str) -> list[str]:
    run_on = _BANNER_RUN_ON.match(line)
    if run_on:
        return [run_on.group(1), *_split_glued(line[run_on.end() :])]
    if not any(hint in line for hint in _GLUE_HINTS) and not _SERIAL_GLUED.search(line):
        return [line]
    labels = list(_LABEL.finditer(line))
    cuts = {m.start() for m in _GLUED_BANNER.finditer(line)}
    if len(labels) >= 2:
        cuts.update(m.start() for m in labels)
    cuts.discard(0)
    if not cuts:
        return [line]
    bounds = [0, *sorted(cuts), len(line)]
    parts = [line[start:end].strip() for start, end in zip(bounds, bounds[1:], strict=False)]
    return [part for part in parts if part]


def clean_lines(
    lines: list[str], numbers: list[int] | None = None
) -> tuple[list[str], list[Diagnostic]]:
    """The lines with artefacts removed, and a diagnostic per kind of repair made;
    ``numbers`` gives each line's number in the original text (default: its position)."""
    cleaned: list[str] = []
    repairs: dict[str, list[int]] = {}
    for position, line in enumerate(lines):
        number = numbers[position] if numbers is not None else position + 1
        new = line
        if "](" in new:
            stripped = _PILCROW_LINK.sub("", new)
            stripped = _LINK.sub(r"\1", stripped)
            if stripped != new:
                repairs.setdefault("cleanup.link-residue", []).append(number)
                new = stripped
        if "¶" in new:
            new = new.replace("¶", "")
            repairs.setdefault("cleanup.pilcrow", []).append(number)
        if _CONTROL.search(new):
            new = _CONTROL.sub("", new)
            repairs.setdefault("cleanup.control-characters", []).append(number)
        new = _SPACES.sub(" ", new).rstrip()
        cleaned.append(new)
    diagnostics = [
        Diagnostic(code, _REPAIR_MESSAGES[code].format(count=len(numbers)), numbers[0], numbers[-1])
        for code, numbers in repairs.items()
    ]
    return cleaned, diagnostics


_REPAIR_MESSAGES = {
    "cleanup.link-residue": "removed web link residue on {count} line(s)",
    "cleanup.pilcrow": "removed pilcrow signs on {count} line(s)",
    "cleanup.control-characters": "removed control characters on {count} line(s)",
}


def squeeze(text: str) -> str:
    """Collapse runs of whitespace to single spaces and trim."""
    return " ".join(text.split())
