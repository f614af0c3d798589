"""Users: argon2 passwords, the SQLite store, tokens stored as digests only."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from cablegram.access.principal import Role
from cablegram.access.users import (
    SqliteUserStore,
    UserError,
    issue_token,
    new_user,
    token_digest,
    verify_password,
)
from cablegram.model import Level


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteUserStore]:
    opened = SqliteUserStore(tmp_path)
    yield opened
    opened.close()


def test_password_hashed_with_argon2_and_verified(store: SqliteUserStore, tmp_path: Path) -> None:
    store.add(new_user("alice", Level.SECRET, "correct horse"))
    user = store.get("alice")
    assert user is not None
    assert user.password_hash.startswith("$argon2id$")
    assert verify_password(user, "correct horse")
    assert not verify_password(user, "wrong horse")
    raw = sqlite3.connect(tmp_path / "users.sqlite").execute("SELECT * FROM users").fetchall()
    assert "correct horse" not in repr(raw)


def test_short_passwords_and_bad_names_refused() -> None:
    with pytest.raises(UserError):
        new_user("bob", Level.SECRET, "short")
    with pytest.raises(UserError):
        new_user("bad name;", Level.SECRET, "long enough")


def test_principal_carries_every_attribute(store: SqliteUserStore) -> None:
    store.add(
        new_user(
            "liaison",
            Level.SECRET,
            "long enough",
            frozenset({Role.READER, Role.REVIEWER}),
            us_person=False,
            country="GBR",
            channels=frozenset({"EXDIS"}),
            offices=frozenset({"LONDON"}),
            caveats=frozenset({"ORCON"}),
        )
    )
    user = store.get("liaison")
    assert user is not None
    principal = user.principal()
    assert principal.clearance is Level.SECRET
    assert not principal.us_person and principal.country == "GBR"
    assert principal.channels == {"EXDIS"} and principal.offices == {"LONDON"}
    assert principal.caveats == {"ORCON"}
    assert principal.roles == {Role.READER, Role.REVIEWER}
    assert not principal.operator


def test_duplicate_update_remove(store: SqliteUserStore) -> None:
    store.add(new_user("carol", Level.CONFIDENTIAL, "long enough"))
    with pytest.raises(UserError):
        store.add(new_user("carol", Level.SECRET, "long enough"))
    assert store.count() == 1
    store.remove("carol")
    assert store.get("carol") is None
    with pytest.raises(UserError):
        store.remove("carol")


def test_tokens_are_stored_as_digests(store: SqliteUserStore, tmp_path: Path) -> None:
    store.add(new_user("dave", Level.SECRET, "long enough"))
    token = issue_token(store, "dave", "laptop")
    found = store.token_user(token_digest(token))
    assert found is not None and found.name == "dave"
    raw = sqlite3.connect(tmp_path / "users.sqlite").execute("SELECT * FROM tokens").fetchall()
    assert token not in repr(raw)
    assert store.revoke_token(token_digest(token)[:10]) == 1
    assert store.token_user(token_digest(token)) is None


def test_removing_a_user_revokes_their_tokens(store: SqliteUserStore) -> None:
    store.add(new_user("erin", Level.SECRET, "long enough"))
    token = issue_token(store, "erin")
    store.remove("erin")
    assert store.token_user(token_digest(token)) is None
