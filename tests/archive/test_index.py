"""The tantivy index: view documents of a cable, the writer lifecycle, the reader filter,
and the indexer that catches the index up with storage.

Adapter tests use hand-made `IndexDoc`s, so each one states the access data it relies on;
`documents()` is tested on the seed 07MOSCOW1002 and on random marked cables; the indexer
on a real archive (SQLite storage, tantivy index).
"""

from __future__ import annotations

import pickle
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import tantivy
from hypothesis import HealthCheck, given, settings

from cablegram.access import OPERATOR, Principal, cable_access
from cablegram.access.views import views
from cablegram.archive import INDEX_DIRECTORY, Archive
from cablegram.archive.documents import documents
from cablegram.archive.index import (
    IndexDoc,
    Scope,
    SearchIndex,
    SearchRequest,
    SearchResult,
    Sort,
    TantivyIndex,
)
from cablegram.archive.index.base import (
    AFTER,
    BEFORE,
    FOREVER,
    RESTRICTED,
    class_token,
    day_number,
)
from cablegram.archive.index.tantivy_index import FORMAT, FORMAT_FILE
from cablegram.archive.indexer import Indexer, sync
from cablegram.archive.query import parse_query
from cablegram.archive.records import NewVersion, StoredVersion
from cablegram.archive.storage.base import Mention
from cablegram.model import Cable, Level
from cablegram.read import parse
from strategies import cables

EVERY_RANK = range(5)
DAY = date(2010, 1, 1)


def stored(cable: Cable) -> StoredVersion:
    return StoredVersion(
        cable.id or "X", 1, 1, "hash", cable.original_text, cable, "test", None, "now", True
    )


def doc(cable_id: str, body: str, classes: list[str], **fields: object) -> IndexDoc:
    base = IndexDoc(
        cable_id=cable_id,
        version=1,
        access=tuple(classes),
        declassified_on=FOREVER,
        rel_nations=(),
        channels=(),
        eligibility=(),
        subject=None,
        shown_subject="",
        body=body,
        date=datetime(2007, 3, 9, tzinfo=UTC),
        origin="MOSCOW",
        classification="SECRET",
    )
    return replace(base, **fields)  # type: ignore[arg-type]


def everyone(nation: str) -> list[str]:
    return [class_token(nation, rank) for rank in EVERY_RANK]


def everyone_on(nation: str, side: str) -> list[str]:
    """Every class of the nation, reading on one side of the declassification day only."""
    return everyone(nation) + [class_token(nation, rank, side) for rank in EVERY_RANK]


@pytest.fixture
def index(tmp_path: Path) -> Iterator[TantivyIndex]:
    with TantivyIndex(tmp_path / "index", heap=15_000_000, threads=1) as opened:
        yield opened


def hits(index: TantivyIndex, query: str, principal: Principal, as_of: date = DAY) -> list[str]:
    request = SearchRequest(parse_query(query), Scope(principal, as_of), limit=50)
    return [hit.cable_id for hit in index.search(request).hits]


# --- documents() -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed(seed_text: str) -> Cable:
    return parse(seed_text)


def sides(doc: IndexDoc, token: str) -> set[str]:
    """The sides of the declassification day on which the document reads for the class."""
    if token not in doc.access:
        return set()
    only = {side for side in (BEFORE, AFTER) if class_token_on(token, side) in doc.access}
    return only or {BEFORE, AFTER}


def class_token_on(token: str, side: str) -> str:
    nation, rank = token.rsplit("/", 1)
    return class_token(nation, int(rank), side)


def read_by(docs: list[IndexDoc], token: str, side: str) -> list[IndexDoc]:
    return [d for d in docs if side in sides(d, token)]


