"""`cablegram ingest PATH... [--archive DIR] [--workers N] [--json]`: fill an archive.

Reads files, directories (recursively), ``.gz``, the Cablegate ``cables.csv`` dump, WikiLeaks
HTML pages and JSON Lines (`cablegram.archive.ingest` says how, and what happens on a
crash or a re-run). While it runs, a progress bar on stderr shows the documents done, the
rate, the errors and the time left; the total comes from a count of the inputs made beside
the ingest (`cablegram.archive.precount`), and stays open ("?") until that count is
known, or for good when the inputs cannot be counted cheaply (stdin). Each failure is
printed on stderr as it happens (``error: FILE: reason``).

At the end one summary goes to stdout: a sentence, or with ``--json`` an object
``{"documents", "new", "new_versions", "unchanged", "resumed", "failed", "indexed",
"failures": [{"where", "reason"}], "seconds"}``. The exit status is 2 when any file or
document failed (everything that could be read is stored all the same), else 0.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from cablegram.archive import Archive
from cablegram.archive.ingest import Failure, IngestReport, ingest
from cablegram.archive.precount import count_documents
from cablegram.cli.common import ArchiveOption, RateColumn, catch_up_index

FAILURE_EXIT_CODE = 2


def register(app: typer.Typer) -> None:
    """Add this module's commands to the application."""
    app.command("ingest")(ingest_command)


def ingest_command(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Files, directories (read recursively) or - for stdin.",
            metavar="PATH",
            show_default=False,
        ),
    ],
    archive: ArchiveOption = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers", min=0, help="Parsing processes (default: one per core; 0: in-process)."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Store and index cables; re-running is safe (known texts are left unchanged)."""
    errors = Console(stderr=True, highlight=False)
    started = time.perf_counter()
    with Archive.open(archive) as opened:
        caught_up = catch_up_index(opened)  # its own bar when every cable is re-indexed
        with _ProgressBar(errors, paths) as bar:
            report = ingest(opened, paths, workers=workers, observer=bar)
        report.indexed += caught_up
    seconds = time.perf_counter() - started
    if as_json:
        typer.echo(json.dumps(summary(report, seconds)))
    else:
        typer.echo(sentence(report, seconds))
    if report.failed:
        raise typer.Exit(FAILURE_EXIT_CODE)


def summary(report: IngestReport, seconds: float) -> dict[str, Any]:
    return {
        "documents": report.documents,
        "new": report.new,
        "new_versions": report.new_versions,
        "unchanged": report.unchanged,
        "resumed": report.resumed,
        "failed": len(report.failures),
        "indexed": report.indexed,
        "failures": [{"where": f.where, "reason": f.reason} for f in report.failures],
        "seconds": round(seconds, 3),
    }


def sentence(report: IngestReport, seconds: float) -> str:
    """``2,979 documents in 3.1 s: 2,977 new, 2 new versions, 0 unchanged, 0 failed,
    2,977 cables indexed``."""
    parts = [
        f"{report.new:,} new",
        f"{report.new_versions:,} new versions",
        f"{report.unchanged:,} unchanged",
    ]
    if report.resumed:
        parts.append(f"{report.resumed:,} done by an earlier run")
    parts.append(f"{len(report.failures):,} failed")
    parts.append(f"{report.indexed:,} cables indexed")
    return f"{report.documents:,} documents in {seconds:.1f} s: {', '.join(parts)}"


class _ErrorsColumn(ProgressColumn):
    def render(self, task: Task) -> Text:
        count: int = task.fields["errors"]
        return Text(f"{count:,} errors", style="red" if count else "green")


class _ProgressBar:
    """The rich progress bar, fed by `ingest` (the `Observer` protocol); the total is set
    by a counting thread when it finishes."""

    def __init__(self, console: Console, paths: Sequence[Path]) -> None:
        self._console = console
        self._paths = list(paths)
        self._progress = Progress(
            TextColumn("ingest"),
            BarColumn(),
            MofNCompleteColumn(),
            RateColumn(),
            _ErrorsColumn(),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=console,
        )
        self._task = TaskID(0)
        self._errors = 0

    def __enter__(self) -> _ProgressBar:
        self._progress.start()
        self._task = self._progress.add_task("ingest", total=None, errors=0)
        threading.Thread(target=self._count, name="precount", daemon=True).start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._progress.stop()

    def _count(self) -> None:
        total = count_documents(self._paths)
        if total is not None:
            # Rich's progress is thread-safe; a count below what is already done (the
            # estimate missed some) must not show the bar as more than full.
            done = self._progress.tasks[self._task].completed
            self._progress.update(self._task, total=max(total, done))

    def advance(self, documents: int) -> None:
        self._progress.advance(self._task, documents)

    def failed(self, failure: Failure) -> None:
        self._errors += 1
        self._progress.update(self._task, errors=self._errors)
        self._console.print(f"[red]error:[/] {escape(str(failure))}", soft_wrap=True)
