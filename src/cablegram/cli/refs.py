"""`cablegram refs ID [--depth N] [--json]`: what a cable cites, what cites it, its thread.

Tables: the references the cable makes (letter, cited id or the reference as written,
and for cited cables in the archive their date, origin and subject; ``--depth 2`` adds
what those cite), the cables citing it, the unresolved cable references (not in the
archive, or not visible to the reader: the two look the same on purpose), and the thread
of parts when the cable is one part of several. ``--json`` prints::

    {"cable": NODE, "thread": [{"id", "part", "parts", "sections", "cable": NODE|null}],
     "cites": [LINK], "cited_by": [LINK], "unresolved": [LINK], "other": [LINK]}
    NODE = {"id", "date", "origin", "subject", "classification"}
    LINK = {"source", "target", "letter", "kind", "text", "notal", "resolved", "part",
            "depth"}

Exit status 1 with ``error: no cable ID`` for a cable the archive lacks or the reader may
not see.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from cablegram.archive import Archive, paths
from cablegram.archive.graph import RefGraph, RefLink, RefNode, Thread, refs, thread
from cablegram.archive.reading import CableNotFoundError
from cablegram.cli.common import ArchiveOption, AsOfOption, AsOption, audit, reader

NOT_FOUND_EXIT_CODE = 1


def register(app: typer.Typer) -> None:
    """Add this module's commands to the application."""
    app.command("refs")(refs_command)


def refs_command(
    cable_id: Annotated[str, typer.Argument(metavar="ID", help="A cable id: 07MOSCOW1002.")],
    archive: ArchiveOption = None,
    depth: Annotated[int, typer.Option("--depth", min=1, help="Rings of references.")] = 1,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    as_of: AsOfOption = None,
    as_user: AsOption = None,
) -> None:
    """Show the references of a cable, the cables citing it and its thread of parts."""
    directory = paths.resolve(archive)
    if not directory.is_dir():
        typer.echo(f"error: no archive at {directory} (cablegram ingest creates one)", err=True)
        raise typer.Exit(NOT_FOUND_EXIT_CODE)
    who = reader(archive, as_user, as_of)
    with Archive.open(directory) as opened:
        try:
            graph = refs(opened, cable_id, depth, who.principal, who.as_of)
            parts = thread(opened, cable_id, who.principal, who.as_of)
        except CableNotFoundError as error:
            audit(archive, who, "refs", cable_id, {"found": False})
            typer.echo(f"error: {error}", err=True)
            raise typer.Exit(NOT_FOUND_EXIT_CODE) from None
    audit(archive, who, "refs", cable_id, {"depth": depth})
    if as_json:
        typer.echo(json.dumps(as_data(graph, parts), ensure_ascii=False))
    else:
        _print(Console(highlight=False, emoji=False), graph, parts)


def _node(node: RefNode | None) -> dict[str, Any] | None:
    if node is None:
        return None
    data = asdict(node)
    data["date"] = node.date.isoformat().replace("+00:00", "Z") if node.date else None
    return data


def as_data(graph: RefGraph, parts: Thread) -> dict[str, Any]:
    return {
        "cable": _node(graph.root),
        "thread": [
            {
                "id": m.cable_id,
                "part": m.part,
                "parts": m.parts,
                "sections": m.sections,
                "cable": _node(m.node),
            }
            for m in parts.members
        ],
        "cites": [asdict(link) for link in graph.cites],
        "cited_by": [asdict(link) for link in graph.cited_by],
        "unresolved": [asdict(link) for link in graph.unresolved],
        "other": [asdict(link) for link in graph.other],
    }


def _print(console: Console, graph: RefGraph, parts: Thread) -> None:
    root = graph.root
    console.print(f"[bold]{root.id}[/] {_day(root)} {root.origin or ''} {root.subject or ''}")
    nodes = {node.id: node for node in graph.nodes}
    if len(parts.members) > 1 or any(m.sections > 1 for m in parts.members):
        table = Table(title="Thread")
        for column in ("part", "id", "sections"):
            table.add_column(column, no_wrap=True)
        table.add_column("subject", overflow="fold")
        for member in parts.members:
            part = f"{member.part or '?'} of {member.parts or '?'}"
            subject = member.node.subject if member.node else "(not in the archive)"
            table.add_row(part, member.cable_id, str(member.sections), subject or "")
        console.print(table)
    _links(console, "Cites", graph.cites, nodes, lambda link: link.target)
    _links(console, "Cited by", graph.cited_by, nodes, lambda link: link.source)
    if graph.unresolved:
        ids = ", ".join(dict.fromkeys(link.target or "" for link in graph.unresolved))
        console.print(f"Unresolved: {ids}")


def _links(
    console: Console,
    title: str,
    links: tuple[RefLink, ...],
    nodes: dict[str, RefNode],
    other_end: Callable[[RefLink], str | None],
) -> None:
    if not links:
        console.print(f"{title}: none")
        return
    table = Table(title=title)
    deep = any(link.depth > 1 for link in links)
    if deep:
        table.add_column("depth")
        table.add_column("from", no_wrap=True)
    for column in ("ref", "cable", "date"):
        table.add_column(column, no_wrap=True)
    for column in ("origin", "subject"):
        table.add_column(column, overflow="fold")
    for link in links:
        end = other_end(link)
        node = nodes.get(end) if end and link.resolved else None
        first = [str(link.depth), link.source] if deep else []
        table.add_row(
            *first,
            (link.letter or "")
            + (" (part)" if link.part else "")
            + (" NOTAL" if link.notal else ""),
            end or link.text,
            _day(node) if node else "",
            node.origin or "" if node else "",
            node.subject or "" if node else ("" if end else link.kind),
        )
    console.print(table)


def _day(node: RefNode) -> str:
    return node.date.date().isoformat() if node.date else ""
