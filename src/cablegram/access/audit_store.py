"""Where the audit trail lives: the log beside the archive, its key and checkpoint apart.

The log is tamper-evident only against someone who can write the archive directory but
not the key directory (issue 4, item 6; docs/security.md, "Audit trail"), so the two are
kept apart:

- ``ARCHIVE/audit.sqlite``: the entries, one row each (WAL journal, so readers never
  block the appenders). ``seq`` is the integer primary key; ``prev`` repeats the MAC the
  entry was chained from, which lets `cablegram.access.audit` tell an edited entry from a
  moved, inserted or deleted one instead of only reporting "the chain breaks here".
- ``ARCHIVE/archive-id``: a random identifier written at first use; it names this
  archive's files in the key directory, so one key directory serves many archives.
- ``KEYDIR/<id>.key``: 32 random bytes, mode 0600, created at first use (and only while
  the log is still empty: a missing key for a non-empty log is an error, never a fresh
  key that would fork the chain).
- ``KEYDIR/<id>.head``: the checkpoint, the (seq, MAC) of the last entry, MAC'd with the
  key and rewritten after each append. Without it, deleting the last entries would leave a
  chain that still verifies. The file holds two fixed-size slots (`CHECKPOINT_SLOT`
  bytes each, one JSON line padded with spaces); the checkpoint of entry ``seq`` is
  written in place into slot ``seq % 2`` (one ``pwrite``), so the other slot keeps the
  previous checkpoint whole should a crash cut the write short. The checkpoint is the
  verifying slot with the highest seq. (Replacing the file by a rename cost about 1 ms per
  append on ext4, which flushes a file renamed over another: more than the rest of the
  append together.) A file of another size — a checkpoint written before the slots, or
  by hand — is read as one checkpoint and rewritten whole (temporary file, rename) at the
  next append.
- ``KEYDIR/<id>.lock``: an advisory lock (``flock``) held from ``BEGIN IMMEDIATE`` until
  the checkpoint is written, so that processes appending at once write their checkpoints
  in seq order (SQLite's own lock is released at COMMIT, before the checkpoint is
  written).

The key directory is ``$CABLEGRAM_KEY_DIR``, else ``$XDG_CONFIG_HOME/cablegram/keys``, else
``~/.config/cablegram/keys`` (mode 0700). It must not lie inside the archive directory.

Durability: the journal runs with ``synchronous=NORMAL`` and the checkpoint is not
fsync'd, which survives a crash of the process but not necessarily of the machine; a
power loss can lose the last entries or leave the checkpoint behind the log, which
`verify` reports (``truncated``, ``checkpoint-behind``).
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import json
import os
import re
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

KEY_BYTES = 32
CHECKPOINT_SLOT = 512
"""Bytes per checkpoint slot (a checkpoint is about 230): one disk sector each."""
GENESIS = "0" * 64
"""The ``prev`` of the first entry."""
_ARCHIVE_ID = re.compile(rb"[0-9a-f]{32}")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    seq INTEGER PRIMARY KEY,
    timestamp TEXT NOT NULL,
    principal TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev TEXT NOT NULL,
    mac TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS entries_by_target ON entries (target, action);
CREATE INDEX IF NOT EXISTS entries_by_principal ON entries (principal);
"""

_COLUMNS = "seq, timestamp, principal, action, target, detail, prev, mac"


class AuditError(Exception):
    """The audit trail cannot be written or read as it stands (missing key, damaged id)."""


@dataclass(frozen=True)
class AuditEntry:
    """One entry as stored. ``detail`` is the canonical JSON text of the entry's detail."""

    seq: int
    timestamp: str
    """UTC, ISO 8601 with microseconds and a ``Z``: ``2010-01-01T12:00:00.000000Z``."""
    principal: str
    action: str
    target: str
    detail: str
    prev: str
    """The MAC of the entry this one was chained from (64 zeros for the first)."""
    mac: str


def default_key_dir() -> Path:
    explicit = os.environ.get("CABLEGRAM_KEY_DIR")
    if explicit:
        return Path(explicit)
    config_home = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config_home) / "cablegram" / "keys"


