"""`cablegram synth N --output FILE [--seed S]`: write a synthetic corpus; `--stats` measures it.

Writes N generated cables (`cablegram.synth.generate`) as JSON Lines, one
``{"reference_id", "released", "text"}`` object a line, to FILE (``-`` for stdout; gzipped
when FILE ends in ``.gz``, with a zero timestamp so the bytes depend on the seed only).
Cables are generated and written one at a time, with a progress bar (count, cables/s,
ETA) on stderr.

``--stats`` prints the distributions of the synthetic cables (TAGS, paragraphs, markings,
sections, references, length) beside those of the shared sample (``--sample``, by default
``../shared/corpus/cablegate-sample.jsonl.gz`` from the checkout), as rich tables or, with
``--json``, as one JSON object. The synthetic side is the N cables generated (3,000, the
sample's size, when N is not given), or the cables of ``--input FILE`` read back with the
parser. Without the sample, only the synthetic column is printed.

Exit status 2 when an input file cannot be read or the arguments ask for nothing to do.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from cablegram.evaluate import DEFAULT_CORPUS
from cablegram.model import Cable
from cablegram.read import EmptyCableError, parse
from cablegram.read.formats import Format, FormatError, read_documents
from cablegram.synth import Options, SyntheticCable, generate
from cablegram.synth.generator import DEFAULT_END, DEFAULT_START
from cablegram.synth.output import write_jsonl
from cablegram.synth.stats import Comparison, Distribution, compare

USAGE_EXIT_CODE = 2
STATS_COUNT = 3000
"""Cables generated for ``--stats`` without N: about the sample's size."""


def register(app: typer.Typer) -> None:
    """Add this module's commands to the application."""
    app.command("synth")(synth_command)


def _day(text: str) -> date:
    return datetime.strptime(text, "%Y-%m-%d").date()


def synth_command(
    count: Annotated[
        int | None,
        typer.Argument(min=1, metavar="N", help="Cables to generate.", show_default=False),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="JSON Lines file to write (.gz: gzipped; - stdout)."),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Random seed: same seed, same bytes.")] = 0,
    start: Annotated[
        str, typer.Option("--start", help="First day of the date range (YYYY-MM-DD).")
    ] = DEFAULT_START.isoformat(),
    end: Annotated[
        str, typer.Option("--end", help="Last day of the date range (YYYY-MM-DD).")
    ] = DEFAULT_END.isoformat(),
    stats: Annotated[
        bool, typer.Option("--stats", help="Print distributions beside the shared sample's.")
    ] = False,
    input_path: Annotated[
        Path | None,
        typer.Option("--input", help="Measure the cables of this file instead of generating."),
    ] = None,
    sample: Annotated[
        Path, typer.Option("--sample", help="The corpus to compare with.")
    ] = DEFAULT_CORPUS,
    as_json: Annotated[bool, typer.Option("--json", help="Print the statistics as JSON.")] = False,
) -> None:
    """Generate realistic cables through the project's writer, or measure them (--stats)."""
    errors = Console(stderr=True, highlight=False)
    try:
        first, last = _day(start), _day(end)
    except ValueError as error:
        errors.print(f"error: {escape(str(error))}")
        raise typer.Exit(USAGE_EXIT_CODE) from None
    if last < first:
        errors.print("error: --end is before --start")
        raise typer.Exit(USAGE_EXIT_CODE)
    if output is None and not stats:
        errors.print("error: give N and --output FILE, or --stats")
        raise typer.Exit(USAGE_EXIT_CODE)
    if output is not None and count is None:
        errors.print("error: --output needs the number of cables N")
        raise typer.Exit(USAGE_EXIT_CODE)
    if input_path is not None and (not stats or output is not None):
        errors.print("error: --input is measured with --stats, and nothing is written then")
        raise typer.Exit(USAGE_EXIT_CODE)
    synthetic = Distribution()
    try:
        if input_path is not None:
            for cable, text in _read(input_path, errors):
                synthetic.add(cable, text)
        else:
            options = Options(seed=seed, start=first, end=last)
            total = count or STATS_COUNT
            cables = _with_progress(generate(total, options), total, errors)
            if output is not None:
                write_jsonl(_measured(cables, synthetic if stats else None), output)
            else:
                for generated in cables:
                    synthetic.add(generated.cable, generated.text)
        reference = _sample(sample, errors) if stats else None
    except (OSError, FormatError) as error:
        errors.print(f"error: {escape(str(error))}")
        raise typer.Exit(USAGE_EXIT_CODE) from None
    if stats:
        corpora = [("synthetic", synthetic)]
        if reference is not None:
            corpora.append((f"sample ({sample.name})", reference))
        _print_stats(corpora, as_json)


def _with_progress(
    cables: Iterator[SyntheticCable], total: int, console: Console
) -> Iterator[SyntheticCable]:
    columns = (
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[rate]} cables/s"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task("Generating", total=total, rate="-")
        for done, generated in enumerate(cables, start=1):
            yield generated
            elapsed = progress.tasks[0].elapsed or 0.0
            rate = f"{done / elapsed:,.0f}" if elapsed > 0 else "-"
            progress.update(task, advance=1, rate=rate)


def _measured(
    cables: Iterator[SyntheticCable], distribution: Distribution | None
) -> Iterator[SyntheticCable]:
    """The cables, each added to ``distribution`` (when given) on its way through."""
    for generated in cables:
        if distribution is not None:
            distribution.add(generated.cable, generated.text)
        yield generated


def _read(path: Path, console: Console) -> Iterator[tuple[Cable, str]]:
    """The cables of a file, read with the parser (a text that is empty is skipped)."""
    for document in read_documents(path, Format.AUTO):
        try:
            yield parse(document.text), document.text
        except EmptyCableError:
            console.print(f"skipped {escape(document.path)}: cable {document.index}: no text")


def _sample(path: Path, console: Console) -> Distribution | None:
    if not path.exists():
        console.print(f"sample {escape(str(path))} not found: printing the synthetic side only")
        return None
    distribution = Distribution()
    with console.status(f"Reading the sample {escape(str(path))}"):
        for cable, text in _read(path, console):
            distribution.add(cable, text)
    return distribution


def _print_stats(corpora: list[tuple[str, Distribution]], as_json: bool) -> None:
    tables = compare([distribution for _, distribution in corpora])
    names = [name for name, _ in corpora]
    if as_json:
        document = {
            "corpora": {name: d.cables for name, d in corpora},
            "tables": {
                table.title: {
                    row.label: dict(zip(names, row.values, strict=True)) for row in table.rows
                }
                for table in tables
            },
        }
        sys.stdout.write(json.dumps(document, indent=2) + "\n")
        return
    console = Console(highlight=False)
    counts = ", ".join(f"{name}: {d.cables:,} cables" for name, d in corpora)
    console.print(f"[bold]Synthetic corpus statistics[/] ({escape(counts)})")
    for table in tables:
        console.print(_table(table, names))


def _table(comparison: Comparison, names: list[str]) -> Table:
    table = Table(title=comparison.title, title_justify="left")
    table.add_column("")
    for name in names:
        table.add_column(escape(name), justify="right")
    for row in comparison.rows:
        table.add_row(escape(row.label), *(escape(value) for value in row.values))
    return table
