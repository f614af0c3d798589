"""Drafting and release from the command line (issue 6, items 1-3; docs/traffic.md):
``cablegram draft new|list|show|edit|submit``, ``clear``, ``return``, ``release``; the queue
and dispatcher commands are in `cablegram.cli.traffic_queues`, registered from here.

A draft is written from options, a draft file (``--file``; `cablegram.traffic.draftfile`),
an existing telegram (``--telegram``: to send a cable again, or to re-create one), or in
``$EDITOR``; every save is linted and the findings are printed. Who acts, and when:
`cablegram.cli.traffic_session`.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import click
import typer
from rich.console import Console
from rich.table import Table

from cablegram.cli import traffic_queues
from cablegram.cli.common import ArchiveOption, AsOption
from cablegram.cli.traffic_session import JsonOption, fail, read_input, session
from cablegram.model import Precedence
from cablegram.read import EmptyCableError, parse
from cablegram.traffic import (
    DraftContent,
    DraftError,
    DraftState,
    DraftView,
    clear,
    content_from_cable,
    edit_draft,
    get_draft,
    list_drafts,
    new_draft,
    release,
    return_draft,
    submit,
)
from cablegram.traffic.draftfile import format_draft, parse_draft
from cablegram.traffic.workflow import preview

drafts_app = typer.Typer(help="Write cables: new, list, show, edit, submit.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(drafts_app, name="draft")
    app.command("clear")(clear_command)
    app.command("return")(return_command)
    app.command("release")(release_command)
    traffic_queues.register(app)


# -- drafts -------------------------------------------------------------------------------


@drafts_app.command("new")
def draft_new(
    archive: ArchiveOption = None,
    as_user: AsOption = None,
    origin: Annotated[str | None, typer.Option("--from", help="The post it is from.")] = None,
    to: Annotated[list[str] | None, typer.Option("--to", help="Action addressee (repeat).")] = None,
    info: Annotated[
        list[str] | None, typer.Option("--info", help="Info addressee (repeat).")
    ] = None,
    precedence: Annotated[str | None, typer.Option(help="FLASH … ROUTINE (action).")] = None,
    subject: Annotated[str | None, typer.Option(help="SUBJECT, '(C) …' to mark it.")] = None,
    tags: Annotated[str | None, typer.Option(help="TAGS, space-separated.")] = None,
    body: Annotated[Path | None, typer.Option(help="The body (draft format); '-' stdin.")] = None,
    file: Annotated[Path | None, typer.Option(help="A whole draft file (header and body).")] = None,
    telegram: Annotated[
        Path | None, typer.Option(help="Start from an existing cable's text.")
    ] = None,
    caption: Annotated[list[str] | None, typer.Option(help="Caption (repeat): SIPDIS …")] = None,
    classified_by: Annotated[str | None, typer.Option(help="'DCM Daniel A. Russell'.")] = None,
    reasons: Annotated[str | None, typer.Option(help="Reason letters: 'b d'.")] = None,
    declassify: Annotated[str | None, typer.Option(help="03/01/2017, 25X1 or an event.")] = None,
    recipient: Annotated[
        list[str] | None, typer.Option(help="Named recipient (NODIS, EXDIS).")
    ] = None,
    edit: Annotated[bool, typer.Option("--edit", help="Open $EDITOR before saving.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Write a new draft (from options, a file, a telegram, or $EDITOR); it is linted."""
    options: dict[str, Any] = {
        "origin": origin,
        "to": tuple(to) if to else None,
        "info": tuple(info) if info else None,
        "precedence": _precedence(precedence),
        "subject": subject,
        "tags": tuple(tags.split()) if tags else None,
        "body": read_input(body) if body else None,
        "captions": tuple(caption) if caption else None,
        "classified_by": classified_by,
        "reasons": tuple(reasons.replace(",", " ").split()) if reasons else None,
        "declassify": declassify,
        "recipients": tuple(recipient) if recipient else None,
    }
    given = {name: value for name, value in options.items() if value is not None}
    with session(archive, as_user) as (traffic, actor):
        if file is not None:
            content = parse_draft(read_input(file))
        elif telegram is not None:
            try:
                content = content_from_cable(parse(read_input(telegram)))
            except EmptyCableError as error:
                fail(f"{telegram}: {error}")
        else:
            content = DraftContent(origin="", to=())
        content = replace(content, **given)
        if edit or not (given or file or telegram):
            content = _edited(content)
        view = new_draft(traffic, actor, content)
        _print_saved(view, as_json)


