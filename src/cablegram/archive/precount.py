"""A cheap count of the documents in ingest's inputs, for the progress bar's total and ETA.

Counting reads the bytes once without decoding or parsing (gunzipping when needed), which
costs a few per cent of an ingest, and runs beside it in a thread. Per format
(`cablegram.read.formats`):

* text and HTML: one document per file;
* JSON Lines: lines that start with ``{`` (blank lines are not documents); a file holding
  one JSON array is not counted (the total stays unknown);
* the Cablegate CSV dump: lines that start a row, ``"<number>",`` (rows span many lines,
  but a line of cable text never starts with a quoted number followed by a comma).

A file that cannot be read counts zero documents (ingest reports it). The count is an
estimate: it is only shown, never relied on.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from cablegram.read.formats import Format, FormatError, detect_format, iter_paths
from cablegram.read.formats.source import STDIN, open_source

JSON_OBJECT_LINE = re.compile(rb"\n[ \t]*\{")
CSV_ROW_START = re.compile(rb'\n"\d+",')
_CHUNK = 1 << 20


def count_documents(paths: Iterable[Path]) -> int | None:
    """The documents in ``paths`` (as `cablegram.archive.ingest.ingest` reads them), or
    None when some input cannot be counted cheaply (stdin, a JSON array)."""
    total = 0
    for path in iter_paths(paths):
        found = _count(path)
        if found is None:
            return None
        total += found
    return total


def _count(path: Path) -> int | None:
    if str(path) == STDIN:
        return None
    try:
        with open_source(path) as source:
            chosen = detect_format(str(path), source.head)
            if chosen in (Format.TEXT, Format.HTML):
                return 1
            if chosen is Format.JSONL:
                if source.head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"["):
                    return None
                return count_line_starts(source.text.buffer, JSON_OBJECT_LINE)
            return count_line_starts(source.text.buffer, CSV_ROW_START)
    except (FormatError, OSError, EOFError, zlib.error):
        return 0


def count_line_starts(
    stream: BinaryIO, pattern: re.Pattern[bytes], chunk_size: int = _CHUNK
) -> int:
    """Matches of ``pattern`` (which starts with a line feed and holds no other) in the
    stream, as if it were preceded by a line feed."""
    count = 0
    pending = b"\n"
    while chunk := stream.read(chunk_size):
        data = pending + chunk
        # A match starting before the last line feed ends before it: count those now and
        # keep the last line for the next chunk.
        last = data.rfind(b"\n")
        count += len(pattern.findall(data, 0, last))
        pending = data[last:]
    return count + len(pattern.findall(pending))
