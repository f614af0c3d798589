"""The routes of the web pages (see `cablegram.web.pages` for the list)."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request, status
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse

from cablegram.access.users import UserStore, issue_token
from cablegram.archive import Archive
from cablegram.archive.export import show
from cablegram.archive.graph import refs, thread
from cablegram.archive.people_index import counted, organisations, people
from cablegram.archive.query import QuerySyntaxError
from cablegram.archive.search import search
from cablegram.web import deps
from cablegram.web.auth import login_form_token, safe_next
from cablegram.web.deps import Reading, pin_as_of, record
from cablegram.web.pages.cable import cable_page, tag_meanings
from cablegram.web.pages.common import TEMPLATES, ReaderStatus
from cablegram.web.pages.graph import DEPTH, layout
from cablegram.web.pages.search import (
    PAGE_SIZE,
    Link,
    SearchFormError,
    SearchState,
    field_filter,
    hit_view,
    search_page,
)

router = APIRouter()

ReaderDep = Annotated[Reading, Depends(deps.reading)]
ArchiveDep = Annotated[Archive, Depends(deps.archive)]
UsersDep = Annotated[UserStore, Depends(deps.users)]
MAX_QUERY = 1_000
"""Characters of a query, as the API allows (its export refuses longer ones)."""
LISTING_CABLES = 1_000
"""Cables the people and organisation pages read at most for one listing."""
PEOPLE_SHOWN = 500
"""Rows of the people table (the count above it covers them all)."""
PERSON_CABLES = 200
"""Cables listed on a person's page (newest first; the search link finds them all)."""
EXPORT_FORMATS = (("JSON Lines", "jsonl"), ("CSV", "csv"))
_DIGEST = re.compile(r"[0-9a-f]{64}")


def _here(request: Request) -> str:
    return request.url.path + (f"?{request.url.query}" if request.url.query else "")


def _render(
    request: Request,
    reader: Reading | None,
    template: str,
    context: dict[str, Any],
    status_code: int = status.HTTP_200_OK,
) -> HTMLResponse:
    status_line = None
    if reader is not None:
        status_line = ReaderStatus(
            name=reader.name,
            clearance=reader.user.clearance.word,
            as_of=reader.as_of.isoformat(),
            pinned=reader.pinned,
            may_set_as_of=reader.may_set_as_of,
            csrf_token=reader.csrf_token or "",
            here=_here(request),
        )
    return TEMPLATES.TemplateResponse(
        request, template, {"reader": status_line, **context}, status_code=status_code
    )


def _cable_url(request: Request) -> str:
    """The reader page's path with ``{id}`` for the cable id."""
    return request.url_for("cable_page", cable_id="ID").path.replace("ID", "{id}")


# --- login, home, as-of ------------------------------------------------------------------


@router.get("/login", name="login_page")
async def login_page(
    request: Request,
    failed: Annotated[bool, Query()] = False,
    next_page: Annotated[str, Query(alias="next", max_length=2000)] = "/",
) -> HTMLResponse:
    context = {
        "csrf_token": login_form_token(request),
        "next": safe_next(next_page),
        "error": "Wrong user name or password." if failed else None,
    }
    return _render(request, None, "login.html", context)


@router.get("/", name="home")
async def home(request: Request) -> RedirectResponse:
    return RedirectResponse(request.url_for("search_page").path, status.HTTP_303_SEE_OTHER)


@router.post("/as-of", name="set_as_of")
async def set_as_of(
    request: Request,
    as_of: Annotated[str, Form(max_length=10)] = "",
    today: Annotated[str, Form(max_length=10)] = "",
    next_page: Annotated[str, Form(alias="next", max_length=2000)] = "/",
) -> RedirectResponse:
    """Pin the as-of day of the reader's pages (reviewers and admins; `pin_as_of` refuses
    anyone else with 403); the "Today" button unpins it."""
    day = None
    if not today:
        try:
            day = date.fromisoformat(as_of)
        except ValueError:
            raise HTTPException(
                status.HTTP_422_UNPROCESSABLE_CONTENT, "as_of: YYYY-MM-DD"
            ) from None
    pin_as_of(request, day)
    return RedirectResponse(safe_next(next_page), status.HTTP_303_SEE_OTHER)


# --- search ------------------------------------------------------------------------------


