"""Who is asking: sessions, API tokens, CSRF tokens, login and its rate limit (issue 5, item 4).

Every request but the login form and static files must carry an identity (`guard`, an
application-wide dependency, so that a route added later cannot forget it):

* **API token**: ``Authorization: Bearer cg_…`` (issued by ``cablegram token create`` or
  on the user page). The server keeps only SHA-256 digests of tokens
  (`cablegram.access.users.token_digest`), so it looks a token up by its digest. A bad
  token is refused (401) even when a session cookie comes with it.
* **Session**: the cookie ``cablegram_session`` holds a random 256-bit id, set at login
  (a new id every login: no session fixation). Sessions live in this process's memory
  (`SessionStore`), keyed by the id's SHA-256 digest, so a memory dump does not yield
  usable ids; a restart logs everybody out, which is the safe direction. A session ends
  after `Settings.session_idle` without a request (8 h) and at the latest
  `Settings.session_lifetime` (24 h) after login. The cookie is ``HttpOnly`` (no script
  reads it), ``SameSite=Strict`` (no other site's page sends it) and ``Secure`` when the
  request came over https or `Settings.secure_cookies` says so (behind a TLS proxy).
  The user is read again from the user store on every request: a removed user's sessions
  and tokens stop working at once, and a changed clearance applies to the next request.

**CSRF.** Every request with a state-changing method (POST …) that a session
authenticates must carry the session's synchronizer token in the form field
``csrf_token`` (`CSRF_FIELD`); the login form, made before any session exists, carries a
double-submit token instead: the random value of the short-lived ``cablegram_login``
cookie, which another site can neither read nor set. Both are compared in constant time.
As defence in depth an ``Origin`` header, when the browser sends one, must be this
server's. Token-authenticated requests need no CSRF token: browsers never attach a
bearer token on their own.

**Login rate limit** (`LoginThrottle`): after `Settings.failures_per_user` failed logins
for one user name, or `Settings.failures_per_address` from one client address, within
`Settings.failure_window`, further attempts are refused with 429 and ``Retry-After``
until the oldest failure leaves the window, even with the right password. A success
clears the user name's failures, not the address's (one valid account must not reset an
address that is guessing others). Unknown user names take as long as known ones (a
password is verified against a dummy hash) so that timing does not tell which names
exist, and the audit trail records a login by a name only when that user exists (a
password typed into the name field must not end up in the log).

The client address is the TCP peer: ``cablegram serve`` does not trust
``X-Forwarded-For`` (anyone could write it to dodge the per-address limit).
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
import threading
from collections import deque
from collections.abc import MutableMapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Annotated, Any, Protocol
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Depends, Form, HTTPException, Request, status
from fastapi.responses import RedirectResponse
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from cablegram.access.audit import Action, AuditLog
from cablegram.access.users import User, UserStore, hash_password, token_digest, verify_password
from cablegram.model import Level

SESSION_COOKIE = "cablegram_session"
LOGIN_COOKIE = "cablegram_login"
"""The login form's double-submit CSRF token (set with the form, checked with the post)."""
CSRF_FIELD = "csrf_token"
"""The form field carrying the CSRF token on every POST form."""
LOGIN_PATH = "/login"
PUBLIC_PATHS = frozenset({LOGIN_PATH})
"""Routes open without an identity (static files are a mount, outside the routes)."""
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
LOGIN_COOKIE_AGE = timedelta(hours=1)
_ISSUED_COOKIES = "cablegram_cookies"
"""Key in the request state of cookies a route asked for (set by the app's middleware)."""
_TOKEN_BYTES = 32
_MAX_COOKIE_TOKEN = 100
_THROTTLE_SWEEP = 10_000
"""Throttle keys kept before stale ones are swept (bounds memory under name spraying)."""


@dataclass(frozen=True)
class Settings:
    """The web server's security settings (defaults are the documented ones)."""

    secure_cookies: bool = False
    """Mark cookies ``Secure`` even over plain http (a TLS proxy in front)."""
    session_idle: timedelta = timedelta(hours=8)
    session_lifetime: timedelta = timedelta(hours=24)
    failures_per_user: int = 5
    failures_per_address: int = 20
    failure_window: timedelta = timedelta(minutes=5)


