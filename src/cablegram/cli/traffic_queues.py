"""``cablegram inbox``, ``ack`` and ``traffic status|dispatch|counters``: the queues and the
traffic system's own work (issue 6, items 4-5; docs/traffic.md).

``inbox`` lists the queues of the user's offices and their personal queue, most urgent
first, each cable as the user may see it, overdue FLASH cables marked; ``ack`` acknowledges
one for the office. ``traffic dispatch`` runs the dispatcher once or until SIGTERM/SIGINT
(``--follow``); ``traffic counters`` shows or presets a post's serial and MCN sequences.
"""

from __future__ import annotations

import json
import signal
from datetime import timedelta
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from cablegram.cli.common import ArchiveOption, AsOption
from cablegram.cli.traffic_session import DeadlineOption, JsonOption, fail, session
from cablegram.traffic import Dispatcher, DraftState, acknowledge, inbox
from cablegram.traffic.counters import counters, preset
from cablegram.traffic.dispatch import BATCH

traffic_app = typer.Typer(
    help="The traffic system: status, dispatcher, counters.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(traffic_app, name="traffic")
    app.command("inbox")(inbox_command)
    app.command("ack")(ack_command)


def inbox_command(
    archive: ArchiveOption = None,
    as_user: AsOption = None,
    include_all: Annotated[bool, typer.Option("--all", help="Acknowledged cables too.")] = False,
    flash_deadline: DeadlineOption = 10.0,
    as_json: JsonOption = False,
) -> None:
    """Your offices' queues, by precedence then time; overdue FLASH cables flagged."""
    with session(archive, as_user) as (traffic, actor):
        items = inbox(traffic, actor, include_all, timedelta(minutes=flash_deadline))
    rows = [
        {
            "cable": item.cable_id,
            "precedence": item.precedence.label,
            "niact": item.niact,
            "to": item.delivery.recipient,
            "kind": item.delivery.kind,
            "dtg": item.view.cable.dtg.isoformat() if item.view.cable.dtg else None,
            "from": item.view.cable.origin,
            "classification": item.view.cable.classification.banner
            if item.view.cable.classification
            else None,
            "subject": item.view.cable.subject,
            "withheld": [p.portion.label for p in item.view.withheld],
            "delivered": item.delivery.delivered_at,
            "due": item.due.isoformat() if item.due else None,
            "overdue": item.overdue,
            "escalated": item.escalated,
            "acknowledged_by": item.delivery.acked_by,
        }
        for item in items
    ]
    if as_json:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    table = Table("precedence", "cable", "to", "from", "class.", "subject", "delivered", "ack")
    for row in rows:
        badge = str(row["precedence"]) + (" OVERDUE" if row["overdue"] else "")
        style = "bold red" if row["overdue"] else ("bold" if row["precedence"] == "FLASH" else None)
        table.add_row(
            badge,
            str(row["cable"]),
            str(row["to"]),
            str(row["from"]),
            str(row["classification"]),
            str(row["subject"])[:48],
            str(row["delivered"])[:16],
            str(row["acknowledged_by"] or ""),
            style=style,
        )
    Console().print(table)


def ack_command(
    cable_id: Annotated[str, typer.Argument(metavar="CABLE")],
    office: Annotated[str | None, typer.Option(help="The office you acknowledge for.")] = None,
    archive: ArchiveOption = None,
    as_user: AsOption = None,
) -> None:
    """Acknowledge a cable for your office (or for yourself, a named recipient)."""
    with session(archive, as_user) as (traffic, actor):
        row = acknowledge(traffic, actor, cable_id, office)
    typer.echo(f"{cable_id} acknowledged for {row.recipient} by {row.acked_by}")


# -- the traffic system -------------------------------------------------------------------


@traffic_app.command("status")
def status_command(archive: ArchiveOption = None, as_json: JsonOption = False) -> None:
    """Drafts by state, released cables, outbox backlog, queues, audit backlog."""
    with session(archive, None) as (traffic, _):
        store = traffic.store
        with store.snapshot():
            queued, acknowledged, escalated = store.delivery_counts()
            data: dict[str, Any] = {
                "drafts": {s.value: len(store.drafts(s.value)) for s in DraftState},
                "released": len(store.released_ids()),
                "outbox": {
                    k: {"pending": p, "done": d} for k, (p, d) in store.outbox_counts().items()
                },
                "deliveries": {
                    "queued": queued,
                    "acknowledged": acknowledged,
                    "escalated": escalated,
                },
                "audit_backlog": store.audit_backlog(),
            }
    if as_json:
        typer.echo(json.dumps(data, indent=2))
        return
    table = Table("what", "count")
    for group, value in data.items():
        if isinstance(value, dict):
            for name, count in value.items():
                table.add_row(
                    f"{group} {name}", json.dumps(count) if isinstance(count, dict) else str(count)
                )
        else:
            table.add_row(group, str(value))
    Console().print(table)


@traffic_app.command("dispatch")
def dispatch_command(
    archive: ArchiveOption = None,
    follow: Annotated[
        bool, typer.Option("--follow/--once", help="Keep running, or one pass.")
    ] = False,
    interval: Annotated[float, typer.Option(help="Seconds between idle passes.")] = 1.0,
    flash_deadline: DeadlineOption = 10.0,
    batch: Annotated[int, typer.Option(min=1, help="Outbox rows per transaction.")] = BATCH,
) -> None:
    """Run the dispatcher: outbox to queues, SIPDIS cables to the archive, escalations."""
    stopping: list[int] = []

    def stop(signum: int, frame: object) -> None:
        stopping.append(signum)

    if follow:
        # A stop request ends the loop after the pass under way: no pass is cut short.
        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
    with session(archive, None) as (traffic, _):
        dispatcher = Dispatcher(
            traffic, batch=batch, flash_deadline=timedelta(minutes=flash_deadline)
        )
        if follow:
            report = dispatcher.follow(interval, lambda: bool(stopping))
        else:
            report = dispatcher.run_once()
    typer.echo(
        f"delivered {report.delivered}, archived {report.archived}, escalated {report.escalated}"
    )


@traffic_app.command("counters")
def counters_command(
    post: Annotated[str, typer.Argument(help="The post: MOSCOW.")],
    archive: ArchiveOption = None,
    as_user: AsOption = None,
    year: Annotated[int | None, typer.Option(help="The year of --serial.")] = None,
    serial: Annotated[int | None, typer.Option(help="The last serial sent that year.")] = None,
    mcn: Annotated[list[str] | None, typer.Option(help="'SECSTATE=8095': last MCN sent.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Show a post's counters, or preset them (forward only; admin)."""
    with session(archive, as_user) as (traffic, actor):
        if serial is None and not mcn:
            found = counters(traffic, post)
        else:
            pairs = dict(_pair(item) for item in mcn or [])
            found = preset(traffic, actor, post, year, serial, pairs)
    data = {"post": found.origin, "serials": found.serials, "mcns": found.mcns}
    if as_json:
        typer.echo(json.dumps(data, indent=2))
        return
    for year_, last in found.serials.items():
        typer.echo(f"{found.origin} {year_}: last serial {last:06d}")
    for address, last in found.mcns.items():
        typer.echo(f"{found.origin} -> {address}: last MCN {last:04d}")


def _pair(text: str) -> tuple[str, int]:
    address, _, number = text.rpartition("=")
    if not address or not number.strip().isdigit():
        fail(f"--mcn takes ADDRESS=NUMBER, not {text!r}")
    return address.strip(), int(number)
