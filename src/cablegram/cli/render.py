"""`cablegram render FILE|- [--format F]`: read cables and print them as canonical telegrams.

The input is any format `cablegram.read.formats` reads (a telegram text file, a Cablegate
CSV dump, JSON Lines, a WikiLeaks page; ``-`` is stdin). Each cable is parsed and written
back with `cablegram.write.render`: the envelope, the spaced classification line, the head
fields and the paragraphs re-wrapped at 69 columns, one cable after another. Reading a
messy copy and rendering it is how a scraped cable is normalised.

A file that cannot be read, or a cable with no text, gets a one-line error on stderr; the
exit status is then 2 (the cables that could be read are still printed).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cablegram.read import EmptyCableError, parse
from cablegram.read.formats import Format, FormatError, read_documents
from cablegram.write import render

FAILURE_EXIT_CODE = 2


def register(app: typer.Typer) -> None:
    """Add this module's commands to the application."""
    app.command("render")(render_command)


def render_command(
    path: Annotated[
        Path, typer.Argument(help="A file of cables, or - for stdin.", show_default=False)
    ],
    input_format: Annotated[
        Format,
        typer.Option("--format", help="Input format; auto decides by extension, then content."),
    ] = Format.AUTO,
) -> None:
    """Print each cable of FILE as the canonical telegram."""
    failed = False
    try:
        for document in read_documents(path, input_format):
            try:
                cable = parse(document.text)
            except EmptyCableError:
                failed = True
                typer.echo(f"error: {document.path}: cable {document.index}: no text", err=True)
                continue
            typer.echo(render(cable), nl=False)
    except FormatError as error:
        failed = True
        typer.echo(f"error: {error}", err=True)
    if failed:
        raise typer.Exit(FAILURE_EXIT_CODE)
