"""The progress bar's document count: per format, across chunk boundaries, and where it
gives up (stdin, JSON arrays) or counts nothing (unreadable files)."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cablegram.archive.precount import JSON_OBJECT_LINE, count_documents, count_line_starts


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        pytest.param("a.txt", "UNCLAS STATE 000001\n\n1. (U) Text.\n", 1, id="text"),
        pytest.param("a.html", "<html><pre>UNCLAS</pre></html>", 1, id="html"),
        pytest.param("a.jsonl", '{"text": "a"}\n\n{"text": "b"}\n  {"text": "c"}', 3, id="jsonl"),
        pytest.param("a.json", '[{"text": "a"}, {"text": "b"}]', None, id="json-array"),
        # Rows of the Cablegate dump span lines; a content line may start with a quote.
        pytest.param(
            "cables.csv",
            '"1","12/28/1966 18:48","66BUENOSAIRES2481","E","U","","P R 281848Z\nFM X",'
            '"UNCLAS\n\\"2\\", he said\n"\n"2","2/25/1972 9:30","72TEHRAN1164","E","U","",'
            '"H","C"\n',
            2,
            id="csv-dump",
        ),
        pytest.param("a.jsonl", "\x00\x01binary", 0, id="binary"),
    ],
)
def test_counts_per_format(tmp_path: Path, name: str, content: str, expected: int | None) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert count_documents([path]) == expected


def test_directories_gzip_and_missing_files(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "one.txt").write_text("UNCLAS", encoding="utf-8")
    with gzip.open(tmp_path / "d" / "two.jsonl.gz", "wt", encoding="utf-8") as out:
        out.write('{"text": "a"}\n{"text": "b"}\n')
    assert count_documents([tmp_path / "d", tmp_path / "missing.txt"]) == 3


def test_stdin_is_not_counted() -> None:
    assert count_documents([Path("-")]) is None


@pytest.mark.shared
def test_the_shared_formats(shared_dir: Path) -> None:
    corpus = shared_dir / "corpus"
    # 2,979 records in the sample; the CSV sample holds 2 rows; 6 WikiLeaks pages.
    assert count_documents([corpus / "cablegate-sample.jsonl.gz"]) == 2_979
    assert count_documents([corpus / "formats"]) == 2 + 6


@given(
    lengths=st.lists(st.integers(0, 40), max_size=30),
    blank=st.lists(st.booleans(), max_size=30),
    chunk=st.integers(1, 50),
)
def test_chunk_boundaries_do_not_change_the_count(
    lengths: list[int], blank: list[bool], chunk: int
) -> None:
    lines = []
    for position, length in enumerate(lengths):
        if position < len(blank) and blank[position]:
            lines.append("")
        lines.append(json.dumps({"text": "x" * length}))
    stream = io.BytesIO("\n".join(lines).encode())
    assert count_line_starts(stream, JSON_OBJECT_LINE, chunk) == len(lengths)
