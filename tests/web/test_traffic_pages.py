"""The cable traffic pages (issue 6, item 6): drafting, the clearance queue, the inbox.

Each test has an archive of its own (no cables; the users below, with traffic roles and
offices) and the application on it through Starlette's TestClient. Cables reach the
inbox the way they do in production: drafted, submitted, cleared, released and dispatched
through `cablegram.traffic`, on the application's clock (`conftest.Clock`), which the
FLASH test moves past the deadline.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from web_support import Clock, WebUser, login

from cablegram.access import Role
from cablegram.access.audit import AuditLog
from cablegram.access.users import SqliteUserStore, User
from cablegram.model import Level, Precedence
from cablegram.traffic import (
    FLASH_DEADLINE,
    Actor,
    Dispatcher,
    DraftContent,
    Traffic,
    clear,
    new_draft,
    release,
    submit,
)
from cablegram.web import create_app

_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
MOSCOW = frozenset({"MOSCOW"})
STATE = frozenset({"STATE"})

ALICE = WebUser("alice", "alice-password", Level.SECRET, frozenset({Role.DRAFTER}))
BOB = WebUser("bob", "bob-password", Level.SECRET, frozenset({Role.CLEARER}))
CAROL = WebUser("carol", "carol-password", Level.SECRET, frozenset({Role.RELEASER}))
DAN = WebUser("dan", "dan-password", Level.SECRET, frozenset({Role.READER}))
ERIN = WebUser("erin", "erin-password", Level.CONFIDENTIAL, frozenset({Role.READER}))
OFFICES = {"alice": MOSCOW, "bob": MOSCOW, "carol": MOSCOW, "dan": STATE, "erin": STATE}

SECRET_TEXT = "The Foreign Minister named the missile site at Zvezdnyy."
CONFIDENTIAL_TEXT = "The Ambassador met the Foreign Minister."

CABLE = DraftContent(
    origin="MOSCOW",
    to=("SECSTATE",),
    info=("NSC",),
    precedence=Precedence.ROUTINE,
    tags=("PREL", "RS"),
    subject="(C) MEETING WITH THE FOREIGN MINISTER",  # marked: unmarked, it takes the banner
    classified_by="Ambassador John R. Beyrle",
    reasons=("b", "d"),
    declassify="03/01/2020",
    body=f"1. (C) {CONFIDENTIAL_TEXT}\n\n2. (S) {SECRET_TEXT}\n",
)

_CSRF = re.compile(r'name="csrf_token"\s+value="([^"]+)"')


@dataclass
class Site:
    path: Path
    key_dir: Path
    clock: Clock
    client: TestClient

    def traffic(self) -> Traffic:
        return Traffic(self.path, clock=self.clock, key_dir=self.key_dir)

    def released(self, content: DraftContent) -> str:
        """``content`` drafted by alice, cleared by bob, released by carol, dispatched:
        the cable id."""
        with self.traffic() as traffic:
            draft = new_draft(traffic, _actor(traffic, "alice"), content)
            submit(traffic, _actor(traffic, "alice"), draft.id, ["bob"])
            clear(traffic, _actor(traffic, "bob"), draft.id)
            done = release(traffic, _actor(traffic, "carol"), [draft.id])[0]
            Dispatcher(traffic).run_once()
        return done.cable_id

    def submitted(self, content: DraftContent) -> int:
        with self.traffic() as traffic:
            draft = new_draft(traffic, _actor(traffic, "alice"), content)
            submit(traffic, _actor(traffic, "alice"), draft.id, ["bob"])
        return draft.id


def _actor(traffic: Traffic, name: str) -> Actor:
    principal = traffic.principal(name)
    assert principal is not None, name
    return Actor.of(principal)


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    path, key_dir = tmp_path / "archive", tmp_path / "keys"
    path.mkdir()
    store = SqliteUserStore(path)
    try:
        for user in (ALICE, BOB, CAROL, DAN, ERIN):
            store.add(
                User(
                    user.name,
                    user.clearance,
                    roles=user.roles,
                    offices=OFFICES[user.name],
                    password_hash=_HASHER.hash(user.password),
                    created="2010-01-01T00:00:00+00:00",
                )
            )
    finally:
        store.close()
    clock = Clock()
    app = create_app(path, clock=clock, key_dir=key_dir)
    with TestClient(app, follow_redirects=False) as client:
        yield Site(path, key_dir, clock, client)


def _item(page: str, cable_id: str) -> str:
    """The inbox entry of one cable (its ``<li>``)."""
    found = re.search(rf'<li class="inbox-item[^"]*" data-cable="{cable_id}".*?</li>', page, re.S)
    assert found is not None, f"{cable_id} is not in the inbox"
    return found.group(0)


# --- drafting ----------------------------------------------------------------------------


def _form(**changes: str) -> dict[str, str]:
    form = {
        "origin": "MOSCOW",
        "to": "SECSTATE",
        "info": "NSC",
        "precedence": "PRIORITY",
        "subject": "MEETING WITH THE FOREIGN MINISTER",
        "tags": "PREL RS START",
        "body": f"1. (C) {CONFIDENTIAL_TEXT}\n\n2. (U) Nothing else happened.\n",
    }
    return form | changes


def test_the_drafts_page_shows_the_form_to_a_drafter(site: Site) -> None:
    login(site.client, ALICE)
    page = site.client.get("/traffic/drafts")
    assert page.status_code == 200, page.text
    assert 'data-testid="draft-form"' in page.text
    assert 'value="MOSCOW"' in page.text  # the drafter's post is the default origin
    assert "You have no drafts." in page.text


def test_a_reader_without_the_drafter_role_gets_no_form(site: Site) -> None:
    login(site.client, ERIN)
    page = site.client.get("/traffic/drafts")
    assert page.status_code == 200
    assert 'data-testid="draft-form"' not in page.text
    assert "Drafting needs the drafter role." in page.text


def test_a_draft_saved_from_the_form_shows_its_lint_errors_and_warnings(site: Site) -> None:
    token = login(site.client, ALICE)
    # A CONFIDENTIAL cable without Classified By (a lint error) and with START, a TAG the
    # tables do not know (a warning, docs/traffic.md).
    saved = site.client.post("/traffic/drafts", data=_form(csrf_token=token))
    assert saved.status_code == 303, saved.text
    page = site.client.get(saved.headers["location"])
    assert 'data-testid="created"' in page.text
    findings = re.search(r'<ul class="findings".*?</ul>', page.text, re.S)
    assert findings is not None
    assert 'class="finding finding-error"' in findings.group(0)
    assert "finding-warning" in findings.group(0) and "START" in findings.group(0)
    assert 'class="badge prec-priority"' in page.text
    with AuditLog(site.path, site.key_dir) as log:
        assert log.entries(user="alice", action="draft.new")
        assert log.entries(user="alice", action="traffic.drafts")


def test_a_draft_that_cannot_be_composed_comes_back_with_the_error(site: Site) -> None:
    token = login(site.client, ALICE)
    body = "1. The Ambassador met the Foreign Minister.\n"  # unmarked paragraph
    refused = site.client.post("/traffic/drafts", data=_form(csrf_token=token, body=body))
    assert refused.status_code == 400
    assert 'data-testid="error"' in refused.text and "portion marking" in refused.text
    assert "1. The Ambassador met the Foreign Minister." in refused.text  # as written
    assert "You have no drafts." in refused.text


def test_a_draft_is_submitted_to_clearers_from_the_drafts_page(site: Site) -> None:
    token = login(site.client, ALICE)
    site.client.post("/traffic/drafts", data=_form(csrf_token=token))
    page = site.client.get("/traffic/drafts").text
    draft_id = re.search(r'data-draft="(\d+)"', page)
    assert draft_id is not None
    sent = site.client.post(
        f"/traffic/drafts/{draft_id.group(1)}/submit", data={"csrf_token": token, "clearers": "bob"}
    )
    assert sent.status_code == 303, sent.text
    assert 'data-testid="state">submitted<' in site.client.get("/traffic/drafts").text


# --- clearance ---------------------------------------------------------------------------


def test_the_clearer_sees_the_draft_and_clears_it(site: Site) -> None:
    draft_id = site.submitted(CABLE)
    token = login(site.client, BOB)
    page = site.client.get("/traffic/clearances")
    assert page.status_code == 200
    assert f'data-draft="{draft_id}"' in page.text and SECRET_TEXT in page.text
    cleared = site.client.post(f"/traffic/clearances/{draft_id}/clear", data={"csrf_token": token})
    assert cleared.status_code == 303, cleared.text
    after = site.client.get(cleared.headers["location"]).text
    assert f"draft {draft_id} cleared" in after.lower()
    assert f'data-draft="{draft_id}"' not in after  # no longer awaiting bob
    with site.traffic() as traffic:
        assert traffic.store.draft(draft_id).state == "cleared"  # type: ignore[union-attr]


def test_a_return_needs_a_comment(site: Site) -> None:
    draft_id = site.submitted(CABLE)
    token = login(site.client, BOB)
    url = f"/traffic/clearances/{draft_id}/return"
    refused = site.client.post(url, data={"csrf_token": token, "comment": " "})
    assert refused.status_code == 400 and "comment" in refused.text
    returned = site.client.post(url, data={"csrf_token": token, "comment": "cite REF A"})
    assert returned.status_code == 303
    with site.traffic() as traffic:
        assert traffic.store.draft(draft_id).state == "returned"  # type: ignore[union-attr]


def test_drafts_await_only_their_named_clearers(site: Site) -> None:
    site.submitted(CABLE)
    login(site.client, DAN)
    page = site.client.get("/traffic/clearances")
    assert page.status_code == 200
    assert "Nothing awaits your clearance." in page.text


# --- the inbox ---------------------------------------------------------------------------


def test_the_inbox_orders_by_precedence_with_badges(site: Site) -> None:
    routine = site.released(CABLE)
    niact = site.released(replace(CABLE, precedence=Precedence.NIACT_IMMEDIATE))
    flash = site.released(replace(CABLE, precedence=Precedence.FLASH))
    login(site.client, DAN)
    page = site.client.get("/traffic/inbox").text
    order = re.findall(r'data-cable="([^"]+)"', page)
    assert order == [flash, niact, routine]
    assert 'class="badge prec-flash"' in _item(page, flash)
    assert 'data-testid="niact"' in _item(page, niact)
    assert 'data-testid="niact"' not in _item(page, flash)
    assert 'class="badge prec-routine"' in _item(page, routine)


def test_a_flash_past_its_deadline_is_overdue(site: Site) -> None:
    flash = site.released(replace(CABLE, precedence=Precedence.FLASH))
    login(site.client, DAN)
    assert 'data-testid="overdue"' not in _item(site.client.get("/traffic/inbox").text, flash)
    site.clock.advance(FLASH_DEADLINE + timedelta(minutes=1))
    item = _item(site.client.get("/traffic/inbox").text, flash)
    assert 'class="inbox-item overdue"' in item and 'data-testid="overdue"' in item


def test_a_confidential_member_does_not_see_secret_text(site: Site) -> None:
    cable_id = site.released(CABLE)
    login(site.client, ERIN)
    page = site.client.get("/traffic/inbox").text
    item = _item(page, cable_id)
    assert CONFIDENTIAL_TEXT in item
    assert SECRET_TEXT not in page
    assert "1 portion withheld from you." in item
    assert "[paragraph 2 withheld — S]" in item
    site.client.cookies.clear()
    login(site.client, DAN)  # a SECRET member of the same office reads it all
    assert SECRET_TEXT in site.client.get("/traffic/inbox").text


def test_one_member_acknowledges_for_the_office(site: Site) -> None:
    flash = site.released(replace(CABLE, precedence=Precedence.FLASH))
    token = login(site.client, DAN)
    acked = site.client.post(
        "/traffic/inbox/ack", data={"csrf_token": token, "cable_id": flash, "office": "STATE"}
    )
    assert acked.status_code == 303, acked.text
    site.client.cookies.clear()
    login(site.client, ERIN)
    page = site.client.get("/traffic/inbox").text
    assert "Your queues are empty." in page  # acknowledged for STATE: gone from erin's too
    with AuditLog(site.path, site.key_dir) as log:
        assert log.entries(user="dan", action="traffic.ack")
        assert log.entries(user="erin", action="traffic.inbox")


# --- CSRF --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "data"),
    [
        pytest.param("/traffic/drafts", _form(), id="new-draft"),
        pytest.param("/traffic/drafts/1/submit", {"clearers": "bob"}, id="submit"),
        pytest.param("/traffic/clearances/1/clear", {}, id="clear"),
        pytest.param("/traffic/clearances/1/return", {"comment": "no"}, id="return"),
        pytest.param("/traffic/inbox/ack", {"cable_id": "10MOSCOW1"}, id="ack"),
    ],
)
def test_the_forms_need_the_csrf_token(site: Site, path: str, data: dict[str, str]) -> None:
    login(site.client, ALICE)
    assert site.client.post(path, data=data).status_code == 403
    assert site.client.post(path, data=data | {"csrf_token": "wrong"}).status_code == 403


@pytest.mark.parametrize("path", ["/traffic/drafts", "/traffic/clearances", "/traffic/inbox"])
def test_the_pages_need_a_login(site: Site, path: str) -> None:
    response = site.client.get(path)
    assert response.status_code in {303, 307}
    assert "/login" in response.headers["location"]
