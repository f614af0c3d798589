"""`cablegram declass report|review|release|extend`: declassification over time.

``report --year 2027`` lists the cables whose classified portions become releasable that
year (their E.O. date, the 25-year rule, or a reviewer's decision). ``review`` lists the
queue of cables a reviewer must decide: exemptions (25X…, 50X…, X1–X8, OADR), events,
classified cables without a date. ``release ID --on DAY`` and ``extend ID --to DAY``
record a reviewer's decision (the user named by ``--as`` must hold the reviewer role),
re-index the cable so every output follows it at once, and write it to the audit trail.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from cablegram.access import Role
from cablegram.archive import Archive, paths
from cablegram.cli.common import ArchiveOption, AsOption, audit, parse_day, reader
from cablegram.declass import Entry, releasable_in, review_queue
from cablegram.declass.decisions import decide
from cablegram.declass.report import Record

declass = typer.Typer(help="Declassification: yearly report, review queue, decisions.")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the application."""
    app.add_typer(declass, name="declass")


def _records(opened: Archive) -> Iterator[Record]:
    decisions = opened.storage.decisions()
    for cable_id in opened.storage.ids():
        stored = opened.storage.get(cable_id)
        if stored is not None:
            yield cable_id, stored.cable, decisions.get(cable_id)


def _print(entries: list[Entry], as_json: bool, title: str) -> None:
    if as_json:
        for entry in entries:
            typer.echo(
                json.dumps(
                    {
                        "id": entry.cable_id,
                        "date": entry.cable_date.isoformat() if entry.cable_date else None,
                        "level": entry.level,
                        "schedule": entry.schedule.kind.value,
                        "releasable_on": entry.schedule.date.isoformat()
                        if entry.schedule.date
                        else None,
                        "reason": entry.schedule.reason,
                    }
                )
            )
        return
    table = Table("id", "date", "level", "schedule", "releasable on", "reason", title=title)
    for entry in entries:
        table.add_row(
            entry.cable_id,
            entry.cable_date.isoformat() if entry.cable_date else "—",
            entry.level,
            entry.schedule.kind.value,
            entry.schedule.date.isoformat() if entry.schedule.date else "—",
            entry.schedule.reason,
        )
    Console().print(table)


def _open(archive: ArchiveOption) -> Archive:
    directory = paths.resolve(archive)
    if not directory.is_dir():
        typer.echo(f"error: no archive at {directory}", err=True)
        raise typer.Exit(1)
    return Archive.open(directory)


@declass.command("report")
def report(
    year: Annotated[int, typer.Option(help="The year to report on.")],
    archive: ArchiveOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON Lines output.")] = False,
) -> None:
    """List the cables that become releasable in a year."""
    with _open(archive) as opened:
        entries = sorted(
            releasable_in(_records(opened), year), key=lambda e: e.schedule.date or date.max
        )
    _print(entries, as_json, f"Releasable in {year}: {len(entries)} cables")


@declass.command("review")
def review(
    archive: ArchiveOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON Lines output.")] = False,
) -> None:
    """List the review queue: exemptions, events and undated classified cables."""
    with _open(archive) as opened:
        entries = list(review_queue(_records(opened)))
    _print(entries, as_json, f"Review queue: {len(entries)} cables")


def _decide(
    archive: ArchiveOption, as_user: str | None, cable_id: str, day: date, kind: str
) -> None:
    who = reader(archive, as_user, None)
    if not who.principal.operator and Role.REVIEWER not in who.principal.roles:
        typer.echo(f"error: {as_user} does not hold the reviewer role", err=True)
        raise typer.Exit(1)
    with _open(archive) as opened:
        if opened.storage.get(cable_id) is None:
            typer.echo(f"error: no cable {cable_id}", err=True)
            raise typer.Exit(1)
        decide(opened, cable_id, day)
    audit(archive, who, f"declass.{kind}", cable_id, {"day": day.isoformat()})
    typer.echo(f"{cable_id}: {kind} on {day.isoformat()}")


@declass.command("release")
def release(
    cable_id: Annotated[str, typer.Argument(metavar="ID")],
    on: Annotated[str, typer.Option("--on", help="The day it becomes releasable (YYYY-MM-DD).")],
    archive: ArchiveOption = None,
    as_user: AsOption = None,
) -> None:
    """Release a cable's classified portions from a day on (a reviewer's decision)."""
    _decide(archive, as_user, cable_id, parse_day(on), "release")


@declass.command("extend")
def extend(
    cable_id: Annotated[str, typer.Argument(metavar="ID")],
    to: Annotated[str, typer.Option("--to", help="The new declassification day (YYYY-MM-DD).")],
    archive: ArchiveOption = None,
    as_user: AsOption = None,
) -> None:
    """Extend a cable's classification to a later day (a reviewer's decision)."""
    _decide(archive, as_user, cable_id, parse_day(to), "extend")
