"""Hand-made telegrams for archive tests, and JSON Lines files of them.

``telegram(n)`` is the n-th cable of a deterministic series: three posts in turn (Moscow,
Paris, the Department), levels UNCLASSIFIED / CONFIDENTIAL / SECRET changing every three
cables, marked paragraphs, a DFM named in paragraph 1, a Classified By line on classified
cables, and a REF to the previous cable of the same post. Its id is ``09<POST><n + 1>``
(serials from 1).
The texts are written by hand (not by cablegram's writer), in the shape of the seed
cable, so that these tests do not depend on the code under test to make their input.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

#: (origin as in ids, originating station, FM line) of the posts the series cycles through.
POSTS = (
    ("MOSCOW", "RUEHMO", "AMEMBASSY MOSCOW"),
    ("PARIS", "RUEHFR", "AMEMBASSY PARIS"),
    ("STATE", "RUEHC", "SECSTATE WASHDC"),
)
LEVELS = ("UNCLASSIFIED", "CONFIDENTIAL", "SECRET")
_WRITTEN = {
    "UNCLASSIFIED": "UNCLAS",
    "CONFIDENTIAL": "C O N F I D E N T I A L",
    "SECRET": "S E C R E T",
}
_PORTION = {"UNCLASSIFIED": "U", "CONFIDENTIAL": "C", "SECRET": "S"}
_FIRST_DAY = date(2009, 1, 1)
SUBJECTS = ("ARMS CONTROL TALKS", "TRADE MISSION", "VISA POLICY", "ENERGY DIALOGUE")


@dataclass(frozen=True)
class Telegram:
    cable_id: str
    text: str
    released: str | None = None

    def record(self) -> dict[str, str]:
        """The JSON Lines object of the cable (the shared sample's keys)."""
        found = {"reference_id": self.cable_id, "text": self.text}
        if self.released is not None:
            found["released"] = self.released
        return found


def telegram(n: int, *, extra: str = "", released: str | None = None) -> Telegram:
    """The n-th cable of the series (``extra`` is appended to paragraph 2, which makes
    another version of the same cable)."""
    origin, station, sender = POSTS[n % len(POSTS)]
    level = LEVELS[(n // len(POSTS)) % len(LEVELS)]
    serial = n + 1
    day = _FIRST_DAY + timedelta(days=n % 360)
    subject = f"{SUBJECTS[n % len(SUBJECTS)]} {n}"
    mark = _PORTION[level]
    month = day.strftime("%b").upper()
    eo = "N/A" if level == "UNCLASSIFIED" else f"DECL: {day:%m/%d}/{day.year + 10}"
    previous = serial - len(POSTS)
    ref = f"\nREF: {origin} {previous:06d}\n" if previous > 0 else ""
    classified_by = (
        ""
        if level == "UNCLASSIFIED"
        else "\nClassified By: DCM Daniel A. Russell for reasons 1.4 (b/d).\n"
    )
    text = f"""VZCZCXYZ0000
RR RUEHWEB

DE {station} #{serial % 10000:04d} {day.timetuple().tm_yday:03d}1200
ZNR UUUUU ZZH
R {day.day:02d}1200Z {month} {day:%y}
FM {sender}
TO RUEHC/SECSTATE WASHDC 0001

{_WRITTEN[level]} {origin} {serial:06d}

SIPDIS

E.O. 12958: {eo}
TAGS: PREL, RS
SUBJECT: {subject}
{ref}{classified_by}
1. ({mark}) DFM Kislyak discussed the {subject.lower()} with the Ambassador.

2. (U) Paragraph two of cable number {serial}.{extra}

BURNS
"""
    return Telegram(f"09{origin}{serial}", text, released)


def write_jsonl(path: Path, telegrams: Sequence[Telegram]) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for item in telegrams:
            out.write(json.dumps(item.record()) + "\n")
    return path


@dataclass(frozen=True)
class SmallCorpus:
    """Twelve cables of the series: 0-9 in ``cables.jsonl``, 10 and 11 as text files in
    ``more/``. ``directory`` holds both."""

    directory: Path
    telegrams: tuple[Telegram, ...]

    @property
    def ids(self) -> set[str]:
        return {item.cable_id for item in self.telegrams}
