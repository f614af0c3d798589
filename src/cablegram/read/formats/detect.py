"""Choosing a format: by the file name's extension first, then by the first bytes.

Extensions (after stripping ``.gz``): ``.csv`` CSV; ``.html``/``.htm`` HTML;
``.jsonl``/``.ndjson``/``.json`` JSON Lines; ``.txt`` text. Anything else (``-`` for stdin,
``.eml``, no extension) is sniffed:

* an HTML page starts with ``<`` and names ``<html`` or ``<!doctype`` near the top (the
  WikiLeaks pages start with an XML declaration);
* JSON Lines start with ``{`` (or ``[`` for a JSON array of objects);
* the Cablegate CSV dump starts with a double-quoted field followed by a comma
  (``"1","12/28/1966 18:48","66BUENOSAIRES2481",...``), which no cable text does;
* everything else is cable text.
"""

from __future__ import annotations

import os
import re

from cablegram.read.formats.document import Format

_BY_EXTENSION = {
    ".csv": Format.CSV,
    ".html": Format.HTML,
    ".htm": Format.HTML,
    ".jsonl": Format.JSONL,
    ".ndjson": Format.JSONL,
    ".json": Format.JSONL,
    ".txt": Format.TEXT,
}
_CSV_START = re.compile(r'"(?:[^"\\\n]|\\.)*",')
_HTML_MARKERS = ("<html", "<!doctype html")


def detect_format(path: str, head: bytes) -> Format:
    """The format of a file named ``path`` whose (decompressed) content starts with ``head``."""
    stem, extension = os.path.splitext(path.lower())
    if extension == ".gz":
        extension = os.path.splitext(stem)[1]
    known = _BY_EXTENSION.get(extension)
    if known is not None:
        return known
    return _sniff(head.decode("utf-8", errors="ignore").lstrip("\ufeff \t\r\n"))


def _sniff(start: str) -> Format:
    if start.startswith("<") and any(marker in start.lower() for marker in _HTML_MARKERS):
        return Format.HTML
    if start.startswith(("{", "[")):
        return Format.JSONL
    if _CSV_START.match(start):
        return Format.CSV
    return Format.TEXT