@router.get("/search", name="search_page")
async def search_view(
    request: Request,
    reader: ReaderDep,
    q: Annotated[str, Query(max_length=MAX_QUERY)] = "",
    f: Annotated[list[str] | None, Query(max_length=500)] = None,
    start: Annotated[str, Query(alias="from", max_length=10)] = "",
    end: Annotated[str, Query(alias="to", max_length=10)] = "",
    sort: Annotated[str, Query(max_length=10)] = "relevance",
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    state = SearchState(q.strip(), tuple(f or ()), start.strip(), end.strip(), sort, page)
    base = request.url_for("search_page").path
    try:
        state.check()
    except SearchFormError as error:
        # The page again, with the reader's query and the error under it (400: the
        # request cannot be run as written).
        context = {"page": search_page(state, None, base, ""), "error": str(error)}
        return _render(request, reader, "search.html", context, status.HTTP_400_BAD_REQUEST)
    query = state.query()
    result = await deps.find(
        request, reader, query, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE, sort=sort,
        facets=True,
    )  # fmt: skip
    record(request, reader, "search", query, {"total": result.total, "page": page})
    # The API's streaming export (`cablegram.web.api.export_cables`).
    export = request.url_for("export_cables").path
    exports = tuple(
        Link(label, f"{export}?{urlencode({'q': query, 'format': fmt})}", fmt)
        for label, fmt in EXPORT_FORMATS
    )
    shown = search_page(state, result, base, _cable_url(request), exports)
    return _render(request, reader, "search.html", {"page": shown, "error": None})


# --- cables ------------------------------------------------------------------------------


@router.get("/cables/{cable_id}", name="cable_page")
async def cable_view(
    request: Request,
    reader: ReaderDep,
    opened: ArchiveDep,
    cable_id: str,
    version: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> HTMLResponse:
    """The cable as the reader may see it (404 "no cable ID" when they may see none of it,
    exactly as for a missing id)."""
    try:
        shown = show(opened, cable_id, reader.principal, reader.as_of, version)
    except LookupError:
        record(request, reader, "read", cable_id, {"found": False})
        raise
    graph = refs(opened, cable_id, 1, reader.principal, reader.as_of)
    parts = thread(opened, cable_id, reader.principal, reader.as_of)
    mentions = counted(opened.storage.mentions(cable_id), shown.view)
    record(
        request,
        reader,
        "read",
        cable_id,
        {
            "version": shown.reading.stored.version,
            "withheld": [
                f"{p.portion.label} {p.portion.marking.portion}" for p in shown.view.withheld
            ],
        },
    )
    page = cable_page(shown, graph, parts, mentions, reader.as_of)
    return _render(request, reader, "cable.html", {"cable": page})


@router.get("/cables/{cable_id}/text", name="cable_text")
async def cable_text(
    request: Request,
    reader: ReaderDep,
    opened: ArchiveDep,
    cable_id: str,
    version: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> PlainTextResponse:
    """The telegram as the reader may see it: the original text when nothing is withheld,
    else the canonical telegram of the redacted cable (`cablegram.archive.export.Shown`)."""
    try:
        shown = show(opened, cable_id, reader.principal, reader.as_of, version)
    except LookupError:
        record(request, reader, "read", cable_id, {"found": False})
        raise
    record(
        request,
        reader,
        "read",
        cable_id,
        {
            "version": shown.reading.stored.version,
            "format": "text",
            "withheld": [
                f"{p.portion.label} {p.portion.marking.portion}" for p in shown.view.withheld
            ],
        },
    )
    return PlainTextResponse(shown.text)


@router.get("/cables/{cable_id}/graph", name="graph_page")
async def graph_view(
    request: Request, reader: ReaderDep, opened: ArchiveDep, cable_id: str
) -> HTMLResponse:
    try:
        graph = refs(opened, cable_id, DEPTH, reader.principal, reader.as_of)
    except LookupError:
        record(request, reader, "refs", cable_id, {"found": False})
        raise
    record(request, reader, "refs", cable_id, {"depth": DEPTH})
    drawn = layout(graph)
    visible = {node.id: node.visible for node in drawn.nodes}
    return _render(
        request, reader, "graph.html", {"root": graph.root, "layout": drawn, "visible": visible}
    )


# --- people, organisations, tags ---------------------------------------------------------


def _listing_scope(opened: Archive, reader: Reading, q: str) -> tuple[int, str | None]:
    """How many cables a listing of ``q`` would read, and why it may not (a malformed
    query, or more than `LISTING_CABLES`). The people and organisation listings read
    every selected cable through the reader's view, about a millisecond each: a bounded
    selection keeps the page quick."""
    try:
        selected = search(opened, q, reader.principal, reader.as_of, limit=0, snippets=False)
    except QuerySyntaxError as syntax:
        return 0, str(syntax)
    if selected.total > LISTING_CABLES:
        return selected.total, (
            f"{selected.total} cables match: too many to list from at once "
            f"(at most {LISTING_CABLES}). Narrow the query, e.g. with tag: or date:."
        )
    return selected.total, None


@router.get("/people", name="people_page")
async def people_view(
    request: Request,
    reader: ReaderDep,
    opened: ArchiveDep,
    q: Annotated[str, Query(max_length=MAX_QUERY)] = "",
) -> HTMLResponse:
    """The people the cables matching ``q`` name (all the reader's cables when empty)."""
    selected, problem = _listing_scope(opened, reader, q.strip())
    found = [] if problem else people(opened, q.strip(), reader.principal, reader.as_of)
    record(request, reader, "people", q, {"cables": selected, "people": len(found)})
    context = {"people": found, "shown": min(len(found), PEOPLE_SHOWN), "q": q, "error": problem}
    code = status.HTTP_400_BAD_REQUEST if problem else status.HTTP_200_OK
    return _render(request, reader, "people.html", context, code)


@router.get("/person", name="person_page")
async def person_view(
    request: Request,
    reader: ReaderDep,
    opened: ArchiveDep,
    key: Annotated[str, Query(min_length=1, max_length=300)],
) -> HTMLResponse:
    """One person: the cables naming them that the reader may see (the mention counts only
    readable portions and handling metadata, `cablegram.archive.people_index`)."""
    written = field_filter("person", key)
    if written is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no person {key}")
    summary = next(
        (p for p in people(opened, written, reader.principal, reader.as_of) if p.key == key),
        None,
    )
    record(request, reader, "people", written, {"found": summary is not None})
    if summary is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no person {key}")
    result = await deps.find(
        request, reader, written, limit=PERSON_CABLES, sort="-date", snippets=False
    )
    cable_url = _cable_url(request)
    hits = [hit_view(hit, cable_url.format(id=hit.cable_id)) for hit in result.hits]
    search_url = SearchState(filters=(written,)).url(request.url_for("search_page").path)
    context = {"person": summary, "total": result.total, "cables": hits, "search_url": search_url}
    return _render(request, reader, "person.html", context)


@router.get("/organisations", name="organisations_page")
async def organisations_view(
    request: Request,
    reader: ReaderDep,
    opened: ArchiveDep,
    q: Annotated[str, Query(max_length=MAX_QUERY)] = "",
) -> HTMLResponse:
    """The organisation and country TAGS of the cables matching ``q``."""
    selected, problem = _listing_scope(opened, reader, q.strip())
    found = [] if problem else organisations(opened, q.strip(), reader.principal, reader.as_of)
    record(request, reader, "people", q, {"cables": selected, "organisations": len(found)})
    context = {"entities": found, "q": q, "error": problem}
    code = status.HTTP_400_BAD_REQUEST if problem else status.HTTP_200_OK
    return _render(request, reader, "organisations.html", context, code)


@router.get("/tag", name="tag_page")
async def tag_view(
    request: Request,
    reader: ReaderDep,
    code: Annotated[str, Query(min_length=1, max_length=200)],
) -> HTMLResponse:
    """A TAG: its meanings by era, and the cables carrying it (the first page, newest
    first, with the tags that occur with it)."""
    written = field_filter("tag", code)
    if written is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no TAG {code}")
    result = await deps.find(
        request, reader, written, limit=PAGE_SIZE, sort="-date", facets=True, snippets=False
    )
    record(request, reader, "search", written, {"total": result.total})
    base = request.url_for("search_page").path
    state = SearchState(filters=(written,))
    kind, meanings = tag_meanings(code)
    context = {
        "code": code,
        "kind": kind,
        "meanings": meanings,
        "page": search_page(state, result, base, _cable_url(request)),
        "search_url": state.url(base),
    }
    return _render(request, reader, "tag.html", context)


# --- the reader's account ----------------------------------------------------------------


def _user_context(reader: Reading, store: UserStore) -> dict[str, Any]:
    return {
        "user": reader.user,
        "roles": sorted(role.value for role in reader.user.roles),
        "tokens": store.tokens(reader.name),
        "new_token": None,
        "revoked": None,
    }


@router.get("/user", name="user_page")
async def user_view(
    request: Request,
    reader: ReaderDep,
    store: UsersDep,
    revoked: Annotated[int | None, Query(ge=0)] = None,
) -> HTMLResponse:
    context = _user_context(reader, store)
    context["revoked"] = revoked
    return _render(request, reader, "user.html", context)


@router.post("/user/tokens", name="create_token")
async def create_token(
    request: Request,
    reader: ReaderDep,
    store: UsersDep,
    label: Annotated[str, Form(max_length=80)] = "",
) -> HTMLResponse:
    """Issue an API token for the reader; the page shows it once (only its digest is kept)."""
    token = issue_token(store, reader.name, label.strip())
    deps.web_state(request).audit.record(
        reader.name, "token.create", reader.name, {"label": label.strip()}
    )
    context = _user_context(reader, store)
    context["new_token"] = token
    return _render(request, reader, "user.html", context)


@router.post("/user/tokens/revoke", name="revoke_token")
async def revoke_token(
    request: Request,
    reader: ReaderDep,
    store: UsersDep,
    digest: Annotated[str, Form(max_length=64)],
) -> RedirectResponse:
    """Revoke one of the reader's own tokens (by its full digest)."""
    if not _DIGEST.fullmatch(digest):
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "digest: 64 hex digits")
    count = store.revoke_token(digest, user=reader.name)
    deps.web_state(request).audit.record(
        reader.name, "token.revoke", digest[:12], {"revoked": count}
    )
    target = request.url_for("user_page").include_query_params(revoked=count)
    return RedirectResponse(f"{target.path}?{target.query}", status.HTTP_303_SEE_OTHER)
