"""Record stores behind one protocol (`Storage`); SQLite is the embedded default."""

from pathlib import Path

from cablegram.archive.storage.base import (
    DocumentFailure,
    EncodedVersion,
    FileProgress,
    Mention,
    ReferenceEdge,
    Storage,
)
from cablegram.archive.storage.encoding import encode
from cablegram.archive.storage.sqlite import DATABASE_NAME, SchemaError, SQLiteStorage


def open_storage(directory: Path) -> Storage:
    """The record store of the archive in ``directory`` (which must exist)."""
    return SQLiteStorage(directory / DATABASE_NAME)


__all__ = [
    "DocumentFailure",
    "EncodedVersion",
    "FileProgress",
    "Mention",
    "ReferenceEdge",
    "SQLiteStorage",
    "SchemaError",
    "Storage",
    "encode",
    "open_storage",
]
