"""The reference graph: edges of a cable, resolution in an archive, threads, graph export.

Expected references are read off the cables' REF lines by hand (quoted in comments);
archives are built with the real ingest (SQLite + tantivy) in temporary directories.
"""

from __future__ import annotations

import gzip
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from cablegram.access import Principal
from cablegram.archive import Archive
from cablegram.archive.graph import PART, edges, export_graph, refs, thread
from cablegram.archive.graph_xml import GEXF_NS, GRAPHML_NS
from cablegram.archive.ingest import ingest
from cablegram.archive.reading import CableNotFoundError
from cablegram.model import Level
from cablegram.read import parse
from seed_archive import (
    BEFORE_DECLASSIFICATION,
    PART_ONE_ID,
    SEED_ID,
    build,
    part_one,
)

CONFIDENTIAL_READER = Principal("c-reader", Level.CONFIDENTIAL)
#: The seed's REF list: "REF: A. STATE 003773 / B. 06 STATE 201804 / C. 06 STATE 165526 /
#: D. STATE 007445 / E. 06 STATE 028324 / F. STATE 004837 / G. MOSCOW 01001" (a 2007 cable).
SEED_REFERENCES = {
    "A": "07STATE3773",
    "B": "06STATE201804",
    "C": "06STATE165526",
    "D": "07STATE7445",
    "E": "06STATE28324",
    "F": "07STATE4837",
    "G": "07MOSCOW1001",
}


@pytest.fixture(scope="module")
def seed_archive(tmp_path_factory: pytest.TempPathFactory, seed_text: str) -> Iterator[Archive]:
    with Archive.open(build(tmp_path_factory.mktemp("seed"), seed_text)) as archive:
        yield archive


# --- edges (pure) ------------------------------------------------------------------------


def test_the_seed_has_an_edge_per_reference_and_a_part_edge_to_ref_g(seed_text: str) -> None:
    found = edges(parse(seed_text))
    cited = {e.letter: e.target_id for e in found if e.kind == "cable"}
    assert cited == SEED_REFERENCES
    parts = [e for e in found if e.kind == PART]
    assert [(e.source_id, e.letter, e.target_id) for e in parts] == [(SEED_ID, "G", PART_ONE_ID)]


@pytest.mark.parametrize(
    ("ref_line", "expected"),
    [
        # An e-mail keeps its text and kind but cites no cable.
        pytest.param(
            "REF: A. MOSCOW 1001 B. EMAIL FROM EUR/RUS 3/1/07",
            [("A", "07MOSCOW1001", "cable"), ("B", None, "email")],
            id="cable-and-email",
        ),
        pytest.param("REF: STATE 12345 (NOTAL)", [(None, "07STATE12345", "cable")], id="notal"),
    ],
)
def test_edges_keep_every_ref_entry(
    seed_text: str, ref_line: str, expected: list[tuple[str | None, str | None, str]]
) -> None:
    # The seed (a 2007 cable) with its REF list replaced.
    ref_list = seed_text[seed_text.index("REF:") : seed_text.index("Classified By")]
    text = seed_text.replace(ref_list, ref_line + "\n\n")
    found = [e for e in edges(parse(text)) if e.kind != PART]
    assert [(e.letter, e.target_id, e.kind) for e in found] == expected
    assert all(e.notal for e in found) == ("NOTAL" in ref_line)


# --- resolution and threads: the seed and its part I -------------------------------------


def test_the_seed_resolves_ref_g_to_part_one(seed_archive: Archive) -> None:
    graph = refs(seed_archive, SEED_ID)
    assert {link.letter: link.target for link in graph.cites} == SEED_REFERENCES
    resolved = [link for link in graph.cites if link.resolved]
    assert [(link.letter, link.target, link.part) for link in resolved] == [
        ("G", PART_ONE_ID, True)
    ]
    assert {link.target for link in graph.unresolved} == set(SEED_REFERENCES.values()) - {
        PART_ONE_ID
    }
    cited = next(node for node in graph.nodes if node.id == PART_ONE_ID)
    assert cited.subject == part_one().subject
    assert graph.cited_by == ()


def test_part_one_is_cited_by_the_seed(seed_archive: Archive) -> None:
    graph = refs(seed_archive, PART_ONE_ID)
    assert graph.cites == ()
    assert [(link.source, link.letter, link.part) for link in graph.cited_by] == [
        (SEED_ID, "G", True)
    ]


