"""The HTTP API under ``/api/v1`` (issue 5, item 3): JSON (and CSV) for programs.

* ``GET /search?q=&limit=&cursor=&sort=&facets=`` — a page of hits (id, date, origin,
  classification, subject, score, snippet), the total, on request the facet counts and
  the histogram, and ``next_cursor``;
* ``GET /cables/{id}?version=`` — the reader's view of a cable: `cablegram.jsonio
  .cable_to_dict` of the redacted cable, what was withheld and declassified, the versions;
* ``GET /cables/{id}/versions`` — its versions (number, release, ingestion, current);
* ``GET /cables/{id}/references?depth=`` — what it cites, what cites it, the unresolved
  references, its thread (the parts of a multi-part cable);
* ``GET /people?q=&limit=`` — the people the (matching) cables name;
* ``GET /export?q=&format=jsonl|csv`` — every matching cable, streamed;
* ``GET /me`` — the reader: clearance, caveats, channels, roles, as-of day;
* ``GET /openapi.json`` — this API's OpenAPI document.

Every route takes ``as_of=YYYY-MM-DD`` (reviewers and admins; `cablegram.web.deps
.reading`). Authentication: ``Authorization: Bearer cg_…`` or the session cookie
(`cablegram.web.auth`). Errors are ``application/problem+json``
(`cablegram.web.problems`).

Everything goes through the same services, and so the same access rules, as the CLI: the
search index filters by reader (hits, totals, snippets and facets are exact for them),
reads go through `cablegram.access.view` (withheld portions are placeholders), and a
cable the reader may not see is 404 exactly like a missing id. Every search, read,
reference walk, people listing and export is written to the audit trail.

**Cursors** are opaque to clients: base64url of ``offset:fingerprint``, where the
fingerprint (a SHA-256 prefix of the query and the sort) ties a cursor to the query it
came from; a cursor from another query is refused (400) rather than silently paging
through different results. Pages are stable while the index does not change
(`cablegram.archive.search`).

**Export** streams: memory stays bounded whatever the number of cables; the lines are
those of `cablegram.archive.export` (``cablegram export``) for the same reader, byte for
byte (a test compares them). The audit entry is written before the first byte, with the
number of cables matched.
"""

from __future__ import annotations

import base64
import binascii
import csv
import enum
import hashlib
import io
import json
from collections.abc import AsyncIterator
from dataclasses import asdict
from typing import Annotated, Any, Literal, cast

import orjson
from fastapi import APIRouter, Depends, HTTPException, Query, Request, status
from fastapi import Path as PathParameter
from fastapi.responses import JSONResponse, Response, StreamingResponse

from cablegram.archive import Archive
from cablegram.archive.export import COLUMNS, row, show
from cablegram.archive.graph import RefGraph, RefLink, RefNode, Thread, refs, thread
from cablegram.archive.people_index import people
from cablegram.archive.reading import CableNotFoundError, Matches, Reader, matching_ids
from cablegram.archive.reading import Reading as ArchiveReading
from cablegram.jsonio import cable_to_dict
from cablegram.web import models
from cablegram.web.deps import Reading, archive, find_encoded, offload, reading, record
from cablegram.web.models import Problem
from cablegram.web.search_json import iso

PREFIX = "/api/v1"
MAX_LIMIT = 100
MAX_QUERY = 1_000
"""Characters in a query: longer ones are refused (422) before they reach the parser."""
MAX_DEPTH = 3
EXPORT_BATCH = 100
"""Cables per chunk of an export stream."""
_FINGERPRINT = 16

router = APIRouter(
    responses={
        401: {"model": Problem, "description": "No valid session or token."},
        403: {"model": Problem, "description": "as_of asked by a reader who may not."},
        422: {"model": Problem, "description": "A parameter is malformed."},
    },
)

ReaderDependency = Annotated[Reading, Depends(reading)]
ArchiveDependency = Annotated[Archive, Depends(archive)]
QueryParameter = Annotated[
    str,
    Query(max_length=MAX_QUERY, description='The query (docs/query-language.md); "" for all.'),
]
CableId = Annotated[str, PathParameter(min_length=1, max_length=100, description="07MOSCOW1002")]
Responses = dict[int | str, dict[str, Any]]
BAD_QUERY: Responses = {400: {"model": Problem, "description": "A malformed query or cursor."}}
NOT_FOUND: Responses = {
    404: {"model": Problem, "description": "No such cable, or none the reader may see."}
}


@router.get("/openapi.json", include_in_schema=False)
async def openapi_document(request: Request) -> JSONResponse:
    return JSONResponse(request.app.openapi())


@router.get("/me", response_model=models.Me)
async def me(reader: ReaderDependency) -> models.Me:
    """The reader: clearance, caveats, channels, offices, roles and the as-of day."""
    user = reader.user
    return models.Me(
        name=user.name,
        clearance=cast(models.LevelName, user.clearance.name),
        roles=sorted(role.value for role in user.roles),
        us_person=user.us_person,
        country=user.country,
        caveats=sorted(user.caveats),
        channels=sorted(user.channels),
        offices=sorted(user.offices),
        as_of=reader.as_of.isoformat(),
        as_of_pinned=reader.pinned,
        may_set_as_of=reader.may_set_as_of,
        authenticated_by=reader.via,
    )


