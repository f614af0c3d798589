"""Search over a real archive (SQLite + tantivy): every operator and field, facets against
brute force, pagination, snippets, and access for readers of every kind.

The small corpus is written here as `Cable` models, rendered as telegrams and read back
(the path ingest takes), then stored and indexed. Expected hits are worked out by hand
from the cables below; facet counts are recomputed from the models.
"""

from __future__ import annotations

import html
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from telegrams import SmallCorpus

from cablegram.access import Principal, cable_access, portions, readable_portions
from cablegram.archive import Archive
from cablegram.archive.documents import documents
from cablegram.archive.index import FACET_SIZE, Bucket, SearchResult, TantivyIndex
from cablegram.archive.indexer import sync
from cablegram.archive.ingest import ingest
from cablegram.archive.query import format_query, parse_query
from cablegram.archive.records import NewVersion, StoredVersion
from cablegram.archive.search import search
from cablegram.model import (
    Addressee,
    Cable,
    ClassifiedBy,
    Declassification,
    DeclassificationKind,
    Level,
    Marking,
    Paragraph,
    Precedence,
    Reference,
    ReferenceKind,
    Tag,
)
from cablegram.read import parse
from cablegram.write import render
from strategies import cables

U, SBU, LOU = Marking(Level.UNCLASSIFIED), Marking(Level.SBU), Marking(Level.LOU)
C, S = Marking(Level.CONFIDENTIAL), Marking(Level.SECRET)
AS_OF = date(2010, 1, 1)
SECRET_READER = Principal("s", Level.SECRET)
CONFIDENTIAL_READER = Principal("c", Level.CONFIDENTIAL)
PUBLIC = Principal("u", Level.UNCLASSIFIED)


def make(
    cable_id: str,
    day: date,
    origin: str,
    banner: Marking,
    tags: str,
    subject: str,
    paragraphs: list[tuple[Marking, str]],
    subject_marking: Marking | None = None,
    captions: tuple[str, ...] = ("SIPDIS",),
    refs: tuple[str, ...] = (),
    signature: str = "SMITH",
) -> Cable:
    """A cable model; ``refs`` are canonical ids, cited in ``YY ORIGIN serial`` form."""
    serial = int(re.sub(r"^\d\d[A-Z]+", "", cable_id))
    classified = banner.level.is_classified
    return Cable(
        id=cable_id,
        dtg=datetime(day.year, day.month, day.day, 12, 0, tzinfo=UTC),
        originator=Addressee(f"AMEMBASSY {origin}"),
        to=(Addressee("SECSTATE WASHDC", precedence=Precedence.PRIORITY),),
        classification=banner,
        origin=origin,
        serial=serial,
        captions=captions,
        declassification=Declassification(
            "12958", DeclassificationKind.DATE, day.replace(year=day.year + 10)
        )
        if classified
        else Declassification("12958", DeclassificationKind.NOT_APPLICABLE),
        tags=tuple(Tag(code) for code in tags.split()),
        subject=subject,
        subject_marking=subject_marking,
        references=tuple(
            Reference(_cited(ref), ReferenceKind.CABLE, ref, chr(ord("A") + n))
            for n, ref in enumerate(refs)
        ),
        classified_by=ClassifiedBy("John Smith", "DCM", ("b", "d"), "1.4") if classified else None,
        paragraphs=tuple(
            Paragraph(n, marking, text) for n, (marking, text) in enumerate(paragraphs, start=1)
        ),
        signature=signature,
    )


def _cited(ref: str) -> str:
    match = re.fullmatch(r"(\d\d)([A-Z]+)(\d+)", ref)
    assert match is not None
    return f"{match[1]} {match[2]} {match[3]}"


