"""People and organisations named by cables: extraction and conservative merging.

**Where people come from** (spec §2.4 Classified By, §2.5 person TAGS, §2.8 signature):

========================  ==============  ==========================================
source                    role            portion (what access control applies to)
========================  ==============  ==========================================
``Classified By: DCM      classified-by   None: handling metadata, readable by anyone
Daniel A. Russell ...``                   who may see the cable
signature ``RUSSELL``     signature       ``signature``
participant lists         participant     the paragraph holding the list
``OVIP (STEINBERG,        tag             None: handling metadata (TAGS)
JAMES B.)``
titled names in the text  text            the portion the name is written in
(``DFM Kislyak``,
``U/S Joseph``, ``A/S
DeSutter``, ``Secretary
Rice``)
========================  ==============  ==========================================

Names and titles are read by `cablegram.archive.person_names`.

**Merging rule** (conservative: two mentions are one person only on this evidence):

1. *Within one cable*, mentions with the same surname are grouped. Mentions with given
   names form persons; two of them are one person when their first given names agree
   (or one is the other's initial) and their title families are compatible (equal, or
   one of them has no title or an honorific such as ``Mr.``). A surname-only mention
   (``U/S Joseph``, the signature ``RUSSELL``) joins the one person with a compatible
   title; when none or several are compatible it stays a surname-only person.
2. *Across cables*, persons merge only when their keys are equal: the same full name
   (surname and given names), or the same surname with the same title family when no
   given name is known. ``Joseph Benkert`` (surname Benkert) is never ``U/S Joseph``.

**Person keys** (lower case, accents and dots removed): ``kislyak, sergey``; a
surname-only person with a title: ``desutter (assistant-secretary)``; without one:
``russell``. `person_terms` gives the terms the search index stores for a key (the key
and the bare surname), and `person_query_term` turns what a user writes after
``person:`` (``Kislyak``, ``Sergey Kislyak``, ``Kislyak, Sergey``) into one of them.

**Organisations and countries** come from the TAGS (organisation and geographic kinds)
with readable names from `cablegram.reference.tag_meaning`.

Everything here is pure; `cablegram.archive.people_index` counts the mentions for a
principal on a day (only portions they may read). The seed 07MOSCOW1002 yields its 25
participants with their titles; ``U/S Joseph`` merges with ``U/S Robert Joseph``, ``DFM
Kislyak`` with ``DFM Sergey Kislyak``, and ``Joseph Benkert`` stays apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from cablegram.access.portions import Portion, portions
from cablegram.archive.person_names import (
    HONORIFIC,
    PersonName,
    classifier_name,
    fold,
    parse_name,
    title_family,
    titled_names_in,
)
from cablegram.model import Cable, TagKind
from cablegram.reference import tag_meaning

CLASSIFIED_BY = "classified-by"
SIGNATURE = "signature"
PARTICIPANT = "participant"
TAG = "tag"
TEXT = "text"
ROLES = (CLASSIFIED_BY, SIGNATURE, PARTICIPANT, TAG, TEXT)


@dataclass(frozen=True)
class Mention:
    """One mention of a person in one cable."""

    key: str
    """The merged person's key (see the module docstring)."""
    name: str
    """The name as the cable writes it (all-capitals names shown capitalised)."""
    title: str | None
    """The title as written: ``DFM``, ``U/S``, ``ASD(Acting)``."""
    role: str
    """One of `ROLES`."""
    portion_key: str | None
    """The portion it is written in (`cablegram.access.portions`); None for handling
    metadata (Classified By, TAGS)."""


# --- mentions of one cable ---------------------------------------------------------------


class _Found(NamedTuple):
    """A mention before merging (a tuple: merging hashes and compares them a lot)."""

    name: PersonName
    title: str | None
    role: str
    portion_key: str | None
    family: str | None
    """The title's family; None for none or an honorific (it follows from the title)."""


def _found(name: PersonName, title: str | None, role: str, portion_key: str | None) -> _Found:
    family = title_family(title)
    return _Found(name, title, role, portion_key, None if family == HONORIFIC else family)


