"""The search index on tantivy: schema, writer lifecycle, search, snippets and facets.

Lifecycle (``shared/notes/platform.md``, tantivy 0.27): ``Index(schema, path)`` ->
``writer(heap, threads)`` -> ``delete_documents_by_term`` / ``add_document`` ->
``commit()`` -> ``reload()`` -> ``searcher()``. The writer is created on the first change
only, so a process that only searches never takes the index's writer lock (one writer at a
time; readers any time, and they see each commit). Its heap is bounded (`WRITER_HEAP`,
400 MB) so that ingest, index writer included, stays under 1 GB of memory.

Fields (see `IndexDoc`): ``cable`` (raw, stored, fast: the cable id, also what ``id:``
searches and what deletes go by; the design's separate ``id`` field would repeat it),
``version``; access: ``access`` (class tokens), ``declassified_on`` (fast, for the as-of
day), ``rel_nations``, ``channel`` (channel cables only), ``eligibility``, ``guarded``
(either); text: ``subject``, ``body`` (stored, for snippets), with `TEXT_TOKENIZER`;
metadata: ``tag`` ``origin`` ``classification`` ``caption`` (raw, fast: facets), ``ref``,
``person`` (raw), ``date`` (fast, stored: sorting and ranges), ``month`` (fast: the
histogram); ``shown_subject`` (stored only).

An index whose schema or document format (`FORMAT`, kept in the file `FORMAT_FILE` of the
index directory) differs from this one's, as one made by an older cablegram may, is
derived data: it is removed and recreated empty, and `cablegram.archive.indexer.sync` then
re-indexes every cable.

Facet counts come from tantivy's terms aggregation over the same filtered query as the
hits. Per segment it keeps at most ``segment_size`` terms before merging; that is set far
above any field's vocabulary so the counts are exact, not estimates.
"""

from __future__ import annotations

import html
import shutil
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

import tantivy
from tantivy import (
    Document,
    Index,
    IndexWriter,
    Order,
    Query,
    Schema,
    SchemaBuilder,
    SnippetGenerator,
)

from cablegram.archive.index.base import (
    FACET_SIZE,
    Bucket,
    Facets,
    Hit,
    IndexDoc,
    SearchRequest,
    SearchResult,
    Sort,
)
from cablegram.archive.index.tantivy_query import (
    GUARDED,
    TEXT_ANALYZER,
    TEXT_TOKENIZER,
    compile_query,
    for_reader,
    text_terms,
)

WRITER_HEAP = 400_000_000
"""Large enough that a commit's worth of an ingest (`cablegram.archive.ingest.COMMIT_CABLES`)
is mostly one segment: fewer, larger segments mean less merging, which at 250,000 cables
took the ingest from 982 to 1,022 cables/s and its peak RSS from 2.2 GiB to 0.9 GiB;
private memory peaked at 760 MiB (584 with 256 MB)."""
WRITER_THREADS = 1
"""One indexing thread: ingest's parsing workers keep the other cores busy, and one thread
indexes with 8 % less CPU than two (larger segments, fewer merges) while keeping up with
several thousand cables a second."""
SNIPPET_CHARS = 200
_OCCURRENCES_PER_TERM = 50
"""How many occurrences of each of the query's words `snippet_window` weighs at most."""
FORMAT = "2"
"""What the documents' fields mean, beyond the schema's names and types: raised when a
change gives a field new meaning (2: a class token for every class reading a document,
with a side token beside it), so that an index of the old meaning is rebuilt."""
FORMAT_FILE = "cablegram-format"
_EXACT_SEGMENT_SIZE = 1_000_000
_HISTOGRAM_SIZE = 100_000
_TERMS_FACETS = {
    "tags": "tag",
    "origins": "origin",
    "classifications": "classification",
    "captions": "caption",
}


def build_schema() -> Schema:
    builder = SchemaBuilder()
    builder.add_text_field("cable", stored=True, fast=True, tokenizer_name="raw")
    builder.add_integer_field("version", stored=True)
    for name in ("access", "rel_nations", "channel", "eligibility", "guarded", "ref", "person"):
        builder.add_text_field(name, tokenizer_name="raw", index_option="basic")
    builder.add_integer_field("declassified_on", indexed=True, fast=True)
    builder.add_text_field("subject", tokenizer_name=TEXT_TOKENIZER)
    builder.add_text_field("body", stored=True, tokenizer_name=TEXT_TOKENIZER)
    builder.add_bytes_field("shown_subject", stored=True)
    for name in ("tag", "caption", "month"):
        builder.add_text_field(name, fast=True, tokenizer_name="raw", index_option="basic")
    for name in ("origin", "classification"):
        builder.add_text_field(
            name, stored=True, fast=True, tokenizer_name="raw", index_option="basic"
        )
    builder.add_date_field("date", stored=True, indexed=True, fast=True)
    return builder.build()


