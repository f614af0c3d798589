"""`cablegram export QUERY --format F --output FILE`: every matching cable, or their graph.

Formats: ``jsonl``, ``csv`` and ``parquet`` write each cable the query matches as the
reader's view (`cablegram.archive.export`: columns, placeholders for withheld portions);
``graphml`` and ``gexf`` write the reference graph of the matching cables for Gephi
(`cablegram.archive.graph.export_graph`). The empty query ``""`` matches every cable the
reader may see. The export streams: memory stays bounded whatever the number of cables.
A progress bar on stderr shows the cables done, the rate and the time left; one summary
line goes to stdout (``--json``: ``{"format", "output", "matched", "written"}`` plus
``nodes``, ``described``, ``edges`` for graphs).

Exit status 1 when there is no archive, 2 for a malformed query.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from cablegram.archive import Archive, paths
from cablegram.archive.export import ExportFormat, export
from cablegram.archive.graph import export_graph
from cablegram.archive.graph_xml import GraphFormat
from cablegram.archive.query import QuerySyntaxError
from cablegram.cli.common import ArchiveOption, AsOfOption, AsOption, RateColumn, audit, reader

SYNTAX_ERROR_EXIT_CODE = 2


class Format(enum.Enum):
    JSONL = "jsonl"
    CSV = "csv"
    PARQUET = "parquet"
    GRAPHML = "graphml"
    GEXF = "gexf"


def register(app: typer.Typer) -> None:
    """Add this module's commands to the application."""
    app.command("export")(export_command)


def export_command(
    query: Annotated[str, typer.Argument(help='The query ("" for every cable).')],
    output_format: Annotated[Format, typer.Option("--format", help="The output format.")],
    output: Annotated[Path, typer.Option("--output", help="The file to write.", dir_okay=False)],
    archive: ArchiveOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    as_of: AsOfOption = None,
    as_user: AsOption = None,
) -> None:
    """Write the matching cables (jsonl, csv, parquet) or their reference graph."""
    directory = paths.resolve(archive)
    if not directory.is_dir():
        typer.echo(f"error: no archive at {directory} (cablegram ingest creates one)", err=True)
        raise typer.Exit(1)
    who = reader(archive, as_user, as_of)
    summary: dict[str, Any] = {"format": output_format.value, "output": str(output)}
    with Archive.open(directory) as opened, _bar(Console(stderr=True)) as bar:
        try:
            if output_format in (Format.GRAPHML, Format.GEXF):
                graph = export_graph(
                    opened,
                    query,
                    output,
                    GraphFormat(output_format.value),
                    who.principal,
                    who.as_of,
                    started=bar.start,
                    progress=bar.advance,
                )
                summary |= {"matched": bar.total, "written": bar.total}
                summary |= {"nodes": graph.nodes, "described": graph.described}
                summary |= {"edges": graph.edges}
            else:
                done = export(
                    opened,
                    query,
                    output,
                    ExportFormat(output_format.value),
                    who.principal,
                    who.as_of,
                    started=bar.start,
                    progress=bar.advance,
                )
                summary |= {"matched": done.matched, "written": done.written}
        except QuerySyntaxError as error:
            typer.echo(f"error: {error}", err=True)
            raise typer.Exit(SYNTAX_ERROR_EXIT_CODE) from None
    audit(archive, who, "export", query, summary)
    if as_json:
        typer.echo(json.dumps(summary))
    else:
        typer.echo(_sentence(summary))


def _sentence(summary: dict[str, Any]) -> str:
    text = f"{summary['written']:,} cables written to {summary['output']} ({summary['format']})"
    if "edges" in summary:
        text += f": {summary['nodes']:,} nodes, {summary['edges']:,} edges"
    return text


@dataclass
class _Bar:
    progress: Progress
    task: TaskID
    total: int = 0

    def start(self, total: int) -> None:
        self.total = total
        self.progress.update(self.task, total=total)

    def advance(self, count: int) -> None:
        self.progress.advance(self.task, count)


@contextmanager
def _bar(console: Console) -> Iterator[_Bar]:
    progress = Progress(
        TextColumn("export"),
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=console,
    )
    with progress:
        yield _Bar(progress, progress.add_task("export", total=None))