def new_token() -> str:
    return secrets.token_urlsafe(_TOKEN_BYTES)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def same_secret(given: str | None, expected: str) -> bool:
    """Constant-time comparison; a missing value never matches."""
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


# --- sessions ----------------------------------------------------------------------------


@dataclass
class Session:
    user: str
    csrf_token: str
    created: datetime
    last_seen: datetime
    as_of: date | None = None
    """The as-of day a reviewer or admin pinned for their pages (None: today)."""


class SessionStore:
    """Sessions in memory, keyed by the SHA-256 digest of their id."""

    def __init__(self, idle: timedelta, lifetime: timedelta) -> None:
        self._idle = idle
        self._lifetime = lifetime
        self._sessions: dict[str, Session] = {}
        self._lock = threading.Lock()

    def open(self, user: str, now: datetime) -> tuple[str, Session]:
        """A new session for ``user``; returns its id (for the cookie) and the session."""
        session_id = new_token()
        session = Session(user, new_token(), now, now)
        with self._lock:
            self._sweep(now)
            self._sessions[_digest(session_id)] = session
        return session_id, session

    def get(self, session_id: str, now: datetime) -> Session | None:
        """The live session with this id (its idle clock restarts), else None."""
        key = _digest(session_id)
        with self._lock:
            session = self._sessions.get(key)
            if session is None:
                return None
            if self._expired(session, now):
                del self._sessions[key]
                return None
            session.last_seen = now
            return session

    def close(self, session_id: str) -> None:
        with self._lock:
            self._sessions.pop(_digest(session_id), None)

    def __len__(self) -> int:
        return len(self._sessions)

    def _expired(self, session: Session, now: datetime) -> bool:
        return now - session.last_seen > self._idle or now - session.created > self._lifetime

    def _sweep(self, now: datetime) -> None:
        for key in [k for k, s in self._sessions.items() if self._expired(s, now)]:
            del self._sessions[key]


# --- login rate limit --------------------------------------------------------------------


class LoginThrottle:
    """Failed logins per user name and per client address within a sliding window."""

    def __init__(self, per_user: int, per_address: int, window: timedelta) -> None:
        self._limits = {"user": per_user, "address": per_address}
        self._window = window
        self._failures: dict[tuple[str, str], deque[datetime]] = {}
        self._lock = threading.Lock()

    def retry_after(self, user: str, address: str, now: datetime) -> int | None:
        """Seconds until a login may be tried again, or None when it may be tried now."""
        waits: list[timedelta] = []
        with self._lock:
            for key in self._keys(user, address):
                times = self._recent(key, now)
                if len(times) >= self._limits[key[0]]:
                    waits.append(times[0] + self._window - now)
        if not waits:
            return None
        return max(1, int(max(waits).total_seconds() + 0.999))

    def failed(self, user: str, address: str, now: datetime) -> None:
        with self._lock:
            if len(self._failures) >= _THROTTLE_SWEEP:
                for key in list(self._failures):
                    if not self._recent(key, now):
                        del self._failures[key]
            for key in self._keys(user, address):
                self._failures.setdefault(key, deque()).append(now)

    def succeeded(self, user: str) -> None:
        with self._lock:
            self._failures.pop(("user", user.casefold()), None)

    def _keys(self, user: str, address: str) -> tuple[tuple[str, str], ...]:
        return (("user", user.casefold()), ("address", address))

    def _recent(self, key: tuple[str, str], now: datetime) -> deque[datetime]:
        """The key's failures still in the window (older ones are dropped)."""
        times = self._failures.get(key, deque())
        while times and now - times[0] >= self._window:
            times.popleft()
        return times


# --- identity ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Identity:
    """The authenticated user of a request, and how they were authenticated."""

    user: User
    session_id: str | None
    """The session's id (None: an API token)."""
    session: Session | None


