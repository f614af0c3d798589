"""The reference graph around one cable, laid out for an SVG drawn on the server.

The neighbourhood comes from `cablegram.archive.graph.refs` at depth `DEPTH` for the
reader, so it holds only what the reader may see: a cited cable they may not see (or the
archive lacks) is a dashed box with its reference id only and no link; a citing cable
they may not see is absent (issue 4: an invisible cable does not exist for its reader).

Layout: columns by distance, citing cables on the left (``-2``, ``-1``), the cable in
the middle (``0``), cited cables on the right (``1``, ``2``); each node is placed in the
first column it is met in (the cable itself, then what it cites, then what cites it), so
a cycle draws one node with edges both ways. An edge runs from the citing cable to the
cited one. No script is needed: the template writes the SVG from these numbers, every
visible node is a link (keyboard-focusable), and the same edges are listed as a table
for screen readers.
"""

from __future__ import annotations

from dataclasses import dataclass

from cablegram.archive.graph import RefGraph, RefNode

DEPTH = 2
NODE_WIDTH = 190
NODE_HEIGHT = 44
COLUMN_GAP = 70
ROW_GAP = 14
MARGIN = 16


@dataclass(frozen=True)
class GraphNode:
    id: str
    column: int
    x: int
    y: int
    caption: str
    """Second line: date and origin; empty for a reference id only."""
    subject: str
    visible: bool
    root: bool


@dataclass(frozen=True)
class GraphEdge:
    source: str
    target: str
    letter: str
    x1: int
    y1: int
    x2: int
    y2: int


@dataclass(frozen=True)
class GraphLayout:
    width: int
    height: int
    nodes: tuple[GraphNode, ...]
    edges: tuple[GraphEdge, ...]
    node_width: int = NODE_WIDTH
    node_height: int = NODE_HEIGHT


def _caption(node: RefNode | None) -> str:
    if node is None:
        return ""
    day = node.date.date().isoformat() if node.date else ""
    return " · ".join(part for part in (day, node.origin or "") if part)


def layout(graph: RefGraph) -> GraphLayout:
    visible = {node.id: node for node in graph.nodes}
    columns: dict[str, int] = {graph.root.id: 0}
    for link in graph.cites:
        if link.target is not None:
            columns.setdefault(link.target, link.depth)
    for link in graph.cited_by:
        columns.setdefault(link.source, -link.depth)
    lowest = min(columns.values())
    by_column: dict[int, list[str]] = {}
    for cable_id, column in columns.items():
        by_column.setdefault(column, []).append(cable_id)
    tallest = max(len(ids) for ids in by_column.values())
    height = 2 * MARGIN + tallest * NODE_HEIGHT + (tallest - 1) * ROW_GAP
    width = 2 * MARGIN + (max(columns.values()) - lowest + 1) * (NODE_WIDTH + COLUMN_GAP)
    width -= COLUMN_GAP
    nodes: dict[str, GraphNode] = {}
    for column, ids in sorted(by_column.items()):
        ids.sort()
        # Centre each column vertically.
        used = len(ids) * NODE_HEIGHT + (len(ids) - 1) * ROW_GAP
        top = (height - used) // 2
        for row, cable_id in enumerate(ids):
            node = visible.get(cable_id)
            nodes[cable_id] = GraphNode(
                id=cable_id,
                column=column,
                x=MARGIN + (column - lowest) * (NODE_WIDTH + COLUMN_GAP),
                y=top + row * (NODE_HEIGHT + ROW_GAP),
                caption=_caption(node),
                subject=(node.subject or "") if node else "",
                visible=node is not None,
                root=cable_id == graph.root.id,
            )
    edges: dict[tuple[str, str], GraphEdge] = {}
    for link in (*graph.cites, *graph.cited_by):
        if link.target is None or (link.source, link.target) in edges:
            continue
        source, target = nodes[link.source], nodes[link.target]
        rightward = source.x <= target.x
        edges[(link.source, link.target)] = GraphEdge(
            source=link.source,
            target=link.target,
            letter=link.letter or "",
            x1=source.x + (NODE_WIDTH if rightward else 0),
            y1=source.y + NODE_HEIGHT // 2,
            x2=target.x + (0 if rightward else NODE_WIDTH),
            y2=target.y + NODE_HEIGHT // 2,
        )
    return GraphLayout(width, height, tuple(nodes.values()), tuple(edges.values()))
