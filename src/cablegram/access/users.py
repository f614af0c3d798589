"""Users of an archive: the principals the server authenticates and the CLI can act as.

A user carries a clearance on the markings' scale, caveat eligibility, channel
authorisations, office membership and roles (`cablegram.access.principal`). Passwords are
hashed with argon2id (argon2-cffi); API tokens (issued by ``cablegram token create``) are
stored as SHA-256 digests only. The store sits behind a narrow interface (`UserStore`);
the embedded adapter keeps users in ``users.sqlite`` in the archive directory.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from cablegram.access.principal import Principal, Role
from cablegram.model import Level

_HASHER = PasswordHasher()


class UserError(ValueError):
    """A user operation that cannot be done (unknown user, duplicate, bad value)."""


@dataclass(frozen=True)
class User:
    name: str
    clearance: Level
    roles: frozenset[Role] = field(default_factory=lambda: frozenset({Role.READER}))
    us_person: bool = True
    country: str | None = None
    caveats: frozenset[str] = field(default_factory=frozenset)
    channels: frozenset[str] = field(default_factory=frozenset)
    offices: frozenset[str] = field(default_factory=frozenset)
    password_hash: str = ""
    created: str = ""

    def principal(self) -> Principal:
        return Principal(
            name=self.name,
            clearance=self.clearance,
            us_person=self.us_person,
            country=self.country,
            caveats=self.caveats,
            channels=self.channels,
            offices=self.offices,
            roles=self.roles,
        )

    def describe(self) -> dict[str, object]:
        """Everything but the password hash, for listings and the audit trail."""
        return {
            "name": self.name,
            "clearance": self.clearance.name,
            "roles": sorted(r.value for r in self.roles),
            "us_person": self.us_person,
            "country": self.country,
            "caveats": sorted(self.caveats),
            "channels": sorted(self.channels),
            "offices": sorted(self.offices),
            "created": self.created,
        }


def hash_password(password: str) -> str:
    if len(password) < 8:
        raise UserError("a password needs at least 8 characters")
    return _HASHER.hash(password)


def verify_password(user: User, password: str) -> bool:
    try:
        return bool(user.password_hash) and _HASHER.verify(user.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def generate_password() -> str:
    return secrets.token_urlsafe(12)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Token:
    digest: str
    user: str
    label: str
    created: str


class UserStore(Protocol):
    def add(self, user: User) -> None: ...
    def get(self, name: str) -> User | None: ...
    def update(self, user: User) -> None: ...
    def remove(self, name: str) -> None: ...
    def users(self) -> Iterator[User]: ...
    def count(self) -> int: ...
    def add_token(self, token: Token) -> None: ...
    def token_user(self, digest: str) -> User | None: ...
    def revoke_token(self, digest_prefix: str, user: str | None = None) -> int: ...
    def tokens(self, user: str | None = None) -> list[Token]: ...
    def close(self) -> None: ...


_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY,
    record TEXT NOT NULL,
    password_hash TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS tokens (
    digest TEXT PRIMARY KEY,
    user TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
    label TEXT NOT NULL,
    created TEXT NOT NULL
);
"""


