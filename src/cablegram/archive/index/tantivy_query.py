"""Query trees and readers as tantivy queries: what matches, and who may see it.

**Text.** A word or phrase is analysed by `TEXT_ANALYZER`, the analyser the index uses for
``subject`` and ``body`` (alphanumeric tokens, lower-cased, accents folded, tokens over 40
characters dropped), and searched in both fields, a subject match weighing double. A word
the analyser splits (``U/S``, ``Shchuch'ye``) is searched as a phrase. ``subject:``
searches the subject field only; the subject field of a view exists only when the view may
read the subject, so a withheld subject never matches.

**Codes.** ``tag`` ``origin`` ``caption`` ``ref`` ``id`` are exact, upper-cased;
``classification`` is the banner level's word (``C`` -> ``CONFIDENTIAL``); ``person``
goes through `cablegram.archive.people.person_query_term`; ``date`` ranges cover whole
days in UTC, ends included.

**Readers** (`for_reader`). A document lists the access classes that read it on some day
(`cablegram.archive.index.base.class_token`: nationality and clearance rank, ``us/2``)
and, for a class that reads it on one side of the cable's declassification day only, that
side (``us/2@before``, ``us/2@after``, tested against the document's
``declassified_on``). A reader of nationality ``n`` and clearance rank ``r`` on day ``D``
matches a document listing ``n/r``, unless it lists ``n/r@before`` and ``D`` is on or
after the declassification day, or ``n/r@after`` and ``D`` is before it; as each class
reads exactly one view on any day, that is one document of each cable the reader may see.
A liaison reader of country ``c`` reads the ``rel:c`` classes, and the ``foreign``
classes only of cables that have no ``rel:c`` view.

Besides, a reader of a channel cable (NODIS ...) must hold one of its channel tokens
(`cablegram.access.views.channel_tokens`: the authorisation, and a place on the
distribution when one is recorded), and every reader must be eligible for every
ORCON/PROPIN caveat the cable carries anywhere. Both tests are exclusions of rare terms
(documents ``restricted`` to channels the reader does not hold; documents with a caveat
the reader lacks), which cost next to nothing, where the design's ``channel:open``
requirement intersected every query with a term nearly every document holds. The caveat
test is an approximation on the safe side (`cablegram.access.views`): a reader eligible
for neither caveat does not find a cable with one ORCON paragraph at all, although
`decision` would let them read its other paragraphs; `show` still does. The local
operator (an archive without users) reads as a US TOP SECRET reader with every channel
and eligibility.

BM25 statistics (document frequencies, average lengths) are index-wide: views holding
classified text count towards the rarity of a word for every reader, so a score reveals a
little about text a reader may not read. That residual risk is recorded in
``docs/security.md``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from tantivy import (
    FieldType,
    Filter,
    Occur,
    Query,
    Schema,
    TextAnalyzer,
    TextAnalyzerBuilder,
    Tokenizer,
)

from cablegram.access import Principal
from cablegram.access.decision import ELIGIBILITY_CAVEATS
from cablegram.access.views import FOREIGN, US, principal_channel_tokens, principal_nations
from cablegram.archive.index.base import (
    AFTER,
    BEFORE,
    OPEN,
    RESTRICTED,
    Scope,
    class_token,
    day_number,
)
from cablegram.archive.people import person_query_term
from cablegram.archive.query import (
    And,
    Everything,
    Field,
    Node,
    Not,
    Or,
    Phrase,
    Range,
    Term,
    date_bounds,
)
from cablegram.model import Level

TEXT_TOKENIZER = "cable_text"
GUARDED = "guarded"
"""The token of the ``guarded`` field on the documents of channel cables and of cables
with an eligibility caveat (`for_reader`'s exclusions)."""
MAX_TOKEN_LENGTH = 40
SUBJECT_BOOST = 2.0


def text_analyzer() -> TextAnalyzer:
    return (
        TextAnalyzerBuilder(Tokenizer.simple())
        .filter(Filter.remove_long(MAX_TOKEN_LENGTH))
        .filter(Filter.lowercase())
        .filter(Filter.ascii_fold())
        .build()
    )


TEXT_ANALYZER = text_analyzer()
_CODE_FIELDS = {"tag": "tag", "origin": "origin", "caption": "caption", "ref": "ref", "id": "cable"}


def must(*queries: Query) -> Query:
    return Query.boolean_query([(Occur.Must, query) for query in queries])


def should(*queries: Query) -> Query:
    return Query.boolean_query([(Occur.Should, query) for query in queries])


def compile_query(schema: Schema, node: Node) -> Query:
    """The tantivy query matching what ``node`` asks for (for any reader)."""
    match node:
        case Everything():
            return Query.all_query()
        case Term(word):
            return _text(schema, word, ("subject", "body"))
        case Phrase(text):
            return _text(schema, text, ("subject", "body"))
        case Field("subject", value):
            return _text(schema, value, ("subject",))
        case Field("classification", value):
            word = Level.from_name(value).word
            return Query.term_query(schema, "classification", word)
        case Field("person", value):
            return Query.term_query(schema, "person", person_query_term(value))
        case Field(name, value):
            return Query.term_query(schema, _CODE_FIELDS[name], value.strip().upper())
        case Range(start, end):
            return _date_range(schema, start, end)
        case And(items):
            return must(*(compile_query(schema, item) for item in items))
        case Or(items):
            return should(*(compile_query(schema, item) for item in items))
        case Not(item):
            return Query.boolean_query(
                [(Occur.Must, Query.all_query()), (Occur.MustNot, compile_query(schema, item))]
            )


def text_terms(node: Node) -> tuple[str, ...]:
    """The analysed words a hit's body may hold for the query (those of its words, phrases
    and ``subject:`` values, negated ones aside), for snippets; distinct, in query order."""
    found: dict[str, None] = {}

    def visit(item: Node) -> None:
        match item:
            case Term(text) | Phrase(text) | Field("subject", text):
                found.update(dict.fromkeys(TEXT_ANALYZER.analyze(text)))
            case And(items) | Or(items):
                for each in items:
                    visit(each)
            case _:  # negations, code fields, ranges: nothing of theirs is in the text
                pass

    visit(node)
    return tuple(found)


def _text(schema: Schema, text: str, fields: tuple[str, ...]) -> Query:
    tokens = TEXT_ANALYZER.analyze(text)
    if not tokens:  # only over-long tokens: nothing the index holds can match
        return Query.empty_query()
    per_field: list[Query] = []
    for field in fields:
        if len(tokens) == 1:
            query = Query.term_query(schema, field, tokens[0])
        else:
            query = Query.phrase_query(schema, field, list(tokens))
        per_field.append(Query.boost_query(query, SUBJECT_BOOST) if field == "subject" else query)
    return per_field[0] if len(per_field) == 1 else should(*per_field)


def _date_range(schema: Schema, start: str | None, end: str | None) -> Query:
    lower = _start_of(_days(start)[0]) if start else None
    upper = _start_of(_days(end)[1] + timedelta(days=1)) if end else None
    # An open end must be given as inclusive; a closed upper end is the next midnight.
    return Query.range_query(schema, "date", FieldType.Date, lower, upper, include_upper=not upper)


def _days(text: str) -> tuple[date, date]:
    days = date_bounds(text)
    if days is None:
        raise ValueError(f"bad date {text!r}")  # the parser accepts only well-formed ends
    return days


def _start_of(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def for_reader(schema: Schema, text: Query, scope: Scope) -> Query:
    """``text`` restricted to the one document of each cable the reader may read on the day.

    One conjunction: the text query and the reader's class on the day (a range test on a
    fast field for the classes that change on the declassification day, checked only for
    the candidates the text and class terms produce); the exclusions of channels and
    caveats come last.
    """
    principal = scope.principal
    rank = Level.TOP_SECRET.rank if principal.operator else principal.rank
    nations = (US,) if principal.operator else principal_nations(principal)
    readable = _classes(schema, nations, rank, day_number(scope.as_of))
    clauses: list[tuple[Occur, Query]] = [
        (Occur.Must, text),
        (Occur.Must, Query.const_score_query(readable, 0.0)),
    ]
    if not principal.operator:
        clauses.extend((Occur.MustNot, query) for query in _guards(schema, principal))
    return Query.boolean_query(clauses)


def _guards(schema: Schema, principal: Principal) -> list[Query]:
    """The documents the reader may not read whatever their class: those of channel
    cables (NODIS ...) for which the reader holds no token, and those with a caveat
    (ORCON, PROPIN) the reader is not eligible for.

    Each exclusion costs the search a test of every candidate, so a reader who holds no
    channel and no eligibility (most readers) gets one: the `GUARDED` documents, which
    are those of both kinds. Term queries, not term sets: a term set collects every
    document of its terms before the search starts, which cost as much as the rest of
    the reader's filter."""
    held = [token for token in principal_channel_tokens(principal) if token != OPEN]
    missing = sorted(ELIGIBILITY_CAVEATS - principal.caveats)
    if not held and len(missing) == len(ELIGIBILITY_CAVEATS):
        return [Query.term_query(schema, "guarded", GUARDED)]
    restricted = Query.term_query(schema, "channel", RESTRICTED)
    closed = Query.boolean_query(
        [
            (Occur.Must, restricted),
            *((Occur.MustNot, Query.term_query(schema, "channel", token)) for token in held),
        ]
    )
    return [
        closed if held else restricted,
        *(Query.term_query(schema, "eligibility", caveat) for caveat in missing),
    ]


def _classes(schema: Schema, nations: tuple[str, ...], rank: int, day: int) -> Query:
    """Documents read by a reader of these nations at this rank on the day."""
    own = [n for n in nations if n != FOREIGN]
    queries = [_reads(schema, n, rank, day) for n in own]
    if FOREIGN in nations:
        foreign = _reads(schema, FOREIGN, rank, day)
        # A reader with a country reads the foreign view only of cables with no view for it.
        released = [Query.term_query(schema, "rel_nations", n) for n in own]
        queries.append(
            Query.boolean_query(
                [(Occur.Must, foreign), *((Occur.MustNot, query) for query in released)]
            )
        )
    return queries[0] if len(queries) == 1 else should(*queries)


def _reads(schema: Schema, nation: str, rank: int, day: int) -> Query:
    """Documents a class reads on the day: those listing the class, less those it reads
    on the other side of the cable's declassification day only
    (`cablegram.archive.index.base.class_token`). One term and two exclusions of rare
    terms, because tantivy intersects a text query with one posting list far faster than
    with a union: a union refills a window of thousands of documents at each seek, which
    made a union of three class terms cost the CONFIDENTIAL reader 1.7x the operator."""
    before, after = class_token(nation, rank, BEFORE), class_token(nation, rank, AFTER)
    return Query.boolean_query(
        [
            (Occur.Must, Query.term_query(schema, "access", class_token(nation, rank))),
            (
                Occur.MustNot,
                must(
                    Query.term_query(schema, "access", before),
                    Query.range_query(schema, "declassified_on", FieldType.Integer, None, day),
                ),
            ),
            (
                Occur.MustNot,
                must(
                    Query.term_query(schema, "access", after),
                    Query.range_query(schema, "declassified_on", FieldType.Integer, day + 1, None),
                ),
            ),
        ]
    )
