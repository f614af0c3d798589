"""Shared fixtures: the ../shared folder beside the checkout, and the seed cable."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def stale_compiled_modules(source_root: Path) -> list[str]:
    """Sources edited after their mypyc build (setup.py): Python imports the compiled
    module first, so tests would run the old code."""
    stale = []
    for compiled in source_root.rglob("*.so"):
        source = compiled.with_name(compiled.name.split(".", 1)[0] + ".py")
        if source.is_file() and source.stat().st_mtime > compiled.stat().st_mtime:
            stale.append(str(source.relative_to(source_root)))
    return sorted(stale)


def pytest_configure(config: pytest.Config) -> None:
    stale = stale_compiled_modules(REPO / "src")
    if stale:
        raise pytest.UsageError(
            f"compiled modules are older than their sources ({', '.join(stale)}): "
            "run `make compile` (or set CABLEGRAM_PURE=1 and `make clean install`)"
        )


@pytest.fixture(autouse=True, scope="session")
def key_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Audit keys live apart from archives: in tests, one temporary directory per session
    (archives built once per module keep their key across tests)."""
    keys = tmp_path_factory.mktemp("keys")
    previous = os.environ.get("CABLEGRAM_KEY_DIR")
    os.environ["CABLEGRAM_KEY_DIR"] = str(keys)
    yield keys
    if previous is None:
        del os.environ["CABLEGRAM_KEY_DIR"]
    else:
        os.environ["CABLEGRAM_KEY_DIR"] = previous


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The shared material; skipped when absent, but an error under CI=true."""
    if not (SHARED / "corpus").is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{SHARED} is missing: CI must run the tests that need ../shared")
        pytest.skip(f"{SHARED} is absent (tests that need ../shared are skipped)")
    return SHARED


@pytest.fixture(scope="session")
def seed_text(shared_dir: Path) -> str:
    return (shared_dir / "corpus" / "seed-07MOSCOW1002.txt").read_text(encoding="utf-8")
