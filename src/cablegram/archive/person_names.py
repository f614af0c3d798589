"""Names and titles of people as cables write them (spec §2.4, §2.5, §2.8).

Titles are data (``cablegram/data/person_titles.tsv``): how each is written, what it stands
for, and a *family* of titles that may name one person (``U/S`` and ``Under Secretary``;
``General`` and ``Gen-Lt.``; ``Mr.`` is an honorific, compatible with any title). In
mixed-case text (`titled_names`) a title must be written as the table writes it and be
followed by up to four capitalised name words (initials such as ``J.`` included; a
possessive ``'s`` ends the name; a title inside an office name, ``General`` in
``Consulate General``, is no title). All-capitals text (older cables, subject lines:
``U/S JOSEPH-RUSSIAN DFM KISLYAK MEETING``) cannot tell names from words by case, so there
a title takes exactly one following word, cut at a hyphen, and only when that word is not
a common English word (``person_common_words.tsv``, built from the sample corpus by
``scripts/build_common_words.py``: ``GENERAL ELECTIONS`` is no person) and no further name
word follows it (``PRESIDENT JOSE MANUEL ZELAYA`` is refused rather than read as
``Jose``). Words in ``person_name_stopwords.tsv`` (``Assembly``, ``Counselor``, ``per``)
end a name; a name left empty is no mention.

`parse_name` splits a written name into given names and surname (``Daniel A. Russell``;
the TAGS form ``STEINBERG, JAMES B.``; particles ``Van Voorst``; suffixes ``Jr.`` dropped;
the publisher's ``XXXXXXXXXXXX`` refused). `classifier_name` digs the name out of what the
reader took for a Classified By name, which often carries more (``Margaret Scobey per``,
``Classified by Political Counselor Dennis Hearne``). `fold` is the comparison form.

Ingest reads every cable through here, so the reading is built for speed with the same
results (``tests/archive/test_people_equivalence.py`` checks each shortcut against its
plain definition): `titled_names_in` scans all the texts of a cable at once, the title
patterns let the regex engine skip most positions, and what recurs from cable to cable
(names, words, titles, Classified By lines) is cached, in bounded caches.
"""

from __future__ import annotations

import functools
import re
import string
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate

from cablegram.reference._tsv import table

HONORIFIC = "honorific"
"""The family of ``Mr.``, ``Dr.`` ...: compatible with any title."""
OFFICE = "office"
"""The family of office names that contain a title word (``Consulate General``)."""


@dataclass(frozen=True)
class Title:
    written: str
    """As cables write it: ``DFM``, ``U/S``, ``Prime Minister``."""
    canonical: str
    """What it stands for: ``Deputy Foreign Minister``."""
    family: str
    """Titles of one family may name the same person within a cable."""


@dataclass(frozen=True)
class PersonName:
    given: tuple[str, ...]
    surname: str

    @functools.cached_property
    def display(self) -> str:
        # Cached: merging and mentions read it for every mention of a (shared) name.
        return " ".join((*self.given, self.surname))


@functools.cache
def titles() -> dict[str, Title]:
    """The title vocabulary by written form."""
    return {
        row["title"]: Title(row["title"], row["canonical"], row["family"])
        for row in table("person_titles.tsv").rows
    }


@functools.cache
def _titles_folded() -> dict[str, Title]:
    return {written.upper(): title for written, title in titles().items()}


@functools.cache
def _stopwords() -> frozenset[str]:
    return frozenset(row["word"] for row in table("person_name_stopwords.tsv").rows)


@functools.cache
def _common_words() -> frozenset[str]:
    return frozenset(row["word"] for row in table("person_common_words.tsv").rows)


_QUALIFIER = re.compile(r"\s*\([^)]*\)\s*")


# Cached (like `fold`): the same few titles are looked up for every mention.
@functools.lru_cache(maxsize=4096)
def title_family(title: str | None) -> str | None:
    """The family of a written title; an unknown title is its own family; None for none.
    A parenthesised qualifier is ignored (``ASD(Acting)`` is an ``ASD``)."""
    if not title:
        return None
    bare = _QUALIFIER.sub(" ", title).strip()
    known = titles().get(bare) or _titles_folded().get(bare.upper())
    return known.family if known else fold(bare)


