"""`Cable` <-> JSON-able dict: the output of ``cablegram parse --json``.

The shape is described by ``docs/cable.schema.json`` (JSON Schema draft 2020-12). Choices:

* every key is always present, ``null`` or ``[]`` when the cable does not say; keys come in
  a fixed order (the order of a cable: envelope, classification line, captions, E.O. line,
  TAGS, SUBJECT, REF, Classified By, paragraphs, signature), so output is deterministic;
* ``date`` is the DTG as ISO 8601 UTC (``2007-03-09T15:23:00Z``); ``dtg`` is the same
  moment in cable notation (``091523Z MAR 07``, spec §1.7); both are null without a DTG;
* levels are `Level` names (``SECRET``, ``SBU``, ``TOP_SECRET``), precedences their labels
  (``NIACT IMMEDIATE``), other enums their values (``"n/a"``, ``"fips"``);
* a marking is ``{level, caveats, rel_to, portion}`` with caveats in banner order; the
  cable's ``classification`` adds the ``banner`` (``SECRET//NOFORN``);
* ``precedence`` is the cable's action precedence (`Cable.precedence`), derived, like
  ``dtg``, ``portion`` and ``banner``: `cable_from_dict` ignores derived keys.

`cable_from_dict` inverts `cable_to_dict` (except ``original_text``, which is not output).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from cablegram.model import (
    Addressee,
    Block,
    BlockKind,
    Cable,
    ClassifiedBy,
    Declassification,
    DeclassificationKind,
    Diagnostic,
    Envelope,
    Level,
    Marking,
    Paragraph,
    Part,
    Participant,
    Precedence,
    Reference,
    ReferenceKind,
    Section,
    Tag,
    TagEra,
    TagKind,
)
from cablegram.model.marking import CAVEAT_ORDER
from cablegram.read.formats import Document
from cablegram.write.header import format_dtg

_ISO_UTC = "%Y-%m-%dT%H:%M:%SZ"


def cable_to_dict(cable: Cable, source: Document | None = None) -> dict[str, Any]:
    """The cable as plain JSON values, ``source`` naming the file and position it came from."""
    return {
        "source": None if source is None else {"path": source.path, "index": source.index},
        "id": cable.id,
        "date": None if cable.dtg is None else cable.dtg.astimezone(UTC).strftime(_ISO_UTC),
        "dtg": None if cable.dtg is None else format_dtg(cable.dtg),
        "origin": cable.origin,
        "serial": cable.serial,
        "classification": _classification(cable.classification),
        "precedence": _precedence(cable.precedence),
        "envelope": _envelope(cable.envelope),
        "originator": _addressee(cable.originator) if cable.originator else None,
        "recipients": {
            "to": [_addressee(a) for a in cable.to],
            "info": [_addressee(a) for a in cable.info],
        },
        "sections": _section(cable.section),
        "captions": list(cable.captions),
        "passing": list(cable.passing),
        "declassify": _declassification(cable.declassification),
        "tags": [_tag(tag) for tag in cable.tags],
        "subject": cable.subject,
        "subject_marking": _marking(cable.subject_marking),
        "references": [_reference(reference) for reference in cable.references],
        "classified_by": _classified_by(cable.classified_by),
        "paragraphs": [_paragraph(paragraph) for paragraph in cable.paragraphs],
        "blocks": [_block(block) for block in cable.blocks],
        "participants": [_participant(participant) for participant in cable.participants],
        "part": _part(cable.part),
        "signature": cable.signature,
        "partial": cable.partial,
        "diagnostics": [_diagnostic(diagnostic) for diagnostic in cable.diagnostics],
    }


def _precedence(precedence: Precedence | None) -> str | None:
    return None if precedence is None else precedence.value


def _marking(marking: Marking | None) -> dict[str, Any] | None:
    if marking is None:
        return None
    known = [c for c in CAVEAT_ORDER if c in marking.caveats]
    return {
        "level": marking.level.name,
        "caveats": known + sorted(marking.caveats - set(known)),
        "rel_to": list(marking.rel_to),
        "portion": marking.portion,
    }


def _classification(marking: Marking | None) -> dict[str, Any] | None:
    fields = _marking(marking)
    if marking is None or fields is None:
        return None
    return {**fields, "banner": marking.banner}


def _envelope(envelope: Envelope) -> dict[str, Any]:
    return {
        "transmission_id": envelope.transmission_id,
        "routing_precedence": _precedence(envelope.routing_precedence),
        "delivering_stations": list(envelope.delivering_stations),
        "originating_station": envelope.originating_station,
        "station_serial": envelope.station_serial,
        "section": envelope.section,
        "filing_time": envelope.filing_time,
        "security_line": envelope.security_line,
        "precedences": [p.value for p in envelope.precedences],
    }


def _addressee(addressee: Addressee) -> dict[str, Any]:
    return {
        "address": addressee.address,
        "routing_indicator": addressee.routing_indicator,
        "precedence": _precedence(addressee.precedence),
        "mcn": addressee.mcn,
        "exempted": list(addressee.exempted),
    }


def _section(section: Section | None) -> dict[str, Any] | None:
    return None if section is None else {"number": section.number, "total": section.total}


def _declassification(declassification: Declassification | None) -> dict[str, Any] | None:
    if declassification is None:
        return None
    return {
        "order": declassification.order,
        "kind": declassification.kind.value,
        "date": None if declassification.date is None else declassification.date.isoformat(),
        "exemption": declassification.exemption,
        "event": declassification.event,
    }


def _tag(tag: Tag) -> dict[str, Any]:
    return {
        "code": tag.code,
        "kind": tag.kind.value,
        "era": None if tag.era is None else tag.era.value,
    }


def _reference(reference: Reference) -> dict[str, Any]:
    return {
        "id": reference.id,
        "kind": reference.kind.value,
        "text": reference.text,
        "letter": reference.letter,
        "notal": reference.notal,
    }


def _classified_by(classified_by: ClassifiedBy | None) -> dict[str, Any] | None:
    if classified_by is None:
        return None
    return {
        "name": classified_by.name,
        "title": classified_by.title,
        "reasons": list(classified_by.reasons),
        "section": classified_by.section,
    }


def _paragraph(paragraph: Paragraph) -> dict[str, Any]:
    return {
        "number": paragraph.number,
        "marking": _marking(paragraph.marking),
        "heading": paragraph.heading,
        "text": paragraph.text,
    }


def _block(block: Block) -> dict[str, Any]:
    return {"kind": block.kind.value, "text": block.text, "paragraph": block.paragraph}


def _participant(participant: Participant) -> dict[str, Any]:
    return {
        "name": participant.name,
        "title": participant.title,
        "affiliation": participant.affiliation,
        "side": participant.side,
    }


def _part(part: Part | None) -> dict[str, Any] | None:
    if part is None:
        return None
    return {"number": part.number, "total": part.total, "other": list(part.other)}


def _diagnostic(diagnostic: Diagnostic) -> dict[str, Any]:
    return {
        "code": diagnostic.code,
        "message": diagnostic.message,
        "line": diagnostic.line,
        "end_line": diagnostic.end_line,
    }


def cable_from_dict(data: Mapping[str, Any]) -> Cable:
    """The `Cable` that `cable_to_dict` turned into ``data`` (derived keys are ignored)."""
    envelope = data["envelope"]
    declassify = data["declassify"]
    classified_by = data["classified_by"]
    section = data["sections"]
    part = data["part"]
    return Cable(
        id=data["id"],
        envelope=Envelope(
            transmission_id=envelope["transmission_id"],
            routing_precedence=_read_precedence(envelope["routing_precedence"]),
            delivering_stations=tuple(envelope["delivering_stations"]),
            originating_station=envelope["originating_station"],
            station_serial=envelope["station_serial"],
            section=envelope["section"],
            filing_time=envelope["filing_time"],
            security_line=envelope["security_line"],
            precedences=tuple(Precedence(p) for p in envelope["precedences"]),
        ),
        dtg=None if data["date"] is None else datetime.fromisoformat(data["date"]),
        originator=_read_addressee(data["originator"]) if data["originator"] else None,
        to=tuple(_read_addressee(a) for a in data["recipients"]["to"]),
        info=tuple(_read_addressee(a) for a in data["recipients"]["info"]),
        classification=_read_marking(data["classification"]),
        origin=data["origin"],
        serial=data["serial"],
        section=None if section is None else Section(section["number"], section["total"]),
        captions=tuple(data["captions"]),
        passing=tuple(data["passing"]),
        declassification=None
        if declassify is None
        else Declassification(
            order=declassify["order"],
            kind=DeclassificationKind(declassify["kind"]),
            date=None if declassify["date"] is None else date.fromisoformat(declassify["date"]),
            exemption=declassify["exemption"],
            event=declassify["event"],
        ),
        tags=tuple(
            Tag(t["code"], TagKind(t["kind"]), None if t["era"] is None else TagEra(t["era"]))
            for t in data["tags"]
        ),
        subject=data["subject"],
        subject_marking=_read_marking(data["subject_marking"]),
        references=tuple(
            Reference(r["text"], ReferenceKind(r["kind"]), r["id"], r["letter"], r["notal"])
            for r in data["references"]
        ),
        classified_by=None
        if classified_by is None
        else ClassifiedBy(
            classified_by["name"],
            classified_by["title"],
            tuple(classified_by["reasons"]),
            classified_by["section"],
        ),
        paragraphs=tuple(
            Paragraph(p["number"], _read_marking(p["marking"]), p["text"], p["heading"])
            for p in data["paragraphs"]
        ),
        blocks=tuple(
            Block(BlockKind(b["kind"]), b["text"], b["paragraph"]) for b in data["blocks"]
        ),
        participants=tuple(
            Participant(p["name"], p["title"], p["affiliation"], p["side"])
            for p in data["participants"]
        ),
        part=None if part is None else Part(part["number"], part["total"], tuple(part["other"])),
        signature=data["signature"],
        partial=data["partial"],
        diagnostics=tuple(
            Diagnostic(d["code"], d["message"], d["line"], d["end_line"])
            for d in data["diagnostics"]
        ),
    )


def _read_precedence(label: str | None) -> Precedence | None:
    return None if label is None else Precedence(label)


def _read_marking(data: Mapping[str, Any] | None) -> Marking | None:
    if data is None:
        return None
    return Marking(Level[data["level"]], frozenset(data["caveats"]), tuple(data["rel_to"]))


def _read_addressee(data: Mapping[str, Any]) -> Addressee:
    return Addressee(
        address=data["address"],
        routing_indicator=data["routing_indicator"],
        precedence=_read_precedence(data["precedence"]),
        mcn=data["mcn"],
        exempted=tuple(data["exempted"]),
    )