# DECL dates are ten years after each cable: all still classified on AS_OF except D.
CORPUS = [
    make(
        "07MOSCOW1001",
        date(2007, 3, 9),
        "MOSCOW",
        S,
        "PREL RS KNNP",
        "SPACE TALKS IN PARIS",
        [
            (U, "DFM Kislyak met U/S Joseph on the space dialogue."),
            (S, "The interceptor programme is secret."),
        ],
        subject_marking=C,
        refs=("07STATE3773",),
    ),
    make(
        "07STATE3773",
        date(2007, 1, 12),
        "STATE",
        C,
        "PREL PARM",
        "STRATEGIC SECURITY DIALOGUE",
        [
            (U, "Washington proposes a strategic security dialogue with Moscow."),
            (C, "Talking points on missile defense follow."),
        ],
        subject_marking=U,
    ),
    make(
        "08LONDON200",
        date(2008, 6, 2),
        "LONDON",
        U,
        "ECON UK",
        "BANK OF ENGLAND RATE DECISION",
        [(U, "The bank held rates steady; analysts expected a cut.")],
    ),
    make(
        "96PARIS450",
        date(1996, 11, 20),
        "PARIS",
        C,
        "PREL FR IR",
        "FRENCH VIEWS ON IRAN",
        [(C, "The Quai d'Orsay favours sanctions on Iran.")],
        subject_marking=C,
        captions=("NODIS",),
        refs=("95PARIS100",),
    ),
    make(
        "07MOSCOW1500",
        date(2007, 5, 15),
        "MOSCOW",
        LOU,
        "ECON ENRG RS",
        "RUSSIAN GAS EXPORTS",
        [(LOU, "Gazprom raised gas prices for Ukraine."), (U, "The dialogue continues.")],
        subject_marking=U,
    ),
    make(
        "07MOSCOW1600",
        date(2007, 6, 30),
        "MOSCOW",
        U,
        "PREL TSPA",
        "SPACE DEBRIS",
        [(U, "Debris from the test threatens the space station.")],
    ),
]
# Routine cables, three per day, for pagination and ties.
ROUTINE = [
    make(
        f"09ROME{100 + n}",
        date(2009, 1, 1 + n // 3),
        "ROME",
        U,
        "AMGT",
        "ROUTINE NOTICE",
        [(U, "Routine administrative notice for the mission.")],
    )
    for n in range(12)
]
ALL = CORPUS + ROUTINE
ROUTINE_IDS = sorted(c.id or "" for c in ROUTINE)


def read_back(model: Cable) -> Cable:
    return parse(render(model))


@dataclass(frozen=True)
class Corpus:
    archive: Archive
    cables: dict[str, Cable]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Corpus]:
    parsed = [read_back(model) for model in ALL]
    with Archive.open(tmp_path_factory.mktemp("archive")) as archive:
        archive.storage.put([NewVersion(c.id or "", c.original_text, c, "test") for c in parsed])
        sync(archive.storage, archive.index)
        yield Corpus(archive, {c.id or "": c for c in parsed})


def ids(result: SearchResult) -> list[str]:
    return sorted(hit.cable_id for hit in result.hits)


