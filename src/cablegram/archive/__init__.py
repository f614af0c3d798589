"""The archive: a directory holding the record store and the full-text index of cables.

``Archive.open(path)`` opens (creating on first use) the directory `paths.resolve(path)`:
``archive.sqlite`` (records, versions, reference graph, people, ingest state; see
`cablegram.archive.storage`) and ``index/`` (the tantivy search index). The index is
opened on first use, so commands that only read records never take the index's memory or
its writer lock. Services take an `Archive`; they use ``archive.storage`` and
``archive.index`` through their protocols only.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from cablegram.archive import paths
from cablegram.archive.storage import Storage, open_storage

if TYPE_CHECKING:
    from cablegram.archive.index.base import SearchIndex

INDEX_DIRECTORY = "index"

IndexFactory = Callable[[Path], "SearchIndex"]


class Archive:
    """An open archive; close it (or use it as a context manager) to release its files."""

    def __init__(self, path: Path, storage: Storage, index_factory: IndexFactory) -> None:
        self.path = path
        self.storage = storage
        self._index_factory = index_factory
        self._index: SearchIndex | None = None

    @classmethod
    def open(cls, path: Path | None = None) -> Archive:
        directory = paths.resolve(path)
        directory.mkdir(parents=True, exist_ok=True)
        return cls(directory, open_storage(directory), open_index)

    @property
    def index(self) -> SearchIndex:
        """The search index, opened on first use."""
        if self._index is None:
            self._index = self._index_factory(self.path / INDEX_DIRECTORY)
        return self._index

    def close(self) -> None:
        if self._index is not None:
            self._index.close()
            self._index = None
        self.storage.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def open_index(directory: Path) -> SearchIndex:
    """The tantivy index in ``directory`` (created when absent)."""
    # Imported here: commands that only read records do not load tantivy.
    from cablegram.archive.index.tantivy_index import TantivyIndex

    return TantivyIndex.open(directory)


__all__ = ["INDEX_DIRECTORY", "Archive", "IndexFactory", "open_index"]
