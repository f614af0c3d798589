"""Rules on the banner and the portion markings (spec §2.1, §2.7, §2.2).

The banner (the classification line with the caveats captioned under it) must cover every
portion: the overall classification is the highest portion marking (spec §2.7), so a
banner below a portion would release the portion at the wrong level. Portions are the
numbered and unnumbered paragraphs and the subject line (``SUBJECT: (C) ...``).

Variants seen in the sample corpus (2,979 Cablegate cables): a CONFIDENTIAL banner over
``(S/NF)`` paragraphs (09CAIRO2011); UNCLAS banners over ``(SBU)`` paragraphs without the
SENSITIVE caption (82 cables: a warning, SBU is not a classification); ``(S/NF)`` portions
with no NOFORN caption (82 of 316 cables with NOFORN portions).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from cablegram.model import Level, Marking
from cablegram.write.rules.base import Context, Finding, Severity, rule
from cablegram.write.rules.locate import CLASSIFICATION_LINE, SUBJECT_LINE

BANNER_MISSING = rule(
    "CG100",
    "banner-missing",
    Severity.ERROR,
    "A complete cable has a classification line.",
)
BANNER_BELOW_PORTION = rule(
    "CG101",
    "banner-below-portion",
    Severity.ERROR,
    "A classified banner is at least as high as every portion marking.",
)
CLASSIFIED_PORTION_UNCLASSIFIED = rule(
    "CG102",
    "classified-portion-in-unclassified",
    Severity.ERROR,
    "An UNCLAS, SBU or LOU cable has no classified portion.",
)
BANNER_MISSING_CAVEAT = rule(
    "CG103",
    "banner-missing-caveat",
    Severity.ERROR,
    "Every caveat of a portion (NOFORN, ORCON ...) is captioned under the banner.",
)
SBU_WITHOUT_SENSITIVE = rule(
    "CG104",
    "sbu-without-sensitive",
    Severity.ERROR,
    "A cable whose level is SBU carries the SENSITIVE caption.",
)
CONTROLLED_PORTION_UNCLAS = rule(
    "CG105",
    "controlled-portion-in-unclas",
    Severity.WARNING,
    "A plain UNCLAS cable has no SBU or LOU portion.",
)
PORTION_UNMARKED = rule(
    "CG106",
    "portion-unmarked",
    Severity.WARNING,
    "Every numbered paragraph of a classified cable carries a portion marking.",
)


@dataclass(frozen=True)
class Portion:
    """A marked part of the cable, named for messages."""

    label: str
    marking: Marking
    line: int | None


def portions(context: Context) -> list[Portion]:
    cable = context.cable
    found: list[Portion] = []
    if cable.subject_marking is not None:
        found.append(
            Portion("the subject", cable.subject_marking, context.locate.starting(SUBJECT_LINE))
        )
    for index, paragraph in enumerate(cable.paragraphs):
        if paragraph.marking is None:
            continue
        label = (
            f"paragraph {paragraph.number}"
            if paragraph.number is not None
            else "an unnumbered paragraph"
        )
        found.append(Portion(label, paragraph.marking, context.locate.paragraph(index)))
    return found


def check(context: Context) -> Iterator[Finding]:
    cable = context.cable
    banner = cable.classification
    if banner is None:
        if not cable.partial:
            yield BANNER_MISSING.finding(
                "the cable has no classification line",
                "start the text with the classification line, e.g. "
                "'C O N F I D E N T I A L MOSCOW 001002' or 'UNCLAS MOSCOW 001002'",
                None,
            )
        return
    banner_line = context.locate.starting(CLASSIFICATION_LINE)
    marked = portions(context)
    yield from _level_below(banner, marked)
    yield from _missing_caveats(banner, marked, banner_line)
    if banner.level is Level.SBU and "SENSITIVE" not in cable.captions:
        yield SBU_WITHOUT_SENSITIVE.finding(
            "the cable is SBU but has no SENSITIVE caption, so its banner reads plain UNCLAS",
            "add the caption SENSITIVE under the classification line",
            banner_line,
        )
    if banner.level is Level.UNCLASSIFIED:
        yield from _controlled_under_unclas(marked)
    if banner.level.is_classified:
        yield from _unmarked(context)


def _level_below(banner: Marking, marked: list[Portion]) -> Iterator[Finding]:
    above = [p for p in marked if p.marking.level.is_classified and p.marking.level > banner.level]
    if not above:
        return
    highest = max(above, key=lambda p: p.marking.rank)
    needed = highest.marking.level.word
    if banner.level.is_classified:
        yield BANNER_BELOW_PORTION.finding(
            f"banner {banner.level.word} is below {highest.label} marked ({highest.marking})",
            f"raise the banner to {needed} or re-mark the portion",
            highest.line,
        )
    else:
        yield CLASSIFIED_PORTION_UNCLASSIFIED.finding(
            f"{banner.level.word} cable has {highest.label} marked ({highest.marking})",
            f"classify the cable {needed} (with Classified By and a DECL line) "
            "or remove the classified portion",
            highest.line,
        )


def _missing_caveats(
    banner: Marking, marked: list[Portion], banner_line: int | None
) -> Iterator[Finding]:
    reported: set[str] = set()
    for portion in marked:
        for caveat in sorted(portion.marking.caveats - banner.caveats - reported):
            reported.add(caveat)
            yield BANNER_MISSING_CAVEAT.finding(
                f"{portion.label} is marked ({portion.marking}) but the banner lacks {caveat}",
                f"add the caption {caveat} under the classification line",
                portion.line if portion.line is not None else banner_line,
            )


def _controlled_under_unclas(marked: list[Portion]) -> Iterator[Finding]:
    for level, remedy in (
        (Level.SBU, "add the caption SENSITIVE under the UNCLAS line"),
        (Level.LOU, "mark the cable LIMITED OFFICIAL USE"),
    ):
        first = next((p for p in marked if p.marking.level is level), None)
        if first is not None:
            yield CONTROLLED_PORTION_UNCLAS.finding(
                f"UNCLAS cable has {first.label} marked ({first.marking})",
                remedy,
                first.line,
            )


def _unmarked(context: Context) -> Iterator[Finding]:
    unmarked = [
        index
        for index, paragraph in enumerate(context.cable.paragraphs)
        if paragraph.number is not None and paragraph.marking is None
    ]
    if unmarked:
        first = context.cable.paragraphs[unmarked[0]]
        others = f" and {len(unmarked) - 1} more carry" if len(unmarked) > 1 else " carries"
        yield PORTION_UNMARKED.finding(
            f"paragraph {first.number}{others} no portion marking in a classified cable",
            "mark each numbered paragraph after its number: (U), (SBU), (C), (S), (S/NF) ...",
            context.locate.paragraph(unmarked[0]),
        )
