"""Wrong metadata in the corpus: found by rules on the record, never by the parser.

A record whose metadata is wrong cannot score the parser, so the field it spoils is left
out of the denominators and the record is listed with its reason. The rules read the raw
text with their own small patterns, independent of `cablegram.read`, and each needs two
witnesses in the text that agree with each other against the metadata, so that a parser
bug can never turn a miss into an excused "metadata error". Rules, in order:

0. **No text** (excludes every field).
1. **Malformed reference id** (excludes *id*): the id is not ``<yy><ORIGIN><serial>``, or its
   origin holds a word of the classification line. The publisher built some ids from a
   misread classification line: ``09EFTOLONDON2521`` (``UNCLAS E F T O LONDON 002521``),
   ``08SECTION01GF02BISHIEK21``, ``09SECTION02OF03QRIPOLI583``.
2. **Body of another cable** (excludes every field): the text's first classification line
   (spec §2.1: ``<CLASSIF> [SECTION nn OF nn] <ORIGIN> <serial>``) names another cable,
   because its origin *and* serial both differ from the id's (08LAPAZ751 is a La Paz
   envelope on ``S E C R E T BOGOTA 004036``; 09HAVANA132, 09BANGKOK706, 05MUSCAT679), or
   because an FL3 station serial (spec §1.5: the serial's last four digits) agrees with the
   classification line and not with the id (09ASUNCION595: its envelope, then the whole of
   09ASUNCION561 with its own ``DE RUEHAC #0561``). A garbled serial alone (06REYKJAVIK40's
   ``00040QSITIVE``) or an alias of the origin alone stays a parser miss.
3. **Wrong ``created``** (excludes *date*): the DTG (spec §1.7) and the FL3 Julian filing
   time (spec §1.5) agree with each other to within an hour, and ``created`` is another hour
   (08CONAKRY184: ``121241Z MAY 08`` and ``1331241``, created 2008-03-06). The publisher's
   minutes are never checked: the date comparison ignores them.
4. **Publisher lost the tags** (excludes *tags*): the publisher's list is empty although the
   text has a TAGS field. Its extractor missed lines without a colon (``TAGS PREL, GM, VT``
   in 02VATICAN819), lines after a blank line, and fields run into the E.O. line
   (``decl: 01/07/2014 Tags: prel, pgov`` in 04ANKARA348).
5. **Publisher cut a wrapped TAGS line** (excludes *tags*): the publisher's tags are exactly
   those of the TAGS line's first line, and the next line holds only more codes
   (09USUNNEWYORK997: ``TAGS: PREL ... LG`` then ``MI, IZ, GA, ...``).
6. **Unknown label** (excludes *level* and *noforn*): the publisher's classification names
   no level.
7. **Level without a trace** (excludes *level*): the label's level is above both the text's
   classification line and every portion mark (09CAIRO258: labelled SECRET, text
   ``UNCLAS CAIRO 000258`` with (SBU) and (U) paragraphs; 09TBILISI1123, 10AMMAN91).
8. **NOFORN without a trace** (excludes *noforn*): the label says ``//NOFORN`` but the text
   has no NOFORN caption, no NOFORN portion mark (``(S/NF)``, ``(SBU/N)``, spec §2.7) and no
   "NOT RELEASABLE TO FOREIGN NATIONALS" (06BRASILIA2246, 08LONDON3215 "RELEASABLE TO UK").
   A ``//NOFORN`` inside the text is the publisher's own label leaked with other CSV fields
   (``classification: CONFIDENTIAL//NOFORN`` in 06LIMA2366) and is no trace. The SENSITIVE
   caption is no trace either: 41 classified SENSITIVE cables are not labelled NOFORN.
9. **Unclassified NOFORN** (excludes *noforn*): the publisher's labels have no unclassified
   NOFORN (its six labels are U, U//FOR OFFICIAL USE ONLY, C, C//NOFORN, S, S//NOFORN), so
   an unclassified label says nothing about a NOFORN the text marks (``SENSITIVE NOFORN`` in
   09TRIPOLI648, an SBU NOFORN cable). A classified cable labelled without NOFORN whose text
   marks it stays a miss: that label could have said NOFORN.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cablegram.evaluate.corpus import Record
from cablegram.evaluate.fields import Field, publisher_level, word_tokens
from cablegram.model import Level

ALL_FIELDS = frozenset(Field)

_ID = re.compile(r"^(?P<year>\d{2})(?P<origin>[A-Z]+?)(?P<serial>\d+)$")
_CLASSIFICATION_LINE_WORDS = ("SECTION", "EFTO")
_LEVEL_WORD = "|".join(
    r"[ \t]?".join(word)
    for word in ("TOPSECRET", "SECRET", "CONFIDENTIAL", "UNCLASSIFIED", "UNCLAS")
)
_CLASSIFICATION_LINE = re.compile(
    rf"^[^\w\n]*(?P<level>{_LEVEL_WORD}|LIMITED[ \t]+OFFICIAL[ \t]+USE)"
    r"(?:[ \t]+(?:E[ \t]?F[ \t]?T[ \t]?O|SENSITIVE))?"
    r"(?:[ \t]+(?:FINAL[ \t]+)?SECTION[ \t]+\d+[ \t]+OF[ \t]+\d+)?"
    r"[ \t]+(?P<origin>[A-Z][A-Z .'-]*?)[ \t]*(?P<serial>\d{1,7})(?!\d)",
    re.IGNORECASE | re.MULTILINE,
)
_STATION_LINE = re.compile(
    r"^[ \t]*DE[ \t]+[A-Z]{4,7}[ \t]*#[ \t]*(?P<serial>\d{1,5})(?:/\d{1,3})?"
    r"(?:[ \t]+(?P<day>\d{3})(?P<hour>\d{2})(?P<minute>\d{2})\b)?",
    re.MULTILINE,
)
_DTG_LINE = re.compile(
    r"^[ \t]*(?:[ZOPR][ \t]+){1,2}(?P<day>\d{2})(?P<hour>\d{2})(?P<minute>\d{2})Z[ \t]+"
    r"(?P<month>[A-Z]{3})[ \t]+(?P<year>\d{2}(?:\d{2})?)\b",
    re.MULTILINE,
)
_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_TAGS_FIELD = re.compile(
    r"(?:^[ \t]*TAGS?\b[ \t:;]*|\bTAGS?[ \t]*[:;][ \t]*)[A-Z]{2}", re.IGNORECASE | re.MULTILINE
)
_TAGS_AND_NEXT_LINE = re.compile(
    r"^[ \t]*TAGS?\b[ \t:;]*(?P<first>.*)\n(?P<next>.*)$", re.IGNORECASE | re.MULTILINE
)
_CODES_ONLY = re.compile(r"^[ \t]*[A-Z]{2,12}(?:[ \t,;]+[A-Z]{2,12})*[ \t,;\\]*$")
_CAPTIONS = frozenset({"SIPDIS", "NOFORN", "EXDIS", "NODIS", "LIMDIS", "STADIS", "SENSITIVE"})
_LINK_RESIDUE = re.compile(r"\[\d+\]\(#\)")
_LINE_LEVELS = {
    "TOPSECRET": Level.TOP_SECRET,
    "SECRET": Level.SECRET,
    "CONFIDENTIAL": Level.CONFIDENTIAL,
    "UNCLASSIFIED": Level.UNCLASSIFIED,
    "UNCLAS": Level.UNCLASSIFIED,
    "LIMITEDOFFICIALUSE": Level.LOU,
}
_PORTION_LEVEL = re.compile(r"\((TS|S|C|SBU|U)(?:[ \t]*/[^)\n]{0,20})?\)")
_NOFORN_MARK = re.compile(
    r"(?<!//)NOFORN|\((?:TS|S|C|SBU|U)[ \t]*//?[ \t]*NF?\)"
    r"|NOT[ \t]+RELEASABLE[ \t]+TO[ \t]+FOREIGN",
    re.IGNORECASE,
)


class Rule(enum.Enum):
    """The rules of this module, in order, each with the fields it leaves out."""

    NO_TEXT = "no text"
    MALFORMED_ID = "malformed reference id"
    FOREIGN_BODY = "body of another cable"
    WRONG_CREATED = "created contradicted by the DTG and the DE filing time"
    LOST_TAGS = "publisher lists no tags; the text has a TAGS field"
    CUT_TAGS = "publisher kept only the first line of a wrapped TAGS line"
    UNKNOWN_LABEL = "publisher's label names no level"
    UNTRACEABLE_LEVEL = "publisher's level has no trace in the text"
    UNTRACEABLE_NOFORN = "publisher's NOFORN has no trace in the text"
    UNCLASSIFIED_NOFORN = "publisher has no label for an unclassified NOFORN text"

    @property
    def excluded(self) -> frozenset[Field]:
        """The fields a record caught by this rule is not scored on."""
        return _EXCLUDED[self]


_EXCLUDED = {
    Rule.NO_TEXT: ALL_FIELDS,
    Rule.FOREIGN_BODY: ALL_FIELDS,
    Rule.MALFORMED_ID: frozenset({Field.ID}),
    Rule.WRONG_CREATED: frozenset({Field.DATE}),
    Rule.LOST_TAGS: frozenset({Field.TAGS}),
    Rule.CUT_TAGS: frozenset({Field.TAGS}),
    Rule.UNKNOWN_LABEL: frozenset({Field.LEVEL, Field.NOFORN}),
    Rule.UNTRACEABLE_LEVEL: frozenset({Field.LEVEL}),
    Rule.UNTRACEABLE_NOFORN: frozenset({Field.NOFORN}),
    Rule.UNCLASSIFIED_NOFORN: frozenset({Field.NOFORN}),
}


@dataclass(frozen=True)
class MetadataError:
    reference_id: str
    rule: Rule
    detail: str = ""
    """The evidence, quoted from the text."""

    @property
    def excluded(self) -> frozenset[Field]:
        return self.rule.excluded

    @property
    def reason(self) -> str:
        return f"{self.rule.value}: {self.detail}" if self.detail else self.rule.value


@dataclass(frozen=True)
class _CableName:
    origin: str
    serial: int


def metadata_errors(record: Record) -> list[MetadataError]:
    """Every rule that finds the record's metadata wrong, in the module's order."""
    if not record.text.strip():
        return [MetadataError(record.reference_id, Rule.NO_TEXT)]
    name = _id_name(record.reference_id)
    if name is not None:
        foreign = _foreign_body(record.text, name)
        if foreign is not None:
            return [MetadataError(record.reference_id, Rule.FOREIGN_BODY, foreign)]
    found: list[tuple[Rule, str | None]] = [
        (Rule.MALFORMED_ID, "" if name is None else None),
        (Rule.WRONG_CREATED, _wrong_created(record)),
        (Rule.LOST_TAGS, "" if not record.tags and _TAGS_FIELD.search(record.text) else None),
        (Rule.CUT_TAGS, _cut_tags(record)),
    ]
    try:
        level = publisher_level(record.classification)
    except ValueError:
        found.append((Rule.UNKNOWN_LABEL, repr(record.classification)))
    else:
        found.append((Rule.UNTRACEABLE_LEVEL, _untraceable_level(record.text, level)))
        found.append((Rule.UNTRACEABLE_NOFORN, _untraceable_noforn(record)))
        found.append((Rule.UNCLASSIFIED_NOFORN, _unclassified_noforn(record, level)))
    return [
        MetadataError(record.reference_id, rule, detail)
        for rule, detail in found
        if detail is not None
    ]


def _id_name(reference_id: str) -> _CableName | None:
    match = _ID.match(reference_id)
    if match is None or any(w in match["origin"] for w in _CLASSIFICATION_LINE_WORDS):
        return None
    return _CableName(match["origin"], int(match["serial"]))


def _foreign_body(text: str, name: _CableName) -> str | None:
    line = _CLASSIFICATION_LINE.search(text)
    if line is None:
        return None
    written = _CableName(_compact(line["origin"]), int(line["serial"]))
    if written.serial != name.serial and not _same_origin(written.origin, name.origin):
        return f"the classification line names {line[0].strip()!r}"
    if written.serial % 10_000 == name.serial % 10_000:
        return None
    for station in _STATION_LINE.finditer(text):
        # Any DE line: a glued body may bring its own envelope after the record's (09ASUNCION595).
        if int(station["serial"]) == written.serial % 10_000:
            return (
                f"DE line #{station['serial']} and classification line {line[0].strip()!r} "
                "agree with each other, not with the id"
            )
    return None


def _compact(origin: str) -> str:
    return re.sub(r"[^A-Z]", "", origin.upper())


def _same_origin(written: str, origin: str) -> bool:
    # Containment accepts the aliases the canonical form drops (SECSTATE/STATE, USUN...).
    return written in origin or origin in written


def _wrong_created(record: Record) -> str | None:
    dtg_line, station = _DTG_LINE.search(record.text), _STATION_LINE.search(record.text)
    if dtg_line is None or station is None or station["day"] is None:
        return None
    dtg = _dtg(dtg_line)
    if dtg is None or record.created.replace(minute=0) == dtg.replace(minute=0):
        return None
    day, hour, minute = int(station["day"]), int(station["hour"]), int(station["minute"])
    # The Julian day has no year: take the one nearest the DTG (filing may cross New Year).
    filings = (
        datetime(year, 1, 1, tzinfo=UTC) + timedelta(days=day - 1, hours=hour, minutes=minute)
        for year in (dtg.year - 1, dtg.year, dtg.year + 1)
    )
    if min(abs(filing - dtg) for filing in filings) >= timedelta(hours=1):
        return None
    return (
        f"created {record.created:%Y-%m-%d %H:%M}, DTG {dtg_line[0].strip()!r}, "
        f"filed {station[0].strip()!r}"
    )


def _dtg(match: re.Match[str]) -> datetime | None:
    year = int(match["year"])
    if year < 100:
        # Two-digit years: ACP 127 reads 00-49 as 20xx; the sample reaches back to 1966.
        year += 2000 if year < 50 else 1900
    if match["month"] not in _MONTHS:
        return None
    try:
        return datetime(
            year,
            _MONTHS.index(match["month"]) + 1,
            int(match["day"]),
            int(match["hour"]),
            int(match["minute"]),
            tzinfo=UTC,
        )
    except ValueError:
        return None


def _cut_tags(record: Record) -> str | None:
    line = _TAGS_AND_NEXT_LINE.search(record.text)
    if not record.tags or line is None or not _CODES_ONLY.match(line["next"]):
        return None
    continued = word_tokens([line["next"]])
    first = word_tokens([_LINK_RESIDUE.sub(" ", line["first"])])
    if set(continued) <= _CAPTIONS or set(word_tokens(record.tags)) != set(first):
        return None
    return f"next line {line['next'].strip()!r}"


def _untraceable_noforn(record: Record) -> str | None:
    labelled = "NOFORN" in record.classification.split("//")[1:]
    return "" if labelled and _NOFORN_MARK.search(record.text) is None else None


def _unclassified_noforn(record: Record, level: Level) -> str | None:
    mark = _NOFORN_MARK.search(record.text)
    if level.is_classified or mark is None or "NOFORN" in record.classification:
        return None
    return f"the text marks {mark[0]!r}"


def _untraceable_level(text: str, level: Level) -> str | None:
    line = _CLASSIFICATION_LINE.search(text)
    if line is None or not level.is_classified:
        return None
    written = _LINE_LEVELS[re.sub(r"[ \t]", "", line["level"].upper())]
    portions = [Level.from_name(mark.upper()) for mark in _PORTION_LEVEL.findall(text)]
    if max((p.rank for p in portions), default=0) >= level.rank or written.rank >= level.rank:
        return None
    marks = ", ".join(sorted({f"({p.value})" for p in portions})) or "none"
    return f"{level.word}; classification line {line[0].strip()!r}, portion marks {marks}"
