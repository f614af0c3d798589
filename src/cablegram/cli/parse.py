"""`cablegram parse FILE|DIR|- ... [--format F] [--json]`: read cables and print them.

Inputs are files, directories (read recursively, sorted, hidden files skipped) and ``-``
for stdin, in any format of `cablegram.read.formats`. Output goes to stdout in input order:
with ``--json`` one JSON object per cable (JSON Lines, shaped by ``docs/cable.schema.json``);
without it one line per cable: id (``path#index`` when the text gives none), date,
classification, subject and the number of diagnostics (styled with rich only when stdout is
a terminal, so pipes get plain text).

A file that cannot be read (missing, binary, not UTF-8, malformed CSV/JSON) gets a one-line
error on stderr and the remaining files are still read; the exit status is then 2. Parsing
runs in this process, one cable after another, which keeps the output ordered.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from cablegram.jsonio import cable_to_dict
from cablegram.model import Cable
from cablegram.read import EmptyCableError, parse
from cablegram.read.formats import Document, Format, FormatError, iter_paths, read_documents

FAILURE_EXIT_CODE = 2
_MISSING = "-"


def register(app: typer.Typer) -> None:
    """Add this module's commands to the application."""
    app.command("parse")(parse_command)


def parse_command(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Files, directories (read recursively) or - for stdin.",
            metavar="FILE|DIR|-",
            show_default=False,
        ),
    ],
    input_format: Annotated[
        Format,
        typer.Option("--format", help="Input format; auto decides by extension, then content."),
    ] = Format.AUTO,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object per cable (JSON Lines).")
    ] = False,
) -> None:
    """Parse cables and print them, one line per cable."""
    console = Console(highlight=False, soft_wrap=True) if sys.stdout.isatty() else None
    failed = False
    for path in iter_paths(paths):
        try:
            for document in read_documents(path, input_format):
                try:
                    cable = parse(document.text)
                except EmptyCableError:
                    failed = True
                    typer.echo(f"error: {document.path}: cable {document.index}: no text", err=True)
                    continue
                if as_json:
                    typer.echo(json.dumps(cable_to_dict(cable, document), ensure_ascii=False))
                elif console is not None:
                    console.print(_styled_summary(cable, document))
                else:
                    typer.echo("  ".join(_summary_fields(cable, document)))
        except FormatError as error:
            failed = True
            typer.echo(f"error: {error}", err=True)
    if failed:
        raise typer.Exit(FAILURE_EXIT_CODE)


def _summary_fields(cable: Cable, document: Document) -> list[str]:
    """Id (or, when the text gives none, where the cable is), date, banner, subject, count."""
    count = len(cable.diagnostics)
    return [
        cable.id or f"{document.path}#{document.index}",
        cable.dtg.strftime("%Y-%m-%d %H:%MZ") if cable.dtg else _MISSING,
        cable.classification.banner if cable.classification else _MISSING,
        cable.subject or _MISSING,
        f"{count} diagnostic{'' if count == 1 else 's'}",
    ]


def _styled_summary(cable: Cable, document: Document) -> str:
    fields = map(escape, _summary_fields(cable, document))
    identifier, moment, banner, subject, diagnostics = fields
    banner_style = "red" if cable.level is not None and cable.level.is_classified else "green"
    diagnostics_style = "yellow" if cable.diagnostics else "green"
    return (
        f"[bold]{identifier}[/]  {moment}  [{banner_style}]{banner}[/]  {subject}  "
        f"[{diagnostics_style}]{diagnostics}[/]"
    )
