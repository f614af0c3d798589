"""The web application: `create_app` assembles the API, the pages, static files and the
security around them (issue 5; docs/security.md, "Web application").

* Routes: the login form's post and logout (`cablegram.web.auth`), the HTTP API under
  ``/api/v1`` (`cablegram.web.api`, with its OpenAPI document at
  ``/api/v1/openapi.json``), the pages (`cablegram.web.pages`), and ``/static``.
* Authentication on every route but the login form and static files: `auth.guard` is a
  dependency of the whole application, so a route cannot be added without it. The
  OpenAPI document needs a login too (it is a route like the others). FastAPI's
  interactive documentation pages are off: they load scripts from a CDN, which the
  content security policy forbids and this application never does.
* Every response carries the security headers (`SECURITY_HEADERS`): a content security
  policy that allows scripts, styles and images from this server only (no inline script
  or style), no framing, no MIME sniffing, no referrer to other sites; and
  ``Cache-Control: no-store`` on everything but static files, since pages and API
  answers carry text cleared for one reader.
* Cookies a route asks for (`auth.issue_cookie`) are set here, ``Secure`` when the
  request came over https or `auth.Settings.secure_cookies` says so.
* Errors: `cablegram.web.problems` (problem+json for the API, a page otherwise); an
  unexpected exception becomes a 500 with the same headers, and is raised on to the
  server, which logs it.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

import cablegram
from cablegram.web import api, auth, pages, problems
from cablegram.web.deps import WebState, utc_now
from cablegram.web.searchers import SearchPool

STATIC_DIR = Path(__file__).parent / "static"
STATIC_PREFIX = "/static"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; object-src 'none'; base-uri 'none'; form-action 'self'"
)
SECURITY_HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
)


def create_app(
    archive_dir: Path,
    *,
    clock: Callable[[], datetime] | None = None,
    settings: auth.Settings | None = None,
    key_dir: Path | None = None,
    search_processes: int = 0,
) -> FastAPI:
    """The application serving the archive in ``archive_dir``.

    ``clock`` (timezone-aware UTC) drives session expiry, the login throttle, the
    default as-of day and audit timestamps; ``key_dir`` is the audit trail's key
    directory (default: `cablegram.access.audit_store.default_key_dir`);
    ``search_processes`` is the number of processes searches run in (0: on the event
    loop; `cablegram.web.searchers`). The archive, its user store, its audit trail and
    the search processes are opened when the application starts (its lifespan) and
    closed when it stops."""
    chosen = settings if settings is not None else auth.Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        state = WebState.open(archive_dir, chosen, clock or utc_now, key_dir)
        try:
            if search_processes:
                pool = SearchPool(state.archive.path, search_processes)
                state.searches = pool  # before starting: closed below even if a start fails
                await pool.start()
            app.state.web = state
            yield
        finally:
            if state.searches is not None:
                await state.searches.close()
            state.close()

    app = FastAPI(
        title="cablegram",
        version=cablegram.__version__,
        description="Search and read diplomatic cables as the reader is cleared to see them.",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        dependencies=[Depends(auth.guard)],
    )
    problems.install(app)
    app.mount(STATIC_PREFIX, StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(auth.router)
    app.include_router(api.router, prefix=api.PREFIX)
    app.include_router(pages.router, include_in_schema=False)
    _require_async(app)
    app.add_middleware(SecurityHeaders, settings=chosen)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = openapi_document(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented override
    return app


def _require_async(app: FastAPI) -> None:
    """Refuse synchronous routes and dependencies (see `cablegram.web.deps`: the SQLite
    connections belong to the event loop's thread)."""
    for route in iter_route_contexts(app.routes):
        if not isinstance(route.original_route, APIRoute):
            continue
        pending = [route.dependant]
        while pending:
            dependant = pending.pop()
            call = dependant.call
            if inspect.isfunction(call) and not (
                inspect.iscoroutinefunction(call) or inspect.isasyncgenfunction(call)
            ):
                raise TypeError(
                    f"{call.__module__}.{call.__qualname__} (route {route.path}) must be "
                    "async def: the archive's SQLite connections belong to the event loop"
                )
            pending.extend(dependant.dependencies)


def openapi_document(app: FastAPI) -> dict[str, Any]:
    """FastAPI's OpenAPI document, with error responses as ``application/problem+json``
    (FastAPI files every response model under the route's own media type)."""
    document = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=app.routes,
    )
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            for code, response in operation.get("responses", {}).items():
                content = response.get("content", {})
                if code.isdigit() and int(code) >= 400 and "application/json" in content:
                    content[problems.PROBLEM_MEDIA_TYPE] = content.pop("application/json")
    return document


class SecurityHeaders:
    """ASGI middleware: security headers, cookies routes asked for, and a 500 response
    (with those headers) for an unexpected exception."""

    def __init__(self, app: ASGIApp, settings: auth.Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                self._decorate(scope, MutableHeaders(scope=message))
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception as exc:
            if started:
                raise
            response = problems.unexpected(scope, exc)
            await response(scope, receive, send_with_headers)
            raise

    def _decorate(self, scope: Scope, headers: MutableHeaders) -> None:
        for name, value in SECURITY_HEADERS:
            headers[name] = value
        if not str(scope.get("path", "")).startswith(STATIC_PREFIX + "/"):
            headers["Cache-Control"] = "no-store"
        secure = self.settings.secure_cookies or scope.get("scheme") == "https"
        for cookie in auth.issued_cookies(scope):
            headers.append("Set-Cookie", auth.cookie_header(cookie, secure))
