"""Drafting, clearance and release: who may do what, in which state, with lint findings on
every save, errors blocking release, and every step in the audit trail."""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path

import pytest
from traffic_helpers import actor, cleared, content, released

from cablegram.access import Principal, Role
from cablegram.model import Level
from cablegram.read import parse
from cablegram.traffic import (
    Actor,
    DraftState,
    ReleaseError,
    SettableClock,
    Traffic,
    TrafficError,
    clear,
    edit_draft,
    get_draft,
    list_drafts,
    new_draft,
    release,
    return_draft,
    submit,
)


def test_every_save_is_linted(traffic: Traffic) -> None:
    # START is not in the Cablegate-era TAGS tables: a warning, shown, not blocking.
    view = new_draft(traffic, actor(traffic, "alice"), content(tags=("PREL", "RS", "START")))
    assert [(f["severity"], f["rule"]) for f in view.findings] == [("warning", "CG303")]
    # No subject TAG: an error, kept with the draft.
    view = edit_draft(traffic, actor(traffic, "alice"), view.id, content(tags=("RS",)))
    assert ("error", "CG302") in [(f["severity"], f["rule"]) for f in view.findings]
    assert view.revision == 2


def test_lint_errors_block_release(traffic: Traffic) -> None:
    # A CONFIDENTIAL cable without Classified By: CG201 (and its reasons) block release.
    draft_id = cleared(traffic, content(classified_by=None, reasons=()))
    with pytest.raises(ReleaseError, match="CG201") as refused:
        release(traffic, actor(traffic, "carol"), [draft_id])
    assert any("classified-by-missing" in error for error in refused.value.errors)
    assert get_draft(traffic, actor(traffic, "carol"), draft_id).state is DraftState.CLEARED
    assert traffic.store.last_serial("MOSCOW", 2010) == 0


def test_release_takes_the_next_numbers(traffic: Traffic) -> None:
    first = released(traffic, content())
    second = released(traffic, content())
    assert (first.cable_id, second.cable_id) == ("10MOSCOW1", "10MOSCOW2")
    assert [a.mcn for a in parse(second.telegram).to] == [2]
    assert parse(second.telegram).info[0].mcn is None  # the NSC gets no MCN


@pytest.mark.parametrize(
    ("who", "message"),
    [("dan", "drafter role"), ("root", "drafter role")],
    ids=["reader", "admin"],
)
def test_only_drafters_draft(traffic: Traffic, who: str, message: str) -> None:
    with pytest.raises(TrafficError, match=message):
        new_draft(traffic, actor(traffic, who), content())


def test_drafters_draft_for_their_post_within_their_clearance(traffic: Traffic) -> None:
    with pytest.raises(TrafficError, match="not a member of STATE"):
        new_draft(traffic, actor(traffic, "alice"), content(origin="STATE", to=("MOSCOW",)))
    with pytest.raises(TrafficError, match="may not read all"):
        new_draft(traffic, actor(traffic, "alice"), content(body="1. (TS) Too high.\n"))


def test_submit_needs_clearers_with_the_role(traffic: Traffic) -> None:
    alice = actor(traffic, "alice")
    view = new_draft(traffic, alice, content())
    with pytest.raises(TrafficError, match="at least one clearer"):
        submit(traffic, alice, view.id, [])
    with pytest.raises(TrafficError, match="dan is not a user with role clearer"):
        submit(traffic, alice, view.id, ["dan"])
    with pytest.raises(TrafficError, match="only its drafter"):
        submit(traffic, actor(traffic, "bob"), view.id, ["bob"])


def test_only_named_clearers_clear(traffic: Traffic) -> None:
    view = new_draft(traffic, actor(traffic, "alice"), content())
    submit(traffic, actor(traffic, "alice"), view.id, ["bob"])
    with pytest.raises(TrafficError, match="carol is not a clearer"):
        clear(traffic, actor(traffic, "carol"), view.id)
    with pytest.raises(TrafficError, match="is submitted: every clearer must clear it"):
        release(traffic, actor(traffic, "carol"), [view.id])  # not cleared yet
    assert clear(traffic, actor(traffic, "bob"), view.id).state is DraftState.CLEARED


def test_return_with_comment_then_edit_voids_clearances(traffic: Traffic) -> None:
    alice, bob = actor(traffic, "alice"), actor(traffic, "bob")
    view = new_draft(traffic, alice, content())
    submit(traffic, alice, view.id, ["bob"])
    with pytest.raises(TrafficError, match="needs a comment"):
        return_draft(traffic, bob, view.id, " ")
    returned = return_draft(traffic, bob, view.id, "Say who attended.")
    assert returned.state is DraftState.RETURNED
    assert [(c.clearer, c.status, c.comment) for c in returned.clearances] == [
        ("bob", "returned", "Say who attended.")
    ]
    assert returned.events[-1].action == "return"
    edited = edit_draft(traffic, alice, view.id, content(subject="MEETING, WITH ATTENDEES"))
    assert edited.state is DraftState.DRAFT
    assert [c.status for c in edited.clearances] == ["pending"]
    resubmitted = submit(traffic, alice, view.id, [])  # to the same clearers
    assert [c.clearer for c in resubmitted.clearances] == ["bob"]


