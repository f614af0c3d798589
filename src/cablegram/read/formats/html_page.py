"""WikiLeaks Cablegate cable pages (``shared/corpus/formats/html/*.html``).

A page carries the cable in two ``<pre>`` blocks (each inside ``<code>``): the header
(envelope) and the content. Line breaks are written as ``&#x000A;`` entities, TAGS are
links (``<a href='/tag/PARM_0.html'>PARM</a>``), and the viewer adds a pilcrow link before
numbered paragraphs (``<a id='par1' href='#par1'>¶</a>1. (C) ...``). The text here undoes
the entities, keeps the text of ordinary links, drops the pilcrow links (they are the
viewer's, not the cable's) and joins the blocks with a blank line, which gives the text of
the JSON Lines sample's ``text`` field (that sample keeps some pilcrows, e.g. the
``¶B.`` before a second reference in 08ANKARA537; the parser removes those).

Some pages show the publisher's own database glitches and are passed on as they are: the
content block of 07BERN113 holds a whole tab-separated database row with a backslash
before each line end, and 05BOGOTA1775's holds a CSV row after the note "This record is a
partial extract of the original cable". The JSON Lines sample has the same text.

The ``table.cable`` under the blocks gives metadata: ``reference_id``, ``created``,
``released``, ``classification`` and ``origin`` (the column headings in snake case).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TextIO

from selectolax.lexbor import LexborHTMLParser, LexborNode

from cablegram.read.formats.document import Document, FormatError

_PARAGRAPH_LINK_PREFIX = "#par"


def read_html_page(name: str, stream: TextIO) -> Iterator[Document]:
    tree = LexborHTMLParser(stream.read())
    blocks = [_block_text(pre) for pre in tree.css("pre")]
    if not any(block.strip() for block in blocks):
        raise FormatError(f"{name}: no cable text (no <pre> block) in the HTML page")
    yield Document(name, 0, "\n\n".join(blocks), _metadata(tree))


def _block_text(pre: LexborNode) -> str:
    for link in pre.css("a"):
        if (link.attributes.get("href") or "").startswith(_PARAGRAPH_LINK_PREFIX):
            link.decompose()
        else:
            link.unwrap()
    return pre.text(deep=True)


def _metadata(tree: LexborHTMLParser) -> dict[str, str]:
    table = tree.css_first("table.cable")
    if table is None:
        return {}
    headings = [_snake_case(cell.text(strip=True)) for cell in table.css("th")]
    rows = table.css("tr")
    values = rows[1].css("td") if len(rows) > 1 else []
    return {
        heading: cell.text(strip=True)
        for heading, cell in zip(headings, values, strict=False)
        if heading
    }


def _snake_case(heading: str) -> str:
    return "_".join(heading.lower().split())
