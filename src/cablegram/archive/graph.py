"""The reference graph: what a cable cites, what cites it, and threads of parts.

**Edges** (`edges`, pure; stored with the cable at put time, spec §2.6): one per entry of
the REF list, with its letter, kind (`cablegram.model.ReferenceKind` value), the text as
written, NOTAL, and the canonical id of the cited cable when it is a cable (``STATE
003773`` in a 2007 cable -> ``07STATE3773``; non-cable references, e-mails, DTG messages,
memos, keep ``target_id`` None). A multi-part cable adds one `PART` edge to each other
part its text names: the seed 07MOSCOW1002 says "This is part two of a two-part cable
... Part one is Ref G", and REF G is ``MOSCOW 01001``, so it has a part edge to
``07MOSCOW1001`` (the reader's `cablegram.model.Part`).

**Resolution.** A reference resolves when the archive holds the cited id and the
principal may see that cable. A cable the principal may not see is, for them, the same
as one the archive lacks (issue 4, item 4): it appears only as the reference id its
citing cable's REF list gives (handling metadata), without subject, date or link, and it
is listed with the unresolved references. A citing cable the principal may not see does
not appear at all. Asking for an invisible cable is `CableNotFoundError`, exactly as for
a missing id.

**Threads** (`thread`): the parts of a multi-part cable, found by following part edges
both ways (part II names part I; part I, written first, usually names no later part, so
the later parts are found through the edges that point at it), in part order. The
sections of one cable (``SECTION 1 OF 3``, spec §1.9) travel together under one id (the
publishers joined them into one text), so each member of a thread says how many
transmission sections it had.

**Export** (`export_graph`): the reference graph of the cables a search matches, as
GraphML or GEXF 1.3 for Gephi, written with the standard library's streaming XML writer
(`cablegram.archive.graph_xml`). Nodes are the matching cables and every id they cite;
node attributes (date, origin, subject as the principal's view shows it, classification)
are written only for cables the principal may see; a node without them is a reference id
only. Edges are the REF entries of the matching cables that cite a cable.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from cablegram.access import OPERATOR, Principal
from cablegram.access.portions import banner
from cablegram.archive.graph_xml import GraphFormat, GraphWriter, graph_writer
from cablegram.archive.reading import CableNotFoundError, Reader, Reading, matching_ids
from cablegram.archive.storage.base import ReferenceEdge, Storage
from cablegram.model import Cable, Part

if TYPE_CHECKING:
    from cablegram.archive import Archive

PART = "part"
"""`ReferenceEdge.kind` of the link from one part of a multi-part cable to another."""


def edges(cable: Cable) -> list[ReferenceEdge]:
    """The cable's REF entries as edges, then one `PART` edge per other part it names."""
    source = cable.id or ""
    found = [
        ReferenceEdge(source, ref.letter, ref.id, ref.kind.value, ref.text, ref.notal)
        for ref in cable.references
    ]
    if cable.part is not None:
        by_id = {ref.id: ref for ref in cable.references if ref.id}
        for other in cable.part.other:
            cited = by_id.get(other)
            if cited is None:
                continue  # a part named by an unresolved letter: no id to link to
            text = f"part {cable.part.number} of {cable.part.total or '?'}"
            found.append(ReferenceEdge(source, cited.letter, other, PART, text))
    return found


@dataclass(frozen=True)
class RefNode:
    """A cable the principal may see, with what its view shows."""

    id: str
    date: datetime | None
    origin: str | None
    subject: str | None
    """As the principal's view shows it (a placeholder when withheld)."""
    classification: str | None
    """The banner level's word (``SECRET``)."""
    part: Part | None
    """Part n of m, when the view shows the text that says so (redaction drops it
    otherwise, and then the cable's part links are not shown either)."""


@dataclass(frozen=True)
class RefLink:
    """One REF entry of a cable in the graph."""

    source: str
    target: str | None
    """The cited cable's id; None for a reference that is not a cable."""
    letter: str | None
    kind: str
    text: str
    notal: bool
    resolved: bool
    """The target is a cable of the archive the principal may see."""
    part: bool
    """The target is another part of the same multi-part cable."""
    depth: int
    """1 for the asked cable's own references (or those citing it), 2 for the next ring."""


@dataclass(frozen=True)
class RefGraph:
    root: RefNode
    nodes: tuple[RefNode, ...]
    """Every visible cable of the graph, the root first."""
    cites: tuple[RefLink, ...]
    """References made by the root and, with depth > 1, by the cables it cites."""
    cited_by: tuple[RefLink, ...]
    """References to the root and, with depth > 1, to the cables citing it."""

    @property
    def unresolved(self) -> tuple[RefLink, ...]:
        """Cable references whose target is not (for this principal) in the archive."""
        return tuple(link for link in self.cites if link.target and not link.resolved)

    @property
    def other(self) -> tuple[RefLink, ...]:
        """References that are not cables (memos, e-mails, messages by DTG)."""
        return tuple(link for link in self.cites if link.target is None)