# --- search ------------------------------------------------------------------------------


def _fingerprint(query: str, sort: str) -> str:
    return hashlib.sha256(f"{sort}\0{query}".encode()).hexdigest()[:_FINGERPRINT]


def encode_cursor(offset: int, query: str, sort: str) -> str:
    raw = f"{offset}:{_fingerprint(query, sort)}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, query: str, sort: str) -> int:
    """The offset a cursor stands for; 400 when it is malformed or from another query."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        offset_text, fingerprint = raw.split(":")
        offset = int(offset_text)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "malformed cursor") from None
    if offset < 0 or fingerprint != _fingerprint(query, sort):
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "the cursor is from another query")
    return offset


def json_response(content: object) -> Response:
    """``content`` as compact UTF-8 JSON (what `JSONResponse` writes), for routes that
    build their JSON themselves; orjson, as it writes a page of hits several times faster."""
    return Response(orjson.dumps(content), media_type="application/json")


# The search page is the hot route: its JSON is built here (its hits and facets where the
# search ran: `cablegram.web.search_json`), not validated and serialised through
# `models.SearchPage` (which still documents it; the tests validate answers against it): no
# model object, validation and serialisation pass per hit and bucket.
@router.get("/search", response_model=models.SearchPage, responses=BAD_QUERY)
async def search_cables(
    request: Request,
    reader: ReaderDependency,
    q: QueryParameter = "",
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Hits per page.")] = 20,
    cursor: Annotated[
        str | None, Query(max_length=200, description="From the previous page's next_cursor.")
    ] = None,
    sort: Annotated[
        Literal["relevance", "date", "-date"],
        Query(description="relevance (BM25), date (oldest first) or -date (newest first)."),
    ] = "relevance",
    facets: Annotated[
        bool, Query(description="Count by tag, origin, classification, caption, year, month.")
    ] = False,
) -> Response:
    """Search the cables the reader may see (query language: docs/query-language.md)."""
    offset = decode_cursor(cursor, q, sort) if cursor else 0
    page = await find_encoded(
        request, reader, q, limit=limit, offset=offset, sort=sort, facets=facets
    )
    record(request, reader, "search", q, {"total": page.total, "offset": offset})
    following = offset + page.hit_count
    return json_response(
        {
            "query": q,
            "total": page.total,
            "offset": offset,
            "limit": limit,
            "sort": sort,
            "as_of": reader.as_of.isoformat(),
            "hits": orjson.Fragment(page.hits),
            "facets": orjson.Fragment(page.facets) if page.facets is not None else None,
            "next_cursor": encode_cursor(following, q, sort) if following < page.total else None,
        }
    )


# --- one cable ---------------------------------------------------------------------------


@router.get("/cables/{cable_id}", response_model=models.CableReading, responses=NOT_FOUND)
async def read_cable(
    request: Request,
    reader: ReaderDependency,
    opened: ArchiveDependency,
    cable_id: CableId,
    version: Annotated[
        int | None, Query(ge=1, le=2**31 - 1, description="Default: the current.")
    ] = None,
) -> models.CableReading:
    """A cable as the reader may see it: withheld portions are placeholders."""
    try:
        shown = show(opened, cable_id, reader.principal, reader.as_of, version)
    except CableNotFoundError:
        record(request, reader, "read", cable_id, {"found": False})
        raise
    view = shown.view
    withheld = [
        {"portion": p.portion.key, "label": p.portion.label, "marking": p.portion.marking.portion}
        for p in view.withheld
    ]
    record(
        request,
        reader,
        "read",
        cable_id,
        {
            "version": shown.reading.stored.version,
            "withheld": [f"{w['label']} {w['marking']}" for w in withheld],
        },
    )
    return models.CableReading.model_validate(
        {
            "id": shown.reading.stored.cable_id,
            "version": shown.reading.stored.version,
            "as_of": view.as_of.isoformat(),
            "complete": view.complete,
            "declassified_on": view.declassified_on.isoformat() if view.declassified_on else None,
            "withheld": withheld,
            "declassified": [p.portion.key for p in view.portions if p.declassified],
            "versions": list(shown.versions),
            "cable": cable_to_dict(view.cable),
        }
    )


@router.get("/cables/{cable_id}/versions", response_model=list[models.Version], responses=NOT_FOUND)
async def cable_versions(
    request: Request, reader: ReaderDependency, opened: ArchiveDependency, cable_id: CableId
) -> list[models.Version]:
    """Every version of a cable the reader may see (no texts, no hashes)."""
    try:
        shown = show(opened, cable_id, reader.principal, reader.as_of)
    except CableNotFoundError:
        record(request, reader, "read", cable_id, {"found": False, "versions": True})
        raise
    record(request, reader, "read", cable_id, {"versions": len(shown.versions)})
    return [models.Version.model_validate(v) for v in shown.versions]


def _node(node: RefNode | None) -> models.RefNode | None:
    if node is None:
        return None
    return models.RefNode(
        id=node.id,
        date=iso(node.date),
        origin=node.origin,
        subject=node.subject,
        classification=node.classification,
    )


def _links(links: tuple[RefLink, ...]) -> list[models.RefLink]:
    return [models.RefLink.model_validate(asdict(link)) for link in links]


def _references(graph: RefGraph, parts: Thread) -> models.References:
    root = _node(graph.root)
    assert root is not None  # the root is always visible
    return models.References(
        cable=root,
        nodes=[n for n in map(_node, graph.nodes) if n is not None],
        cites=_links(graph.cites),
        cited_by=_links(graph.cited_by),
        unresolved=_links(graph.unresolved),
        thread=[
            models.ThreadMember(
                id=m.cable_id, part=m.part, parts=m.parts, sections=m.sections, cable=_node(m.node)
            )
            for m in parts.members
        ],
    )


@router.get("/cables/{cable_id}/references", response_model=models.References, responses=NOT_FOUND)
async def cable_references(
    request: Request,
    reader: ReaderDependency,
    opened: ArchiveDependency,
    cable_id: CableId,
    depth: Annotated[int, Query(ge=1, le=MAX_DEPTH, description="Rings out, both ways.")] = 1,
) -> models.References:
    """What the cable cites and what cites it (a cable the reader may not see is an id
    only), and the parts of its multi-part cable."""
    try:
        graph = refs(opened, cable_id, depth, reader.principal, reader.as_of)
        parts = thread(opened, cable_id, reader.principal, reader.as_of)
    except CableNotFoundError:
        record(request, reader, "refs", cable_id, {"found": False})
        raise
    record(request, reader, "refs", cable_id, {"depth": depth})
    return _references(graph, parts)


# --- people ------------------------------------------------------------------------------


@router.get("/people", response_model=models.People, responses=BAD_QUERY)
async def list_people(
    request: Request,
    reader: ReaderDependency,
    q: QueryParameter = "",
    limit: Annotated[int, Query(ge=1, le=1_000, description="People listed.")] = 100,
) -> models.People:
    """The people the cables matching ``q`` (all when empty) name, most cables first;
    only mentions in what the reader may read count."""
    found = await offload(
        request, lambda own: people(own, q or None, reader.principal, reader.as_of)
    )
    record(request, reader, "people", q, {"people": len(found)})
    return models.People(
        query=q,
        total=len(found),
        people=[models.Person.model_validate(asdict(person)) for person in found[:limit]],
    )


# --- export ------------------------------------------------------------------------------


class ExportFormat(enum.Enum):
    JSONL = "jsonl"
    CSV = "csv"


MEDIA_TYPES = {ExportFormat.JSONL: "application/jsonl", ExportFormat.CSV: "text/csv"}


def csv_line(values: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out).writerow(values)
    return out.getvalue()


def csv_values(reading: ArchiveReading) -> list[str]:
    """One cable's CSV columns, as `cablegram.archive.export` writes them."""
    values = row(reading)
    values["date"] = values["date"].strftime("%Y-%m-%dT%H:%M:%SZ") if values["date"] else ""
    values["tags"] = " ".join(values["tags"])
    values["references"] = " ".join(values["references"])
    return ["" if values[c] is None else str(values[c]) for c in COLUMNS]


