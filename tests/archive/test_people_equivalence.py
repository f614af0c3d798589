"""Reading people fast, checked against the plain definitions.

`cablegram.archive.person_names` finds titles with patterns grouped by first letter (and,
in all-capitals ASCII text, case-sensitively in the text put in capitals), scans a cable's
texts joined together, decides "all capitals" from the head of a text when it can, folds
ASCII without Unicode normalisation and caches what recurs. Each shortcut must give what
its definition gives: the titles of one alternation tried longest first, each text read
alone, the share of lower-case letters, NFKD without combining marks, and the same
mentions whatever the caches hold.
"""

from __future__ import annotations

import re
import string
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from cablegram.access.portions import portions
from cablegram.archive import person_names
from cablegram.archive.people import CLASSIFIED_BY, TAG, mentions
from cablegram.archive.person_names import fold, titled_names, titled_names_in, titles
from cablegram.model import Cable
from strategies import cables

#: Pieces texts are made of: titles in any case, names, words, and the characters that
#: decide where a title or a name starts and ends (including case-folding oddities: the
#: dotless i, the long s, the Kelvin sign).
PIECES = [
    *titles(),
    *(title.upper() for title in titles()),
    *(title.lower() for title in titles()),
    "Smith",
    "SMITH",
    "John",
    "J.",
    "O’Brien",
    "al-Rashid",
    "said",
    "of",
    "General",
    "Assembly",
    "XXXXXXXXXXXX",
    " ",
    "  ",
    "\n",
    ".",
    "/",
    "-",
    "'s",
    "’",
    "(",
    "1",
    "\x00",
    "é",
    "É",
    "ı",
    "İ",
    "ſ",
    "\u212a",
]

texts = st.lists(st.sampled_from(PIECES), max_size=20).map("".join)
#: Texts with titled names in them, mixed case or all capitals.
titled_texts = st.lists(
    st.sampled_from(["Ambassador John Smith said", "U/S JOSEPH MET DFM KISLYAK", *PIECES]),
    max_size=12,
).map("".join)


def one_alternation(ignore_case: bool) -> re.Pattern[str]:
    """The titles as one alternation, longest first: what the title patterns mean."""
    alternatives = "|".join(re.escape(w) for w in sorted(titles(), key=len, reverse=True))
    flags = re.IGNORECASE if ignore_case else 0
    return re.compile(rf"(?<![\w/.])(?=[A-Z])({alternatives})(?![\w/])\s+", flags)


def found(pattern: re.Pattern[str], text: str, searched: str | None = None) -> list[object]:
    """Where ``pattern`` matches ``searched`` (``text`` by default), with the title as
    ``text`` writes it."""
    return [
        (match.span(), text[match.start(1) : match.end(1)])
        for match in pattern.finditer(text if searched is None else searched)
    ]


@settings(max_examples=500)
@given(text=texts)
def test_the_title_patterns_find_what_one_alternation_finds(text: str) -> None:
    assert found(person_names._mixed_case_titles(), text) == found(one_alternation(False), text)
    assert found(person_names._capitals_titles(), text) == found(one_alternation(True), text)
    in_capitals = person_names._ascii_capitals_titles()
    assert in_capitals is not None  # no title has a letter whose cases include ASCII
    if text.isascii():
        assert found(in_capitals, text, text.upper()) == found(one_alternation(True), text)


@settings(max_examples=300)
@given(many=st.lists(titled_texts, max_size=6))
def test_texts_read_together_as_if_each_were_alone(many: list[str]) -> None:
    assert titled_names_in(many) == [titled_names(text) for text in many]


def lower_case_share_below_5_percent(text: str) -> bool:
    lower = sum(ch in string.ascii_lowercase for ch in text)
    upper = sum(ch in string.ascii_uppercase for ch in text)
    return upper > 0 and lower < 0.05 * (lower + upper)


#: Texts near the 5% line: capitals, some lower case and other characters, shuffled.
near_the_line = st.tuples(
    st.integers(0, 300), st.integers(0, 30), st.integers(0, 200), st.integers(0, 20)
).flatmap(
    lambda counts: st.permutations(
        ["A"] * counts[0] + ["a"] * counts[1] + [" "] * counts[2] + ["é"] * counts[3]
    ).map("".join)
)


@settings(max_examples=500)
@given(text=near_the_line | texts)
def test_all_capitals_is_told_by_the_share_of_lower_case_letters(text: str) -> None:
    assert person_names._is_capitals(text) == lower_case_share_below_5_percent(text)


@given(text=st.text() | texts)
def test_fold_drops_accents_dots_case_and_extra_spaces(text: str) -> None:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    assert fold(text) == " ".join(plain.replace(".", " ").lower().split())


def clear_caches() -> None:
    for cached in (
        fold,
        person_names.title_family,
        person_names.parse_name,
        person_names.classifier_name,
        person_names._is_stopword,
        person_names._mixed_case_name,
    ):
        cached.cache_clear()


@settings(max_examples=50, deadline=None)
@given(cable=cables())
def test_mentions_do_not_depend_on_the_caches_and_quote_their_portion(cable: Cable) -> None:
    clear_caches()
    first = mentions(cable)
    assert mentions(cable) == first
    texts = {p.key: p.text.replace("’", "'").lower() for p in portions(cable)}
    for mention in first:
        if mention.role in (CLASSIFIED_BY, TAG):
            assert mention.portion_key is None  # handling metadata
        else:
            assert mention.portion_key is not None
            assert all(word.lower() in texts[mention.portion_key] for word in mention.name.split())
