"""Input formats: where users' cables come from, turned into `Document` texts.

Supported (``Format``):

* ``text``: one telegram per file, bare or as Cablegate "header + content" text
  (`cablegram.read.formats.text`);
* ``csv``: the Cablegate ``cables.csv`` dump with its backslash escaping
  (`cablegram.read.formats.csv_dump`);
* ``html``: WikiLeaks cable pages (`cablegram.read.formats.html_page`);
* ``jsonl``: JSON Lines with a ``text`` or ``content`` key (`cablegram.read.formats.jsonl`).

``auto`` decides by extension, then by content (`cablegram.read.formats.detect`). Files may
be gzipped; ``-`` is stdin; input must be UTF-8 (`cablegram.read.formats.source`).
"""

from cablegram.read.formats.detect import detect_format
from cablegram.read.formats.document import Document, Format, FormatError
from cablegram.read.formats.reader import iter_paths, read_documents

__all__ = ["Document", "Format", "FormatError", "detect_format", "iter_paths", "read_documents"]
