"""The web application's security (issue 5, item 4; docs/security.md, "Web application"):
authentication on every route, CSRF on every form, the login rate limit, sessions, cookie
flags, headers, and no SECRET text for a CONFIDENTIAL reader through any API route."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from web_support import (
    CONFIDENTIAL,
    SECRET,
    AppFactory,
    Clock,
    WebArchive,
    WebUser,
    bearer,
    login,
    login_form_token,
    stored_user,
)

from cablegram.access.audit import AuditError, AuditLog
from cablegram.access.principal import Role
from cablegram.access.users import SqliteUserStore, issue_token, token_digest
from cablegram.model import Level
from cablegram.web import app as web_app
from cablegram.web import create_app
from cablegram.web.auth import LOGIN_COOKIE, SESSION_COOKIE, Settings
from seed_archive import PART_ONE_ID, SEED_ID, SEED_PARAGRAPH_12, SEED_PARAGRAPH_18

PUBLIC = {("GET", "/login"), ("POST", "/login")}
_PARAMETER = re.compile(r"\{(\w+)(?::\w+)?\}")


def routes(app: FastAPI) -> list[tuple[str, str]]:
    """(method, path) of every route, path parameters filled in with a plausible value."""
    found = []
    for route in iter_route_contexts(app.routes):
        if isinstance(route.original_route, APIRoute):
            path = _PARAMETER.sub(
                lambda m: "07MOSCOW1002" if "id" in m.group(1) else "x", route.path
            )
            found += [(method, path) for method in sorted(route.methods)]
    return found


# --- authentication ----------------------------------------------------------------------


def test_every_route_but_the_login_form_refuses_a_request_without_a_session(
    client: TestClient,
) -> None:
    checked = routes(client.app)  # type: ignore[arg-type]
    assert len(checked) > len(PUBLIC) + 8  # the API and the pages are there
    for method, path in checked:
        if (method, path) in PUBLIC:
            continue
        response = client.request(method, path)
        if path.startswith("/api/"):
            assert response.status_code == 401, (method, path, response.status_code)
            assert response.headers["www-authenticate"] == "Bearer"
        elif method == "GET":
            assert response.status_code == 303, (method, path)
            assert response.headers["location"].startswith("/login?next=")
        else:
            assert response.status_code in (401, 403), (method, path, response.status_code)


def test_the_login_form_and_static_files_are_open(client: TestClient) -> None:
    assert client.get("/login").status_code == 200
    assert client.get("/static/cablegram.css").status_code == 200


def test_an_unauthenticated_page_comes_back_after_login(client: TestClient) -> None:
    response = client.get("/search?q=tag%3APREL")
    assert response.headers["location"] == "/login?next=/search%3Fq%3Dtag%253APREL"


@pytest.mark.parametrize(
    "authorization",
    ["Bearer cg_not-a-token", "Bearer ", "Basic cmVhZGVyLWM6cGFzc3dvcmQ=", "cg_no-scheme"],
    ids=["unknown-token", "empty-token", "basic", "no-scheme"],
)
def test_bad_credentials_are_refused(client: TestClient, authorization: str) -> None:
    response = client.get("/api/v1/me", headers={"Authorization": authorization})
    assert response.status_code == 401


def test_a_bad_token_is_refused_even_with_a_session(client: TestClient) -> None:
    login(client, SECRET)
    assert client.get("/api/v1/me").status_code == 200
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer cg_wrong"})
    assert response.status_code == 401


def test_a_revoked_token_and_a_removed_user_stop_working(
    client: TestClient, web_archive: WebArchive
) -> None:
    temporary = WebUser(
        "temporary", "password-of-temporary", Level.SECRET, frozenset({Role.READER})
    )
    store = SqliteUserStore(web_archive.path)
    try:
        store.add(stored_user(temporary))
        token = issue_token(store, temporary.name)
        login(client, temporary)
        assert client.get("/api/v1/me").status_code == 200
        headers = {"Authorization": f"Bearer {token}"}
        assert client.get("/api/v1/me", headers=headers).status_code == 200
        assert store.revoke_token(token_digest(token)) == 1
        assert client.get("/api/v1/me", headers=headers).status_code == 401
        store.remove(temporary.name)
        assert client.get("/api/v1/me").status_code == 401  # the session ends with the user
    finally:
        if store.get(temporary.name) is not None:
            store.remove(temporary.name)
        store.close()


# --- CSRF --------------------------------------------------------------------------------


def post_routes(app: FastAPI) -> list[str]:
    return [path for method, path in routes(app) if method == "POST" and path != "/login"]


def test_every_post_needs_the_session_csrf_token(client: TestClient) -> None:
    token = login(client, SECRET)
    posts = post_routes(client.app)  # type: ignore[arg-type]
    assert "/logout" in posts
    for path in posts:
        for form in ({}, {"csrf_token": ""}, {"csrf_token": token[:-1] + "x"}):
            response = client.post(path, data=form)
            assert response.status_code == 403, (path, form, response.status_code)
    # Still logged in: none of the refused posts did anything.
    assert client.get("/api/v1/me").status_code == 200
    assert client.post("/logout", data={"csrf_token": token}).status_code == 303
    assert client.get("/api/v1/me").status_code == 401


def test_a_cross_origin_post_is_refused_even_with_the_token(client: TestClient) -> None:
    token = login(client, SECRET)
    response = client.post(
        "/logout", data={"csrf_token": token}, headers={"Origin": "https://evil.example"}
    )
    assert response.status_code == 403
    same = client.post(
        "/logout", data={"csrf_token": token}, headers={"Origin": "http://testserver"}
    )
    assert same.status_code == 303


def test_the_login_form_needs_its_double_submit_token(client: TestClient) -> None:
    token = login_form_token(client)
    form = {"username": SECRET.name, "password": SECRET.password}
    assert client.post("/login", data=form).status_code == 403
    assert client.post("/login", data=form | {"csrf_token": "forged"}).status_code == 403
    client.cookies.delete(LOGIN_COOKIE)
    assert client.post("/login", data=form | {"csrf_token": token}).status_code == 403
    assert SESSION_COOKIE not in client.cookies


# --- login -------------------------------------------------------------------------------


def post_login(client: TestClient, name: str, password: str, next_page: str = "/") -> Any:
    token = login_form_token(client)
    form = {"username": name, "password": password, "csrf_token": token, "next": next_page}
    return client.post("/login", data=form)


@pytest.mark.parametrize(
    ("next_page", "location"),
    [
        ("/cables/07MOSCOW1002", "/cables/07MOSCOW1002"),
        ("//evil.example/", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("", "/"),
    ],
    ids=["local", "protocol-relative", "absolute", "backslash", "empty"],
)
def test_login_goes_back_to_local_pages_only(
    client: TestClient, next_page: str, location: str
) -> None:
    response = post_login(client, SECRET.name, SECRET.password, next_page)
    assert response.status_code == 303
    assert response.headers["location"] == location


def test_a_failed_login_goes_back_to_the_form(client: TestClient) -> None:
    response = post_login(client, SECRET.name, "wrong password", "/people")
    assert response.headers["location"] == "/login?failed=1&next=/people"
    assert SESSION_COOKIE not in client.cookies


def test_each_login_opens_a_new_session(client: TestClient) -> None:
    login(client, SECRET)
    first = client.cookies[SESSION_COOKIE]
    login(client, SECRET)
    second = client.cookies[SESSION_COOKIE]
    assert first != second
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, first)
    assert client.get("/api/v1/me").status_code == 200  # two logins, two sessions
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, "made-up")
    assert client.get("/api/v1/me").status_code == 401


def test_failed_logins_are_audited_without_unknown_names(
    client: TestClient, web_archive: WebArchive
) -> None:
    with AuditLog(web_archive.path, web_archive.key_dir) as log:
        start = len(log.entries())
    post_login(client, "my-secret-password", "whatever")
    post_login(client, CONFIDENTIAL.name, "wrong password")
    with AuditLog(web_archive.path, web_archive.key_dir) as log:
        entries = log.entries()[start:]
    assert [(e.principal, e.action, e.target) for e in entries] == [
        ("anonymous", "login", ""),
        (CONFIDENTIAL.name, "login", CONFIDENTIAL.name),
    ]
    assert all("my-secret-password" not in e.detail for e in entries)


def test_failed_logins_for_a_user_are_throttled(make_app: AppFactory) -> None:
    clock = Clock()
    with TestClient(make_app(clock=clock), follow_redirects=False) as client:
        for _ in range(5):
            assert post_login(client, CONFIDENTIAL.name, "wrong password").status_code == 303
        clock.advance(timedelta(minutes=1))
        refused = post_login(client, CONFIDENTIAL.name, CONFIDENTIAL.password)
        assert refused.status_code == 429
        assert int(refused.headers["retry-after"]) == 4 * 60
        assert SESSION_COOKIE not in client.cookies
        # Another user is not affected.
        assert post_login(client, SECRET.name, SECRET.password).headers["location"] == "/"
        clock.advance(timedelta(minutes=4))
        assert post_login(client, CONFIDENTIAL.name, CONFIDENTIAL.password).status_code == 303
        assert client.get("/api/v1/me").json()["name"] == CONFIDENTIAL.name


def test_failed_logins_from_an_address_are_throttled(make_app: AppFactory) -> None:
    settings = Settings(failures_per_user=100, failures_per_address=3)
    with TestClient(make_app(settings=settings), follow_redirects=False) as client:
        for name in ("nobody-1", "nobody-2", CONFIDENTIAL.name):
            assert post_login(client, name, "wrong password").status_code == 303
        assert post_login(client, SECRET.name, SECRET.password).status_code == 429


# --- sessions and cookies ----------------------------------------------------------------


def test_a_session_ends_after_idling(make_app: AppFactory) -> None:
    clock = Clock()
    with TestClient(make_app(clock=clock), follow_redirects=False) as client:
        login(client, SECRET)
        clock.advance(timedelta(hours=7, minutes=59))
        assert client.get("/api/v1/me").status_code == 200
        clock.advance(timedelta(hours=8, seconds=1))
        assert client.get("/api/v1/me").status_code == 401


def test_a_session_ends_a_day_after_login_however_busy(make_app: AppFactory) -> None:
    clock = Clock()
    with TestClient(make_app(clock=clock), follow_redirects=False) as client:
        login(client, SECRET)
        for _ in range(3):
            clock.advance(timedelta(hours=7))
            assert client.get("/api/v1/me").status_code == 200
        clock.advance(timedelta(hours=3, seconds=1))
        assert client.get("/api/v1/me").status_code == 401


def set_cookie_headers(response: Any) -> dict[str, str]:
    return {value.split("=", 1)[0]: value for value in response.headers.get_list("set-cookie")}


@pytest.mark.parametrize(
    ("base_url", "secure_setting", "secure"),
    [
        ("http://testserver", False, False),
        ("http://testserver", True, True),
        ("https://testserver", False, True),
    ],
    ids=["http", "http-behind-proxy", "https"],
)
def test_cookie_flags(
    make_app: AppFactory, base_url: str, secure_setting: bool, secure: bool
) -> None:
    app = make_app(settings=Settings(secure_cookies=secure_setting))
    with TestClient(app, base_url=base_url, follow_redirects=False) as client:
        form_page = client.get("/login")
        # Read from the header: the client keeps no Secure cookie for an http URL.
        token = set_cookie_headers(form_page)[LOGIN_COOKIE].split(";")[0].split("=", 1)[1]
        form = {
            "username": SECRET.name,
            "password": SECRET.password,
            "csrf_token": token,
            "next": "/",
        }
        response = client.post("/login", data=form, headers={"Cookie": f"{LOGIN_COOKIE}={token}"})
    for cookie in (
        set_cookie_headers(form_page)[LOGIN_COOKIE],
        set_cookie_headers(response)[SESSION_COOKIE],
    ):
        attributes = {part.strip().split("=")[0] for part in cookie.split(";")[1:]}
        assert {"HttpOnly", "SameSite", "Path"} <= attributes
        assert "SameSite=Strict" in cookie
        assert ("Secure" in attributes) == secure


# --- headers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "authenticated"),
    [
        ("/login", False),
        ("/static/cablegram.css", False),
        ("/api/v1/me", True),
        ("/api/v1/me", False),
        ("/api/v1/nothing", True),
        ("/search", True),
        ("/search", False),
    ],
    ids=["login", "static", "api", "api-401", "api-404", "page", "page-redirect"],
)
def test_every_response_carries_the_security_headers(
    client: TestClient, web_archive: WebArchive, path: str, authenticated: bool
) -> None:
    headers = bearer(web_archive, SECRET) if authenticated else {}
    response = client.get(path, headers=headers)
    assert response.headers["content-security-policy"] == (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "frame-ancestors 'none'; object-src 'none'; base-uri 'none'; form-action 'self'"
    )
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "same-origin"
    if not path.startswith("/static/"):
        assert response.headers["cache-control"] == "no-store"


def test_an_unexpected_error_says_nothing_and_keeps_the_headers(
    make_app: AppFactory, web_archive: WebArchive
) -> None:
    app = make_app()

    async def broken() -> None:
        raise RuntimeError("a detail the client must not see")

    app.add_api_route("/api/v1/broken", broken)
    app.add_api_route("/broken", broken)
    with TestClient(app, raise_server_exceptions=False) as client:
        for path in ("/api/v1/broken", "/broken"):
            response = client.get(path, headers=bearer(web_archive, SECRET))
            assert response.status_code == 500
            assert "must not see" not in response.text
            assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["content-type"].startswith("text/html")


def test_synchronous_routes_are_refused(web_archive: WebArchive) -> None:
    app = FastAPI()

    def blocking() -> None: ...

    app.add_api_route("/blocking", blocking)
    with pytest.raises(TypeError, match="must be async def"):
        web_app._require_async(app)


# --- no SECRET text for a CONFIDENTIAL reader --------------------------------------------

SECRET_WORDS = (SEED_PARAGRAPH_12, SEED_PARAGRAPH_18)


def api_requests() -> list[tuple[str, dict[str, Any]]]:
    """A request to every API route (`test_every_api_route_is_probed` keeps it complete),
    with queries aimed at the seed's SECRET paragraphs."""
    return [
        ("/api/v1/me", {}),
        ("/api/v1/search", {"q": "Iskander", "facets": "true"}),
        ("/api/v1/search", {"q": "weapon AND choice"}),
        ("/api/v1/search", {"q": f"id:{SEED_ID}", "facets": "true"}),
        ("/api/v1/search", {"q": "", "limit": 100, "sort": "-date"}),
        ("/api/v1/cables/07MOSCOW1002", {}),
        ("/api/v1/cables/07MOSCOW1002", {"version": 1}),
        ("/api/v1/cables/07MOSCOW1001", {}),
        ("/api/v1/cables/07MOSCOW1002/versions", {}),
        ("/api/v1/cables/07MOSCOW1002/references", {"depth": 3}),
        ("/api/v1/cables/07MOSCOW1001/references", {}),
        ("/api/v1/people", {"q": ""}),
        ("/api/v1/people", {"q": "Iskander OR missile"}),
        ("/api/v1/export", {"q": "", "format": "jsonl"}),
        ("/api/v1/export", {"q": "", "format": "csv"}),
        ("/api/v1/export", {"q": "missile", "format": "jsonl"}),
        ("/api/v1/openapi.json", {}),
    ]


