"""Helpers for the traffic tests: the users, a draft, the drafting workflow.

Users (all in ``users.sqlite`` of the archive, as the CLI and the server read them):
alice drafts, bob clears, carol releases at Embassies Moscow and Paris (SECRET, NODIS);
lowrel is a CONFIDENTIAL releaser there; dan (SECRET) and erin (CONFIDENTIAL) work at the
Department (office STATE); nina and otto hold NODIS at the Department; nsc works at the
NSC; root is an admin.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from cablegram.access import Role
from cablegram.access.users import SqliteUserStore, User
from cablegram.model import Level, Precedence
from cablegram.traffic import (
    Actor,
    DraftContent,
    Released,
    Traffic,
    clear,
    new_draft,
    release,
    submit,
)

START = datetime(2010, 3, 1, 12, 0, tzinfo=UTC)

NODIS = frozenset({"NODIS"})
MOSCOW = frozenset({"MOSCOW", "PARIS"})
STATE = frozenset({"STATE"})

USERS = (
    User("alice", Level.SECRET, roles=frozenset({Role.DRAFTER}), offices=MOSCOW, channels=NODIS),
    User("bob", Level.SECRET, roles=frozenset({Role.CLEARER}), offices=MOSCOW, channels=NODIS),
    User("carol", Level.SECRET, roles=frozenset({Role.RELEASER}), offices=MOSCOW, channels=NODIS),
    User("lowrel", Level.CONFIDENTIAL, roles=frozenset({Role.RELEASER}), offices=MOSCOW),
    User("dan", Level.SECRET, offices=STATE),
    User("erin", Level.CONFIDENTIAL, offices=STATE),
    User("nina", Level.SECRET, channels=NODIS, offices=STATE),
    User("otto", Level.SECRET, channels=NODIS, offices=STATE),
    User("nsc", Level.SECRET, offices=frozenset({"NSC"})),
    User("root", Level.UNCLASSIFIED, roles=frozenset({Role.ADMIN})),
)


def add_users(directory: Path) -> None:
    store = SqliteUserStore(directory)
    try:
        for user in USERS:
            store.add(user)
    finally:
        store.close()


def actor(traffic: Traffic, name: str) -> Actor:
    principal = traffic.principal(name)
    assert principal is not None, name
    return Actor.of(principal)


def content(**changes: object) -> DraftContent:
    """A small CONFIDENTIAL cable from Moscow to the Department, info NSC (without SIPDIS,
    so that dispatching it does not copy it into the archive: tests that want the copy
    caption it)."""
    base = DraftContent(
        origin="MOSCOW",
        to=("SECSTATE",),
        info=("NSC",),
        precedence=Precedence.ROUTINE,
        tags=("PREL", "RS"),
        subject="MEETING WITH THE FOREIGN MINISTER",
        classified_by="Ambassador John R. Beyrle",
        reasons=("b", "d"),
        declassify="03/01/2020",
        body="1. (C) The Ambassador met the Foreign Minister.\n\n2. (U) Nothing else happened.\n",
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def cleared(traffic: Traffic, draft: DraftContent) -> int:
    """A draft by alice, cleared by bob: its id."""
    view = new_draft(traffic, actor(traffic, "alice"), draft)
    submit(traffic, actor(traffic, "alice"), view.id, ["bob"])
    clear(traffic, actor(traffic, "bob"), view.id)
    return view.id


def released(traffic: Traffic, draft: DraftContent) -> Released:
    """The draft drafted by alice, cleared by bob, released by carol."""
    return release(traffic, actor(traffic, "carol"), [cleared(traffic, draft)])[0]
