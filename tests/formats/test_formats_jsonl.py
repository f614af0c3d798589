"""JSON Lines: the shared sample and hand-written objects."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from cablegram.read.formats import FormatError, read_documents
from cablegram.read.formats.jsonl import read_json_lines


def test_shared_sample_gives_every_cable(shared_dir: Path) -> None:
    documents = read_documents(shared_dir / "corpus" / "cablegate-sample.jsonl.gz")
    first = next(documents)
    assert first.metadata["reference_id"] == "66BUENOSAIRES2481"
    assert first.metadata["origin"] == "Embassy Buenos Aires"
    assert json.loads(first.metadata["tags"]) == ["EFIS", "PBTS", "AR"]
    assert "text" not in first.metadata
    assert first.text.startswith("P R 281848Z DEC 66\nFM AMEMBASSY BUENOS AIRES\n")
    # The common brief gives the sample's size: 2,979 cables.
    assert 1 + sum(1 for _ in documents) == 2979


def read(text: str) -> list[tuple[int, str, dict[str, str]]]:
    return [
        (d.index, d.text, dict(d.metadata)) for d in read_json_lines("in.jsonl", io.StringIO(text))
    ]


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        pytest.param(
            '{"reference_id": "07X1", "text": "UNCLAS X"}\n',
            [(0, "UNCLAS X", {"reference_id": "07X1"})],
            id="text-key",
        ),
        pytest.param(
            '{"content": "UNCLAS X", "id": 7}\n',
            [(0, "UNCLAS X", {"id": "7"})],
            id="content-key-number-as-json",
        ),
        pytest.param(
            '{"text": "A", "content": "B", "note": null, "ok": true}\n',
            [(0, "A", {"content": "B", "ok": "true"})],
            id="text-wins-null-dropped",
        ),
        pytest.param(
            '{"text": null, "content": "B"}\n',
            [(0, "B", {})],
            id="null-text-falls-back-to-content",
        ),
        pytest.param(
            '\n{"text": "A"}\n   \n{"text": "B", "tags": ["PREL", "RS"]}',
            [(0, "A", {}), (1, "B", {"tags": '["PREL", "RS"]'})],
            id="blank-lines-and-list",
        ),
        pytest.param(
            ' [{"text": "A"},\n {"text": "B"}]',
            [(0, "A", {}), (1, "B", {})],
            id="json-array",
        ),
        pytest.param(
            '{"text": "SUBJECT: CAF\\u00c9 \\u2028 LINE"}',
            [(0, "SUBJECT: CAFÉ \u2028 LINE", {})],
            id="unicode",
        ),
        pytest.param("", [], id="empty"),
    ],
)
def test_objects(lines: str, expected: list[tuple[int, str, dict[str, str]]]) -> None:
    assert read(lines) == expected


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        pytest.param('{"text": "A"}\n{"text": \n', r"line 2: not JSON \(", id="broken-line"),
        pytest.param('{"text": "A"}\n\n["A"]\n', "line 3: expected a JSON object", id="not-object"),
        pytest.param('{"body": "A"}\n', "line 1: no text or content string", id="no-text"),
        pytest.param('[{"text": "A"}, 3]', "item 1: expected a JSON object", id="array-item"),
        pytest.param('[{"text": "A"},\n', r"line 2: not JSON \(", id="broken-array"),
    ],
)
def test_errors_name_the_line(lines: str, message: str) -> None:
    with pytest.raises(FormatError, match=f"^in.jsonl: {message}"):
        read(lines)
