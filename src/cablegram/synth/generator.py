"""The corpus generator: one cable after another, in date order, from one random stream.

`generate(count, options)` yields `SyntheticCable` values lazily (250,000 cables never sit
in memory): the model, the telegram rendered by the project's writer
(`cablegram.write.render`) and a release date. Everything is drawn from
``random.Random(options.seed)`` in a fixed order (and people from streams derived from the
seed, `cablegram.synth.people`), so a seed gives the same bytes on every run.

Dates spread over ``options.start`` .. ``options.end``, traffic growing fivefold from the
first day to the last (`GROWTH`); cable ``i`` of ``n`` falls in the ``i``-th of ``n`` equal
slices of that traffic, so dates increase and each post's serials increase with them. A
cable is a *story*: a sender (a post, or the Department writing to posts), the country it
is about, a topic, a marking plan and a cast. About one story in a hundred and fifty (a
classified meeting report) is a multi-part cable: its parts follow each other minutes
apart, part ``k`` citing parts ``1 .. k-1`` as references A, B ... ("Part one is Ref A.").

References cite earlier generated cables about the same country, so the reference graph
stays inside the corpus and grows threads. ``options.reserved`` ids are never produced:
by default the seed 07MOSCOW1002 and its part one 07MOSCOW1001, so a synthetic corpus can
be ingested beside the seed (and a generated part one, `companion_part_one`).

Long cables get as many transmission sections as the writer needs
(`cablegram.write.sections_needed`, 100 lines a section). Release dates imitate the
Cablegate publication (28 November 2010 to 1 September 2011) for cables before it, and a
year or so after the cable for later ones.
"""

from __future__ import annotations

import math
import random
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta

from cablegram.model import (
    Addressee,
    Cable,
    ClassifiedBy,
    Level,
    Marking,
    Section,
    canonical_id,
)
from cablegram.synth import head, markings
from cablegram.synth.body import (
    MEETING_TOPICS,
    PartOf,
    instruction_body,
    paragraph_count,
    report_body,
)
from cablegram.synth.chance import weighted
from cablegram.synth.envelope import Counters, addressing, envelope
from cablegram.synth.head import Cited
from cablegram.synth.people import FUNCTIONAL_BUREAUS, Person, Rosters, secretary
from cablegram.synth.prose import Scene
from cablegram.synth.vocabulary import Post, Topic, posts, posts_by_bureau, topics
from cablegram.write import render, sections_needed

SEED_IDS = frozenset({"07MOSCOW1001", "07MOSCOW1002"})
"""The seed cable and its part one: never generated, so they can join a synthetic corpus."""
DEFAULT_START = date(2000, 1, 1)
DEFAULT_END = date(2010, 12, 31)
RELEASE_START = date(2010, 11, 28)
RELEASE_DAYS = 277
"""Cablegate's publication ran from 28 November 2010 to 1 September 2011."""
SERIES_SHARE = 0.012
"""Share of classified meeting reports (about half the stories) that start a multi-part
cable: about one cable in a hundred is then a part."""
GROWTH = 4.0
"""Traffic at the end of the date range is 1 + GROWTH times that at its start: Cablegate's
cables (and so the sample) crowd into its last years, most of them SIPDIS from 2006."""
FUNCTIONAL_BY_TOPIC = {
    topic: bureau for bureau, covered in FUNCTIONAL_BUREAUS for topic in covered.split()
}
"""The functional bureau a passing instruction adds to the regional one (``DEPT FOR EUR AND
ISN``)."""
HISTORY = 40
"""Recent cables kept per country as reference candidates (memory stays bounded)."""
ROMAN = ("", "I", "II", "III", "IV", "V", "VI", "VII", "VIII")
"""Part numbers in subjects (``...: PART II``); the reader reads parts up to eight."""


@dataclass(frozen=True)
class Options:
    seed: int = 0
    start: date = DEFAULT_START
    end: date = DEFAULT_END
    reserved: frozenset[str] = SEED_IDS
    """Ids never generated."""
    series_share: float = SERIES_SHARE
    """Share of classified meeting reports that become multi-part cables."""