class AuditStore:
    """The entries table in ``audit.sqlite``: one connection, one transaction per append."""

    def __init__(self, archive_dir: Path) -> None:
        archive_dir.mkdir(parents=True, exist_ok=True)
        # Autocommit mode: transactions are opened explicitly with BEGIN IMMEDIATE.
        self._db = sqlite3.connect(archive_dir / "audit.sqlite", timeout=60, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """A write transaction that takes SQLite's write lock at once (no upgrade deadlock)."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def begin_snapshot(self) -> None:
        """Start a read transaction: until `end_snapshot`, queries see the log as it is now
        while appenders carry on (WAL). SQLite takes the snapshot at the first read, not at
        BEGIN, hence the query."""
        self._db.execute("BEGIN")
        self._db.execute("SELECT 1 FROM entries LIMIT 1").fetchone()

    def end_snapshot(self) -> None:
        self._db.execute("COMMIT")

    def head(self) -> AuditEntry | None:
        row = self._db.execute(f"SELECT {_COLUMNS} FROM entries ORDER BY seq DESC LIMIT 1")
        found = row.fetchone()
        return AuditEntry(*found) if found else None

    def insert(self, entry: AuditEntry) -> None:
        self._db.execute(
            f"INSERT INTO entries ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                entry.seq,
                entry.timestamp,
                entry.principal,
                entry.action,
                entry.target,
                entry.detail,
                entry.prev,
                entry.mac,
            ),
        )

    def is_empty(self) -> bool:
        return self._db.execute("SELECT 1 FROM entries LIMIT 1").fetchone() is None

    def count(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM entries").fetchone()[0])

    def scan(self) -> Iterator[AuditEntry]:
        """Every row in seq order. ``rowid`` breaks ties should someone rebuild the table
        without its primary key and give two rows one seq."""
        for row in self._db.execute(f"SELECT {_COLUMNS} FROM entries ORDER BY seq, rowid"):
            yield AuditEntry(*row)

    def select(
        self,
        *,
        principals: tuple[str, ...] | None = None,
        principal_prefix: str | None = None,
        action: str | None = None,
        target: str | None = None,
        since: str | None = None,
    ) -> list[AuditEntry]:
        """Entries matching every given filter; a principal matches when it is one of
        ``principals`` or starts with ``principal_prefix``."""
        clauses: list[str] = []
        values: list[str] = []
        who: list[str] = []
        if principals is not None:
            who.append(f"principal IN ({', '.join('?' * len(principals))})")
            values.extend(principals)
        if principal_prefix is not None:
            who.append("substr(principal, 1, length(?)) = ?")
            values.extend((principal_prefix, principal_prefix))
        if who:
            clauses.append(f"({' OR '.join(who)})")
        for column, value in (("action", action), ("target", target)):
            if value is not None:
                clauses.append(f"{column} = ?")
                values.append(value)
        if since is not None:
            clauses.append("timestamp >= ?")
            values.append(since)
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        query = f"SELECT {_COLUMNS} FROM entries{where} ORDER BY seq"
        return [AuditEntry(*row) for row in self._db.execute(query, values)]

    def close(self) -> None:
        self._db.close()


class KeyFiles:
    """The archive identifier, and the key, checkpoint and lock files it names."""

    def __init__(self, archive_dir: Path, key_dir: Path) -> None:
        if key_dir.resolve().is_relative_to(archive_dir.resolve()):
            raise ValueError(
                f"the audit key directory {key_dir} lies inside the archive {archive_dir}: "
                "the key must be stored apart from the log"
            )
        archive_dir.mkdir(parents=True, exist_ok=True)
        key_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        stored_id = create_once(archive_dir / "archive-id", secrets.token_hex(16).encode())
        # The id becomes a file name in the key directory: refuse anything but our own hex.
        if not _ARCHIVE_ID.fullmatch(stored_id):
            raise AuditError(f"{archive_dir / 'archive-id'} does not hold an archive identifier")
        self.archive_id = stored_id.decode("ascii")
        self.key_path = key_dir / f"{self.archive_id}.key"
        self.checkpoint_path = key_dir / f"{self.archive_id}.head"
        self._lock_path = key_dir / f"{self.archive_id}.lock"

    def load_key(self) -> bytes | None:
        """The key, or None when its file is missing or not a key."""
        try:
            key = self.key_path.read_bytes()
        except FileNotFoundError:
            return None
        return key if len(key) == KEY_BYTES else None

    def create_key(self) -> bytes:
        """A new random key, unless another process created one first (then that one)."""
        return create_once(self.key_path, secrets.token_bytes(KEY_BYTES))

    def read_checkpoint(self) -> list[bytes] | None:
        """The checkpoints the file holds (its non-blank slots), or None without a file."""
        try:
            raw = self.checkpoint_path.read_bytes()
        except FileNotFoundError:
            return None
        if len(raw) != 2 * CHECKPOINT_SLOT:
            return [raw.strip()] if raw.strip() else []
        slots = (raw[:CHECKPOINT_SLOT].strip(), raw[CHECKPOINT_SLOT:].strip())
        return [slot for slot in slots if slot]

    def write_checkpoint(self, content: bytes, seq: int) -> None:
        """Write the checkpoint of entry ``seq`` into its slot (see the module's docstring).
        Call with the append lock held."""
        slot = _slot(content)
        offset = (seq % 2) * CHECKPOINT_SLOT
        try:
            descriptor = os.open(self.checkpoint_path, os.O_RDWR)
        except FileNotFoundError:
            descriptor = None
        if descriptor is not None:
            try:
                if os.fstat(descriptor).st_size == 2 * CHECKPOINT_SLOT:
                    if os.pwrite(descriptor, slot, offset) != len(slot):
                        raise OSError(f"short write to {self.checkpoint_path}")
                    return
            finally:
                os.close(descriptor)
        # No file, or one without slots: create it whole, atomically.
        blank = _slot(b"")
        whole = slot + blank if offset == 0 else blank + slot
        temporary = self.checkpoint_path.with_name(f".{self.checkpoint_path.name}.{os.getpid()}")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(whole)
        os.replace(temporary, self.checkpoint_path)

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the archive's append lock (blocks while another process holds it)."""
        descriptor = os.open(self._lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            yield
        finally:
            os.close(descriptor)  # closing releases the lock


def _slot(content: bytes) -> bytes:
    """``content`` padded with spaces to a line of `CHECKPOINT_SLOT` bytes."""
    if len(content) >= CHECKPOINT_SLOT:
        raise ValueError(f"a checkpoint of {len(content)} bytes does not fit a slot")
    return content.ljust(CHECKPOINT_SLOT - 1) + b"\n"


def create_once(path: Path, content: bytes) -> bytes:
    """Create ``path`` (mode 0600) holding ``content`` unless it exists; return what the
    file holds. A hard link of a complete temporary file makes creation atomic, so a
    concurrent reader never sees a half-written key and two creators agree on one."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            return path.read_bytes()
        return content
    finally:
        temporary.unlink()


# ---- the MAC'd form of an entry -------------------------------------------------------


def canonical(value: object) -> str:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def entry_json(entry: AuditEntry, seq: int) -> bytes:
    """The MAC'd form of an entry as if stored at ``seq`` (its own seq, or a candidate)."""
    body = {
        "seq": seq,
        "timestamp": entry.timestamp,
        "principal": entry.principal,
        "action": entry.action,
        "target": entry.target,
        "detail": json.loads(entry.detail),
    }
    return canonical(body).encode("utf-8")


def entry_mac(key: bytes, prev: str, entry_bytes: bytes) -> str:
    return hmac.new(key, prev.encode("utf-8") + entry_bytes, hashlib.sha256).hexdigest()


def authentic(key: bytes, entry: AuditEntry, seq: int | None = None) -> bool:
    """Whether the entry's MAC verifies, at its stored seq or at ``seq``. Anything an
    editor may have made unreadable (detail that is no JSON, text that is no UTF-8) fails."""
    try:
        expected = entry_mac(key, entry.prev, entry_json(entry, entry.seq if seq is None else seq))
    except ValueError:
        return False
    return hmac.compare_digest(expected.encode(), str(entry.mac).encode("utf-8", "replace"))
