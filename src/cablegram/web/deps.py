"""What every route of the web application depends on: the archive, the user store, the
audit trail, and the reader of the request (issue 5; docs/security.md, "Web application").

`WebState` is opened once per application when it starts (`cablegram.web.app`) and
closed when it stops: one `Archive` (record store and tantivy index), the user store,
the audit trail, the in-memory sessions and the login throttle, and — when the
application has them — the search processes (`cablegram.web.searchers`).

**Routes are ``async def``.** The record store, the user store and the audit trail are
SQLite connections, which belong to the thread that opened them (Python's
``check_same_thread``): the event loop's thread. A synchronous route or dependency would
run in a worker thread and fail on its first query, so `cablegram.web.app.create_app`
refuses to build an application with one. Streaming responses iterate an async generator
for the same reason.

The dependencies, for ``Depends(...)`` in the API (`cablegram.web.api`) and the pages
(`cablegram.web.pages`):

* `current_user` — the authenticated `User` (`cablegram.web.auth.guard` has refused the
  request already when there is none);
* `reading` — the `Reading`: who reads (`Principal`) and on which day (``as_of``). The
  day is today (UTC) unless the reader is a reviewer or an admin who asked for another:
  the query parameter ``as_of=YYYY-MM-DD`` (API and pages), else the day pinned in the
  session with `pin_as_of` (the pages' as-of form). Anyone else asking gets 403: the
  as-of day decides what is declassified, so choosing it is a review privilege;
* `archive`, `users`, `audit` — the open archive, user store and audit trail.

`find` runs a search for the reader: in a search process when the application has them
(``cablegram serve`` starts them), else on the loop, where it blocks every other request
for its duration; a search process lets the loop serve others meanwhile and uses another
core (`cablegram.web.searchers` says why processes rather than threads). `find_encoded`
is `find` with the answer as the API's JSON (`cablegram.web.search_json`).

`offload` runs a service that reads many cables (the person index, organisations) in a
worker thread, on an archive of its own opened and closed in that thread, so that the
event loop goes on serving other requests meanwhile (those services spend their time in
SQLite and Python, not in one long call holding the lock).

`record` appends to the audit trail in the reader's name with the as-of day and the way
they came (``session`` or ``token``): every read, search and export through the web is
recorded, like the CLI's (``read``, ``search``, ``export``, ``refs``, ``people``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Literal, TypeVar

from fastapi import HTTPException, Query, Request, status
from starlette.concurrency import run_in_threadpool

from cablegram.access import Principal, Role
from cablegram.access.audit import AuditError, AuditLog
from cablegram.access.users import SqliteUserStore, User, UserStore
from cablegram.archive import Archive
from cablegram.archive.index.base import SearchResult, Sort
from cablegram.archive.query import parse_query
from cablegram.web.auth import LoginThrottle, SessionStore, Settings, identity
from cablegram.web.search_json import EncodedPage, encode_page
from cablegram.web.searchers import SearchCall, SearchPool, run_call

T = TypeVar("T")

AS_OF_ROLES = frozenset({Role.REVIEWER, Role.ADMIN})
"""Roles that may read as of another day than today."""


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class WebState:
    """Everything one running application holds open."""

    archive: Archive
    users: UserStore
    audit: AuditLog
    settings: Settings
    sessions: SessionStore
    throttle: LoginThrottle
    clock: Callable[[], datetime]
    searches: SearchPool | None = None
    """The search processes (`find`), when the application has them."""

    @classmethod
    def open(
        cls,
        archive_dir: Path,
        settings: Settings,
        clock: Callable[[], datetime] = utc_now,
        key_dir: Path | None = None,
    ) -> WebState:
        """Open the archive in ``archive_dir`` (its index too, so the first search does not
        pay for it), its user store and its audit trail (keys in ``key_dir``, default
        `cablegram.access.audit_store.default_key_dir`); `AuditError` when the audit
        trail cannot be appended to."""
        audit = AuditLog(archive_dir, key_dir, clock=clock)
        if not audit.key_path.is_file():
            audit.close()
            # Fail closed, and at once: without the key no read could be recorded.
            raise AuditError(
                f"the audit key {audit.key_path} is missing, so no read could be recorded: "
                "restore the key directory (or set CABLEGRAM_KEY_DIR) before serving"
            )
        try:
            archive = Archive.open(archive_dir)
            archive.index  # noqa: B018  (opened now, in the event loop's thread)
        except BaseException:
            audit.close()
            raise
        return cls(
            archive=archive,
            users=SqliteUserStore(archive.path),
            audit=audit,
            settings=settings,
            sessions=SessionStore(settings.session_idle, settings.session_lifetime),
            throttle=LoginThrottle(
                settings.failures_per_user, settings.failures_per_address, settings.failure_window
            ),
            clock=clock,
        )

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        return self.clock().astimezone(UTC).date()

    def close(self) -> None:
        self.audit.close()
        self.users.close()
        self.archive.close()


def web_state(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state


@dataclass(frozen=True)
class Reading:
    """Who reads, and as of which day, for one request."""

    user: User
    principal: Principal
    as_of: date
    pinned: bool
    """True when the reader chose the day (it is not today)."""
    csrf_token: str | None
    """The session's CSRF token for the page's forms (None: an API token)."""
    via: Literal["session", "token"]
    """How the reader authenticated."""

    @property
    def name(self) -> str:
        return self.user.name

    @property
    def may_set_as_of(self) -> bool:
        return may_set_as_of(self.user)


def may_set_as_of(user: User) -> bool:
    return bool(user.roles & AS_OF_ROLES)


async def current_user(request: Request) -> User:
    return identity(request).user


AsOfQuery = Annotated[
    date | None,
    Query(
        description="Judge declassification on this day (YYYY-MM-DD; default today). "
        "Reviewers and admins only: 403 for other readers."
    ),
]


async def reading(request: Request, as_of: AsOfQuery = None) -> Reading:
    """The request's reader and as-of day (see the module's docstring)."""
    found = identity(request)
    user = found.user
    pinned = found.session.as_of if found.session is not None else None
    if as_of is not None and not may_set_as_of(user):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "only reviewers and admins may set as_of")
    day = as_of if as_of is not None else pinned if may_set_as_of(user) else None
    return Reading(
        user=user,
        principal=user.principal(),
        as_of=day if day is not None else web_state(request).today(),
        pinned=day is not None,
        csrf_token=found.session.csrf_token if found.session is not None else None,
        via="session" if found.session is not None else "token",
    )


def pin_as_of(request: Request, day: date | None) -> None:
    """Pin the as-of day of the request's session (None: back to today). For the pages'
    as-of form: 403 unless the reader is a reviewer or an admin with a session."""
    found = identity(request)
    if found.session is None or not may_set_as_of(found.user):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "only reviewers and admins may set as_of")
    found.session.as_of = day


async def archive(request: Request) -> Archive:
    return web_state(request).archive


async def offload(request: Request, work: Callable[[Archive], T]) -> T:
    """``work(archive)`` in a worker thread, on an archive of its own (see the module's
    docstring); its exceptions are raised here."""
    directory = web_state(request).archive.path

    def run() -> T:
        with Archive.open(directory) as own:
            return work(own)

    return await run_in_threadpool(run)


async def find(
    request: Request,
    reader: Reading,
    query: str,
    *,
    limit: int = 20,
    offset: int = 0,
    sort: Sort | str = Sort.RELEVANCE,
    facets: bool = False,
    snippets: bool = True,
) -> SearchResult:
    """`cablegram.archive.search.search` of ``query`` for the reader on their as-of day, in
    a search process when the application has them (see the module's docstring). A
    malformed query raises `QuerySyntaxError` here, before any process is asked."""
    call = _search_call(reader, query, limit, offset, sort, facets, snippets)
    state = web_state(request)
    if state.searches is None:
        return run_call(state.archive, call)
    return await state.searches.search(call)


async def find_encoded(
    request: Request,
    reader: Reading,
    query: str,
    *,
    limit: int = 20,
    offset: int = 0,
    sort: Sort | str = Sort.RELEVANCE,
    facets: bool = False,
) -> EncodedPage:
    """`find`, with the hits and facets encoded as the API's JSON where the search ran
    (`cablegram.web.search_json`)."""
    call = _search_call(reader, query, limit, offset, sort, facets, snippets=True)
    state = web_state(request)
    if state.searches is None:
        return encode_page(run_call(state.archive, call))
    return await state.searches.search_encoded(call)


def _search_call(
    reader: Reading,
    query: str,
    limit: int,
    offset: int,
    sort: Sort | str,
    facets: bool,
    snippets: bool,
) -> SearchCall:
    return SearchCall(
        parse_query(query),
        reader.principal,
        reader.as_of,
        limit,
        offset,
        Sort(sort).value,
        facets,
        snippets,
    )


async def users(request: Request) -> UserStore:
    return web_state(request).users


async def audit(request: Request) -> AuditLog:
    return web_state(request).audit


def record(
    request: Request,
    reader: Reading,
    action: str,
    target: str,
    detail: Mapping[str, object] | None = None,
) -> None:
    """Append the reader's ``action`` on ``target`` to the audit trail (never with
    classified text in ``detail``: portion labels and markings only)."""
    web_state(request).audit.record(
        reader.name,
        action,
        target,
        {"as_of": reader.as_of.isoformat(), "via": reader.via, **(detail or {})},
    )


__all__ = [
    "AS_OF_ROLES",
    "Reading",
    "WebState",
    "archive",
    "audit",
    "current_user",
    "find",
    "may_set_as_of",
    "offload",
    "pin_as_of",
    "reading",
    "record",
    "users",
    "web_state",
]
