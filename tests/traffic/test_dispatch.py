"""The dispatcher: deliveries exactly once, SIPDIS cables copied into the archive with their
distribution and searchable under the access rules, subscribers told in order."""

from __future__ import annotations

from datetime import date

import pytest
from traffic_helpers import actor, content, released

from cablegram.access import Principal
from cablegram.archive import Archive
from cablegram.archive.search import search
from cablegram.model import Level
from cablegram.traffic import Dispatcher, Notification, Traffic, acknowledge


class Recorder:
    """A subscriber that keeps what it is told (and can fail once, like a relay down)."""

    def __init__(self, name: str, fail_at: int | None = None) -> None:
        self._name = name
        self.fail_at = fail_at
        self.told: list[Notification] = []

    @property
    def name(self) -> str:
        return self._name

    def notify(self, notification: Notification) -> None:
        if self.fail_at is not None and len(self.told) == self.fail_at:
            self.fail_at = None
            raise ConnectionError("relay down")
        self.told.append(notification)


def test_deliveries_are_made_once_however_often_it_runs(traffic: Traffic) -> None:
    sent = released(traffic, content(info=("NSC", "USNATO"), captions=("SIPDIS",)))
    first = Dispatcher(traffic).run_once()
    assert (first.delivered, first.archived) == (3, 1)
    again = Dispatcher(traffic).run_once()
    assert (again.delivered, again.archived) == (0, 0)
    recipients = [(d.kind, d.recipient) for d in traffic.store.deliveries_of(sent.cable_id)]
    assert recipients == [("office", "NSC"), ("office", "STATE"), ("office", "USNATO")]
    assert traffic.store.outbox_counts() == {"archive": (0, 1), "office": (0, 3)}


def test_sipdis_cable_is_archived_with_its_distribution(traffic: Traffic) -> None:
    body = "1. (S) Iskander-E front section.\n\n2. (U) End.\n"
    sent = released(traffic, content(body=body, captions=("SIPDIS",)))
    Dispatcher(traffic).run_once()
    with Archive.open(traffic.directory) as archive:
        stored = archive.storage.get(sent.cable_id)
        assert stored is not None and stored.text == sent.telegram
        assert archive.storage.distribution(sent.cable_id) == {"STATE", "NSC"}
        secret = Principal("s", Level.SECRET)
        confidential = Principal("c", Level.CONFIDENTIAL)
        as_of = date(2010, 3, 2)
        found = search(archive, "Iskander", secret, as_of=as_of)
        assert [hit.cable_id for hit in found.hits] == [sent.cable_id]
        # A CONFIDENTIAL reader cannot find it by words of the SECRET paragraph.
        assert search(archive, "Iskander", confidential, as_of=as_of).total == 0


def test_cable_without_sipdis_stays_in_the_traffic_record(traffic: Traffic) -> None:
    sent = released(traffic, content(captions=()))
    report = Dispatcher(traffic).run_once()
    assert (report.delivered, report.archived) == (2, 0)
    with Archive.open(traffic.directory) as archive:
        assert archive.storage.get(sent.cable_id) is None
    record = traffic.store.released(sent.cable_id)
    assert record is not None and record.distribution == {"STATE", "NSC"}


def test_subscribers_are_told_everything_in_order_at_least_once(traffic: Traffic) -> None:
    relay = Recorder("relay", fail_at=1)
    sent = released(traffic, content())
    with pytest.raises(ConnectionError):
        Dispatcher(traffic, [relay]).run_once()
    assert len(relay.told) == 1
    # The next pass starts again from the subscriber's place: nothing is skipped.
    Dispatcher(traffic, [relay]).run_once()
    acknowledge(traffic, actor(traffic, "dan"), sent.cable_id)
    Dispatcher(traffic, [relay]).run_once()
    # The first notification was told twice (its batch failed before the place moved).
    assert [(n.seq, n.recipient, n.event) for n in relay.told] == [
        (1, "STATE", "delivered"),
        (1, "STATE", "delivered"),
        (2, "NSC", "delivered"),
        (3, "STATE", "acknowledged"),
    ]
    assert all(n.telegram == sent.telegram for n in relay.told)
    # Another subscriber starts from the beginning.
    late = Recorder("audit-copy")
    Dispatcher(traffic, [late]).run_once()
    assert len(late.told) == 3
