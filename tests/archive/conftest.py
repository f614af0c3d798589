"""Shared fixtures for archive tests: a fresh archive directory, a small corpus on disk
(written from the hand-made telegrams of ``telegrams.py``) and the storage backends."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from telegrams import SmallCorpus, telegram, write_jsonl

from cablegram.archive.storage import SQLiteStorage, Storage


@pytest.fixture
def archive_dir(tmp_path: Path) -> Path:
    """A directory for a new archive (not yet created: `Archive.open` creates it)."""
    return tmp_path / "archive"


@pytest.fixture
def small_corpus(tmp_path: Path) -> SmallCorpus:
    directory = tmp_path / "corpus"
    (directory / "more").mkdir(parents=True)
    telegrams = tuple(telegram(n) for n in range(12))
    write_jsonl(directory / "cables.jsonl", telegrams[:10])
    for item in telegrams[10:]:
        (directory / "more" / f"{item.cable_id}.txt").write_text(item.text, encoding="utf-8")
    return SmallCorpus(directory, telegrams)


#: Storage backends under test: name -> open a store in an empty directory.
BACKENDS: dict[str, Callable[[Path], Storage]] = {
    "sqlite": lambda directory: SQLiteStorage(directory / "archive.sqlite"),
}


@pytest.fixture(params=sorted(BACKENDS))
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[], Storage]:
    """Opens the backend's store of one test directory (again, after a close)."""
    opener = BACKENDS[request.param]
    return lambda: opener(tmp_path)


@pytest.fixture
def storage(backend: Callable[[], Storage]) -> Iterator[Storage]:
    store = backend()
    yield store
    store.close()
