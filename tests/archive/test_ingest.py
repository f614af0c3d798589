"""Ingest through the Python API on a real archive (SQLite + tantivy in a tmp directory).

Covers: storing and indexing a corpus of JSON Lines and text files; idempotent re-ingest
(a re-run skips the files it finished; the same texts under another path change nothing);
versions and which is current; bad files inside a batch; ids from metadata; resuming a
file; the process pool giving the same result as in-process parsing. Expected ids and
counts come from the hand-made telegrams of conftest.py.
"""

from __future__ import annotations

import gzip
import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from telegrams import SmallCorpus, telegram, write_jsonl

from cablegram.access import Principal, cable_access
from cablegram.archive import Archive
from cablegram.archive.documents import documents
from cablegram.archive.ingest import (
    Failure,
    IngestReport,
    Job,
    Ready,
    encode_documents,
    fallback_id,
    ingest,
    released_date,
)
from cablegram.archive.search import search
from cablegram.evaluate import load_records
from cablegram.model import Level

SAMPLE = Path("corpus") / "cablegate-sample.jsonl.gz"


def run(archive_dir: Path, *paths: Path, workers: int = 0) -> IngestReport:
    with Archive.open(archive_dir) as archive:
        return ingest(archive, list(paths), workers=workers)


def state(archive_dir: Path) -> tuple[list[tuple[str, int, int, str]], int, dict[str, int]]:
    """Every version (id, version, seq, hash), the watermark, and index docs per cable."""
    with Archive.open(archive_dir) as archive:
        ids = list(archive.storage.ids())
        versions = [
            (v.cable_id, v.version, v.seq, v.hash)
            for cable_id in ids
            for v in archive.storage.versions(cable_id)
        ]
        docs = {cable_id: archive.index.count_docs(cable_id) for cable_id in ids}
        return versions, archive.storage.index_watermark(), docs


def test_a_corpus_is_stored_and_indexed(archive_dir: Path, small_corpus: SmallCorpus) -> None:
    report = run(archive_dir, small_corpus.directory)
    assert (report.documents, report.new, report.failures) == (12, 12, [])
    assert report.indexed == 12
    with Archive.open(archive_dir) as archive:
        assert set(archive.storage.ids()) == small_corpus.ids
        stored = archive.storage.get("09STATE12")
        assert stored is not None
        assert stored.source == f"{small_corpus.directory / 'more' / '09STATE12.txt'}#0"
        assert stored.text == telegram(11).text
        assert all(archive.index.count_docs(i) > 0 for i in small_corpus.ids)
        # Paragraph 2 of 09PARIS5 (telegram 4) only says "cable number 5".
        (hit,) = search(archive, '"cable number 5"').hits
        assert hit.cable_id == "09PARIS5"


def test_re_ingesting_changes_nothing(
    archive_dir: Path, small_corpus: SmallCorpus, tmp_path: Path
) -> None:
    run(archive_dir, small_corpus.directory)
    before = state(archive_dir)
    again = run(archive_dir, small_corpus.directory)
    assert (again.documents, again.resumed, again.new, again.indexed) == (12, 12, 0, 0)
    # The same texts under other names go through storage: all unchanged.
    copy = shutil.copytree(small_corpus.directory, tmp_path / "copy")
    moved = run(archive_dir, copy)
    assert (moved.resumed, moved.unchanged, moved.new, moved.new_versions) == (0, 12, 0, 0)
    assert moved.indexed == 0
    assert state(archive_dir) == before


@pytest.mark.parametrize(
    ("first", "second", "current"),
    [
        pytest.param("2011-01-21 16:04", "2010-12-01 09:00", 1, id="by-release-date"),
        pytest.param(None, None, 2, id="last-ingested"),
    ],
)
def test_another_text_for_a_known_id_is_a_new_version(
    archive_dir: Path, tmp_path: Path, first: str | None, second: str | None, current: int
) -> None:
    one = write_jsonl(tmp_path / "one.jsonl", [telegram(4, released=first)])
    two = write_jsonl(tmp_path / "two.jsonl", [telegram(4, extra=" Corrected.", released=second)])
    assert run(archive_dir, one).new == 1
    assert run(archive_dir, two).new_versions == 1
    with Archive.open(archive_dir) as archive:
        versions = archive.storage.versions("09PARIS5")
        assert [v.version for v in versions] == [1, 2]
        assert [v.released for v in versions] == [
            first and first.replace(" ", "T") + ":00",
            second and second.replace(" ", "T") + ":00",
        ]
        assert [v.current for v in versions] == [current == 1, current == 2]
        # The index holds the current version, and only it.
        assert [hit.version for hit in search(archive, "id:09PARIS5").hits] == [current]
        assert search(archive, "Corrected").total == (1 if current == 2 else 0)


