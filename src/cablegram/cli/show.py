"""`cablegram show ID [--text|--json] [--version N] [--as-of DATE] [--as USER]`: one cable.

``--text`` (the default) prints the telegram as the reader may see it: the original text
when nothing is withheld, else the canonical telegram of the redacted cable, each
withheld portion a placeholder (``[paragraph 12 withheld — S]``). ``--json`` prints
`cablegram.jsonio.cable_to_dict` of the view plus ``version``, ``versions`` (number,
release date, ingestion time, current), ``as_of``, ``declassified_on``,
``withheld`` (portion key, label, marking) and ``declassified`` (portion keys).

Exit status 1 with ``error: no cable ID`` when the archive does not hold the cable (or
that version) or the reader may see none of it: the two are indistinguishable on purpose
(issue 4: an invisible cable does not exist for its reader); 1 also when there is no
archive.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

from cablegram.archive import Archive, paths
from cablegram.archive.export import show
from cablegram.archive.reading import CableNotFoundError
from cablegram.cli.common import ArchiveOption, AsOfOption, AsOption, audit, reader

NOT_FOUND_EXIT_CODE = 1


def register(app: typer.Typer) -> None:
    """Add this module's commands to the application."""
    app.command("show")(show_command)


def show_command(
    cable_id: Annotated[str, typer.Argument(metavar="ID", help="A cable id: 07MOSCOW1002.")],
    archive: ArchiveOption = None,
    as_text: Annotated[
        bool, typer.Option("--text/--json", help="The telegram text, or a JSON object.")
    ] = True,
    version: Annotated[
        int | None, typer.Option("--version", min=1, help="A version (default: the current).")
    ] = None,
    as_of: AsOfOption = None,
    as_user: AsOption = None,
) -> None:
    """Print a cable as the reader may see it."""
    directory = paths.resolve(archive)
    if not directory.is_dir():
        typer.echo(f"error: no archive at {directory} (cablegram ingest creates one)", err=True)
        raise typer.Exit(NOT_FOUND_EXIT_CODE)
    who = reader(archive, as_user, as_of)
    with Archive.open(directory) as opened:
        try:
            shown = show(opened, cable_id, who.principal, who.as_of, version)
        except CableNotFoundError as error:
            audit(archive, who, "read", cable_id, {"found": False})
            typer.echo(f"error: {error}", err=True)
            raise typer.Exit(NOT_FOUND_EXIT_CODE) from None
    audit(
        archive,
        who,
        "read",
        cable_id,
        {
            "version": shown.reading.stored.version,
            "withheld": [
                f"{p.portion.label} {p.portion.marking.portion}" for p in shown.view.withheld
            ],
        },
    )
    if as_text:
        # Byte for byte: `show ID > file` gives back the stored telegram.
        typer.echo(shown.text, nl=False)
    else:
        typer.echo(json.dumps(shown.as_json(), ensure_ascii=False, indent=2))