FOUND = [
    pytest.param("Kislyak", ["07MOSCOW1001"], id="word"),
    pytest.param("kislyak", ["07MOSCOW1001"], id="word-any-case"),
    pytest.param('"strategic security dialogue"', ["07STATE3773"], id="phrase"),
    pytest.param('"security strategic dialogue"', [], id="phrase-order-matters"),
    pytest.param("bank held", ["08LONDON200"], id="implicit-and"),
    pytest.param("bank AND gazprom", [], id="and"),
    pytest.param("gazprom OR bank", ["07MOSCOW1500", "08LONDON200"], id="or"),
    pytest.param("space -debris", ["07MOSCOW1001"], id="minus"),
    pytest.param("space NOT debris", ["07MOSCOW1001"], id="not"),
    pytest.param("space AND NOT debris", ["07MOSCOW1001"], id="and-not"),
    pytest.param("-routine -space -dialogue", ["08LONDON200", "96PARIS450"], id="only-negations"),
    pytest.param("(space OR bank) tag:PREL", ["07MOSCOW1001", "07MOSCOW1600"], id="group"),
    pytest.param(
        "dialogue (gas OR Washington)", ["07MOSCOW1500", "07STATE3773"], id="group-and-or"
    ),
    pytest.param('"U/S Joseph"', ["07MOSCOW1001"], id="phrase-with-slash"),
    pytest.param("U/S", ["07MOSCOW1001"], id="word-split-into-tokens"),
    pytest.param(
        "tag:prel -routine", ["07MOSCOW1001", "07MOSCOW1600", "07STATE3773", "96PARIS450"], id="tag"
    ),
    pytest.param("origin:moscow", ["07MOSCOW1001", "07MOSCOW1500", "07MOSCOW1600"], id="origin"),
    pytest.param(
        "date:2007", ["07MOSCOW1001", "07MOSCOW1500", "07MOSCOW1600", "07STATE3773"], id="date-year"
    ),
    pytest.param("date:2007-01..2007-03", ["07MOSCOW1001", "07STATE3773"], id="date-range"),
    pytest.param("date:..2006", ["96PARIS450"], id="date-open-start"),
    pytest.param("date:2007-06.. -routine", ["07MOSCOW1600", "08LONDON200"], id="date-open-end"),
    pytest.param("date:2008-06-02", ["08LONDON200"], id="date-day"),
    pytest.param("date:2007-06-30..2007-06-30", ["07MOSCOW1600"], id="date-day-range"),
    pytest.param("classification:C", ["07STATE3773", "96PARIS450"], id="classification-letter"),
    pytest.param(
        "classification:confidential", ["07STATE3773", "96PARIS450"], id="classification-word"
    ),
    pytest.param(
        'classification:"limited official use"', ["07MOSCOW1500"], id="classification-phrase"
    ),
    pytest.param("classification:S", ["07MOSCOW1001"], id="classification-secret"),
    pytest.param("caption:NODIS", ["96PARIS450"], id="caption"),
    pytest.param(
        "caption:sipdis -routine",
        ["07MOSCOW1001", "07MOSCOW1500", "07MOSCOW1600", "07STATE3773", "08LONDON200"],
        id="caption-lowercase",
    ),
    pytest.param("ref:07STATE3773", ["07MOSCOW1001"], id="ref"),
    pytest.param("ref:95paris100", ["96PARIS450"], id="ref-lowercase"),
    pytest.param("person:Kislyak", ["07MOSCOW1001"], id="person"),
    pytest.param("subject:space", ["07MOSCOW1001", "07MOSCOW1600"], id="subject-word"),
    pytest.param('subject:"space talks"', ["07MOSCOW1001"], id="subject-phrase"),
    pytest.param("subject:Gazprom", [], id="subject-only"),
    pytest.param("id:07moscow1001", ["07MOSCOW1001"], id="id"),
    pytest.param('tag:"ENRG"', ["07MOSCOW1500"], id="quoted-value"),
]


@pytest.mark.parametrize(("query", "expected"), FOUND)
def test_every_operator_and_field(corpus: Corpus, query: str, expected: list[str]) -> None:
    result = search(corpus.archive, query, limit=100)
    assert ids(result) == expected
    assert result.total == len(expected)


def test_empty_query_finds_every_cable(corpus: Corpus) -> None:
    assert search(corpus.archive, "", limit=100).total == len(ALL)


# --- facets ------------------------------------------------------------------------------


def brute_force(cables_: list[Cable]) -> dict[str, Counter[str]]:
    """Facet counts recomputed from cable models."""
    counts: dict[str, Counter[str]] = {
        name: Counter() for name in ("tags", "origins", "classifications", "captions")
    }
    counts["years"], counts["months"] = Counter(), Counter()
    for cable in cables_:
        counts["tags"].update({tag.code for tag in cable.tags})
        counts["captions"].update(set(cable.captions))
        if cable.origin:
            counts["origins"][cable.origin] += 1
        banner = cable.classification or cable.overall_classification
        counts["classifications"][banner.level.word if banner else "UNCLASSIFIED"] += 1
        if cable.dtg:
            counts["years"][str(cable.dtg.year)] += 1
            counts["months"][f"{cable.dtg.year}-{cable.dtg.month:02d}"] += 1
    return counts


def assert_facets_match(result: SearchResult, expected: dict[str, Counter[str]]) -> None:
    facets = result.facets
    assert facets is not None
    for name in ("tags", "origins", "classifications", "captions"):
        buckets: tuple[Bucket, ...] = getattr(facets, name)
        counts = {b.value: b.count for b in buckets}
        assert [b.count for b in buckets] == sorted(counts.values(), reverse=True), name
        assert len(buckets) == min(FACET_SIZE, len(expected[name])), name
        # The most frequent values, each with its exact count.
        assert counts == {value: expected[name][value] for value in counts}, name
        left_out = [n for value, n in expected[name].items() if value not in counts]
        assert all(n <= min(counts.values()) for n in left_out), name
    for name in ("years", "months"):
        buckets = getattr(facets, name)
        assert [(b.value, b.count) for b in buckets] == sorted(expected[name].items()), name


