"""The `cablegram` command line: one module per command group, registered here."""

from __future__ import annotations

import typer

from cablegram.cli import accuracy, demo, lint, parse, render

app = typer.Typer(
    name="cablegram",
    help="Write, route, protect, archive, search and declassify diplomatic cables.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for module in (parse, render, lint, demo, accuracy):
    module.register(app)


def main() -> None:
    app()
