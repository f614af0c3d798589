"""The person index of an archive, for one principal on one day (issue 3 item 5, issue 4).

`people` lists the people the cables name (mentions found and merged by
`cablegram.archive.people` and stored with each cable), each with the cables naming them
and how often; `organisations` lists the organisation and country TAGS with readable
names. Both cover every cable of the archive, or the cables a search query matches.

Access (issue 4, item 4: "the person index" is an output like any other): a mention
counts only when the principal may read the portion it is written in, or when it comes
from handling metadata (Classified By, person TAGS: ``portion_key`` None) of a cable the
principal may see; a cable the principal may not see at all contributes nothing. TAGS
are handling metadata: a visible cable's organisations and countries all count. The
local operator reads everything, so for them the stored mentions are counted without
reading the cables back.

This module is apart from `cablegram.archive.people` because that one is imported by the
store and the search index (for mention keys and index terms), while this one uses them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from cablegram.access import OPERATOR, CableView, Principal
from cablegram.archive.people import ROLES
from cablegram.archive.people import organisations as tag_entities
from cablegram.archive.person_names import HONORIFIC, title_family
from cablegram.archive.reading import Reader, matching_ids
from cablegram.archive.storage.base import Mention

if TYPE_CHECKING:
    from cablegram.archive import Archive


@dataclass(frozen=True)
class PersonSummary:
    key: str
    """The person key (`cablegram.archive.people`), e.g. ``kislyak, sergey``."""
    name: str
    """The fullest name the cables write."""
    titles: tuple[str, ...]
    """Titles written with the name, most frequent first."""
    roles: tuple[str, ...]
    """Where the person was found (`cablegram.archive.people.ROLES` order)."""
    cables: tuple[str, ...]
    """Ids of the cables naming them (for this principal), sorted."""
    mentions: int
    """Distinct mentions counted: one per portion (or metadata field) and role."""


@dataclass(frozen=True)
class EntitySummary:
    code: str
    kind: str
    """``organization`` or ``country``."""
    name: str | None
    cables: tuple[str, ...]


@dataclass
class _Tally:
    names: Counter[str] = field(default_factory=Counter)
    titles: Counter[str] = field(default_factory=Counter)
    roles: set[str] = field(default_factory=set)
    cables: list[str] = field(default_factory=list)
    mentions: int = 0

    def add(self, cable_id: str, mention: Mention) -> None:
        self.names[mention.name] += 1
        if mention.title:
            self.titles[mention.title] += 1
        self.roles.add(mention.role)
        if not self.cables or self.cables[-1] != cable_id:
            self.cables.append(cable_id)
        self.mentions += 1

    def summary(self, key: str) -> PersonSummary:
        fullest = max(self.names, key=lambda name: (len(name.split()), len(name), name))
        return PersonSummary(
            key=key,
            name=fullest,
            # Honorifics (Mr., Dr.) after the titles that say what the person does.
            titles=tuple(
                sorted(self.titles, key=lambda t: (title_family(t) == HONORIFIC, -self.titles[t]))
            ),
            roles=tuple(role for role in ROLES if role in self.roles),
            cables=tuple(sorted(self.cables)),
            mentions=self.mentions,
        )


def _selection(
    archive: Archive, query: str | None, principal: Principal, as_of: date
) -> Iterable[str]:
    if query is None or not query.strip():
        return archive.storage.ids()
    return matching_ids(archive, query, principal, as_of)


def people(
    archive: Archive,
    query: str | None = None,
    principal: Principal = OPERATOR,
    as_of: date | None = None,
) -> list[PersonSummary]:
    """Everyone the selected cables name, most cables first (then mentions, then key)."""
    reader = Reader(archive.storage, principal, as_of)
    tallies: dict[str, _Tally] = {}
    for cable_id, mention in _visible_mentions(archive, reader, query):
        tallies.setdefault(mention.person, _Tally()).add(cable_id, mention)
    found = [tally.summary(key) for key, tally in tallies.items()]
    found.sort(key=lambda p: (-len(p.cables), -p.mentions, p.key))
    return found


def _visible_mentions(
    archive: Archive, reader: Reader, query: str | None
) -> Iterable[tuple[str, Mention]]:
    storage = archive.storage
    for cable_id in _selection(archive, query, reader.principal, reader.as_of):
        stored = storage.mentions(cable_id)
        if reader.principal.operator:
            yield from ((cable_id, mention) for mention in stored)
            continue
        reading = reader.read(cable_id)
        if reading is not None:
            yield from ((cable_id, mention) for mention in counted(stored, reading.view))


def counted(mentions: Iterable[Mention], view: CableView) -> list[Mention]:
    """The mentions a reader of ``view`` may see: those in portions the view shows, and
    those from handling metadata (the view exists, so the reader may see the cable)."""
    readable = {p.portion.key for p in view.portions if p.readable}
    return [m for m in mentions if m.portion is None or m.portion in readable]


def organisations(
    archive: Archive,
    query: str | None = None,
    principal: Principal = OPERATOR,
    as_of: date | None = None,
) -> list[EntitySummary]:
    """The organisation and country TAGS of the selected cables, most cables first."""
    reader = Reader(archive.storage, principal, as_of)
    names: dict[str, tuple[str, str | None]] = {}
    cables: dict[str, list[str]] = {}
    for cable_id in _selection(archive, query, principal, reader.as_of):
        reading = reader.read(cable_id)
        if reading is None:
            continue
        for entity in tag_entities(reading.stored.cable):
            names.setdefault(entity.code, (entity.kind, entity.name))
            cables.setdefault(entity.code, []).append(cable_id)
    found = [
        EntitySummary(code, names[code][0], names[code][1], tuple(sorted(ids)))
        for code, ids in cables.items()
    ]
    found.sort(key=lambda e: (-len(e.cables), e.code))
    return found