def test_seed_has_one_document_per_distinct_portion_set(seed: Cable) -> None:
    docs = documents(stored(seed), cable_access(seed))
    assert {d.declassified_on for d in docs} == {day_number(date(2017, 3, 1))}  # 03/01/2017
    # Before: U only (foreign readers too); U+SBU; all but S; everything.
    # After: U + declassified C and S (foreign readers too); everything. "Everything" is
    # one document, read by S and TS readers on both sides of the day.
    assert len(docs) == 5
    assert len({d.body for d in docs}) == 5
    for side in (BEFORE, AFTER):
        for token in everyone("us") + everyone("foreign"):
            assert len(read_by(docs, token, side)) == 1, (token, side)
    (everything,) = [d for d in docs if class_token("us", 3) in d.access]
    assert class_token("us", 4) in everything.access
    assert class_token("us", 2, AFTER) in everything.access


def test_seed_confidential_view_as_of_2010_holds_paragraphs_readable_at_c(seed: Cable) -> None:
    docs = documents(stored(seed), cable_access(seed))
    (confidential,) = read_by(docs, "us/2", BEFORE)
    for paragraph in seed.paragraphs:
        held = paragraph.text in confidential.body
        # The unnumbered introduction, like the subject, is unmarked: it takes the S banner.
        assert held == (paragraph.number not in (None, 12, 18)), paragraph.number
    assert confidential.subject is None  # the unmarked subject takes the SECRET banner
    assert confidential.shown_subject == "[the subject withheld — S]"
    (public,) = read_by(docs, "us/0", BEFORE)
    assert public.body == "\n\n".join(p.text for p in seed.paragraphs if p.number in (19, 20))


def test_people_of_withheld_portions_are_not_indexed(seed: Cable) -> None:
    mentions = [
        Mention("russell, daniel", "Daniel A. Russell", "DCM", None, "classified_by"),
        Mention("antonov, anatoliy", "Anatoliy Antonov", None, "paragraph:19", "participants"),
        Mention("elliott (pdas)", "Elliott", "PDAS", "paragraph:18", "text"),
    ]
    docs = documents(stored(seed), cable_access(seed), mentions)
    (public,) = read_by(docs, "us/0", BEFORE)
    (secret,) = read_by(docs, "us/3", BEFORE)
    assert set(public.persons) == {"russell, daniel", "russell", "antonov, anatoliy", "antonov"}
    assert {"elliott (pdas)", "elliott"} <= set(secret.persons)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cables())
def test_documents_merge_views_without_losing_or_sharing_a_class(cable: Cable) -> None:
    access = cable_access(cable)
    regime_sides = {"always": (BEFORE, AFTER), "before": (BEFORE,), "after": (AFTER,)}
    expected: dict[tuple[str, str], str] = {}
    for view in views(cable, access):
        body = "\n\n".join(p.text for p in view.portions if p.text)
        for rank in range(view.lo, view.hi + 1):
            for side in regime_sides[view.regime]:
                expected[(class_token(view.nation, rank), side)] = body
    docs = documents(stored(cable), access)
    found: list[tuple[tuple[str, str], str]] = []
    for d in docs:
        for token in {t.split("@")[0] for t in d.access}:
            found.extend(((token, side), d.body) for side in sides(d, token))
    assert dict(found) == expected
    assert len(found) == len(expected)  # no class reads two documents on one side
    assert len({d.body for d in docs}) == len(docs)  # one document per portion set
    day = day_number(access.declassified_on) if access.declassified_on else FOREVER
    assert all(d.declassified_on == day for d in docs)


# --- lifecycle ---------------------------------------------------------------------------


def test_replace_is_visible_after_commit_and_never_duplicates(index: TantivyIndex) -> None:
    docs = [doc("07MOSCOW1002", "space talks", everyone("us")), doc("07MOSCOW1002", "x", [])]
    index.replace("07MOSCOW1002", docs)
    assert index.count_docs() == 0
    index.commit()
    assert index.count_docs("07MOSCOW1002") == 2
    index.replace("07MOSCOW1002", docs[:1])
    index.commit()
    assert index.count_docs("07MOSCOW1002") == 1
    assert index.count_docs() == 1


