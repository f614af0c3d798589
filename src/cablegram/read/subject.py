"""The SUBJECT line (spec §2.6).

Output fields: ``subject`` (text, soft wraps joined) and ``subject_marking`` (a portion
mark written before the subject, ``SUBJECT: (C) ...``). The subject may wrap onto following
lines until a blank line or the REF list. Variants: ``SUBJ:``, ``SUBJECT -``, lowercase.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cablegram.model import Marking
from cablegram.read.marking import portion_marking

SUBJECT_LABEL = re.compile(r"^\s*SUBJ(?:ECT)?\s*[:.\-]\s*", re.IGNORECASE)
_MARK = re.compile(r"^\(([A-Za-z/ ,]{1,80})\)\s*")


@dataclass(frozen=True)
class Subject:
    text: str
    marking: Marking | None


def subject(text: str) -> Subject | None:
    """Parse a SUBJECT fragment (label optional); None when it is empty."""
    body = " ".join(SUBJECT_LABEL.sub("", text.strip(), count=1).split())
    marking = None
    match = _MARK.match(body)
    if match and (parsed := portion_marking(match.group(1))) is not None:
        marking = parsed
        body = body[match.end() :]
    return Subject(body, marking) if body else None
