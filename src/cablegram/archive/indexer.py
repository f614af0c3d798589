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

from collections.abc import Callable

from cablegram.access import cable_access
from cablegram.archive.documents import documents
from cablegram.archive.index.base import SearchIndex
from cablegram.archive.storage.base import Storage

BATCH = 1_000
"""Cables per commit: large enough that commits cost little, small enough that a crash
repeats little work and the writer's memory stays bounded."""


def sync(
    storage: Storage,
    index: SearchIndex,
    progress: Callable[[int], None] | None = None,
    batch: int = BATCH,
) -> int:
    """Index every current version above the watermark; returns the number of cables
    indexed. ``progress`` is called with the number of cables of each committed batch."""
    watermark = storage.index_watermark()
    if watermark and index.count_docs() == 0:
        watermark = 0
    decisions = storage.decisions()
    indexed = 0
    while versions := storage.current_since(watermark, batch):
        for stored in versions:
            access = cable_access(
                stored.cable,
                storage.distribution(stored.cable_id),
                decisions.get(stored.cable_id),
            )
            index.replace(
                stored.cable_id, documents(stored, access, storage.mentions(stored.cable_id))
            )
        index.commit()
        watermark = versions[-1].seq
        storage.set_index_watermark(watermark)
        indexed += len(versions)
        if progress is not None:
            progress(len(versions))
    return indexed
