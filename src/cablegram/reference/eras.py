"""Which geographic TAGS code table decides a cable's two-letter TAGS: the era (spec §2.5).

The geographic code set changed twice, and the same code means different places in
different tables: RS is Russia in Cablegate-era cables (FIPS 10-4 style) and Serbia in the
current 5 FAH-3 H-414 table (GENC/ISO style, where Russia is RU); GE was East Germany in
1974, is unused in FIPS, and is Georgia today. So the cable's date picks the table.

The ranges live in ``data/tag_eras.tsv`` (from inclusive, until exclusive). The spec marks
both cut-overs as INFERENCE; the boundaries chosen, and why:

* **1974 handbook, before 1980-01-01.** TL:TAGS-1 (28 June 1974) is the table transcribed
  for the 1973-1979 Central Foreign Policy File, the electronic telegrams NARA released
  (S15, S16), so it is documented up to the end of 1979 and no later. The sample corpus
  agrees: 73TEHRAN2077 (IR PK XF) and 75TEHRAN2069 (IR) use codes both tables share.
* **FIPS 10-4 style, 1980-01-01 to 2016-01-01.** The first code of the sample that only the
  FIPS table has is PM (Panama; PN in 1974) in 89PANAMA8545, 13 Dec 1989, so the change
  happened between 1979 and 1989; the 1980 boundary is the earliest the evidence allows.
  Every Cablegate-era cable of the sample (to Feb 2010) reads FIPS: RS Russia on MOSCOW
  cables 2005-2010, GM Germany, SZ Switzerland, IC Iceland, KV Kosovo. A caveat: UR (USSR)
  and other codes retired before FIPS 10-4's current edition read as unknown in the 1980s.
* **Current GENC/ISO style, from 2016-01-01.** FIPS 10-4 was withdrawn in 2008 and replaced
  by GENC across the US government [RECALLED]; the only dated evidence of the new TAGS is
  5 FAH-3 H-414 (CT:TAGS-96, 2024). No sample cable falls between 2010 and 2024, so 2016 is
  a choice inside that gap, not a finding; change ``tag_eras.tsv`` when a dated cable
  pins it down.

Undated cables take the FIPS table: the sample corpus, like Cablegate, is almost all
2000-2010.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime

from cablegram.model import TagEra
from cablegram.reference._tsv import table

#: The era of undated cables.
UNDATED_ERA = TagEra.FIPS


@dataclass(frozen=True)
class EraSpan:
    era: TagEra
    geo_table: str
    """The package data file holding this era's geographic codes."""
    start: date | None
    """Inclusive; None for open."""
    until: date | None
    """Exclusive; None for open."""
    rationale: str

    def covers(self, on: date) -> bool:
        return (self.start is None or self.start <= on) and (self.until is None or on < self.until)


def _date(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


@functools.cache
def era_spans() -> tuple[EraSpan, ...]:
    """The spans of ``tag_eras.tsv`` in date order."""
    spans = [
        EraSpan(
            TagEra(row["era"]),
            row["table"],
            _date(row["from"]),
            _date(row["until"]),
            row["rationale"],
        )
        for row in table("tag_eras.tsv").rows
    ]
    return tuple(sorted(spans, key=lambda span: span.start or date.min))


def geographic_era(on: date | None) -> TagEra:
    """The geographic TAGS table for a cable dated ``on`` (None, undated: FIPS)."""
    if on is None:
        return UNDATED_ERA
    if isinstance(on, datetime):
        on = on.date()  # a datetime does not compare with a date
    for span in era_spans():
        if span.covers(on):
            return span.era
    raise LookupError(f"tag_eras.tsv has no era for {on.isoformat()}")


def geo_table(era: TagEra) -> str:
    """The data file of an era's geographic codes."""
    for span in era_spans():
        if span.era is era:
            return span.geo_table
    raise LookupError(f"tag_eras.tsv has no row for era {era.value}")
