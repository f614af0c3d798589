"""Writing a synthetic corpus as JSON Lines, the form `cablegram.read.formats` reads.

One ``{"reference_id", "released", "text"}`` object a line (`SyntheticCable.record`), UTF-8,
``\\n`` line ends, written as the cables are generated. A path ending in ``.gz`` is
gzipped with a zero timestamp and no file name in the header, so that the bytes depend on
the seed only; ``-`` is standard output.
"""

from __future__ import annotations

import gzip
import io
import json
import sys
from collections.abc import Iterable
from contextlib import ExitStack
from pathlib import Path
from typing import TextIO

from cablegram.synth.generator import SyntheticCable

STDOUT = Path("-")


def write_jsonl(cables: Iterable[SyntheticCable], path: Path) -> int:
    """Write ``cables`` to ``path``; returns how many were written."""
    written = 0
    with ExitStack() as stack:
        stream: TextIO
        if path == STDOUT:
            stream = sys.stdout
        elif path.suffix == ".gz":
            raw = stack.enter_context(path.open("wb"))
            compressed = stack.enter_context(gzip.GzipFile("", "wb", fileobj=raw, mtime=0))
            stream = stack.enter_context(io.TextIOWrapper(compressed, "utf-8", newline="\n"))
        else:
            stream = stack.enter_context(path.open("w", encoding="utf-8", newline="\n"))
        for cable in cables:
            stream.write(json.dumps(cable.record(), ensure_ascii=False) + "\n")
            written += 1
    return written
