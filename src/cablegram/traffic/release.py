"""Release: a cleared draft becomes a numbered telegram with its outbox, in one transaction
(issue 6, items 2, 3 and 5).

A releaser (role releaser, a member of the origin post, able to read every portion: so a
clearance at least the cable's level, and the channel's authorisation for a channel
cable) releases a draft every named clearer has cleared:

1. the release minute is the DTG; the post's serial for the year and the MCN of each
   State addressee are the next of their counters (`numbering`);
2. the draft is composed with them (`compose`: writer, reader, linter). Lint errors, or a
   telegram that does not read back as written, refuse the release; the E.O. of the
   release day and Classified By with reasons are required of a classified cable (the
   linter's CG201, CG202, CG211 errors);
3. named recipients must be users, and hold the channel's authorisation for a NODIS or
   EXDIS cable;
4. in one ``BEGIN IMMEDIATE`` transaction (`TrafficStore.write`) the counters are read
   again and advanced, and the cable (telegram, model, distribution), one outbox row per
   recipient (`routing`) and, for a SIPDIS cable, one for the archive copy, the draft's
   new state and the audit entry are written.

Composing is most of the work, so it happens before the transaction, with the numbers
the counters promise; under the write lock a draft whose numbers moved meanwhile (another
process released for the same post) or that changed is composed again. Releases from
several processes thus compose at the same time, and numbering never rests on the
promise.

**What is archived where.** Every released cable is kept, with its distribution, in the
traffic store's ``released`` table: the record copy (State's archiving system), read
through the queues by those it was distributed to. A SIPDIS cable is also copied into the
archive, where every reader finds it under the access rules: "SIPDIS messages ... are
automatically copied to a State database accessible ... on ClassNet and SIPRNet" (06 STATE
89712 [S20]), while the Net-Centric Diplomacy database held "primarily SIPDIS-captioned"
cables [S25]. A cable without SIPDIS stays out of the archive because the access decision
restricts a cable by its distribution only when it carries a channel caption: archived,
a non-SIPDIS cable would be open to every cleared reader.

Either all of it is committed or none of it: numbering stays gapless and unique however
many processes release at once (each waits for the write lock), and a release killed at
any point leaves either a released cable with all its outbox rows, or the cleared draft
untouched. `release` takes several drafts to commit them together (group commit, one disk
sync for all); a refused draft then refuses the group.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from cablegram.access import Role
from cablegram.jsonio import cable_to_dict
from cablegram.model import Cable
from cablegram.traffic.compose import Composition, compose
from cablegram.traffic.drafts import DraftContent, DraftError, DraftState
from cablegram.traffic.numbering import next_mcn, release_minute
from cablegram.traffic.records import DraftRecord, ReleasedRecord
from cablegram.traffic.routing import PERSONAL_CHANNELS, Plan, Recipient, plan
from cablegram.traffic.service import Actor, Traffic, TrafficError
from cablegram.traffic.store import TrafficStore
from cablegram.traffic.workflow import readable
from cablegram.write import Finding

ARCHIVE = "archive"
"""The outbox kind (and recipient) of the archive copy."""
SIPDIS = "SIPDIS"


class ReleaseError(TrafficError):
    """A release refused; ``errors`` says why."""

    def __init__(self, draft_id: int, errors: Sequence[str]) -> None:
        super().__init__(f"draft {draft_id} cannot be released: " + "; ".join(errors))
        self.errors = tuple(errors)


@dataclass(frozen=True)
class Released:
    draft_id: int
    cable_id: str
    telegram: str
    cable: Cable
    distribution: frozenset[str]
    recipients: tuple[Recipient, ...]
    warnings: tuple[Finding, ...]


@dataclass(frozen=True)
class _Prepared:
    """A draft composed with the numbers it is expected to take."""

    record: DraftRecord
    routing: Plan
    serial: int
    mcns: dict[str, int]
    composition: Composition


def release(traffic: Traffic, actor: Actor, draft_ids: Sequence[int]) -> list[Released]:
    """Release the drafts in one transaction; their cables are acknowledged (returned)
    only once it is committed.

    The drafts are composed before the transaction, with the numbers they will take if no
    other process releases for the same post meanwhile (composing is most of the work, and
    releases from several processes then compose at the same time). Under the write lock
    each draft is checked again (still cleared, same revision) and its numbers read anew;
    a draft whose numbers moved is composed again there, so numbering never depends on
    the guess."""
    if not actor.has(Role.RELEASER):
        raise TrafficError(f"{actor.name} does not have the releaser role")
    dtg = release_minute(traffic.now())
    store = traffic.store
    with store.snapshot():
        records = [_cleared(traffic, draft_id) for draft_id in draft_ids]
        taken = _Counters(store, dtg.year)
        prepared = [_prepare(traffic, actor, record, dtg, taken) for record in records]
    with store.write():
        taken = _Counters(store, dtg.year)
        done = []
        for guess in prepared:
            record = _cleared(traffic, guess.record.id)
            edited = record.revision != guess.record.revision
            if edited or (guess.serial, guess.mcns) != taken.next(guess.routing):
                guess = _prepare(traffic, actor, record, dtg, taken)  # composed again
            else:
                taken.take(guess.routing)
            done.append(_write(traffic, actor, guess, dtg))
        # One entry for the transaction: a group release is one act of its releaser.
        store.audit(
            actor.audit_name,
            "traffic.release",
            " ".join(item.cable_id for item in done),
            {
                "dtg": dtg.isoformat(),
                "cables": {
                    item.cable_id: {
                        "draft": item.draft_id,
                        "recipients": len(item.recipients),
                        "warnings": [f.rule for f in item.warnings],
                    }
                    for item in done
                },
            },
        )
    traffic.flush_audit()
    return done


class _Counters:
    """The post's counters as read in one transaction, advanced by the drafts of a group."""

    def __init__(self, store: TrafficStore, year: int) -> None:
        self._store = store
        self._year = year
        self._serials: dict[str, int] = {}
        self._mcns: dict[tuple[str, str], int] = {}

    def next(self, routing: Plan) -> tuple[int, dict[str, int]]:
        """The serial and MCNs the next draft of ``routing``'s post takes."""
        origin = routing.originator.name
        if origin not in self._serials:
            self._serials[origin] = self._store.last_serial(origin, self._year)
        for address in routing.state_addresses():
            if (origin, address) not in self._mcns:
                self._mcns[(origin, address)] = self._store.last_mcn(origin, address)
        mcns = {a: next_mcn(self._mcns[(origin, a)]) for a in routing.state_addresses()}
        return self._serials[origin] + 1, mcns

    def take(self, routing: Plan) -> tuple[int, dict[str, int]]:
        serial, mcns = self.next(routing)
        origin = routing.originator.name
        self._serials[origin] = serial
        for address, mcn in mcns.items():
            self._mcns[(origin, address)] = mcn
        return serial, mcns


