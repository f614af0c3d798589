"""The text of a cable: marked paragraphs, headings, page breaks and the signature.

Output fields: ``paragraphs`` (number, portion marking, heading, text) and ``signature``.

Paragraphs are numbered ``1. (C) text`` (spec §2.7); unnumbered text before the first one
(an introduction) becomes a paragraph with number None. Repairs made here, each reported as
a diagnostic:

* a pilcrow scraped into the digit ``1``: ``14. (C)`` where paragraph 4 is due (seed);
* captions dropped inside the text (``SIPDIS`` in the middle of a sentence), page header
  lines (``NEW DELHI 00009127 006 OF 006``), repeated section envelopes and ``BT``/``NNNN``
  trailers: removed, and the text on both sides joined when the sentence runs on;
* page breaks: a blank line inside a sentence (no terminal punctuation before it, a
  lowercase word after it) joins the two halves.

Text is reflowed by the inverse of greedy wrapping at 69 columns: a line and the next are
joined when the next line's first word would not have fitted; otherwise the break is kept.
A short unpunctuated block just before a numbered paragraph is that paragraph's heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cablegram.model import Diagnostic, Marking, Paragraph
from cablegram.read.classification import CLASSIFICATION_LINE
from cablegram.read.envelope import DE_LINE, SECURITY_LINE, TRANSMISSION_ID
from cablegram.read.marking import portion_marking

WRAP_WIDTH = 69
TERMINAL = tuple(".?!:\"')]")
HEADING_TERMINAL = tuple(".?!:;,\"'")
_START = re.compile(r"^\s*(\d{1,3})\s*\.\s*(?:\(([A-Za-z/ ,]{1,80})\)\s*:?\s*)?(?=\S|$)(.*)$")
_PAGE_HEADER = re.compile(r"^\s*[A-Z][A-Z .'\-]{1,30}\s+\d{6,8}\s+\d{3}(?:\.\d)?\s+OF\s+\d{3}\s*$")
_TRAILER = re.compile(r"^\s*(?:BT|NNNN|#\s?\d{1,4}|\d?CR \d?LF.*)\s*$")
_RULE = re.compile(r"^\s*[-=_*]{3,}[-=_* ]*$")
_SIGNATURE = re.compile(r"^[A-Z][A-Z'.\-]{1,25}(?: [A-Z][A-Z'.\-]{1,25}){0,2}$")
_STRAY_CAPTIONS = frozenset({"SIPDIS", "NOFORN", "SENSITIVE"})
#: The first characters of envelope, trailer and rule lines.
_ARTEFACT_FIRST = frozenset("VZDBN#-=_*0123456789")


#: A body line: (1-based line number in the original text, stripped text).
_Line = tuple[int, str]


@dataclass
class _Segment:
    """A numbered paragraph (or the unnumbered text before the first) and its lines."""

    number: int | None
    marking: Marking | None
    prefix_width: int
    lines: list[_Line | None] = field(default_factory=list)
    """Body lines; None marks a removed artefact line (a join point)."""


@dataclass(frozen=True)
class Body:
    paragraphs: tuple[Paragraph, ...]
    signature: str | None
    diagnostics: tuple[Diagnostic, ...]


def read_body(lines: list[str], numbers: list[int] | None = None) -> Body:
    """Read the text of a cable from its body lines (cleaned); ``numbers`` holds each
    line's 1-based number in the original text, for diagnostics."""
    diagnostics: list[Diagnostic] = []
    line_numbers = numbers if numbers is not None else list(range(1, len(lines) + 1))
    marked = _remove_artefacts(lines, line_numbers, diagnostics)
    signature = _take_signature(marked)
    segments = _segments(marked, diagnostics)
    paragraphs = _paragraphs(segments)
    return Body(tuple(paragraphs), signature, tuple(diagnostics))


def paragraphs(text: str) -> tuple[Paragraph, ...]:
    """Standalone: the paragraphs of a fragment of cable text."""
    return read_body(text.splitlines()).paragraphs


def signature(text: str) -> str | None:
    """Standalone: the signature (last line surname) of a fragment of cable text."""
    return read_body(text.splitlines()).signature


