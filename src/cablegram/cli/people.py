"""`cablegram people [QUERY] [--limit N] [--json]`: who the cables name, and their TAGS.

Without a query, every cable of the archive; with one, the cables the search matches for
the reader (docs/query-language.md). Two tables: people (name, titles, person key, cables,
mentions, where found: Classified By, signature, participant list, person TAGS, titled
names in the text; `cablegram.archive.people` tells how names are merged) and
organisations and countries from the TAGS with readable names. Only what the reader may
read is counted (`cablegram.archive.people_index`). ``--json`` prints::

    {"people": [{"key", "name", "titles", "roles", "cables", "mentions"}],
     "organisations": [{"code", "kind", "name", "cables"}]}

with every entry (``--limit`` applies to the tables only). Exit status 1 when there is no
archive, 2 for a malformed query.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from cablegram.archive import Archive, paths
from cablegram.archive.people_index import EntitySummary, PersonSummary, organisations, people
from cablegram.archive.query import QuerySyntaxError
from cablegram.cli.common import ArchiveOption, AsOfOption, AsOption, audit, reader

SYNTAX_ERROR_EXIT_CODE = 2
_SHOWN_CABLES = 3


def register(app: typer.Typer) -> None:
    """Add this module's commands to the application."""
    app.command("people")(people_command)


def people_command(
    query: Annotated[
        str | None, typer.Argument(help="Only the cables this search matches.")
    ] = None,
    archive: ArchiveOption = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Rows per table.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    as_of: AsOfOption = None,
    as_user: AsOption = None,
) -> None:
    """List the people and organisations the cables name, with their cables."""
    directory = paths.resolve(archive)
    if not directory.is_dir():
        typer.echo(f"error: no archive at {directory} (cablegram ingest creates one)", err=True)
        raise typer.Exit(1)
    who = reader(archive, as_user, as_of)
    with Archive.open(directory) as opened:
        try:
            persons = people(opened, query, who.principal, who.as_of)
            entities = organisations(opened, query, who.principal, who.as_of)
        except QuerySyntaxError as error:
            typer.echo(f"error: {error}", err=True)
            raise typer.Exit(SYNTAX_ERROR_EXIT_CODE) from None
    audit(archive, who, "people", query or "", {"people": len(persons)})
    if as_json:
        data = {
            "people": [asdict(person) for person in persons],
            "organisations": [asdict(entity) for entity in entities],
        }
        typer.echo(json.dumps(data, ensure_ascii=False))
        return
    console = Console(highlight=False, emoji=False)
    _print_people(console, persons, limit)
    _print_organisations(console, entities, limit)


def _cables(ids: tuple[str, ...]) -> str:
    shown = ", ".join(ids[:_SHOWN_CABLES])
    return shown + (f" (+{len(ids) - _SHOWN_CABLES})" if len(ids) > _SHOWN_CABLES else "")


def _print_people(console: Console, persons: list[PersonSummary], limit: int) -> None:
    table = Table(title=f"People ({len(persons):,})")
    table.add_column("name", no_wrap=True)
    for column in ("titles", "key", "cables", "mentions", "found in"):
        table.add_column(column, overflow="fold")
    for person in persons[:limit]:
        table.add_row(
            person.name,
            ", ".join(person.titles),
            person.key,
            f"{len(person.cables):,}: {_cables(person.cables)}",
            f"{person.mentions:,}",
            ", ".join(person.roles),
        )
    console.print(table)


def _print_organisations(console: Console, entities: list[EntitySummary], limit: int) -> None:
    table = Table(title=f"Organisations and countries ({len(entities):,})")
    for column in ("tag", "kind", "name", "cables"):
        table.add_column(column, overflow="fold")
    for entity in entities[:limit]:
        table.add_row(
            entity.code,
            entity.kind,
            entity.name or "",
            f"{len(entity.cables):,}: {_cables(entity.cables)}",
        )
    console.print(table)