@pytest.mark.parametrize(
    ("query", "selected"),
    [
        pytest.param("", lambda c: True, id="everything"),
        pytest.param("tag:PREL", lambda c: "PREL" in {t.code for t in c.tags}, id="tag"),
        pytest.param("date:2007", lambda c: c.dtg is not None and c.dtg.year == 2007, id="year"),
        pytest.param(
            "space OR routine",
            lambda c: c.subject in ("SPACE TALKS IN PARIS", "SPACE DEBRIS", "ROUTINE NOTICE"),
            id="words",
        ),
    ],
)
def test_facets_equal_brute_force(
    corpus: Corpus, query: str, selected: Callable[[Cable], bool]
) -> None:
    chosen = [c for c in corpus.cables.values() if selected(c)]
    result = search(corpus.archive, query, facets=True, limit=1)
    assert result.total == len(chosen)
    assert_facets_match(result, brute_force(chosen))


# --- sorting and pagination --------------------------------------------------------------


@pytest.mark.parametrize("sort", ["relevance", "date", "-date"])
def test_pages_partition_the_results_in_a_stable_order(corpus: Corpus, sort: str) -> None:
    everything = [h.cable_id for h in search(corpus.archive, "routine", sort=sort, limit=50).hits]
    pages = [
        [h.cable_id for h in search(corpus.archive, "routine", sort=sort, limit=5, offset=o).hits]
        for o in (0, 5, 10)
    ]
    assert [cable_id for page in pages for cable_id in page] == everything
    assert sorted(everything) == ROUTINE_IDS
    again = [h.cable_id for h in search(corpus.archive, "routine", sort=sort, limit=50).hits]
    assert again == everything


def test_a_page_past_the_end_is_empty_but_counts(corpus: Corpus) -> None:
    result = search(corpus.archive, "routine", limit=5, offset=40)
    assert result.hits == ()
    assert result.total == len(ROUTINE)


@pytest.mark.parametrize(("sort", "newest_first"), [("date", False), ("-date", True)])
def test_sorting_by_date(corpus: Corpus, sort: str, newest_first: bool) -> None:
    hits = search(corpus.archive, "-routine", sort=sort, limit=50).hits
    dates = [hit.date for hit in hits]
    expected = sorted(
        (c.dtg for c in corpus.cables.values() if c.subject != "ROUTINE NOTICE"),
        reverse=newest_first,
    )
    assert dates == expected
    assert all(hit.score is None for hit in hits)


def test_relevance_ranks_a_subject_match_first(corpus: Corpus) -> None:
    # "dialogue" is in the text of three cables, and in the subject of 07STATE3773 only.
    hits = search(corpus.archive, "dialogue").hits
    assert sorted(h.cable_id for h in hits) == ["07MOSCOW1001", "07MOSCOW1500", "07STATE3773"]
    assert hits[0].cable_id == "07STATE3773"
    scores = [h.score for h in hits]
    assert all(score is not None for score in scores)
    assert scores == sorted(scores, reverse=True)  # type: ignore[type-var]


# --- hits, snippets and access -----------------------------------------------------------


def test_hit_fields_come_from_the_cable(corpus: Corpus) -> None:
    (hit,) = search(corpus.archive, "id:96PARIS450").hits
    assert hit.date == datetime(1996, 11, 20, 12, 0, tzinfo=UTC)
    assert (hit.origin, hit.classification, hit.subject) == (
        "PARIS",
        "CONFIDENTIAL",
        "FRENCH VIEWS ON IRAN",
    )
    assert hit.version == 1


def test_snippet_highlights_the_matched_words(corpus: Corpus) -> None:
    (hit,) = search(corpus.archive, "analysts cut").hits
    assert hit.snippet is not None
    assert "<b>analysts</b>" in hit.snippet and "<b>cut</b>" in hit.snippet
    (bare,) = search(corpus.archive, "analysts", snippets=False).hits
    assert bare.snippet is None