# Cached: names and words recur across mentions and cables, and ingest folds each of them
# many times (bounded, since ingest runs over arbitrarily many cables).
@functools.lru_cache(maxsize=1 << 15)
def fold(text: str) -> str:
    """Lower case, accents and dots removed, spaces collapsed: the form keys compare."""
    if not text.isascii():  # ASCII has no accents to remove
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(text.replace(".", " ").lower().split())


# --- names -------------------------------------------------------------------------------

_NAME_TOKEN = re.compile(r"^[^\W\d_][\w'’\-]*\.?$")
#: The publisher's redaction of names (``XXXXXXXXXXXX``) is no name.
_REDACTED = re.compile(r"XXXX", re.IGNORECASE)
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "vi"})
#: Lower-case particles that belong to the surname that follows (``Van Voorst``).
_PARTICLES = frozenset(
    {
        "van",
        "von",
        "der",
        "den",
        "de",
        "da",
        "del",
        "della",
        "di",
        "du",
        "la",
        "bin",
        "ibn",
        "al",
        "el",
        "abu",
        "aboul",
    }
)


@functools.lru_cache(maxsize=1 << 14)
def _is_stopword(token: str) -> bool:
    bare = fold(token.rstrip("."))
    # Initials are never words ("A." in "Daniel A. Russell" is no article); a hyphenated
    # word is one when all its parts are ("Minister-Counselor").
    return len(bare) > 1 and (
        bare in _stopwords() or ("-" in bare and all(p in _stopwords() for p in bare.split("-")))
    )


def _display_case(token: str) -> str:
    """All-capitals words shown capitalised (``KISLYAK`` -> ``Kislyak``)."""
    return token.title() if token.isupper() and len(token) > 1 else token


# Cached: the same names recur in mention after mention (the result is immutable).
@functools.lru_cache(maxsize=1 << 14)
def parse_name(text: str) -> PersonName | None:
    """``Daniel A. Russell`` -> given (``Daniel``, ``A.``), surname ``Russell``; a
    ``SURNAME, GIVEN`` tag (``STEINBERG, JAMES B.``) is turned around. None when the
    text does not look like a name."""
    written = " ".join(text.split()).strip(" ,;:")
    head, comma, tail = written.rpartition(",")
    if comma and fold(tail.strip().rstrip(".")) in _SUFFIXES:
        written = head.strip()  # "William B. Wood, Jr."
    if written.count(",") == 1:
        surname_part, given_part = (part.strip() for part in written.split(","))
        written = f"{given_part} {surname_part}"
    tokens = written.split()
    while tokens and fold(tokens[-1].rstrip(".")) in _SUFFIXES:
        tokens.pop()
    if not tokens or len(tokens) > 5:
        return None
    if any(not _NAME_TOKEN.match(t) or _is_stopword(t) or _REDACTED.search(t) for t in tokens):
        return None
    shown = [_display_case(t) for t in tokens]
    start = len(shown) - 1
    while start > 0 and fold(shown[start - 1]) in _PARTICLES:
        start -= 1
    surname = " ".join(shown[start:])
    if len(surname.strip(".")) < 2:
        return None
    return PersonName(tuple(shown[:start]), surname)


def _title_pattern(
    written_titles: Iterable[str], *, capitals: bool, ignore_case: bool = False
) -> re.Pattern[str]:
    """Titles not inside a word (no word character, ``/`` or ``.`` before them), longest
    first so "Deputy Foreign Minister" wins over "Minister"; only at a capital (any letter
    when ignoring case). The alternatives are grouped by their first letter, which starts
    each group. For mixed-case text the pattern starts with that letter: the engine then
    jumps from one such capital to the next instead of trying every title at every
    position (this scan was most of ingest's time here), and the check for a word before
    the title follows the letter. For text in capitals, where every letter is a capital,
    that check comes first: it rejects most positions at once."""
    by_first: dict[str, list[str]] = {}
    for written in sorted(written_titles, key=len, reverse=True):
        if written[0] in string.ascii_uppercase:
            by_first.setdefault(written[0], []).append(written)
    groups = "|".join(
        re.escape(first)
        + ("" if capitals else rf"(?<![\w/.]{re.escape(first)})")
        + rf"(?:{'|'.join(re.escape(written[1:]) for written in group)})"
        for first, group in by_first.items()
    )
    word_start = r"(?<![\w/.])" if capitals else ""
    flags = re.IGNORECASE if ignore_case else 0
    return re.compile(rf"{word_start}({groups})(?![\w/])\s+", flags)


