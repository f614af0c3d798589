"""Text of generated cables: sentences from templates, paragraphs, lists, framed blocks,
participant lists and the part-n-of-m introduction (spec §2.7; canonical layout).

Templates (``phrases.tsv``) are filled with the cable's people and places (`Scene`). Text
keeps to the rules the reader applies to the canonical layout, which the tests check by
reading every generated cable back:

* every block ends with terminal punctuation after a word with a lowercase letter (a
  titled name is fine: ``DFM Petrov.``), so no last line looks like a signature (all
  capitals) and no block like a heading;
* no word is a small number followed by a full stop (a wrapped line starting ``12.`` would
  read as paragraph 12): ``{date}`` never ends a sentence;
* hard line breaks (``--`` items, participant lines) follow lines short enough that the next
  word would have fitted, so the reader keeps them instead of joining the lines;
* a block that only opens a paragraph's framed text starts it: ``Summary: ... End
  summary.``, ``Comment: ... End comment.``, ``(Note: ... End note.)``.

Variants seen in the sample and imitated: summaries in the first paragraph (47 % of cables),
comments near the end (22 %), participant lists headed ``Meeting Participants.`` with a
side line (``U.S.:``) and one ``[TITLE ]Name, Affiliation`` a line (seed paragraph 19),
``--`` item lists, and talking points between ``Begin points:`` and ``End points.``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from cablegram.model import Participant
from cablegram.synth.people import Person
from cablegram.synth.vocabulary import ANY_TOPIC, Post, phrases
from cablegram.write.wrap import LINE_WIDTH

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
NUMBER_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty"
).split()
AMOUNTS = (
    "$5 million",
    "$12 million",
    "$25 million",
    "$40 million",
    "$150 million",
    "$1.2 billion",
)
COUNTS = ("several hundred", "several thousand", "tens of thousands", "some four thousand")
MINISTRIES = {
    "economy": ("Ministry of Finance", "Ministry of Economy", "Central Bank"),
    "trade": ("Ministry of Trade", "Ministry of Agriculture"),
    "energy": ("Ministry of Energy",),
    "military": ("Ministry of Defense",),
    "terrorism": ("Ministry of Interior",),
    "narcotics": ("Ministry of Interior", "Ministry of Justice"),
    "rights": ("Ministry of Justice",),
    "health": ("Ministry of Health", "Ministry of Environment"),
    "humanitarian": ("Ministry of Social Affairs",),
}
FOREIGN_MINISTRY = "Ministry of Foreign Affairs"
TOPIC_SHARE = 0.6
"""Share of report sentences taken from the topic's own templates (the rest: any topic)."""
MAX_ITEM = 40
"""Longest ``--`` item: a hard break after it always survives the reader."""


def spelled(number: int) -> str:
    """``5`` -> ``five``: numbers in prose are spelled, so none ends a sentence as ``5.``."""
    return NUMBER_WORDS[number] if number < len(NUMBER_WORDS) else "several"


