"""Drafting and clearance: new, edit, submit, clear, return (issue 6, items 1-2).

A draft lives through `DraftState`::

    draft --submit--> submitted --every clearer clears--> cleared --release--> released
      ^                   |                                  |
      +--edit-- returned <+-- a clearer returns it, with a comment (also from cleared)

Rules, each checked here and recorded in the audit trail:

* Only a **drafter** (role drafter) who is a member of the origin post drafts for it, and
  never above what they may read: the composed cable must be wholly readable by them
  (clearance, caveats, channel). A draft is shown only to those involved (its drafter,
  its clearers, members of the origin post with a traffic role) who may read it wholly.
* **Every save composes and lints** the draft (`compose`, with the numbers a release now
  would give); a draft that cannot be composed at all (unreadable body, unknown
  addressee) is refused, lint errors and warnings are kept with it and shown. Editing
  voids earlier clearances.
* **Named clearers** (users with role clearer, other than the drafter, able to read the
  draft) each clear it or return it with a comment; when all have cleared, it is cleared.
* Release (role releaser, clearance at least the cable's): `cablegram.traffic.release`.

Each step checks the draft's state again inside its write transaction, so that steps
racing from several processes (a return and a release) never move a draft backwards.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from cablegram.access import Principal, Role
from cablegram.access.decision import CableAccess, channel_of, may_read
from cablegram.access.portions import portions
from cablegram.model import Cable
from cablegram.traffic.compose import Composition, compose
from cablegram.traffic.drafts import DraftContent, DraftState, text_fields
from cablegram.traffic.numbering import next_mcn, release_minute
from cablegram.traffic.records import ClearanceRecord, DraftRecord, EventRecord
from cablegram.traffic.routing import plan
from cablegram.traffic.service import Actor, Traffic, TrafficError

PENDING, CLEARED, RETURNED = "pending", "cleared", "returned"
_TRAFFIC_ROLES = (Role.DRAFTER, Role.CLEARER, Role.RELEASER)


@dataclass(frozen=True)
class DraftView:
    """A draft as its workflow sees it."""

    id: int
    origin: str
    drafter: str
    state: DraftState
    content: DraftContent
    findings: tuple[dict[str, object], ...]
    """Of the last save: ``{severity, rule, name, message, hint, line}``; severity is
    ``error``, ``warning`` or ``note``."""
    revision: int
    created: str
    updated: str
    cable_id: str | None
    clearances: tuple[ClearanceRecord, ...]
    events: tuple[EventRecord, ...]


def readable(principal: Principal, cable: Cable, on: date) -> bool:
    """Whether ``principal`` may read every portion of ``cable`` (channel by authorisation
    alone: a cable being drafted has no distribution yet)."""
    access = CableAccess(channel_of(cable.captions), None, None)
    return all(may_read(principal, access, p.marking, on) for p in portions(cable))


def preview(traffic: Traffic, content: DraftContent) -> Composition:
    """The draft composed with the numbers a release now would give (none is taken)."""
    dtg = release_minute(traffic.now())
    routing = plan(content, traffic.book)
    origin = routing.originator.name
    store = traffic.store
    mcns = {a: next_mcn(store.last_mcn(origin, a)) for a in routing.state_addresses()}
    serial = store.last_serial(origin, dtg.year) + 1
    return compose(content, traffic.book, dtg, serial, mcns, traffic.section_lines, routing)


def findings_of(composition: Composition) -> list[dict[str, object]]:
    found: list[dict[str, object]] = [
        {"severity": "error", "rule": "", "name": "", "message": p, "hint": "", "line": None}
        for p in composition.problems
    ]
    found += [
        {
            "severity": f.severity.value,
            "rule": f.rule,
            "name": f.name,
            "message": f.message,
            "hint": f.hint,
            "line": f.line,
        }
        for f in composition.findings
    ]
    found += [
        {"severity": "note", "rule": "", "name": "", "message": n, "hint": "", "line": None}
        for n in composition.notes
    ]
    return found


def new_draft(traffic: Traffic, actor: Actor, content: DraftContent) -> DraftView:
    composition = _checked(traffic, actor, content)
    origin = composition.plan.originator.name
    at = traffic.stamp()
    with traffic.store.write():
        draft_id = traffic.store.add_draft(
            origin, actor.name, content.to_json(), findings_of(composition), at
        )
        traffic.store.add_event(draft_id, at, actor.audit_name, "draft")
        _audit(traffic, actor, "draft.new", draft_id, composition)
    traffic.flush_audit()
    return get_draft(traffic, actor, draft_id)


def edit_draft(traffic: Traffic, actor: Actor, draft_id: int, content: DraftContent) -> DraftView:
    record = _record(traffic, draft_id)
    _require_state(record, DraftState.DRAFT, DraftState.RETURNED)
    if not (actor.principal.operator or actor.name == record.drafter):
        raise TrafficError(f"only its drafter {record.drafter} edits draft {draft_id}")
    composition = _checked(traffic, actor, content)
    at = traffic.stamp()
    with traffic.store.write():
        _require_state(_record(traffic, draft_id), DraftState.DRAFT, DraftState.RETURNED)
        traffic.store.save_draft(
            draft_id,
            composition.plan.originator.name,
            content.to_json(),
            findings_of(composition),
            at,
        )
        traffic.store.reset_clearances(draft_id)
        traffic.store.set_state(draft_id, DraftState.DRAFT.value, at)
        traffic.store.add_event(draft_id, at, actor.audit_name, "edit")
        _audit(traffic, actor, "draft.edit", draft_id, composition)
    traffic.flush_audit()
    return get_draft(traffic, actor, draft_id)


def submit(traffic: Traffic, actor: Actor, draft_id: int, clearers: Sequence[str]) -> DraftView:
    """Send the draft to its named clearers (the ones given, else those it had)."""
    record = _record(traffic, draft_id)
    _require_state(record, DraftState.DRAFT, DraftState.RETURNED)
    if not (actor.principal.operator or actor.name == record.drafter):
        raise TrafficError(f"only its drafter {record.drafter} submits draft {draft_id}")
    names = list(dict.fromkeys(clearers)) or [c.clearer for c in traffic.store.clearances(draft_id)]
    if not names:
        raise TrafficError("name at least one clearer (a user with role clearer)")
    cable = _text_cable(record, traffic.today())
    for name in names:
        clearer = traffic.principal(name)
        if clearer is None or Role.CLEARER not in clearer.roles:
            raise TrafficError(f"{name} is not a user with role clearer")
        if name == record.drafter:
            raise TrafficError("a drafter does not clear their own draft")
        if not readable(clearer, cable, traffic.today()):
            raise TrafficError(f"{name} may not read all of draft {draft_id}")
    at = traffic.stamp()
    with traffic.store.write():
        now = _record(traffic, draft_id)
        _require_state(now, DraftState.DRAFT, DraftState.RETURNED)
        if now.revision != record.revision:
            raise TrafficError(f"draft {draft_id} was edited meanwhile: submit it again")
        traffic.store.set_clearers(draft_id, names)
        traffic.store.set_state(draft_id, DraftState.SUBMITTED.value, at)
        traffic.store.add_event(draft_id, at, actor.audit_name, "submit", ", ".join(names))
        traffic.store.audit(
            actor.audit_name, "draft.submit", _target(draft_id), {"clearers": names}
        )
    traffic.flush_audit()
    return get_draft(traffic, actor, draft_id)


def clear(traffic: Traffic, actor: Actor, draft_id: int, comment: str | None = None) -> DraftView:
    record = _record(traffic, draft_id)
    _require_state(record, DraftState.SUBMITTED)
    _require_clearer(traffic, actor, record)
    at = traffic.stamp()
    with traffic.store.write():
        _require_state(_record(traffic, draft_id), DraftState.SUBMITTED)
        traffic.store.set_clearance(draft_id, actor.name, CLEARED, comment, at)
        traffic.store.add_event(draft_id, at, actor.audit_name, "clear", comment)
        if all(c.status == CLEARED for c in traffic.store.clearances(draft_id)):
            traffic.store.set_state(draft_id, DraftState.CLEARED.value, at)
        traffic.store.audit(
            actor.audit_name, "draft.clear", _target(draft_id), {"comment": bool(comment)}
        )
    traffic.flush_audit()
    return get_draft(traffic, actor, draft_id)


def return_draft(traffic: Traffic, actor: Actor, draft_id: int, comment: str) -> DraftView:
    """Send the draft back to its drafter; the comment says why (required)."""
    if not comment.strip():
        raise TrafficError("returning a draft needs a comment saying why")
    record = _record(traffic, draft_id)
    _require_state(record, DraftState.SUBMITTED, DraftState.CLEARED)
    _require_clearer(traffic, actor, record)
    at = traffic.stamp()
    with traffic.store.write():
        _require_state(_record(traffic, draft_id), DraftState.SUBMITTED, DraftState.CLEARED)
        traffic.store.set_clearance(draft_id, actor.name, RETURNED, comment, at)
        traffic.store.set_state(draft_id, DraftState.RETURNED.value, at)
        traffic.store.add_event(draft_id, at, actor.audit_name, "return", comment)
        traffic.store.audit(actor.audit_name, "draft.return", _target(draft_id), {})
    traffic.flush_audit()
    return get_draft(traffic, actor, draft_id)


def get_draft(traffic: Traffic, actor: Actor, draft_id: int) -> DraftView:
    """The draft, when ``actor`` may see it (else the same error as a missing draft)."""
    record = _record(traffic, draft_id)
    if not _may_see(traffic, actor, record):
        raise TrafficError(f"no draft {draft_id}")
    return _view(traffic, record)


def list_drafts(traffic: Traffic, actor: Actor, state: DraftState | None = None) -> list[DraftView]:
    records = traffic.store.drafts(state.value if state else None)
    return [_view(traffic, r) for r in records if _may_see(traffic, actor, r)]


def _checked(traffic: Traffic, actor: Actor, content: DraftContent) -> Composition:
    if not actor.has(Role.DRAFTER):
        raise TrafficError(f"{actor.name} does not have the drafter role")
    composition = preview(traffic, content)
    origin = composition.plan.originator.name
    if not actor.member_of(origin):
        raise TrafficError(f"{actor.name} is not a member of {origin}, which the draft is from")
    if not readable(actor.principal, composition.cable, traffic.today()):
        raise TrafficError(
            f"{actor.name} may not read all of this draft "
            f"({composition.cable.classification and composition.cable.classification.banner})"
        )
    return composition


def _record(traffic: Traffic, draft_id: int) -> DraftRecord:
    record = traffic.store.draft(draft_id)
    if record is None:
        raise TrafficError(f"no draft {draft_id}")
    return record


def _require_state(record: DraftRecord, *states: DraftState) -> None:
    if record.state not in {s.value for s in states}:
        wanted = " or ".join(s.value for s in states)
        raise TrafficError(f"draft {record.id} is {record.state}, not {wanted}")


def _require_clearer(traffic: Traffic, actor: Actor, record: DraftRecord) -> None:
    clearance = next(
        (c for c in traffic.store.clearances(record.id) if c.clearer == actor.name), None
    )
    if clearance is None or not actor.has(Role.CLEARER):
        raise TrafficError(f"{actor.name} is not a clearer of draft {record.id}")
    if not readable(actor.principal, _text_cable(record, traffic.today()), traffic.today()):
        raise TrafficError(f"{actor.name} may not read all of draft {record.id}")


def _may_see(traffic: Traffic, actor: Actor, record: DraftRecord) -> bool:
    principal = actor.principal
    if principal.operator:
        return True
    involved = actor.name == record.drafter or any(
        c.clearer == actor.name for c in traffic.store.clearances(record.id)
    )
    staff = record.origin in principal.offices and any(r in principal.roles for r in _TRAFFIC_ROLES)
    return (involved or staff) and readable(
        principal, _text_cable(record, traffic.today()), traffic.today()
    )


def _text_cable(record: DraftRecord, on: date) -> Cable:
    """The draft's text fields as a cable: enough to decide who may read it."""
    return text_fields(DraftContent.from_json(record.content), on).apply(Cable())


def _view(traffic: Traffic, record: DraftRecord) -> DraftView:
    return DraftView(
        id=record.id,
        origin=record.origin,
        drafter=record.drafter,
        state=DraftState(record.state),
        content=DraftContent.from_json(record.content),
        findings=tuple(record.findings),
        revision=record.revision,
        created=record.created,
        updated=record.updated,
        cable_id=record.cable_id,
        clearances=tuple(traffic.store.clearances(record.id)),
        events=tuple(traffic.store.events(record.id)),
    )


def _target(draft_id: int) -> str:
    return f"draft {draft_id}"


def _audit(
    traffic: Traffic, actor: Actor, action: str, draft_id: int, composition: Composition
) -> None:
    banner = composition.cable.classification
    traffic.store.audit(
        actor.audit_name,
        action,
        _target(draft_id),
        {
            "banner": banner.banner if banner else None,
            "errors": len(composition.errors),
            "warnings": [f.rule for f in composition.warnings],
        },
    )
