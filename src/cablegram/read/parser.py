"""``parse(text) -> Cable``: composes the per-field readers over positional windows.

The text is cleaned line by line (`cleanup`), then read in three windows:

1. the envelope, up to the classification line: FL1-FL8 (`envelope`, `addressees`);
2. the head, from the classification line to the first line of text: captions and passing
   instructions, then the E.O. line, TAGS, SUBJECT, REF and Classified By in any order,
   each running until a blank line or the next label (`classification`, `declassification`,
   `tags`, `subject`, `references`, `classified_by`);
3. the body: paragraphs, headings and signature (`paragraphs`), and what is derived from
   them (`blocks`, `participants`, `part`).

Nothing raises for a non-empty string: what cannot be read becomes a `Diagnostic`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from cablegram import reference as reference_data
from cablegram.model import (
    Addressee,
    Cable,
    ClassifiedBy,
    Declassification,
    Diagnostic,
    Level,
    Marking,
    Reference,
    Section,
    Tag,
    canonical_id,
)
from cablegram.read import addressees as address_reader
from cablegram.read.blocks import blocks as read_blocks
from cablegram.read.classification import (
    banner,
    classification_line,
    is_passing_instruction,
    leading_captions,
    split_caption_line,
)
from cablegram.read.classified_by import CLASSIFIED_BY_LABEL, classified_by
from cablegram.read.cleanup import clean_lines, split_lines, unglue
from cablegram.read.declassification import declassification
from cablegram.read.envelope import TRANSMISSION_ID, envelope_lines
from cablegram.read.paragraphs import read_body
from cablegram.read.part import part as read_part
from cablegram.read.participants import participants as read_participants
from cablegram.read.references import references as read_references
from cablegram.read.subject import SUBJECT_LABEL, subject
from cablegram.read.tags import tags

_FIRST_PARAGRAPH = re.compile(r"^\s*1\s?\.\s")
_PARTIAL = re.compile(r"partial extract of the original cable", re.IGNORECASE)
_EO_LABEL = re.compile(r"^\s*E\.?\s?O\.?\s*1\d{4}\b|^\s*E\.\s?O\.", re.IGNORECASE)
_TAGS_LABEL = re.compile(r"^\s*TAGS?\s*[A-Z]?\s*[:;]|^\s*TAGS\s+[A-Z]{2,}", re.IGNORECASE)
_REF_LABEL = re.compile(r"^\s*REF(?:S|TEL|TELS)?\s*[:.]", re.IGNORECASE)
_LOOKAHEAD = 25
T = TypeVar("T")

_LABELS = {
    "eo": _EO_LABEL,
    "tags": _TAGS_LABEL,
    "subject": SUBJECT_LABEL,
    "ref": _REF_LABEL,
    "classified_by": CLASSIFIED_BY_LABEL,
}


#: What a continuation line of a field may look like (others end the field).
_CONTINUES = {
    "tags": re.compile(r"^\s*(?:\(.*|(?:[A-Z]{2,6}[\s,]*)+)$"),
    "eo": re.compile(r"^\s*(?:DECL|DNG|N/A)", re.IGNORECASE),
}


#: A line that resumes a field after blank lines.
_RESUMES = {
    "ref": re.compile(r"^\s*(?:\(?[B-Z][.)]|[B-Z]\))\s+\S"),
    "classified_by": re.compile(r"^\s*\(?REASONS?\b", re.IGNORECASE),
}


class EmptyCableError(ValueError):
    """Raised for empty input: the only text `parse` refuses."""


@dataclass
class _Head:
    captions: list[str] = field(default_factory=list)
    passing: list[str] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)
    body_start: int = 0


def parse(text: str) -> Cable:
    """Read a cable from its text. Never raises for non-empty text."""
    if not text.strip():
        raise EmptyCableError("empty input: there is no cable to read")
    split, numbers = unglue(split_lines(text))
    lines, diagnostics = clean_lines(split, numbers)
    partial = any(_PARTIAL.search(line) for line in lines[:8])

    candidates = _classification_lines(lines)
    class_index, head = _best_head(
        lines, candidates, candidates[0] if candidates else _header_end(lines)
    )
    line_info = classification_line(lines[class_index]) if class_index is not None else None
    header_end = class_index if class_index is not None else _header_end(lines)
    header_start = _last_envelope_start(lines, header_end)
    envelope, dtg, _ = envelope_lines(lines[header_start:header_end])
    if dtg is None and header_start:
        envelope, dtg, _ = envelope_lines(lines[:header_end])
    header_text = "\n".join(lines[header_start:header_end])
    originator = address_reader.originator(header_text) if "FM" in header_text else None
    recipients = address_reader.recipients(header_text)

    body = read_body(lines[head.body_start :], numbers[head.body_start :])
    diagnostics.extend(body.diagnostics)

    caption_list = tuple(head.captions)
    classification: Marking | None = None
    origin: str | None = None
    serial: int | None = None
    section: Section | None = None
    if line_info is not None:
        classification = banner(line_info.level, line_info.caveats, caption_list)
        origin = reference_data.canonical_origin(line_info.origin_written)
        if set(origin) == {"X"}:
            # The publisher redacted the origin ("XXXXXXXXXXXX 000004"); the envelope names it.
            origin = _origin_from_header(originator, envelope.originating_station) or origin
            diagnostics.append(Diagnostic("id.origin-redacted", "origin taken from the envelope"))
        serial = _reconcile_serial(line_info.serial, envelope.station_serial, diagnostics)
        section = line_info.section
    else:
        diagnostics.append(
            Diagnostic("missing.classification-line", "no classification line found")
        )
        origin = _origin_from_header(originator, envelope.originating_station)
        level = _security_line_level(envelope.security_line)
        if level is not None:
            classification = banner(level, frozenset(), caption_list)
            diagnostics.append(
                Diagnostic("classification.from-security-line", "level read from the FL4 line")
            )
        if envelope.station_serial is not None:
            # FL3 carries the serial's last four digits: right for serials below 10000.
            serial = envelope.station_serial
            diagnostics.append(
                Diagnostic(
                    "id.from-envelope", "cable number taken from the DE line's station serial"
                )
            )

    on = dtg.date() if dtg else None
    year = dtg.year if dtg else None
    declass = _field(head, "eo", declassification, diagnostics)
    subject_value = _field(head, "subject", subject, diagnostics)
    tag_values: tuple[Tag, ...] = tags(head.fields["tags"], on) if "tags" in head.fields else ()
    reference_values: tuple[Reference, ...] = (
        read_references(head.fields["ref"], year) if "ref" in head.fields else ()
    )
    classified: ClassifiedBy | None = _field(head, "classified_by", classified_by, diagnostics)
    _missing(diagnostics, dtg, tag_values, subject_value, declass, classification)

    paragraphs = body.paragraphs
    cable_id = canonical_id(year, origin, serial) if year and origin and serial else None
    if cable_id is None:
        diagnostics.append(
            Diagnostic("missing.id", "no canonical id: the year, origin or serial is unknown")
        )
    return Cable(
        id=cable_id,
        envelope=envelope,
        dtg=dtg,
        originator=originator,
        to=recipients.to,
        info=recipients.info,
        classification=classification,
        origin=origin,
        serial=serial,
        section=section,
        captions=caption_list,
        passing=tuple(head.passing),
        declassification=declass,
        tags=tag_values,
        subject=subject_value.text if subject_value else None,
        subject_marking=subject_value.marking if subject_value else None,
        references=reference_values,
        classified_by=classified,
        paragraphs=paragraphs,
        blocks=read_blocks(paragraphs),
        participants=read_participants(paragraphs),
        part=read_part(paragraphs, reference_values),
        signature=body.signature,
        partial=partial,
        original_text=text,
        diagnostics=tuple(diagnostics),
    )


def _classification_lines(lines: list[str]) -> list[int]:
    """Indices of lines that may open a cable's text: classification lines of a first
    section (later sections' lines repeat inside the body), before the first paragraph."""
    found: list[int] = []
    for index, line in enumerate(lines):
        if found and line.lstrip()[:2] in ("1.", "1 ") and _FIRST_PARAGRAPH.match(line):
            break
        info = classification_line(line) if line and line[-1].isdigit() else None
        if info is not None and (info.section is None or info.section.number == 1 or not found):
            found.append(index)
    return found


def _best_head(
    lines: list[str], candidates: list[int], header_end: int
) -> tuple[int | None, _Head]:
    """The first classification line opens the cable. A later line with the same origin
    and serial is a second copy (some published texts hold a truncated first copy before
    the whole cable): the copy with the fuller head wins. Other later lines belong to
    quoted or appended cables."""
    if not candidates:
        return None, _read_head(lines, header_end)
    best_index = candidates[0]
    best = _read_head(lines, best_index + 1)
    first = classification_line(lines[best_index])
    assert first is not None
    for index in candidates[1:]:
        other = classification_line(lines[index])
        if other is None or (other.origin_written, other.serial) != (
            first.origin_written,
            first.serial,
        ):
            continue
        head = _read_head(lines, index + 1)
        if len(head.fields) > len(best.fields):
            best_index, best = index, head
    return best_index, best


def _last_envelope_start(lines: list[str], header_end: int) -> int:
    """Where the last copy of the envelope begins: published texts with a leaked database
    row repeat the envelope inside it, and reading both copies would double the
    addressees."""
    start = 0
    for index in range(header_end):
        if TRANSMISSION_ID.match(lines[index]):
            start = index
    return start


def _header_end(lines: list[str]) -> int:
    """Without a classification line, the header ends at the first head label."""
    for index, line in enumerate(lines):
        if any(label.match(line) for label in _LABELS.values()):
            return index
    return 0


#: The characters a head label can begin with (after spaces): a cheap test first.
_LABEL_FIRST = frozenset("ETSRCU()etsrcu")


def _label(line: str) -> str | None:
    if line.lstrip()[:1] not in _LABEL_FIRST:
        return None
    for name, pattern in _LABELS.items():
        if pattern.match(line):
            return name
    return None


def _read_head(lines: list[str], start: int) -> _Head:
    head = _Head(body_start=start)
    index = start
    seen_label = False
    while index < len(lines):
        line = lines[index]
        if not line.strip():
            index += 1
            continue
        name = _label(line)
        if name is not None:
            end = index + 1
            continues = _CONTINUES.get(name)
            while (
                end < len(lines)
                and lines[end].strip()
                and _label(lines[end]) is None
                and (continues is None or continues.match(lines[end]))
            ):
                end += 1
            end = _continue_across_blanks(lines, end, _RESUMES.get(name))
            if name not in head.fields:
                head.fields[name] = "\n".join(lines[index:end])
            seen_label = True
            index = end
            head.body_start = end
            continue
        if not seen_label:
            caption_words = split_caption_line(line)
            rest = ""
            if not caption_words:
                caption_words, rest = leading_captions(line)
            if caption_words:
                for caption in caption_words:
                    if caption not in head.captions:
                        head.captions.append(caption)
                if rest and is_passing_instruction(rest):
                    head.passing.append(" ".join(rest.split()))
                index += 1
                head.body_start = index
                continue
            if is_passing_instruction(line):
                instruction = line.strip()
                while (
                    instruction.endswith(",")
                    and index + 1 < len(lines)
                    and lines[index + 1].strip()
                ):
                    index += 1
                    instruction += " " + lines[index].strip()
                head.passing.append(" ".join(instruction.split()))
                index += 1
                head.body_start = index
                continue
            if classification_line(line) is None and _label_ahead(lines, index):
                index += 1
                continue
        break
    head.body_start = max(head.body_start, start)
    return head


def _continue_across_blanks(lines: list[str], end: int, resumes: re.Pattern[str] | None) -> int:
    """A field resumes after blank lines when the next line continues it: the next
    lettered item of a REF list (``¶B. BOGOTA 863``), the reasons of a Classified By."""
    if resumes is None:
        return end
    while True:
        following = end
        while following < len(lines) and not lines[following].strip():
            following += 1
        if following == end or following >= len(lines) or not resumes.match(lines[following]):
            return end
        end = following + 1
        while end < len(lines) and lines[end].strip() and _label(lines[end]) is None:
            end += 1


def _label_ahead(lines: list[str], index: int) -> bool:
    return any(_label(line) is not None for line in lines[index + 1 : index + 1 + _LOOKAHEAD])


def _field(
    head: _Head, name: str, reader: Callable[[str], T | None], diagnostics: list[Diagnostic]
) -> T | None:
    text = head.fields.get(name)
    if text is None:
        return None
    value = reader(text)
    if value is None:
        diagnostics.append(
            Diagnostic(f"unreadable.{name}", f"could not read the {name} line: {text[:80]!r}")
        )
    return value


def _missing(
    diagnostics: list[Diagnostic],
    dtg: datetime | None,
    tag_values: tuple[Tag, ...],
    subject_value: object,
    declass: Declassification | None,
    classification: Marking | None,
) -> None:
    if dtg is None:
        diagnostics.append(
            Diagnostic("missing.dtg", "no date-time group: the cable's date is unknown")
        )
    if not tag_values:
        diagnostics.append(Diagnostic("missing.tags", "no TAGS line"))
    if subject_value is None:
        diagnostics.append(Diagnostic("missing.subject", "no SUBJECT line"))
    if declass is None and classification is not None and classification.level.is_classified:
        diagnostics.append(Diagnostic("missing.declassification", "no E.O. declassification line"))


#: FL4 security warning letters (spec §1.6): the classification's first letter, five times.
_SECURITY_LETTERS = {"U": Level.UNCLASSIFIED, "C": Level.CONFIDENTIAL, "S": Level.SECRET,
                     "T": Level.TOP_SECRET}  # fmt: skip


def _security_line_level(security_line: str | None) -> Level | None:
    if not security_line or len(security_line) < 5:
        return None
    return _SECURITY_LETTERS.get(security_line[4])


def _reconcile_serial(written: int, station: int | None, diagnostics: list[Diagnostic]) -> int:
    """The DE line's station serial is the serial's last four digits; a classification
    line whose serial lost its last digits (``BUENOS AIRES 00167`` beside ``#1673``) is
    mended from it."""
    if station is None or written % 10000 == station or written >= station:
        return written
    if str(station).startswith(str(written)):
        diagnostics.append(
            Diagnostic(
                "id.serial-reconciled", f"serial {written} read as {station} from the DE line"
            )
        )
        return station
    return written


def _origin_from_header(originator: Addressee | None, station: str | None) -> str | None:
    if originator is not None:
        found = reference_data.origin_for_originator(originator.address)
        if found:
            return found
    if station:
        return reference_data.origin_for_routing_indicator(station)
    return None
