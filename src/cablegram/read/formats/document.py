"""What a format reader produces: documents (cable text + the container's metadata).

A `Document` is one cable's text as found in a file, before parsing. ``metadata`` holds
what the container says about the cable (the Cablegate CSV columns, the WikiLeaks page's
table, the other keys of a JSON object); the parser never reads it, because the cable text
is the authority and the containers disagree with it (the WikiLeaks table of 07BERN113 gives
17:05 for a cable whose DTG is 051715Z).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass


class Format(enum.Enum):
    """Input formats; AUTO picks one from the file name, then from the content."""

    AUTO = "auto"
    TEXT = "text"
    CSV = "csv"
    HTML = "html"
    JSONL = "jsonl"


@dataclass(frozen=True)
class Document:
    path: str
    """The file as named by the user; ``<stdin>`` for standard input."""
    index: int
    """0-based position of the cable within its file."""
    text: str
    """The cable text with ``\\n`` line ends."""
    metadata: Mapping[str, str]


class FormatError(Exception):
    """A file that cannot be read as cables; the message is one line naming the file."""
