"""The `cablegram` command line: one module per command group, registered here."""

from __future__ import annotations

import typer

from cablegram.cli import (
    accuracy,
    audit,
    declass,
    demo,
    export,
    ingest,
    lint,
    parse,
    people,
    refs,
    render,
    search,
    serve,
    show,
    synth,
    traffic,
    user,
)

app = typer.Typer(
    name="cablegram",
    help="Write, route, protect, archive, search and declassify diplomatic cables.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

COMMAND_GROUPS = (
    parse,
    render,
    lint,
    ingest,
    search,
    show,
    refs,
    people,
    export,
    synth,
    user,
    audit,
    declass,
    accuracy,
    demo,
    serve,
    traffic,
)
for module in COMMAND_GROUPS:
    module.register(app)


def main() -> None:
    app()