@drafts_app.command("list")
def draft_list(
    archive: ArchiveOption = None,
    as_user: AsOption = None,
    state: Annotated[
        str | None, typer.Option(help="draft, submitted, returned, cleared, released.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """The drafts you may see."""
    with session(archive, as_user) as (traffic, actor):
        views = list_drafts(traffic, actor, _state(state))
    if as_json:
        typer.echo(json.dumps([_summary(v) for v in views], indent=2))
        return
    table = Table("id", "state", "from", "drafter", "subject", "errors", "warnings", "cable")
    for v in views:
        s = _summary(v)
        table.add_row(
            str(v.id),
            v.state.value,
            v.origin,
            v.drafter,
            v.content.subject[:50],
            str(s["errors"]),
            str(s["warnings"]),
            v.cable_id or "",
        )
    Console().print(table)


@drafts_app.command("show")
def draft_show(
    draft_id: Annotated[int, typer.Argument(metavar="ID")],
    archive: ArchiveOption = None,
    as_user: AsOption = None,
    show_telegram: Annotated[
        bool, typer.Option("--telegram", help="The telegram a release now would send.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """A draft: its file, clearances, history and lint findings (or its telegram)."""
    with session(archive, as_user) as (traffic, actor):
        view = get_draft(traffic, actor, draft_id)
        if show_telegram:
            typer.echo(preview(traffic, view.content).telegram, nl=False)
            return
    if as_json:
        typer.echo(json.dumps(_detail(view), indent=2, ensure_ascii=False))
        return
    typer.echo(
        f"# draft {view.id} ({view.state.value}), revision {view.revision}, by {view.drafter}"
    )
    typer.echo(format_draft(view.content), nl=False)
    typer.echo("")
    for c in view.clearances:
        typer.echo(f"clearer {c.clearer}: {c.status}" + (f" — {c.comment}" if c.comment else ""))
    for e in view.events:
        typer.echo(f"{e.at} {e.who} {e.action}" + (f": {e.comment}" if e.comment else ""))
    _print_findings(view)


@drafts_app.command("edit")
def draft_edit(
    draft_id: Annotated[int, typer.Argument(metavar="ID")],
    archive: ArchiveOption = None,
    as_user: AsOption = None,
    file: Annotated[Path | None, typer.Option(help="The new draft file.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Change a draft (from a file, else in $EDITOR); earlier clearances are void."""
    with session(archive, as_user) as (traffic, actor):
        view = get_draft(traffic, actor, draft_id)
        content = parse_draft(read_input(file)) if file else _edited(view.content)
        _print_saved(edit_draft(traffic, actor, draft_id, content), as_json)


@drafts_app.command("submit")
def draft_submit(
    draft_id: Annotated[int, typer.Argument(metavar="ID")],
    clearer: Annotated[
        list[str] | None, typer.Option(help="A clearer's user name (repeat).")
    ] = None,
    archive: ArchiveOption = None,
    as_user: AsOption = None,
) -> None:
    """Send a draft to its named clearers."""
    with session(archive, as_user) as (traffic, actor):
        view = submit(traffic, actor, draft_id, clearer or [])
    typer.echo(f"draft {view.id} submitted to {', '.join(c.clearer for c in view.clearances)}")


# -- clearance and release ----------------------------------------------------------------


def clear_command(
    draft_id: Annotated[int, typer.Argument(metavar="ID")],
    comment: Annotated[str | None, typer.Option(help="A comment for the drafter.")] = None,
    archive: ArchiveOption = None,
    as_user: AsOption = None,
) -> None:
    """Clear a draft you were named to clear."""
    with session(archive, as_user) as (traffic, actor):
        view = clear(traffic, actor, draft_id, comment)
    typer.echo(f"draft {view.id} cleared by {actor.name}: {view.state.value}")


def return_command(
    draft_id: Annotated[int, typer.Argument(metavar="ID")],
    comment: Annotated[str, typer.Option(help="Why it goes back (required).")],
    archive: ArchiveOption = None,
    as_user: AsOption = None,
) -> None:
    """Return a draft to its drafter with a comment."""
    with session(archive, as_user) as (traffic, actor):
        view = return_draft(traffic, actor, draft_id, comment)
    typer.echo(f"draft {view.id} returned to {view.drafter}")


def release_command(
    draft_ids: Annotated[list[int], typer.Argument(metavar="ID...")],
    archive: ArchiveOption = None,
    as_user: AsOption = None,
    show_telegram: Annotated[bool, typer.Option("--telegram", help="Print the telegrams.")] = False,
) -> None:
    """Release cleared drafts: number, render and queue them for the dispatcher."""
    with session(archive, as_user) as (traffic, actor):
        done = release(traffic, actor, draft_ids)
    for item in done:
        if show_telegram:
            typer.echo(item.telegram, nl=False)
        else:
            warned = ", ".join(f.rule for f in item.warnings)
            typer.echo(
                f"draft {item.draft_id} released as {item.cable_id} to "
                f"{len(item.recipients)} recipients" + (f" (warnings: {warned})" if warned else "")
            )


# -- helpers ------------------------------------------------------------------------------


def _state(value: str | None) -> DraftState | None:
    try:
        return DraftState(value) if value else None
    except ValueError:
        names = ", ".join(state.value for state in DraftState)
        fail(f"no draft state {value!r}: {names}")


def _precedence(label: str | None) -> Precedence | None:
    try:
        return Precedence.from_label(label) if label else None
    except ValueError as error:
        fail(str(error))


def _edited(content: DraftContent) -> DraftContent:
    """The draft after the user edits it in $EDITOR; a draft the editor left unreadable is
    kept in a file named in the error, so no work is lost."""
    text = click.edit(format_draft(content, help_text=True), extension=".txt")
    if text is None:
        fail("the editor was closed without saving: nothing saved")
    try:
        return parse_draft(text)
    except DraftError as error:
        with tempfile.NamedTemporaryFile("w", suffix=".txt", prefix="draft-", delete=False) as kept:
            kept.write(text)
        fail(f"{error} (your text is kept in {kept.name}: fix it, then use --file)")


def _summary(view: DraftView) -> dict[str, Any]:
    return {
        "id": view.id,
        "state": view.state.value,
        "from": view.origin,
        "drafter": view.drafter,
        "subject": view.content.subject,
        "errors": sum(1 for f in view.findings if f["severity"] == "error"),
        "warnings": sum(1 for f in view.findings if f["severity"] == "warning"),
        "cable": view.cable_id,
        "updated": view.updated,
    }


def _detail(view: DraftView) -> dict[str, Any]:
    return {
        **_summary(view),
        "revision": view.revision,
        "content": view.content.to_json(),
        "findings": list(view.findings),
        "clearances": [c.__dict__ for c in view.clearances],
        "events": [e.__dict__ for e in view.events],
    }


def _print_saved(view: DraftView, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(_detail(view), indent=2, ensure_ascii=False))
        return
    summary = _summary(view)
    typer.echo(
        f"draft {view.id} saved ({view.state.value}): {summary['errors']} error(s), "
        f"{summary['warnings']} warning(s)"
    )
    _print_findings(view)


def _print_findings(view: DraftView) -> None:
    for finding in view.findings:
        where = f"line {finding['line']}: " if finding["line"] else ""
        rule = f"{finding['rule']} " if finding["rule"] else ""
        typer.echo(f"  {finding['severity']}: {where}{rule}{finding['message']}")
