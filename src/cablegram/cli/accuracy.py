"""`cablegram accuracy [--corpus PATH] [--json] [--worst N]`: score the parser on a corpus.

Reads a JSON Lines corpus with independent metadata (default: the shared Cablegate sample
beside the checkout), parses the ``text`` of every record and prints, for full cables and
partial extracts, the per-field scores with the thresholds, the worst misses per field and
the metadata errors left out of the denominators (`cablegram.evaluate`). ``--json`` prints
the same numbers as one JSON object. The exit status is 1 when a full-cable threshold is
not met, 2 when the corpus cannot be read, so ``make accuracy`` can gate a build.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import track
from rich.table import Table

from cablegram.evaluate import (
    DEFAULT_CORPUS,
    THRESHOLDS,
    Evaluation,
    Field,
    Group,
    MetadataError,
    Rule,
    evaluate,
    load_records,
)

THRESHOLD_EXIT_CODE = 1
CORPUS_EXIT_CODE = 2


def register(app: typer.Typer) -> None:
    """Add this module's commands to the application."""
    app.command("accuracy")(accuracy_command)


def accuracy_command(
    corpus: Annotated[
        Path, typer.Option("--corpus", help="JSON Lines corpus (.jsonl or .jsonl.gz).")
    ] = DEFAULT_CORPUS,
    as_json: Annotated[bool, typer.Option("--json", help="Print the numbers as JSON.")] = False,
    worst: Annotated[
        int, typer.Option("--worst", min=0, help="Misses listed per field and group.")
    ] = 5,
) -> None:
    """Score the parser against the corpus metadata: id, date, level, NOFORN, tags."""
    errors = Console(stderr=True, highlight=False)
    try:
        records = list(load_records(corpus))
    except (OSError, ValueError, KeyError) as error:
        errors.print(f"cannot read corpus {escape(str(corpus))}: {escape(str(error))}")
        raise typer.Exit(CORPUS_EXIT_CODE) from None
    evaluation = evaluate(track(records, description="Parsing", console=errors, transient=True))
    if as_json:
        sys.stdout.write(json.dumps(evaluation.as_dict(worst), indent=2) + "\n")
    else:
        _print_report(Console(highlight=False), corpus, evaluation, worst)
    if evaluation.failures:
        raise typer.Exit(THRESHOLD_EXIT_CODE)


def _print_report(console: Console, corpus: Path, evaluation: Evaluation, worst: int) -> None:
    counts = evaluation.records
    console.print(
        f"[bold]Parser accuracy[/] on {escape(str(corpus))}: {sum(counts.values())} records "
        f"({counts[Group.FULL]} full, {counts[Group.PARTIAL]} partial), "
        f"parsed in {evaluation.parse_seconds:.1f} s"
    )
    for group in Group:
        console.print(_score_table(evaluation, group))
    for group in Group:
        for checked in Field:
            misses = evaluation.scores[group][checked].worst(worst)
            if misses:
                table = Table(title=f"Worst misses: {checked.value} ({group.value})")
                for column in ("id", "expected", "got"):
                    table.add_column(column, overflow="fold")
                for miss in misses:
                    table.add_row(miss.reference_id, escape(miss.expected), escape(miss.got))
                console.print(table)
    console.print(_metadata_table(evaluation.metadata_errors))
    for reference_id, error in evaluation.parse_errors:
        console.print(f"[red]parser raised[/] on {reference_id}: {escape(error)}")
    if evaluation.failures:
        names = ", ".join(checked.value for checked in evaluation.failures)
        console.print(f"[red]below threshold on full cables: {names}[/]")
    else:
        console.print("[green]all thresholds met on full cables[/]")


def _score_table(evaluation: Evaluation, group: Group) -> Table:
    title = "Full cables" if group is Group.FULL else "Partial extracts (no thresholds)"
    table = Table(title=f"{title}: {evaluation.records[group]} records")
    for column in ("field", "correct", "total", "%", "threshold", "result"):
        table.add_column(column, justify="left" if column == "field" else "right")
    for checked, score in evaluation.scores[group].items():
        threshold = f"{THRESHOLDS[checked]:.1f}" if group is Group.FULL else "—"
        if group is not Group.FULL:
            result = "reported"
        elif evaluation.passed(checked):
            result = "[green]pass[/]"
        else:
            result = "[red]FAIL[/]"
        table.add_row(
            checked.value,
            str(score.correct),
            str(score.total),
            _percent(score.percent),
            threshold,
            result,
        )
    tokens = evaluation.tag_tokens[group]
    table.caption = (
        f"tag tokens: precision {_percent(tokens.precision)} %, recall {_percent(tokens.recall)} %"
    )
    return table


def _metadata_table(errors: list[MetadataError]) -> Table:
    """One row per rule, with the records it caught and the evidence quoted from each."""
    by_rule: dict[Rule, list[MetadataError]] = defaultdict(list)
    for error in errors:
        by_rule[error.rule].append(error)
    table = Table(title=f"Metadata errors: {len(errors)} (left out of the scores above)")
    table.add_column("rule", overflow="fold")
    table.add_column("not scored")
    table.add_column("records", overflow="fold")
    for rule in Rule:
        caught = by_rule.get(rule, [])
        if caught:
            fields = (
                "all fields"
                if rule.excluded == frozenset(Field)
                else ", ".join(f.value for f in Field if f in rule.excluded)
            )
            records = "; ".join(
                f"{e.reference_id} ({e.detail})" if e.detail else e.reference_id for e in caught
            )
            table.add_row(escape(rule.value), fields, escape(f"{len(caught)}: {records}"))
    return table


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"