class NotAuthenticatedError(Exception):
    """No valid session or token: pages redirect to the login form, the API answers 401."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="token",
    description="An API token: `cablegram token create USER`, or the user page.",
)
_session_cookie = APIKeyCookie(
    name=SESSION_COOKIE,
    auto_error=False,
    scheme_name="session",
    description="The session cookie set by the login form.",
)


class AuthState(Protocol):
    """What authentication needs of the application's state (`cablegram.web.deps.WebState`)."""

    settings: Settings
    sessions: SessionStore
    throttle: LoginThrottle
    users: UserStore
    audit: AuditLog

    def now(self) -> datetime: ...


def _state(request: Request) -> AuthState:
    state: AuthState = request.app.state.web
    return state


async def guard(
    request: Request,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    session_id: Annotated[str | None, Depends(_session_cookie)],
) -> None:
    """The application-wide dependency: authenticate, then check CSRF on unsafe methods."""
    state = _state(request)
    unsafe = request.method in UNSAFE_METHODS
    if unsafe:
        _check_origin(request)
    if getattr(request.scope.get("route"), "path", None) in PUBLIC_PATHS:
        if unsafe:
            cookie = request.cookies.get(LOGIN_COOKIE)
            token = await _form_field(request, CSRF_FIELD)
            if not cookie or not same_secret(token, cookie):
                raise HTTPException(status.HTTP_403_FORBIDDEN, "CSRF token missing or wrong")
        return
    identity = _identify(state, bearer, session_id)
    request.state.identity = identity
    if unsafe and identity.session is not None:
        token = await _form_field(request, CSRF_FIELD)
        if not same_secret(token, identity.session.csrf_token):
            raise HTTPException(status.HTTP_403_FORBIDDEN, "CSRF token missing or wrong")


def _identify(
    state: AuthState, bearer: HTTPAuthorizationCredentials | None, session_id: str | None
) -> Identity:
    if bearer is not None:
        user = state.users.token_user(token_digest(bearer.credentials))
        if user is None:
            raise NotAuthenticatedError("unknown or revoked API token")
        return Identity(user, None, None)
    if not session_id:
        raise NotAuthenticatedError("log in first")
    session = state.sessions.get(session_id, state.now())
    if session is None:
        raise NotAuthenticatedError("the session has expired: log in again")
    user = state.users.get(session.user)
    if user is None:
        state.sessions.close(session_id)
        raise NotAuthenticatedError("the user no longer exists")
    return Identity(user, session_id, session)


def identity(request: Request) -> Identity:
    """The identity `guard` established for this request."""
    found: Identity = request.state.identity
    return found


async def _form_field(request: Request, name: str) -> str | None:
    value = (await request.form()).get(name)
    return value if isinstance(value, str) else None


def _check_origin(request: Request) -> None:
    origin = request.headers.get("origin")
    if origin is None:
        return  # not a browser, or a browser that sends none: CSRF tokens still apply
    own = f"{request.url.scheme}://{request.url.netloc}"
    if origin != own:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "cross-origin request refused")


# --- cookies -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Cookie:
    name: str
    value: str
    max_age: int | None
    """Seconds; None for a browser-session cookie, 0 to delete."""


def issue_cookie(request: Request, cookie: Cookie) -> None:
    """Ask the application's middleware to set ``cookie`` on this request's response,
    whatever response object the route returns (a template response, a redirect)."""
    state: MutableMapping[str, Any] = request.scope.setdefault("state", {})
    state.setdefault(_ISSUED_COOKIES, []).append(cookie)


def issued_cookies(scope: MutableMapping[str, Any]) -> list[Cookie]:
    """The cookies routes asked for while handling the request of ``scope``."""
    cookies: list[Cookie] = scope.get("state", {}).get(_ISSUED_COOKIES, [])
    return cookies


