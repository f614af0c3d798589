"""Presetting a post's counters: the serial of a year and the MCN sequences (issue 6,
acceptance: "Moscow's counters preset").

A post that moves its traffic to cablegram mid-year continues its own numbering: its last
serial of the year (MOSCOW 001001 before the seed) and, per State addressee, the last
message continuity number it sent (8095 to SECSTATE before the seed's 8096). Counters
only move forward: setting one below its current value could hand out a number twice, so
it is refused. Only an administrator (role admin) or the local operator presets counters,
and each preset is audited.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from cablegram.access import Role
from cablegram.reference.posts import address_key
from cablegram.traffic.numbering import MCN_LIMIT
from cablegram.traffic.service import Actor, Traffic, TrafficError


@dataclass(frozen=True)
class Counters:
    origin: str
    serials: dict[int, int]
    """The last serial taken, by year."""
    mcns: dict[str, int]
    """The last MCN sent, by State addressee (address key)."""


def counters(traffic: Traffic, origin: str) -> Counters:
    post = traffic.book.post(origin)
    serials, mcns = traffic.store.counters(post.name)
    return Counters(post.name, serials, mcns)


def preset(
    traffic: Traffic,
    actor: Actor,
    origin: str,
    year: int | None = None,
    serial: int | None = None,
    mcns: Mapping[str, int] | None = None,
) -> Counters:
    """Set the post's last serial of ``year`` and the last MCN of each State addressee
    (written as a drafter would: ``SECSTATE``, ``USUN``, ``USMISSION USNATO``)."""
    if not actor.has(Role.ADMIN):
        raise TrafficError(f"{actor.name} does not have the admin role")
    post = traffic.book.post(origin)
    store = traffic.store
    with store.write():
        if serial is not None:
            if year is None:
                raise TrafficError("a serial is preset for a year: give the year")
            _forward("serial", store.last_serial(post.name, year), serial, None)
            store.set_serial(post.name, year, serial)
        for written, last in (mcns or {}).items():
            office = traffic.book.resolve(written).office
            if not office.state:
                raise TrafficError(f"{office.address} is not a State addressee: it has no MCN")
            key = address_key(office.address)
            _forward(f"MCN to {key}", store.last_mcn(post.name, key), last, MCN_LIMIT)
            store.set_mcn(post.name, key, last)
        store.audit(
            actor.audit_name,
            "traffic.counters",
            post.name,
            {"year": year, "serial": serial, "mcns": dict(mcns or {})},
        )
    traffic.flush_audit()
    return counters(traffic, post.name)


def _forward(what: str, current: int, wanted: int, limit: int | None) -> None:
    if wanted < current:
        raise TrafficError(f"the {what} is at {current}: counters only move forward")
    if wanted < 0 or (limit is not None and wanted > limit):
        raise TrafficError(f"the {what} must lie between 0 and {limit}")
