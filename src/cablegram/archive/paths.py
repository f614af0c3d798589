"""Where an archive lives: ``--archive DIR``, else ``$CABLEGRAM_ARCHIVE``, else the
per-user data directory (``$XDG_DATA_HOME/cablegram``, ``~/.local/share/cablegram``)."""

from __future__ import annotations

import os
from pathlib import Path


def default_archive() -> Path:
    explicit = os.environ.get("CABLEGRAM_ARCHIVE")
    if explicit:
        return Path(explicit)
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "cablegram"


def resolve(archive: Path | None) -> Path:
    return archive if archive is not None else default_archive()
