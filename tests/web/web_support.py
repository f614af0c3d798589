"""Fixtures for the web tests (shared by the API, security, page, browser and demo tests).

* `web_archive` (session): a small archive — about 200 synthetic cables
  (`cablegram.synth.generate`), plus the seed 07MOSCOW1002 and a generated part I
  (`cablegram.synth.companion_part_one`, id 07MOSCOW1001) when ``../shared`` exists — with
  three users of known passwords (`USERS`: UNCLASSIFIED, CONFIDENTIAL, and a SECRET
  reviewer who may pin the as-of day) and an API token for each. Tests that need the
  seed itself ask for the ``shared_dir`` fixture too (skipped without ../shared, an error
  under CI=true).
* `web_app` (session) and `client`: the application on that archive through Starlette's
  `TestClient` (ASGI, no network), a fresh lifespan per test (no sessions, no failed
  logins). Its clock says `SERVER_DAY` (2010-01-01, before the seed's declassification on
  2017-03-01), so the seed's SECRET paragraphs 12 and 18 are still SECRET for everybody.
  `make_app(clock=, settings=)` builds another one (a clock to move, other limits).
* `live_server` (session): the same application under a real uvicorn on a free loopback
  port, in a thread, with a search process as ``cablegram serve`` runs it
  (`cablegram.web.searchers`); returns its base URL. Its clock starts at `SERVER_DAY`
  and runs.
* `login(client, user)`: logs in through the login form (fetching its CSRF token the way
  a browser does) and returns the session's CSRF token for later forms.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import uvicorn
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient

from cablegram.access.principal import Role
from cablegram.access.users import SqliteUserStore, User, issue_token
from cablegram.archive import Archive
from cablegram.archive.ingest import ingest
from cablegram.model import Level
from cablegram.read import parse
from cablegram.synth import Options, companion_part_one, generate, write_jsonl
from cablegram.web import create_app
from cablegram.web.auth import LOGIN_COOKIE, Settings

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
SEED = SHARED / "corpus" / "seed-07MOSCOW1002.txt"
SYNTHETIC_CABLES = 200
SYNTH_SEED = 5
SERVER_DAY = date(2010, 1, 1)
SERVER_START = datetime(2010, 1, 1, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class WebUser:
    name: str
    password: str
    clearance: Level
    roles: frozenset[Role]


UNCLEARED = WebUser(
    "reader-u", "password-of-reader-u", Level.UNCLASSIFIED, frozenset({Role.READER})
)
CONFIDENTIAL = WebUser(
    "reader-c", "password-of-reader-c", Level.CONFIDENTIAL, frozenset({Role.READER})
)
SECRET = WebUser(
    "reviewer-s", "password-of-reviewer-s", Level.SECRET, frozenset({Role.READER, Role.REVIEWER})
)
USERS = (UNCLEARED, CONFIDENTIAL, SECRET)

# argon2 reads its cost from the stored hash: test users get a cheap one, so that a login
# takes milliseconds here instead of the half second the production parameters cost.
_CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def stored_user(user: WebUser) -> User:
    """The user record of a test user (its password hashed with cheap argon2 settings)."""
    return User(
        name=user.name,
        clearance=user.clearance,
        roles=user.roles,
        password_hash=_CHEAP_HASHER.hash(user.password),
        created="2010-01-01T00:00:00+00:00",
    )


@dataclass(frozen=True)
class WebArchive:
    path: Path
    key_dir: Path
    """The audit trail's key directory (one for the session, apart from the archive)."""
    tokens: dict[str, str]
    """An API token per user name."""
    has_seed: bool


