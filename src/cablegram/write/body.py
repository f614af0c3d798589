"""The text of a transmission (format line 12): State's body conventions (spec §2).

Each function returns the lines of one block; `cablegram.write.render` puts a blank line
between blocks. Everything free-text is wrapped greedily at 69 columns (`wrap`).

* Classification line (§2.1): the level word first, spaced letter by letter when
  classified (ACP 127 §209: ``S E C R E T``, ``C O N F I D E N T I A L``,
  ``T O P S E C R E T``), ``UNCLAS`` for unclassified and SBU (an SBU cable is UNCLAS with
  the SENSITIVE caption, §2.1), ``LIMITED OFFICIAL USE`` unspaced (1977STATE017976); then
  ``SECTION nn OF nn`` for a multi-section cable (§1.9), the origin as in canonical ids and
  the serial zero-padded to six digits (``MOSCOW 001002``).
* Captions one per line, passing instructions one per line (§2.2). Caveats and ``REL TO``
  lists live in the caption list, so the banner needs no other rendering.
* ``E.O. 12958: DECL: 03/01/2017`` (date as MM/DD/YYYY), ``E.O. 12958: N/A``,
  ``E.O. 13526: DECL: 25X1`` (exemption) or ``E.O. 12958: DECL: AFTER KOREAN UNIFICATION``
  (event) (§2.3); ``TAGS:`` with a person's name in parentheses after the tag before it
  (``OVIP (STEINBERG, JAMES B.)``, §2.5); ``SUBJECT:`` with an optional portion mark; all
  three in one block, as in every sample header.
* ``REF:`` one reference per line, ``A. STATE 003773``, ``B. 06 STATE 201804 (NOTAL)``;
  a lone unlettered reference is ``REF: STATE 003773`` (§2.6).
* ``Classified By: DCM Daniel A. Russell for reasons 1.4 (b) and (d).`` (§2.4).
* Paragraphs ``N. (MARKING) text`` with the portion mark in its short form (``S/NF``,
  ``C/REL USA, GBR``; §2.7); a heading goes on its own block before its paragraph; a
  ``\\n\\n`` in the text is a blank line, a ``\\n`` a hard line break.
"""

from __future__ import annotations

from cablegram.model import (
    ClassifiedBy,
    Declassification,
    DeclassificationKind,
    Level,
    Paragraph,
    Reference,
    Section,
    Tag,
    TagKind,
)
from cablegram.write.wrap import wrap


def _spaced(word: str) -> str:
    return " ".join(word.replace(" ", ""))


#: The level word at the head of the text (ACP 127 §209; spec §2.1).
LEVEL_WORDS = {
    Level.UNCLASSIFIED: "UNCLAS",
    Level.SBU: "UNCLAS",
    Level.LOU: "LIMITED OFFICIAL USE",
    Level.CONFIDENTIAL: _spaced("CONFIDENTIAL"),
    Level.SECRET: _spaced("SECRET"),
    Level.TOP_SECRET: _spaced("TOP SECRET"),
}


def classification_line(
    level: Level | None, section: Section | None, origin: str | None, serial: int | None
) -> str:
    """``S E C R E T SECTION 01 OF 02 MOSCOW 001002``."""
    parts: list[str] = []
    if level is not None:
        parts.append(LEVEL_WORDS[level])
    if section is not None:
        parts.append(f"SECTION {section.number:02d} OF {section.total:02d}")
    if origin is not None:
        parts.append(origin)
    if serial is not None:
        parts.append(f"{serial:06d}")
    return " ".join(parts)


def declassification_line(declassification: Declassification) -> list[str]:
    """The E.O. line, e.g. ``E.O. 12958: DECL: 03/01/2017``."""
    order = f"E.O. {declassification.order}" if declassification.order else "E.O."
    match declassification.kind:
        case DeclassificationKind.NOT_APPLICABLE:
            instruction = "N/A"
        case DeclassificationKind.DATE:
            when = declassification.date
            instruction = f"DECL: {when:%m/%d/%Y}" if when is not None else "DECL:"
        case DeclassificationKind.EXEMPTION:
            instruction = f"DECL: {declassification.exemption or ''}"
        case DeclassificationKind.EVENT:
            instruction = f"DECL: {declassification.event or ''}"
    return wrap(f"{order}: {instruction}")


def tags_lines(tags: tuple[Tag, ...]) -> list[str]:
    """``TAGS: OVIP (STEINBERG, JAMES B.) PREL RS``, wrapped with unprefixed continuations."""
    tokens = [f"({tag.code})" if tag.kind is TagKind.PERSON else tag.code for tag in tags]
    return wrap(" ".join(["TAGS:", *tokens]))


def subject_lines(subject: str, marking_portion: str | None) -> list[str]:
    """``SUBJECT: (C) text``, wrapped with unprefixed continuations."""
    mark = f"({marking_portion}) " if marking_portion else ""
    return wrap(f"SUBJECT: {mark}{subject}")


def reference_lines(references: tuple[Reference, ...]) -> list[str]:
    """``REF: A. STATE 003773`` then ``B. 06 STATE 201804 (NOTAL)``, one per line."""
    lines: list[str] = []
    for position, reference in enumerate(references):
        label = "REF: " if position == 0 else ""
        letter = f"{reference.letter}. " if reference.letter else ""
        notal = " (NOTAL)" if reference.notal else ""
        lines.extend(wrap(f"{label}{letter}{reference.text}{notal}"))
    return lines


def classified_by_lines(classified_by: ClassifiedBy) -> list[str]:
    """``Classified By: DCM Daniel A. Russell for reasons 1.4 (b) and (d).``"""
    who = " ".join(part for part in (classified_by.title, classified_by.name) if part)
    line = f"Classified By: {who}" if who else "Classified By:"
    if classified_by.reasons:
        noun = "reason" if len(classified_by.reasons) == 1 else "reasons"
        section = f" {classified_by.section}" if classified_by.section else ""
        line += f" for {noun}{section} {_reason_list(classified_by.reasons)}"
    return wrap(line if line.endswith(".") else f"{line}.")


def _reason_list(reasons: tuple[str, ...]) -> str:
    """``(b)``, ``(b) and (d)``, ``(a), (b) and (d)``."""
    marked = [f"({reason})" for reason in reasons]
    if len(marked) == 1:
        return marked[0]
    return f"{', '.join(marked[:-1])} and {marked[-1]}"


def paragraph_blocks(paragraph: Paragraph) -> list[list[str]]:
    """The heading block (if any) and the paragraph's own lines (blank lines included)."""
    blocks: list[list[str]] = []
    if paragraph.heading:
        blocks.append(wrap(paragraph.heading))
    prefix = f"{paragraph.number}. " if paragraph.number is not None else ""
    if paragraph.marking is not None:
        prefix += f"({paragraph.marking.portion}) "
    blocks.append(wrap(prefix + paragraph.text))
    return blocks