@dataclass(frozen=True)
class SyntheticCable:
    cable: Cable
    text: str
    """The telegram as `cablegram.write.render` writes the cable."""
    released: date

    @property
    def id(self) -> str:
        return str(self.cable.id)

    def record(self) -> dict[str, str]:
        """The JSON Lines record: ``reference_id``, ``released`` (ISO date), ``text``."""
        return {"reference_id": self.id, "released": self.released.isoformat(), "text": self.text}


@dataclass
class _Story:
    """What every part of one (possibly multi-part) cable shares."""

    sender: Post
    countries: tuple[Post, ...]
    """The posts whose country the cable is about; the first sets the scene."""
    topic: Topic
    plan: markings.Plan
    hosts: tuple[Person, ...]
    americans: tuple[Person, ...]
    notetaker: Person | None
    visitor: Person | None
    subject: str
    total: int = 1
    about: str = ""
    parts: list[Cited] = field(default_factory=list)


def generate(count: int, options: Options | None = None) -> Iterator[SyntheticCable]:
    """``count`` cables, lazily, the same for the same options."""
    return _Generator(count, options or Options()).cables()


class _Generator:
    def __init__(self, count: int, options: Options) -> None:
        self.count = count
        self.options = options
        self.rng = random.Random(options.seed)
        self.rosters = Rosters(options.seed)
        self.counters = Counters(self.rng, options.reserved)
        self.history: dict[str, deque[Cited]] = {}
        self.clock: datetime | None = None
        start = datetime.combine(options.start, time(), UTC)
        self.start = start
        self.span = datetime.combine(options.end + timedelta(days=1), time(), UTC) - start
        self.senders = [(post, post.weight) for post in posts()]
        self.topics = [(topic, topic.weight) for topic in topics()]

    def cables(self) -> Iterator[SyntheticCable]:
        story: _Story | None = None
        for index in range(self.count):
            if story is not None and 0 < len(story.parts) < story.total:
                assert self.clock is not None
                moment = self.clock + timedelta(minutes=self.rng.randint(5, 120))
            else:
                moment = self._moment(index)
                story = self._story(moment.date(), self.count - index)
            self.clock = moment
            yield self._write(story, moment)

    def _moment(self, index: int) -> datetime:
        share = (index + self.rng.random()) / self.count
        # Traffic grows over the range (density 1 at the start, 1 + GROWTH at the end):
        # the inverse of the cumulative share of a linearly rising density.
        fraction = (math.sqrt(1 + 2 * GROWTH * share * (1 + GROWTH / 2)) - 1) / GROWTH
        target = self.start + timedelta(minutes=int(self.span.total_seconds() / 60 * fraction))
        if self.clock is not None and target <= self.clock:
            return self.clock + timedelta(minutes=1)
        return target

    def _story(
        self,
        on: date,
        remaining: int,
        sender: Post | None = None,
        topic: Topic | None = None,
        plan: markings.Plan | None = None,
    ) -> _Story:
        """A new story; ``sender``, ``topic`` and ``plan`` are drawn unless given."""
        rng = self.rng
        sender = sender or weighted(rng, self.senders)
        topic = topic or weighted(rng, self.topics)
        if sender.is_department:
            bureau = rng.choice(sorted(posts_by_bureau()))
            candidates = posts_by_bureau()[bureau]
            countries = tuple(rng.sample(candidates, weighted(rng, ((1, 8), (2, 1), (3, 1)))))
        else:
            countries = (sender,)
        country = countries[0]
        plan = plan or markings.plan(rng, topic.level_weights, on)
        fitting = [p for p in self.rosters.host(country) if p.fits(topic.name)]
        others = [p for p in self.rosters.host(country) if not p.fits(topic.name)]
        hosts = tuple(rng.sample(fitting, min(len(fitting), rng.randint(1, 3))))
        hosts += tuple(rng.sample(others, min(len(others), rng.randint(1, 2))))
        visitors = self.rosters.visitors(country, topic.name)
        visitor = rng.choice(visitors) if topic.name == "visit" else None
        notetaker = None
        if sender.is_department:
            americans = tuple(rng.sample(visitors, min(2, len(visitors))))
        else:
            mission = self.rosters.mission(sender, on)
            americans = (mission.chief, mission.deputy)
            if visitor is None and rng.random() < 0.2:
                visitor = rng.choice(visitors)
            if visitor is not None:
                americans = (visitor, *americans)
            notetaker = mission.counselor
        scene = Scene(rng, country, topic.name, on, hosts, americans)
        values = scene.slots()
        story = _Story(
            sender=sender,
            countries=countries,
            topic=topic,
            plan=plan,
            hosts=hosts,
            americans=americans,
            notetaker=notetaker,
            visitor=visitor,
            subject=scene.subject(values),
        )
        if (
            not sender.is_department
            and topic.name in MEETING_TOPICS
            and plan.level.is_classified
            and rng.random() < self.options.series_share
        ):
            total = weighted(rng, ((2, 4), (3, 1)))
            if remaining >= total:
                story.total = total
                story.about = (
                    f"the {values['date']} meeting between {values['U']} and {values['H']}"
                )
        return story

    def _write(self, story: _Story, moment: datetime, serial: int | None = None) -> SyntheticCable:
        """The next cable of ``story``, sent at ``moment`` (with the post's next serial
        unless ``serial`` is given)."""
        rng = self.rng
        on = moment.date()
        sender, country, topic, plan = story.sender, story.countries[0], story.topic, story.plan
        serial = serial or self.counters.serial(sender, moment)
        cable_id = canonical_id(moment.year, sender.origin, serial)
        number = len(story.parts) + 1
        candidates = list(self.history.get(_country_key(country), ()))
        refs = head.references(rng, story.parts, candidates, head.reference_count(rng), moment.year)
        mention = None
        if refs:
            mention = "reftel" if refs[-1].letter is None else f"Ref {refs[-1].letter}"
        scene = Scene(rng, country, topic.name, on, story.hosts, story.americans)
        count = paragraph_count(scene)
        if sender.is_department:
            body = instruction_body(scene, plan, max(count, 6), mention)
        else:
            part = None
            if story.total > 1:
                earlier = tuple(cited.id for cited in story.parts)
                part = PartOf(number, story.total, story.about, earlier)
            attendees = None
            last_part = part is not None and number == story.total
            if topic.name in MEETING_TOPICS and rng.random() < (0.7 if last_part else 0.02):
                host_side = list(story.hosts)
                us_side = [*story.americans[:2], *([story.notetaker] if story.notetaker else [])]
                attendees = (us_side, host_side)
            body = report_body(scene, plan, count, mention, part, attendees)
        subject_mark = markings.subject_marking(rng, plan)
        portions = body.markings or [plan.top]
        banner = Marking.highest([*portions, *([subject_mark] if subject_mark else [])])
        assert banner is not None
        classified = banner.level.is_classified
        subject = story.subject + (f": PART {ROMAN[number]}" if story.total > 1 else "")
        addressed = addressing(rng, sender, story.countries, topic.name, self.counters)
        neighbours = tuple(p for p in posts_by_bureau().get(country.bureau, ()) if p.tag)
        cable = Cable(
            id=cable_id,
            envelope=envelope(rng, sender, serial, moment, banner.level, addressed.prosigns),
            dtg=moment,
            originator=Addressee(sender.address),
            to=addressed.to,
            info=addressed.info,
            classification=banner,
            origin=sender.origin,
            serial=serial,
            captions=markings.captions(rng, banner, plan, on),
            passing=self._passing(sender, country, topic.name),
            declassification=head.declassification(rng, on, classified),
            tags=head.tags(rng, on, topic, story.countries, neighbours, story.visitor),
            subject=subject,
            subject_marking=subject_mark,
            references=refs,
            classified_by=self._classifier(story, on) if classified else None,
            paragraphs=body.paragraphs,
            blocks=body.blocks,
            participants=body.participants,
            part=body.part,
            signature=self._signature(sender, on),
        )
        sections = sections_needed(cable)
        if sections > 1:
            cable = replace(cable, section=Section(1, sections))
        cited = Cited(cable_id, sender.written, serial, moment.year)
        for post in story.countries:
            self.history.setdefault(_country_key(post), deque(maxlen=HISTORY)).append(cited)
        if story.total > 1:
            story.parts.append(cited)
        return SyntheticCable(cable, render(cable), self._released(on))

    def _passing(self, sender: Post, country: Post, topic: str) -> tuple[str, ...]:
        rng = self.rng
        if sender.is_department or rng.random() >= 0.15:
            return ()
        line = f"DEPT FOR {country.bureau}"
        if topic in FUNCTIONAL_BY_TOPIC and rng.random() < 0.5:
            line += f" AND {FUNCTIONAL_BY_TOPIC[topic]}"
        found = [line]
        if topic == "trade" and rng.random() < 0.5:
            found.append("DEPT PASS TO USTR")
        if topic == "economy" and rng.random() < 0.4:
            found.append("TREASURY FOR OASIA")
        return tuple(found)

    def _classifier(self, story: _Story, on: date) -> ClassifiedBy:
        rng = self.rng
        sender = story.sender
        if sender.is_department:
            country = story.countries[0]
            regional = [
                p for p in self.rosters.washington() if p.affiliation == f"State/{country.bureau}"
            ]
            person = rng.choice(regional)
            title = f"{country.bureau} {person.title}"
            return head.classified_by(rng, on, story.topic.name, person, title)
        mission = self.rosters.mission(sender, on)
        counselor = (
            "Economic Counselor"
            if story.topic.name in ("economy", "trade", "energy")
            else "Political Counselor"
        )
        deputy = "Deputy Principal Officer" if sender.consulate else "DCM"
        person, title = weighted(
            rng,
            (
                ((mission.chief, mission.chief.title), 40),
                ((mission.deputy, deputy), 25),
                ((mission.counselor, counselor), 35),
            ),
        )
        return head.classified_by(rng, on, story.topic.name, person, title)

    def _signature(self, sender: Post, on: date) -> str:
        if sender.is_department:
            return secretary(on)
        mission = self.rosters.mission(sender, on)
        # The deputy signs as charge d'affaires while the chief is away.
        signer = mission.chief if self.rng.random() < 0.85 else mission.deputy
        return signer.family.upper()

    def _released(self, on: date) -> date:
        if on < RELEASE_START:
            return RELEASE_START + timedelta(days=self.rng.randint(0, RELEASE_DAYS))
        return on + timedelta(days=self.rng.randint(30, 400))


