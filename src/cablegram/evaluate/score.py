"""Scoring the parser on a corpus: per-field counts for full and partial cables.

`evaluate` parses each record's ``text`` (never its metadata), applies the metadata rules
(`metadata`), then compares every field the rules leave in (`fields`). The thresholds
apply to full cables only; partial extracts are reported with the same fields, because
many of them carry no DTG or year in their text and cannot meet them.

A parser exception does not stop the run: the record is scored as an empty `Cable` (a
miss on every field) and the error is listed, so one crash cannot hide the other figures.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from cablegram.evaluate.corpus import Group, Record
from cablegram.evaluate.fields import (
    Comparison,
    Field,
    compare_date,
    compare_id,
    compare_level,
    compare_noforn,
    compare_tags,
    tag_tokens,
)
from cablegram.evaluate.metadata import MetadataError, metadata_errors
from cablegram.model import Cable
from cablegram.read import parse

THRESHOLDS: Mapping[Field, float] = {
    Field.ID: 99.5,
    Field.DATE: 99.5,
    Field.LEVEL: 99.5,
    Field.NOFORN: 99.0,
    Field.TAGS: 97.0,
}
"""Minimum percentage correct on full cables (issue: accuracy report)."""

_COMPARE: Mapping[Field, Callable[[Record, Cable], Comparison]] = {
    Field.ID: compare_id,
    Field.DATE: compare_date,
    Field.LEVEL: compare_level,
    Field.NOFORN: compare_noforn,
}


@dataclass(frozen=True)
class Miss:
    reference_id: str
    expected: str
    got: str
    severity: float


@dataclass
class FieldScore:
    correct: int = 0
    total: int = 0
    misses: list[Miss] = field(default_factory=list)

    @property
    def percent(self) -> float | None:
        return 100 * self.correct / self.total if self.total else None

    def worst(self, count: int) -> list[Miss]:
        """The ``count`` most severe misses, ties by id."""
        return sorted(self.misses, key=lambda m: (-m.severity, m.reference_id))[:count]


@dataclass
class TokenScore:
    """Micro-averaged tag tokens: matched / parsed (precision), matched / expected (recall)."""

    matched: int = 0
    expected: int = 0
    got: int = 0

    @property
    def precision(self) -> float | None:
        return 100 * self.matched / self.got if self.got else None

    @property
    def recall(self) -> float | None:
        return 100 * self.matched / self.expected if self.expected else None


@dataclass
class Evaluation:
    records: dict[Group, int] = field(default_factory=lambda: dict.fromkeys(Group, 0))
    scores: dict[Group, dict[Field, FieldScore]] = field(
        default_factory=lambda: {group: {f: FieldScore() for f in Field} for group in Group}
    )
    tag_tokens: dict[Group, TokenScore] = field(
        default_factory=lambda: {group: TokenScore() for group in Group}
    )
    metadata_errors: list[MetadataError] = field(default_factory=list)
    parse_errors: list[tuple[str, str]] = field(default_factory=list)
    """(reference id, exception) for each record the parser raised on."""
    parse_seconds: float = 0.0

    def passed(self, checked: Field) -> bool:
        percent = self.scores[Group.FULL][checked].percent
        return percent is not None and percent >= THRESHOLDS[checked]

    @property
    def failures(self) -> list[Field]:
        return [checked for checked in Field if not self.passed(checked)]

    def as_dict(self, worst: int) -> dict[str, Any]:
        """The numbers as JSON-able data, with the ``worst`` most severe misses per field."""
        return {
            "records": {group.value: count for group, count in self.records.items()},
            "parse_seconds": round(self.parse_seconds, 3),
            "groups": {
                group.value: {
                    checked.value: _score_dict(score, worst, THRESHOLDS.get(checked), group)
                    for checked, score in self.scores[group].items()
                }
                | {"tag_tokens": _tokens_dict(self.tag_tokens[group])}
                for group in Group
            },
            "passed": not self.failures,
            "metadata_errors": [
                {
                    "id": error.reference_id,
                    "rule": error.rule.value,
                    "detail": error.detail,
                    "excluded": [f.value for f in Field if f in error.excluded],
                }
                for error in self.metadata_errors
            ],
            "parse_errors": [{"id": i, "error": error} for i, error in self.parse_errors],
        }


def _score_dict(
    score: FieldScore, worst: int, threshold: float | None, group: Group
) -> dict[str, Any]:
    return {
        "correct": score.correct,
        "total": score.total,
        "percent": score.percent,
        "threshold": threshold if group is Group.FULL else None,
        "worst": [
            {"id": m.reference_id, "expected": m.expected, "got": m.got} for m in score.worst(worst)
        ],
    }


def _tokens_dict(tokens: TokenScore) -> dict[str, Any]:
    return {
        "matched": tokens.matched,
        "expected": tokens.expected,
        "got": tokens.got,
        "precision": tokens.precision,
        "recall": tokens.recall,
    }


def evaluate(records: Iterable[Record], reader: Callable[[str], Cable] = parse) -> Evaluation:
    """Parse every record's text with ``reader`` and score it against the record's metadata."""
    result = Evaluation()
    for record in records:
        group = record.group
        result.records[group] += 1
        errors = metadata_errors(record)
        result.metadata_errors.extend(errors)
        excluded = frozenset().union(*(e.excluded for e in errors))
        if excluded == frozenset(Field):
            continue
        cable = _read(record, reader, result)
        scores = result.scores[group]
        for checked, compare in _COMPARE.items():
            if checked not in excluded:
                _count(scores[checked], record, compare(record, cable))
        if Field.TAGS not in excluded:
            tokens = tag_tokens(record, cable)
            counts = result.tag_tokens[group]
            counts.matched += len(tokens.expected & tokens.got)
            counts.expected += len(tokens.expected)
            counts.got += len(tokens.got)
            _count(scores[Field.TAGS], record, compare_tags(tokens))
    return result


def _read(record: Record, reader: Callable[[str], Cable], result: Evaluation) -> Cable:
    start = time.perf_counter()
    try:
        return reader(record.text)
    except Exception as error:  # scored as a miss on every field, and listed
        result.parse_errors.append((record.reference_id, f"{type(error).__name__}: {error}"))
        return Cable()
    finally:
        result.parse_seconds += time.perf_counter() - start


def _count(score: FieldScore, record: Record, comparison: Comparison) -> None:
    score.total += 1
    if comparison.correct:
        score.correct += 1
    else:
        score.misses.append(
            Miss(record.reference_id, comparison.expected, comparison.got, comparison.severity)
        )
