"""The paragraphs of generated cables, marked, with what the reader derives from them.

A post's report (`report_body`): an optional unnumbered introduction (the part-n-of-m
notice of a multi-part cable, seed 07MOSCOW1002), then numbered paragraphs: a summary
first in about half of the cables, report paragraphs (the first opening the story, citing
the REF list when there is one; some with a heading, a ``--`` list or a note), then a
participant list, a comment and a closing line. A Department cable (`instruction_body`):
"This is an action request", background, objectives, the action request, talking points
and a closing line. A single paragraph is not numbered (5 FAH-1 H-240).

Paragraph counts follow the sample's distribution (mean 7.8, median 7; 6 % of cables have
one paragraph); sentence counts give paragraphs of about 700 characters (the sample: 830
on average, 720 median), so that about half of the cables need a second transmission
section, as in the sample.

Markings: the summary and the comment carry the cable's top marking, the first report
paragraph too when there is no summary (so the banner, the join of all portions, is the
planned one); participant lists and closing lines are ``(U)``; report paragraphs draw from
`cablegram.synth.markings.portion`. Unclassified cables are marked ``(U)`` throughout or
not at all, as real ones are. Unnumbered paragraphs carry no marking.

The derived fields are set from what is written, independently of the reader: a `Block`
for each framed summary, comment and note, the `Participant` of each list line, the
`Part` with the ids of the earlier parts.
"""

from __future__ import annotations

from dataclasses import dataclass

from cablegram.model import Block, BlockKind, Level, Marking, Paragraph, Part, Participant
from cablegram.synth.chance import weighted
from cablegram.synth.markings import Plan, portion
from cablegram.synth.people import Person
from cablegram.synth.prose import Scene, framed, participant_list, side_name, spelled

PARAGRAPH_COUNTS = (
    (1, 190), (2, 188), (3, 190), (4, 195), (5, 223), (6, 251), (7, 271), (8, 239),
    (9, 180), (10, 160), (11, 154), (12, 127), (13, 83), (14, 75), (15, 66), (16, 56),
    (17, 26), (18, 31), (19, 16), (20, 14), (21, 22), (22, 10), (23, 9), (24, 6), (25, 5),
    (26, 8), (28, 5), (30, 3), (33, 4), (35, 2),
)  # fmt: skip
"""Paragraphs per cable in the sample (cables with at least one paragraph)."""
SENTENCES = ((4, 5), (5, 9), (6, 14), (7, 17), (8, 17), (9, 14), (10, 10), (11, 8), (12, 6))
MEETING_TOPICS = frozenset(
    {"relations", "nonproliferation", "terrorism", "military", "visit", "multilateral",
     "economy", "energy", "trade", "politics"}
)  # fmt: skip
UNCLASSIFIED = Marking(Level.UNCLASSIFIED)
PARTICIPANTS_HEADERS = ("Meeting Participants.", "Participants:", "Lunch Participants.")


@dataclass(frozen=True)
class Body:
    paragraphs: tuple[Paragraph, ...]
    blocks: tuple[Block, ...] = ()
    participants: tuple[Participant, ...] = ()
    part: Part | None = None

    @property
    def markings(self) -> list[Marking]:
        return [p.marking for p in self.paragraphs if p.marking is not None]


@dataclass(frozen=True)
class PartOf:
    """This cable's place in a multi-part cable."""

    number: int
    total: int
    about: str
    earlier: tuple[str, ...]
    """Ids of the earlier parts, which are the first references (A, B ...)."""


def paragraph_count(scene: Scene) -> int:
    return weighted(scene.rng, PARAGRAPH_COUNTS)


class _Writer:
    """Accumulates numbered paragraphs and what they yield."""

    def __init__(self, scene: Scene, plan: Plan) -> None:
        self.scene = scene
        self.plan = plan
        self.paragraphs: list[Paragraph] = []
        self.blocks: list[Block] = []
        self.participants: tuple[Participant, ...] = ()
        self.number = 0
        # An unclassified cable is marked (U) throughout or not at all.
        self.unmarked = plan.level is Level.UNCLASSIFIED and scene.rng.random() < 0.5

    def add(self, text: str, marking: Marking, heading: str | None = None) -> int:
        self.number += 1
        shown = None if self.unmarked else marking
        self.paragraphs.append(Paragraph(self.number, shown, text, heading))
        return self.number

    def framed(self, kind: BlockKind, sentences: list[str], speaker: int = 0) -> None:
        values = self.scene.slots(speaker)
        body = self.scene.prose(sentences, values)
        number = self.add(framed(kind.value, body), self.plan.top)
        self.blocks.append(Block(kind, body, number))

    def sentences(self) -> int:
        return weighted(self.scene.rng, SENTENCES)

    def speaker(self) -> int:
        rng = self.scene.rng
        return 0 if rng.random() < 0.6 else rng.randrange(len(self.scene.hosts))


