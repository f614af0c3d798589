"""The `Archive` facade: where it opens, what it creates, and when the index is opened."""

from __future__ import annotations

from pathlib import Path

import pytest
from telegrams import telegram

from cablegram.archive import INDEX_DIRECTORY, Archive
from cablegram.archive.records import NewVersion
from cablegram.read import parse


def test_the_default_directory_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CABLEGRAM_ARCHIVE", str(tmp_path / "from-env"))
    with Archive.open(None) as archive:
        assert archive.path == tmp_path / "from-env"
    assert (tmp_path / "from-env" / "archive.sqlite").is_file()


def test_the_index_is_opened_on_first_use_only(archive_dir: Path) -> None:
    item = telegram(4)
    with Archive.open(archive_dir) as archive:
        archive.storage.put([NewVersion(item.cable_id, item.text, parse(item.text), "test")])
        assert not (archive_dir / INDEX_DIRECTORY).exists()
        assert archive.index.count_docs() == 0
        assert archive.index is archive.index
    assert (archive_dir / INDEX_DIRECTORY).is_dir()
    with Archive.open(archive_dir) as reopened:
        assert [v.cable_id for v in reopened.storage.versions(item.cable_id)] == ["09PARIS5"]
