"""Reading documents from files, directories and stdin, whatever their format."""

from __future__ import annotations

import os
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TextIO

from cablegram.read.formats.csv_dump import read_csv_dump
from cablegram.read.formats.detect import detect_format
from cablegram.read.formats.document import Document, Format, FormatError
from cablegram.read.formats.html_page import read_html_page
from cablegram.read.formats.jsonl import read_json_lines
from cablegram.read.formats.source import STDIN, decode_error_message, display_name, open_source
from cablegram.read.formats.text import read_text

_READERS: dict[Format, Callable[[str, TextIO], Iterator[Document]]] = {
    Format.TEXT: read_text,
    Format.CSV: read_csv_dump,
    Format.HTML: read_html_page,
    Format.JSONL: read_json_lines,
}


def read_documents(path: Path | str, format: Format = Format.AUTO) -> Iterator[Document]:
    """The cables in ``path`` (``-`` for stdin), in file order, read lazily.

    Raises `FormatError` (possibly after some documents of a CSV or JSON Lines file have
    been produced) when the file cannot be opened, is binary or compressed wrongly, is not
    UTF-8, or does not follow its format.
    """
    name = display_name(path)
    try:
        with open_source(path) as source:
            chosen = detect_format(str(path), source.head) if format is Format.AUTO else format
            yield from _READERS[chosen](name, source.text)
    except UnicodeDecodeError as error:
        raise FormatError(decode_error_message(name, error)) from None
    except (OSError, EOFError, zlib.error) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error
        raise FormatError(f"{name}: cannot read: {reason}") from None


def iter_paths(paths: Iterable[Path]) -> Iterator[Path]:
    """Files to read: each path as given, with directories replaced by the files below them.

    Directory contents are sorted by path components, so each directory's files stay
    together (``a/z.txt`` before ``a.txt``); hidden files and directories (names starting
    with ``.``) inside them are skipped. Paths named explicitly are always kept, even when
    missing, so that reading them reports the problem.
    """
    for path in paths:
        if str(path) != STDIN and path.is_dir():
            yield from sorted(_files_below(path), key=lambda found: found.parts)
        else:
            yield path


def _files_below(directory: Path) -> Iterator[Path]:
    for root, directories, files in os.walk(directory):
        directories[:] = [name for name in directories if not name.startswith(".")]
        for name in files:
            if not name.startswith("."):
                yield Path(root, name)
