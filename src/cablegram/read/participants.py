"""Participant lists: who attended a meeting the cable reports.

Output field: ``participants`` (name, title, affiliation, side).

A paragraph whose first line ends with ``Participants.`` / ``Participants:`` (seed
paragraph 19: ``(U) Meeting Participants.``), then groups: a side line ending with a colon
(``U.S.:``, ``Russia:``) and one participant per line, ``[TITLE ]Name[, Affiliation]``:
``U/S Robert Joseph, State/T`` · ``ASD(Acting) Joseph Benkert, OSD`` ·
``Gen-Lt. Yevgeniy Buzhinskiy, MOD`` · ``William Tobey, DOE/NNSA``.
"""

from __future__ import annotations

import re

from cablegram.model import Paragraph, Participant

_HEADER = re.compile(r"\bparticipants?\s*[.:]?\s*$", re.IGNORECASE)
#: Title words written before a participant's name (compared in upper case).
TITLES = frozenset(
    """
    MR. MRS. MS. DR. PROF. AMB. AMBASSADOR MINISTER DEPUTY SECRETARY SENATOR GEN. GENERAL
    ADM. ADMIRAL COL. LTC. MAJ. CAPT. LT. PRESIDENT PRIME CHARGE COUNSELOR DIRECTOR
    """.split()
)
_ABBREVIATION = re.compile(r"^[A-Z]{2,5}$")


def participants(paragraphs: tuple[Paragraph, ...]) -> tuple[Participant, ...]:
    """Participants listed in any paragraph that announces a participant list."""
    found: list[Participant] = []
    for paragraph in paragraphs:
        first_line = paragraph.text.split("\n", 1)[0]
        if "articipant" not in first_line[-20:].lower() or not _HEADER.search(first_line):
            continue
        lines = paragraph.text.split("\n")
        side: str | None = None
        for line in lines[1:]:
            text = line.strip()
            if not text:
                continue
            if text.endswith(":"):
                side = text[:-1].strip()
                continue
            parsed = participant(text, side)
            if parsed is not None:
                found.append(parsed)
    return tuple(found)


def participant(line: str, side: str | None = None) -> Participant | None:
    """``U/S Robert Joseph, State/T`` -> Participant(``Robert Joseph``, ``U/S``, ``State/T``)."""
    text = line.strip(" -*\u2022")
    if not text:
        return None
    who, _, affiliation = text.partition(",")
    tokens = who.split()
    title: str | None = None
    if len(tokens) > 1 and is_title(tokens[0]):
        title = tokens[0]
        tokens = tokens[1:]
    name = " ".join(tokens)
    if not name:
        return None
    return Participant(name=name, title=title, affiliation=affiliation.strip() or None, side=side)


def is_title(token: str) -> bool:
    return (
        "/" in token
        or "(" in token
        or token.endswith(".")
        or token.upper() in TITLES
        or bool(_ABBREVIATION.match(token))
    )