def node(reading: Reading) -> RefNode:
    cable = reading.view.cable
    return RefNode(
        id=reading.stored.cable_id,
        date=cable.dtg,
        origin=cable.origin,
        subject=cable.subject,
        classification=banner(reading.stored.cable).level.word,
        part=cable.part,
    )


def _part_targets(made: Iterable[ReferenceEdge], source: RefNode | None) -> set[str | None]:
    """The other parts a cable names, when its reader may see the text naming them."""
    if source is None or source.part is None:
        return set()
    return {edge.target_id for edge in made if edge.kind == PART}


class _Walk:
    """Walks the stored edges for one reader, reading each cable at most once."""

    def __init__(self, storage: Storage, reader: Reader) -> None:
        self.storage = storage
        self.reader = reader
        self.nodes: dict[str, RefNode | None] = {}

    def visible(self, cable_id: str | None) -> RefNode | None:
        if cable_id is None:
            return None
        if cable_id not in self.nodes:
            reading = self.reader.read(cable_id)
            self.nodes[cable_id] = None if reading is None else node(reading)
        return self.nodes[cable_id]

    def outward(self, start: str, depth: int) -> tuple[RefLink, ...]:
        links: list[RefLink] = []
        ring, expanded = [start], {start}
        for distance in range(1, depth + 1):
            following: list[str] = []
            for source in ring:
                made = self.storage.references_from(source)
                parts = _part_targets(made, self.visible(source))
                for edge in made:
                    if edge.kind == PART:
                        continue  # the REF entry to the same part is listed already
                    cited = self.visible(edge.target_id)
                    links.append(_link(edge, cited is not None, edge.target_id in parts, distance))
                    if cited is not None and cited.id not in expanded:
                        expanded.add(cited.id)
                        following.append(cited.id)
            ring = following
        return tuple(links)

    def inward(self, start: str, depth: int) -> tuple[RefLink, ...]:
        links: list[RefLink] = []
        ring, expanded = [start], {start}
        for distance in range(1, depth + 1):
            following: list[str] = []
            for target in ring:
                for edge in self.storage.references_to(target):
                    citing = self.visible(edge.source_id)
                    if edge.kind == PART or citing is None:
                        continue  # an invisible citing cable does not exist for the reader
                    parts = _part_targets(self.storage.references_from(edge.source_id), citing)
                    links.append(_link(edge, True, target in parts, distance))
                    if edge.source_id not in expanded:
                        expanded.add(edge.source_id)
                        following.append(edge.source_id)
            ring = following
        return tuple(links)


def refs(
    archive: Archive,
    cable_id: str,
    depth: int = 1,
    principal: Principal = OPERATOR,
    as_of: date | None = None,
) -> RefGraph:
    """What the cable cites and what cites it, ``depth`` rings out (both ways)."""
    if depth < 1:
        raise ValueError(f"depth must be at least 1 (got {depth})")
    walk = _Walk(archive.storage, Reader(archive.storage, principal, as_of))
    root = walk.visible(cable_id)
    if root is None:
        raise CableNotFoundError(cable_id)
    cites = walk.outward(cable_id, depth)
    cited_by = walk.inward(cable_id, depth)
    others = tuple(n for n in walk.nodes.values() if n is not None and n.id != cable_id)
    return RefGraph(root, (root, *others), cites, cited_by)


def _link(edge: ReferenceEdge, resolved: bool, part: bool, depth: int) -> RefLink:
    return RefLink(
        source=edge.source_id,
        target=edge.target_id,
        letter=edge.letter,
        kind=edge.kind,
        text=edge.text,
        notal=edge.notal,
        resolved=resolved,
        part=part,
        depth=depth,
    )


# --- threads -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ThreadMember:
    cable_id: str
    part: int | None
    """Its part number, when it is visible and says it (None otherwise)."""
    parts: int | None
    """How many parts it says the cable has."""
    sections: int
    """Transmission sections of this part (1 when it was sent in one)."""
    node: RefNode | None
    """What the reader's view shows; None for a part known only by the id another part
    cites (not in the archive, or not visible to the reader)."""


@dataclass(frozen=True)
class Thread:
    cable_id: str
    """The cable asked about."""
    members: tuple[ThreadMember, ...]
    """Every part found, in part order (unknown numbers last, by id); a cable that is not
    part of a multi-part cable is a thread of one."""