def test_uncommitted_changes_are_dropped_on_close(tmp_path: Path) -> None:
    with TantivyIndex(tmp_path / "index", heap=15_000_000, threads=1) as first:
        first.replace("A", [doc("A", "kept", everyone("us"))])
        first.commit()
        first.replace("B", [doc("B", "lost", everyone("us"))])
    with TantivyIndex(tmp_path / "index", heap=15_000_000, threads=1) as again:
        assert again.count_docs("A") == 1
        assert again.count_docs("B") == 0


def test_an_index_of_another_schema_is_rebuilt_empty(tmp_path: Path) -> None:
    path = tmp_path / "index"
    path.mkdir()
    other = tantivy.SchemaBuilder().add_text_field("title", stored=True).build()
    old = tantivy.Index(other, path=str(path))
    writer = old.writer(15_000_000, 1)
    writer.add_document(tantivy.Document(title="old"))
    writer.commit()
    writer.wait_merging_threads()
    with TantivyIndex(path, heap=15_000_000, threads=1) as rebuilt:
        assert rebuilt.count_docs() == 0
        rebuilt.replace("A", [doc("A", "new", everyone("us"))])
        rebuilt.commit()
        assert rebuilt.count_docs() == 1


@pytest.mark.parametrize("marker", [None, "1"])
def test_an_index_of_another_document_format_is_rebuilt_empty(
    tmp_path: Path, marker: str | None
) -> None:
    path = tmp_path / "index"
    with TantivyIndex(path, heap=15_000_000, threads=1) as first:
        first.replace("A", [doc("A", "old", everyone("us"))])
        first.commit()
    # Same schema, documents of another meaning: made before the format file, or by a
    # cablegram whose format differs.
    if marker is None:
        (path / FORMAT_FILE).unlink()
    else:
        (path / FORMAT_FILE).write_text(marker)
    with TantivyIndex(path, heap=15_000_000, threads=1) as rebuilt:
        assert rebuilt.count_docs() == 0
    with TantivyIndex(path, heap=15_000_000, threads=1) as reopened:
        assert (path / FORMAT_FILE).read_text().strip() == FORMAT
        reopened.replace("A", [doc("A", "new", everyone("us"))])
        reopened.commit()
    with TantivyIndex(path, heap=15_000_000, threads=1) as kept:
        assert kept.count_docs() == 1


def test_a_searching_process_does_not_take_the_writer_lock(tmp_path: Path) -> None:
    with TantivyIndex(tmp_path / "index", heap=15_000_000, threads=1) as writer:
        writer.replace("A", [doc("A", "alpha", everyone("us"))])
        writer.commit()
        with TantivyIndex(tmp_path / "index") as reader:
            assert hits(reader, "alpha", OPERATOR) == ["A"]
        writer.replace("B", [doc("B", "alpha", everyone("us"))])
        writer.commit()
        assert sorted(hits(writer, "alpha", OPERATOR)) == ["A", "B"]


# --- the reader filter -------------------------------------------------------------------

US_C = Principal("c", Level.CONFIDENTIAL)
BRITISH = Principal("gb", Level.SECRET, us_person=False, country="GBR")
FRENCH = Principal("fr", Level.SECRET, us_person=False, country="FRA")
STATELESS = Principal("x", Level.SECRET, us_person=False)


def test_liaison_readers_read_their_release_view_else_the_foreign_one(index: TantivyIndex) -> None:
    released = ("rel:GBR",)
    index.replace(
        "R",
        [
            doc("R", "alpha", everyone("foreign"), rel_nations=released),
            doc("R", "alpha beta", everyone("rel:GBR"), rel_nations=released),
            doc("R", "alpha beta gamma", everyone("us"), rel_nations=released),
        ],
    )
    index.commit()
    assert hits(index, "beta", BRITISH) == ["R"]
    assert hits(index, "alpha", BRITISH) == ["R"]  # one view, not two
    assert hits(index, "gamma", BRITISH) == []
    assert hits(index, "alpha", FRENCH) == ["R"]
    assert hits(index, "beta", FRENCH) == []
    assert hits(index, "beta", STATELESS) == []
    assert hits(index, "gamma", US_C) == ["R"]