def test_a_confidential_reader_never_finds_or_sees_secret_text(corpus: Corpus) -> None:
    assert search(corpus.archive, "interceptor", CONFIDENTIAL_READER, AS_OF).total == 0
    assert ids(search(corpus.archive, "interceptor", SECRET_READER, AS_OF)) == ["07MOSCOW1001"]
    (hit,) = search(corpus.archive, "Kislyak", CONFIDENTIAL_READER, AS_OF).hits
    assert "interceptor" not in (hit.snippet or "")
    assert hit.subject == "SPACE TALKS IN PARIS"  # (C): readable at C


def test_the_public_sees_placeholders_and_only_unclassified_text(corpus: Corpus) -> None:
    (hit,) = search(corpus.archive, "Kislyak", PUBLIC, AS_OF).hits
    assert hit.subject == "[the subject withheld — C]"
    assert search(corpus.archive, "subject:space", PUBLIC, AS_OF).total == 1  # 07MOSCOW1600
    assert search(corpus.archive, "caption:NODIS", PUBLIC, AS_OF).total == 0


def test_nodis_needs_the_channel(corpus: Corpus) -> None:
    assert search(corpus.archive, "Iran", SECRET_READER, AS_OF).total == 0
    nodis = Principal("n", Level.SECRET, channels=frozenset({"NODIS"}))
    assert ids(search(corpus.archive, "Iran", nodis, AS_OF)) == ["96PARIS450"]


def test_declassified_text_is_found_by_the_public(corpus: Corpus) -> None:
    # 07MOSCOW1001's DECL is 2017-03-09.
    assert search(corpus.archive, "interceptor", PUBLIC, date(2017, 3, 8)).total == 0
    assert search(corpus.archive, "interceptor", PUBLIC, date(2017, 3, 9)).total == 1


def test_facets_count_only_what_the_reader_sees(corpus: Corpus) -> None:
    result = search(corpus.archive, "", PUBLIC, AS_OF, facets=True, limit=1)
    visible = [
        c for c in corpus.cables.values() if readable_portions(PUBLIC, c, cable_access(c), AS_OF)
    ]
    assert result.total == len(visible) < len(ALL)
    assert_facets_match(result, brute_force(visible))


def test_seed_paragraph_12_is_found_only_by_readers_cleared_for_it(
    seed_text: str, archive_dir: Path
) -> None:
    seed = parse(seed_text)
    phrase = '"dedicated satellite interceptors"'  # only in paragraph 12 (S)
    with Archive.open(archive_dir) as archive:
        archive.storage.put([NewVersion(seed.id or "", seed_text, seed, "seed")])
        sync(archive.storage, archive.index)
        assert search(archive, phrase, CONFIDENTIAL_READER, AS_OF).total == 0
        assert search(archive, phrase, SECRET_READER, AS_OF).total == 1
        assert search(archive, phrase, PUBLIC, date(2026, 11, 29)).total == 1
        assert search(archive, "Kislyak", CONFIDENTIAL_READER, AS_OF).total == 1


def test_ingested_cables_are_searchable(small_corpus: SmallCorpus, archive_dir: Path) -> None:
    """Through `cablegram.archive.ingest` (which indexes as it stores), not by hand."""
    parsed = [parse(item.text) for item in small_corpus.telegrams]
    with Archive.open(archive_dir) as archive:
        ingest(archive, [small_corpus.directory], workers=0)
        result = search(archive, "", facets=True, limit=100)
        assert {hit.cable_id for hit in result.hits} == small_corpus.ids
        assert_facets_match(result, brute_force(parsed))
        secret = [c for c in parsed if c.classification and c.classification.level is Level.SECRET]
        assert search(archive, "classification:S", limit=100).total == len(secret) > 0


QUERY_LANGUAGE = Path(__file__).resolve().parents[2] / "docs" / "query-language.md"
DOC_QUERIES = re.findall(r"```query\n(.*?)\n```", QUERY_LANGUAGE.read_text(encoding="utf-8"), re.S)


def test_the_documentation_has_examples() -> None:
    assert len(DOC_QUERIES) >= 10


