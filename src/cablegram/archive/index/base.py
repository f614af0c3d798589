"""The search index contract: documents in, ranked hits, counts and facets out.

Services talk to `SearchIndex` only; `cablegram.archive.index.tantivy_index` implements it
with tantivy. A cable is stored in the index as a few `IndexDoc` *views*
(`cablegram.archive.documents`): each holds the text one group of readers may read, with
the access classes of those readers. A `SearchRequest` names its reader (`Scope`), and the
index adds a filter that matches exactly one view of each cable the reader may see, so
that hits, totals, snippets and facets are exact for that reader with no post-filtering
(issue 4, "enforced by the index").
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Protocol

from cablegram.access import Principal
from cablegram.archive.query import Node

EPOCH = date(1970, 1, 1)
FOREVER = 10**9
"""A day later than any as-of day (`day_number`): the end of a view that never ends."""
RESTRICTED = "restricted"
"""The channel token marking a channel cable's documents."""
OPEN = "open"
"""`cablegram.access.views.channel_tokens` of an open cable: not indexed (`RESTRICTED`)."""


BEFORE = "before"
AFTER = "after"
"""The sides of a cable's declassification day, for the classes whose view changes then."""


def class_token(nation: str, rank: int, side: str | None = None) -> str:
    """An access class: readers of a nationality (``us``, ``rel:GBR``, ``foreign``) and a
    clearance rank (0 UNCLASSIFIED ... 4 TOP SECRET): ``us/2``, which a document lists
    when the class reads it on some day. With a side (`BEFORE` or `AFTER`), the token
    (``us/2@before``, ``us/2@after``) says that the class reads the document only before
    the cable's declassification day or only from it on; a document listing ``us/2`` and
    neither side token reads for the class on every day."""
    return f"{nation}/{rank}" if side is None else f"{nation}/{rank}@{side}"


def day_number(day: date) -> int:
    """Days since 1970-01-01."""
    return (day - EPOCH).days


@dataclass(frozen=True)
class IndexDoc:
    """One view of one cable: the portions a group of readers may read, and who they are."""

    cable_id: str
    version: int
    access: tuple[str, ...]
    """The access classes (`class_token`) that read exactly this view on some day, and
    for those that read it on one side of the declassification day only, that side's
    token too. Each class reads one document of the cable on any day."""
    declassified_on: int
    """The cable's declassification day (`day_number`), which the sides of the class
    tokens refer to; `FOREVER` when no view changes on any day."""
    rel_nations: tuple[str, ...]
    """The ``rel:XXX`` nations the cable has views for (a liaison reader of such a country
    reads that view, not the ``foreign`` one)."""
    channels: tuple[str, ...]
    """Empty for an open cable; for a channel cable (NODIS ...) `RESTRICTED` and its
    `cablegram.access.views.channel_tokens`, of which a reader needs one."""
    eligibility: tuple[str, ...]
    """Caveats needing eligibility (ORCON, PROPIN) anywhere in the cable: a reader needs
    all of them."""
    subject: str | None
    """The subject text when this view may read it, else None (not searchable)."""
    shown_subject: str
    """The subject as this view shows it: its text or a placeholder; empty when none."""
    body: str
    """The texts of the view's portions, in reading order, separated by blank lines."""
    date: datetime | None
    origin: str | None
    classification: str | None
    """The banner level's word (``SECRET``)."""
    tags: tuple[str, ...] = ()
    captions: tuple[str, ...] = ()
    refs: tuple[str, ...] = ()
    """Ids of the cables in the REF list."""
    persons: tuple[str, ...] = ()
    """Index terms (`cablegram.archive.people.person_terms`) of the people named in this
    view's portions or in the handling metadata."""


class Sort(enum.Enum):
    RELEVANCE = "relevance"
    """BM25, best first."""
    DATE = "date"
    """Oldest first."""
    NEWEST = "-date"
    """Newest first."""


@dataclass(frozen=True)
class Scope:
    """Who reads, on which day (declassification depends on it)."""

    principal: Principal
    as_of: date


@dataclass(frozen=True)
class SearchRequest:
    query: Node
    scope: Scope
    limit: int = 20
    offset: int = 0
    sort: Sort = Sort.RELEVANCE
    facets: bool = False
    snippets: bool = True


@dataclass(frozen=True)
class Hit:
    cable_id: str
    version: int
    date: datetime | None
    origin: str | None
    subject: str
    """The subject as the reader's view shows it (a placeholder when withheld)."""
    classification: str | None
    score: float | None
    """BM25 score; None when sorted by date."""
    snippet: str | None
    """HTML: the view's text around the matched words, each in ``<b>...</b>``, the rest
    escaped; None when snippets were not asked for."""


@dataclass(frozen=True, slots=True)
class Bucket:
    value: str
    count: int


@dataclass(frozen=True)
class Facets:
    """Counts over every cable the request matches (not only the page)."""

    tags: tuple[Bucket, ...]
    origins: tuple[Bucket, ...]
    classifications: tuple[Bucket, ...]
    captions: tuple[Bucket, ...]
    """The above: the most frequent first (ties by value), at most `FACET_SIZE`."""
    years: tuple[Bucket, ...]
    months: tuple[Bucket, ...]
    """The histogram: every year (``2007``) or month (``2007-03``) with a cable, in order."""

    def __reduce__(self) -> tuple[object, ...]:
        # Pickled as plain pairs: the web server receives facets from its search processes
        # (`cablegram.web.searchers`), and a dataclass pickles through Python calls for
        # each bucket, which made a page's facets cost 0.1 ms to send.
        pairs = tuple(
            tuple((bucket.value, bucket.count) for bucket in getattr(self, field.name))
            for field in fields(self)
        )
        return (_facets_from_pairs, pairs)


def _facets_from_pairs(*pairs: tuple[tuple[str, int], ...]) -> Facets:
    """`Facets` from its fields' (value, count) pairs, in the fields' order."""
    return Facets(*(tuple(Bucket(value, count) for value, count in each) for each in pairs))


FACET_SIZE = 20


@dataclass(frozen=True)
class SearchResult:
    total: int
    """Cables matching, for this reader."""
    hits: tuple[Hit, ...]
    facets: Facets | None = None


class SearchIndex(Protocol):
    """A full-text index of cable views (one writer at a time; readers any time)."""

    def replace(self, cable_id: str, docs: Sequence[IndexDoc]) -> None:
        """Drop the cable's documents and add ``docs`` (visible after `commit`)."""
        ...

    def commit(self) -> None:
        """Make every change durable and visible to searches."""
        ...

    def search(self, request: SearchRequest) -> SearchResult: ...

    def count_docs(self, cable_id: str | None = None) -> int:
        """Committed documents of a cable, or of the whole index."""
        ...

    def close(self) -> None: ...