def test_ranks_select_the_view_of_the_readers_clearance(index: TantivyIndex) -> None:
    index.replace(
        "S",
        [
            doc("S", "open", [class_token("us", r) for r in (0, 1, 2)]),
            doc("S", "open secret", [class_token("us", r) for r in (3, 4)]),
        ],
    )
    index.commit()
    assert hits(index, "secret", US_C) == []
    assert hits(index, "secret", Principal("s", Level.SECRET)) == ["S"]
    assert hits(index, "open", Principal("u", Level.UNCLASSIFIED)) == ["S"]
    assert hits(index, "open", Principal("lou", Level.LOU)) == ["S"]


def test_declassification_day_switches_views(index: TantivyIndex) -> None:
    day = date(2017, 3, 1)
    index.replace(
        "D",
        [
            doc("D", "before", everyone_on("us", BEFORE), declassified_on=day_number(day)),
            doc("D", "after", everyone_on("us", AFTER), declassified_on=day_number(day)),
            doc("D", "always", everyone("us"), declassified_on=day_number(day)),
        ],
    )
    index.commit()
    assert hits(index, "before", US_C, date(2017, 2, 28)) == ["D"]
    assert hits(index, "after", US_C, date(2017, 2, 28)) == []
    assert hits(index, "before", US_C, day) == []
    assert hits(index, "after", US_C, day) == ["D"]
    for as_of in (date(1990, 1, 1), date(2017, 2, 28), day, date(2040, 1, 1)):
        assert hits(index, "always", US_C, as_of) == ["D"]


def test_channels_and_eligibility_are_required(index: TantivyIndex) -> None:
    index.replace("N", [doc("N", "nodis", everyone("us"), channels=(RESTRICTED, "auth:NODIS"))])
    distributed = (RESTRICTED, "dist:EXDIS:MOSCOW", "dist:EXDIS:carol")
    index.replace("E", [doc("E", "exdis", everyone("us"), channels=distributed)])
    index.replace("O", [doc("O", "orcon", everyone("us"), eligibility=("ORCON",))])
    index.replace("P", [doc("P", "both", everyone("us"), eligibility=("ORCON", "PROPIN"))])
    index.commit()
    nodis = Principal("n", Level.SECRET, channels=frozenset({"NODIS"}))
    orcon = Principal("o", Level.SECRET, caveats=frozenset({"ORCON"}))
    both = Principal("b", Level.SECRET, caveats=frozenset({"ORCON", "PROPIN"}))
    assert hits(index, "nodis", US_C) == []
    assert hits(index, "nodis", nodis) == ["N"]
    exdis = frozenset({"EXDIS"})
    assert hits(index, "exdis", Principal("x", Level.SECRET, channels=exdis)) == []
    moscow = Principal("m", Level.SECRET, channels=exdis, offices=frozenset({"MOSCOW"}))
    assert hits(index, "exdis", moscow) == ["E"]
    assert hits(index, "exdis", Principal("carol", Level.SECRET, channels=exdis)) == ["E"]
    assert hits(index, "exdis", Principal("carol", Level.SECRET)) == []
    assert hits(index, "orcon", US_C) == []
    assert hits(index, "orcon", orcon) == ["O"]
    assert hits(index, "both", orcon) == []
    assert hits(index, "both", both) == ["P"]
    for word, cable_id in (("nodis", "N"), ("exdis", "E"), ("orcon", "O"), ("both", "P")):
        assert hits(index, word, OPERATOR) == [cable_id]


def test_operator_reads_the_us_top_secret_view_of_today(index: TantivyIndex) -> None:
    index.replace(
        "T",
        [
            doc("T", "low", [class_token("us", r) for r in (0, 1, 2, 3)]),
            doc("T", "low top", [class_token("us", 4)]),
        ],
    )
    index.commit()
    assert hits(index, "top", OPERATOR) == ["T"]
    assert hits(index, "low", OPERATOR) == ["T"]


