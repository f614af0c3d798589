"""The writer: a `Cable` rendered as the canonical telegram, the layout shared with the reader.

``render(cable)`` is a pure function whose output the reader reads back to the same model
(``parse(render(cable)) == cable``, equality ignoring the original text and diagnostics).
One transmission is::

    [FL1-FL5] FM / TO / INFO / XMT        cablegram.write.header
    BT
    S E C R E T MOSCOW 001002             cablegram.write.body, blocks separated by a
    <captions> <passing> <E.O./TAGS/SUBJECT> <REF> <Classified By> <paragraphs> <signature>
    BT
    #1002                                 the station serial repeated (when FL3 has one)
    NNNN                                  end of message (ACP 127 §114)

Long cables (spec §1.9; ACP 127 §208): a transmission section holds at most five pages of
twenty lines, so at most 100 lines of text between the ``BT`` separators. A cable whose
``section`` is ``Section(1, n)`` with n > 1 is rendered as n transmissions, each with the
full header (FL3 ``/01``, ``/02`` ..., the same DTG), the classification line labelled
``SECTION 0k OF 0n`` and its own trailer. The caption block through ``Classified By`` goes
only in section 1 and the signature ends the last section; paragraphs are never split, and
are spread so that the longest section is as short as it can be. A cable labelled
``Section(k, n)`` with k > 1 is a lone later section: one transmission labelled k.
``sections_needed`` tells a sender how many sections a cable needs.

A partial extract (Cablegate records whose full text was not available) opens with the
publisher's notice, wrapped like any other text.
"""

from __future__ import annotations

from dataclasses import dataclass

from cablegram.model import Cable, Paragraph, Section
from cablegram.write.body import (
    classification_line,
    classified_by_lines,
    declassification_line,
    paragraph_blocks,
    reference_lines,
    subject_lines,
    tags_lines,
)
from cablegram.write.header import header_lines
from cablegram.write.wrap import wrap

PAGE_LINES = 20
"""ACP 127 §208: a page holds at most 20 lines."""
PAGES_PER_SECTION = 5
"""ACP 127 §208: a transmission section holds at most 5 pages."""
SECTION_LINES = PAGE_LINES * PAGES_PER_SECTION
"""Lines of text (between the two ``BT`` lines) one transmission section may hold."""

LATER_SECTION_OVERHEAD = 1
"""A later section's text starts with its classification line only."""

PARTIAL_NOTICE = (
    "This record is a partial extract of the original cable. "
    "The full text of the original cable is not available."
)


@dataclass(frozen=True)
class _Transmission:
    fl3_section: int | None
    """The ``/nn`` of FL3."""
    label: Section | None
    """``SECTION nn OF nn`` on the classification line."""
    first: bool
    """Carries the captions through Classified By."""
    last: bool
    """Carries the signature."""
    paragraphs: tuple[Paragraph, ...]


def render(cable: Cable) -> str:
    """The canonical telegram text of ``cable``, every line at most 69 characters
    (except an over-long word, address or caption the model itself contains)."""
    lines: list[str] = []
    if cable.partial:
        lines.extend([*wrap(PARTIAL_NOTICE), ""])
    for transmission in _transmissions(cable):
        lines.extend(_transmission_lines(cable, transmission))
    return "\n".join(lines) + "\n"


def sections_needed(cable: Cable, max_lines: int = SECTION_LINES) -> int:
    """How many transmission sections ``cable`` needs so that none holds more than
    ``max_lines`` lines of text, paragraphs kept whole (a paragraph longer than a section
    gets a section of its own and overfills it)."""
    return max(1, len(_pack(_Costs.of(cable), max_lines)))


def _transmissions(cable: Cable) -> list[_Transmission]:
    section = cable.section
    if section is None or section.number != 1 or section.total <= 1:
        return [_Transmission(cable.envelope.section, section, True, True, cable.paragraphs)]
    total = section.total
    groups = _split(cable, total)
    return [
        _Transmission(number, Section(number, total), number == 1, number == total, group)
        for number, group in enumerate(groups, start=1)
    ]