@pytest.mark.parametrize("asked", [SEED_ID, PART_ONE_ID])
def test_both_parts_form_one_thread_in_part_order(seed_archive: Archive, asked: str) -> None:
    found = thread(seed_archive, asked)
    assert [(m.cable_id, m.part, m.parts) for m in found.members] == [
        (PART_ONE_ID, 1, 2),
        (SEED_ID, 2, 2),
    ]


def test_a_missing_cable_is_not_found(seed_archive: Archive) -> None:
    with pytest.raises(CableNotFoundError, match="no cable 07MOSCOW9999"):
        refs(seed_archive, "07MOSCOW9999")
    with pytest.raises(CableNotFoundError):
        thread(seed_archive, "07MOSCOW9999")


def test_a_cited_cable_the_reader_may_not_see_is_only_a_reference_id(
    seed_archive: Archive,
) -> None:
    graph = refs(
        seed_archive, SEED_ID, principal=CONFIDENTIAL_READER, as_of=BEFORE_DECLASSIFICATION
    )
    ref_g = next(link for link in graph.cites if link.letter == "G")
    assert (ref_g.target, ref_g.resolved) == (PART_ONE_ID, False)
    assert ref_g in graph.unresolved
    assert PART_ONE_ID not in {node.id for node in graph.nodes}
    # The seed says it is "part two of a two-part cable" in its introduction, which takes
    # the SECRET banner: for this reader the seed names no other part.
    assert ref_g.part is False
    members = thread(seed_archive, SEED_ID, CONFIDENTIAL_READER, BEFORE_DECLASSIFICATION).members
    assert [(m.cable_id, m.part) for m in members] == [(SEED_ID, None)]


def test_a_cable_the_reader_may_not_see_does_not_exist_for_them(seed_archive: Archive) -> None:
    with pytest.raises(CableNotFoundError, match="no cable 07MOSCOW1001"):
        refs(
            seed_archive, PART_ONE_ID, principal=CONFIDENTIAL_READER, as_of=BEFORE_DECLASSIFICATION
        )
    # Once its DECL date has passed the same reader sees it, the seed citing it, and both
    # parts in one thread.
    graph = refs(seed_archive, PART_ONE_ID, principal=CONFIDENTIAL_READER)
    assert [(link.source, link.part) for link in graph.cited_by] == [(SEED_ID, True)]
    members = thread(seed_archive, PART_ONE_ID, CONFIDENTIAL_READER).members
    assert [m.cable_id for m in members] == [PART_ONE_ID, SEED_ID]


# --- resolution and threads on the shared sample -----------------------------------------

#: A chain of Bern cables of the shared sample, with their REF lines as published:
#: 07BERN113 "REF: BERN 98" (not in the sample), 07BERN130 "REF: BERN 113",
#: 07BERN158 "REF: A. BERN 130 / B. BERN 113", 07BERN171 "REF: BERN 00158".
BERN = ("07BERN113", "07BERN130", "07BERN158", "07BERN171")
#: A two-section cable of the sample ("SECTION 01 OF 02" on its classification line).
SECTIONED = "04MADRID961"


@pytest.fixture(scope="module")
def sample_archive(tmp_path_factory: pytest.TempPathFactory, shared_dir: Path) -> Iterator[Archive]:
    directory = tmp_path_factory.mktemp("sample")
    wanted = {*BERN, SECTIONED}
    lines = []
    with gzip.open(shared_dir / "corpus" / "cablegate-sample.jsonl.gz", "rt") as sample:
        for line in sample:
            if json.loads(line)["reference_id"] in wanted:
                lines.append(line)
    assert len(lines) == len(wanted)
    (directory / "sample.jsonl").write_text("".join(lines), encoding="utf-8")
    with Archive.open(directory / "archive") as archive:
        ingest(archive, [directory / "sample.jsonl"], workers=0)
        yield archive


def test_sample_references_resolve_both_ways(sample_archive: Archive) -> None:
    graph = refs(sample_archive, "07BERN158")
    assert [(link.letter, link.target, link.resolved) for link in graph.cites] == [
        ("A", "07BERN130", True),
        ("B", "07BERN113", True),
    ]
    assert [link.source for link in graph.cited_by] == ["07BERN171"]
    first = refs(sample_archive, "07BERN113")
    assert [link.target for link in first.unresolved] == ["07BERN98"]
    assert sorted(link.source for link in first.cited_by) == ["07BERN130", "07BERN158"]


