"""A stored cable as one principal sees it on one day: the read path of `show`, `refs`,
`people` and exports.

Every record read by those services goes through `Reader.read`, which asks the access
module (`cablegram.access.view`) for the principal's view: the cable with each withheld
portion replaced by its placeholder, or None when nothing of it is readable. A cable of
which nothing is readable does not exist for that principal (issue 4, item 3): `read`
answers None exactly as for an id the archive does not hold, and `CableNotFoundError`
says the same "no cable ID" for both, so an error never reveals that a cable exists.

The cable's access facts (`cablegram.access.CableAccess`: channel, recorded distribution,
declassification day with a reviewer's decision) come from the store; the reviewers'
decisions are read once per `Reader`.

`matching_ids` walks every cable a query matches for a principal (the selection of
exports, graph exports and the person index), page by page through the search service,
so that the index's access filter decides what is selected.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime

from cablegram.access import CableAccess, CableView, Principal, cable_access, view
from cablegram.archive.index.base import SearchResult, Sort
from cablegram.archive.records import StoredVersion
from cablegram.archive.search import Searchable, search
from cablegram.archive.storage.base import Storage

SEARCH_PAGE = 1_000
"""Hits asked of the index per page when a service walks every match of a query."""


class CableNotFoundError(LookupError):
    """No cable with this id that the principal may see (missing and invisible alike)."""

    def __init__(self, cable_id: str, version: int | None = None) -> None:
        self.cable_id = cable_id
        self.version = version
        which = f"{cable_id} version {version}" if version is not None else cable_id
        super().__init__(f"no cable {which}")


@dataclass(frozen=True)
class Reading:
    """One stored version and the principal's view of it."""

    stored: StoredVersion
    access: CableAccess
    view: CableView


def today() -> date:
    return datetime.now(UTC).date()


class Reader:
    """Reads cables from a store for one principal on one day."""

    def __init__(self, storage: Storage, principal: Principal, as_of: date | None = None) -> None:
        self.storage = storage
        self.principal = principal
        self.as_of = as_of if as_of is not None else today()
        self._decisions = storage.decisions()

    def access(self, stored: StoredVersion) -> CableAccess:
        return cable_access(
            stored.cable,
            self.storage.distribution(stored.cable_id),
            self._decisions.get(stored.cable_id),
        )

    def view_of(self, stored: StoredVersion) -> Reading | None:
        """The principal's view of a version already loaded; None when nothing is readable."""
        access = self.access(stored)
        seen = view(self.principal, stored.cable, access, self.as_of)
        return None if seen is None else Reading(stored, access, seen)

    def read(self, cable_id: str, version: int | None = None) -> Reading | None:
        """The principal's view of a version (None: the current one), or None when the
        archive does not hold it or the principal may read none of it."""
        stored = self.storage.get(cable_id, version)
        return None if stored is None else self.view_of(stored)

    def require(self, cable_id: str, version: int | None = None) -> Reading:
        """`read`, raising `CableNotFoundError` instead of answering None."""
        reading = self.read(cable_id, version)
        if reading is None:
            raise CableNotFoundError(cable_id, version)
        return reading


class Matches:
    """Every cable a query matches for a principal: ``total`` at once, the ids as they are
    iterated (oldest first, each once).

    Pages are sorted by date (ties in index order), which is stable while the index does
    not change; an id met twice (the index changed between pages) is given once."""

    def __init__(
        self,
        archive: Searchable,
        query: str,
        principal: Principal,
        as_of: date,
        page: int = SEARCH_PAGE,
    ) -> None:
        self._archive = archive
        self._query = query
        self._principal = principal
        self._as_of = as_of
        self._page = page
        self._first = self._fetch(0)
        self.total = self._first.total

    def _fetch(self, offset: int) -> SearchResult:
        return search(
            self._archive,
            self._query,
            self._principal,
            self._as_of,
            limit=self._page,
            offset=offset,
            sort=Sort.DATE,
            snippets=False,
        )

    def __iter__(self) -> Iterator[str]:
        seen: set[str] = set()
        result, offset = self._first, 0
        while True:
            for hit in result.hits:
                if hit.cable_id not in seen:
                    seen.add(hit.cable_id)
                    yield hit.cable_id
            offset += len(result.hits)
            if not result.hits or offset >= result.total:
                return
            result = self._fetch(offset)


def matching_ids(archive: Searchable, query: str, principal: Principal, as_of: date) -> Matches:
    """The cables ``query`` matches for the principal (a malformed query raises
    `cablegram.archive.query.QuerySyntaxError` here, before any id is read)."""
    return Matches(archive, query, principal, as_of)
