"""Fixtures for the reference-data tests: the shared sample corpus, read once."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(scope="session")
def sample_cables(shared_dir: Path) -> list[dict[str, Any]]:
    """The 2,979 cables of ``shared/corpus/cablegate-sample.jsonl.gz`` as JSON objects."""
    path = shared_dir / "corpus" / "cablegate-sample.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]