def test_depth_two_follows_the_cited_cables_references(sample_archive: Archive) -> None:
    graph = refs(sample_archive, "07BERN171", depth=2)
    assert [(link.depth, link.source, link.target) for link in graph.cites] == [
        (1, "07BERN171", "07BERN158"),
        (2, "07BERN158", "07BERN130"),
        (2, "07BERN158", "07BERN113"),
    ]
    assert {node.id for node in graph.nodes} == {"07BERN171", "07BERN158", "07BERN130", "07BERN113"}


def test_the_sections_of_one_cable_are_one_thread_member(sample_archive: Archive) -> None:
    found = thread(sample_archive, SECTIONED)
    assert [(m.cable_id, m.sections, m.part) for m in found.members] == [(SECTIONED, 2, None)]


# --- graph export ------------------------------------------------------------------------


def _graphml(path: Path) -> tuple[dict[str, dict[str, str]], list[tuple[str, str]]]:
    ns = {"g": GRAPHML_NS}
    root = ET.parse(path).getroot()
    nodes = {
        n.get("id", ""): {d.get("key", ""): d.text or "" for d in n.findall("g:data", ns)}
        for n in root.iterfind("g:graph/g:node", ns)
    }
    found = [
        (e.get("source", ""), e.get("target", "")) for e in root.iterfind("g:graph/g:edge", ns)
    ]
    return nodes, found


def _gexf(path: Path) -> tuple[dict[str, dict[str, str]], list[tuple[str, str]]]:
    ns = {"x": GEXF_NS}
    root = ET.parse(path).getroot()
    titles = {
        a.get("id"): a.get("title", "")
        for a in root.iterfind("x:graph/x:attributes[@class='node']/x:attribute", ns)
    }
    nodes = {
        n.get("id", ""): {
            titles[v.get("for")]: v.get("value", "")
            for v in n.iterfind("x:attvalues/x:attvalue", ns)
        }
        for n in root.iterfind("x:graph/x:nodes/x:node", ns)
    }
    found = [
        (e.get("source", ""), e.get("target", ""))
        for e in root.iterfind("x:graph/x:edges/x:edge", ns)
    ]
    return nodes, found


@pytest.mark.parametrize(("graph_format", "read"), [("graphml", _graphml), ("gexf", _gexf)])
def test_graph_export_holds_the_matches_and_what_they_cite(
    seed_archive: Archive, tmp_path: Path, graph_format: str, read: object
) -> None:
    path = tmp_path / f"graph.{graph_format}"
    summary = export_graph(seed_archive, "", path, graph_format)
    nodes, found = read(path)  # type: ignore[operator]
    assert set(nodes) == {SEED_ID, *SEED_REFERENCES.values()}
    assert sorted(found) == sorted((SEED_ID, target) for target in SEED_REFERENCES.values())
    assert nodes[SEED_ID]["origin"] == "MOSCOW"
    assert nodes[SEED_ID]["date"] == "2007-03-09"
    assert nodes[SEED_ID]["classification"] == "SECRET"
    assert nodes[PART_ONE_ID]["subject"] == part_one().subject
    assert nodes["07STATE3773"] == {}
    assert (summary.nodes, summary.described, summary.edges) == (8, 2, 7)
    assert path.read_text(encoding="utf-8").count("true") == 1  # REF G is the other part


def test_graph_export_describes_only_cables_the_reader_may_see(
    seed_archive: Archive, tmp_path: Path
) -> None:
    path = tmp_path / "graph.graphml"
    export_graph(seed_archive, "", path, "graphml", CONFIDENTIAL_READER, BEFORE_DECLASSIFICATION)
    nodes, found = _graphml(path)
    # Part I matches nothing for this reader, and is cited by the seed: an id only.
    assert nodes[PART_ONE_ID] == {}
    assert nodes[SEED_ID]["subject"].startswith("[the subject withheld")
    assert (SEED_ID, PART_ONE_ID) in found
    written = path.read_text(encoding="utf-8")
    assert "Iskander" not in written
    # That REF G is the other part is said only in the seed's withheld introduction.
    assert '<data key="part">true</data>' not in written


def test_graph_export_of_a_query_keeps_only_its_matches(
    seed_archive: Archive, tmp_path: Path
) -> None:
    path = tmp_path / "graph.gexf"
    export_graph(seed_archive, f"id:{PART_ONE_ID}", path, "gexf")
    nodes, found = _gexf(path)
    assert set(nodes) == {PART_ONE_ID}
    assert found == []