def _aggregations() -> dict[str, Any]:
    exact = {"size": FACET_SIZE, "segment_size": _EXACT_SEGMENT_SIZE}
    histogram = {"size": _HISTOGRAM_SIZE, "segment_size": _EXACT_SEGMENT_SIZE}
    aggregations: dict[str, Any] = {
        name: {"terms": {"field": field, **exact}} for name, field in _TERMS_FACETS.items()
    }
    aggregations["months"] = {"terms": {"field": "month", **histogram}}
    return aggregations


AGGREGATIONS = _aggregations()


class TantivyIndex:
    """`SearchIndex` on a tantivy index directory (created when missing)."""

    def __init__(self, path: Path, heap: int = WRITER_HEAP, threads: int = WRITER_THREADS) -> None:
        self.path = path
        self.schema = build_schema()
        self._heap = heap
        self._threads = threads
        self._index = self._open(path)
        self._index.register_tokenizer(TEXT_TOKENIZER, TEXT_ANALYZER)
        self._writer: IndexWriter | None = None

    @classmethod
    def open(cls, path: Path) -> TantivyIndex:
        """The index in ``path`` with the default writer settings."""
        return cls(path)

    def _open(self, path: Path) -> Index:
        path.mkdir(parents=True, exist_ok=True)
        marker = path / FORMAT_FILE
        if Index.exists(str(path)) and _read_format(marker) == FORMAT:
            try:
                return Index(self.schema, path=str(path), reuse=True)
            except ValueError as error:
                if "schema does not match" not in str(error):
                    raise
        shutil.rmtree(path)
        path.mkdir(parents=True)
        index = Index(self.schema, path=str(path), reuse=True)
        marker.write_text(FORMAT + "\n", encoding="utf-8")
        return index

    def __enter__(self) -> TantivyIndex:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def _write(self) -> IndexWriter:
        if self._writer is None:
            self._writer = self._index.writer(self._heap, self._threads)
        return self._writer

    def replace(self, cable_id: str, docs: Sequence[IndexDoc]) -> None:
        writer = self._write()
        writer.delete_documents_by_term("cable", cable_id)
        for doc in docs:
            writer.add_document(_document(doc, self.schema))

    def commit(self) -> None:
        if self._writer is not None:
            self._writer.commit()
            self._index.reload()

    def close(self) -> None:
        """Wait for merges; changes not committed are dropped."""
        if self._writer is not None:
            self._writer.rollback()
            self._writer.wait_merging_threads()
            self._writer = None

    def count_docs(self, cable_id: str | None = None) -> int:
        searcher = self._index.searcher()
        if cable_id is None:
            return searcher.num_docs
        query = Query.term_query(self.schema, "cable", cable_id)
        return _count(searcher.search(query, 1, count=True))

    def search(self, request: SearchRequest) -> SearchResult:
        searcher = self._index.searcher()
        text = compile_query(self.schema, request.query)
        query = for_reader(self.schema, text, request.scope)
        # tantivy needs a limit of at least 1, even when only the count is wanted.
        found = searcher.search(
            query, max(request.limit, 1), count=True, offset=request.offset, **_order(request.sort)
        )
        snippets = _Snippets(searcher, text, self.schema, request) if request.snippets else None
        hits = tuple(
            _hit(searcher.doc(address), score, request.sort, snippets)
            for score, address in found.hits[: request.limit]
        )
        total = _count(found)
        facets = None
        if request.facets:
            # The aggregation runs the query again: not for a query that matched nothing.
            facets = _facets(searcher.aggregate(query, AGGREGATIONS)) if total else _NO_FACETS
        return SearchResult(total=total, hits=hits, facets=facets)


_NO_FACETS = Facets((), (), (), (), (), ())


def _read_format(marker: Path) -> str | None:
    try:
        return marker.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None


def _count(found: tantivy.SearchResult) -> int:
    return int(found.count)  # type: ignore[attr-defined]  # the 0.27 stub omits `count`


def _order(sort: Sort) -> dict[str, Any]:
    if sort is Sort.RELEVANCE:
        return {}
    return {"order_by_field": "date", "order": Order.Asc if sort is Sort.DATE else Order.Desc}


def _document(doc: IndexDoc, schema: Schema) -> Document:
    # One call converts every field by the schema: far cheaper than a call per value.
    fields: dict[str, Any] = {
        "cable": doc.cable_id,
        "version": doc.version,
        "declassified_on": doc.declassified_on,
        "body": doc.body,
        "shown_subject": doc.shown_subject.encode("utf-8"),
    }
    multi = {
        "access": doc.access,
        "rel_nations": doc.rel_nations,
        "channel": doc.channels,
        "eligibility": doc.eligibility,
        "tag": doc.tags,
        "caption": doc.captions,
        "ref": doc.refs,
        "person": doc.persons,
    }
    fields.update((field, list(values)) for field, values in multi.items() if values)
    if doc.channels or doc.eligibility:
        fields["guarded"] = GUARDED
    if doc.subject is not None:
        fields["subject"] = doc.subject
    if doc.origin is not None:
        fields["origin"] = doc.origin
    if doc.classification is not None:
        fields["classification"] = doc.classification
    if doc.date is not None:
        fields["date"] = doc.date
        fields["month"] = f"{doc.date.year:04d}-{doc.date.month:02d}"
    return Document.from_dict(fields, schema)


