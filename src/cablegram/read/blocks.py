"""Summary, comment and note blocks inside the paragraphs (spec §2.7).

Output field: ``blocks``. ``1. (C) Summary: ... End summary.`` (possibly running over
several paragraphs), ``Comment: ... End comment.``, ``(Note: ... End note.)``.
"""

from __future__ import annotations

import re

from cablegram.model import Block, BlockKind, Paragraph

_STARTS = {
    BlockKind.SUMMARY: re.compile(
        r"^\(?(?:begin\s+)?summary\s*(?:and\s+comment\s*)?[:.\-]+\s*", re.IGNORECASE
    ),
    BlockKind.COMMENT: re.compile(r"^\(?(?:begin\s+)?comment\s*[:.\-]+\s*", re.IGNORECASE),
    BlockKind.NOTE: re.compile(r"^\(?(?:begin\s+)?note\s*[:.\-]+\s*", re.IGNORECASE),
}
#: Where a block ends, searched in lower-cased text (`_end`); the patterns start with a
#: letter, which keeps the search fast (an optional "(" or space before it is trimmed off
#: the text with the rest).
_ENDS = {
    BlockKind.SUMMARY: re.compile(r"end\s+(?:of\s+)?summary\b"),
    BlockKind.COMMENT: re.compile(r"end\s+(?:of\s+)?comment\b"),
    BlockKind.NOTE: re.compile(r"end\s+(?:of\s+)?note\b"),
}
_ENDS_ANY_CASE = {kind: re.compile(end.pattern, re.IGNORECASE) for kind, end in _ENDS.items()}
_MAX_PARAGRAPHS = 6


def blocks(paragraphs: tuple[Paragraph, ...]) -> tuple[Block, ...]:
    found: list[Block] = []
    for index, paragraph in enumerate(paragraphs):
        opening = paragraph.text[:24].lower()
        if "summ" not in opening and "comment" not in opening and "note" not in opening:
            continue
        for kind, start in _STARTS.items():
            match = start.match(paragraph.text)
            if not match:
                continue
            pieces: list[str] = []
            text = paragraph.text[match.end() :]
            for following in paragraphs[index + 1 : index + _MAX_PARAGRAPHS]:
                if _end(kind, text) is not None:
                    break
                pieces.append(text)
                text = following.text
            end = _end(kind, text)
            if end is None:
                pieces = []
                text = paragraph.text[match.end() :]
            else:
                text = text[:end].rstrip().removesuffix("(")
            pieces.append(text)
            body = "\n\n".join(piece.strip() for piece in pieces if piece.strip())
            if body:
                found.append(Block(kind, body, paragraph.number))
    return tuple(found)


def _end(kind: BlockKind, text: str) -> int | None:
    """Where the block's end mark starts in the text, if it is there. ASCII text is
    searched lower-cased, which is faster than a case-insensitive search and keeps the
    positions (other text may change length when lower-cased)."""
    if text.isascii():
        found = _ENDS[kind].search(text.lower())
    else:
        found = _ENDS_ANY_CASE[kind].search(text)
    return None if found is None else found.start()
