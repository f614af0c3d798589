"""Options shared by the archive commands, who the CLI acts as, and bringing the index up
to date before a command uses it (`catch_up_index`).

The CLI with direct access to the archive's files is the trusted local operator
(docs/security.md): without ``--as`` it reads as `cablegram.access.OPERATOR`, audited as
``operator``; ``--as USER`` renders that user's view, audited as ``operator as USER``.
``--as-of`` pins the day every read is judged on (default: today, UTC).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from cablegram.access import OPERATOR, Principal
from cablegram.access.audit import AuditLog
from cablegram.access.users import SqliteUserStore
from cablegram.archive import Archive
from cablegram.archive.indexer import rebuilding, sync
from cablegram.archive.paths import resolve

ArchiveOption = Annotated[
    Path | None,
    typer.Option("--archive", help="Archive directory (default: $CABLEGRAM_ARCHIVE or per-user)."),
]
AsOption = Annotated[
    str | None,
    typer.Option("--as", help="Read as this user (their clearance, caveats and channels)."),
]
AsOfOption = Annotated[
    str | None,
    typer.Option("--as-of", help="Judge declassification on this day (YYYY-MM-DD; default today)."),
]


class RateColumn(ProgressColumn):
    """A progress bar's rate, in cables a second."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("" if speed is None else f"{speed:,.0f} cables/s", style="cyan")


def catch_up_index(archive: Archive) -> int:
    """Index what the archive stores and its index does not hold yet, before a command
    that reads or extends the index; returns the number of cables indexed. Rebuilding
    every cable (the index was deleted, or an upgrade changed its format) shows a progress
    bar on stderr; an index another process is writing (an ingest running) is left to
    that process."""
    storage = archive.storage
    try:
        index = archive.index
        if not rebuilding(storage, index):
            return sync(storage, index)
        with Progress(
            TextColumn("re-indexing"),
            BarColumn(),
            MofNCompleteColumn(),
            RateColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        ) as progress:
            task = progress.add_task("re-indexing", total=storage.count())
            indexed = sync(storage, index, lambda done: progress.advance(task, done))
        typer.echo(f"re-indexed {indexed:,} cable{'' if indexed == 1 else 's'}", err=True)
        return indexed
    except ValueError as error:
        if "LockBusy" not in str(error):
            raise
        typer.echo("warning: another process is writing the index; it is left to it", err=True)
        return 0


@dataclass(frozen=True)
class Reader:
    """Who a command reads as, and how the audit trail names them."""

    principal: Principal
    audit_name: str
    as_of: date


def today() -> date:
    return datetime.now(UTC).date()


def parse_day(text: str | None) -> date:
    if text is None:
        return today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"not a date (YYYY-MM-DD): {text!r}") from None


def audit(
    archive: Path | None,
    who: Reader,
    action: str,
    target: str,
    detail: Mapping[str, object] | None = None,
) -> None:
    """Append a read, search or export by the CLI's reader to the audit trail."""
    with AuditLog(resolve(archive)) as log:
        log.record(
            who.audit_name, action, target, {"as_of": who.as_of.isoformat(), **(detail or {})}
        )


def reader(archive: Path | None, as_user: str | None, as_of: str | None) -> Reader:
    """The principal for ``--as`` (or the operator) and the as-of day."""
    day = parse_day(as_of)
    if as_user is None:
        return Reader(OPERATOR, "operator", day)
    store = SqliteUserStore(resolve(archive))
    try:
        user = store.get(as_user)
    finally:
        store.close()
    if user is None:
        raise typer.BadParameter(f"no user {as_user!r} in this archive", param_hint="--as")
    return Reader(user.principal(), f"operator as {as_user}", day)