@dataclass
class Scene:
    """What a cable's text is about: the country, the topic, the people, the day."""

    rng: random.Random
    post: Post
    """The post whose country the cable is about (the action post of a Department cable)."""
    topic: str
    on: date
    hosts: tuple[Person, ...]
    """Host officials who speak in this cable, the main one first."""
    americans: tuple[Person, ...]
    """US officials in this cable, the main one first."""
    used: set[str] = field(default_factory=set)
    """Templates already used in this cable (a cable does not repeat a sentence)."""

    def template(self, kind: str, topic_share: float = TOPIC_SHARE) -> str:
        """A template of ``kind``, from the topic's own ones with probability
        ``topic_share``; one not yet used in this cable when there is one."""
        table = phrases()
        own = table.get((self.topic, kind), ())
        generic = table.get((ANY_TOPIC, kind), ())
        first, second = (own, generic) if self.rng.random() < topic_share else (generic, own)
        chosen = self._fresh(first) or self._fresh(second) or self.rng.choice(first or second)
        self.used.add(chosen)
        return chosen

    def _fresh(self, pool: tuple[str, ...]) -> str | None:
        """A template of ``pool`` not used yet in this cable, None when all are."""
        if not pool:
            return None
        # A few blind draws find one cheaply while most of the pool is unused.
        for _ in range(3):
            candidate = self.rng.choice(pool)
            if candidate not in self.used:
                return candidate
        unused = [template for template in pool if template not in self.used]
        return self.rng.choice(unused) if unused else None

    def slots(self, speaker: int = 0) -> dict[str, str]:
        """Values for one paragraph's templates; ``speaker`` picks the main host official."""
        rng = self.rng
        host = self.hosts[speaker % len(self.hosts)]
        other = self.hosts[(speaker + 1) % len(self.hosts)]
        american = self.americans[0]
        second = self.americans[1 % len(self.americans)]
        day = self.on - timedelta(days=rng.randint(1, 10))
        ahead = (self.on.month + rng.randint(0, 3) - 1) % 12
        values = {
            "H": host.short,
            "H2": other.short,
            "U": american.short,
            "U2": second.short,
            "host": self.post.country,
            "adj": self.post.adjective,
            "gov": self.post.government,
            "city": self.post.city,
            "date": f"{MONTH_NAMES[day.month - 1]} {day.day}",
            "month": MONTH_NAMES[ahead],
            "year": str(self.on.year),
            "amount": rng.choice(AMOUNTS),
            "number": rng.choice(COUNTS),
            "ministry": rng.choice(MINISTRIES.get(self.topic, (FOREIGN_MINISTRY,))),
            "ref": "reftel",
        }
        values.update(host.pronouns())
        return values

    def sentence(self, kind: str, values: dict[str, str]) -> str:
        text = self.template(kind).format_map(values)
        return text[0].upper() + text[1:]

    def prose(self, kinds: list[str], values: dict[str, str]) -> str:
        return " ".join(self.sentence(kind, values) for kind in kinds)

    def report(self, sentences: int, values: dict[str, str], first: str | None = None) -> str:
        """A block of report sentences, opening with a sentence of kind ``first``."""
        kinds = ["report"] * sentences
        if first is not None:
            kinds[0] = first
        return self.prose(kinds, values)

    def items(self, values: dict[str, str], intro_kind: str = "listintro") -> str:
        """``Intro:`` then two to four ``-- item`` lines, the last ending the sentence."""
        intro = self.sentence(intro_kind, values)
        if len(intro) > MAX_ITEM + 10:
            intro = "Contacts cited several factors:"
        table = phrases()
        pool = table.get((self.topic, "item"), ()) + table[(ANY_TOPIC, "item")]
        chosen = self.rng.sample(pool, self.rng.randint(2, min(4, len(pool))))
        lines = [f"-- {item};" for item in chosen[:-1]] + [f"-- {chosen[-1]}."]
        return "\n".join([intro, *lines])

    def points(self, values: dict[str, str]) -> str:
        """Talking points, each a block of its own: ``-- The United States ...``."""
        count = self.rng.randint(3, 5)
        blocks = ["Begin points:"]
        blocks.extend(f"-- {self.sentence('point', values)}" for _ in range(count))
        blocks.append("End points.")
        return "\n\n".join(blocks)

    def heading(self, values: dict[str, str]) -> str:
        return self.template("heading", 0.7).format_map(values)

    def subject(self, values: dict[str, str]) -> str:
        return self.template("subject", 0.9).format_map(values).upper()


def framed(label: str, body: str) -> str:
    """``Summary: body End summary.``; the note form is ``(Note: body End note.)``."""
    if label == "note":
        return f"(Note: {body} End note.)"
    return f"{label.capitalize()}: {body} End {label}."


def side_name(post: Post) -> str:
    """How a participant list heads the host side: ``Russia``, ``United Kingdom``."""
    return post.country.removeprefix("the ")


def participant_list(
    header: str, sides: list[tuple[str, list[Person]]]
) -> tuple[str, tuple[Participant, ...]]:
    """The paragraph text of a participant list and the participants the reader will find.

    A line keeps its hard break only if the next line's first word would have fitted after
    it; a line too long for that loses its affiliation."""
    chunks = [header]
    found: list[Participant] = []
    for side, people in sides:
        lines = [person.listed for person in people]
        kept: list[str] = []
        for index, person in enumerate(people):
            line = lines[index]
            following = lines[index + 1].split()[0] if index + 1 < len(lines) else ""
            affiliation: str | None = person.affiliation
            if len(line) + 1 + len(following) > LINE_WIDTH:
                line = line.rpartition(",")[0]
                affiliation = None
            kept.append(line)
            title = person.list_title or None
            found.append(Participant(f"{person.given} {person.family}", title, affiliation, side))
        chunks.extend([f"{side}:", "\n".join(kept)])
    return "\n\n".join(chunks), tuple(found)