def test_snippets_escape_text_and_mark_matches(index: TantivyIndex) -> None:
    index.replace("H", [doc("H", "Say <script> & the interceptor line", everyone("us"))])
    index.commit()
    request = SearchRequest(parse_query("interceptor"), Scope(OPERATOR, DAY))
    (hit,) = index.search(request).hits
    assert hit.snippet == "Say &lt;script&gt; &amp; the <b>interceptor</b> line"


def test_undated_cables_sort_last_both_ways(index: TantivyIndex) -> None:
    index.replace("OLD", [doc("OLD", "w", everyone("us"), date=datetime(2001, 1, 1, tzinfo=UTC))])
    index.replace("NEW", [doc("NEW", "w", everyone("us"), date=datetime(2009, 1, 1, tzinfo=UTC))])
    index.replace("NONE", [doc("NONE", "w", everyone("us"), date=None)])
    index.commit()
    for sort, expected in (("date", ["OLD", "NEW", "NONE"]), ("-date", ["NEW", "OLD", "NONE"])):
        request = SearchRequest(parse_query("w"), Scope(OPERATOR, DAY), sort=Sort(sort))
        assert [h.cable_id for h in index.search(request).hits] == expected


@pytest.mark.parametrize("word", ["interceptor", "Interceptor", "INTERCEPTORS"])
def test_words_are_matched_case_insensitively(index: TantivyIndex, word: str) -> None:
    index.replace("W", [doc("W", "interceptor interceptors", everyone("us"))])
    index.commit()
    assert hits(index, word, OPERATOR) == ["W"]


def test_accents_are_folded(index: TantivyIndex) -> None:
    index.replace("F", [doc("F", "Quai d'Orsay démarche", everyone("us"))])
    index.commit()
    assert hits(index, "demarche", OPERATOR) == ["F"]
    assert hits(index, '"d\'Orsay démarche"', OPERATOR) == ["F"]


# --- the indexer -------------------------------------------------------------------------

SERIES = [
    f"""091200Z JAN 09
FM AMEMBASSY ROME
TO SECSTATE WASHDC PRIORITY
BT
UNCLAS ROME 00010{n}

E.O. 12958: N/A
TAGS: AMGT
SUBJECT: NOTICE {n}

1. (U) Notice number {n} about the {word} schedule.
"""
    for n, word in enumerate(["ferry", "train", "bus", "tram", "plane"])
]


def put(archive: Archive, *texts: str) -> None:
    cables = [parse(text) for text in texts]
    assert all(cable.id for cable in cables)
    archive.storage.put([NewVersion(c.id or "", c.original_text, c, "t") for c in cables])


class FailingCommit:
    """A real index whose next commit fails, as a crash between adding and committing."""

    def __init__(self, index: SearchIndex) -> None:
        self.index = index

    def replace(self, cable_id: str, docs: Sequence[IndexDoc]) -> None:
        self.index.replace(cable_id, docs)

    def commit(self) -> None:
        raise OSError("disk full")

    def search(self, request: SearchRequest) -> SearchResult:
        return self.index.search(request)

    def count_docs(self, cable_id: str | None = None) -> int:
        return self.index.count_docs(cable_id)

    def close(self) -> None:
        self.index.close()


def test_sync_indexes_every_current_version_once(archive_dir: Path) -> None:
    with Archive.open(archive_dir) as archive:
        put(archive, *SERIES)
        batches: list[int] = []
        assert sync(archive.storage, archive.index, batches.append, batch=2) == 5
        assert batches == [2, 2, 1]
        assert archive.storage.index_watermark() == max(
            v.seq for i in archive.storage.ids() for v in archive.storage.versions(i)
        )
        for cable_id in archive.storage.ids():
            stored_version = archive.storage.get(cable_id)
            assert stored_version is not None
            expected = documents(stored_version, cable_access(stored_version.cable))
            assert archive.index.count_docs(cable_id) == len(expected)
        total = archive.index.count_docs()
        assert sync(archive.storage, archive.index) == 0
        assert archive.index.count_docs() == total


