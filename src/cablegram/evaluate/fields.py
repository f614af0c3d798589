"""The fields scored, and how a parsed `Cable` is compared with the publisher's metadata.

Each comparison returns a `Comparison`: whether the cable is right, the expected and parsed
values as short strings for the report, and a severity used to rank the worst misses.

* **id**: ``cable.id`` against ``reference_id`` (canonical ids, spec §2.6).
* **date**: ``cable.dtg`` against ``created``, both UTC, to the hour: the publisher's minutes
  are unreliable (``created`` 18:06 for DTG ``281848Z DEC 66``), its hours are not.
* **level**: ``cable.classification.level`` against the label before ``//``. SBU and LOU
  count as UNCLASSIFIED, as the publisher labels them (an SBU cable is
  ``UNCLASSIFIED//FOR OFFICIAL USE ONLY``; spec §2.1).
* **noforn**: ``NOFORN`` among the banner's caveats against ``//NOFORN`` in the label.
* **tags**: word tokens (every tag split on non-alphanumerics) compared as sets, because
  the publisher split some tags (``COUNTER TERRORISM`` -> ``COUNTER``, ``TERRORISM``) and
  kept person tags as words. A cable is right when the sets are equal; token precision and
  recall are counted too. Run-together lists (``TAGS: KFRDCVISCMGTCASCKOCIASECPHUMSMIGEG``
  in 09CAIRO207) are written so in the text itself, and compare as one token on both sides.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass

from cablegram.evaluate.corpus import Record
from cablegram.model import Cable, Level

MISSING = "—"
"""Shown for a value the parser did not find."""

_TOKEN = re.compile(r"[A-Z0-9]+")


class Field(enum.Enum):
    ID = "id"
    DATE = "date"
    LEVEL = "level"
    NOFORN = "noforn"
    TAGS = "tags"


@dataclass(frozen=True)
class Comparison:
    correct: bool
    expected: str
    got: str
    severity: float
    """Larger is worse: hours off for dates, tokens wrong for tags, rank steps for levels."""


@dataclass(frozen=True)
class TagTokens:
    """The word-token sets compared for one cable."""

    expected: frozenset[str]
    got: frozenset[str]


def compare_id(record: Record, cable: Cable) -> Comparison:
    got = cable.id
    # A wrong id is worse than none: it files the cable silently under another cable.
    severity = 1.0 if got is None else 2.0
    return Comparison(got == record.reference_id, record.reference_id, got or MISSING, severity)


def compare_date(record: Record, cable: Cable) -> Comparison:
    expected = record.created.replace(minute=0)
    shown = expected.strftime("%Y-%m-%d %HZ")
    if cable.dtg is None:
        return Comparison(False, shown, MISSING, float("inf"))
    got = cable.dtg.replace(minute=0, second=0, microsecond=0)
    hours = abs((got - expected).total_seconds()) / 3600
    return Comparison(hours == 0, shown, got.strftime("%Y-%m-%d %HZ"), hours)


def publisher_level(label: str) -> Level:
    """The level a publisher's label names before ``//``; ValueError when it names none."""
    return Level.from_name(label.split("//")[0])


def level_word(level: Level) -> str:
    return Level.UNCLASSIFIED.word if not level.is_classified else level.word


def compare_level(record: Record, cable: Cable) -> Comparison:
    expected = publisher_level(record.classification)
    shown = level_word(expected)
    if cable.classification is None:
        return Comparison(False, shown, MISSING, float(Level.TOP_SECRET.rank + 1))
    got = cable.classification.level
    steps = abs(_compared_rank(got) - _compared_rank(expected))
    return Comparison(steps == 0, shown, level_word(got), float(steps))


def _compared_rank(level: Level) -> int:
    return level.rank if level.is_classified else Level.UNCLASSIFIED.rank


def compare_noforn(record: Record, cable: Cable) -> Comparison:
    expected = "NOFORN" in record.classification.split("//")[1:]
    shown = _yes_no(expected)
    if cable.classification is None:
        return Comparison(False, shown, MISSING, 1.0)
    got = cable.classification.noforn
    return Comparison(got == expected, shown, _yes_no(got), 1.0)


def _yes_no(value: bool) -> str:
    return "NOFORN" if value else "releasable"


def word_tokens(tags: Iterable[str]) -> list[str]:
    """Every tag split on non-alphanumerics: ``STEINBERG, JAMES B.`` -> STEINBERG JAMES B."""
    return [token for tag in tags for token in _TOKEN.findall(tag.upper())]


def tag_tokens(record: Record, cable: Cable) -> TagTokens:
    return TagTokens(
        frozenset(word_tokens(record.tags)), frozenset(word_tokens(t.code for t in cable.tags))
    )


def compare_tags(tokens: TagTokens) -> Comparison:
    wrong = len(tokens.expected ^ tokens.got)
    return Comparison(
        wrong == 0,
        " ".join(sorted(tokens.expected)) or MISSING,
        " ".join(sorted(tokens.got)) or MISSING,
        float(wrong),
    )
