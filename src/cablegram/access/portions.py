"""The portions of a cable that access rules apply to, each with the marking it carries.

A marked paragraph follows its marking. Unmarked text — an unmarked subject, section
headings, an introduction, the signature — takes the banner's marking (the cable's
classification line, or the join of its portions when it has none). Handling metadata
(id, date, origin, addressees, captions, E.O. line, TAGS, reference ids, Classified By) is
not a portion: it is readable by anyone who may read any portion.
"""

from __future__ import annotations

from dataclasses import dataclass

from cablegram.model import UNCLASSIFIED, Cable, Marking


@dataclass(frozen=True)
class Portion:
    key: str
    """Stable within a cable: ``subject``, ``intro:0``, ``heading:5``, ``paragraph:12``,
    ``signature``."""
    label: str
    """How a placeholder names it: ``paragraph 12``, ``the subject``."""
    marking: Marking
    marked: bool
    """False when the portion took the banner's marking."""
    text: str
    paragraph: int | None = None


def banner(cable: Cable) -> Marking:
    return cable.classification or cable.overall_classification or UNCLASSIFIED


def paragraph_keys(cable: Cable) -> list[tuple[str | None, str]]:
    """For each paragraph, in order: the key of its heading portion (None when it has no
    heading) and the key of its text portion. The one place the key scheme is written."""
    keys: list[tuple[str | None, str]] = []
    intro = 0
    for paragraph in cable.paragraphs:
        number = paragraph.number
        heading_key = None
        if paragraph.heading:
            heading_key = f"heading:{number}" if number is not None else f"heading:intro{intro}"
        if number is None:
            keys.append((heading_key, f"intro:{intro}"))
            intro += 1
        else:
            keys.append((heading_key, f"paragraph:{number}"))
    return keys


def portions(cable: Cable) -> tuple[Portion, ...]:
    """Every portion of the cable's text, in reading order."""
    default = banner(cable)
    found: list[Portion] = []
    if cable.subject:
        marking = cable.subject_marking
        found.append(
            Portion(
                "subject", "the subject", marking or default, marking is not None, cable.subject
            )
        )
    for paragraph, (heading_key, key) in zip(cable.paragraphs, paragraph_keys(cable), strict=True):
        number = paragraph.number
        if heading_key is not None and paragraph.heading:
            found.append(
                Portion(heading_key, f"the heading before paragraph {number}", default, False,
                        paragraph.heading, number)
            )  # fmt: skip
        label = "unnumbered text" if number is None else f"paragraph {number}"
        found.append(
            Portion(key, label, paragraph.marking or default, paragraph.marking is not None,
                    paragraph.text, number)
        )  # fmt: skip
    if cable.signature:
        found.append(Portion("signature", "the signature", default, False, cable.signature))
    return tuple(found)
