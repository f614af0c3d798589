"""`snippet_window`: the part of a hit's body that tantivy's snippet generator is given.

The window only narrows where tantivy looks, so what matters is that it is part of the
body, that it holds the best stretch of matches when there is one, and that it says so
(None) when the plain search finds no match at all.
"""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from cablegram.archive.index.tantivy_index import snippet_window

SIZE = 200
WORDS = ["talks", "missile", "defense", "the", "of", "moscow", "kislyak", "review"]


def whole_words(text: str) -> set[str]:
    return {word.lower() for word in re.findall(r"[^\W_]+", text)}


@given(
    st.lists(
        st.sampled_from([*WORDS, "Missile", "TALKS", "x-ray", "(defense)", "\n\n"]), max_size=600
    ),
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=3, unique=True),
)
def test_the_window_is_a_stretch_of_the_body_holding_a_term(
    words: list[str], terms: list[str]
) -> None:
    body = " ".join(words)
    window = snippet_window(body, terms, SIZE)
    present = whole_words(body) & set(terms)
    if window is None:
        assert not present
        return
    assert window in body
    assert len(window) <= 3 * SIZE
    assert whole_words(window) & set(terms)


def test_the_window_holds_the_stretch_with_most_distinct_terms() -> None:
    filler = "nothing to see here " * 60
    body = f"talks began. {filler} talks on missile defense resumed. {filler} the end"
    window = snippet_window(body, ["talks", "missile", "defense"], SIZE)
    assert window is not None
    assert "talks on missile defense resumed" in window
    assert "talks began" not in window


def test_among_equals_the_stretch_with_more_occurrences_wins() -> None:
    filler = "nothing to see here " * 60
    body = f"one talks. {filler} talks and talks and talks. {filler}"
    window = snippet_window(body, ["talks"], SIZE)
    assert window is not None and "talks and talks and talks" in window


def test_a_term_inside_a_longer_word_is_not_a_match() -> None:
    assert snippet_window("the talkshow aired", ["talks"], SIZE) is None
    assert snippet_window("the talks aired", ["talks"], SIZE) == "the talks aired"


def test_a_body_that_lower_casing_reshapes_is_left_to_tantivy() -> None:
    # "İ" lower-cases to two characters: offsets would no longer line up.
    assert snippet_window("İstanbul talks", ["talks"], SIZE) is None


def test_the_window_is_cut_at_spaces() -> None:
    body = (
        " ".join(f"word{n}" for n in range(300))
        + " talks "
        + " ".join(f"more{n}" for n in range(300))
    )
    window = snippet_window(body, ["talks"], SIZE)
    assert window is not None
    assert window.split()[0] in body.split()
    assert window.split()[-1] in body.split()
