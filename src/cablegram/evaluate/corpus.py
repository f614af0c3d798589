"""The evaluation corpus: records with independent metadata, and full versus partial texts.

A record is one line of ``shared/corpus/cablegate-sample.jsonl.gz`` (the 2010-2011 Cablegate
publication): ``reference_id``, ``created`` (date and hour reliable, minutes not),
``classification`` (the publisher's label, ``SECRET//NOFORN``), ``tags`` (the publisher's
list) and ``text``. Only ``text`` is given to the parser; the rest is the answer key.

**Full or partial.** A record is *full* when its text carries a transmission header: an
ACP-127 envelope line (FL1 ``VZCZC...``, FL3 ``DE RUEHMO #1002``) or the FM line that
follows the DTG (spec §1.1, §1.8; ``From:`` in a few printouts such as 09TIJUANA1116). The
header is searched in the first `HEADER_WINDOW` lines, because some texts are e-mail
printouts whose envelope starts after a dozen lines of mail and dissemination headers
(09DOHA214, 03ABUDHABI2641). A record is *partial* when the publisher's note says "This
record is a partial extract of the original cable" (about 10 % of the sample, mostly
2003-2006: subject, captions and body, often without a DTG or year) or when no header is
found. Full cables are measured against the thresholds; partial ones are reported apart.
"""

from __future__ import annotations

import enum
import gzip
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

DEFAULT_CORPUS = Path("..") / "shared" / "corpus" / "cablegate-sample.jsonl.gz"
"""The shared sample, relative to the repository checkout (``make accuracy`` runs there)."""

HEADER_WINDOW = 80
"""Lines searched for the transmission header (printout preambles run to ~25 lines)."""

_PARTIAL_NOTE = re.compile(r"partial extract of the original cable", re.IGNORECASE)
_HEADER_LINE = re.compile(r"^\s*(?:VZCZC|DE\s+[A-Z]{4,7}\s*#|FM\s+\S|From:\s*\S)", re.MULTILINE)


class Group(enum.Enum):
    """Which part of the report a record counts in."""

    FULL = "full"
    PARTIAL = "partial"


@dataclass(frozen=True)
class Record:
    """One corpus record: the text to parse and the publisher's metadata to check it against."""

    reference_id: str
    created: datetime
    """Aware UTC datetime; only the date and hour are reliable."""
    classification: str
    tags: tuple[str, ...]
    text: str

    @property
    def group(self) -> Group:
        return group_of(self.text)


def group_of(text: str) -> Group:
    """Full when the text has a transmission header and no partial-extract note."""
    head = "\n".join(text.splitlines()[:HEADER_WINDOW])
    if _PARTIAL_NOTE.search(head) or not _HEADER_LINE.search(head):
        return Group.PARTIAL
    return Group.FULL


def load_records(path: Path) -> Iterator[Record]:
    """Read a JSON Lines corpus (gzipped when the name ends in ``.gz``)."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as stream:
        for line in stream:
            if line.strip():
                yield record_from_json(json.loads(line))


def record_from_json(value: dict[str, Any]) -> Record:
    return Record(
        reference_id=str(value["reference_id"]),
        created=datetime.strptime(value["created"], "%Y-%m-%d %H:%M").replace(tzinfo=UTC),
        classification=str(value["classification"]),
        tags=tuple(str(tag) for tag in value.get("tags") or ()),
        text=str(value["text"]),
    )
