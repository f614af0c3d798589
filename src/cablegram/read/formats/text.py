"""Plain telegram text: one cable per file.

This covers bare telegrams (``VZCZC...`` envelope, or the text starting at the
classification line) and "Cablegate header+content" text, the form of the JSON Lines
sample's ``text`` field: the envelope, a blank line, then the body; it may start with
WikiLeaks' note "This record is a partial extract of the original cable...". All of it
is passed to the parser unchanged.

A file is never split into several cables: form feeds are page breaks inside a cable, and
rule lines (``=====``) occur inside 21 of the 2,979 sample cables, so neither is a safe
separator. Many cables belong in one JSON Lines or CSV file, or in one file each.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TextIO

from cablegram.read.formats.document import Document, FormatError


def read_text(name: str, stream: TextIO) -> Iterator[Document]:
    text = stream.read()
    if not text.strip():
        raise FormatError(f"{name}: empty file, no cable text")
    yield Document(name, 0, text, {})
