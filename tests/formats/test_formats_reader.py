"""Opening inputs: detection, gzip, stdin, encodings, binary files, directory walks."""

from __future__ import annotations

import gzip
import io
import sys
from pathlib import Path

import pytest

from cablegram.read.formats import Format, FormatError, detect_format, iter_paths, read_documents

TELEGRAM = "UNCLAS STATE 000001\n\nSUBJECT: TEST\n\n1. (U) Text.\n"


@pytest.mark.parametrize(
    ("name", "head", "expected"),
    [
        pytest.param("cables.csv", b"", Format.CSV, id="csv-ext"),
        pytest.param("CABLES.CSV.GZ", b"", Format.CSV, id="csv-gz-upper"),
        pytest.param("07BERN113.html", b"", Format.HTML, id="html-ext"),
        pytest.param("page.htm", b"", Format.HTML, id="htm-ext"),
        pytest.param("sample.jsonl.gz", b"", Format.JSONL, id="jsonl-gz"),
        pytest.param("export.json", b"", Format.JSONL, id="json-ext"),
        pytest.param("export.ndjson", b"", Format.JSONL, id="ndjson-ext"),
        pytest.param("seed.txt", b'{"text": ""}', Format.TEXT, id="extension-beats-content"),
        pytest.param(
            "-", b"<?xml version='1.0' ?>\n<!DOCTYPE html PUBLIC", Format.HTML, id="sniff-html"
        ),
        pytest.param("-", b'\xef\xbb\xbf {"text": "x"}', Format.JSONL, id="sniff-jsonl-bom"),
        pytest.param("-", b'[{"text": "x"}]', Format.JSONL, id="sniff-json-array"),
        # cables.csv sample, first row
        pytest.param("dump", b'"1","12/28/1966 18:48","66BUENOSAIRES2481"', Format.CSV, id="csv"),
        pytest.param("seed.eml", b"VZCZCXYZ0000\nPP RUEHWEB\n", Format.TEXT, id="sniff-text"),
        pytest.param("dir.v2/cable", b'"QUOTED" TITLE, NOT CSV', Format.TEXT, id="quote-text"),
    ],
)
def test_detect_format(name: str, head: bytes, expected: Format) -> None:
    assert detect_format(name, head) is expected


def test_text_file_is_one_document(tmp_path: Path) -> None:
    path = tmp_path / "cable.txt"
    path.write_text(TELEGRAM, encoding="utf-8")
    (document,) = read_documents(path)
    assert document.path == str(path)
    assert document.index == 0
    assert document.text == TELEGRAM
    assert document.metadata == {}


def test_line_ends_and_byte_order_mark_are_normalised(tmp_path: Path) -> None:
    path = tmp_path / "cable.txt"
    path.write_bytes(b"\xef\xbb\xbfUNCLAS STATE 000001\r\n\r\nSUBJECT: TEST\rEND\r\n")
    (document,) = read_documents(path)
    assert document.text == "UNCLAS STATE 000001\n\nSUBJECT: TEST\nEND\n"


@pytest.mark.parametrize("name", ["cable.txt.gz", "cable.gz", "cable"])
def test_gzip_is_recognised_by_content(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(gzip.compress(TELEGRAM.encode()))
    (document,) = read_documents(path)
    assert document.text == TELEGRAM


def test_gzipped_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "cables.jsonl.gz"
    path.write_bytes(gzip.compress(b'{"text": "A"}\n{"text": "B"}\n'))
    assert [d.text for d in read_documents(path)] == ["A", "B"]


def test_truncated_gzip_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "cable.txt.gz"
    path.write_bytes(gzip.compress(TELEGRAM.encode() * 50)[:40])
    with pytest.raises(FormatError, match=f"^{path}: cannot read: "):
        list(read_documents(path))


def test_binary_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(FormatError, match=f"^{path}: binary file"):
        list(read_documents(path))


def test_control_characters_without_nul_are_binary(tmp_path: Path) -> None:
    path = tmp_path / "noise"
    path.write_bytes(bytes([1, 2, 3, 65, 66, 67, 4, 5]) * 100)
    with pytest.raises(FormatError, match="mostly control characters"):
        list(read_documents(path))


def test_latin1_file_is_refused_with_advice(tmp_path: Path) -> None:
    path = tmp_path / "cable.txt"
    path.write_bytes("SUBJECT: CAFÉ DIPLOMACY\n".encode("latin-1"))
    with pytest.raises(FormatError, match=rf"^{path}: not UTF-8 text \(byte 0xC9\).*iconv"):
        list(read_documents(path))


def test_missing_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "absent.txt"
    with pytest.raises(FormatError, match=f"^{path}: cannot read: No such file"):
        list(read_documents(path))


def test_empty_text_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_text(" \n\n", encoding="utf-8")
    with pytest.raises(FormatError, match=f"^{path}: empty file"):
        list(read_documents(path))


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(gzip.compress(b'{"text": "A"}\n{"text": "B"}\n')))
    monkeypatch.setattr(sys, "stdin", stdin)
    documents = list(read_documents("-"))
    assert [(d.path, d.index, d.text) for d in documents] == [
        ("<stdin>", 0, "A"),
        ("<stdin>", 1, "B"),
    ]
    assert not stdin.closed


def test_stdin_format_can_be_forced(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b'{"text": "A"}')))
    (document,) = read_documents("-", Format.TEXT)
    assert document.text == '{"text": "A"}'


def test_directories_are_walked_in_sorted_order(tmp_path: Path) -> None:
    for relative in ["b.txt", "a/z.txt", "a/b/c.txt", "a.txt", ".hidden.txt", ".git/x.txt"]:
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(TELEGRAM, encoding="utf-8")
    single = tmp_path / ".hidden.txt"
    found = list(iter_paths([tmp_path, single, Path("-")]))
    assert found == [
        tmp_path / "a" / "b" / "c.txt",
        tmp_path / "a" / "z.txt",
        tmp_path / "a.txt",
        tmp_path / "b.txt",
        single,  # named explicitly, so read although hidden
        Path("-"),
    ]


def test_missing_paths_are_kept_for_the_reader_to_report(tmp_path: Path) -> None:
    assert list(iter_paths([tmp_path / "absent"])) == [tmp_path / "absent"]
