"""Fuzzing the reader: mutated real cables never make `parse` raise, and time stays linear.

Mutations (hypothesis): truncation, deleted and duplicated line runs, random bytes and
characters (NUL, form feed, ``\\x1c``-``\\x1e``, ``\\x85``, U+2028: line breaks to
`str.splitlines`), reflowed lines (re-wrapped at another width or joined into one) and
CRLF or bare CR line ends. Bases: a hand-written cable below (so fuzzing runs without
``../shared``), the seed 07MOSCOW1002 and a handful of sample cables chosen for their
oddities, read at run time from the shared corpus.

Linear time: inputs made of one header line repeated (each kind of line the reader looks
for) are parsed at three sizes, 128 KiB / 8, 128 KiB and 1 MiB; each eightfold step may cost
at most sixteen times more, and 1 MiB must parse in seconds (under ten, on a loaded CI
machine), which rules out catastrophic regex backtracking and quadratic line scans.
"""

from __future__ import annotations

import gc
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cablegram.evaluate import load_records
from cablegram.read import EmptyCableError, parse

# A hand-written Department cable (fictional content) with the web residue of scraped pages:
# link residue "[1](#)", a pilcrow, a page-break line and a wrapped REF list.
HAND_WRITTEN = """VZCZCXYZ0417
OO RUEHWEB

DE RUEHC #2291/01 3171845
ZNY SSSSS ZZH
O P 131840Z NOV 08
FM SECSTATE WASHDC
TO RUEHNE/AMEMBASSY NEW DELHI IMMEDIATE 4410
RUEHIL/AMEMBASSY ISLAMABAD IMMEDIATE 7781
INFO RUEHLO/AMEMBASSY LONDON PRIORITY 0912
RUEKJCS/SECDEF WASHDC PRIORITY
RHEHNSC/NSC WASHDC PRIORITY

S E C R E T SECTION 01 OF 02 STATE 122291

NOFORN
SIPDIS

E.O. 12958: DECL: 11/13/2018
TAGS: [PREL](#) [PTER](#) [MARR](#) [IN](#) [PK](#)
SUBJECT: (S/NF) DEMARCHE ON BORDER INCIDENT: DELIVERING
THE SECRETARY'S MESSAGE

REF: A. NEW DELHI 3012
[1](#)B. ISLAMABAD 4470 (NOTAL)
[1](#)C. 07 STATE 160011

Classified By: EUR A/S Richard Roe, Reasons 1.4 (b) and (d).

¶1. (S/NF) This is an action request; see paragraph 4.

STATE 00122291  002 OF 002

2. (C) Background: the Department has followed reports of the
incident closely. Participants:
U.S.
-- Deputy Secretary
-- Ambassador
India
-- Foreign Secretary

3. (SBU) Comment: Posts should stress restraint. End comment.

4. (S/NF) Action request: deliver the message below at the
highest appropriate level.
RICE
"""

CORPUS_IDS = (
    "66BUENOSAIRES2481",  # 1966: DTG/FM/TO only, NARA archive note
    "90KHARTOUM10657",  # two cables in one text
    "05MUSCAT679",  # partial extract with a body of another cable
    "06REYKJAVIK40",  # garbled classification line serial
    "07BERN113",  # classification line after a tab on the last INFO line, trailing backslashes
    "09DOHA214",  # e-mail printout before the envelope
    "09TIJUANA1116",  # "From:" header and leaked CSV fields
)

FUZZ_SETTINGS = settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _lines(text: str) -> list[str]:
    return text.split("\n")


def truncate(data: st.DataObject, text: str) -> str:
    return text[: data.draw(st.integers(0, len(text)), label="cut")]


def delete_lines(data: st.DataObject, text: str) -> str:
    lines = _lines(text)
    start = data.draw(st.integers(0, len(lines)), label="start")
    del lines[start : start + data.draw(st.integers(1, 12), label="count")]
    return "\n".join(lines)


def duplicate_lines(data: st.DataObject, text: str) -> str:
    lines = _lines(text)
    start = data.draw(st.integers(0, len(lines)), label="start")
    run = lines[start : start + data.draw(st.integers(1, 6), label="count")]
    lines[start:start] = run * data.draw(st.integers(1, 20), label="times")
    return "\n".join(lines)


RANDOM_PIECES = st.one_of(
    st.binary(max_size=24).map(lambda raw: raw.decode("latin-1")),
    st.text(max_size=24),
    st.sampled_from(["\x00", "\x0c", "\x1c", "\x1e", "\x85", "\u2028", "\r", "[1](#)", "¶", "#"]),
)


def insert_random(data: st.DataObject, text: str) -> str:
    at = data.draw(st.integers(0, len(text)), label="at")
    return text[:at] + data.draw(RANDOM_PIECES, label="piece") + text[at:]


