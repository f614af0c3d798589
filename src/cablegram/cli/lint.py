"""`cablegram lint FILE...`: check cables against the format reference's rules.

Each file (or directory, read recursively; ``-`` is stdin) may hold several cables: a
Cablegate CSV dump, JSON Lines, WikiLeaks HTML pages or plain telegram text
(`cablegram.read.formats`). Each cable is parsed and linted (`cablegram.write.lint`); a
finding prints as ``path:line: SEVERITY CODE name: message (hint: ...)``, where ``path``
becomes ``path[i]`` for the i-th (0-based) cable of a file that holds several, and
``line`` is the line in that cable's text. ``--json`` prints one JSON object per cable
instead (JSON Lines). Exit status: 2 if a file could not be read, else 1 if any cable has
an error, else 0.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.text import Text

from cablegram.read import EmptyCableError, parse
from cablegram.read.formats import Document, FormatError, iter_paths, read_documents
from cablegram.write.lint import Finding, Severity, lint

_SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow"}


@dataclass
class _Tally:
    files: int = 0
    cables: int = 0
    errors: int = 0
    warnings: int = 0
    unreadable: int = 0

    def add(self, findings: list[Finding]) -> None:
        self.cables += 1
        self.errors += sum(f.severity is Severity.ERROR for f in findings)
        self.warnings += sum(f.severity is Severity.WARNING for f in findings)

    @property
    def exit_code(self) -> int:
        if self.unreadable:
            return 2
        return 1 if self.errors else 0

    def summary(self) -> str:
        text = (
            f"{_count(self.cables, 'cable')} in {_count(self.files, 'file')}: "
            f"{_count(self.errors, 'error')}, {_count(self.warnings, 'warning')}"
        )
        if self.unreadable:
            text += f"; {self.unreadable} could not be read"
        return text


def register(app: typer.Typer) -> None:
    """Add this module's commands to the application."""
    app.command("lint")(lint_command)


def lint_command(
    files: Annotated[
        list[Path],
        typer.Argument(help="Cable files or directories ('-' for stdin).", show_default=False),
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object per cable (JSON Lines).")
    ] = False,
) -> None:
    """Check cables against the format rules; exit 1 on errors, 2 on unreadable files."""
    out = Console(highlight=False, soft_wrap=True, emoji=False, markup=False)
    tally = _Tally()
    for path in iter_paths(files):
        tally.files += 1
        try:
            for document, several in _documents(path):
                where = f"{document.path}[{document.index}]" if several else document.path
                try:
                    cable = parse(document.text)
                except EmptyCableError as error:
                    typer.echo(f"error: {where}: {error}", err=True)
                    tally.unreadable += 1
                    continue
                findings = lint(cable)
                tally.add(findings)
                if as_json:
                    typer.echo(json.dumps(_as_json(document, cable.id, findings)))
                else:
                    for finding in findings:
                        out.print(_line(where, finding))
        except FormatError as error:
            typer.echo(f"error: {error}", err=True)
            tally.unreadable += 1
    if not as_json:
        out.print(tally.summary())
    raise typer.Exit(tally.exit_code)


def _documents(path: Path) -> Iterator[tuple[Document, bool]]:
    """The file's documents, each with whether the file holds more than one.

    Looks one document ahead; a file that fails after its first document still reports
    that document before the error propagates.
    """
    documents = read_documents(path)
    first = next(documents, None)
    if first is None:
        return
    try:
        second = next(documents, None)
    except FormatError:
        yield first, False
        raise
    yield first, second is not None
    if second is not None:
        yield second, True
        for document in documents:
            yield document, True


def _line(where: str, finding: Finding) -> Text:
    location = f"{where}:{finding.line}:" if finding.line is not None else f"{where}:"
    return Text.assemble(
        (location, "bold"),
        " ",
        (finding.severity.name, _SEVERITY_STYLE[finding.severity]),
        f" {finding.rule} {finding.name}: {finding.message} ",
        (f"(hint: {finding.hint})", "dim"),
    )


def _as_json(document: Document, cable_id: str | None, findings: list[Finding]) -> dict[str, Any]:
    return {
        "path": document.path,
        "index": document.index,
        "id": cable_id,
        "errors": sum(f.severity is Severity.ERROR for f in findings),
        "warnings": sum(f.severity is Severity.WARNING for f in findings),
        "findings": [
            {
                "rule": f.rule,
                "name": f.name,
                "severity": f.severity.value,
                "line": f.line,
                "message": f.message,
                "hint": f.hint,
            }
            for f in findings
        ],
    }


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