def test_bad_files_are_reported_and_the_rest_is_stored(archive_dir: Path, tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "a-binary.jsonl").write_bytes(b"\x00\x01\x02 not text" * 10)
    broken = inputs / "b-broken.jsonl"
    write_jsonl(broken, [telegram(0), telegram(1)])
    with broken.open("a", encoding="utf-8") as out:
        out.write('{"text": "unterminated\n')
    latin1 = telegram(2).text.replace("BURNS", "MÜLLER").encode("latin-1")
    (inputs / "c-latin1.txt").write_bytes(latin1)
    (inputs / "d-good.txt").write_text(telegram(3).text, encoding="utf-8")
    with gzip.open(inputs / "e-good.jsonl.gz", "wt", encoding="utf-8") as out:
        out.write(json.dumps(telegram(4).record()) + "\n")
    missing = tmp_path / "missing.txt"

    report = run(archive_dir, inputs, missing)
    reasons = {Path(f.where).name: f.reason for f in report.failures}
    assert set(reasons) == {"a-binary.jsonl", "b-broken.jsonl", "c-latin1.txt", "missing.txt"}
    assert "binary" in reasons["a-binary.jsonl"]
    assert reasons["b-broken.jsonl"].startswith("line 3: not JSON")
    assert "not UTF-8" in reasons["c-latin1.txt"]
    assert "No such file" in reasons["missing.txt"]
    with Archive.open(archive_dir) as archive:
        # The broken file's lines before the break are kept.
        assert sorted(archive.storage.ids()) == ["09MOSCOW1", "09MOSCOW4", "09PARIS2", "09PARIS5"]
        assert archive.storage.index_watermark() > 0


def test_ids_come_from_the_text_else_from_metadata(archive_dir: Path, tmp_path: Path) -> None:
    # A partial extract without a date (as in the Cablegate sample) has no parsed id.
    extract = "This record is a partial extract of the original cable.\n\n" + (
        "C O N F I D E N T I A L SECTION 01 OF 02 MOSCOW 001002\n\nSUBJECT: TALKS\n\n1. (C) Text.\n"
    )
    path = tmp_path / "extracts.jsonl"
    path.write_text(
        f'{{"reference_id": "07MOSCOW1002", "text": {json.dumps(extract)}}}\n'
        f'{{"reference_id": "not an id", "text": {json.dumps(extract)}}}\n'
        f'{{"reference_id": "07MOSCOW9", "text": {json.dumps(telegram(0).text)}}}\n',
        encoding="utf-8",
    )
    report = run(archive_dir, path)
    assert report.failures == [
        Failure(f"{path}#1", "no cable id (the text gives none and no metadata id)")
    ]
    with Archive.open(archive_dir) as archive:
        # The text's id wins over the container's (07MOSCOW9).
        assert sorted(archive.storage.ids()) == ["07MOSCOW1002", "09MOSCOW1"]
        stored = archive.storage.get("07MOSCOW1002")
        assert stored is not None
        assert stored.cable.id is None
        assert search(archive, "id:07MOSCOW1002").total == 1


@pytest.mark.parametrize(
    ("metadata", "expected"),
    [
        pytest.param(
            {"reference_id": "06REYKJAVIK401"},
            ("reference_id", "06REYKJAVIK401"),
            id="jsonl-sample",
        ),
        # cables.csv: "id" is the row number, reference_id the cable (66BUENOSAIRES2481).
        pytest.param(
            {"id": "1", "reference_id": "66BUENOSAIRES2481"},
            ("reference_id", "66BUENOSAIRES2481"),
            id="csv-dump",
        ),
        pytest.param({"id": "1"}, None, id="row-number-only"),
        pytest.param({"refid": "09STATE12"}, ("refid", "09STATE12"), id="refid"),
        pytest.param({"reference_id": " 09STATE12 "}, ("reference_id", "09STATE12"), id="spaces"),
        pytest.param({}, None, id="none"),
    ],
)
def test_fallback_ids(metadata: dict[str, str], expected: tuple[str, str] | None) -> None:
    assert fallback_id(metadata) == expected


@pytest.mark.parametrize(
    ("released", "expected"),
    [
        pytest.param("2011-01-21 16:04", "2011-01-21T16:04:00", id="sample"),  # 66BUENOSAIRES2481
        pytest.param("2011-03-14T06:06:00", "2011-03-14T06:06:00", id="iso"),
        pytest.param("14 March 2011", None, id="not-iso"),
        pytest.param(None, None, id="absent"),
    ],
)
def test_release_dates(released: str | None, expected: str | None) -> None:
    assert released_date({} if released is None else {"released": released}) == expected


def test_a_changed_file_is_read_again_and_a_finished_one_is_skipped(
    archive_dir: Path, tmp_path: Path
) -> None:
    path = write_jsonl(tmp_path / "cables.jsonl", [telegram(n) for n in range(3)])
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"reference_id": "x", "text": "no id here"}\n', encoding="utf-8")
    first = run(archive_dir, path, bad)
    assert (first.new, len(first.failures)) == (3, 1)
    again = run(archive_dir, path, bad)
    assert (again.resumed, again.new) == (4, 0)
    assert again.failures == first.failures  # reported again, though not re-read
    write_jsonl(path, [telegram(n) for n in range(4)])
    grown = run(archive_dir, path)
    assert (grown.resumed, grown.unchanged, grown.new) == (0, 3, 1)