def test_every_api_route_is_probed(client: TestClient) -> None:
    probed = {
        _PARAMETER.sub("ID", path.replace(SEED_ID, "{id}").replace(PART_ONE_ID, "{id}"))
        for path, _ in api_requests()
    }
    routed = {
        _PARAMETER.sub("ID", str(route.path))
        for route in iter_route_contexts(client.app.routes)  # type: ignore[attr-defined]
        if isinstance(route.original_route, APIRoute) and str(route.path).startswith("/api/")
    }
    assert probed == routed


@pytest.mark.usefixtures("shared_dir")
def test_a_confidential_token_never_receives_a_secret_portion(
    client: TestClient, web_archive: WebArchive
) -> None:
    for path, params in api_requests():
        confidential = client.get(path, params=params, headers=bearer(web_archive, CONFIDENTIAL))
        assert confidential.status_code in (200, 404), (path, confidential.text)
        for words in SECRET_WORDS:
            assert words not in confidential.text, (path, params)
    # The probes can find the words: the SECRET reader gets them.
    secret = client.get(f"/api/v1/cables/{SEED_ID}", headers=bearer(web_archive, SECRET))
    assert all(words in secret.text for words in SECRET_WORDS)
    search = client.get(
        "/api/v1/search", params={"q": "Iskander"}, headers=bearer(web_archive, SECRET)
    )
    assert search.json()["total"] == 1


# --- the as-of day and the audit key -----------------------------------------------------


def test_only_a_reviewer_pins_the_as_of_day_of_a_session(client: TestClient) -> None:
    form = {"as_of": "2020-01-01", "next": "/"}
    token = login(client, CONFIDENTIAL)
    assert client.post("/as-of", data=form | {"csrf_token": token}).status_code == 403
    assert client.get("/api/v1/me").json()["as_of"] == "2010-01-01"
    token = login(client, SECRET)
    assert client.post("/as-of", data=form | {"csrf_token": token}).status_code == 303
    me = client.get("/api/v1/me").json()
    assert (me["as_of"], me["as_of_pinned"]) == ("2020-01-01", True)


def test_the_server_does_not_start_without_the_audit_key(
    web_archive: WebArchive, tmp_path: Path
) -> None:
    app = create_app(web_archive.path, key_dir=tmp_path / "other-keys")
    with pytest.raises(AuditError, match="audit key"), TestClient(app):
        pass
