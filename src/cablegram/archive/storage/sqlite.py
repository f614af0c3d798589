"""The embedded record store: one SQLite file, ``archive.sqlite``, in the archive directory.

Settings and why:

* **WAL journal, ``synchronous=NORMAL``.** A committed transaction survives the process
  being killed (``kill -9``) at any moment; only a power cut can lose the last few commits,
  never corrupt the file (SQLite's documented guarantee for WAL + NORMAL). Readers (search)
  do not block the writer (ingest) and the other way round.
* **One transaction per batch** (`SQLiteStorage.put_encoded`): a batch of a thousand cables
  costs one commit, and a crash stores the whole batch or none of it.
* **Schema version** in ``PRAGMA user_version``: an archive written by a newer cablegram is
  refused instead of being misread.
* ``busy_timeout``: a second process (a search during an ingest) waits for the write lock
  instead of failing at once.

Tables: ``versions`` (one row per version: the original text, the cable as JSON, hash,
source, where the id came from, release date, ingestion time; ``seq`` is its
``AUTOINCREMENT`` key, so sequence numbers only grow), ``cables`` (one row per id: the
``seq`` of its current version), ``reference_edges`` and ``mentions`` (of the current
version), ``decisions`` and ``distributions`` (written by issues 4 and 6), ``state``
(the index watermark), ``ingest_files`` and ``ingest_failures`` (how far ingest got in
each input file, and which of its documents failed).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from cablegram.archive.records import NewVersion, PutOutcome, StoredVersion, VersionKey
from cablegram.archive.storage.base import (
    DocumentFailure,
    EncodedVersion,
    FileProgress,
    Mention,
    ReferenceEdge,
)
from cablegram.archive.storage.encoding import decode_cable, encode

SCHEMA_VERSION = 1
DATABASE_NAME = "archive.sqlite"
_BUSY_TIMEOUT_MS = 60_000
_CACHE_KIB = 32_768
_WAL_LIMIT_BYTES = 64 << 20
_IDS_PAGE = 1_000
_WATERMARK = "index_watermark"

_SCHEMA = """
CREATE TABLE versions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    cable_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    hash TEXT NOT NULL,
    text TEXT NOT NULL,
    cable TEXT NOT NULL,
    source TEXT NOT NULL,
    id_from TEXT NOT NULL,
    released TEXT,
    ingested_at TEXT NOT NULL,
    UNIQUE (cable_id, version),
    UNIQUE (cable_id, hash)
);
CREATE TABLE cables (
    id TEXT PRIMARY KEY,
    current_seq INTEGER NOT NULL REFERENCES versions (seq)
) WITHOUT ROWID;
CREATE INDEX cables_by_current_seq ON cables (current_seq);
CREATE TABLE reference_edges (
    source_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    letter TEXT,
    target_id TEXT,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    notal INTEGER NOT NULL,
    PRIMARY KEY (source_id, position)
) WITHOUT ROWID;
CREATE INDEX reference_edges_by_target ON reference_edges (target_id);
CREATE TABLE mentions (
    cable_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    person TEXT NOT NULL,
    name TEXT NOT NULL,
    title TEXT,
    portion TEXT,
    role TEXT NOT NULL,
    PRIMARY KEY (cable_id, position)
) WITHOUT ROWID;
CREATE INDEX mentions_by_person ON mentions (person);
CREATE TABLE decisions (
    cable_id TEXT PRIMARY KEY,
    declassify_on TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE distributions (
    cable_id TEXT PRIMARY KEY,
    members TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE state (
    key TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE ingest_files (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    documents INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE ingest_failures (
    path TEXT NOT NULL,
    position INTEGER NOT NULL,
    place TEXT NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (path, position)
) WITHOUT ROWID;
"""

_VERSION_COLUMNS = (
    "v.cable_id, v.version, v.seq, v.hash, v.text, v.cable, v.source, v.released, "
    "v.ingested_at, v.seq = c.current_seq"
)


#: SQLite's largest integer plus one.
_MAX_INTEGER = 2**63


class SchemaError(Exception):
    """The database was written by another version of cablegram's schema."""


class SQLiteStorage:
    """`cablegram.archive.storage.base.Storage` on SQLite."""

    def __init__(self, path: Path) -> None:
        """Open (creating when absent) the database file ``path``."""
        self.path = path
        self._db = sqlite3.connect(path, isolation_level=None)
        self._db.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("PRAGMA synchronous = NORMAL")
        self._db.execute("PRAGMA foreign_keys = ON")
        self._db.execute(f"PRAGMA cache_size = -{_CACHE_KIB}")
        self._db.execute(f"PRAGMA journal_size_limit = {_WAL_LIMIT_BYTES}")
        self._migrate()

    def _migrate(self) -> None:
        with self._transaction():
            found = self._db.execute("PRAGMA user_version").fetchone()[0]
            if found == 0:
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            elif found != SCHEMA_VERSION:
                raise SchemaError(
                    f"{self.path}: archive schema version {found}, this cablegram reads "
                    f"version {SCHEMA_VERSION}"
                )

    # -- versions -------------------------------------------------------------------------

    def put(self, versions: Sequence[NewVersion]) -> list[PutOutcome]:
        return self.put_encoded([encode(version) for version in versions])

    def put_encoded(self, versions: Sequence[EncodedVersion]) -> list[PutOutcome]:
        ingested_at = datetime.now(UTC).isoformat(timespec="seconds")
        with self._transaction():
            return [self._put_one(version, ingested_at) for version in versions]

    def _put_one(self, new: EncodedVersion, ingested_at: str) -> PutOutcome:
        db = self._db
        known = db.execute(
            "SELECT 1 FROM versions WHERE cable_id = ? AND hash = ?", (new.cable_id, new.hash)
        ).fetchone()
        if known:
            return PutOutcome.UNCHANGED
        current = db.execute(
            "SELECT v.released, v.seq, (SELECT max(version) FROM versions WHERE cable_id = ?) "
            "FROM cables c JOIN versions v ON v.seq = c.current_seq WHERE c.id = ?",
            (new.cable_id, new.cable_id),
        ).fetchone()
        number = 1 if current is None else current[2] + 1
        inserted = db.execute(
            "INSERT INTO versions (cable_id, version, hash, text, cable, source, id_from, "
            "released, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                new.cable_id,
                number,
                new.hash,
                new.text,
                new.cable_json,
                new.source,
                new.id_from,
                new.released,
                ingested_at,
            ),
        )
        seq = inserted.lastrowid
        assert seq is not None  # every INSERT sets it
        if current is None:
            db.execute("INSERT INTO cables (id, current_seq) VALUES (?, ?)", (new.cable_id, seq))
            outcome = PutOutcome.NEW
        else:
            outcome = PutOutcome.NEW_VERSION
            if _currency(new.released, seq) < _currency(current[0], current[1]):
                return outcome  # an older release: stored, but not current
            db.execute("UPDATE cables SET current_seq = ? WHERE id = ?", (seq, new.cable_id))
        # A new cable has no rows to replace yet.
        self._replace_references(new.cable_id, new.references, fresh=current is None)
        self._replace_mentions(new.cable_id, new.mentions, fresh=current is None)
        return outcome

    def get(self, cable_id: str, version: int | None = None) -> StoredVersion | None:
        arguments: tuple[str | int, ...]
        if version is not None and not 0 < version < _MAX_INTEGER:
            return None  # no such version (and SQLite integers stop at 2**63 - 1)
        if version is None:
            condition, arguments = "v.seq = c.current_seq", (cable_id,)
        else:
            condition, arguments = "v.version = ?", (cable_id, version)
        row = self._db.execute(
            f"SELECT {_VERSION_COLUMNS} FROM versions v JOIN cables c ON c.id = v.cable_id "
            f"WHERE v.cable_id = ? AND {condition}",
            arguments,
        ).fetchone()
        return None if row is None else _stored(row)

    def versions(self, cable_id: str) -> list[StoredVersion]:
        rows = self._db.execute(
            f"SELECT {_VERSION_COLUMNS} FROM versions v JOIN cables c ON c.id = v.cable_id "
            "WHERE v.cable_id = ? ORDER BY v.version",
            (cable_id,),
        )
        return [_stored(row) for row in rows]

    def count(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM cables").fetchone()[0])

    def ids(self) -> Iterator[str]:
        # Pages by key rather than one long-lived cursor: memory stays bounded and writes
        # between pages are allowed.
        last = ""
        while True:
            page = [
                row[0]
                for row in self._db.execute(
                    "SELECT id FROM cables WHERE id > ? ORDER BY id LIMIT ?", (last, _IDS_PAGE)
                )
            ]
            yield from page
            if len(page) < _IDS_PAGE:
                return
            last = page[-1]

    def current_since(self, seq: int, limit: int) -> list[StoredVersion]:
        rows = self._db.execute(
            f"SELECT {_VERSION_COLUMNS} FROM cables c JOIN versions v ON v.seq = c.current_seq "
            "WHERE c.current_seq > ? ORDER BY c.current_seq LIMIT ?",
            (seq, limit),
        )
        return [_stored(row) for row in rows]

    def current_keys_since(self, seq: int, limit: int) -> list[VersionKey]:
        rows = self._db.execute(
            "SELECT v.cable_id, v.version, v.seq, v.hash FROM cables c "
            "JOIN versions v ON v.seq = c.current_seq "
            "WHERE c.current_seq > ? ORDER BY c.current_seq LIMIT ?",
            (seq, limit),
        )
        return [VersionKey(*row) for row in rows]

    # -- index state, access data ---------------------------------------------------------

    def index_watermark(self) -> int:
        row = self._db.execute("SELECT value FROM state WHERE key = ?", (_WATERMARK,)).fetchone()
        return 0 if row is None else int(row[0])

    def set_index_watermark(self, seq: int) -> None:
        with self._transaction():
            self._db.execute(
                "INSERT INTO state (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (_WATERMARK, seq),
            )

    def decisions(self) -> dict[str, date]:
        rows = self._db.execute("SELECT cable_id, declassify_on FROM decisions")
        return {cable_id: date.fromisoformat(day) for cable_id, day in rows}

    def set_decision(self, cable_id: str, day: date) -> None:
        with self._transaction():
            self._db.execute(
                "INSERT INTO decisions (cable_id, declassify_on) VALUES (?, ?) "
                "ON CONFLICT (cable_id) DO UPDATE SET declassify_on = excluded.declassify_on",
                (cable_id, day.isoformat()),
            )

    def distribution(self, cable_id: str) -> frozenset[str] | None:
        row = self._db.execute(
            "SELECT members FROM distributions WHERE cable_id = ?", (cable_id,)
        ).fetchone()
        return None if row is None else frozenset(json.loads(row[0]))

    def distributions(self) -> dict[str, frozenset[str]]:
        rows = self._db.execute("SELECT cable_id, members FROM distributions")
        return {cable_id: frozenset(json.loads(members)) for cable_id, members in rows}

    def record_distribution(self, cable_id: str, members: frozenset[str]) -> None:
        with self._transaction():
            self._db.execute(
                "INSERT INTO distributions (cable_id, members) VALUES (?, ?) "
                "ON CONFLICT (cable_id) DO UPDATE SET members = excluded.members",
                (cable_id, json.dumps(sorted(members))),
            )

    # -- reference graph ------------------------------------------------------------------

    def replace_references(self, cable_id: str, refs: Sequence[ReferenceEdge]) -> None:
        with self._transaction():
            self._replace_references(cable_id, refs)

    def _replace_references(
        self, cable_id: str, refs: Sequence[ReferenceEdge], fresh: bool = False
    ) -> None:
        rows = [
            (cable_id, position, ref.letter, ref.target_id, ref.kind, ref.text, ref.notal)
            for position, ref in enumerate(refs)
        ]
        self._replace_rows(
            "reference_edges",
            "source_id, position, letter, target_id, kind, text, notal",
            cable_id,
            rows,
            fresh,
        )

    def _replace_rows(
        self,
        table: str,
        columns: str,
        cable_id: str,
        rows: Sequence[tuple[object, ...]],
        fresh: bool,
    ) -> None:
        """A cable's rows of a derived table, keyed by the first column: deleted (unless
        the cable is new, and has none yet), then inserted."""
        key = columns.split(",", 1)[0]
        if not fresh:
            self._db.execute(f"DELETE FROM {table} WHERE {key} = ?", (cable_id,))
        if rows:
            placeholders = ", ".join("?" * len(rows[0]))
            self._db.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)

    def references_from(self, cable_id: str) -> list[ReferenceEdge]:
        rows = self._db.execute(
            "SELECT source_id, letter, target_id, kind, text, notal FROM reference_edges "
            "WHERE source_id = ? ORDER BY position",
            (cable_id,),
        )
        return [_edge(row) for row in rows]

    def references_to(self, cable_id: str) -> list[ReferenceEdge]:
        rows = self._db.execute(
            "SELECT source_id, letter, target_id, kind, text, notal FROM reference_edges "
            "WHERE target_id = ? ORDER BY source_id, position",
            (cable_id,),
        )
        return [_edge(row) for row in rows]

    # -- people ---------------------------------------------------------------------------

    def replace_mentions(self, cable_id: str, mentions: Sequence[Mention]) -> None:
        with self._transaction():
            self._replace_mentions(cable_id, mentions)

    def _replace_mentions(
        self, cable_id: str, mentions: Sequence[Mention], fresh: bool = False
    ) -> None:
        rows = [
            (cable_id, position, m.person, m.name, m.title, m.portion, m.role)
            for position, m in enumerate(mentions)
        ]
        self._replace_rows(
            "mentions",
            "cable_id, position, person, name, title, portion, role",
            cable_id,
            rows,
            fresh,
        )

    def mentions(self, cable_id: str) -> list[Mention]:
        rows = self._db.execute(
            "SELECT person, name, title, portion, role FROM mentions WHERE cable_id = ? "
            "ORDER BY position",
            (cable_id,),
        )
        return [Mention(*row) for row in rows]

    def cables_of_person(self, person: str) -> list[str]:
        rows = self._db.execute(
            "SELECT DISTINCT cable_id FROM mentions WHERE person = ? ORDER BY cable_id",
            (person,),
        )
        return [row[0] for row in rows]

    # -- ingest state ---------------------------------------------------------------------

    def file_progress(self, path: str) -> FileProgress | None:
        row = self._db.execute(
            "SELECT path, size, mtime_ns, documents FROM ingest_files WHERE path = ?", (path,)
        ).fetchone()
        return None if row is None else FileProgress(*row)

    def file_failures(self, path: str, before: int) -> list[DocumentFailure]:
        rows = self._db.execute(
            "SELECT path, position, place, reason FROM ingest_failures "
            "WHERE path = ? AND position < ? ORDER BY position",
            (path, before),
        )
        return [DocumentFailure(*row) for row in rows]

    def record_files(
        self, progress: Sequence[FileProgress], failures: Sequence[DocumentFailure]
    ) -> None:
        with self._transaction():
            for file in progress:
                known = self.file_progress(file.path)
                if known is not None and (known.size, known.mtime_ns) != (file.size, file.mtime_ns):
                    self._db.execute("DELETE FROM ingest_failures WHERE path = ?", (file.path,))
                self._db.execute(
                    "INSERT INTO ingest_files (path, size, mtime_ns, documents) "
                    "VALUES (?, ?, ?, ?) ON CONFLICT (path) DO UPDATE SET size = excluded.size, "
                    "mtime_ns = excluded.mtime_ns, documents = excluded.documents",
                    (file.path, file.size, file.mtime_ns, file.documents),
                )
            self._db.executemany(
                "INSERT OR REPLACE INTO ingest_failures (path, position, place, reason) "
                "VALUES (?, ?, ?, ?)",
                [(f.path, f.position, f.where, f.reason) for f in failures],
            )

    # -- lifecycle ------------------------------------------------------------------------

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> SQLiteStorage:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)


class _Transaction:
    """``BEGIN IMMEDIATE`` ... ``COMMIT`` (or ``ROLLBACK`` on error); nested uses join the
    outer transaction. IMMEDIATE takes the write lock at once, so two writers queue on
    ``busy_timeout`` instead of deadlocking when both upgrade from a read."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self._outer = False

    def __enter__(self) -> None:
        self._outer = not self._db.in_transaction
        if self._outer:
            self._db.execute("BEGIN IMMEDIATE")

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if not self._outer:
            return
        self._db.execute("ROLLBACK" if kind is not None else "COMMIT")


def _currency(released: str | None, seq: int) -> tuple[bool, str, int]:
    """Orders versions for currency: dated above undated, later release, later ingestion."""
    return (released is not None, released or "", seq)


def _stored(row: Any) -> StoredVersion:
    cable_id, version, seq, digest, text, cable_json, source, released, ingested_at, current = row
    return StoredVersion(
        cable_id=cable_id,
        version=version,
        seq=seq,
        hash=digest,
        text=text,
        cable=decode_cable(cable_json, text),
        source=source,
        released=released,
        ingested_at=ingested_at,
        current=bool(current),
    )


def _edge(row: Any) -> ReferenceEdge:
    source_id, letter, target_id, kind, text, notal = row
    return ReferenceEdge(source_id, letter, target_id, kind, text, bool(notal))
