"""Catching the search index up with storage, crash-safely.

Storage numbers every version it stores with a global, increasing ``seq`` and keeps the
index's *watermark*, the highest ``seq`` the index holds (archive design, "Identity,
versions, idempotency"). `sync` takes the current versions above the watermark in batches;
for each cable it replaces the cable's documents (delete by cable id, add its views:
`cablegram.archive.documents`), commits the batch, and only then moves the watermark
(`Indexer` does the same in steps, committing every so many cables). A crash before the
commit loses the uncommitted documents and leaves the watermark where it was; a crash
between the commit and the watermark re-indexes that batch, which replacing by cable id
makes harmless. So storage and index never disagree for longer than one batch, and a
re-run completes the work.

An index found empty while the watermark says otherwise (its directory was deleted, or
rebuilt for a new schema: `cablegram.archive.index.tantivy_index`) is rebuilt from the
first version.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import date

from cablegram.access import cable_access
from cablegram.archive.documents import documents
from cablegram.archive.index.base import IndexDoc, SearchIndex
from cablegram.archive.records import VersionKey
from cablegram.archive.storage.base import Storage

BATCH = 1_000
"""Cables per commit: large enough that commits cost little, small enough that a crash
repeats little work and the writer's memory stays bounded."""

Prepared = Mapping[tuple[str, str], Sequence[IndexDoc]]
"""Index documents made ahead, by (cable id, text hash): ingest workers make them while
they parse (`cablegram.archive.ingest`), for the access of a cable with no recorded
distribution and no declassification decision. `sync` uses them only for a current
version with that text and neither record, and makes the documents itself otherwise."""


def sync(
    storage: Storage,
    index: SearchIndex,
    progress: Callable[[int], None] | None = None,
    batch: int = BATCH,
    prepared: Prepared | None = None,
) -> int:
    """Index every current version above the watermark; returns the number of cables
    indexed. ``progress`` is called with the number of cables of each committed batch."""
    indexer = Indexer(storage, index, commit_every=batch, progress=progress)
    indexed = indexer.catch_up(prepared)
    indexer.commit()
    return indexed


def rebuilding(storage: Storage, index: SearchIndex) -> bool:
    """True when the index must be rebuilt from the first version: it is empty while the
    watermark says it held versions (deleted, or recreated for a new document format)."""
    return bool(storage.index_watermark()) and index.count_docs() == 0


class Indexer:
    """`sync` in steps, for a writer that stores in batches (ingest): each `catch_up`
    adds the documents of the versions stored since, and the index is committed, and the
    watermark moved, every ``commit_every`` cables and by `commit`. Fewer, larger commits
    make fewer, larger index segments, which tantivy merges less often; a crash loses at
    most the uncommitted documents, which a re-run indexes again from the watermark."""

    def __init__(
        self,
        storage: Storage,
        index: SearchIndex,
        commit_every: int = BATCH,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        self.storage = storage
        self.index = index
        self.commit_every = commit_every
        self.progress = progress
        self._added = self._start()
        """The highest ``seq`` added to the index, committed or not."""
        self._uncommitted = 0

    def _start(self) -> int:
        return 0 if rebuilding(self.storage, self.index) else self.storage.index_watermark()

    def catch_up(self, prepared: Prepared | None = None) -> int:
        """Add the documents of every current version stored since the last call; returns
        the number of cables added."""
        decisions = self.storage.decisions()
        distributions = self.storage.distributions()
        added = 0
        while keys := self.storage.current_keys_since(self._added, min(BATCH, self.commit_every)):
            for key in keys:
                docs = _documents(self.storage, key, decisions, distributions, prepared or {})
                self.index.replace(key.cable_id, docs)
            self._added = keys[-1].seq
            self._uncommitted += len(keys)
            added += len(keys)
            if self._uncommitted >= self.commit_every:
                self.commit()
        return added

    def commit(self) -> None:
        """Commit what was added, then move the watermark."""
        if not self._uncommitted:
            return
        self.index.commit()
        self.storage.set_index_watermark(self._added)
        if self.progress is not None:
            self.progress(self._uncommitted)
        self._uncommitted = 0


def _documents(
    storage: Storage,
    key: VersionKey,
    decisions: Mapping[str, date],
    distributions: Mapping[str, frozenset[str]],
    prepared: Prepared,
) -> Sequence[IndexDoc]:
    distribution = distributions.get(key.cable_id)
    decision = decisions.get(key.cable_id)
    ready = prepared.get((key.cable_id, key.hash))
    if ready is not None and distribution is None and decision is None:
        # Made before storage numbered the version.
        return [
            doc if doc.version == key.version else replace(doc, version=key.version)
            for doc in ready
        ]
    stored = storage.get(key.cable_id, key.version)
    if stored is None:  # the key was read in this process a moment ago
        raise LookupError(f"version {key.version} of {key.cable_id} vanished while indexing")
    access = cable_access(stored.cable, distribution, decision)
    return documents(stored, access, storage.mentions(key.cable_id))
