"""Greedy line wrapping at the telegram width (ACP 127 §138: no line over 69 characters).

The writer wraps every free-text field (subject, TAGS, references, Classified By, paragraph
text) greedily: a word goes on the current line when it fits, else it starts the next one.
The reader (`cablegram.read`) undoes exactly this: it joins two lines when the second
line's first word would not have fitted on the first. So a hard line break kept in the
model text survives a round trip only after a line short enough for the next word to have
fitted (canonical layout, "Rules the reader applies").

A word longer than the width cannot be wrapped and is left on a line of its own.
"""

from __future__ import annotations

LINE_WIDTH = 69
"""ACP 127(G) §138: no line longer than 69 characters, spaces included."""


def wrap(text: str, width: int = LINE_WIDTH) -> list[str]:
    """The lines of ``text`` wrapped greedily at ``width``.

    Each ``\\n`` in ``text`` is a hard break kept as a line end, so ``\\n\\n`` gives an empty
    line; runs of spaces collapse to one, as the reader would read them.
    """
    lines: list[str] = []
    for hard_line in text.split("\n"):
        lines.extend(_wrap_line(hard_line.split(), width))
    return lines


def _wrap_line(words: list[str], width: int) -> list[str]:
    if not words:
        return [""]
    lines: list[str] = []
    current = words[0]
    for word in words[1:]:
        if len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}"
    lines.append(current)
    return lines
