"""A search result as the API's JSON (`cablegram.web.models.SearchPage`'s ``hits`` and
``facets``), encoded where the search ran.

The API's search route is the server's hot path, and its process is the one every request
passes through. So a search process (`cablegram.web.searchers`) encodes the page's hits and
facets itself (`encode_page`) and hands over bytes, which the route splices into its answer
(`orjson.Fragment`): the server's process neither unpickles hit and bucket objects nor
builds their JSON. In-process searches (no search processes) encode the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import orjson

from cablegram.archive.index.base import Facets, Hit, SearchResult

FACET_NAMES = ("tags", "origins", "classifications", "captions", "years", "months")


@dataclass(frozen=True)
class EncodedPage:
    """A `SearchResult` with its hits and facets as JSON text (UTF-8)."""

    total: int
    hit_count: int
    hits: bytes
    """A JSON array of `hit_json` objects."""
    facets: bytes | None
    """A `facets_json` object; None when facets were not asked for."""


def iso(moment: datetime | None) -> str | None:
    """A UTC time as ``2007-03-09T12:00:00Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def hit_json(hit: Hit) -> dict[str, object]:
    """A `cablegram.web.models.Hit`, as JSON."""
    return {
        "id": hit.cable_id,
        "version": hit.version,
        "date": iso(hit.date),
        "origin": hit.origin,
        "classification": hit.classification,
        "subject": hit.subject,
        "score": hit.score,
        "snippet": hit.snippet,
    }


def facets_json(facets: Facets) -> dict[str, object]:
    """A `cablegram.web.models.Facets`, as JSON."""
    return {
        name: [{"value": b.value, "count": b.count} for b in getattr(facets, name)]
        for name in FACET_NAMES
    }


def encode_page(result: SearchResult) -> EncodedPage:
    return EncodedPage(
        total=result.total,
        hit_count=len(result.hits),
        hits=orjson.dumps([hit_json(hit) for hit in result.hits]),
        facets=orjson.dumps(facets_json(result.facets)) if result.facets is not None else None,
    )