def _found_in(cable: Cable) -> list[_Found]:
    """Every mention, before merging: handling metadata first, then portion by portion."""
    cable_portions = portions(cable)
    found = [*_classifier(cable), *_person_tags(cable)]
    listed = _participants(cable, cable_portions)
    found.extend(listed)
    list_keys = {f.portion_key for f in listed}
    # Scan only the line announcing a list: its lines are participants already.
    texts = [
        portion.text.split("\n", 1)[0] if portion.key in list_keys else portion.text
        for portion in cable_portions
        if portion.key != SIGNATURE
    ]
    titled = iter(titled_names_in(texts))
    for portion in cable_portions:
        if portion.key == SIGNATURE:
            signer = parse_name(portion.text)
            if signer is not None:
                found.append(_found(signer, None, SIGNATURE, SIGNATURE))
        else:
            for title, name in next(titled):
                found.append(_found(name, title, TEXT, portion.key))
    return found


def _classifier(cable: Cable) -> list[_Found]:
    if cable.classified_by is None or not cable.classified_by.name:
        return []
    classifier = classifier_name(cable.classified_by.name)
    if classifier is None:
        return []
    name, title = classifier
    return [_found(name, cable.classified_by.title or title, CLASSIFIED_BY, None)]


def _person_tags(cable: Cable) -> list[_Found]:
    """``OVIP (STEINBERG, JAMES B.)``: the reader gives the name as a PERSON tag."""
    return [
        _found(name, None, TAG, None)
        for tag in cable.tags
        if tag.kind is TagKind.PERSON and (name := parse_name(tag.code)) is not None
    ]


def _participants(cable: Cable, cable_portions: tuple[Portion, ...]) -> list[_Found]:
    """Participants, each in the portion whose list names them (found the way redaction
    finds them: `cablegram.access.redaction` keeps a participant whose name is readable)."""
    found: list[_Found] = []
    for participant in cable.participants:
        name = parse_name(participant.name)
        if name is None:
            continue
        portion = next((p for p in cable_portions if _lists(p.text, participant.name)), None)
        if portion is None:
            # No portion lists them, so no marking says who may read the name: leave it
            # out rather than treat it as handling metadata everyone may see.
            continue
        found.append(_found(name, participant.title, PARTICIPANT, portion.key))
    return found


def _lists(text: str, name: str) -> bool:
    """``name`` is written on a line after the first one (found without splitting the text
    into lines: a name without a line break is on one line wherever it is found)."""
    first_break = text.find("\n")
    return first_break >= 0 and "\n" not in name and text.find(name, first_break + 1) >= 0


# --- merging -----------------------------------------------------------------------------


class _Person:
    def __init__(self, first: _Found) -> None:
        self.members = [first]
        self.families = {first.family} if first.family else set()
        # The given names of the fullest member (the first of them on a tie), kept up to
        # date as members attach: merging compares them for every mention.
        self._fullest = _fullness(first)
        self.given = first.name.given

    def attach(self, found: _Found) -> None:
        self.members.append(found)
        if found.family:
            self.families.add(found.family)
        fullness = _fullness(found)
        if fullness > self._fullest:
            self._fullest = fullness
            self.given = found.name.given

    def accepts_family(self, family: str | None) -> bool:
        return family is None or not self.families or family in self.families


def _fullness(found: _Found) -> tuple[int, int]:
    return len(found.name.given), len(found.name.display)


def _given_compatible(one: tuple[str, ...], other: tuple[str, ...]) -> bool:
    """Given names agree word by word as far as both go, an initial matching a name."""
    for a, b in zip(one, other, strict=False):
        a, b = fold(a), fold(b)
        if (
            a != b
            and not (len(a) == 1 and b.startswith(a))
            and not (len(b) == 1 and a.startswith(b))
        ):
            return False
    return True


