"""Catching the search index up with storage, crash-safely.

Storage numbers every version it stores with a global, increasing ``seq`` and keeps the
index's *watermark*, the highest ``seq`` the index holds (archive design, "Identity,
versions, idempotency"). `sync` takes the current versions above the watermark in
batches; for each cable it replaces the cable's documents (delete by cable id, add its
views: `cablegram.archive.documents`), commits the batch, and only then moves the
watermark. A crash before the commit loses the uncommitted documents and leaves the
watermark where it was; a crash between the commit and the watermark re-indexes that
batch, which replacing by cable id makes harmless. So storage and index never disagree
for longer than one batch, and a re-run completes the work.

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
    watermark = storage.index_watermark()
    if watermark and index.count_docs() == 0:
        watermark = 0
    decisions = storage.decisions()
    indexed = 0
    while keys := storage.current_keys_since(watermark, batch):
        for key in keys:
            index.replace(key.cable_id, _documents(storage, key, decisions, prepared or {}))
        index.commit()
        watermark = keys[-1].seq
        storage.set_index_watermark(watermark)
        indexed += len(keys)
        if progress is not None:
            progress(len(keys))
    return indexed


def _documents(
    storage: Storage, key: VersionKey, decisions: Mapping[str, date], prepared: Prepared
) -> Sequence[IndexDoc]:
    distribution = storage.distribution(key.cable_id)
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
