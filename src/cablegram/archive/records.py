"""What the archive stores: versions of cables, each with its original text."""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass

from cablegram.model import Cable


def text_hash(text: str) -> str:
    """The identity of a version: the SHA-256 of its original text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class NewVersion:
    """A parsed cable on its way into storage."""

    cable_id: str
    text: str
    cable: Cable
    source: str
    """Where it came from: ``path#index``."""
    released: str | None = None
    """The publisher's release date (ISO 8601) when the input says; decides which
    version is current."""
    hash: str = ""

    def __post_init__(self) -> None:
        if not self.hash:
            object.__setattr__(self, "hash", text_hash(self.text))


@dataclass(frozen=True)
class StoredVersion:
    cable_id: str
    version: int
    """1 for the first text seen for this id, then 2, 3 ..."""
    seq: int
    """Global, increasing insertion sequence (the index catches up by it)."""
    hash: str
    text: str
    cable: Cable
    source: str
    released: str | None
    ingested_at: str
    current: bool


@dataclass(frozen=True)
class VersionKey:
    """A stored version without its text and cable: what the indexer needs to decide
    whether a prepared index document set still applies."""

    cable_id: str
    version: int
    seq: int
    hash: str


class PutOutcome(enum.Enum):
    NEW = "new"
    NEW_VERSION = "new version"
    UNCHANGED = "unchanged"
