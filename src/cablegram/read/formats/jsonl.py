"""JSON Lines: one JSON object per line, the cable text under ``text`` (or ``content``).

The shared sample (``cablegate-sample.jsonl.gz``) has ``reference_id, created, released,
classification, origin, tags, text``. Every key other than the one holding the text becomes
metadata: strings as they are, other values (numbers, booleans, the ``tags`` list) as
compact JSON, so nothing is lost; ``null`` values are left out. Blank lines are skipped.

A file whose first character is ``[`` is read as one JSON array of such objects (loaded
whole: ``.json`` exports are often arrays). Anything else that is not an object per line
is an error naming the line.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

import orjson

from cablegram.read.formats.document import Document, FormatError

TEXT_KEYS = ("text", "content")


def read_json_lines(name: str, stream: TextIO) -> Iterator[Document]:
    first = stream.read(1)
    while first.isspace():
        first = stream.read(1)
    if first == "[":
        return _documents(name, _array(name, "[" + stream.read()))
    return _documents(name, _lines(name, first, stream))


def _lines(name: str, first: str, stream: TextIO) -> Iterator[tuple[str, Any]]:
    for number, line in enumerate(_prepend(first, stream), start=1):
        if not line.strip():
            continue
        yield f"line {number}", _loads(name, number, line)


def _loads(name: str, number: int, line: str) -> Any:
    """orjson first (a corpus of large records reads twice as fast); the standard library
    for what orjson refuses (lone surrogate escapes) and for its error messages."""
    try:
        return orjson.loads(line)
    except orjson.JSONDecodeError:
        pass
    try:
        return json.loads(line)
    except json.JSONDecodeError as error:
        raise FormatError(f"{name}: line {number}: not JSON ({error.msg})") from None


def _prepend(first: str, stream: TextIO) -> Iterator[str]:
    """The stream's lines, with ``first`` (already read) put back in front."""
    lines = iter(stream)
    yield first + next(lines, "")
    yield from lines


def _array(name: str, content: str) -> list[tuple[str, Any]]:
    try:
        values = json.loads(content)
    except json.JSONDecodeError as error:
        raise FormatError(f"{name}: line {error.lineno}: not JSON ({error.msg})") from None
    return [(f"item {position}", value) for position, value in enumerate(values)]


def _documents(name: str, values: Iterable[tuple[str, Any]]) -> Iterator[Document]:
    for index, (where, value) in enumerate(values):
        if not isinstance(value, dict):
            raise FormatError(f"{name}: {where}: expected a JSON object")
        key = next((k for k in TEXT_KEYS if isinstance(value.get(k), str)), None)
        if key is None:
            raise FormatError(f"{name}: {where}: no text or content string")
        metadata = {k: _as_string(v) for k, v in value.items() if k != key and v is not None}
        yield Document(name, index, value[key], metadata)


def _as_string(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
