"""Opening an input: a file or standard input, gunzipped when needed, checked, decoded.

Decoding policy: input must be UTF-8 (a byte-order mark is dropped). Cablegate, the
WikiLeaks pages and the JSON Lines sample are all UTF-8 (mostly ASCII). A file that is not
valid UTF-8 is refused with a message that says how to convert it, rather than guessed as
cp1252 or Latin-1: those code pages accept almost any byte sequence, so a guess would turn a
mis-labelled or binary file into plausible-looking garbage that the parser then reports as
a bad cable. Refusing keeps the error at the file, where the user can fix it.

A file is "binary" when its first 8 KiB hold a NUL byte or more than 10% control
characters other than tab, line feed, form feed and carriage return.

Gzip is recognised by its magic bytes (``1f 8b``), not by the name, so ``-`` (stdin) and
misnamed files work too. Line ends are normalised to ``\\n`` (``\\r\\n`` and ``\\r`` occur in
copies that went through Windows or old Mac tools).
"""

from __future__ import annotations

import gzip
import io
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, TextIO

from cablegram.read.formats.document import FormatError

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

STDIN = "-"
STDIN_NAME = "<stdin>"
HEAD_SIZE = 8192
_GZIP_MAGIC = b"\x1f\x8b"
_TEXT_CONTROLS = frozenset(b"\t\n\x0c\r")
_MAX_CONTROL_SHARE = 0.10


@dataclass(frozen=True)
class Source:
    name: str
    """The name used in documents and error messages."""
    head: bytes
    """Up to `HEAD_SIZE` bytes of the (decompressed) content, for format detection."""
    text: TextIO
    """The decoded content, read lazily."""


def display_name(path: Path | str) -> str:
    return STDIN_NAME if str(path) == STDIN else str(path)


@contextmanager
def open_source(path: Path | str) -> Iterator[Source]:
    """Open ``path`` (``-`` for stdin) for reading; raises `FormatError` for binary files.

    Decoding errors surface later, while reading ``Source.text``, as `UnicodeDecodeError`.
    """
    name = display_name(path)
    with ExitStack() as stack:
        if str(path) == STDIN:
            # The adapter gives peek() to any stdin (a BytesIO in tests), and closing it does
            # not close stdin, which belongs to the process.
            stream: io.BufferedReader | gzip.GzipFile = io.BufferedReader(
                _RawAdapter(sys.stdin.buffer)
            )
        else:
            stream = stack.enter_context(open(path, "rb"))
        if stream.peek(len(_GZIP_MAGIC))[: len(_GZIP_MAGIC)] == _GZIP_MAGIC:
            stream = stack.enter_context(gzip.GzipFile(fileobj=stream, mode="rb"))
        head = stream.peek(HEAD_SIZE)[:HEAD_SIZE]
        problem = binary_reason(head)
        if problem:
            raise FormatError(f"{name}: {problem}")
        text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="strict", newline=None)
        yield Source(name, head, text)


def binary_reason(head: bytes) -> str | None:
    """Why these first bytes are not text, or None when they look like text."""
    if b"\x00" in head:
        return "binary file (contains NUL bytes), not cable text"
    controls = sum(1 for byte in head if byte < 0x20 and byte not in _TEXT_CONTROLS)
    if head and controls / len(head) > _MAX_CONTROL_SHARE:
        return "binary file (mostly control characters), not cable text"
    return None


def decode_error_message(name: str, error: UnicodeDecodeError) -> str:
    byte = error.object[error.start : error.start + 1].hex().upper()
    return (
        f"{name}: not UTF-8 text (byte 0x{byte}); convert it first, "
        "e.g. iconv -f WINDOWS-1252 -t UTF-8"
    )


class _RawAdapter(io.RawIOBase):
    """Presents a binary stream as a raw stream, so `io.BufferedReader` can wrap it."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        view = memoryview(buffer).cast("B")
        data = self._stream.read(len(view))
        view[: len(data)] = data
        return len(data)
