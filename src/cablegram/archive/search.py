"""The search service: a query run for one reader on one day (issue 3 item 3, issue 4).

``search(archive, "tag:PREL Kislyak", principal, as_of=date(2010, 1, 1))`` parses the query
(`cablegram.archive.query`; a malformed one raises `QuerySyntaxError`) and asks the
archive's index, which filters by the reader itself (`cablegram.archive.index`): hits,
the total, snippets and facets count only what this reader may see on that day. The
default reader is `cablegram.access.OPERATOR`, the local operator of an archive without
users, who sees everything; the default day is today (UTC).

Pagination is stable: the same request against the same index state returns the same
page; ties in score or date keep the index's document order.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Protocol

from cablegram.access import OPERATOR, Principal
from cablegram.archive.index.base import (
    Scope,
    SearchIndex,
    SearchRequest,
    SearchResult,
    Sort,
)
from cablegram.archive.query import Node, parse_query


class Searchable(Protocol):
    """What search needs of an archive (`cablegram.archive.Archive`)."""

    @property
    def index(self) -> SearchIndex: ...


def search(
    archive: Searchable,
    query: str | Node,
    principal: Principal = OPERATOR,
    as_of: date | None = None,
    limit: int = 20,
    offset: int = 0,
    sort: Sort | str = Sort.RELEVANCE,
    facets: bool = False,
    snippets: bool = True,
) -> SearchResult:
    """Run ``query`` (text or a parsed tree) for ``principal`` as of ``as_of``.

    ``sort``: ``relevance`` (BM25), ``date`` (oldest first) or ``-date`` (newest first).
    """
    if limit < 0 or offset < 0:
        raise ValueError(f"limit and offset must not be negative (got {limit}, {offset})")
    request = SearchRequest(
        query=parse_query(query) if isinstance(query, str) else query,
        scope=Scope(principal, as_of if as_of is not None else datetime.now(UTC).date()),
        limit=limit,
        offset=offset,
        sort=Sort(sort),
        facets=facets,
        snippets=snippets,
    )
    return archive.index.search(request)
