"""WikiLeaks cable pages: the cable text, without markup, matching the JSON Lines sample."""

from __future__ import annotations

import gzip
import io
import json
import re
from pathlib import Path

import pytest

from cablegram.read.formats import FormatError, read_documents
from cablegram.read.formats.html_page import read_html_page

PAGES = [
    "05BOGOTA1775",  # partial extract; the content block holds a CSV row
    "07BERN113",  # the content block holds a tab-separated database row
    "08ANKARA537",  # pilcrow link before the second REF letter
    "08BRASILIA1312",
    "09TRIPOLI941",
    "10ANKARA302",
]


@pytest.fixture(scope="module")
def sample_texts(shared_dir: Path) -> dict[str, str]:
    path = shared_dir / "corpus" / "cablegate-sample.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        records = (json.loads(line) for line in lines)
        return {r["reference_id"]: r["text"] for r in records if r["reference_id"] in PAGES}


def page(shared_dir: Path, cable_id: str) -> Path:
    return shared_dir / "corpus" / "formats" / "html" / f"{cable_id}.html"


@pytest.mark.parametrize("cable_id", PAGES)
def test_page_gives_the_cable_text_without_markup(shared_dir: Path, cable_id: str) -> None:
    (document,) = read_documents(page(shared_dir, cable_id))
    # ``TAGS PREL, PGOV, ...`` without the colon in 09TRIPOLI941
    assert re.search(r"^TAGS:? [A-Z]{2,}", document.text, re.MULTILINE)
    assert re.search(r"^SUBJECT: [A-Z]", document.text, re.MULTILINE)
    assert not re.search(r"</?[a-zA-Z][^>]*>", document.text)
    assert not re.search(r"&(#x?[0-9a-fA-F]+|[a-zA-Z]+);", document.text)
    assert "¶" not in document.text
    assert document.metadata["reference_id"] == cable_id
    assert document.index == 0


@pytest.mark.parametrize("cable_id", PAGES)
def test_page_has_the_words_of_the_sample_cable(
    shared_dir: Path, sample_texts: dict[str, str], cable_id: str
) -> None:
    (document,) = read_documents(page(shared_dir, cable_id))
    # The sample kept some of the viewer's pilcrows (``¶B. ANKARA 513``); they are not words.
    expected = sample_texts[cable_id].replace("¶", "").split()
    assert document.text.split() == expected


def test_page_metadata_comes_from_the_cable_table(shared_dir: Path) -> None:
    (document,) = read_documents(page(shared_dir, "09TRIPOLI941"))
    assert document.metadata == {
        "reference_id": "09TRIPOLI941",
        "created": "2009-11-30 17:05",
        "released": "2011-03-22 00:12",
        "classification": "SECRET//NOFORN",
        "origin": "Embassy Tripoli",
    }


def test_header_and_content_blocks_keep_their_line_breaks(shared_dir: Path) -> None:
    (document,) = read_documents(page(shared_dir, "08BRASILIA1312"))
    assert document.text.startswith("VZCZCXYZ0000\nRR RUEHWEB\n\nDE RUEHBR #1312 2771104\n")
    assert "RUEHNO/USMISSION USNATO BRUSSELS BE\n\nC O N F I D E N T I A L BRASILIA" in (
        document.text
    )


HAND_MADE_PAGE = """<html><body>
<table class='cable'><tr><th>Reference ID</th><th>Created</th></tr>
<tr><td><a href='/cable/x.html'>09STATE1</a></td><td>2009-01-01 10:10</td></tr></table>
<code><pre>UNCLAS STATE 000001&#x000A;&#x000A;TAGS: <a href='/tag/PREL_0.html'>PREL</a>&#x000A;\
SUBJECT: AT&amp;T &lt;AND&gt; &quot;FRIENDS&quot;&#x000A;&#x000A;\
<a id='par1' href='#par1'>¶</a>1. (U) Text.</pre></code>
</body></html>"""


def test_hand_made_page_entities_and_links() -> None:
    (document,) = read_html_page("page.html", io.StringIO(HAND_MADE_PAGE))
    assert document.text == (
        'UNCLAS STATE 000001\n\nTAGS: PREL\nSUBJECT: AT&T <AND> "FRIENDS"\n\n1. (U) Text.'
    )
    assert document.metadata == {"reference_id": "09STATE1", "created": "2009-01-01 10:10"}


def test_page_without_cable_text_is_an_error() -> None:
    with pytest.raises(FormatError, match=r"^page.html: no cable text"):
        list(read_html_page("page.html", io.StringIO("<html><body><p>Hi</p></body></html>")))