def companion_part_one(cable: Cable, seed: int = 0) -> SyntheticCable:
    """A generated part one for a cable that says it is part n of m and names part one as a
    reference (the seed 07MOSCOW1002: part two, "Part one is Ref G", 07MOSCOW1001).

    The part one has the id the later part cites, is sent from the same post a few minutes
    earlier at the same level, on the topic whose TAGS best match the cable's, and says
    "This is part one of a two-part cable"; its people are generated ones."""
    part = cable.part
    if part is None or part.number < 2 or not part.other or cable.dtg is None:
        raise ValueError("the cable is not a later part of a multi-part cable naming part one")
    found = _CANONICAL_ID.fullmatch(part.other[0])
    if found is None or found["origin"] != cable.origin:
        raise ValueError(f"part one {part.other[0]!r} is not a cable of the same post")
    sender = next((post for post in posts() if post.origin == cable.origin), None)
    if sender is None:
        raise ValueError(f"{cable.origin} is not a post the generator knows")
    moment = cable.dtg - timedelta(minutes=random.Random(seed).randint(5, 60))
    if moment.year % 100 != int(found["year"]):
        raise ValueError(f"part one {part.other[0]!r} is not of the year of {cable.id}")
    cited = {tag.code for tag in cable.tags}
    topic = max(topics(), key=lambda t: len(cited & {*t.tags, *t.optional_tags}))
    banner = cable.classification or Marking(Level.UNCLASSIFIED)
    plan = markings.Plan(banner.level, banner.caveats, banner.rel_to)
    options = Options(seed=seed, start=moment.date(), end=moment.date(), reserved=frozenset())
    generator = _Generator(1, options)
    # "Part two of a ... cable" without the total: the series ends with the citing part.
    total = part.total or part.number
    story = generator._story(moment.date(), total, sender, topic, plan)
    story.total = total
    story.about = f"talks held in {sender.city}"
    story.subject = _PART_SUFFIX.sub("", cable.subject or story.subject)
    return generator._write(story, moment, int(found["serial"]))


_CANONICAL_ID = re.compile(r"(?P<year>\d{2})(?P<origin>[A-Z]+)(?P<serial>\d+)")
_PART_SUFFIX = re.compile(r"[\s:,-]*PART\s+[IVX\d]+\s*$")


def _country_key(post: Post) -> str:
    return post.tag or post.origin