def cookie_header(cookie: Cookie, secure: bool) -> str:
    """A ``Set-Cookie`` value: HttpOnly, SameSite=Strict, path /, Secure when asked."""
    parts = [f"{cookie.name}={cookie.value}", "Path=/", "HttpOnly", "SameSite=Strict"]
    if cookie.max_age is not None:
        parts.append(f"Max-Age={cookie.max_age}")
    if secure:
        parts.append("Secure")
    return "; ".join(parts)


def login_form_token(request: Request) -> str:
    """The CSRF token for the login form (field `CSRF_FIELD`): the value of the login
    cookie, which the response will set when the browser does not hold one yet. For the
    login page's route."""
    token = request.cookies.get(LOGIN_COOKIE)
    if not token or len(token) > _MAX_COOKIE_TOKEN:  # none yet, or not one of ours
        token = new_token()
        issue_cookie(request, Cookie(LOGIN_COOKIE, token, int(LOGIN_COOKIE_AGE.total_seconds())))
    return token


# --- login and logout --------------------------------------------------------------------

router = APIRouter()


@functools.cache
def _nobody() -> User:
    """A user no password matches, verified against when the name is unknown."""
    return User("", Level.UNCLASSIFIED, password_hash=hash_password(new_token()))


def _verify(user: User | None, password: str) -> bool:
    """The password check, as slow for an unknown name as for a known one."""
    return verify_password(user or _nobody(), password) and user is not None


def safe_next(target: str | None) -> str:
    """Where to go after logging in: a path on this server, never another site."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    parts = urlsplit(target)
    return "/" if parts.scheme or parts.netloc else target


ANONYMOUS = "anonymous"
"""The audit principal of a failed login with a name that is no user's."""
LOGOUT = "logout"


@router.post(LOGIN_PATH, include_in_schema=False, name="login_submit")
async def login_submit(
    request: Request,
    username: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=1000)],
    next_page: Annotated[str, Form(alias="next", max_length=2000)] = "/",
) -> RedirectResponse:
    """Check the name and password; on success open a session and go to ``next``.

    A failure goes back to the login form with ``?failed=1`` (post/redirect/get)."""
    state = _state(request)
    now = state.now()
    address = request.client.host if request.client else "unknown"
    user = state.users.get(username)
    who = user.name if user is not None else ANONYMOUS
    wait = state.throttle.retry_after(username, address, now)
    if wait is not None:
        _audit_login(state, who, "throttled", address)
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS,
            f"Too many failed logins: try again in {wait} seconds.",
            headers={"Retry-After": str(wait)},
        )
    # argon2 takes a good fraction of a second: off the event loop, so that other requests
    # are served meanwhile (it touches no SQLite connection).
    verified = await run_in_threadpool(_verify, user, password)
    if user is None or not verified:
        state.throttle.failed(username, address, now)
        _audit_login(state, who, "failed", address)
        failed = f"{LOGIN_PATH}?failed=1&next={quote(safe_next(next_page), safe='/')}"
        return RedirectResponse(failed, status.HTTP_303_SEE_OTHER)
    state.throttle.succeeded(username)
    session_id, _ = state.sessions.open(user.name, now)
    _audit_login(state, who, "ok", address)
    issue_cookie(request, Cookie(SESSION_COOKIE, session_id, None))
    issue_cookie(request, Cookie(LOGIN_COOKIE, "", 0))
    return RedirectResponse(safe_next(next_page), status.HTTP_303_SEE_OTHER)


def _audit_login(state: AuthState, who: str, result: str, address: str) -> None:
    target = "" if who == ANONYMOUS else who
    state.audit.record(who, Action.LOGIN, target, {"result": result, "address": address})


@router.post("/logout", include_in_schema=False, name="logout")
async def logout(request: Request) -> RedirectResponse:
    """End the session (`guard` checked its CSRF token) and go to the login form."""
    state = _state(request)
    found = identity(request)
    if found.session_id is not None:
        state.sessions.close(found.session_id)
        issue_cookie(request, Cookie(SESSION_COOKIE, "", 0))
    state.audit.record(found.user.name, LOGOUT, found.user.name, {})
    return RedirectResponse(LOGIN_PATH, status.HTTP_303_SEE_OTHER)
