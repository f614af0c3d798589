"""A reviewer's declassification decision, recorded and applied at once.

The decision is stored with the cable's records and the cable is re-indexed on the spot:
its index views carry the declassification day, so search, facets and snippets follow the
decision without waiting for the next ingest.
"""

from __future__ import annotations

from datetime import date

from cablegram.access import cable_access
from cablegram.archive import Archive
from cablegram.archive.documents import documents


def decide(archive: Archive, cable_id: str, day: date) -> None:
    """Record that ``cable_id`` becomes releasable on ``day`` (a release, or an extension
    to a later day) and re-index it; the caller audits who decided."""
    storage = archive.storage
    storage.set_decision(cable_id, day)
    stored = storage.get(cable_id)
    if stored is None:
        return
    access = cable_access(stored.cable, storage.distribution(cable_id), day)
    archive.index.replace(cable_id, documents(stored, access, storage.mentions(cable_id)))
    archive.index.commit()
