"""The query language: parse trees, errors with positions, round trips, garbage."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cablegram.archive.query import (
    And,
    Everything,
    Field,
    Node,
    Not,
    Or,
    Phrase,
    QuerySyntaxError,
    Range,
    Term,
    date_bounds,
    format_query,
    parse_query,
)

T = Term

PARSED = [
    pytest.param("", Everything(), id="empty"),
    pytest.param("   ", Everything(), id="blank"),
    pytest.param("Kislyak", T("Kislyak"), id="word"),
    pytest.param("space talks", And((T("space"), T("talks"))), id="implicit-and"),
    pytest.param("space AND talks", And((T("space"), T("talks"))), id="and"),
    pytest.param(
        "space and talks", And((T("space"), T("and"), T("talks"))), id="lowercase-and-is-a-word"
    ),
    pytest.param("space OR gas", Or((T("space"), T("gas"))), id="or"),
    pytest.param("a b OR c", Or((And((T("a"), T("b"))), T("c"))), id="and-binds-tighter-than-or"),
    pytest.param(
        "a OR b c", Or((T("a"), And((T("b"), T("c"))))), id="and-binds-tighter-on-the-right"
    ),
    pytest.param("NOT debris", Not(T("debris")), id="not"),
    pytest.param("-debris", Not(T("debris")), id="minus"),
    pytest.param("space -debris", And((T("space"), Not(T("debris")))), id="minus-after-word"),
    pytest.param("space AND NOT debris", And((T("space"), Not(T("debris")))), id="and-not"),
    pytest.param("--a", Not(Not(T("a"))), id="double-minus"),
    pytest.param("(a OR b) c", And((Or((T("a"), T("b"))), T("c"))), id="group"),
    pytest.param("a (b c)", And((T("a"), And((T("b"), T("c"))))), id="group-kept-as-written"),
    pytest.param("-(a b)", Not(And((T("a"), T("b")))), id="minus-group"),
    pytest.param('"space talks"', Phrase("space talks"), id="phrase"),
    pytest.param('-"space talks"', Not(Phrase("space talks")), id="minus-phrase"),
    pytest.param("U/S Joseph", And((T("U/S"), T("Joseph"))), id="word-with-slash"),  # 07MOSCOW1002
    pytest.param("Russian-Georgian", T("Russian-Georgian"), id="inner-hyphen"),
    pytest.param("10:30", T("10:30"), id="colon-after-digits-is-a-word"),
    pytest.param("tag:PREL", Field("tag", "PREL"), id="tag"),
    pytest.param("TAG:PREL", Field("tag", "PREL"), id="field-name-any-case"),
    pytest.param('tag:"PREL"', Field("tag", "PREL", quoted=True), id="quoted-value"),
    pytest.param("origin:MOSCOW", Field("origin", "MOSCOW"), id="origin"),
    pytest.param("classification:SECRET", Field("classification", "SECRET"), id="classification"),
    pytest.param(
        "classification:c", Field("classification", "c"), id="classification-abbreviation"
    ),
    pytest.param(
        'classification:"top secret"',
        Field("classification", "top secret", quoted=True),
        id="classification-words",
    ),
    pytest.param("caption:NODIS", Field("caption", "NODIS"), id="caption"),
    pytest.param("ref:07MOSCOW1001", Field("ref", "07MOSCOW1001"), id="ref"),
    pytest.param("person:Kislyak", Field("person", "Kislyak"), id="person"),
    pytest.param(
        'person:"Sergey Kislyak"',
        Field("person", "Sergey Kislyak", quoted=True),
        id="person-full-name",
    ),
    pytest.param("subject:space", Field("subject", "space"), id="subject-word"),
    pytest.param(
        'subject:"space talks"', Field("subject", "space talks", quoted=True), id="subject-phrase"
    ),
    pytest.param("id:07MOSCOW1002", Field("id", "07MOSCOW1002"), id="id"),
    pytest.param("date:2007", Range("2007", "2007"), id="date-year"),
    pytest.param("date:2007-03-09", Range("2007-03-09", "2007-03-09"), id="date-day"),
    pytest.param("date:2007-01..2007-06", Range("2007-01", "2007-06"), id="date-range"),
    pytest.param("date:..2007-06", Range(None, "2007-06"), id="date-open-start"),
    pytest.param("date:2007..", Range("2007", None), id="date-open-end"),
    pytest.param('date:"2007"', Range("2007", "2007"), id="date-quoted"),
]


@pytest.mark.parametrize(("query", "tree"), PARSED)
def test_parse(query: str, tree: Node) -> None:
    assert parse_query(query) == tree


ERRORS = [
    pytest.param("a AND", "ends where a term was expected after 'AND'", 5, id="dangling-and"),
    pytest.param("OR a", "expected a term, found 'OR'", 0, id="leading-or"),
    pytest.param("a OR OR b", "expected a term, found 'OR' after 'OR'", 5, id="double-or"),
    pytest.param("NOT", "ends where a term was expected after 'NOT'", 3, id="lone-not"),
    pytest.param("(a b", "missing ')'", 0, id="unclosed-group"),
    pytest.param("a (b (c)", "missing ')'", 2, id="unclosed-outer-group"),
    pytest.param("a )", "unmatched ')'", 2, id="unmatched-close"),
    pytest.param("()", "empty parentheses", 1, id="empty-group"),
    pytest.param('say "hello', "unterminated phrase", 4, id="unterminated-phrase"),
    pytest.param('""', "empty phrase", 0, id="empty-phrase"),
    pytest.param("a - b", "'-' must be followed by a term", 2, id="lone-minus"),
    pytest.param("a -", "'-' must be followed by a term", 2, id="trailing-minus"),
    pytest.param("foo:bar", "unknown field 'foo'", 0, id="unknown-field"),
    pytest.param("x note:y", "unknown field 'note'", 2, id="unknown-field-later"),
    pytest.param("tag: PREL", "expected a value after 'tag:'", 4, id="space-after-colon"),
    pytest.param("tag:", "expected a value after 'tag:'", 4, id="missing-value"),
    pytest.param(
        "classification:SECRETISH",
        "unknown classification 'SECRETISH'",
        15,
        id="bad-classification",
    ),
    pytest.param("date:2007-13", "bad date '2007-13'", 5, id="bad-month"),
    pytest.param("date:2007-02-30", "bad date '2007-02-30'", 5, id="bad-day"),
    pytest.param("date:07", "bad date '07'", 5, id="short-year"),
    pytest.param("date:2007..2007-1", "bad date '2007-1'", 11, id="bad-range-end"),
    pytest.param("date:..", "needs at least one end", 5, id="range-without-ends"),
    pytest.param("date:2008..2007-06", "ends before it starts", 5, id="backwards-range"),
    pytest.param("a & b", "'&' has no letter or digit", 2, id="symbol-word"),
    pytest.param('subject:"--"', "'--' has no letter or digit", 8, id="symbol-subject"),
]


@pytest.mark.parametrize(("query", "message", "position"), ERRORS)
def test_syntax_errors_point_at_the_problem(query: str, message: str, position: int) -> None:
    with pytest.raises(QuerySyntaxError) as raised:
        parse_query(query)
    assert message in raised.value.message
    assert raised.value.position == position


def test_error_text_shows_a_caret_under_the_position() -> None:
    with pytest.raises(QuerySyntaxError) as raised:
        parse_query("tag:PREL AND (space OR")
    lines = str(raised.value).splitlines()
    assert lines[1] == "  tag:PREL AND (space OR"
    assert lines[2] == "  " + " " * len("tag:PREL AND (space OR") + "^"


@pytest.mark.parametrize(
    ("text", "bounds"),
    [
        pytest.param("2007", (date(2007, 1, 1), date(2007, 12, 31)), id="year"),
        pytest.param("2008-02", (date(2008, 2, 1), date(2008, 2, 29)), id="leap-february"),
        pytest.param("2007-12", (date(2007, 12, 1), date(2007, 12, 31)), id="december"),
        pytest.param("2007-03-09", (date(2007, 3, 9), date(2007, 3, 9)), id="day"),
        pytest.param("2007-3", None, id="one-digit-month"),
        pytest.param("0000", None, id="year-zero"),
    ],
)
def test_date_bounds(text: str, bounds: tuple[date, date] | None) -> None:
    assert date_bounds(text) == bounds


# Random trees of valid queries: words avoid the characters and forms the grammar reserves.
_WORD_CHARS = st.sampled_from("abcxyzKQ019/.'_é-")
words = (
    st.text(_WORD_CHARS, min_size=1, max_size=8)
    .filter(lambda w: not w.startswith("-") and any(c.isalnum() for c in w))
    .filter(lambda w: w not in ("AND", "OR", "NOT"))
)
phrase_texts = st.lists(words, min_size=1, max_size=3).map(" ".join)
days = st.dates(date(1970, 1, 1), date(2030, 12, 31))
date_ends = st.one_of(
    days.map(lambda d: f"{d.year:04d}"),
    days.map(lambda d: f"{d.year:04d}-{d.month:02d}"),
    days.map(lambda d: d.isoformat()),
)


@st.composite
def ranges(draw: st.DrawFn) -> Range:
    start, end = draw(st.none() | date_ends), draw(st.none() | date_ends)
    if start is None and end is None:
        return Range(draw(date_ends), None)
    if start and end:
        first, last = date_bounds(start), date_bounds(end)
        assert first is not None and last is not None
        if first[0] > last[1]:
            start, end = end, start
    return Range(start, end)


fields = st.one_of(
    st.builds(
        Field,
        st.sampled_from(["tag", "origin", "caption", "ref", "id", "person"]),
        words.filter(lambda w: ":" not in w),
        st.just(False),
    ),
    st.builds(Field, st.sampled_from(["tag", "person", "subject"]), phrase_texts, st.just(True)),
    st.builds(Field, st.just("classification"), st.sampled_from(["S", "c", "LOU"])),
    st.builds(Field, st.just("classification"), st.just("top secret"), st.just(True)),
)
leaves = st.one_of(st.builds(Term, words), st.builds(Phrase, phrase_texts), fields, ranges())
trees = st.recursive(
    leaves,
    lambda children: st.one_of(
        st.builds(Not, children),
        st.lists(children, min_size=2, max_size=3).map(lambda items: And(tuple(items))),
        st.lists(children, min_size=2, max_size=3).map(lambda items: Or(tuple(items))),
    ),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None)
@given(trees)
def test_trees_round_trip_through_text(tree: Node) -> None:
    text = format_query(tree)
    assert parse_query(text) == tree


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from('ab :-"()ANDORTtagdte0123.é\t'), max_size=30) | st.text(max_size=20))
def test_garbage_raises_only_query_syntax_errors(text: str) -> None:
    try:
        tree = parse_query(text)
    except QuerySyntaxError as error:
        assert 0 <= error.position <= len(text)
        assert "^" in str(error)
    else:
        assert parse_query(format_query(tree)) == tree
