"""What the traffic commands share: the session (traffic system and actor), errors, options.

The CLI is the local operator (docs/security.md); ``--as USER`` acts as that user (their
roles, offices, clearance), audited as ``operator as USER``. Drafting, clearing, releasing
and acknowledging need a user: only users hold the drafter, clearer and releaser roles and
belong to offices. The time comes from ``$CABLEGRAM_TRAFFIC_CLOCK`` when set (tests,
demonstrations; `cablegram.traffic.clock`), else the system clock. A refused step prints
``error: ...`` and exits with status 1.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from cablegram.archive.paths import resolve
from cablegram.cli.common import reader
from cablegram.traffic import (
    Actor,
    AddressError,
    DraftError,
    Traffic,
    TrafficError,
    clock_from_environment,
)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]
DeadlineOption = Annotated[
    float, typer.Option("--flash-deadline", help="Minutes a FLASH cable may wait for its ack.")
]
_REFUSALS = (TrafficError, DraftError, AddressError)


@contextmanager
def session(archive: Path | None, as_user: str | None) -> Iterator[tuple[Traffic, Actor]]:
    """The traffic system and the actor; a step refused prints its reason and exits 1."""
    who = reader(archive, as_user, None)
    with Traffic(resolve(archive), clock=clock_from_environment()) as traffic:
        try:
            yield traffic, Actor(who.principal, who.audit_name)
        except _REFUSALS as error:
            fail(str(error))


def fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(1)


def read_input(path: Path) -> str:
    """A file's text, or standard input for ``-``."""
    if str(path) == "-":
        return typer.get_text_stream("stdin").read()
    try:
        return path.read_text(encoding="utf-8")
    except OSError as error:
        fail(f"cannot read {path}: {error.strerror}")