class SqliteUserStore:
    """Users in ``users.sqlite`` beside the archive's records."""

    def __init__(self, archive_dir: Path) -> None:
        archive_dir.mkdir(parents=True, exist_ok=True)
        self._connection = sqlite3.connect(archive_dir / "users.sqlite", timeout=30)
        self._connection.execute("PRAGMA journal_mode=WAL")
        self._connection.execute("PRAGMA foreign_keys=ON")
        self._connection.executescript(_SCHEMA)

    def add(self, user: User) -> None:
        try:
            with self._connection:
                self._connection.execute(
                    "INSERT INTO users (name, record, password_hash) VALUES (?, ?, ?)",
                    (user.name, json.dumps(user.describe()), user.password_hash),
                )
        except sqlite3.IntegrityError:
            raise UserError(f"user {user.name!r} exists already") from None

    def get(self, name: str) -> User | None:
        row = self._connection.execute(
            "SELECT record, password_hash FROM users WHERE name = ?", (name,)
        ).fetchone()
        return _user(row[0], row[1]) if row else None

    def update(self, user: User) -> None:
        with self._connection:
            changed = self._connection.execute(
                "UPDATE users SET record = ?, password_hash = ? WHERE name = ?",
                (json.dumps(user.describe()), user.password_hash, user.name),
            ).rowcount
        if not changed:
            raise UserError(f"no user {user.name!r}")

    def remove(self, name: str) -> None:
        with self._connection:
            removed = self._connection.execute("DELETE FROM users WHERE name = ?", (name,)).rowcount
        if not removed:
            raise UserError(f"no user {name!r}")

    def users(self) -> Iterator[User]:
        rows = self._connection.execute(
            "SELECT record, password_hash FROM users ORDER BY name"
        ).fetchall()
        for record, password_hash in rows:
            yield _user(record, password_hash)

    def count(self) -> int:
        return int(self._connection.execute("SELECT count(*) FROM users").fetchone()[0])

    def add_token(self, token: Token) -> None:
        with self._connection:
            self._connection.execute(
                "INSERT INTO tokens (digest, user, label, created) VALUES (?, ?, ?, ?)",
                (token.digest, token.user, token.label, token.created),
            )

    def token_user(self, digest: str) -> User | None:
        row = self._connection.execute(
            "SELECT u.record, u.password_hash FROM tokens t JOIN users u ON u.name = t.user"
            " WHERE t.digest = ?",
            (digest,),
        ).fetchone()
        return _user(row[0], row[1]) if row else None

    def revoke_token(self, digest_prefix: str, user: str | None = None) -> int:
        query = "DELETE FROM tokens WHERE digest LIKE ?"
        parameters: list[str] = [digest_prefix + "%"]
        if user is not None:
            query += " AND user = ?"
            parameters.append(user)
        with self._connection:
            return int(self._connection.execute(query, parameters).rowcount)

    def tokens(self, user: str | None = None) -> list[Token]:
        rows = self._connection.execute(
            "SELECT digest, user, label, created FROM tokens"
            + (" WHERE user = ?" if user else "")
            + " ORDER BY created",
            (user,) if user else (),
        ).fetchall()
        return [Token(*row) for row in rows]

    def close(self) -> None:
        self._connection.close()


def _user(record: str, password_hash: str) -> User:
    data = json.loads(record)
    return User(
        name=data["name"],
        clearance=Level[data["clearance"]],
        roles=frozenset(Role(r) for r in data["roles"]),
        us_person=data["us_person"],
        country=data["country"],
        caveats=frozenset(data["caveats"]),
        channels=frozenset(data["channels"]),
        offices=frozenset(data["offices"]),
        password_hash=password_hash,
        created=data["created"],
    )


def new_user(
    name: str,
    clearance: Level,
    password: str,
    roles: frozenset[Role] = frozenset({Role.READER}),
    **attributes: object,
) -> User:
    """A user with a hashed password; ``attributes`` are the other `User` fields."""
    if not name or not name.replace(".", "").replace("-", "").replace("_", "").isalnum():
        raise UserError(f"a user name is letters, digits, '.', '-' and '_': {name!r}")
    user = User(
        name=name,
        clearance=clearance,
        roles=roles,
        password_hash=hash_password(password),
        created=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    return replace(user, **attributes)  # type: ignore[arg-type]


def issue_token(store: UserStore, user: str, label: str = "") -> str:
    """A new API token for the user; only its digest is kept, so it is shown once."""
    if store.get(user) is None:
        raise UserError(f"no user {user!r}")
    token = "cg_" + secrets.token_urlsafe(32)
    store.add_token(
        Token(token_digest(token), user, label, datetime.now(UTC).isoformat(timespec="seconds"))
    )
    return token
