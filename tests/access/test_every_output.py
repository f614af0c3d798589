"""No read up on any output: random principals against a real archive (SQLite + tantivy)
of randomly marked cables, every output path compared with an independent oracle.

The archive holds synthetic cables (levels U to S, NOFORN, REL TO lists, NODIS/EXDIS/LIMDIS
channels, E.O. dates of every era) whose portions are re-marked at random, so markings,
caveats and declassification days vary per portion. For a random principal and as-of day,
the oracle (`test_decision.oracle`, the rule restated without the code under test) says
which portions are readable; then:

* ``show``: every readable portion's text is shown, no withheld portion's text is;
* search hits for words drawn from the corpus are exactly the cables whose readable text
  holds the word; snippets come from readable text only;
* facet counts (tags, origins, classifications, captions) and the year/month histogram
  equal brute-force counts over the visible cables;
* the reference graph names a cited cable's subject only when the reader may see it;
* exports hold exactly the visible cables, with no withheld text.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_decision import oracle

from cablegram.access import Principal, cable_access, portions
from cablegram.archive import Archive
from cablegram.archive.export import ExportFormat, export, show
from cablegram.archive.graph import refs
from cablegram.archive.ingest import ingest
from cablegram.archive.reading import CableNotFoundError
from cablegram.archive.search import search
from cablegram.model import Cable, Level, Marking
from cablegram.synth import Options, generate
from cablegram.write import render

CABLES = 40
COUNTRIES = ["GBR", "AUS", "CAN"]
WORD = re.compile(r"[a-z]{6,}")


def _remark(cable: Cable, rng: random.Random) -> Cable:
    """Random portion markings under a banner that covers them."""
    paragraphs = []
    for paragraph in cable.paragraphs:
        if paragraph.number is None:
            paragraphs.append(paragraph)
            continue
        level = rng.choice([Level.UNCLASSIFIED, Level.SBU, Level.CONFIDENTIAL, Level.SECRET])
        caveats: frozenset[str] = frozenset()
        rel: tuple[str, ...] = ()
        if level.is_classified and rng.random() < 0.3:
            caveats = frozenset({"NOFORN"})
        elif level.is_classified and rng.random() < 0.4:
            rel = tuple(rng.sample(COUNTRIES, rng.randint(1, 2)))
        paragraphs.append(replace(paragraph, marking=Marking(level, caveats, rel)))
    remarked = replace(cable, paragraphs=tuple(paragraphs))
    banner = remarked.overall_classification or Marking(Level.UNCLASSIFIED)
    # The banner's caveats are captions in the canonical layout.
    captions = tuple(c for c in cable.captions if c not in {"NOFORN", "SENSITIVE"})
    captions += tuple(sorted(banner.caveats & {"NOFORN"}))
    if banner.level is Level.SBU:
        captions += ("SENSITIVE",)
    if banner.rel_to:
        captions += ("REL TO " + ", ".join(banner.rel_to),)
    return replace(remarked, classification=banner, captions=captions)


class Corpus(tuple[Path, dict[str, Cable]]):
    """The archive directory and its cables (a short repr for hypothesis reports)."""

    def __repr__(self) -> str:
        return f"Corpus({self[0]}, {len(self[1])} cables)"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    rng = random.Random(7)
    directory = tmp_path_factory.mktemp("every-output")
    texts = []
    for synthetic in generate(CABLES, Options(seed=11)):
        texts.append(render(_remark(synthetic.cable, rng)))
    source = directory / "corpus.jsonl"
    source.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts))
    archive_dir = directory / "archive"
    with Archive.open(archive_dir) as archive:
        report = ingest(archive, [source], workers=0)
        assert not report.failures
        stored = {
            cable_id: found.cable
            for cable_id in archive.storage.ids()
            if (found := archive.storage.get(cable_id)) is not None
        }
    assert len(stored) == CABLES
    return Corpus((archive_dir, stored))


@st.composite
def principals(draw: st.DrawFn) -> Principal:
    foreign = draw(st.booleans())
    return Principal(
        name="reader",
        clearance=draw(
            st.sampled_from([Level.UNCLASSIFIED, Level.SBU, Level.CONFIDENTIAL, Level.SECRET])
        ),
        us_person=not foreign,
        country=draw(st.sampled_from(COUNTRIES)) if foreign else None,
        channels=frozenset(draw(st.sets(st.sampled_from(["NODIS", "EXDIS", "LIMDIS"])))),
    )


days = st.sampled_from(
    [date(2001, 1, 1), date(2008, 6, 1), date(2012, 1, 1), date(2021, 1, 1), date(2040, 1, 1)]
)


def _readable(principal: Principal, cable: Cable, as_of: date) -> tuple[list[str], list[str]]:
    access = cable_access(cable)
    readable, withheld = [], []
    for portion in portions(cable):
        allowed = oracle(
            principal, portion.marking, cable.captions, None, access.declassified_on, as_of
        )
        (readable if allowed else withheld).append(portion.text)
    return readable, withheld


def _words(texts: list[str]) -> set[str]:
    return {w for text in texts for w in WORD.findall(text.lower())}


SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(principal=principals(), as_of=days, rng=st.randoms(use_true_random=False))
def test_show_search_facets_graph_export(
    corpus: Corpus,
    principal: Principal,
    as_of: date,
    rng: random.Random,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    archive_dir, cables = corpus
    visible: dict[str, tuple[list[str], list[str]]] = {}
    for cable_id, cable in cables.items():
        readable, withheld = _readable(principal, cable, as_of)
        if readable:
            visible[cable_id] = (readable, withheld)
    with Archive.open(archive_dir) as archive:
        # show (a sample of the cables each time)
        for cable_id in rng.sample(sorted(cables), 12):
            cable = cables[cable_id]
            if cable_id not in visible:
                with pytest.raises(CableNotFoundError):
                    show(archive, cable_id, principal, as_of)
                continue
            readable, withheld = visible[cable_id]
            shown = show(archive, cable_id, principal, as_of)
            data = shown.as_json()
            text = "\n".join(
                [shown.text, data["subject"] or "", *(p["text"] for p in data["paragraphs"])]
            )
            for portion_text in readable:
                assert portion_text in text or portion_text.split("\n")[0] in text
            # Words of the handling metadata (addressees, TAGS, passing ...) may appear.
            header = _words([render(replace(cable, paragraphs=(), subject=None, signature=None))])
            placeholders = _words([p.placeholder for p in shown.view.withheld])
            secret_words = _words(withheld) - _words(readable) - header - placeholders
            assert not {w for w in secret_words if re.search(rf"\b{w}\b", text.lower())}
        # search hits and snippets
        vocabulary = sorted(_words([t for r, w in visible.values() for t in r + w]))
        for word in rng.sample(vocabulary, min(4, len(vocabulary))):
            expected = {cid for cid, (readable, _) in visible.items() if word in _words(readable)}
            result = search(archive, word, principal, as_of, limit=100)
            assert {hit.cable_id for hit in result.hits} == expected
            assert result.total == len(expected)
            for hit in result.hits:
                if hit.snippet:
                    plain = re.sub(r"<[^>]+>", "", hit.snippet).lower()
                    readable_words = _words(visible[hit.cable_id][0])
                    assert _words([plain]) <= readable_words | _words(
                        [cables[hit.cable_id].subject or ""]
                    )
        # facets and histogram over every visible cable
        result = search(archive, "", principal, as_of, limit=0, facets=True)
        assert result.total == len(visible)
        assert result.facets is not None
        tags = Counter(
            t.code for cid in visible for t in {tag.code: tag for tag in cables[cid].tags}.values()
        )
        for bucket in result.facets.tags:
            assert bucket.count == tags[bucket.value]
        origins = Counter(cables[cid].origin for cid in visible)
        assert {b.value: b.count for b in result.facets.origins} == {
            k: v for k, v in origins.items() if k in {b.value for b in result.facets.origins}
        }
        years = Counter(str(cables[cid].dtg.year) for cid in visible if cables[cid].dtg)  # type: ignore[union-attr]
        assert {b.value: b.count for b in result.facets.years} == dict(years)
        months = Counter(cables[cid].dtg.strftime("%Y-%m") for cid in visible if cables[cid].dtg)  # type: ignore[union-attr]
        assert {b.value: b.count for b in result.facets.months} == dict(months)
        # reference graph: a cited cable the reader may not see is only an id
        for cable_id in list(visible)[:8]:
            graph = refs(archive, cable_id, 1, principal, as_of)
            assert {node.id for node in graph.nodes} <= set(visible)
            for link in graph.cites + graph.cited_by:
                if link.target is not None and link.target not in visible:
                    assert not link.resolved
        # export
        output = tmp_path_factory.mktemp("export") / "out.jsonl"
        summary = export(archive, "", output, ExportFormat.JSONL, principal, as_of)
        rows = [json.loads(line) for line in output.read_text().splitlines()]
        assert summary.written == len(visible)
        assert {row["id"] for row in rows} == set(visible)