def _single(scene: Scene, opening: str) -> Body:
    values = scene.slots()
    return Body((Paragraph(None, None, scene.report(scene.rng.randint(3, 6), values, opening)),))


def report_body(
    scene: Scene,
    plan: Plan,
    count: int,
    ref: str | None,
    part: PartOf | None,
    attendees: tuple[list[Person], list[Person]] | None,
) -> Body:
    """A post's report of ``count`` paragraphs (plus the part notice); ``ref`` is how the
    text cites the REF list (``Ref A``, ``reftel``), None without one; ``attendees``
    (US side, host side) ask for a participant list."""
    rng = scene.rng
    opening = "refopening" if ref is not None and rng.random() < 0.6 else "opening"
    if count == 1 and part is None:
        return _single(scene, opening)
    writer = _Writer(scene, plan)
    intro: list[Paragraph] = []
    derived_part = None
    if part is not None:
        letters = [chr(ord("A") + index) for index in range(len(part.earlier))]
        text = part_notice(part, letters)
        intro.append(Paragraph(None, None, text))
        derived_part = Part(part.number, part.total, part.earlier)
        count = max(count, 3)
    summary = count >= 4 and rng.random() < 0.6
    comment = count >= 4 and rng.random() < 0.3
    listed = attendees is not None and count >= 4
    closing = (count >= 3 and rng.random() < 0.12) or (listed and not comment)
    reports = max(1, count - summary - comment - listed - closing)
    if summary:
        writer.framed(BlockKind.SUMMARY, ["summary"] * rng.randint(2, 4))
    for index in range(reports):
        values = scene.slots(writer.speaker())
        if ref is not None:
            values["ref"] = ref
        first = index == 0
        kinds = ["report"] * writer.sentences()
        if first:
            kinds[0] = opening
        text = scene.prose(kinds, values)
        if not first and rng.random() < 0.12:
            text += "\n\n" + scene.items(values)
        marking = plan.top if first and not summary else portion(rng, plan)
        heading = None
        if not first and count >= 6 and rng.random() < 0.2:
            heading = scene.heading(values)
        if not first and rng.random() < 0.015:
            note = scene.prose(["note"], values)
            number = writer.add(f"(Note: {note} End note.) {text}", marking, heading)
            writer.blocks.append(Block(BlockKind.NOTE, note, number))
            continue
        writer.add(text, marking, heading)
    if listed and attendees is not None:
        americans, hosts = attendees
        header = rng.choice(PARTICIPANTS_HEADERS)
        sides = [("U.S.", americans), (side_name(scene.post), hosts)]
        text, writer.participants = participant_list(header, sides)
        writer.add(text, UNCLASSIFIED)
    if comment:
        writer.framed(BlockKind.COMMENT, ["comment"] * rng.randint(2, 4), writer.speaker())
    if closing:
        writer.add(scene.sentence("closing", scene.slots()), UNCLASSIFIED)
    return Body(
        (*intro, *writer.paragraphs), tuple(writer.blocks), writer.participants, derived_part
    )


def part_notice(part: PartOf, letters: list[str]) -> str:
    """``This is part two of a two-part cable reporting on ... Part one is Ref A.``"""
    text = (
        f"This is part {spelled(part.number)} of a {spelled(part.total)}-part cable "
        f"reporting on {part.about}."
    )
    for earlier, letter in enumerate(letters, start=1):
        text += f" Part {spelled(earlier)} is Ref {letter}."
    if part.number < part.total:
        text += " The remaining parts will follow by separate cable."
    return text


def instruction_body(scene: Scene, plan: Plan, count: int, ref: str | None) -> Body:
    """A Department instruction: action request notice, background, objectives, the request,
    points and a closing line (at least six paragraphs)."""
    rng = scene.rng
    writer = _Writer(scene, plan)
    background = max(1, count - 5)
    action_paragraph = 1 + background + 2
    writer.add(
        f"This is an action request. Please see paragraph {spelled(action_paragraph)}.",
        UNCLASSIFIED,
    )
    for index in range(background):
        values = scene.slots(writer.speaker())
        kinds = ["report"] * writer.sentences()
        if index == 0 and ref is not None:
            values["ref"] = ref
            kinds[0] = "refopening"
        marking = plan.top if index == 0 else portion(rng, plan)
        writer.add(scene.prose(kinds, values), marking)
    values = scene.slots()
    writer.add(scene.items(values, "objectives"), portion(rng, plan))
    writer.add(scene.prose(["action"] * rng.randint(2, 4), values), portion(rng, plan))
    writer.add(scene.points(values), portion(rng, plan))
    writer.add(scene.sentence("deptclosing", values), UNCLASSIFIED)
    return Body(tuple(writer.paragraphs), tuple(writer.blocks))
