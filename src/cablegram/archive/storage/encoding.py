"""Versions to stored rows and back: the cable as JSON, plus the rows derived from it.

The cable is stored as the JSON of `cablegram.jsonio.cable_to_dict` (which round-trips every
field) beside the original text, so that a later reader can be re-run on the text while
services read the model without parsing again. `decode_cable` restores
``Cable.original_text`` from the stored text, because the linter and redaction point into
it.

Derived rows come from the modules that own their rules: reference edges from
`cablegram.archive.graph.edges` and person mentions from `cablegram.archive.people.mentions`
(whose `people.Mention` is copied into the storage `Mention`, so the store does not depend on
that module's types). They are computed here, at encoding time, so that ingest workers do
that work in parallel and a store never holds a cable without its edges and mentions.
Derived rows follow the code that derived them when the cable was stored: an unchanged text
is not stored again, so better extraction reaches existing cables only through a new
version.
"""

from __future__ import annotations

import dataclasses

import orjson

from cablegram.archive import people
from cablegram.archive.records import NewVersion
from cablegram.archive.storage.base import EncodedVersion, Mention, ReferenceEdge
from cablegram.jsonio import cable_from_dict, cable_to_dict
from cablegram.model import Cable

ID_FROM_TEXT = "text"
"""`EncodedVersion.id_from` when the id is the one the parser read from the text."""


def encode(version: NewVersion, id_from: str = ID_FROM_TEXT) -> EncodedVersion:
    # orjson writes the same compact JSON as json.dumps(ensure_ascii=False), 5x faster.
    cable_json = orjson.dumps(cable_to_dict(version.cable)).decode("utf-8")
    return EncodedVersion(
        cable_id=version.cable_id,
        text=version.text,
        hash=version.hash,
        cable_json=cable_json,
        source=version.source,
        id_from=id_from,
        released=version.released,
        references=_references(version.cable_id, version.cable),
        mentions=_mentions(version.cable),
    )


def decode_cable(cable_json: str, text: str) -> Cable:
    return dataclasses.replace(cable_from_dict(orjson.loads(cable_json)), original_text=text)


def _references(cable_id: str, cable: Cable) -> tuple[ReferenceEdge, ...]:
    # Imported here: the graph module reads archives through storage, which imports this.
    from cablegram.archive.graph import edges

    # The stored identity wins over the parsed one: a partial extract without a date has no
    # parsed id, and is stored under the id its container gave.
    return tuple(
        edge if edge.source_id == cable_id else dataclasses.replace(edge, source_id=cable_id)
        for edge in edges(cable)
    )


def _mentions(cable: Cable) -> tuple[Mention, ...]:
    return tuple(
        Mention(m.key, m.name, m.title, m.portion_key, m.role) for m in people.mentions(cable)
    )
