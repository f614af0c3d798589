"""Rules on the text fields: SUBJECT, TAGS, paragraph numbers (spec §2.5, §2.7, §2.3).

Archive messages "must contain current Executive Order information, at least one subject
TAGS, and a subject line" (5 FAH-1 H-210 [S12]); "each document must carry at least one
Subject TAGS" (NARA on the 1973-79 files [S16]). Geographic TAGS are read in the code
table of the cable's era (RS is Russia in Cablegate cables, Serbia today), so whether a
TAG is known depends on the date (`cablegram.reference.is_known_tag`). Person tags
(``OVIP (STEINBERG, JAMES B.)``) are free-style and never unknown. Paragraphs are
"numbered consecutively if more than one; don't number a single paragraph" (5 FAH-1
H-240 [S10]).

Variants seen: organisation-like TAGS missing from every table (START in the seed
07MOSCOW1002), free text on the TAGS line (``DOMESTIC POLITICS``, 05SANAA1352), and a
pilcrow read as a digit that makes paragraph 4 look like 14 (seed, repaired by the reader).
Partial extracts ("This record is a partial extract") lack fields through no fault of the
cable, so the missing-field rules skip them.
"""

from __future__ import annotations

from collections.abc import Iterator

from cablegram.model import TagEra, TagKind
from cablegram.reference import classify_tag, is_known_tag
from cablegram.write.rules.base import Context, Finding, Severity, rule
from cablegram.write.rules.locate import SUBJECT_LINE, TAGS_LINE

SUBJECT_MISSING = rule(
    "CG301",
    "subject-missing",
    Severity.ERROR,
    "A complete cable has a SUBJECT line.",
)
SUBJECT_TAG_MISSING = rule(
    "CG302",
    "subject-tag-missing",
    Severity.ERROR,
    "A complete cable carries at least one subject TAG.",
)
TAG_UNKNOWN = rule(
    "CG303",
    "tag-unknown",
    Severity.WARNING,
    "Every TAG is in a TAGS table of the cable's era.",
)
PARAGRAPH_NUMBERING = rule(
    "CG304",
    "paragraph-numbering",
    Severity.WARNING,
    "Numbered paragraphs run 1, 2, 3 ... without gaps or repeats.",
)
SINGLE_PARAGRAPH_NUMBERED = rule(
    "CG305",
    "single-paragraph-numbered",
    Severity.WARNING,
    "A cable of a single paragraph does not number it.",
)

#: The TAGS tables of each era, as messages name them.
ERA_TABLES = {
    TagEra.TAGS_1974: "the 1974 TAGS handbook",
    TagEra.FIPS: "the Cablegate-era TAGS tables",
    TagEra.CURRENT: "the current 5 FAH-3 TAGS tables",
}


def check(context: Context) -> Iterator[Finding]:
    yield from _subject(context)
    yield from _tags(context)
    yield from _numbering(context)


def _subject(context: Context) -> Iterator[Finding]:
    cable = context.cable
    if not cable.partial and not (cable.subject or "").strip():
        yield SUBJECT_MISSING.finding(
            "the cable has no SUBJECT line",
            "add 'SUBJECT: ...' after the TAGS line",
            context.locate.starting(SUBJECT_LINE),
        )


def _tags(context: Context) -> Iterator[Finding]:
    cable = context.cable
    tags_line = context.locate.starting(TAGS_LINE)
    kinds = [
        tag.kind if tag.kind is not TagKind.UNKNOWN else classify_tag(tag.code, context.era)[0]
        for tag in cable.tags
    ]
    if not cable.partial and TagKind.SUBJECT not in kinds:
        said = "no TAGS line" if not cable.tags else "no subject TAG"
        yield SUBJECT_TAG_MISSING.finding(
            f"the cable has {said}",
            "add a four-letter subject TAG such as PREL, PGOV or ECON to the TAGS line",
            tags_line,
        )
    for tag, kind in zip(cable.tags, kinds, strict=True):
        if kind is not TagKind.PERSON and not is_known_tag(tag.code, context.era):
            yield TAG_UNKNOWN.finding(
                f"TAG {tag.code} is not in {ERA_TABLES[context.era]}",
                "check the spelling against 5 FAH-3; keep it if it is a real TAG",
                context.locate.word(tag.code, after=tags_line) or tags_line,
            )


def _numbering(context: Context) -> Iterator[Finding]:
    cable = context.cable
    numbered = [(i, p.number) for i, p in enumerate(cable.paragraphs) if p.number is not None]
    if not numbered:
        return
    if len(cable.paragraphs) == 1 and not cable.partial:
        yield SINGLE_PARAGRAPH_NUMBERED.finding(
            "the cable's only paragraph is numbered",
            "remove the number: a single paragraph is not numbered",
            context.locate.paragraph(0),
        )
        return
    # A later section or an extract may start anywhere; a whole cable starts at 1.
    starts_at_one = not cable.partial and (cable.section is None or cable.section.number == 1)
    previous = 0 if starts_at_one else numbered[0][1] - 1
    for index, number in numbered:
        if number != previous + 1:
            after = f"follows paragraph {previous}" if previous else "is the first"
            yield PARAGRAPH_NUMBERING.finding(
                f"paragraph {number} {after} (expected {previous + 1})",
                "number paragraphs consecutively from 1",
                context.locate.paragraph(index),
            )
            return
        previous = number
