"""`cablegram demo` (issue 5, item 5): the corpus, the ingest and the demo users, re-run
safely; and the demo itself started as a real background process on a free port, answering,
with each demo user logging in through the login form, then stopped with Ctrl-C (SIGINT)."""

from __future__ import annotations

import gzip
import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from cablegram.access.audit import Action, AuditLog
from cablegram.access.principal import Role
from cablegram.access.users import SqliteUserStore, verify_password
from cablegram.archive import Archive
from cablegram.archive.graph import refs
from cablegram.cli import app
from cablegram.cli.demo import (
    CABLES_VARIABLE,
    DEMO_USERS,
    SYNTH_SEED,
    announcement,
    corpus_files,
    prepare,
)
from cablegram.model import Level
from cablegram.read.formats import read_documents
from cablegram.synth import Options, generate

SEED_ID = "07MOSCOW1002"
PART_ONE_ID = "07MOSCOW1001"
CABLES = 30
"""Synthetic cables for the in-process tests: enough to hold several posts and threads."""
PASSWORD_LINE = re.compile(r"^\s+(demo-[ucs])\s.*password: (\S+)$", re.MULTILINE)
"""How a user's line of the announcement reads; the subprocess test reads it the same way."""

runner = CliRunner()


@pytest.fixture
def seed_only_shared(tmp_path: Path, shared_dir: Path) -> Path:
    """A shared folder holding the seed and not the sample (whose 2,979 cables would take
    the test's time)."""
    folder = tmp_path / "shared"
    (folder / "corpus").mkdir(parents=True)
    shutil.copy(shared_dir / "corpus" / "seed-07MOSCOW1002.txt", folder / "corpus")
    return folder


def passwords_printed(text: str) -> dict[str, str]:
    return dict(PASSWORD_LINE.findall(text))


def test_demo_archive_holds_the_corpus_the_seed_and_its_part_one(
    tmp_path: Path, seed_only_shared: Path
) -> None:
    archive_path = tmp_path / "demo"
    prepared = prepare(archive_path, CABLES, seed_only_shared, workers=0)
    assert prepared.report.failures == []
    assert prepared.cables == CABLES + 2
    with Archive.open(archive_path) as archive:
        assert archive.storage.get(SEED_ID) is not None
        graph = refs(archive, SEED_ID)
    # The seed says "Part one is Ref G" (MOSCOW 01001): the generated part one resolves it.
    (ref_g,) = [link for link in graph.cites if link.letter == "G"]
    assert (ref_g.target, ref_g.resolved, ref_g.part) == (PART_ONE_ID, True, True)


def test_demo_users_have_their_clearances_roles_and_printed_passwords(tmp_path: Path) -> None:
    archive_path = tmp_path / "demo"
    prepared = prepare(archive_path, CABLES, None, workers=0)
    printed = passwords_printed(announcement(archive_path, prepared, "127.0.0.1", 8123))
    store = SqliteUserStore(archive_path)
    try:
        users = {name: store.get(name) for name in ("demo-u", "demo-c", "demo-s")}
    finally:
        store.close()
    expected = {
        "demo-u": (Level.UNCLASSIFIED, {Role.READER}),
        "demo-c": (Level.CONFIDENTIAL, {Role.READER}),
        "demo-s": (Level.SECRET, {Role.READER, Role.REVIEWER}),
    }
    assert set(printed) == set(expected)
    for name, (clearance, roles) in expected.items():
        user = users[name]
        assert user is not None
        assert (user.clearance, set(user.roles)) == (clearance, roles)
        assert verify_password(user, printed[name])
    assert len(set(printed.values())) == len(expected)


def test_running_again_reuses_the_archive_and_resets_the_passwords(tmp_path: Path) -> None:
    archive_path = tmp_path / "demo"
    first = prepare(archive_path, CABLES, None, workers=0)
    second = prepare(archive_path, CABLES, None, workers=0)
    assert first.report.new == CABLES
    assert (second.report.new, second.report.new_versions) == (0, 0)
    assert second.cables == CABLES
    store = SqliteUserStore(archive_path)
    try:
        for demo in DEMO_USERS:
            user = store.get(demo.name)
            assert user is not None
            assert first.passwords[demo.name] != second.passwords[demo.name]
            assert not verify_password(user, first.passwords[demo.name])
            assert verify_password(user, second.passwords[demo.name])
        assert store.count() == len(DEMO_USERS)
    finally:
        store.close()
    with AuditLog(archive_path) as log:
        changes = [(e.principal, e.action, e.target) for e in log.entries()]
    names = [demo.name for demo in DEMO_USERS]
    assert changes == [("operator", Action.USER_ADD, name) for name in names] + [
        ("operator", Action.USER_SET, name) for name in names
    ]


def test_a_corpus_file_left_half_written_is_written_again(tmp_path: Path) -> None:
    """A run interrupted while generating leaves only the scratch file, never a truncated
    corpus under the final name; the next run writes the whole corpus."""
    corpus = tmp_path / "demo" / "corpus"
    corpus.mkdir(parents=True)
    (corpus / f".partial-synthetic-{CABLES}-seed0.jsonl.gz").write_bytes(b"\x1f\x8b\x08")
    prepared = prepare(tmp_path / "demo", CABLES, None, workers=0)
    assert (prepared.cables, prepared.report.failures) == (CABLES, [])