@functools.cache
def _mixed_case_titles() -> re.Pattern[str]:
    return _title_pattern(titles(), capitals=False)


@functools.cache
def _capitals_titles() -> re.Pattern[str]:
    return _title_pattern(titles(), capitals=True, ignore_case=True)


@functools.cache
def _ascii_capitals_titles() -> re.Pattern[str] | None:
    """For ASCII text: the titles in capitals, to be matched case-sensitively in the text
    in capitals. That finds what `_capitals_titles` finds in the text, at about half the
    cost. A title that is not ASCII is left out: it matches no ASCII text, unless one of
    its letters has an ASCII letter among its cases (the Kelvin sign, the long s ...),
    and then this returns None."""
    others = {ch for written in titles() for ch in written if not ch.isascii()}
    ascii_chars = [chr(code) for code in range(128)]
    if any(re.fullmatch(re.escape(ch), a, re.IGNORECASE) for ch in others for a in ascii_chars):
        return None
    in_capitals = dict.fromkeys(w.upper() for w in titles() if w.isascii())
    return _title_pattern(in_capitals, capitals=True)


_MIXED_WORD = r"[^\W\d_][\w'\-]*\.?"
#: The words a name after a title may be made of in mixed-case text: up to four, cut
#: before a word in lower case (the name ends there; the cut lets names repeat as runs).
_MIXED_NAME = re.compile(rf"{_MIXED_WORD}(?:\s+(?![a-z]){_MIXED_WORD}){{0,3}}")
_CAPITALS_WORD = re.compile(r"[A-Z][A-Z'\-]*")
_NEXT_WORD = re.compile(r"\s*([A-Za-z][A-Za-z'\-]*)")
_INITIAL = re.compile(r"^[A-Z]\.$")


_LOWER = string.ascii_lowercase.encode()
_UPPER = string.ascii_uppercase.encode()


