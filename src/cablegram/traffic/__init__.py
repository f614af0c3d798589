"""Cable traffic (issue 6): draft, clear, release, number, route and deliver cables.

Modules, in the order a cable meets them: `drafts` (what a drafter writes, the body
format, the computed banner), `addressbook` and `routing` (offices, routing indicators,
collectives, who receives a cable), `numbering` (serial, DTG, FL2-FL5, MCNs, sections),
`compose` (writer, reader and linter on a draft), `workflow` (draft, submit, clear,
return), `release` (the release transaction), `dispatch` (the dispatcher process),
`inbox` (queues, acknowledgement, FLASH escalation), `counters` (presetting a post's
numbers); `store` (``traffic.sqlite``, with its `schema` and `records`), `draftfile` (a
draft as one text file), `service` (the `Traffic` context every step takes) and `clock`
(the one clock).
``docs/traffic.md`` describes the whole.
"""

from cablegram.traffic.addressbook import AddressBook, AddressError, Office
from cablegram.traffic.clock import Clock, SettableClock, clock_from_environment, system_clock
from cablegram.traffic.compose import Composition, compose
from cablegram.traffic.dispatch import Dispatcher, DispatchReport, Notification, Subscriber
from cablegram.traffic.drafts import DraftContent, DraftError, DraftState, content_from_cable
from cablegram.traffic.inbox import FLASH_DEADLINE, InboxItem, acknowledge, escalate, inbox
from cablegram.traffic.release import Released, ReleaseError, release
from cablegram.traffic.service import Actor, Traffic, TrafficError
from cablegram.traffic.workflow import (
    DraftView,
    clear,
    edit_draft,
    get_draft,
    list_drafts,
    new_draft,
    return_draft,
    submit,
)

__all__ = [
    "FLASH_DEADLINE",
    "Actor",
    "AddressBook",
    "AddressError",
    "Clock",
    "Composition",
    "DispatchReport",
    "Dispatcher",
    "DraftContent",
    "DraftError",
    "DraftState",
    "DraftView",
    "InboxItem",
    "Notification",
    "Office",
    "ReleaseError",
    "Released",
    "SettableClock",
    "Subscriber",
    "Traffic",
    "TrafficError",
    "acknowledge",
    "clear",
    "clock_from_environment",
    "compose",
    "content_from_cable",
    "edit_draft",
    "escalate",
    "get_draft",
    "inbox",
    "list_drafts",
    "new_draft",
    "release",
    "return_draft",
    "submit",
    "system_clock",
]
