"""The Cablegate ``cables.csv`` dump, read row by row.

Layout (``shared/corpus/formats/cables-csv-sample.csv``): no header row; eight columns
``id, date, reference_id, origin, classification, references, header, content``, e.g.
``"1","12/28/1966 18:48","66BUENOSAIRES2481","Embassy Buenos Aires","UNCLASSIFIED",
"66STATE106206","P R 281848Z DEC 66...","UNCLASSIFIED BUENOS AIRES 2481..."``. ``references``
joins cable ids with ``|`` (``72MOSCOW1603|72TEHRAN1091|72TEHRAN263``).

Quoting is MySQL's ``INTO OUTFILE`` style, not RFC 4180: fields are enclosed in ``"``,
a backslash escapes the next character (``\\"`` and ``\\'`` in the sample, ``\\\\`` for a
backslash), and newlines inside fields are written as they are, so one row spans many
lines. Python's `csv` module treats ``\\"`` as the end of the field and splits rows in the
wrong places, hence this reader: a cursor over chunks of text that jumps from one quote or
backslash to the next, keeping only the current row in memory. Unquoted fields (up to the
next comma or line end) are accepted too.

A document's text is the header, a blank line and the content, each stripped of
surrounding whitespace, as in the JSON Lines sample's ``text`` field (which differs only
where the publisher rewrote lines: its TAGS drop the commas, ``TAGS: EFIS PBTS AR`` for the
dump's ``TAGS: EFIS, PBTS, AR`` in 66BUENOSAIRES2481). The other six columns are metadata
under the names above.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TextIO

from cablegram.read.formats.document import Document, FormatError

COLUMNS = (
    "id",
    "date",
    "reference_id",
    "origin",
    "classification",
    "references",
    "header",
    "content",
)
_QUOTED_STOP = re.compile(r'["\\]')
_BARE_STOP = re.compile(r"[,\n]")
_CHUNK_SIZE = 1 << 16


def read_csv_dump(name: str, stream: TextIO) -> Iterator[Document]:
    for index, (line, fields) in enumerate(iter_rows(name, stream)):
        if len(fields) != len(COLUMNS):
            raise FormatError(
                f"{name}: line {line}: expected {len(COLUMNS)} fields "
                f"({', '.join(COLUMNS)}), found {len(fields)}"
            )
        record = dict(zip(COLUMNS, fields, strict=True))
        text = _join(record.pop("header"), record.pop("content"))
        yield Document(name, index, text, record)


def iter_rows(name: str, stream: TextIO) -> Iterator[tuple[int, list[str]]]:
    """Each row's first line number (1-based) and its unescaped fields, in file order."""
    cursor = _Cursor(stream)
    while True:
        while cursor.peek() == "\n":  # blank lines between rows
            cursor.advance()
        if not cursor.peek():
            return
        line = cursor.line
        try:
            fields = _row(cursor)
        except _SyntaxError as error:
            raise FormatError(f"{name}: line {error.line}: {error}") from None
        yield line, fields


def _join(header: str, content: str) -> str:
    header = header.strip()
    content = content.strip()
    return f"{header}\n\n{content}" if header else content


class _SyntaxError(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


class _Cursor:
    """Reads text chunk by chunk; holds only the unread rest of the current chunk."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._buffer = ""
        self._position = 0
        self.line = 1

    def peek(self) -> str:
        """The next character, or ``""`` at the end of the input."""
        if self._position >= len(self._buffer) and not self._fill():
            return ""
        return self._buffer[self._position]

    def advance(self) -> None:
        if self._buffer[self._position] == "\n":
            self.line += 1
        self._position += 1

    def take_until(self, stop: re.Pattern[str]) -> str:
        """Consume and return the text before the next match of ``stop`` (or the end)."""
        pieces = []
        while True:
            match = stop.search(self._buffer, self._position)
            end = match.start() if match else len(self._buffer)
            piece = self._buffer[self._position : end]
            self.line += piece.count("\n")
            pieces.append(piece)
            self._position = end
            if match or not self._fill():
                return "".join(pieces)

    def _fill(self) -> bool:
        chunk = self._stream.read(_CHUNK_SIZE)
        if not chunk:
            return False
        self._buffer = self._buffer[self._position :] + chunk
        self._position = 0
        return True


def _row(cursor: _Cursor) -> list[str]:
    """The fields of the row starting at the cursor, which is not at the end."""
    fields = []
    while True:
        if cursor.peek() == '"':
            fields.append(_quoted_field(cursor))
        else:
            fields.append(cursor.take_until(_BARE_STOP))
        separator = cursor.peek()
        if separator == ",":
            cursor.advance()
        elif separator == "\n":
            cursor.advance()
            return fields
        elif not separator:
            return fields
        else:
            raise _SyntaxError(cursor.line, f"unexpected {separator!r} after a closing quote")


def _quoted_field(cursor: _Cursor) -> str:
    start_line = cursor.line
    cursor.advance()
    pieces = []
    while True:
        pieces.append(cursor.take_until(_QUOTED_STOP))
        stop = cursor.peek()
        if stop == '"':
            cursor.advance()
            return "".join(pieces)
        if not stop:
            break
        cursor.advance()
        escaped = cursor.peek()
        if not escaped:
            break
        pieces.append(escaped)
        cursor.advance()
    raise _SyntaxError(start_line, "quoted field never closed")
