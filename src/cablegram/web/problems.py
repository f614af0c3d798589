"""Errors: ``application/problem+json`` under ``/api/``, an HTML page everywhere else.

API errors follow RFC 9457 (`cablegram.web.models.Problem`): ``type`` ``about:blank``
(the status says it all), ``title`` the status phrase, ``status``, ``detail``; a
malformed query adds ``position`` (0-based offset, `cablegram.archive.query
.QuerySyntaxError`). Pages get a small self-contained HTML page (no template, so that an
error in a template cannot hide the error being reported; the stylesheet is the site's).

What errors say is as careful as any other output: a cable the reader may not see is
"not found", exactly like a missing one (`cablegram.archive.reading.CableNotFoundError`),
and an unexpected error says only that something went wrong (the traceback goes to the
server's log, never to the client).

Not authenticated (`cablegram.web.auth.NotAuthenticatedError`): the API answers 401 with
``WWW-Authenticate: Bearer``; a page asked for with GET redirects to the login form with
``next`` set to come back; other page requests get 401.
"""

from __future__ import annotations

import html
import logging
from collections.abc import MutableMapping
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from cablegram.archive.query import QuerySyntaxError
from cablegram.archive.reading import CableNotFoundError
from cablegram.web.auth import LOGIN_PATH, NotAuthenticatedError
from cablegram.web.models import Problem

API_PREFIX = "/api/"
PROBLEM_MEDIA_TYPE = "application/problem+json"

_log = logging.getLogger(__name__)


class ProblemResponse(JSONResponse):
    media_type = PROBLEM_MEDIA_TYPE


def is_api(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIX)


def problem(
    status_code: int,
    detail: str,
    headers: dict[str, str] | None = None,
    position: int | None = None,
) -> ProblemResponse:
    body = Problem(
        title=HTTPStatus(status_code).phrase, status=status_code, detail=detail, position=position
    )
    return ProblemResponse(body.model_dump(exclude_none=True), status_code, headers=headers)


_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · cablegram</title>
<link rel="stylesheet" href="/static/cablegram.css">
</head>
<body>
<main id="main" class="error-page">
<h1>{status} {title}</h1>
<p>{detail}</p>
<p><a href="/">Search</a> · <a href="{login}">Log in</a></p>
</main>
</body>
</html>
"""


def error_page(status_code: int, detail: str, headers: dict[str, str] | None = None) -> Response:
    page = _PAGE.format(
        status=status_code,
        title=html.escape(HTTPStatus(status_code).phrase),
        detail=html.escape(detail),
        login=LOGIN_PATH,
    )
    return HTMLResponse(page, status_code, headers=headers)


def error(
    request: Request,
    status_code: int,
    detail: str,
    headers: dict[str, str] | None = None,
    position: int | None = None,
) -> Response:
    """The error response the request's client reads: problem+json or an HTML page."""
    if is_api(request):
        return problem(status_code, detail, headers, position)
    return error_page(status_code, detail, headers)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
    return error(request, exc.status_code, detail, dict(exc.headers or {}))


async def _invalid_request(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    return error(request, status.HTTP_422_UNPROCESSABLE_CONTENT, _describe(exc.errors()))


def _describe(errors: Any) -> str:
    """FastAPI's validation errors as one sentence: where, and what is wrong."""
    parts = []
    for found in errors:
        where = ".".join(str(step) for step in found.get("loc", ()) if step != "body")
        parts.append(f"{where}: {found.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


async def _not_authenticated(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, NotAuthenticatedError)
    if is_api(request):
        return problem(status.HTTP_401_UNAUTHORIZED, exc.reason, {"WWW-Authenticate": "Bearer"})
    if request.method == "GET":
        here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(
            f"{LOGIN_PATH}?next={quote(here, safe='/')}", status.HTTP_303_SEE_OTHER
        )
    return error_page(status.HTTP_401_UNAUTHORIZED, exc.reason)


async def _bad_query(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, QuerySyntaxError)
    detail = f"malformed query: {exc.message} (at position {exc.position})"
    return error(request, status.HTTP_400_BAD_REQUEST, detail, position=exc.position)


async def _not_found(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, CableNotFoundError)
    return error(request, status.HTTP_404_NOT_FOUND, str(exc))


def unexpected(scope: MutableMapping[str, Any], exc: Exception) -> Response:
    """The 500 response for an unexpected exception: nothing about it but that it happened
    (the server logs the traceback)."""
    path = str(scope.get("path", ""))
    _log.error("unexpected error on %s %s", scope.get("method"), path, exc_info=exc)
    detail = "something went wrong"
    if path.startswith(API_PREFIX):
        return problem(status.HTTP_500_INTERNAL_SERVER_ERROR, detail)
    return error_page(status.HTTP_500_INTERNAL_SERVER_ERROR, detail)


def install(app: FastAPI) -> None:
    """Register the error handlers on ``app``."""
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(NotAuthenticatedError, _not_authenticated)
    app.add_exception_handler(QuerySyntaxError, _bad_query)
    app.add_exception_handler(CableNotFoundError, _not_found)