def _is_capitals(text: str) -> bool:
    """Fewer than 5% of the (ASCII) letters are lower case."""
    # Counted in bytes (only ASCII letters count), which is several times faster; first in
    # the head of the text, whose lower case alone settles most paragraphs.
    head = text[: len(text) // 8].encode("ascii", "ignore")
    if len(head) - len(head.translate(None, _LOWER)) >= 0.05 * len(text):
        return False
    ascii_text = text.encode("ascii", "ignore")
    lower = len(ascii_text) - len(ascii_text.translate(None, _LOWER))
    if lower >= 0.05 * len(ascii_text):
        return False  # mixed case whatever the count of capitals (at most the rest)
    upper = len(ascii_text) - len(ascii_text.translate(None, _UPPER))
    return upper > 0 and lower < 0.05 * (lower + upper)


#: Joins texts scanned at once: no title, name or space runs across it (it is none of
#: them), so each text reads as if alone.
_SEPARATOR = "\x00"


def titled_names(text: str) -> list[tuple[str, PersonName]]:
    """Every ``TITLE Name`` in a text, as (title as written, name)."""
    return titled_names_in([text])[0]


def titled_names_in(texts: Sequence[str]) -> list[list[tuple[str, PersonName]]]:
    """`titled_names` of each text. The mixed-case texts are scanned at once, joined by
    `_SEPARATOR`, and so are the all-capitals ones: scanning them one by one cost a
    large part of reading a cable."""
    found: list[list[tuple[str, PersonName]]] = [[] for _ in texts]
    mixed_case: list[int] = []
    capitals: list[int] = []
    for index, text in enumerate(texts):
        (capitals if _is_capitals(text) else mixed_case).append(index)
    for indices, are_capitals in ((mixed_case, False), (capitals, True)):
        if not indices:
            continue
        joined = _SEPARATOR.join([texts[index] for index in indices]).replace("\u2019", "'")
        # Where each text ends in `joined`, its separator included.
        ends = list(accumulate(len(texts[index]) + 1 for index in indices))
        for at, title, name in _titled_names_joined(joined, are_capitals):
            found[indices[bisect_right(ends, at)]].append((title, name))
    return found


def _titled_names_joined(text: str, capitals: bool) -> Iterator[tuple[int, str, PersonName]]:
    """Where each ``TITLE Name`` starts, its title and its name."""
    if not capitals:
        matches = _mixed_case_titles().finditer(text)
    elif text.isascii() and (in_capitals := _ascii_capitals_titles()) is not None:
        matches = in_capitals.finditer(text.upper())  # same length, same places
    else:
        matches = _capitals_titles().finditer(text)
    for match in matches:
        start = match.end()
        if capitals:
            tokens = _capitals_name(text, start)
            name = parse_name(" ".join(tokens)) if tokens else None
        elif text[start : start + 1].isupper():
            run = _MIXED_NAME.match(text, start)
            name = _mixed_case_name(run.group()) if run else None
        else:
            name = None  # a name starts with a capital ("the President said" has none)
        if name is not None:
            title = text[match.start(1) : match.end(1)]  # as written, in any case
            if title_family(title) != OFFICE:
                yield match.start(), title, name


def _capitals_name(text: str, start: int) -> list[str]:
    """In all-capitals text: one word at ``start``, and only when no other name word
    follows it (``PRESIDENT JOSE MANUEL ZELAYA`` is refused rather than read as ``Jose``)."""
    word = _CAPITALS_WORD.match(text, start)
    if not word:
        return []
    written = word.group().removesuffix("'S").rstrip("'")
    surname, _, hyphenated = written.partition("-")
    if fold(surname) in _common_words():
        return []
    if not hyphenated and written == word.group():
        following = _NEXT_WORD.match(text, word.end())
        if following and not _is_stopword(following.group(1)):
            return []
    return [surname]


# Cached: the same names follow titles again and again.
@functools.lru_cache(maxsize=1 << 14)
def _mixed_case_name(run: str) -> PersonName | None:
    """The name at the start of a run of words (`_MIXED_NAME`) in mixed-case text."""
    tokens: list[str] = []
    for token in run.split():
        possessive = token.endswith(("'s", "'"))
        token = token.removesuffix("'s").rstrip("'")
        if not token[:1].isupper() or _is_stopword(token) or token.rstrip(".") in titles():
            break
        if token.endswith(".") and not _INITIAL.match(token):
            # A sentence ends here (an initial such as "J." does not end a name).
            tokens.append(token[:-1])
            break
        tokens.append(token)
        if possessive:
            break
    # A name ends with its surname, never with an initial or a particle ("bin").
    while tokens and (_INITIAL.match(tokens[-1]) or fold(tokens[-1]) in _PARTICLES):
        tokens.pop()
    return parse_name(" ".join(tokens)) if tokens else None


_CLASSIFIED_BY_LEAD = re.compile(r"^(?:classified\s+(?:\w+\s+)?)?by\s+", re.IGNORECASE)
_CLASSIFIED_BY_END = re.compile(
    r"\s(?:per|for|based|and|on behalf)\b.*$|\s+-.*$|[,;(].*$", re.IGNORECASE
)


# Cached: one officer classifies many cables (the result is immutable).
@functools.lru_cache(maxsize=1 << 12)
def classifier_name(written: str) -> tuple[PersonName, str | None] | None:
    """The name in what the reader took for a Classified By name, and the title written
    before it. The field often carries more (spec §2.4 and the sample corpus):
    ``Margaret Scobey per``, ``Classified by Political Counselor Dennis Hearne``,
    ``Global Affairs Unit Chief Don L. Brown``, ``Fred Carter and Poloff Steven Prohaska``
    (the first classifier is kept). The name is the longest run of name words at the end,
    at most four; what precedes it is the title."""
    text = _CLASSIFIED_BY_LEAD.sub("", re.sub(r"^\(\w+\)\s*", "", " ".join(written.split())))
    text = _CLASSIFIED_BY_END.sub("", text)
    tokens = text.split()
    start = len(tokens)
    while (
        start > 0
        and len(tokens) - start < 4
        and _NAME_TOKEN.match(tokens[start - 1])
        and not _is_stopword(tokens[start - 1])
        and _title(tokens[start - 1]) is None
    ):
        start -= 1
    name = parse_name(" ".join(tokens[start:])) if start < len(tokens) else None
    if name is None:
        return None
    return name, " ".join(tokens[:start]) or None


def _title(written: str) -> Title | None:
    return titles().get(written) or _titles_folded().get(written.upper())
