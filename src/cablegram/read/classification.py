"""The classification line and the caption block beneath it (spec §2.1, §2.2).

Output fields: ``classification`` (banner `Marking`), ``origin``, ``serial``, ``section``,
``captions``, ``passing``.

The line is ``<CLASSIFICATION> [SECTION nn OF nn] <ORIGIN> <serial>``: the level spaced
(``S E C R E T``, ``C O N F I D E N T I A L``) or plain (``CONFIDENTIAL``,
``UNCLASSIFIED``, ``LIMITED OFFICIAL USE``, ``UNCLAS``). Variants in the sample corpus:
``SS E C R E T`` (stutter), ``CONFIDENTIAL SECTION 01 of 03`` (lowercase), ``UNCLAS E F T O``,
CSV residue before the line (``","S E C R E T``), lowercase retyped copies.

Captions follow, one or more per line (SIPDIS is often doubled); passing instructions are
``X FOR Y`` lines (``DEPT FOR EUR/RUS``) and may wrap after a comma. An UNCLAS cable with
the SENSITIVE caption is SBU; NOFORN and other caveat captions join the banner.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cablegram.model import Level, Marking, Section
from cablegram.read.marking import portion_marking


def _spaced(word: str) -> str:
    return r"\s?".join(word)


_LEVEL_WORDS = [
    (rf"T\s?O\s?P\s?{_spaced('SECRET')}", Level.TOP_SECRET),
    # Published copies stutter or drop the first letter: "SS E C R E T", "E C R E T".
    (rf"(?:S\s?)?(?:S\s?)?{_spaced('ECRET')}", Level.SECRET),
    (rf"(?:C\s?)?(?:C\s?)?{_spaced('ONFIDENTIAL')}", Level.CONFIDENTIAL),
    (r"LIMITED\s+OFFICIAL\s+USE", Level.LOU),
    (r"UNCLAS(?:SIFIED)?", Level.UNCLASSIFIED),
]
CLASSIFICATION_LINE = re.compile(
    r"^[^A-Za-z]{0,12}(?P<level>"
    + "|".join(f"(?:{pattern})" for pattern, _ in _LEVEL_WORDS)
    + r")\b(?P<middle>[A-Z/ ]*?)"
    r"(?:\s*(?P<final>FINAL\s+)?SECTION\s+(?P<number>\d{1,3})?\s*OF\s+(?P<total>\d{1,3}))?"
    r"\s+(?P<origin>[A-Z][A-Z .'\-]{0,40}?)\s+(?P<serial>\d{1,8})\s*$",
    re.IGNORECASE,
)

CAPTION_WORDS = frozenset(
    {
        "SIPDIS",
        "NOFORN",
        "SENSITIVE",
        "EXDIS",
        "NODIS",
        "LIMDIS",
        "STADIS",
        "CHEROKEE",
        "CONDIS",
        "ONLY",
        "EFTO",
        "ORCON",
        "PROPIN",
        "SPECAT",
        "NOCONTRACT",
    }
)
#: Captions that restrict who may read a cable ("channel" captions, spec §2.2).
CHANNEL_CAPTIONS = frozenset({"NODIS", "EXDIS", "LIMDIS", "STADIS", "CHEROKEE", "CONDIS"})
#: Captions that are also banner caveats.
CAVEAT_CAPTIONS = {"NOFORN": "NOFORN", "ORCON": "ORCON", "PROPIN": "PROPIN"}
_PHRASE_CAPTIONS = re.compile(
    r"^(?:FOR OFFICIAL USE ONLY|NOT FOR (?:INTERNET|WEB) (?:DISTRIBUTION|PUBLICATION)|"
    r"CORRECTED COPY.*|HANDLE AS SPECAT.*|[A-Z]+ CHANNEL|E\s?F\s?T\s?O|"
    r"NOT RELEASABLE TO FOREIGN NATIONALS|WEBGRAM.*|REL TO .+|[A-Z]+ ONLY|FOR [A-Z ./]+ ONLY)$"
)
_PASSING = re.compile(r"^[A-Z0-9/&.,' ()-]+\b(?:FOR|PASS(?: TO)?)\b")


@dataclass(frozen=True)
class ClassificationLine:
    level: Level
    caveats: frozenset[str]
    origin_written: str
    serial: int
    section: Section | None


def classification_line(line: str) -> ClassificationLine | None:
    """Parse ``S E C R E T SECTION 01 OF 02 MOSCOW 001002``; None if not such a line."""
    if not line or not line[-1].isdigit():
        return None  # every classification line ends with the serial
    match = CLASSIFICATION_LINE.match(line)
    if not match:
        return None
    level_text = "".join(match.group("level").split()).upper()
    level = _level_from_word(level_text)
    caveats = frozenset(
        CAVEAT_CAPTIONS[w]
        for w in match.group("middle").upper().replace("/", " ").split()
        if w in CAVEAT_CAPTIONS
    )
    section = None
    if match.group("total"):
        total = int(match.group("total"))
        number = int(match.group("number")) if match.group("number") else total
        section = Section(number, total)
    return ClassificationLine(
        level=level,
        caveats=caveats,
        origin_written=" ".join(match.group("origin").upper().split()),
        serial=int(match.group("serial")),
        section=section,
    )


def _level_from_word(word: str) -> Level:
    if word.startswith("TOP"):
        return Level.TOP_SECRET
    if word.endswith("ECRET"):
        return Level.SECRET
    if word.endswith("ONFIDENTIAL"):
        return Level.CONFIDENTIAL
    if word.startswith("LIMITED"):
        return Level.LOU
    return Level.UNCLASSIFIED


def split_caption_line(line: str) -> list[str] | None:
    """The captions on one line, or None when the line is not a caption line."""
    if len(line) > 80:
        return None
    text = " ".join(line.upper().split()).strip(" .")
    if not text:
        return None
    if _PHRASE_CAPTIONS.match(text):
        return ["EFTO" if re.fullmatch(r"E\s?F\s?T\s?O", text) else text]
    words = text.replace("/", " ").split()
    if words and all(word in CAPTION_WORDS for word in words):
        return words
    return None


_LEADING_CAPTION = re.compile(
    r"^[\s,]*(SIPDIS|NOFORN|SENSITIVE|EXDIS|NODIS|LIMDIS|STADIS|CHEROKEE|CONDIS|ORCON|PROPIN)"
    r"(?=[\s,.]|$|SIPDIS|NOFORN|SENSITIVE|E\.O\.)"
)


def leading_captions(line: str) -> tuple[list[str], str]:
    """Caption words at the start of a line, even glued (``SIPDISNOFORN``), and the rest:
    ``NOFORN SIPDIS DEPT FOR NEA/MAG`` -> (``[NOFORN, SIPDIS]``, ``DEPT FOR NEA/MAG``)."""
    found: list[str] = []
    rest = line.upper()
    while match := _LEADING_CAPTION.match(rest):
        found.append(match.group(1))
        rest = rest[match.end() :]
    return found, line[len(line) - len(rest) :].strip(" ,") if found else line


def is_passing_instruction(line: str) -> bool:
    text = line.strip()
    return bool(text) and text.upper() == text and bool(_PASSING.match(text))


def captions(text: str) -> tuple[str, ...]:
    """The captions in a fragment (one or more per line), in order, without repeats."""
    found: list[str] = []
    for line in text.splitlines():
        for caption in split_caption_line(line) or ():
            if caption not in found:
                found.append(caption)
    return tuple(found)


def banner(level: Level, caveats: frozenset[str], caption_list: tuple[str, ...]) -> Marking:
    """The banner marking: the line's level, SBU when UNCLAS is captioned SENSITIVE, the
    caveats written on the line or captioned, and a captioned release list."""
    if level is Level.UNCLASSIFIED and "SENSITIVE" in caption_list:
        level = Level.SBU
    all_caveats = set(caveats)
    rel_to: tuple[str, ...] = ()
    for caption in caption_list:
        if caption in CAVEAT_CAPTIONS:
            all_caveats.add(CAVEAT_CAPTIONS[caption])
        elif caption.startswith("REL TO "):
            parsed = portion_marking("U/" + caption)
            if parsed is not None:
                rel_to = parsed.rel_to
    return Marking(level, frozenset(all_caveats), rel_to)