def test_releaser_needs_role_office_and_clearance(traffic: Traffic) -> None:
    draft_id = cleared(traffic, content(body="1. (S) A SECRET paragraph.\n\n2. (U) More.\n"))
    with pytest.raises(TrafficError, match="releaser role"):
        release(traffic, actor(traffic, "bob"), [draft_id])
    with pytest.raises(ReleaseError, match="lowrel may not read all"):
        release(traffic, actor(traffic, "lowrel"), [draft_id])
    outsider = Actor.of(Principal("ext", Level.SECRET, roles=frozenset({Role.RELEASER})))
    with pytest.raises(TrafficError, match="not a member of MOSCOW"):
        release(traffic, outsider, [draft_id])
    done = release(traffic, actor(traffic, "carol"), [draft_id])
    assert done[0].cable.level is Level.SECRET
    with pytest.raises(TrafficError, match="released already, as 10MOSCOW1"):
        release(traffic, actor(traffic, "carol"), [draft_id])


def test_drafts_are_shown_to_those_involved_who_may_read_them(traffic: Traffic) -> None:
    view = new_draft(traffic, actor(traffic, "alice"), content())
    for name in ("alice", "carol", "lowrel"):  # the drafter; releasers of the post
        assert [v.id for v in list_drafts(traffic, actor(traffic, name))] == [view.id]
    assert list_drafts(traffic, actor(traffic, "dan")) == []
    with pytest.raises(TrafficError, match=f"no draft {view.id}"):
        get_draft(traffic, actor(traffic, "dan"), view.id)
    # A SECRET draft is not shown to a CONFIDENTIAL releaser of the post.
    secret = new_draft(traffic, actor(traffic, "alice"), content(body="1. (S) Secret.\n"))
    assert [v.id for v in list_drafts(traffic, actor(traffic, "lowrel"))] == [view.id]
    assert secret.id in [v.id for v in list_drafts(traffic, actor(traffic, "carol"))]


def test_every_step_is_audited(traffic: Traffic) -> None:
    done = released(traffic, content())
    entries = [(e.principal, e.action, e.target) for e in traffic.audit.entries()]
    assert entries == [
        ("alice", "draft.new", "draft 1"),
        ("alice", "draft.submit", "draft 1"),
        ("bob", "draft.clear", "draft 1"),
        ("carol", "traffic.release", done.cable_id),
    ]
    assert traffic.audit.verify().intact
    assert traffic.store.audit_backlog() == 0


def test_numbers_taken_meanwhile_are_not_reused(
    traffic: Traffic, archive_dir: Path, clock: SettableClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A release composes its drafts before it takes the write lock; when another process
    takes the post's next numbers in between, the draft is composed again."""
    first, second = cleared(traffic, content()), cleared(traffic, content())
    with Traffic(archive_dir, clock=clock) as other:
        write = traffic.store.write

        def another_release_first() -> AbstractContextManager[None]:
            monkeypatch.setattr(traffic.store, "write", write)
            release(other, actor(other, "carol"), [second])
            return write()

        monkeypatch.setattr(traffic.store, "write", another_release_first)
        (done,) = release(traffic, actor(traffic, "carol"), [first])
    assert done.cable_id == "10MOSCOW2"
    made = parse(done.telegram)
    assert (made.serial, made.envelope.station_serial, made.to[0].mcn) == (2, 2, 2)
    record = traffic.store.released("10MOSCOW1")
    assert record is not None and record.draft_id == second


def test_a_return_racing_a_release_does_not_move_the_draft_back(
    traffic: Traffic, archive_dir: Path, clock: SettableClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    draft_id = cleared(traffic, content())
    with Traffic(archive_dir, clock=clock) as other:
        write = traffic.store.write

        def released_meanwhile() -> AbstractContextManager[None]:
            monkeypatch.setattr(traffic.store, "write", write)
            release(other, actor(other, "carol"), [draft_id])
            return write()

        monkeypatch.setattr(traffic.store, "write", released_meanwhile)
        with pytest.raises(TrafficError, match="is released, not submitted or cleared"):
            return_draft(traffic, actor(traffic, "bob"), draft_id, "Wait.")
    assert get_draft(traffic, actor(traffic, "carol"), draft_id).state is DraftState.RELEASED