class Recorder:
    """An `Observer` that keeps what it is told."""

    def __init__(self) -> None:
        self.done = 0
        self.failures: list[Failure] = []

    def advance(self, documents: int) -> None:
        self.done += documents

    def failed(self, failure: Failure) -> None:
        self.failures.append(failure)


def test_the_observer_hears_of_every_document_and_failure(
    archive_dir: Path, small_corpus: SmallCorpus, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("no cable here", encoding="utf-8")
    for _ in range(2):  # the second run skips what the first stored
        recorder = Recorder()
        with Archive.open(archive_dir) as archive:
            report = ingest(archive, [small_corpus.directory, bad], workers=0, observer=recorder)
        assert recorder.done == report.documents == 13
        assert (
            recorder.failures
            == report.failures
            == [Failure(f"{bad}#0", "no cable id (the text gives none and no metadata id)")]
        )


def test_the_process_pool_stores_what_in_process_parsing_stores(
    tmp_path: Path, small_corpus: SmallCorpus
) -> None:
    report = run(tmp_path / "pool", small_corpus.directory, workers=2)
    assert (report.new, report.failures) == (12, [])
    run(tmp_path / "inline", small_corpus.directory, workers=0)
    pooled, inline = state(tmp_path / "pool"), state(tmp_path / "inline")
    assert [(i, v, h) for i, v, _, h in pooled[0]] == [(i, v, h) for i, v, _, h in inline[0]]
    assert pooled[2] == inline[2]


# --- index documents made by the workers -------------------------------------------------


def _jobs(texts: list[str]) -> list[Job]:
    return [Job(text, f"test#{n}", None, None) for n, text in enumerate(texts)]


def test_worker_documents_equal_those_the_indexer_makes_from_storage(
    archive_dir: Path, shared_dir: Path
) -> None:
    """The two paths to a cable's index documents (the worker's, before storing; the
    indexer's, from the stored version) agree on real cables of every marking."""
    texts = [record.text for record in load_records(shared_dir / SAMPLE)][::6]
    texts += [telegram(n).text for n in range(12)]
    ready = [result for result in encode_documents(_jobs(texts)) if isinstance(result, Ready)]
    assert len(ready) > 400
    with Archive.open(archive_dir) as archive:
        archive.storage.put_encoded([result.version for result in ready])
        for result in ready:
            stored = archive.storage.get(result.version.cable_id)
            assert stored is not None
            if stored.hash != result.version.hash:
                continue  # two texts of one id: only the current one is indexed
            expected = documents(
                stored, cable_access(stored.cable), archive.storage.mentions(stored.cable_id)
            )
            assert list(result.index_documents) == expected, stored.cable_id


def test_a_declassification_decision_outranks_worker_documents(
    archive_dir: Path, tmp_path: Path
) -> None:
    """Workers make documents without the decisions held in storage: a new version of a
    cable with a decision is indexed by the indexer, with the decision."""
    secret = telegram(6)  # SECRET paragraph 1, declassify on 2019-01-07 by its E.O. line
    assert "1. (S) DFM Kislyak discussed" in secret.text
    reader = Principal("public", clearance=Level.UNCLASSIFIED)
    as_of = date(2012, 1, 1)
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    write_jsonl(first, [secret])
    write_jsonl(second, [telegram(6, extra=" Hovercraft timetable.")])
    run(archive_dir, first)
    with Archive.open(archive_dir) as archive:
        assert search(archive, "discussed", reader, as_of).total == 0
        archive.storage.set_decision(secret.cable_id, date(2011, 1, 1))
    run(archive_dir, second, workers=1)
    with Archive.open(archive_dir) as archive:
        (hit,) = search(archive, "discussed", reader, as_of).hits
        assert (hit.cable_id, hit.version) == (secret.cable_id, 2)


def test_a_recorded_distribution_outranks_worker_documents(
    archive_dir: Path, tmp_path: Path
) -> None:
    """Likewise for a distribution recorded for a channel cable: only its members read
    the new version."""
    nodis = telegram(0).text.replace("\nSIPDIS\n", "\nNODIS\n")
    assert "\nNODIS\n" in nodis
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    first.write_text(json.dumps({"text": nodis}) + "\n", encoding="utf-8")
    changed = nodis.replace("Paragraph two", "Paragraph two, amended,")
    second.write_text(json.dumps({"text": changed}) + "\n", encoding="utf-8")
    authorised = Principal("ann", Level.SECRET, channels=frozenset({"NODIS"}))
    member = Principal(
        "bob", Level.SECRET, channels=frozenset({"NODIS"}), offices=frozenset({"EUR/RUS"})
    )
    run(archive_dir, first)
    with Archive.open(archive_dir) as archive:
        assert search(archive, "paragraph", authorised).total == 1
        archive.storage.record_distribution(telegram(0).cable_id, frozenset({"EUR/RUS"}))
    run(archive_dir, second, workers=1)
    with Archive.open(archive_dir) as archive:
        assert search(archive, "amended", authorised).total == 0
        (hit,) = search(archive, "amended", member).hits
        assert hit.version == 2
