"""The Cablegate cables.csv reader: the shared sample, hand-made escaping cases, a property."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cablegram.read.formats import Format, FormatError, read_documents
from cablegram.read.formats.csv_dump import iter_rows, read_csv_dump


def test_shared_sample_gives_two_cables_with_their_ids(shared_dir: Path) -> None:
    sample = shared_dir / "corpus" / "formats" / "cables-csv-sample.csv"
    documents = list(read_documents(sample))
    assert [d.metadata["reference_id"] for d in documents] == [
        "66BUENOSAIRES2481",
        "72TEHRAN1164",
    ]
    assert [d.index for d in documents] == [0, 1]
    first, second = documents
    # The header column comes first: the preamble line, then FM.
    assert first.text.startswith("P R 281848Z DEC 66\nFM AMEMBASSY BUENOS AIRES\n")
    assert second.text.startswith("R 250930Z FEB 72 \nFM AMEMBASSY TEHRAN\n")
    # Then a blank line and the content column.
    assert "\nSTATE GRNC\n\nUNCLASSIFIED BUENOS AIRES 2481" in first.text
    assert first.metadata["date"] == "12/28/1966 18:48"
    assert first.metadata["classification"] == "UNCLASSIFIED"
    assert second.metadata["references"] == "72MOSCOW1603|72TEHRAN1091|72TEHRAN263"
    assert set(first.metadata) == {
        "id",
        "date",
        "reference_id",
        "origin",
        "classification",
        "references",
    }


def test_shared_sample_escapes_are_undone(shared_dir: Path) -> None:
    sample = shared_dir / "corpus" / "formats" / "cables-csv-sample.csv"
    first, second = read_documents(sample)
    assert 'OF "PREFERENTIAL JURISDICTION" FOR FISHING' in first.text  # \" in 66BUENOSAIRES2481
    assert "IN SHAH'S MIND" in second.text  # \' in 72TEHRAN1164
    assert "\\" not in first.text + second.text


def rows(text: str) -> list[list[str]]:
    return [fields for _, fields in iter_rows("test.csv", io.StringIO(text))]


@pytest.mark.parametrize(
    ("dump", "expected"),
    [
        pytest.param('"a \\"b\\" c","d"\n', [['a "b" c', "d"]], id="escaped-quotes"),
        pytest.param('"C:\\\\","x"\n', [["C:\\", "x"]], id="escaped-backslash-before-close"),
        pytest.param('"\\\\\\"","x"\n', [['\\"', "x"]], id="backslash-then-quote"),
        pytest.param('"SHAH\\\'S"\n', [["SHAH'S"]], id="escaped-apostrophe"),
        pytest.param('"a, b","c"\n', [["a, b", "c"]], id="comma-inside"),
        pytest.param('"line 1\nline 2\n","x"\n', [["line 1\nline 2\n", "x"]], id="newlines-inside"),
        pytest.param('"",""\n', [["", ""]], id="empty-quoted"),
        pytest.param('1,2/25/1972 9:30,"x"\n', [["1", "2/25/1972 9:30", "x"]], id="bare-fields"),
        pytest.param('"a","b"\n"c","d"\n', [["a", "b"], ["c", "d"]], id="two-rows"),
        pytest.param('"a","b"\n\n\n"c","d"', [["a", "b"], ["c", "d"]], id="blank-lines-no-eol"),
        pytest.param('"a\\\nb"\n', [["a\nb"]], id="escaped-newline"),
    ],
)
def test_row_tokenizer(dump: str, expected: list[list[str]]) -> None:
    assert rows(dump) == expected


@pytest.mark.parametrize(
    ("dump", "message"),
    [
        pytest.param('"a","b\n\n', "line 1: quoted field never closed", id="unterminated"),
        pytest.param('"a"\n"b\\', "line 2: quoted field never closed", id="dangling-escape"),
        pytest.param('"a"x,"b"\n', "line 1: unexpected 'x' after a closing quote", id="junk"),
    ],
)
def test_syntax_errors_name_file_and_line(dump: str, message: str) -> None:
    with pytest.raises(FormatError, match=f"^test.csv: {message}$"):
        rows(dump)


def test_row_with_wrong_number_of_columns_is_an_error() -> None:
    dump = '"1","date","66X1","o","U","","h","c"\n\n"2","only three","x"\n'
    documents = read_csv_dump("dump.csv", io.StringIO(dump))
    assert next(documents).metadata["reference_id"] == "66X1"
    with pytest.raises(FormatError, match=r"^dump.csv: line 3: expected 8 fields .*found 3$"):
        next(documents)


def test_row_without_header_gives_the_content_alone() -> None:
    dump = '"1","d","66X1","o","U","","  \n","UNCLAS STATE 000001\n"\n'
    (document,) = read_csv_dump("dump.csv", io.StringIO(dump))
    assert document.text == "UNCLAS STATE 000001"


class _Trickle(io.StringIO):
    """A stream that returns at most ``step`` characters per read, to cross chunk borders."""

    def __init__(self, text: str, step: int) -> None:
        super().__init__(text)
        self._step = step

    def read(self, size: int | None = -1) -> str:
        limit = self._step if size is None or size < 0 else min(size, self._step)
        return super().read(limit)


class _FailsAfter(io.StringIO):
    """A stream that raises once its text is used up, instead of reporting the end."""

    def read(self, size: int | None = -1) -> str:
        chunk = super().read(size)
        if not chunk:
            raise AssertionError("read past the first row: the reader does not stream")
        return chunk


def test_rows_are_produced_before_the_rest_is_read() -> None:
    dump = '"1","d","66X1","o","U","","h","c"\n'
    documents = read_csv_dump("dump.csv", _FailsAfter(dump))
    assert next(documents).metadata["reference_id"] == "66X1"


def dump_field(value: str, escape_apostrophes: bool) -> str:
    """A field as the Cablegate dump writes it: quoted, with backslash escapes."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    if escape_apostrophes:
        escaped = escaped.replace("'", "\\'")
    return f'"{escaped}"'


field_values = st.text(alphabet=st.characters(codec="utf-8"), max_size=40)


@given(
    table=st.lists(st.lists(field_values, min_size=2, max_size=8), min_size=1, max_size=6),
    escape_apostrophes=st.booleans(),
    step=st.integers(min_value=1, max_value=7),
    line_end=st.sampled_from(["\n", ""]),
)
def test_dump_escaping_round_trips(
    table: list[list[str]], escape_apostrophes: bool, step: int, line_end: str
) -> None:
    dump = "\n".join(",".join(dump_field(v, escape_apostrophes) for v in row) for row in table)
    parsed = [fields for _, fields in iter_rows("p.csv", _Trickle(dump + line_end, step))]
    assert parsed == table


def test_format_can_be_forced_on_any_name(tmp_path: Path) -> None:
    path = tmp_path / "cables.dump"
    path.write_text('"1","d","66X1","o","U","","h","c"\n', encoding="utf-8")
    (document,) = read_documents(path, Format.CSV)
    assert document.text == "h\n\nc"
