"""The storage contract: what services may ask of an archive's record store.

Services (ingest, indexer, search, graph, people, export) talk to this protocol only, so
that a second backend (PostgreSQL, for archives shared by a team) can be added without
touching them; the contract tests in ``tests/archive/test_storage.py`` run against every
backend listed in their ``backend`` fixture.

Semantics every backend keeps (``docs``: the archive design, issue 3):

* **Identity and idempotency.** A version is identified by (cable id, SHA-256 of the original
  text). Putting a known version again is `PutOutcome.UNCHANGED` and writes nothing; a new
  text for a known id is `PutOutcome.NEW_VERSION` numbered ``max + 1``. `Storage.put` is
  one transaction: after a crash either the whole batch is stored or none of it.
* **Current version.** The version with the latest ``released`` date is current; versions
  without a date rank below dated ones, and ties (or no dates at all) go to the last
  ingested. Only the current version's reference edges and person mentions are kept.
* **Sequence.** Every stored version gets a global, increasing ``seq``. The search index
  keeps a watermark (the highest ``seq`` it holds) in the store, so the indexer can catch
  up after a crash with `Storage.current_since`.

Derived rows (reference edges, person mentions) are computed from the cable when it is put
(`cablegram.archive.storage.encoding`), so a store never holds a cable without them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from cablegram.archive.records import NewVersion, PutOutcome, StoredVersion, VersionKey


@dataclass(frozen=True)
class ReferenceEdge:
    """One entry of a cable's REF list, or another link between cables (a part of a
    multi-part cable), as stored for the reference graph."""

    source_id: str
    """The citing cable."""
    letter: str | None
    """The REF letter (``G``), None for a single unlettered reference."""
    target_id: str | None
    """The canonical id of the cited cable, None when the reference is not a cable or its
    id could not be read (kept so that unresolved references can be listed)."""
    kind: str
    """What is cited: a `cablegram.model.ReferenceKind` value (``cable``, ``document`` ...)
    or a relation the graph module defines."""
    text: str
    """The reference as written."""
    notal: bool = False
    """NOTAL: the reference was not sent to all addressees."""


@dataclass(frozen=True)
class Mention:
    """A person named in a cable, as stored for the person index."""

    person: str
    """The merged person key the people module assigns (the same across cables)."""
    name: str
    """The name as written in this cable."""
    title: str | None
    """The title written with it (``DFM``, ``U/S``), if any."""
    portion: str | None
    """The `cablegram.access.Portion` key the name was found in, None for handling
    metadata (Classified By, TAGS), which every reader of the cable may see."""
    role: str
    """Where it was found: one of `cablegram.archive.people.ROLES` (``classified-by``,
    ``signature``, ``participant``, ``tag``, ``text``)."""


@dataclass(frozen=True)
class EncodedVersion:
    """A `NewVersion` in the form a store writes: the cable as JSON text and the rows
    derived from it. Ingest workers build these in parallel (`encoding.encode`), so the
    writing process does no per-cable CPU work besides the insert."""

    cable_id: str
    text: str
    hash: str
    cable_json: str
    source: str
    id_from: str
    """Where the cable id came from: ``text`` (parsed) or ``metadata:KEY`` (a fallback for
    partial extracts, e.g. ``metadata:reference_id``)."""
    released: str | None
    references: tuple[ReferenceEdge, ...]
    mentions: tuple[Mention, ...]


@dataclass(frozen=True)
class FileProgress:
    """How far ingest got through one input file, so that a re-run can skip what a killed
    run already did. Valid only while the file keeps its size and modification time."""

    path: str
    """The file's resolved path."""
    size: int
    mtime_ns: int
    documents: int
    """Documents of the file, in file order, that are stored or were reported failed."""


@dataclass(frozen=True)
class DocumentFailure:
    """A document of an input file that could not be stored (kept so that a re-run which
    skips the document reports it again)."""

    path: str
    """The file's resolved path, as in `FileProgress`."""
    position: int
    """0-based position of the document in the file."""
    where: str
    """How messages name it: ``path#position`` as the user gave the path."""
    reason: str


class Storage(Protocol):
    """The record store of an archive (one writer at a time)."""

    def put(self, versions: Sequence[NewVersion]) -> list[PutOutcome]:
        """Store a batch in one transaction; one outcome per version, in order."""
        ...

    def put_encoded(self, versions: Sequence[EncodedVersion]) -> list[PutOutcome]:
        """`put` for versions already encoded (by ingest workers)."""
        ...

    def get(self, cable_id: str, version: int | None = None) -> StoredVersion | None:
        """A version of a cable; ``version=None`` is the current one."""
        ...

    def versions(self, cable_id: str) -> list[StoredVersion]:
        """Every version of a cable, oldest first."""
        ...

    def count(self) -> int:
        """The number of cables (ids), not versions."""
        ...

    def ids(self) -> Iterator[str]:
        """Every cable id, sorted."""
        ...

    def current_since(self, seq: int, limit: int) -> list[StoredVersion]:
        """Up to ``limit`` current versions with ``seq`` above the given one, by ``seq``."""
        ...

    def current_keys_since(self, seq: int, limit: int) -> list[VersionKey]:
        """`current_since` without the texts and cables (nothing to decode)."""
        ...

    def index_watermark(self) -> int:
        """The highest ``seq`` the search index holds (0 for an empty index)."""
        ...

    def set_index_watermark(self, seq: int) -> None: ...

    def decisions(self) -> dict[str, date]:
        """Reviewers' declassification decisions by cable id (issue 4)."""
        ...

    def set_decision(self, cable_id: str, day: date) -> None:
        """Record a reviewer's decision: the cable is releasable from ``day`` on."""
        ...

    def distributions(self) -> dict[str, frozenset[str]]:
        """Every recorded distribution, by cable id (few: cables released by traffic)."""
        ...

    def distribution(self, cable_id: str) -> frozenset[str] | None:
        """The recorded distribution of a cable; None when none was recorded, as for every
        ingested historical cable (issue 6 records it for cables it releases)."""
        ...

    def record_distribution(self, cable_id: str, members: frozenset[str]) -> None:
        """Record (or replace) the distribution of a cable released by the traffic system
        (issue 6): the offices and named recipients it went to."""
        ...

    def replace_references(self, cable_id: str, refs: Sequence[ReferenceEdge]) -> None: ...

    def references_from(self, cable_id: str) -> list[ReferenceEdge]:
        """The edges a cable cites, in REF-list order."""
        ...

    def references_to(self, cable_id: str) -> list[ReferenceEdge]:
        """The edges that cite a cable, by citing cable id."""
        ...

    def replace_mentions(self, cable_id: str, mentions: Sequence[Mention]) -> None: ...

    def mentions(self, cable_id: str) -> list[Mention]:
        """The people named in a cable, in the order they were found."""
        ...

    def cables_of_person(self, person: str) -> list[str]:
        """Ids of the cables that name a person key, sorted."""
        ...

    def file_progress(self, path: str) -> FileProgress | None: ...

    def file_failures(self, path: str, before: int) -> list[DocumentFailure]:
        """The recorded failures of a file at positions below ``before``, in order."""
        ...

    def record_files(
        self, progress: Sequence[FileProgress], failures: Sequence[DocumentFailure]
    ) -> None:
        """Record ingest progress and failures in one transaction. A file recorded with a
        size or modification time other than before starts over: its earlier failures are
        dropped."""
        ...

    def close(self) -> None: ...
