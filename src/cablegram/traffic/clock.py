"""The one clock of the traffic system: every date-time group, filing time, deadline and
timestamp of issue 6 comes from a `Clock`, so tests (and replays) can set the time.

A clock is any callable returning an aware UTC datetime. `system_clock` reads the system
time; `SettableClock` is set, then advanced, by hand (the seed is re-created at
2007-03-09 15:23Z; a FLASH deadline is crossed by advancing eleven minutes).

Separate processes (the CLI, the dispatcher) share a set time through the environment:
``CABLEGRAM_TRAFFIC_CLOCK=2007-03-09T15:23Z`` makes `clock_from_environment` return a
clock fixed at that instant. The variable is for tests and demonstrations; the local
operator who can set it could equally change the system time (docs/security.md: the
operator is trusted).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

Clock = Callable[[], datetime]
"""Returns the current time as an aware UTC datetime."""

CLOCK_VARIABLE = "CABLEGRAM_TRAFFIC_CLOCK"


def system_clock() -> datetime:
    return datetime.now(UTC)


class SettableClock:
    """A clock that stands still at the time it is set to, until it is advanced."""

    def __init__(self, now: datetime) -> None:
        self._now = as_utc(now)

    def __call__(self) -> datetime:
        return self._now

    def advance(self, by: timedelta) -> None:
        self._now += by


def as_utc(moment: datetime) -> datetime:
    """An aware UTC datetime; a naive one is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def parse_instant(text: str) -> datetime:
    """``2007-03-09T15:23Z``, ``2007-03-09 15:23``, ``2007-03-09T15:23:00+00:00`` -> UTC."""
    cleaned = text.strip()
    if cleaned.endswith(("Z", "z")):
        cleaned = cleaned[:-1] + "+00:00"
    try:
        return as_utc(datetime.fromisoformat(cleaned))
    except ValueError:
        raise ValueError(f"not an ISO 8601 instant: {text!r}") from None


def clock_from_environment() -> Clock:
    """A clock fixed at ``$CABLEGRAM_TRAFFIC_CLOCK`` when set, else the system clock."""
    fixed = os.environ.get(CLOCK_VARIABLE)
    if not fixed:
        return system_clock
    return SettableClock(parse_instant(fixed))
