"""Words and prose: a realistic vocabulary shaped by the reader's rules.

No word has digits (so no wrapped line looks like a paragraph number ``12.``, a page header
or a classification line), none is a caption, a label (``REF:``, ``TAGS``), ``BT`` or one
of the block words (Summary, Comment, Note, Participants, part); every sentence ends with
a lowercase word and terminal punctuation, so a block's last line never looks like a
signature or a heading. Hard line breaks only follow lines of at most 45 characters, so
the next word would always have fitted (the reader keeps such breaks).
"""

from __future__ import annotations

import random

from hypothesis import strategies as st


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


LOWER_WORDS = _words(
    """
    the government minister embassy officials said would could discuss agreement talks
    security nuclear regional cooperation support bilateral sanctions issue proposal
    meeting delegation review policy parliament election reform budget trade energy
    pipeline border military forces assistance program progress concerns position draft
    statement continue expected informal agreed declined welcomed noted stressed warned
    asked replied on of with for and but that its their to in a co-funding non-paper
    counterterrorism nonproliferation safeguards weapons space debris reactors guidelines
    uranium seizure
    """
)
SENTENCE_ENDS = _words(
    """
    talks issue proposal sanctions cooperation agreement policy reform budget progress
    concerns position statement safeguards weapons debris reactors guidelines seizure
    """
)
"""Words that may end a sentence: lowercase, so no line ending a block looks like a
signature (the reader takes a last line in capitals as the signature)."""
PROPER_WORDS = _words(
    """
    Russia Moscow Washington U.S. DFM Kislyak Joseph Antonov MFA IAEA NSG (ISTC) (DTRA) A/S
    U/S Georgia India China Iran Shchuch'ye GOI EU Ambassador Embassy Post Rosatom
    """
)
CAPITAL_STARTS = _words(
    """
    The He She They Russia Officials Embassy Post DFM U/S A/S Antonov Kislyak Joseph India
    China Minister Despite
    """
)
HEADING_WORDS = _words(
    """
    Space Policy Proliferation Finance India Georgia Chemical Weapons Destruction Facility
    Sale of Russian Reactors Energy Security Border Talks Trade Outlook Background Next Steps
    """
)
SUBJECT_WORDS = _words(
    """
    U/S JOSEPH-RUSSIAN DFM KISLYAK MEETING ON STRATEGIC SECURITY DIALOGUE: II RUSSIA ENERGY
    TALKS NUCLEAR COOPERATION IRAN SANCTIONS ELECTIONS PARLIAMENT BUDGET AND THE WITH MFA
    """
)
SURNAMES = ("RUSSELL", "BURNS", "BEYRLE", "RICE", "CLINTON", "STEVENS", "O'BRIEN", "VAN VOORST")
FIRST_NAMES = ("Daniel", "Robert", "John", "Leigh", "Carol", "Sergey", "Anatoliy", "Marina")
LAST_NAMES = ("Russell", "Joseph", "Rood", "Carter", "Urban", "Kislyak", "Antonov", "Tobey")


def _sentence(rng: random.Random) -> str:
    """A sentence: capitalised first word, last word lowercase before the stop."""
    middle = rng.choices(LOWER_WORDS + PROPER_WORDS, k=rng.randint(1, 12))
    first = rng.choice(CAPITAL_STARTS)
    last = rng.choice(SENTENCE_ENDS)
    return " ".join([first, *middle, last]) + rng.choice(".......?!")


def _list_item(rng: random.Random) -> str:
    """``-- word word``: at most 5 words of at most 16 letters, so at most 45 characters."""
    return "-- " + " ".join(rng.choices(LOWER_WORDS, k=rng.randint(1, 5)))


_BANK = random.Random(1002)
SENTENCE_BANK = tuple(_sentence(_BANK) for _ in range(500))
"""Sentences drawn whole: one draw instead of a dozen keeps cable generation fast, and 500
sentences of 3 to 14 words still place line breaks everywhere in a wrapped line."""
LIST_ITEM_BANK = tuple(_list_item(_BANK) for _ in range(100))


@st.composite
def sentences(draw: st.DrawFn, min_size: int = 1, max_size: int = 4) -> str:
    """Prose: sentences joined by single spaces (one soft-wrapped block of text)."""
    chosen = draw(st.lists(st.sampled_from(SENTENCE_BANK), min_size=min_size, max_size=max_size))
    return " ".join(chosen)


@st.composite
def list_blocks(draw: st.DrawFn) -> str:
    """``Intro:`` then ``-- item`` lines: hard line breaks after short lines."""
    intro = draw(st.sampled_from(("He made three points:", "Russia proposed:", "Next steps:")))
    items = draw(st.lists(st.sampled_from(LIST_ITEM_BANK), min_size=2, max_size=4))
    return "\n".join([intro, *items]) + "."


@st.composite
def paragraph_texts(draw: st.DrawFn) -> str:
    """Ordinary paragraph text: one to three blocks, prose or lists."""
    first = draw(_SENTENCES)
    more = draw(st.lists(st.one_of(_SENTENCES, _LIST_BLOCKS), max_size=2))
    return "\n\n".join([first, *more])


# Built once: hypothesis validates every new strategy object, which dominates generation.
_SENTENCES = sentences()
_LIST_BLOCKS = list_blocks()
