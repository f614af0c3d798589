"""The storage contract, run against every backend (`backend` fixture in conftest.py).

Identity and idempotency, versions and which one is current, the global sequence the
indexer follows, derived rows (reference edges, mentions), ingest progress, and the
transactionality of a batch. Expected values are written by hand from the telegrams of
conftest.py (e.g. ``telegram(4)`` is 09PARIS5, which cites ``PARIS 000002``).
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from telegrams import telegram

from cablegram.archive.records import NewVersion, PutOutcome, text_hash
from cablegram.archive.storage import (
    DocumentFailure,
    FileProgress,
    Mention,
    ReferenceEdge,
    SchemaError,
    SQLiteStorage,
    Storage,
    encode,
)
from cablegram.model import Cable
from cablegram.read import parse


def version(n: int, *, extra: str = "", released: str | None = None) -> NewVersion:
    item = telegram(n, extra=extra)
    return NewVersion(item.cable_id, item.text, parse(item.text), f"test#{n}", released)


def seqs(storage: Storage, cable_id: str) -> list[tuple[int, str]]:
    return [(v.version, v.hash) for v in storage.versions(cable_id)]


def test_a_new_cable_is_stored_with_its_text_and_model(storage: Storage) -> None:
    new = version(4)
    assert storage.put([new]) == [PutOutcome.NEW]
    stored = storage.get("09PARIS5")
    assert stored is not None
    assert (stored.cable_id, stored.version, stored.current) == ("09PARIS5", 1, True)
    assert stored.text == telegram(4).text
    assert stored.hash == text_hash(telegram(4).text)
    assert stored.source == "test#4"
    assert stored.cable == parse(telegram(4).text)
    assert stored.cable.original_text == telegram(4).text  # restored for the linter
    assert stored.cable.subject == "ARMS CONTROL TALKS 4"
    assert storage.count() == 1


def test_the_same_text_again_changes_nothing(storage: Storage) -> None:
    storage.put([version(4)])
    before = storage.get("09PARIS5")
    assert storage.put([version(4), version(4)]) == [PutOutcome.UNCHANGED] * 2
    assert storage.versions("09PARIS5") == [before]
    assert storage.current_since(0, 10) == [before]


def test_another_text_is_a_new_version_and_both_stay_retrievable(storage: Storage) -> None:
    assert storage.put([version(4), version(4, extra=" Corrected.")]) == [
        PutOutcome.NEW,
        PutOutcome.NEW_VERSION,
    ]
    first, second = storage.versions("09PARIS5")
    assert (first.version, second.version) == (1, 2)
    assert first.text == telegram(4).text
    assert second.text.endswith("cable number 5. Corrected.\n\nBURNS\n")
    assert second.seq > first.seq
    # No release dates: the last ingested is current.
    assert (first.current, second.current) == (False, True)
    assert storage.get("09PARIS5") == second
    assert storage.get("09PARIS5", 1) == first
    assert storage.get("09PARIS5", 3) is None
    assert storage.count() == 1


@pytest.mark.parametrize(
    ("first", "second", "current"),
    [
        pytest.param("2011-01-21T16:04:00", "2010-12-01T00:00:00", 1, id="earlier-release-later"),
        pytest.param("2010-12-01T00:00:00", "2011-01-21T16:04:00", 2, id="later-release-later"),
        pytest.param("2011-01-21T16:04:00", "2011-01-21T16:04:00", 2, id="same-release"),
        pytest.param("2011-01-21T16:04:00", None, 1, id="dated-beats-undated"),
        pytest.param(None, "2010-12-01T00:00:00", 2, id="undated-then-dated"),
    ],
)
def test_the_current_version_is_the_latest_release_else_the_last_ingested(
    storage: Storage, first: str | None, second: str | None, current: int
) -> None:
    storage.put([version(4, released=first)])
    storage.put([version(4, extra=" Corrected.", released=second)])
    stored = storage.get("09PARIS5")
    assert stored is not None
    assert stored.version == current
    assert [v.current for v in storage.versions("09PARIS5")] == [current == 1, current == 2]


def test_sequence_numbers_grow_and_the_indexer_sees_current_versions_only(
    storage: Storage,
) -> None:
    storage.put([version(0), version(1)])
    storage.put([version(2)])
    found = storage.current_since(0, 10)
    assert [v.cable_id for v in found] == ["09MOSCOW1", "09PARIS2", "09STATE3"]
    assert [v.seq for v in found] == sorted({v.seq for v in found})
    assert [v.cable_id for v in storage.current_since(found[0].seq, 1)] == ["09PARIS2"]
    assert storage.current_since(found[-1].seq, 10) == []
    # A version that does not become current (older release) is not for the index ...
    storage.put([version(1, released="2011-01-01T00:00:00")])
    storage.put([version(1, extra=" Old.", released="2010-01-01T00:00:00")])
    watermark = max(v.seq for v in storage.current_since(0, 10))
    assert storage.current_since(watermark, 10) == []
    # ... one that does replaces the cable's entry.
    storage.put([version(0, extra=" New.")])
    (renewed,) = storage.current_since(watermark, 10)
    assert (renewed.cable_id, renewed.version) == ("09MOSCOW1", 2)


def test_the_index_watermark_starts_at_zero_and_persists(
    backend: Callable[[], Storage],
) -> None:
    store = backend()
    assert store.index_watermark() == 0
    store.set_index_watermark(41)
    store.set_index_watermark(42)
    store.close()
    reopened = backend()
    assert reopened.index_watermark() == 42
    reopened.close()


def test_ids_are_sorted_and_complete_across_pages(storage: Storage) -> None:
    ids = [f"09STATE{n}" for n in range(2_100)]  # more than one page of any backend
    storage.put([NewVersion(i, f"text of {i}", Cable(id=i), "test") for i in reversed(ids)])
    assert list(storage.ids()) == sorted(ids)
    assert storage.count() == 2_100


def test_missing_cables(storage: Storage) -> None:
    assert storage.get("09PARIS5") is None
    assert storage.versions("09PARIS5") == []
    assert storage.references_from("09PARIS5") == []
    assert list(storage.ids()) == []


def test_a_batch_is_one_transaction(storage: Storage) -> None:
    storage.put([version(0)])
    good = encode(version(1))
    broken = dataclasses.replace(good, cable_id=None)  # type: ignore[arg-type]
    with pytest.raises((sqlite3.Error, ValueError, TypeError)):
        storage.put_encoded([good, broken])
    assert list(storage.ids()) == ["09MOSCOW1"]
    assert storage.put_encoded([good]) == [PutOutcome.NEW]


def test_reference_edges_of_the_current_version_are_stored(storage: Storage) -> None:
    # 09PARIS5 cites PARIS 000002; 09PARIS8 cites 09PARIS5.
    storage.put([version(4, released="2011-01-01T00:00:00"), version(7)])
    cites_two = ReferenceEdge("09PARIS5", None, "09PARIS2", "cable", "PARIS 000002", False)
    assert storage.references_from("09PARIS5") == [cites_two]
    assert storage.references_to("09PARIS2") == [cites_two]
    assert [e.source_id for e in storage.references_to("09PARIS5")] == ["09PARIS8"]
    # A version that does not become current (an older release) leaves them ...
    older = NewVersion("09PARIS5", "no references", Cable(id="09PARIS5"), "test", "2001-01-01")
    assert storage.put([older]) == [PutOutcome.NEW_VERSION]
    assert storage.references_from("09PARIS5") == [cites_two]
    # ... a new current version brings its own.
    latest = NewVersion("09PARIS5", "none either", Cable(id="09PARIS5"), "test", "2012-01-01")
    assert storage.put([latest]) == [PutOutcome.NEW_VERSION]
    assert storage.references_from("09PARIS5") == []
    assert storage.references_to("09PARIS2") == []


def test_replacing_references_and_mentions(storage: Storage) -> None:
    edges = [
        ReferenceEdge("09PARIS5", "A", "09STATE3", "cable", "STATE 000003", False),
        ReferenceEdge("09PARIS5", "B", None, "document", "PARIS MEMO OF 1 MAY", True),
    ]
    storage.replace_references("09PARIS5", edges)
    assert storage.references_from("09PARIS5") == edges
    assert storage.references_to("09STATE3") == edges[:1]
    storage.replace_references("09PARIS5", edges[1:])
    assert storage.references_from("09PARIS5") == edges[1:]
    assert storage.references_to("09STATE3") == []

    kislyak = Mention("kislyak, sergey", "Sergey Kislyak", "DFM", "paragraph:3", "text")
    russell = Mention("russell, daniel a", "Daniel A. Russell", "DCM", None, "classified-by")
    storage.replace_mentions("09PARIS5", [kislyak, russell])
    storage.replace_mentions("09MOSCOW1", [kislyak])
    assert storage.mentions("09PARIS5") == [kislyak, russell]
    assert storage.cables_of_person("kislyak, sergey") == ["09MOSCOW1", "09PARIS5"]
    storage.replace_mentions("09PARIS5", [])
    assert storage.cables_of_person("kislyak, sergey") == ["09MOSCOW1"]


def test_people_of_the_current_version_are_stored(storage: Storage) -> None:
    storage.put([version(4)])
    found = {(m.name, m.title, m.portion, m.role) for m in storage.mentions("09PARIS5")}
    assert ("Kislyak", "DFM", "paragraph:1", "text") in found
    assert ("Daniel A. Russell", "DCM", None, "classified-by") in found
    assert storage.cables_of_person("russell, daniel a") == ["09PARIS5"]


def test_decisions_and_distributions(storage: Storage) -> None:
    storage.put([version(4)])
    # Ingested historical cables have neither.
    assert storage.decisions() == {}
    assert storage.distribution("09PARIS5") is None
    assert storage.distributions() == {}
    storage.set_decision("09PARIS5", date(2012, 1, 1))
    storage.set_decision("09PARIS5", date(2015, 6, 30))  # extended
    assert storage.decisions() == {"09PARIS5": date(2015, 6, 30)}
    storage.record_distribution("09PARIS5", frozenset({"EUR/RUS", "jsmith"}))
    assert storage.distribution("09PARIS5") == {"EUR/RUS", "jsmith"}
    assert storage.distributions() == {"09PARIS5": {"EUR/RUS", "jsmith"}}
    storage.record_distribution("09PARIS5", frozenset())  # recorded, and empty
    assert storage.distribution("09PARIS5") == frozenset()
    assert storage.distributions() == {"09PARIS5": frozenset()}


def test_ingest_progress_and_failures(storage: Storage) -> None:
    assert storage.file_progress("/in/a.jsonl") is None
    failure = DocumentFailure("/in/a.jsonl", 3, "a.jsonl#3", "no cable id")
    storage.record_files([FileProgress("/in/a.jsonl", 100, 7, 5)], [failure])
    assert storage.file_progress("/in/a.jsonl") == FileProgress("/in/a.jsonl", 100, 7, 5)
    assert storage.file_failures("/in/a.jsonl", 5) == [failure]
    assert storage.file_failures("/in/a.jsonl", 3) == []
    storage.record_files([FileProgress("/in/a.jsonl", 100, 7, 9)], [])
    assert storage.file_failures("/in/a.jsonl", 9) == [failure]
    # The file changed: it starts over, and its old failures are gone.
    storage.record_files([FileProgress("/in/a.jsonl", 120, 8, 2)], [])
    assert storage.file_progress("/in/a.jsonl") == FileProgress("/in/a.jsonl", 120, 8, 2)
    assert storage.file_failures("/in/a.jsonl", 9) == []


def test_reopening_keeps_everything(backend: Callable[[], Storage]) -> None:
    store = backend()
    store.put([version(4), version(4, extra=" Corrected.")])
    before = store.versions("09PARIS5")
    store.close()
    reopened = backend()
    assert reopened.versions("09PARIS5") == before
    reopened.close()


def test_sqlite_refuses_another_schema_version(tmp_path: Path) -> None:
    path = tmp_path / "archive.sqlite"
    SQLiteStorage(path).close()
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 99")
    db.close()
    with pytest.raises(SchemaError, match="schema version 99"):
        SQLiteStorage(path)


def test_sqlite_runs_in_wal_mode(tmp_path: Path) -> None:
    SQLiteStorage(tmp_path / "archive.sqlite").close()
    with sqlite3.connect(tmp_path / "archive.sqlite") as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    db.close()
