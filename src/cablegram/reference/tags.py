"""TAGS: what kind of code a TAG is, what it means, and whether its era knows it (spec §2.5).

TAGS ("Traffic Analysis by Geography and Subject") come in kinds, told apart by shape and by
the tables (cablemap ``utils.tag_kind``, S17):

* **geographic**: two characters (``RS``, ``IR``; current regions are digit + letter,
  ``1A``), read in the code table of the cable's era (`cablegram.reference.eras`). A
  two-letter code missing from that table is still geographic (``RU``, ``EU``, ``VZ``
  occur on Cablegate-era cables), except the two-letter *organisation* codes (``UN``).
* **program** ("K-tags"): K + three letters (``KNNP``, ``KACT``).
* **subject**: four letters, the first naming the category: A Administration, B Business
  Services, C Consular, E Economic, L Legal, M Military, O Operations/Outreach, P Political,
  S Social, T Technology and Science (``PREL``, ``MNUC``).
* **organization**: acronyms from the organisation tables (``IAEA``, ``NATO``, ``UN``), plus
  ``data/tags_organization_observed.tsv`` (``START``, ``NPT``, ``OPCW`` ...: seen on TAGS
  lines, in no table). Those classify as organisations but stay unknown (`is_known_tag`),
  so the linter still reports them as missing from the tables.
* **person**: free-style names, ``SURNAME, GIVEN`` (``OVIP (STEINBERG, JAMES B.)``).

Tables (package data, provenance in each file): ``tags_geo_1974.tsv``, ``tags_geo_fips.tsv``
(FIPS 10-4 countries + the 1974 region codes XA-XZ Cablegate cables still use),
``tags_geo_current.tsv``, ``tags_subject.tsv``, ``tags_program_k.tsv``,
``tags_organization.tsv``.

Which non-geographic codes an era knows: the 1974 era knows the 1974 handbook and NARA
1973-79 lists, a complete handbook of its time (no K-tags). Later eras know every code any
table lists, because their lists are partial: the Cablegate-era code lists were scraped
from the cables seen (ECIN, on 22 sample cables, is missing from them but in 5 FAH-3 and the
1974 handbook), and 5 FAH-3 H-011.1 was retrievable for A-E only. Meanings drift (WTO was
the Warsaw Pact in 1974), so an organisation's 1974 meaning is given for the 1974 era
only; subject meanings fall back across eras, nearest table first.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from cablegram.model import TagEra, TagKind
from cablegram.reference._tsv import table
from cablegram.reference.eras import UNDATED_ERA, geo_table

#: First letters of subject TAGS (5 FAH-3 H-110; NARA 1973-79 FAQ).
SUBJECT_CATEGORIES = frozenset("ABCELMOPST")


@dataclass(frozen=True)
class _Subject:
    meanings: dict[TagEra, tuple[str, ...]]
    """Non-empty meanings in the order of preference for each era."""
    in_1974_lists: bool


@dataclass(frozen=True)
class _Organization:
    meaning_1974: str | None
    listed: bool
    """In a TAGS table (not only observed on TAGS lines, like START)."""


@functools.cache
def _geographic(era: TagEra) -> dict[str, str]:
    return {row["code"]: row["name"] for row in table(geo_table(era)).rows}


@functools.cache
def _subjects() -> dict[str, _Subject]:
    subjects: dict[str, _Subject] = {}
    for row in table("tags_subject.tsv").rows:
        current = row["meaning_5fah3_2022"]
        cablegate = row["meaning_plusd_sample"]
        old = (row["meaning_1974"], row["meaning_nara"])
        order = {
            TagEra.TAGS_1974: (*old, current, cablegate),
            TagEra.FIPS: (cablegate, current, *old),
            TagEra.CURRENT: (current, cablegate, *old),
        }
        subjects[row["code"]] = _Subject(
            {era: tuple(m for m in meanings if m) for era, meanings in order.items()},
            in_1974_lists=any(old),
        )
    return subjects


@functools.cache
def _programs() -> dict[str, str | None]:
    programs: dict[str, str | None] = {}
    for row in table("tags_program_k.tsv").rows:
        informal = row["meaning_informal_unverified"]
        programs[row["code"]] = row["meaning_plusd_sample"] or (
            f"{informal} (unverified)" if informal else None
        )
    return programs


@functools.cache
def _organizations() -> dict[str, _Organization]:
    organizations = {
        row["code"]: _Organization(row["meaning_1974"] or None, listed=True)
        for row in table("tags_organization.tsv").rows
    }
    for row in table("tags_organization_observed.tsv").rows:
        organizations.setdefault(row["code"], _Organization(None, listed=False))
    return organizations


def _code(code: str) -> str:
    return " ".join(code.split()).upper()


def _is_geographic_shape(code: str) -> bool:
    return len(code) == 2 and code.isalnum() and not code.isdigit()


def classify_tag(code: str, era: TagEra) -> tuple[TagKind, TagEra | None]:
    """The kind of a TAG, and for geographic TAGS the era whose table gives its meaning."""
    upper = _code(code)
    if "," in upper:
        return TagKind.PERSON, None
    if _is_geographic_shape(upper):
        if upper not in _geographic(era) and upper in _organizations():
            return TagKind.ORGANIZATION, None
        return TagKind.GEOGRAPHIC, era
    if upper in _programs():
        return TagKind.PROGRAM, None
    if upper in _subjects():
        return TagKind.SUBJECT, None
    if upper in _organizations():
        return TagKind.ORGANIZATION, None
    if len(upper) == 4 and upper.isalpha():
        if upper.startswith("K"):
            return TagKind.PROGRAM, None
        if upper[0] in SUBJECT_CATEGORIES:
            return TagKind.SUBJECT, None
    return TagKind.UNKNOWN, None


def tag_meaning(code: str, kind: TagKind, era: TagEra | None) -> str | None:
    """A readable label from the tables (``RS`` FIPS: ``Russia``), None when they have none.

    ``era`` None means undated (the FIPS era). Program labels that only an unverified source
    gives carry ``(unverified)``.
    """
    upper = _code(code)
    era = era or UNDATED_ERA
    if kind is TagKind.GEOGRAPHIC:
        return _geographic(era).get(upper)
    if kind is TagKind.SUBJECT:
        subject = _subjects().get(upper)
        meanings = subject.meanings[era] if subject else ()
        return meanings[0] if meanings else None
    if kind is TagKind.PROGRAM:
        return _programs().get(upper)
    if kind is TagKind.ORGANIZATION:
        organization = _organizations().get(upper)
        if organization is None or era is not TagEra.TAGS_1974:
            return None
        return organization.meaning_1974
    return None


def is_known_tag(code: str, era: TagEra) -> bool:
    """True when a table of the era lists the code (person tags are in none: free-style)."""
    upper = _code(code)
    if _is_geographic_shape(upper) and upper in _geographic(era):
        return True
    subject = _subjects().get(upper)
    organization = _organizations().get(upper)
    if era is TagEra.TAGS_1974:
        return (subject is not None and subject.in_1974_lists) or (
            organization is not None and organization.meaning_1974 is not None
        )
    listed = organization is not None and organization.listed
    return subject is not None or listed or upper in _programs()
