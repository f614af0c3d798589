"""The clock (instants, the environment) and the store's schema guard and audit queue."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from traffic_helpers import content, released

from cablegram.traffic import SettableClock, Traffic, clock_from_environment, system_clock
from cablegram.traffic.clock import CLOCK_VARIABLE, parse_instant
from cablegram.traffic.store import DATABASE_NAME, StoreError, TrafficStore

SEED_MINUTE = datetime(2007, 3, 9, 15, 23, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2007-03-09T15:23Z", SEED_MINUTE),
        ("2007-03-09 15:23", SEED_MINUTE),
        ("2007-03-09T18:23:00+03:00", SEED_MINUTE),
        ("2007-03-09T15:23:00.000000+00:00", SEED_MINUTE),
    ],
    ids=["zulu", "naive-is-utc", "moscow-time", "stored-form"],
)
def test_parse_instant(text: str, expected: datetime) -> None:
    assert parse_instant(text) == expected


def test_parse_instant_refuses_other_text() -> None:
    with pytest.raises(ValueError, match="ISO 8601"):
        parse_instant("091523Z MAR 07")


def test_clock_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CLOCK_VARIABLE, raising=False)
    assert clock_from_environment() is system_clock
    monkeypatch.setenv(CLOCK_VARIABLE, "2007-03-09T15:23Z")
    clock = clock_from_environment()
    assert clock() == SEED_MINUTE
    assert clock() == clock()  # it stands still


def test_settable_clock_advances() -> None:
    clock = SettableClock(datetime(2007, 3, 9, 18, 23, tzinfo=UTC).replace(tzinfo=None))
    clock.advance(timedelta(minutes=11))
    assert clock() == datetime(2007, 3, 9, 18, 34, tzinfo=UTC)


def test_store_of_another_schema_is_refused(archive_dir: Path) -> None:
    with sqlite3.connect(archive_dir / DATABASE_NAME) as db:
        db.execute("PRAGMA user_version = 99")
    with pytest.raises(StoreError, match="schema version 99"):
        TrafficStore(archive_dir)


def test_audit_entries_of_a_rolled_back_step_are_not_appended(traffic: Traffic) -> None:
    with pytest.raises(RuntimeError), traffic.store.write():
        traffic.store.audit("alice", "draft.new", "draft 9", {})
        raise RuntimeError("the step fails after queueing its entry")
    traffic.flush_audit()
    assert traffic.audit.entries() == []
    released(traffic, content())
    assert traffic.store.audit_backlog() == 0
    entries = traffic.audit.entries()
    assert [e.action for e in entries] == [
        "draft.new", "draft.submit", "draft.clear", "traffic.release"
    ]  # fmt: skip
    # Each entry names the queued event it was appended from (a repeat would show it).
    events = [json.loads(e.detail)["event"] for e in entries]
    assert len(set(events)) == 4 and events == sorted(events)