def reflow(data: st.DataObject, text: str) -> str:
    lines = _lines(text)
    start = data.draw(st.integers(0, len(lines)), label="start")
    end = start + data.draw(st.integers(1, 40), label="count")
    joined = " ".join(lines[start:end])
    width = data.draw(st.integers(8, 200) | st.just(0), label="width")
    # Width 0 joins the run into one line, as a scraper that drops line breaks does.
    rewrapped = [joined] if width == 0 else textwrap.wrap(joined, width) or [""]
    lines[start:end] = rewrapped
    return "\n".join(lines)


def line_ends(data: st.DataObject, text: str) -> str:
    return text.replace("\n", data.draw(st.sampled_from(["\r\n", "\r", "\n\n"]), label="end"))


MUTATIONS = (truncate, delete_lines, duplicate_lines, insert_random, reflow, line_ends)


def mutate(data: st.DataObject, bases: list[str]) -> str:
    text = data.draw(st.sampled_from(bases), label="base")
    for _ in range(data.draw(st.integers(1, 4), label="mutations")):
        text = data.draw(st.sampled_from(MUTATIONS), label="mutation")(data, text)
    return text


def assert_reads(text: str) -> None:
    """`parse` returns a cable for any text with a non-space character, else EmptyCableError."""
    if not text.strip():
        with pytest.raises(EmptyCableError):
            parse(text)
        return
    assert parse(text).original_text == text


@FUZZ_SETTINGS
@given(st.data())
def test_mutated_hand_written_cable_parses(data: st.DataObject) -> None:
    assert_reads(mutate(data, [HAND_WRITTEN]))


@FUZZ_SETTINGS
@given(st.text(max_size=400) | st.binary(max_size=400).map(lambda raw: raw.decode("latin-1")))
def test_arbitrary_text_parses(text: str) -> None:
    assert_reads(text)


@pytest.fixture(scope="module")
def corpus_bases(shared_dir: Path) -> list[str]:
    corpus = shared_dir / "corpus"
    texts = {r.reference_id: r.text for r in load_records(corpus / "cablegate-sample.jsonl.gz")}
    seed = (corpus / "seed-07MOSCOW1002.txt").read_text(encoding="utf-8")
    return [seed, *(texts[reference_id] for reference_id in CORPUS_IDS)]


@pytest.mark.shared
@FUZZ_SETTINGS
@given(data=st.data())
def test_mutated_corpus_cables_parse(corpus_bases: list[str], data: st.DataObject) -> None:
    assert_reads(mutate(data, corpus_bases))


# --- linear time -----------------------------------------------------------------------

REPEATED_LINES = {
    "de-line": "DE RUEHMO #1002/01 0681523",
    "to-line": "TO RUEHC/SECSTATE WASHDC PRIORITY 8096",
    "info-line": "RUEHUNV/USMISSION UNVIE VIENNA PRIORITY 0458",
    "classification-line": "S E C R E T SECTION 01 OF 02 MOSCOW 001002",
    "eo-line": "E.O. 12958: DECL: 03/01/2017",
    "tags-line": "TAGS: [IAEA](#) [KACT](#) PREL PGOV IR RS",
    "subject-line": "SUBJECT: U/S JOSEPH-RUSSIAN DFM KISLYAK MEETING ON",
    "ref-line": "REF: A. STATE 003773 B. 06 STATE 201804 (NOTAL)",
    "classified-by-line": "Classified By: DCM Daniel A. Russell for reasons 1.4 (b/d).",
    "paragraph-start": "1. (SBU) DFM Kislyak asked whether U/S Joseph had anything new.",
    "link-residue": "[1](#)B. 06 STATE 201804",
    "long-line-without-spaces": "RUEHMO#1002/01(S/NF)" * 200,
}
MIB = 1 << 20
SIZES = (MIB // 64, MIB // 8, MIB)
STEP_FACTOR = 16
"""Eightfold input may cost at most this much more (linear is 8; 16 leaves room for noise)."""
NOISE_SECONDS = 0.02
MIB_SECONDS = 10.0


def repeated(line: str, size: int) -> str:
    return (line + "\n") * (size // (len(line) + 1))


def best_time(text: str, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        gc.collect()
        # CPU time of this process: other work on a loaded machine does not count.
        start = time.process_time()
        parse(text)
        times.append(time.process_time() - start)
    return min(times)


def assert_linear(make: Callable[[int], str]) -> None:
    small, medium, large = (make(size) for size in SIZES)
    small_time = best_time(small, 3)
    medium_time = best_time(medium, 3)
    assert medium_time < STEP_FACTOR * small_time + NOISE_SECONDS, (small_time, medium_time)
    # Only now the 1 MiB input, whose time is bounded by the step just checked.
    large_time = best_time(large, 1)
    assert large_time < STEP_FACTOR * medium_time + NOISE_SECONDS, (medium_time, large_time)
    assert large_time < MIB_SECONDS


@pytest.mark.parametrize("line", list(REPEATED_LINES.values()), ids=list(REPEATED_LINES))
def test_time_is_linear_in_repeated_lines(line: str) -> None:
    assert_linear(lambda size: repeated(line, size))


def test_time_is_linear_in_one_line_without_breaks() -> None:
    assert_linear(lambda size: ("RUEHMO#1002/01;" * (size // 15 + 1))[:size])