@pytest.mark.parametrize("query", DOC_QUERIES)
def test_documented_examples_run(corpus: Corpus, query: str) -> None:
    tree = parse_query(query)
    assert parse_query(format_query(tree)) == tree
    result = search(corpus.archive, tree, facets=True)
    assert result.total >= len(result.hits)


def test_bad_paging_arguments_are_refused(corpus: Corpus) -> None:
    with pytest.raises(ValueError, match="negative"):
        search(corpus.archive, "x", offset=-1)


# --- property: every reader's totals, facets and snippets equal brute force ---------------

countries = st.sampled_from(["GBR", "AUS", "CAN", "FRA", "NATO"])


@st.composite
def principals(draw: st.DrawFn) -> Principal:
    foreign = draw(st.integers(0, 3)) == 0
    return Principal(
        name=draw(st.sampled_from(["ann", "bob"])),
        clearance=draw(st.sampled_from(list(Level))),
        us_person=not foreign,
        country=draw(st.none() | countries) if foreign else None,
        caveats=frozenset(draw(st.sets(st.sampled_from(["ORCON", "PROPIN"])))),
        channels=frozenset(draw(st.sets(st.sampled_from(["NODIS", "EXDIS", "LIMDIS"])))),
    )


def visible_portions(principal: Principal, cable: Cable, as_of: date) -> list[str] | None:
    """The oracle: the portions `access.readable_portions` allows, or None when the cable
    does not exist for the reader — including, by the index's documented approximation,
    when it carries an ORCON/PROPIN caveat the reader is not eligible for."""
    access = cable_access(cable)
    readable = readable_portions(principal, cable, access, as_of)
    needed = {c for p in portions(cable) for c in p.marking.caveats} & {"ORCON", "PROPIN"}
    if not readable or not (principal.operator or needed <= principal.caveats):
        return None
    return [p.text for p in readable]


@dataclass
class _IndexOnly:
    """An archive with only an index, and the cables the last example put in it."""

    index: TantivyIndex
    indexed: set[str]


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[_IndexOnly]:
    """An index in memory-backed /dev/shm where there is one: the property test commits
    once per example, and a commit on disk costs ten times more."""
    shm = Path("/dev/shm")
    base = Path(tempfile.mkdtemp(dir=shm)) if shm.is_dir() else tmp_path_factory.mktemp("scratch")
    try:
        with TantivyIndex(base / "index", heap=15_000_000, threads=1) as index:
            yield _IndexOnly(index, set())
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.lower()))


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    st.lists(cables(), min_size=1, max_size=4, unique_by=lambda c: c.id),
    principals(),
    st.dates(date(1995, 1, 1), date(2040, 12, 31)),
)
def test_every_reader_finds_and_counts_exactly_what_they_may_read(
    scratch: _IndexOnly, drawn: list[Cable], principal: Principal, as_of: date
) -> None:
    index = scratch.index
    for cable_id in scratch.indexed:
        index.replace(cable_id, [])
    scratch.indexed.clear()
    for cable in drawn:
        stored = StoredVersion(cable.id or "", 1, 1, "h", "", cable, "t", None, "now", True)
        index.replace(stored.cable_id, documents(stored, cable_access(cable)))
        scratch.indexed.add(stored.cable_id)
    index.commit()

    oracle = {c.id: visible_portions(principal, c, as_of) for c in drawn}
    visible = [c for c in drawn if oracle[c.id] is not None]
    result = search(scratch, "", principal, as_of, facets=True, limit=10)
    assert sorted(h.cable_id for h in result.hits) == sorted(c.id or "" for c in visible)
    assert_facets_match(result, brute_force(visible))

    for cable in drawn:
        texts = oracle[cable.id]
        readable_words = _words(" ".join(texts or []))
        withheld_words = _words(" ".join(p.text for p in portions(cable))) - readable_words
        for word in sorted(withheld_words)[:2]:
            found = search(scratch, f"{word} id:{cable.id}", principal, as_of)
            assert found.total == 0, word
        for word in sorted(readable_words)[:2]:
            found = search(scratch, f"{word} id:{cable.id}", principal, as_of)
            assert found.total == 1, word
            (hit,) = found.hits
            shown = html.unescape(re.sub(r"</?b>", "", hit.snippet or "")).removesuffix(" …")
            assert shown in " ".join(" ".join(texts or []).split())