def _remove_artefacts(
    lines: list[str], numbers: list[int], diagnostics: list[Diagnostic]
) -> list[_Line | None]:
    result: list[_Line | None] = []
    in_envelope = False
    for raw, number in zip(lines, numbers, strict=True):
        text = raw.strip()
        if in_envelope:
            if text and text[-1].isdigit() and CLASSIFICATION_LINE.match(text):
                in_envelope = False
            result.append(None)
            continue
        # Almost every line is text: the first and last characters rule most out.
        kind = (
            _artefact(text)
            if text and (text[0] in _ARTEFACT_FIRST or text[-1].isdigit() or len(text) <= 10)
            else None
        )
        if kind is None:
            result.append((number, text))
        elif kind == "envelope":
            # Each transmission section repeats the envelope (ACP 127 §208): not a repair.
            in_envelope = True
            result.append(None)
        elif kind == "rule":
            result.append((number, ""))
        else:
            if kind != "trailer":
                diagnostics.append(
                    Diagnostic(f"body.{kind}", f"{kind.replace('-', ' ')} removed: {text}", number)
                )
            result.append(None)
    return result


def _artefact(text: str) -> str | None:
    """What kind of artefact a (stripped, non-empty) body line is, if it is one; cheap
    character tests first, since almost every line is text."""
    first = text[0]
    if first in "VZD":
        if TRANSMISSION_ID.match(text) or DE_LINE.match(text):
            return "envelope"
        if SECURITY_LINE.match(text):
            return "trailer"
    if (first in "BN#" or first.isdigit()) and _TRAILER.match(text):
        return "trailer"
    if first in "-=_*" and _RULE.match(text):
        return "rule"
    if text[-1].isdigit() and (_PAGE_HEADER.match(text) or CLASSIFICATION_LINE.match(text)):
        return "page-header"
    if len(text) <= 10 and text.upper() in _STRAY_CAPTIONS:
        return "stray-caption"
    return None


def _take_signature(marked: list[_Line | None]) -> str | None:
    positions = [i for i, line in enumerate(marked) if line is not None and line[1]]
    if len(positions) < 2:
        return None
    last = marked[positions[-1]]
    previous = marked[positions[-2]]
    assert last is not None and previous is not None
    candidate = " ".join(last[1].split())
    if not _SIGNATURE.match(candidate) or _START.match(candidate):
        return None
    if not previous[1].endswith(TERMINAL):
        return None
    marked[positions[-1]] = (last[0], "")
    return candidate


def _segments(marked: list[_Line | None], diagnostics: list[Diagnostic]) -> list[_Segment]:
    segments = [_Segment(None, None, 0)]
    previous_number = 0
    previous_text = ""
    after_blank = True
    for line in marked:
        if line is None:
            segments[-1].lines.append(None)
            after_blank = True
            continue
        match = _START.match(line[1]) if line[1][:1].isdigit() else None
        start = (
            _paragraph_start(match, previous_number, previous_text, after_blank) if match else None
        )
        after_blank = not line[1]
        if start is not None and match is not None:
            number, marking = start
            if number != int(match.group(1)):
                diagnostics.append(
                    Diagnostic(
                        "paragraph.pilcrow-digit",
                        f"paragraph number {match.group(1)} read as {number}"
                        " (a pilcrow scraped as 1)",
                        line[0],
                    )
                )
            rest = match.group(3).strip()
            if marking is None and match.group(2):
                # A parenthesis that is not a portion mark belongs to the text.
                rest = line[1][match.start(2) - 1 :].strip()
            prefix_width = len(line[1]) - len(rest)
            segment = _Segment(number, marking, prefix_width)
            segment.lines.append((line[0], rest))
            segments.append(segment)
            previous_number = number
        else:
            segments[-1].lines.append(line)
        if line[1]:
            previous_text = line[1]
    return segments


def _paragraph_start(
    match: re.Match[str], previous_number: int, previous_text: str, after_blank: bool
) -> tuple[int, Marking | None] | None:
    written = int(match.group(1))
    mark_text = match.group(2)
    marking = portion_marking(mark_text) if mark_text else None
    expected = previous_number + 1
    number = written
    if written != expected and match.group(1) == f"1{expected}":
        number = expected
    if marking is None:
        # An unmarked number starts a paragraph only in sequence, and after a sentence end
        # or a blank line.
        rest = f"({mark_text}) " if mark_text else match.group(3)
        if number != expected or not rest or not (rest[0].isupper() or rest[0] in "\"'("):
            return None
        if previous_text and not after_blank and not previous_text.endswith(TERMINAL):
            return None
    elif number <= previous_number and written == number and number != 1:
        return None
    return number, marking