async def _lines(reader: Reader, matches: Matches, chosen: ExportFormat) -> AsyncIterator[str]:
    # Each cable is read here, in the event loop's thread (see cablegram.web.deps), a
    # batch per chunk so that other requests are served between chunks.
    batch: list[str] = [csv_line(list(COLUMNS))] if chosen is ExportFormat.CSV else []
    for cable_id in matches:
        found = reader.read(cable_id)
        if found is None:
            continue  # left the archive or the reader's view while the export ran
        if chosen is ExportFormat.CSV:
            batch.append(csv_line(csv_values(found)))
        else:
            batch.append(json.dumps(cable_to_dict(found.view.cable), ensure_ascii=False) + "\n")
        if len(batch) >= EXPORT_BATCH:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)


@router.get(
    "/export",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "One JSON object per line (docs/cable.schema.json), or CSV.",
            "content": {
                MEDIA_TYPES[ExportFormat.JSONL]: {"schema": {"type": "string"}},
                MEDIA_TYPES[ExportFormat.CSV]: {"schema": {"type": "string"}},
            },
        },
        **BAD_QUERY,
    },
)
async def export_cables(
    request: Request,
    reader: ReaderDependency,
    opened: ArchiveDependency,
    q: QueryParameter = "",
    export_format: Annotated[
        ExportFormat, Query(alias="format", description="jsonl or csv.")
    ] = ExportFormat.JSONL,
) -> StreamingResponse:
    """Every cable ``q`` matches for the reader, as the reader may see it."""
    matches = matching_ids(opened, q, reader.principal, reader.as_of)
    record(request, reader, "export", q, {"format": export_format.value, "matched": matches.total})
    filename = f"cablegram-export.{export_format.value}"
    return StreamingResponse(
        _lines(Reader(opened.storage, reader.principal, reader.as_of), matches, export_format),
        media_type=MEDIA_TYPES[export_format],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