def test_a_new_version_replaces_the_old_one_in_the_index(archive_dir: Path) -> None:
    with Archive.open(archive_dir) as archive:
        put(archive, SERIES[0])
        sync(archive.storage, archive.index)
        put(archive, SERIES[0].replace("ferry", "hovercraft"))
        assert sync(archive.storage, archive.index) == 1
        assert hits(archive.index, "ferry", OPERATOR) == []
        assert hits(archive.index, "hovercraft", OPERATOR) == ["09ROME100"]
        (hit,) = archive.index.search(
            SearchRequest(parse_query("hovercraft"), Scope(OPERATOR, DAY))
        ).hits
        assert hit.version == 2


def test_a_failed_commit_leaves_the_watermark_and_a_rerun_completes(archive_dir: Path) -> None:
    with Archive.open(archive_dir) as archive:
        put(archive, *SERIES[:2])
        sync(archive.storage, archive.index)
        before = archive.storage.index_watermark()
        put(archive, *SERIES[2:])
        with pytest.raises(OSError, match="disk full"):
            sync(archive.storage, FailingCommit(archive.index))
        assert archive.storage.index_watermark() == before
    with Archive.open(archive_dir) as again:  # the writer's uncommitted work is gone
        assert hits(again.index, "tram", OPERATOR) == []
        assert sync(again.storage, again.index) == 3
        assert sorted(hits(again.index, "notice", OPERATOR)) == sorted(again.storage.ids())


def test_a_lost_index_is_rebuilt_from_the_first_version(archive_dir: Path) -> None:
    with Archive.open(archive_dir) as archive:
        put(archive, *SERIES)
        sync(archive.storage, archive.index)
    shutil.rmtree(archive_dir / INDEX_DIRECTORY)
    with Archive.open(archive_dir) as again:
        assert again.index.count_docs() == 0
        assert sync(again.storage, again.index) == 5
        assert len(hits(again.index, "notice", OPERATOR)) == 5


def test_an_indexer_commits_every_so_many_cables_and_a_crash_redoes_the_rest(
    archive_dir: Path,
) -> None:
    with Archive.open(archive_dir) as archive:
        committed: list[int] = []
        indexer = Indexer(archive.storage, archive.index, commit_every=3, progress=committed.append)
        put(archive, *SERIES[:2])
        assert indexer.catch_up() == 2
        assert (committed, archive.storage.index_watermark()) == ([], 0)
        put(archive, *SERIES[2:4])
        assert indexer.catch_up() == 2
        assert committed == [4]
        watermark = archive.storage.index_watermark()
        assert watermark > 0
        put(archive, SERIES[4])
        assert indexer.catch_up() == 1
        assert archive.storage.index_watermark() == watermark  # the fifth is not committed
    # Closing without commit drops the fifth cable's documents, as a crash would.
    with Archive.open(archive_dir) as again:
        assert len(hits(again.index, "notice", OPERATOR)) == 4
        assert sync(again.storage, again.index) == 1
        assert len(hits(again.index, "notice", OPERATOR)) == 5


def test_a_search_with_no_match_has_empty_facets(index: TantivyIndex) -> None:
    index.replace("A", [doc("A", "alpha", everyone("us"), tags=("PREL",))])
    index.commit()
    result = index.search(SearchRequest(parse_query("omega"), Scope(OPERATOR, DAY), facets=True))
    assert result.total == 0
    assert result.facets is not None
    assert (result.facets.tags, result.facets.classifications, result.facets.months) == ((), (), ())
    found = index.search(SearchRequest(parse_query("alpha"), Scope(OPERATOR, DAY), facets=True))
    assert found.facets is not None and [b.value for b in found.facets.tags] == ["PREL"]


def test_facets_survive_pickling(index: TantivyIndex) -> None:
    # The web server receives facets from its search processes as pickles.
    index.replace("A", [doc("A", "alpha", everyone("us"), tags=("PREL", "ECON"))])
    index.commit()
    result = index.search(SearchRequest(parse_query("alpha"), Scope(OPERATOR, DAY), facets=True))
    assert result.facets is not None and result.facets.tags and result.facets.months
    assert pickle.loads(pickle.dumps(result)) == result