@pytest.fixture(scope="session")
def web_archive(tmp_path_factory: pytest.TempPathFactory) -> WebArchive:
    root = tmp_path_factory.mktemp("web")
    inputs = root / "inputs"
    inputs.mkdir()
    write_jsonl(generate(SYNTHETIC_CABLES, Options(seed=SYNTH_SEED)), inputs / "synthetic.jsonl")
    has_seed = SEED.is_file()
    if has_seed:
        seed_text = SEED.read_text(encoding="utf-8")
        (inputs / "07MOSCOW1002.txt").write_text(seed_text, encoding="utf-8")
        part_one = companion_part_one(parse(seed_text)).text
        (inputs / "07MOSCOW1001.txt").write_text(part_one, encoding="utf-8")
    path = root / "archive"
    with Archive.open(path) as archive:
        report = ingest(archive, [inputs], workers=0)
    assert not report.failures, report.failures
    store = SqliteUserStore(path)
    try:
        for user in USERS:
            store.add(stored_user(user))
        tokens = {user.name: issue_token(store, user.name, "tests") for user in USERS}
    finally:
        store.close()
    return WebArchive(path, tmp_path_factory.mktemp("web-keys"), tokens, has_seed)


class Clock:
    """A settable clock (timezone-aware UTC)."""

    def __init__(self, now: datetime = SERVER_START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


AppFactory = Callable[..., FastAPI]


def _app(
    web_archive: WebArchive,
    clock: Callable[[], datetime] | None = None,
    settings: Settings | None = None,
) -> FastAPI:
    return create_app(
        web_archive.path, clock=clock or Clock(), settings=settings, key_dir=web_archive.key_dir
    )


@pytest.fixture
def make_app(web_archive: WebArchive) -> AppFactory:
    """``make_app(clock=..., settings=...)``: a new application on the test archive."""
    return lambda clock=None, settings=None: _app(web_archive, clock, settings)


@pytest.fixture(scope="session")
def web_app(web_archive: WebArchive) -> FastAPI:
    """The application on the test archive, its clock at `SERVER_START` (built once:
    building FastAPI's routes takes longer than a test)."""
    return _app(web_archive)


@pytest.fixture
def client(web_app: FastAPI) -> Iterator[TestClient]:
    """A client of `web_app`, started afresh: its lifespan opens the archive and starts
    with no sessions and no failed logins."""
    with TestClient(web_app, follow_redirects=False) as test_client:
        yield test_client


_HIDDEN_CSRF = re.compile(r'name="csrf_token"\s+value="([^"]+)"')


def login_form_token(client: TestClient) -> str:
    """The login form's CSRF token, as a browser gets it: from the form itself."""
    page = client.get("/login")
    assert page.status_code == 200, page.text
    found = _HIDDEN_CSRF.search(page.text)
    assert found is not None, "the login form has no csrf_token field"
    assert client.cookies.get(LOGIN_COOKIE) == found.group(1)
    return found.group(1)


def login(client: TestClient, user: WebUser) -> str:
    """Log ``user`` in through the form; returns the session's CSRF token, taken from the
    forms of the home page (every page of a logged-in user has the logout form)."""
    token = login_form_token(client)
    response = client.post(
        "/login",
        data={"username": user.name, "password": user.password, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/"
    page = client.get("/", follow_redirects=True)
    assert page.status_code == 200, page.text
    found = _HIDDEN_CSRF.search(page.text)
    assert found is not None, "a page of a logged-in user has no form with a CSRF token"
    return found.group(1)


def bearer(web_archive: WebArchive, user: WebUser) -> dict[str, str]:
    return {"Authorization": f"Bearer {web_archive.tokens[user.name]}"}


class _RunningClock:
    """`SERVER_START` plus the real time elapsed since the server started."""

    def __init__(self) -> None:
        self._started = time.monotonic()

    def __call__(self) -> datetime:
        return SERVER_START + timedelta(seconds=time.monotonic() - self._started)


@pytest.fixture(scope="session")
def live_server(web_archive: WebArchive) -> Iterator[str]:
    """A real uvicorn serving the test archive on a free loopback port; its base URL."""
    # The protocol said, as uvicorn's own sockets do: asyncio sets TCP_NODELAY only on
    # connections accepted from a socket that says TCP (else each answer waits 40 ms for
    # the client's delayed acknowledgement).
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    app = create_app(
        web_archive.path,
        clock=_RunningClock(),
        key_dir=web_archive.key_dir,
        search_processes=1,
    )
    config = uvicorn.Config(app, log_level="warning", proxy_headers=False, lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=15)
    listener.close()
