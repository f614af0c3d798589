"""Queues: precedence ordering, each member's view, one acknowledgement per office, FLASH
escalation on the settable clock, NODIS distribution to named recipients only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from traffic_helpers import actor, content, released

from cablegram.access import cable_access, view
from cablegram.archive import Archive
from cablegram.model import Precedence
from cablegram.traffic import (
    Dispatcher,
    ReleaseError,
    SettableClock,
    Traffic,
    TrafficError,
    acknowledge,
    escalate,
    inbox,
)


def dispatch(traffic: Traffic) -> None:
    Dispatcher(traffic).run_once()


def test_queue_order_is_precedence_then_time(traffic: Traffic, clock: SettableClock) -> None:
    # Released in an order unlike the queue's: ROUTINE first, FLASH last, at later times.
    sent = []
    for precedence in (
        Precedence.ROUTINE,
        Precedence.PRIORITY,
        Precedence.IMMEDIATE,
        Precedence.PRIORITY,
        Precedence.NIACT_IMMEDIATE,
        Precedence.FLASH,
    ):
        clock.advance(timedelta(minutes=1))
        draft = content(
            precedence=precedence, info=() if precedence is Precedence.FLASH else ("NSC",)
        )
        sent.append(released(traffic, draft).cable_id)
    dispatch(traffic)
    items = inbox(traffic, actor(traffic, "dan"))
    assert [(item.cable_id, item.precedence) for item in items] == [
        (sent[5], Precedence.FLASH),
        (sent[4], Precedence.NIACT_IMMEDIATE),
        (sent[2], Precedence.IMMEDIATE),
        (sent[1], Precedence.PRIORITY),  # the older PRIORITY cable first
        (sent[3], Precedence.PRIORITY),
        (sent[0], Precedence.ROUTINE),
    ]
    assert [item.niact for item in items] == [False, True, False, False, False, False]


def test_each_member_sees_what_their_clearance_allows(traffic: Traffic) -> None:
    sent = released(traffic, content(body="1. (S) Secret part.\n\n2. (C) Confidential part.\n"))
    dispatch(traffic)
    (dan_item,) = inbox(traffic, actor(traffic, "dan"))
    (erin_item,) = inbox(traffic, actor(traffic, "erin"))
    assert dan_item.view.complete
    assert [p.portion.label for p in erin_item.view.withheld] == ["the subject", "paragraph 1"]
    assert "Secret part" not in " ".join(p.text for p in erin_item.view.cable.paragraphs)
    assert erin_item.cable_id == sent.cable_id
    # Not an addressee office: nothing in the queue.
    assert inbox(traffic, actor(traffic, "carol")) == []


def test_one_member_acknowledges_for_the_office(traffic: Traffic) -> None:
    sent = released(traffic, content())
    dispatch(traffic)
    acked = acknowledge(traffic, actor(traffic, "erin"), sent.cable_id)
    assert (acked.recipient, acked.acked_by) == ("STATE", "erin")
    assert inbox(traffic, actor(traffic, "dan")) == []
    (shown,) = inbox(traffic, actor(traffic, "dan"), include_acknowledged=True)
    assert shown.acknowledged and shown.delivery.acked_by == "erin"
    with pytest.raises(TrafficError, match="acknowledged for STATE by erin"):
        acknowledge(traffic, actor(traffic, "dan"), sent.cable_id)
    # The NSC's delivery is the NSC's to acknowledge.
    (nsc_item,) = inbox(traffic, actor(traffic, "nsc"))
    assert not nsc_item.acknowledged
    with pytest.raises(TrafficError, match="no delivery"):
        acknowledge(traffic, actor(traffic, "carol"), sent.cable_id)


def test_flash_not_acknowledged_in_time_is_overdue_and_escalated_once(
    traffic: Traffic, clock: SettableClock
) -> None:
    flash = released(traffic, content(precedence=Precedence.FLASH, info=()))
    dispatch(traffic)
    clock.advance(timedelta(minutes=9, seconds=59))
    (item,) = inbox(traffic, actor(traffic, "dan"))
    assert item.due is not None and not item.overdue
    assert escalate(traffic) == []
    clock.advance(timedelta(seconds=2))
    (item,) = inbox(traffic, actor(traffic, "dan"))
    assert item.overdue and not item.escalated
    report = Dispatcher(traffic).run_once()
    assert report.escalated == 1
    (item,) = inbox(traffic, actor(traffic, "dan"))
    assert item.overdue and item.escalated
    assert Dispatcher(traffic).run_once().escalated == 0  # once only
    events = [e.action for e in traffic.audit.entries() if e.target == flash.cable_id]
    assert events.count("traffic.escalate") == 1
    acknowledge(traffic, actor(traffic, "dan"), flash.cable_id)
    (done,) = inbox(traffic, actor(traffic, "dan"), include_acknowledged=True)
    assert not done.overdue


def test_flash_deadline_is_configurable(traffic: Traffic, clock: SettableClock) -> None:
    released(traffic, content(precedence=Precedence.FLASH, info=()))
    dispatch(traffic)
    clock.advance(timedelta(minutes=3))
    assert inbox(traffic, actor(traffic, "dan"), flash_deadline=timedelta(minutes=2))[0].overdue
    assert not inbox(traffic, actor(traffic, "dan"))[0].overdue
    assert len(escalate(traffic, timedelta(minutes=2))) == 1


def test_routine_cables_are_never_overdue(traffic: Traffic, clock: SettableClock) -> None:
    released(traffic, content())
    dispatch(traffic)
    clock.advance(timedelta(days=3))
    (item,) = inbox(traffic, actor(traffic, "dan"))
    assert item.due is None and not item.overdue
    assert escalate(traffic) == []


def test_nodis_reaches_only_named_recipients(traffic: Traffic) -> None:
    sent = released(
        traffic, content(captions=("NODIS",), recipients=("nina",), body="1. (S) Eyes only.\n")
    )
    assert sent.distribution == {"nina"}
    dispatch(traffic)
    assert [(d.kind, d.recipient) for d in traffic.store.deliveries_of(sent.cable_id)] == [
        ("person", "nina")
    ]
    (item,) = inbox(traffic, actor(traffic, "nina"))
    assert item.view.complete and item.delivery.kind == "person"
    # otto holds NODIS and belongs to the addressee office, but was not named.
    assert inbox(traffic, actor(traffic, "otto")) == []
    cable = sent.cable
    access = cable_access(cable, sent.distribution)
    otto = traffic.principal("otto")
    assert otto is not None and view(otto, cable, access, traffic.today()) is None
    # A NODIS cable carries no SIPDIS, so it is not copied into the archive.
    with Archive.open(traffic.directory) as archive:
        assert archive.storage.get(sent.cable_id) is None
    acknowledge(traffic, actor(traffic, "nina"), sent.cable_id)


def test_nodis_recipients_must_be_authorised(traffic: Traffic) -> None:
    with pytest.raises(ReleaseError, match="dan is not authorised for NODIS"):
        released(traffic, content(captions=("NODIS",), recipients=("dan",)))
    with pytest.raises(ReleaseError, match="ghost is not a user"):
        released(traffic, content(captions=("NODIS",), recipients=("ghost",)))
