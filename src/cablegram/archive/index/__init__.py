"""The full-text index of cable views: the contract (`base`) and its tantivy adapter."""

from cablegram.archive.index.base import (
    FACET_SIZE,
    Bucket,
    Facets,
    Hit,
    IndexDoc,
    Scope,
    SearchIndex,
    SearchRequest,
    SearchResult,
    Sort,
)
from cablegram.archive.index.tantivy_index import TantivyIndex

__all__ = [
    "FACET_SIZE",
    "Bucket",
    "Facets",
    "Hit",
    "IndexDoc",
    "Scope",
    "SearchIndex",
    "SearchRequest",
    "SearchResult",
    "Sort",
    "TantivyIndex",
]
