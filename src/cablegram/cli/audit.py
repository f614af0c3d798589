"""`cablegram audit verify|who-read|log`: check and query the archive's audit trail.

``verify`` checks the keyed hash chain and its checkpoint (`cablegram.access.audit`) and
names each tampering with the seqs concerned; exit status 0 when intact, 1 when tampered
(or when the key is missing, so nothing can be verified), 2 when there is no archive.
``who-read ID`` lists who read a cable; ``log`` lists entries by user, action and time.
Both print rich tables, or JSON with ``--json``. The key directory is
``$CABLEGRAM_KEY_DIR`` (else ``~/.config/cablegram/keys``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from cablegram.access.audit import AuditEntry, AuditError, AuditLog, VerifyReport
from cablegram.archive.paths import resolve
from cablegram.cli.common import ArchiveOption

audit_app = typer.Typer(
    name="audit",
    help="Verify the tamper-evident audit trail; see who read a cable; list entries.",
    no_args_is_help=True,
)

_T = TypeVar("_T")

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def register(app: typer.Typer) -> None:
    """Add the ``audit`` command group to the application."""
    app.add_typer(audit_app)


@audit_app.command("verify")
def verify_command(archive: ArchiveOption = None, as_json: JsonOption = False) -> None:
    """Check the audit chain and checkpoint; exit 1 and name each tampering if altered."""
    report = _open(archive, AuditLog.verify)
    if as_json:
        typer.echo(json.dumps(_report_json(report), indent=2))
    elif report.intact:
        checkpoint = report.checkpoint if report.checkpoint is not None else "none"
        typer.echo(f"audit trail intact: {report.entries} entries, checkpoint at seq {checkpoint}")
    else:
        typer.echo(f"audit trail TAMPERED: {len(report.problems)} problem(s)")
        for problem in report.problems:
            typer.echo(f"  {problem}")
    raise typer.Exit(0 if report.intact else 1)


@audit_app.command("who-read")
def who_read_command(
    cable_id: Annotated[str, typer.Argument(help="Cable id, e.g. 07MOSCOW1002.")],
    archive: ArchiveOption = None,
    as_json: JsonOption = False,
) -> None:
    """List who read a cable, when, and what was withheld from them."""
    entries = _open(archive, lambda log: log.who_read(cable_id))
    _print(entries, as_json, f"Reads of {cable_id}", targets=False)


@audit_app.command("log")
def log_command(
    user: Annotated[
        str | None,
        typer.Option("--user", help="Only this principal ('operator' includes 'operator as …')."),
    ] = None,
    action: Annotated[
        str | None, typer.Option("--action", help="Only this action (read, search, user.add …).")
    ] = None,
    since: Annotated[
        str | None,
        typer.Option("--since", help="Only entries at or after this UTC day or time (ISO 8601)."),
    ] = None,
    archive: ArchiveOption = None,
    as_json: JsonOption = False,
) -> None:
    """List audit entries, oldest first."""
    moment = _parse_since(since)
    entries = _open(archive, lambda log: log.entries(user=user, action=action, since=moment))
    _print(entries, as_json, "Audit log")


def _open(archive: Path | None, query: Callable[[AuditLog], _T]) -> _T:
    """Run ``query`` on the archive's audit log; exit 2 when there is no archive."""
    directory = resolve(archive)
    if not directory.is_dir():
        typer.echo(f"error: no archive at {directory}", err=True)
        raise typer.Exit(2)
    try:
        with AuditLog(directory) as log:
            return query(log)
    except AuditError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None


def _parse_since(text: str | None) -> date | datetime | None:
    if text is None:
        return None
    try:
        return datetime.fromisoformat(text) if "T" in text else date.fromisoformat(text)
    except ValueError:
        message = f"not an ISO day or time: {text!r}"
        raise typer.BadParameter(message, param_hint="--since") from None


def _print(entries: list[AuditEntry], as_json: bool, title: str, *, targets: bool = True) -> None:
    if as_json:
        typer.echo(json.dumps([_entry_json(entry) for entry in entries], indent=2))
        return
    table = Table(title=f"{title} ({len(entries)})")
    table.add_column("seq", justify="right", no_wrap=True)
    table.add_column("time (UTC)", no_wrap=True)
    table.add_column("principal", no_wrap=True)
    table.add_column("action", no_wrap=True)
    if targets:
        table.add_column("target", overflow="fold")
    table.add_column("detail", overflow="fold")
    for entry in entries:
        # Seconds are enough on screen; --json keeps the stored timestamp.
        cells = [entry.timestamp[:19].replace("T", " "), entry.principal, entry.action]
        if targets:
            cells.append(entry.target)
        cells.append(entry.detail)
        # Text(), not str: logged values must not be read as rich markup.
        table.add_row(str(entry.seq), *(Text(cell) for cell in cells))
    Console(highlight=False).print(table)


def _entry_json(entry: AuditEntry) -> dict[str, object]:
    return {
        "seq": entry.seq,
        "timestamp": entry.timestamp,
        "principal": entry.principal,
        "action": entry.action,
        "target": entry.target,
        "detail": _detail(entry),
    }


def _detail(entry: AuditEntry) -> object:
    """The entry's detail; the raw text when someone has made it unreadable (the log is
    shown as stored: ``verify`` is what vouches for it)."""
    try:
        return json.loads(entry.detail)
    except ValueError:
        return entry.detail


def _report_json(report: VerifyReport) -> dict[str, object]:
    return {
        "intact": report.intact,
        "entries": report.entries,
        "head": report.head,
        "checkpoint": report.checkpoint,
        "problems": [
            {"kind": p.kind.value, "first": p.first, "last": p.last, "message": p.message}
            for p in report.problems
        ],
    }