def _paragraphs(segments: list[_Segment]) -> list[Paragraph]:
    result: list[Paragraph] = []
    pending_heading: str | None = None
    for index, segment in enumerate(segments):
        next_is_paragraph = index + 1 < len(segments)
        blocks = _blocks(segment, next_is_paragraph)
        heading_for_next = None
        minimum = 0 if segment.number is None else 1
        if next_is_paragraph and len(blocks) > minimum and _is_heading(blocks, len(blocks) - 1):
            heading_for_next = " ".join(" ".join(line.split()) for line in blocks.pop().lines)
        if segment.number is None:
            if blocks:
                result.append(Paragraph(None, None, _text(blocks, 0), None))
        else:
            result.append(
                Paragraph(
                    segment.number,
                    segment.marking,
                    _text(blocks, segment.prefix_width),
                    pending_heading,
                )
            )
        pending_heading = heading_for_next
    return result


@dataclass
class _Block:
    lines: list[str]
    after_artefact: bool = False


def _blocks(segment: _Segment, before_paragraph: bool) -> list[_Block]:
    blocks: list[_Block] = []
    current: list[str] = []
    artefact = False
    pending_artefact = False
    for line in segment.lines:
        if line is None:
            pending_artefact = True
            continue
        if not line[1]:
            if current:
                blocks.append(_Block(current, artefact))
                current, artefact = [], False
            continue
        if not current:
            artefact = pending_artefact
        pending_artefact = False
        text = line[1]  # stripped; printable means no tab or odd space to squeeze
        current.append(" ".join(text.split()) if "  " in text or not text.isprintable() else text)
    if current:
        blocks.append(_Block(current, artefact))
    return _join_page_breaks(blocks, before_paragraph)


def _join_page_breaks(blocks: list[_Block], before_paragraph: bool) -> list[_Block]:
    joined: list[_Block] = []
    for position, block in enumerate(blocks):
        # The last block before a paragraph may be its heading: a heading does not run on.
        heading = before_paragraph and position == len(blocks) - 1 and _heading_like(block)
        if joined and not heading and _runs_on(joined[-1], block):
            previous = joined[-1]
            previous.lines[-1] = previous.lines[-1] + " " + block.lines[0]
            previous.lines.extend(block.lines[1:])
        else:
            joined.append(block)
    return joined


def _runs_on(previous: _Block, block: _Block) -> bool:
    last = previous.lines[-1]
    if last.endswith(TERMINAL):
        return False
    if _START.match(block.lines[0]) and block.lines[0][0].isdigit():
        return False
    first = block.lines[0]
    return first[0].islower() or block.after_artefact


def _heading_like(block: _Block) -> bool:
    if len(block.lines) > 2 or sum(len(line) for line in block.lines) > 120:
        return False
    # A closing parenthesis ends headings such as "Technology Center (ISTC)".
    if block.lines[-1].endswith(HEADING_TERMINAL):
        return False
    return not block.lines[0][0].islower()


def _is_heading(blocks: list[_Block], position: int) -> bool:
    if not _heading_like(blocks[position]):
        return False
    return not (position > 0 and blocks[position - 1].lines[-1].endswith(":"))


def _text(blocks: list[_Block], prefix_width: int) -> str:
    return "\n\n".join(
        _reflow(block.lines, prefix_width if i == 0 else 0) for i, block in enumerate(blocks)
    )


def _reflow(lines: list[str], first_prefix: int) -> str:
    if len(lines) == 1:
        return lines[0]
    out = [lines[0]]
    previous_width = len(lines[0]) + first_prefix
    for line in lines[1:]:
        space = line.find(" ")
        word_width = space if space >= 0 else len(line)
        if previous_width + 1 + word_width > WRAP_WIDTH:
            out[-1] = out[-1] + " " + line
        else:
            out.append(line)
        previous_width = len(line)
    return "\n".join(out)
