"""Streaming writers for directed graphs in GraphML and GEXF 1.3 (the formats Gephi reads).

Both write through `xml.sax.saxutils.XMLGenerator`, one element at a time, so a graph of
any size is written in constant memory (the export calls `GraphWriter.node` for every
node, then `GraphWriter.edge` for every edge: GEXF needs all nodes before the first edge).

* GraphML (http://graphml.graphdrawing.org/xmlns): ``<key>`` declarations for the node
  attributes (`NODE_ATTRIBUTES`) and edge attributes (`EDGE_ATTRIBUTES`), then
  ``<graph edgedefault="directed">`` with ``<node id>`` and ``<edge source target>``
  elements carrying ``<data key>`` values.
* GEXF 1.3 (http://gexf.net/1.3): ``<attributes class="node|edge">`` declarations, then
  ``<nodes>`` (``<node id label>`` with ``<attvalues>``) and ``<edges>``.

A node written without attributes carries only its id (and a label equal to it): the
graph export uses that for cables the reader may not see or the archive does not hold.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import BinaryIO, Protocol
from xml.sax.saxutils import XMLGenerator
from xml.sax.xmlreader import AttributesImpl

NODE_ATTRIBUTES = {
    "date": "string",
    "origin": "string",
    "subject": "string",
    "classification": "string",
}
EDGE_ATTRIBUTES = {"letter": "string", "kind": "string", "notal": "boolean", "part": "boolean"}
GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
GEXF_NS = "http://gexf.net/1.3"


class GraphFormat(enum.Enum):
    GRAPHML = "graphml"
    GEXF = "gexf"


Values = Mapping[str, str | bool | None]


class GraphWriter(Protocol):
    def node(self, node_id: str, attributes: Values | None = None) -> None: ...

    def edge(self, source: str, target: str, attributes: Values) -> None: ...

    def close(self) -> None:
        """Finish the document (the stream itself stays open)."""
        ...


def graph_writer(out: BinaryIO, graph_format: GraphFormat) -> GraphWriter:
    if graph_format is GraphFormat.GRAPHML:
        return GraphMLWriter(out)
    return GEXFWriter(out)


def _value(value: str | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


class _Writer:
    def __init__(self, out: BinaryIO) -> None:
        self._xml = XMLGenerator(out, encoding="utf-8", short_empty_elements=True)
        self._xml.startDocument()
        self._edges = 0

    def _start(self, name: str, attributes: Mapping[str, str]) -> None:
        self._xml.startElement(name, AttributesImpl(dict(attributes)))

    def _end(self, name: str) -> None:
        self._xml.endElement(name)

    def _newline(self, depth: int) -> None:
        self._xml.ignorableWhitespace("\n" + "  " * depth)

    def _empty(self, name: str, attributes: Mapping[str, str], depth: int) -> None:
        self._newline(depth)
        self._start(name, attributes)
        self._end(name)

    def _text(self, name: str, attributes: Mapping[str, str], text: str, depth: int) -> None:
        self._newline(depth)
        self._start(name, attributes)
        self._xml.characters(text)
        self._end(name)


class GraphMLWriter(_Writer):
    def __init__(self, out: BinaryIO) -> None:
        super().__init__(out)
        self._start("graphml", {"xmlns": GRAPHML_NS})
        for kind, declared in (("node", NODE_ATTRIBUTES), ("edge", EDGE_ATTRIBUTES)):
            for name, value_type in declared.items():
                key = {"id": name, "for": kind, "attr.name": name, "attr.type": value_type}
                self._empty("key", key, 1)
        self._newline(1)
        self._start("graph", {"id": "references", "edgedefault": "directed"})

    def node(self, node_id: str, attributes: Values | None = None) -> None:
        self._element("node", {"id": node_id}, attributes or {})

    def edge(self, source: str, target: str, attributes: Values) -> None:
        edge_id = f"e{self._edges}"
        self._edges += 1
        self._element("edge", {"id": edge_id, "source": source, "target": target}, attributes)

    def _element(self, name: str, identity: dict[str, str], attributes: Values) -> None:
        self._newline(2)
        self._start(name, identity)
        for key, value in attributes.items():
            if value is not None:
                self._text("data", {"key": key}, _value(value), 3)
        if any(value is not None for value in attributes.values()):
            self._newline(2)
        self._end(name)

    def close(self) -> None:
        self._newline(1)
        self._end("graph")
        self._newline(0)
        self._end("graphml")
        self._xml.ignorableWhitespace("\n")
        self._xml.endDocument()


class GEXFWriter(_Writer):
    def __init__(self, out: BinaryIO) -> None:
        super().__init__(out)
        self._start("gexf", {"xmlns": GEXF_NS, "version": "1.3"})
        self._newline(1)
        self._start("meta", {})
        self._text("creator", {}, "cablegram", 2)
        self._newline(1)
        self._end("meta")
        self._newline(1)
        self._start("graph", {"mode": "static", "defaultedgetype": "directed"})
        self._ids: dict[str, dict[str, str]] = {}
        for kind, declared in (("node", NODE_ATTRIBUTES), ("edge", EDGE_ATTRIBUTES)):
            self._newline(2)
            self._start("attributes", {"class": kind})
            self._ids[kind] = {}
            for number, (name, value_type) in enumerate(declared.items()):
                self._ids[kind][name] = str(number)
                self._empty("attribute", {"id": str(number), "title": name, "type": value_type}, 3)
            self._newline(2)
            self._end("attributes")
        self._newline(2)
        self._start("nodes", {})
        self._in_edges = False

    def node(self, node_id: str, attributes: Values | None = None) -> None:
        if self._in_edges:
            raise ValueError("GEXF: every node must be written before the first edge")
        self._element("node", {"id": node_id, "label": node_id}, "node", attributes or {})

    def edge(self, source: str, target: str, attributes: Values) -> None:
        if not self._in_edges:
            self._newline(2)
            self._end("nodes")
            self._newline(2)
            self._start("edges", {})
            self._in_edges = True
        identity = {"id": str(self._edges), "source": source, "target": target}
        self._edges += 1
        self._element("edge", identity, "edge", attributes)

    def _element(self, name: str, identity: dict[str, str], kind: str, attributes: Values) -> None:
        self._newline(3)
        self._start(name, identity)
        present = {key: value for key, value in attributes.items() if value is not None}
        if present:
            self._newline(4)
            self._start("attvalues", {})
            for key, value in present.items():
                self._empty("attvalue", {"for": self._ids[kind][key], "value": _value(value)}, 5)
            self._newline(4)
            self._end("attvalues")
            self._newline(3)
        self._end(name)

    def close(self) -> None:
        self._newline(2)
        self._end("edges" if self._in_edges else "nodes")
        if not self._in_edges:
            self._newline(2)
            self._start("edges", {})
            self._end("edges")
        self._newline(1)
        self._end("graph")
        self._newline(0)
        self._end("gexf")
        self._xml.ignorableWhitespace("\n")
        self._xml.endDocument()