def _merge_surname(group: list[_Found]) -> dict[_Found, str]:
    """Keys for the mentions of one surname in one cable (the module's merging rule)."""
    surname = fold(group[0].name.surname)
    if len(group) == 1:  # most groups: the rule below comes to this
        (found,) = group
        if found.name.given:
            return {found: f"{surname}, {fold(' '.join(found.name.given))}"}
        return {found: f"{surname} ({found.family})" if found.family else surname}
    persons: list[_Person] = []
    with_given = sorted((f for f in group if f.name.given), key=lambda f: -len(f.name.given))
    for found in with_given:
        person = next(
            (
                p
                for p in persons
                if _given_compatible(p.given, found.name.given) and p.accepts_family(found.family)
            ),
            None,
        )
        if person is None:
            persons.append(_Person(found))
        else:
            person.attach(found)
    alone: list[_Found] = []
    # Titled mentions first: their titles decide where the untitled ones may go.
    for found in sorted((f for f in group if not f.name.given), key=lambda f: f.family is None):
        candidates = [p for p in persons if p.accepts_family(found.family)]
        if len(candidates) == 1:
            candidates[0].attach(found)
        else:
            alone.append(found)
    keys: dict[_Found, str] = {}
    for person in persons:
        key = f"{surname}, {fold(' '.join(person.given))}"
        keys.update((member, key) for member in person.members)
    alone_families = {f.family for f in alone if f.family}
    for found in alone:
        family = found.family
        if family is None and not persons and len(alone_families) == 1:
            family = next(iter(alone_families))
        keys[found] = f"{surname} ({family})" if family else surname
    return keys


def mentions(cable: Cable) -> list[Mention]:
    """The people a cable names, each mention keyed by its merged person (pure)."""
    found = _found_in(cable)
    by_surname: dict[str, list[_Found]] = {}
    for item in found:
        by_surname.setdefault(fold(item.name.surname), []).append(item)
    keys: dict[_Found, str] = {}
    for group in by_surname.values():
        keys.update(_merge_surname(group))
    # Each mention once, in order: told apart by their fields, as `Mention` compares them.
    unique = dict.fromkeys(
        (keys[item], item.name.display, item.title, item.role, item.portion_key) for item in found
    )
    return [Mention(*fields) for fields in unique]


def person_terms(key: str) -> tuple[str, ...]:
    """What the search index stores for a person key: the key and its bare surname."""
    surname = key.split(",", 1)[0].split(" (", 1)[0]
    return (key,) if surname == key else (key, surname)


def person_query_term(written: str) -> str:
    """The index term for what a user writes after ``person:``: a surname (``Kislyak``),
    a full name (``Sergey Kislyak``, ``Kislyak, Sergey``) or a key."""
    if "(" in written:
        return fold(written)
    name = parse_name(written)
    if name is None:
        return fold(written)
    if not name.given:
        return fold(name.surname)
    return f"{fold(name.surname)}, {fold(' '.join(name.given))}"


# --- organisations and countries ---------------------------------------------------------

ORGANIZATION = "organization"
COUNTRY = "country"


@dataclass(frozen=True)
class TagEntity:
    """An organisation or a country a cable is tagged with (spec §2.5)."""

    code: str
    kind: str
    """`ORGANIZATION` or `COUNTRY` (a geographic TAG)."""
    name: str | None
    """The readable name the reference tables give for the tag's era, when they give one
    (`cablegram.reference.tag_meaning`: organisation meanings only for 1974-era cables,
    since codes changed meaning)."""


def organisations(cable: Cable) -> list[TagEntity]:
    """The organisation and geographic TAGS of a cable, each once, in TAGS order (pure)."""
    found: dict[str, TagEntity] = {}
    for tag in cable.tags:
        if tag.kind is TagKind.ORGANIZATION:
            kind = ORGANIZATION
        elif tag.kind is TagKind.GEOGRAPHIC:
            kind = COUNTRY
        else:
            continue
        name = tag_meaning(tag.code, tag.kind, tag.era)
        found.setdefault(tag.code, TagEntity(tag.code, kind, name))
    return list(found.values())
