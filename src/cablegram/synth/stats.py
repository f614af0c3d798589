"""Distributions of a corpus, measured the same way for generated cables and the sample,
so that the synthetic corpus's realism is measured, not claimed.

Per cable: TAGS (count, and which), paragraphs, portion markings (level, NOFORN, REL TO),
the banner, transmission sections, REF entries and length in lines, plus the share of
cables with a summary, a comment, a participant list or a part-n-of-m notice. The sample
(``shared/corpus/cablegate-sample.jsonl.gz``, 2,979 Cablegate cables) is measured on what
`cablegram.read.parse` reads from its texts; generated cables on their model, which the
tests prove equal to what the reader reads from their text.

Differences by design, not by measure: Cablegate copies carry one envelope for the whole
cable, while the writer repeats it on each transmission section (ACP 127 §208), so
multi-section synthetic cables are longer by about fifteen lines a section, and a tenth of
the sample are partial extracts without a header; synthetic dates span 2000-2010 while
the sample crowds into 2008-2009, so fewer synthetic cables carry SIPDIS (introduced in
December 2005) and some carry LIMITED OFFICIAL USE (before 2005); NODIS and EXDIS cables,
absent from Cablegate, are generated on purpose.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from cablegram.model import Cable, Level

TOP_TAGS = 15

Bucket = Callable[[int], str]


def _upto(limit: int, ranges: tuple[tuple[int, int], ...] = ()) -> Bucket:
    """Buckets ``0`` .. ``limit`` one by one, then the given (low, high) ranges, then more."""

    def bucket(value: int) -> str:
        if value <= limit:
            return str(value)
        for low, high in ranges:
            if low <= value <= high:
                return f"{low}-{high}"
        last = ranges[-1][1] if ranges else limit
        return f"{last + 1}+"

    return bucket


HISTOGRAMS: dict[str, Bucket] = {
    "TAGS per cable": _upto(10),
    "paragraphs per cable": _upto(5, ((6, 7), (8, 9), (10, 14), (15, 19))),
    "sections per cable": _upto(5),
    "references per cable": _upto(5),
    "length in lines": _upto(
        -1, ((0, 49), (50, 99), (100, 149), (150, 199), (200, 299), (300, 499))
    ),
}
_LEVEL_NAMES = {
    Level.UNCLASSIFIED: "U",
    Level.SBU: "SBU",
    Level.LOU: "LOU",
    Level.CONFIDENTIAL: "C",
    Level.SECRET: "S",
    Level.TOP_SECRET: "TS",
}
LEVEL_ORDER = ("U", "SBU", "LOU", "C", "S", "TS", "none")


@dataclass
class Distribution:
    """Counts over a corpus; `add` one cable at a time (a corpus is never held in memory)."""

    cables: int = 0
    values: dict[str, list[int]] = field(default_factory=lambda: {name: [] for name in HISTOGRAMS})
    tags: Counter[str] = field(default_factory=Counter)
    banners: Counter[str] = field(default_factory=Counter)
    portions: Counter[str] = field(default_factory=Counter)
    features: Counter[str] = field(default_factory=Counter)
    """Cables with NOFORN, REL TO, a summary, a comment ... (see `FEATURES`)."""

    def add(self, cable: Cable, text: str) -> None:
        self.cables += 1
        section_total = cable.section.total if cable.section else 1
        measured = (
            len(cable.tags),
            len(cable.paragraphs),
            section_total,
            len(cable.references),
            len(text.splitlines()),
        )
        for name, value in zip(HISTOGRAMS, measured, strict=True):
            self.values[name].append(value)
        self.tags.update(list(dict.fromkeys(tag.code for tag in cable.tags)))
        banner = cable.classification
        self.banners[_LEVEL_NAMES[banner.level] if banner else "none"] += 1
        for paragraph in cable.paragraphs:
            marking = paragraph.marking
            self.portions[_LEVEL_NAMES[marking.level] if marking else "unmarked"] += 1
            if marking is not None and marking.noforn:
                self.portions["NOFORN"] += 1
            if marking is not None and marking.rel_to:
                self.portions["REL TO"] += 1
        for name, test in FEATURES.items():
            if test(cable):
                self.features[name] += 1

    def histogram(self, name: str) -> Counter[str]:
        return Counter(HISTOGRAMS[name](value) for value in self.values[name])

    def mean(self, name: str) -> float:
        return statistics.fmean(self.values[name]) if self.values[name] else 0.0

    def median(self, name: str) -> float:
        return statistics.median(self.values[name]) if self.values[name] else 0.0

    def share(self, count: int, total: int | None = None) -> float:
        denominator = self.cables if total is None else total
        return 100.0 * count / denominator if denominator else 0.0


FEATURES: dict[str, Callable[[Cable], bool]] = {
    "NOFORN banner": lambda c: c.classification is not None and c.classification.noforn,
    "REL TO portion": lambda c: any(p.marking and p.marking.rel_to for p in c.paragraphs),
    "NODIS/EXDIS/LIMDIS": lambda c: bool({"NODIS", "EXDIS", "LIMDIS"} & set(c.captions)),
    "SIPDIS": lambda c: "SIPDIS" in c.captions,
    "summary": lambda c: any(b.kind.value == "summary" for b in c.blocks),
    "comment": lambda c: any(b.kind.value == "comment" for b in c.blocks),
    "participant list": lambda c: bool(c.participants),
    "part n of m": lambda c: c.part is not None,
    "subject marked": lambda c: c.subject_marking is not None,
}


def measure(cables: Iterable[tuple[Cable, str]]) -> Distribution:
    distribution = Distribution()
    for cable, text in cables:
        distribution.add(cable, text)
    return distribution


@dataclass(frozen=True)
class Row:
    label: str
    values: tuple[str, ...]
    """One cell per corpus compared."""


@dataclass(frozen=True)
class Comparison:
    title: str
    rows: tuple[Row, ...]


def _percent(value: float) -> str:
    return f"{value:.1f} %"


def compare(corpora: list[Distribution]) -> list[Comparison]:
    """Tables with one column per corpus: shares per bucket, means and medians, banner and
    portion shares, feature shares, and the most frequent TAGS (ties alphabetical)."""
    tables = []
    for name in HISTOGRAMS:
        histograms = [corpus.histogram(name) for corpus in corpora]
        labels = _ordered_labels(name, histograms)
        rows = [
            Row(
                label,
                tuple(
                    _percent(c.share(h[label])) for c, h in zip(corpora, histograms, strict=True)
                ),
            )
            for label in labels
        ]
        rows.append(Row("mean", tuple(f"{c.mean(name):.1f}" for c in corpora)))
        rows.append(Row("median", tuple(f"{c.median(name):g}" for c in corpora)))
        tables.append(Comparison(name, tuple(rows)))
    tables.append(
        Comparison(
            "banner (share of cables)",
            tuple(
                Row(level, tuple(_percent(c.share(c.banners[level])) for c in corpora))
                for level in LEVEL_ORDER
                if any(c.banners[level] for c in corpora)
            ),
        )
    )
    portion_labels = [*LEVEL_ORDER[:-1], "unmarked", "NOFORN", "REL TO"]
    tables.append(
        Comparison(
            "portion markings (share of paragraphs)",
            tuple(
                Row(
                    label,
                    tuple(_percent(c.share(c.portions[label], _paragraphs(c))) for c in corpora),
                )
                for label in portion_labels
                if any(c.portions[label] for c in corpora)
            ),
        )
    )
    tables.append(
        Comparison(
            "features (share of cables)",
            tuple(
                Row(name, tuple(_percent(c.share(c.features[name])) for c in corpora))
                for name in FEATURES
            ),
        )
    )
    ranked = [
        sorted(c.tags.items(), key=lambda item: (-item[1], item[0]))[:TOP_TAGS] for c in corpora
    ]
    tables.append(
        Comparison(
            "top TAGS (share of cables)",
            tuple(
                Row(
                    str(rank + 1),
                    tuple(
                        f"{tops[rank][0]} {_percent(c.share(tops[rank][1]))}"
                        if rank < len(tops)
                        else ""
                        for c, tops in zip(corpora, ranked, strict=True)
                    ),
                )
                for rank in range(max((len(tops) for tops in ranked), default=0))
            ),
        )
    )
    return tables


def _paragraphs(distribution: Distribution) -> int:
    return sum(distribution.values["paragraphs per cable"])


def _ordered_labels(name: str, histograms: list[Counter[str]]) -> list[str]:
    """Bucket labels in numeric order of their lower bound."""
    labels = {label for histogram in histograms for label in histogram}
    return sorted(labels, key=lambda label: int(label.split("-")[0].rstrip("+")))
