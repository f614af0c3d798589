"""Fixtures for the traffic tests: an archive directory with the users of
`traffic_helpers`, a settable clock, a traffic system on it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from traffic_helpers import START, add_users

from cablegram.traffic import SettableClock, Traffic
from cablegram.traffic.store import TrafficStore


@pytest.fixture(scope="session")
def template_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An archive directory with the users and an empty traffic store, made once: copying
    it is much cheaper than creating the databases for every test."""
    directory = tmp_path_factory.mktemp("template") / "archive"
    directory.mkdir()
    add_users(directory)
    TrafficStore(directory).close()
    return directory


@pytest.fixture
def archive_dir(tmp_path: Path, template_dir: Path) -> Path:
    directory = tmp_path / "archive"
    shutil.copytree(template_dir, directory)
    return directory


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock(START)


@pytest.fixture
def traffic(archive_dir: Path, clock: SettableClock) -> Iterator[Traffic]:
    with Traffic(archive_dir, clock=clock) as opened:
        yield opened