def _cleared(traffic: Traffic, draft_id: int) -> DraftRecord:
    record = traffic.store.draft(draft_id)
    if record is None:
        raise TrafficError(f"no draft {draft_id}")
    if record.state == DraftState.RELEASED.value:
        raise TrafficError(f"draft {draft_id} was released already, as {record.cable_id}")
    if record.state != DraftState.CLEARED.value:
        raise TrafficError(f"draft {draft_id} is {record.state}: every clearer must clear it")
    return record


def _prepare(
    traffic: Traffic, actor: Actor, record: DraftRecord, dtg: datetime, counters: _Counters
) -> _Prepared:
    """The draft composed with the next numbers of ``counters`` (which it takes), checked:
    lint errors, the releaser's office and clearance, the named recipients."""
    content = DraftContent.from_json(record.content)
    try:
        routing = plan(content, traffic.book)
        origin = routing.originator.name
        if not actor.member_of(origin):
            raise TrafficError(f"{actor.name} is not a member of {origin}, which releases it")
        serial, mcns = counters.take(routing)
        composition = compose(
            content, traffic.book, dtg, serial, mcns, traffic.section_lines, routing
        )
    except DraftError as error:
        raise ReleaseError(record.id, [str(error)]) from None
    errors = list(composition.errors)
    if not readable(actor.principal, composition.cable, dtg.date()):
        errors.append(f"{actor.name} may not read all of it (clearance, caveats or channel)")
    errors += _recipient_errors(traffic, routing.channel, routing.named)
    if errors:
        raise ReleaseError(record.id, errors)
    return _Prepared(record, routing, serial, mcns, composition)


def _write(traffic: Traffic, actor: Actor, prepared: _Prepared, dtg: datetime) -> Released:
    """Write a composed release: counters, cable, outbox rows, the draft's state."""
    store = traffic.store
    routing, composition = prepared.routing, prepared.composition
    cable = composition.cable
    assert cable.id is not None
    origin = routing.originator.name
    recipients = routing.recipients()
    distribution = routing.distribution()
    at = traffic.stamp()
    store.set_serial(origin, dtg.year, prepared.serial)
    for address, mcn in prepared.mcns.items():
        store.set_mcn(origin, address, mcn)
    store.add_released(
        ReleasedRecord(
            cable_id=cable.id,
            draft_id=prepared.record.id,
            origin=origin,
            year=dtg.year,
            serial=prepared.serial,
            dtg=dtg.isoformat(),
            urgency=routing.highest.urgency,
            text=composition.telegram,
            cable_json=json.dumps(cable_to_dict(cable), ensure_ascii=False),
            distribution=distribution,
            released_by=actor.name,
        )
    )
    for recipient in recipients:
        precedence = recipient.precedence
        store.add_outbox(
            cable.id, recipient.kind, recipient.name, precedence.value, precedence.urgency
        )
    if copied_to_archive(cable):
        store.add_outbox(cable.id, ARCHIVE, ARCHIVE, routing.highest.value, routing.highest.urgency)
    store.set_state(prepared.record.id, DraftState.RELEASED.value, at, cable.id)
    store.add_event(prepared.record.id, at, actor.audit_name, "release", cable.id)
    return Released(
        prepared.record.id,
        cable.id,
        composition.telegram,
        cable,
        distribution,
        recipients,
        composition.warnings,
    )


def copied_to_archive(cable: Cable) -> bool:
    """Whether the cable goes into the archive (module notes): SIPDIS cables do."""
    return SIPDIS in cable.captions


def _recipient_errors(traffic: Traffic, channel: str | None, named: Sequence[str]) -> list[str]:
    errors: list[str] = []
    for name in named:
        recipient = traffic.principal(name)
        if recipient is None:
            errors.append(f"named recipient {name} is not a user")
        elif channel in PERSONAL_CHANNELS and channel not in recipient.channels:
            errors.append(f"named recipient {name} is not authorised for {channel}")
    return errors