def _hit(document: Document, score: Any, sort: Sort, snippets: _Snippets | None) -> Hit:
    stored = document.to_dict()
    return Hit(
        cable_id=stored["cable"][0],
        version=stored["version"][0],
        date=stored["date"][0] if "date" in stored else None,
        origin=stored["origin"][0] if "origin" in stored else None,
        subject=stored["shown_subject"][0].decode("utf-8"),
        classification=stored["classification"][0] if "classification" in stored else None,
        score=float(score) if sort is Sort.RELEVANCE else None,
        snippet=snippets.of(stored["body"][0]) if snippets else None,
    )


class _Snippets:
    """The snippets of one search's hits: the best fragment of a hit's body with the
    matched words in ``<b>`` (tantivy's `SnippetGenerator`); the body's opening words when
    none of the query's words is in it (a query on fields only).

    tantivy analyses the whole text it is given, about 15 ns a character, which made
    snippets the largest cost of a result page (bodies run to 6,000 characters on
    average). So it is given a window of the body: around the place where most of the
    query's words (`cablegram.archive.index.tantivy_query.text_terms`) occur within one
    fragment's length, found by plain string search. The window only narrows where tantivy
    looks: tantivy still decides what matches and what is highlighted, and when the
    window holds no match (a word found only through accent folding), the whole body is
    given."""

    def __init__(
        self, searcher: tantivy.Searcher, text: Query, schema: Schema, request: SearchRequest
    ) -> None:
        self._terms = text_terms(request.query)
        self._generator = SnippetGenerator.create(searcher, text, schema, "body")
        self._generator.set_max_num_chars(SNIPPET_CHARS)

    def of(self, body: str) -> str:
        if self._terms:
            window = snippet_window(body, self._terms, SNIPPET_CHARS)
            for text in (window, body) if window is not None else (body,):
                snippet = self._generator.snippet_from_doc(Document(body=text))
                if snippet.highlighted():
                    return " ".join(snippet.to_html().split())  # paragraphs run on in one line
        return html.escape(_opening(body))


def snippet_window(body: str, terms: Sequence[str], size: int) -> str | None:
    """The part of ``body`` from ``size`` characters before to ``size`` after the first
    ``size``-character stretch holding the most distinct ``terms`` (analysed, lower-case
    words) as whole words, and of those the most occurrences, as tantivy's choice of a
    fragment weighs them; None when no term occurs as such (in this plain,
    case-insensitive search). Cut at spaces."""
    lowered = body.lower()
    if len(lowered) != len(body):  # lower-casing moved offsets: let tantivy read it all
        return None
    found: list[tuple[int, int]] = []  # (offset, term number)
    for number, term in enumerate(terms):
        start, kept = lowered.find(term), 0
        while start >= 0 and kept < _OCCURRENCES_PER_TERM:
            end = start + len(term)
            if (start == 0 or not lowered[start - 1].isalnum()) and (
                end == len(lowered) or not lowered[end].isalnum()
            ):
                found.append((start, number))
                kept += 1
            start = lowered.find(term, end)
    if not found:
        return None
    found.sort()
    best, best_score = found[0][0], (0, 0)
    counts: dict[int, int] = {}
    right = 0
    for left, (offset, number) in enumerate(found):  # a stretch opening at each in turn
        while right < len(found) and found[right][0] - offset < size:
            counts[found[right][1]] = counts.get(found[right][1], 0) + 1
            right += 1
        score = (len(counts), right - left)  # distinct words, then occurrences
        if score > best_score:
            best, best_score = offset, score
        counts[number] -= 1
        if not counts[number]:
            del counts[number]
    start, end = max(0, best - size), min(len(body), best + 2 * size)
    if start > 0:
        start = body.find(" ", start, best) + 1 or start
    if end < len(body):
        space = body.rfind(" ", best, end)
        end = space if space > best else end
    return body[start:end]


def _opening(body: str) -> str:
    flat = " ".join(body.split())
    if len(flat) <= SNIPPET_CHARS:
        return flat
    return flat[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " …"


def _facets(result: dict[str, Any]) -> Facets:
    def buckets(name: str, by_count: bool) -> tuple[Bucket, ...]:
        found = [Bucket(b["key"], int(b["doc_count"])) for b in result[name]["buckets"]]
        if by_count:
            return tuple(sorted(found, key=lambda b: (-b.count, b.value)))
        return tuple(sorted(found, key=lambda b: b.value))

    months = buckets("months", by_count=False)
    # Years are summed from months (YYYY-MM) rather than aggregated: one pass fewer over
    # the hits.
    years: dict[str, int] = {}
    for month in months:
        years[month.value[:4]] = years.get(month.value[:4], 0) + month.count
    return Facets(
        tags=buckets("tags", by_count=True),
        origins=buckets("origins", by_count=True),
        classifications=buckets("classifications", by_count=True),
        captions=buckets("captions", by_count=True),
        years=tuple(Bucket(year, count) for year, count in years.items()),
        months=months,
    )