def _transmission_lines(cable: Cable, transmission: _Transmission) -> list[str]:
    level = cable.classification.level if cable.classification else None
    lines = [
        *header_lines(cable, transmission.fl3_section),
        "BT",
        classification_line(level, transmission.label, cable.origin, cable.serial),
    ]
    for block in _text_blocks(cable, transmission):
        lines.extend(["", *block])
    lines.append("BT")
    if cable.envelope.station_serial is not None:
        lines.append(f"#{cable.envelope.station_serial:04d}")
    lines.append("NNNN")
    return lines


def _text_blocks(cable: Cable, transmission: _Transmission) -> list[list[str]]:
    blocks = _field_blocks(cable) if transmission.first else []
    for paragraph in transmission.paragraphs:
        blocks.extend(paragraph_blocks(paragraph))
    if transmission.last and cable.signature:
        blocks.append([cable.signature])
    return blocks


def _field_blocks(cable: Cable) -> list[list[str]]:
    """Captions, passing instructions, E.O./TAGS/SUBJECT, REF, Classified By."""
    heading: list[str] = []
    if cable.declassification is not None:
        heading.extend(declassification_line(cable.declassification))
    if cable.tags:
        heading.extend(tags_lines(cable.tags))
    if cable.subject is not None:
        mark = cable.subject_marking.portion if cable.subject_marking else None
        heading.extend(subject_lines(cable.subject, mark))
    blocks = [list(cable.captions), list(cable.passing), heading]
    blocks.append(reference_lines(cable.references))
    if cable.classified_by is not None:
        blocks.append(classified_by_lines(cable.classified_by))
    return [block for block in blocks if block]


@dataclass(frozen=True)
class _Costs:
    """Lines of text each part of a cable takes, blank separators included."""

    first: int
    """Classification line and the field blocks of section 1."""
    paragraphs: tuple[int, ...]
    signature: int

    @classmethod
    def of(cls, cable: Cable) -> _Costs:
        def size(blocks: list[list[str]]) -> int:
            return sum(1 + len(block) for block in blocks)

        return cls(
            first=1 + size(_field_blocks(cable)),
            paragraphs=tuple(size(paragraph_blocks(p)) for p in cable.paragraphs),
            signature=2 if cable.signature else 0,
        )


def _pack(costs: _Costs, capacity: int) -> list[list[int]]:
    """Greedy packing of paragraph indexes into sections of at most ``capacity`` lines; a
    section takes at least one paragraph whatever its size. Greedy packing uses the fewest
    sections, and never more when the capacity grows."""
    groups: list[list[int]] = []
    current: list[int] = []
    used = costs.first
    last = len(costs.paragraphs) - 1
    for index, cost in enumerate(costs.paragraphs):
        needed = cost + (costs.signature if index == last else 0)
        if current and used + needed > capacity:
            groups.append(current)
            current, used = [], LATER_SECTION_OVERHEAD
        current.append(index)
        used += needed
    if current:
        groups.append(current)
    return groups


def _split(cable: Cable, total: int) -> list[tuple[Paragraph, ...]]:
    """The paragraphs spread over exactly ``total`` sections, the longest as short as
    greedy packing allows: the smallest capacity that packs into at most ``total``
    sections, then further splits (at the end) when it packed into fewer."""
    costs = _Costs.of(cable)
    count = len(costs.paragraphs)
    if count <= total:
        groups = [[index] for index in range(count)]
    else:
        low, high = 0, costs.first + sum(costs.paragraphs) + costs.signature
        while low < high:
            middle = (low + high) // 2
            if len(_pack(costs, middle)) <= total:
                high = middle
            else:
                low = middle + 1
        groups = _pack(costs, low)
        while len(groups) < total:
            # Splitting off a group's last paragraph never makes a section longer.
            position = max(i for i, group in enumerate(groups) if len(group) > 1)
            groups[position : position + 1] = [groups[position][:-1], groups[position][-1:]]
    groups.extend([] for _ in range(total - len(groups)))
    return [tuple(cable.paragraphs[index] for index in group) for group in groups]