def thread(
    archive: Archive,
    cable_id: str,
    principal: Principal = OPERATOR,
    as_of: date | None = None,
) -> Thread:
    """The parts of the multi-part cable ``cable_id`` belongs to, with their sections."""
    reader = Reader(archive.storage, principal, as_of)
    storage = archive.storage
    readings: dict[str, Reading | None] = {cable_id: reader.read(cable_id)}
    if readings[cable_id] is None:
        raise CableNotFoundError(cable_id)
    pending = [cable_id]
    while pending:
        current = pending.pop()
        linked: list[str] = []
        if _shows_part(readings[current]):
            # A part's links are known to the reader only through its own text.
            made = storage.references_from(current)
            linked.extend(e.target_id for e in made if e.kind == PART and e.target_id)
        for edge in storage.references_to(current):
            if edge.kind == PART and edge.source_id not in readings:
                citing = reader.read(edge.source_id)
                # An invisible part does not exist for the reader, and a part whose text
                # naming the others is withheld names none for them.
                if _shows_part(citing):
                    readings[edge.source_id] = citing
                    pending.append(edge.source_id)
        for other in linked:
            if other not in readings:
                readings[other] = reader.read(other)
                pending.append(other)
    members = [_member(member, reading) for member, reading in readings.items()]
    members.sort(key=lambda m: (m.part is None, m.part or 0, m.cable_id))
    return Thread(cable_id, tuple(members))


def _shows_part(reading: Reading | None) -> bool:
    return reading is not None and reading.view.cable.part is not None


def _member(cable_id: str, reading: Reading | None) -> ThreadMember:
    if reading is None:
        return ThreadMember(cable_id, None, None, 1, None)
    cable = reading.view.cable
    part = cable.part
    return ThreadMember(
        cable_id=cable_id,
        part=part.number if part else None,
        parts=part.total if part else None,
        sections=cable.section.total if cable.section else 1,
        node=node(reading),
    )


# --- export ------------------------------------------------------------------------------


@dataclass(frozen=True)
class GraphSummary:
    nodes: int
    """Nodes written: the matching cables and every cable id they cite."""
    described: int
    """Nodes written with attributes (cables the reader may see)."""
    edges: int


def export_graph(
    archive: Archive,
    query: str,
    output: Path | BinaryIO,
    graph_format: GraphFormat | str = GraphFormat.GRAPHML,
    principal: Principal = OPERATOR,
    as_of: date | None = None,
    started: Callable[[int], None] | None = None,
    progress: Callable[[int], None] | None = None,
) -> GraphSummary:
    """Write the reference graph of the cables ``query`` matches for the principal.

    ``started`` is called once with the number of matches, ``progress`` with 1 per
    matching cable written (for a progress bar)."""
    chosen = GraphFormat(graph_format)
    reader = Reader(archive.storage, principal, as_of)
    matched = list(matching_ids(archive, query, principal, reader.as_of))
    if started is not None:
        started(len(matched))
    if isinstance(output, Path):
        with output.open("wb") as out:
            writer = graph_writer(out, chosen)
            return _write_graph(archive.storage, reader, matched, writer, progress)
    return _write_graph(archive.storage, reader, matched, graph_writer(output, chosen), progress)


def _write_graph(
    storage: Storage,
    reader: Reader,
    matched: list[str],
    writer: GraphWriter,
    progress: Callable[[int], None] | None,
) -> GraphSummary:
    # Three passes over the ids keep only ids in memory: the matching cables' nodes, the
    # nodes of cited ids that did not match, then the edges (GEXF wants nodes first).
    written = set(matched)
    described = 0
    shown: dict[str, RefNode] = {}
    for cable_id in matched:
        reading = reader.read(cable_id)
        described += _write_node(writer, cable_id, reading)
        if reading is not None and reading.view.cable.part is not None:
            shown[cable_id] = node(reading)  # kept for its part links only
        if progress is not None:
            progress(1)
    for cable_id in matched:
        for edge in storage.references_from(cable_id):
            if edge.target_id and edge.target_id not in written:
                written.add(edge.target_id)
                described += _write_node(writer, edge.target_id, reader.read(edge.target_id))
    count = 0
    for cable_id in matched:
        made = storage.references_from(cable_id)
        parts = _part_targets(made, shown.get(cable_id))
        for edge in made:
            if edge.kind == PART or edge.target_id is None:
                continue
            attributes = {
                "letter": edge.letter,
                "kind": edge.kind,
                "notal": edge.notal,
                "part": edge.target_id in parts,
            }
            writer.edge(cable_id, edge.target_id, attributes)
            count += 1
    writer.close()
    return GraphSummary(len(written), described, count)


def _write_node(writer: GraphWriter, cable_id: str, reading: Reading | None) -> int:
    if reading is None:
        writer.node(cable_id)
        return 0
    shown = node(reading)
    writer.node(
        cable_id,
        {
            "date": shown.date.date().isoformat() if shown.date else None,
            "origin": shown.origin,
            "subject": shown.subject,
            "classification": shown.classification,
        },
    )
    return 1