def test_the_synthetic_corpus_leaves_the_sample_ids_alone(tmp_path: Path) -> None:
    """A synthetic cable never takes the id of a sample cable (it would pose as a version
    of it): the generator skips the ids the sample holds."""
    taken = next(generate(CABLES, Options(seed=SYNTH_SEED))).id
    shared = tmp_path / "shared"
    (shared / "corpus").mkdir(parents=True)
    with gzip.open(shared / "corpus" / "cablegate-sample.jsonl.gz", "wt") as sample:
        sample.write(json.dumps({"reference_id": taken, "text": "a sample cable"}) + "\n")
    files = corpus_files(tmp_path / "corpus", CABLES, shared, Console(quiet=True))
    ids = [document.metadata["reference_id"] for document in read_documents(files[0])]
    assert len(ids) == CABLES
    assert taken not in ids
    assert files[-1] == shared / "corpus" / "cablegate-sample.jsonl.gz"


def test_summary_reads_the_seed(seed_only_shared: Path) -> None:
    result = runner.invoke(app, ["demo", "--summary", "--shared", str(seed_only_shared)])
    assert result.exit_code == 0, result.output
    assert SEED_ID in result.output
    assert "SECRET" in result.output


# --- the demo as a real process -----------------------------------------------------------

SERVED_CABLES = 300
"""``CABLEGRAM_DEMO_CABLES`` for the served demo: small, so that it starts in seconds."""
STARTUP_SECONDS = 120
CSRF_FIELD = re.compile(r'name="csrf_token"\s+value="([^"]+)"')
EXPECTED_ME = {
    "demo-u": ("UNCLASSIFIED", False),
    "demo-c": ("CONFIDENTIAL", False),
    "demo-s": ("SECRET", True),
}
"""Each demo user's clearance and whether they may pin the as-of date, as /api/v1/me says."""


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def browser() -> urllib.request.OpenerDirector:
    """A client that keeps cookies and shows redirects instead of following them."""
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirects)


def fetch(
    client: urllib.request.OpenerDirector, url: str, form: dict[str, str] | None = None
) -> tuple[int, dict[str, str], str]:
    """(status, headers, body) of a GET, or of a POST of ``form``."""
    data = urllib.parse.urlencode(form).encode("ascii") if form is not None else None
    try:
        with client.open(url, data=data, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode("utf-8", "replace")


def log_in(base: str, name: str, password: str) -> tuple[urllib.request.OpenerDirector, str]:
    """Log in through the form, as a browser does: the CSRF token comes from the login
    page (and its cookie). Returns the client (holding the session cookie on success) and
    where the form's answer redirects."""
    client = browser()
    status, _, page = fetch(client, f"{base}/login")
    assert status == 200, page
    token = CSRF_FIELD.search(page)
    assert token is not None, "the login form has no csrf_token field"
    form = {"username": name, "password": password, "csrf_token": token[1], "next": "/"}
    status, headers, body = fetch(client, f"{base}/login", form)
    assert status == 303, body
    return client, headers["location"]


def wait_until_answering(process: subprocess.Popen[bytes], base: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the demo exited ({process.returncode}):\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{base}/login", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.25)
    pytest.fail(f"the demo did not answer within {STARTUP_SECONDS} s:\n{log.read_text()}")


@pytest.mark.slow
def test_the_demo_serves_and_each_demo_user_logs_in(tmp_path: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    out, log = tmp_path / "stdout.txt", tmp_path / "stderr.txt"
    command = [str(Path(sys.executable).with_name("cablegram")), "demo", "--no-shared"]
    command += ["--archive", str(tmp_path / "demo"), "--port", str(port)]
    environment = os.environ | {CABLES_VARIABLE: str(SERVED_CABLES), "PYTHONUNBUFFERED": "1"}
    with out.open("wb") as stdout, log.open("wb") as stderr:
        process = subprocess.Popen(
            command, stdout=stdout, stderr=stderr, cwd=tmp_path, env=environment
        )
    try:
        wait_until_answering(process, base, log)
        passwords = passwords_printed(out.read_text(encoding="utf-8"))
        assert set(passwords) == set(EXPECTED_ME)
        for name, (clearance, may_set_as_of) in EXPECTED_ME.items():
            client, location = log_in(base, name, passwords[name])
            assert location == "/"
            status, _, body = fetch(client, f"{base}/api/v1/me")
            assert status == 200, body
            me = json.loads(body)
            assert (me["name"], me["clearance"], me["may_set_as_of"]) == (
                name,
                clearance,
                may_set_as_of,
            )
            assert me["authenticated_by"] == "session"
            # Searches run in the server's search processes (`serve`'s default).
            status, _, body = fetch(client, f"{base}/api/v1/search?q=&facets=true")
            assert status == 200, body
            assert json.loads(body)["total"] > 0
        # A wrong password opens no session.
        refused, location = log_in(base, "demo-c", passwords["demo-u"])
        assert location.startswith("/login?failed=1")
        status, _, _ = fetch(refused, f"{base}/api/v1/me")
        assert status == 401
        process.send_signal(signal.SIGINT)  # Ctrl-C
        assert process.wait(timeout=30) == 0, log.read_text()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
