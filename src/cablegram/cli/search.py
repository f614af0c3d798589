"""`cablegram search QUERY`: search an archive (query language: docs/query-language.md).

Prints one table row per hit (id, date, origin, classification, subject as the reader's
view shows it, and the snippet with the matched words in bold), then, with ``--facets``,
the counts by tag, origin, classification, caption, year and month. ``--json`` prints one
JSON object instead::

    {"query", "total", "offset", "limit", "sort", "as_of",
     "hits": [{"id", "version", "date", "origin", "classification", "subject", "score",
               "snippet"}],                      snippet: HTML with <b> around matches
     "facets": {"tags": [{"value", "count"}], "origins", "classifications", "captions",
                "years", "months"} | null}

Exit status: 0, also when nothing matches; 1 when the archive does not exist; 2 for a
malformed query (the message points at the position with a caret) or bad options.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import asdict
from typing import Annotated, Any

import typer
from rich.columns import Columns
from rich.console import Console
from rich.table import Table
from rich.text import Text

from cablegram.archive import Archive, paths
from cablegram.archive.index.base import Bucket, Facets, Hit, SearchResult, Sort
from cablegram.archive.query import QuerySyntaxError
from cablegram.archive.search import search
from cablegram.cli.common import ArchiveOption, AsOfOption, AsOption, audit, reader
from cablegram.model import Level

SYNTAX_ERROR_EXIT_CODE = 2
_BOLD_TAGS = re.compile(r"(</?b>)")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_FACET_TITLES = {
    "tags": "Tags",
    "origins": "Origins",
    "classifications": "Classifications",
    "captions": "Captions",
    "years": "Years",
    "months": "Months",
}


def register(app: typer.Typer) -> None:
    """Add this module's commands to the application."""
    app.command("search")(search_command)


def search_command(
    query: Annotated[str, typer.Argument(help="The query; see docs/query-language.md.")],
    archive: ArchiveOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    limit: Annotated[int, typer.Option("--limit", min=0, help="Hits per page.")] = 20,
    offset: Annotated[int, typer.Option("--offset", min=0, help="Hits to skip.")] = 0,
    sort: Annotated[
        Sort, typer.Option("--sort", help="relevance, date (oldest first) or -date.")
    ] = Sort.RELEVANCE,
    facets: Annotated[
        bool, typer.Option("--facets", help="Count by tag, origin, classification, ...")
    ] = False,
    as_of: AsOfOption = None,
    as_user: AsOption = None,
) -> None:
    """Search the archive: words, "phrases", AND/OR/NOT, -word, (groups), field:value."""
    directory = paths.resolve(archive)
    if not directory.is_dir():
        typer.echo(f"error: no archive at {directory} (cablegram ingest creates one)", err=True)
        raise typer.Exit(1)
    who = reader(archive, as_user, as_of)
    with Archive.open(directory) as opened:
        try:
            result = search(
                opened,
                query,
                principal=who.principal,
                as_of=who.as_of,
                limit=limit,
                offset=offset,
                sort=sort,
                facets=facets,
            )
        except QuerySyntaxError as error:
            typer.echo(f"error: {error}", err=True)
            raise typer.Exit(SYNTAX_ERROR_EXIT_CODE) from None
    audit(archive, who, "search", query, {"total": result.total, "offset": offset})
    if as_json:
        typer.echo(json.dumps(_as_json(query, result, limit, offset, sort, who.as_of.isoformat())))
    else:
        _print(Console(highlight=False, emoji=False), result, offset)


def _as_json(
    query: str, result: SearchResult, limit: int, offset: int, sort: Sort, as_of: str
) -> dict[str, Any]:
    return {
        "query": query,
        "total": result.total,
        "offset": offset,
        "limit": limit,
        "sort": sort.value,
        "as_of": as_of,
        "hits": [_hit_json(hit) for hit in result.hits],
        "facets": None if result.facets is None else _facets_json(result.facets),
    }


def _hit_json(hit: Hit) -> dict[str, Any]:
    return {
        "id": hit.cable_id,
        "version": hit.version,
        "date": hit.date.isoformat().replace("+00:00", "Z") if hit.date else None,
        "origin": hit.origin,
        "classification": hit.classification,
        "subject": hit.subject,
        "score": hit.score,
        "snippet": hit.snippet,
    }


def _facets_json(facets: Facets) -> dict[str, list[dict[str, Any]]]:
    return {name: [asdict(bucket) for bucket in buckets] for name, buckets in _facet_lists(facets)}


def _facet_lists(facets: Facets) -> list[tuple[str, tuple[Bucket, ...]]]:
    return [(name, getattr(facets, name)) for name in _FACET_TITLES]


def _print(console: Console, result: SearchResult, offset: int) -> None:
    if not result.hits:
        console.print(f"{_cables(result.total)} match; none on this page.")
    else:
        first, last = offset + 1, offset + len(result.hits)
        console.print(f"{_cables(result.total)} match; showing {first}-{last}.")
        table = Table(show_lines=True)
        for column in ("id", "date", "origin", "class."):
            table.add_column(column, no_wrap=True)
        table.add_column("subject", ratio=1)
        table.add_column("snippet", ratio=2)
        for hit in result.hits:
            table.add_row(
                hit.cable_id,
                hit.date.date().isoformat() if hit.date else "",
                hit.origin or "",
                _short(hit.classification),
                hit.subject,
                snippet_text(hit.snippet or ""),
            )
        console.print(table)
    if result.facets is not None:
        _print_facets(console, result.facets)


def _short(classification: str | None) -> str:
    """``CONFIDENTIAL`` -> ``C``, as portion marks write it."""
    return Level.from_name(classification).value if classification else ""


def _print_facets(console: Console, facets: Facets) -> None:
    tables = []
    for name, buckets in _facet_lists(facets)[:4]:
        table = Table(title=_FACET_TITLES[name], show_header=False, box=None)
        for bucket in buckets:
            table.add_row(bucket.value, f"{bucket.count:,}")
        tables.append(table)
    console.print(Columns(tables, padding=(1, 3)))
    console.print(_timeline(facets))


def _timeline(facets: Facets) -> Table:
    """The histogram: a row per year, its total, and a column per month."""
    by_month = {bucket.value: bucket.count for bucket in facets.months}
    table = Table(title="Cables by year and month", box=None, show_edge=False)
    table.add_column("year")
    table.add_column("all", justify="right")
    for month in _MONTHS:
        table.add_column(month, justify="right")
    for year in facets.years:
        counts = [by_month.get(f"{year.value}-{m:02d}", 0) for m in range(1, 13)]
        table.add_row(year.value, f"{year.count:,}", *(f"{n:,}" if n else "·" for n in counts))
    return table


def snippet_text(snippet: str) -> Text:
    """A snippet's HTML as rich text: ``<b>`` becomes bold, entities are decoded."""
    text = Text()
    bold = False
    for part in _BOLD_TAGS.split(snippet):
        if part in ("<b>", "</b>"):
            bold = part == "<b>"
        elif part:
            text.append(html.unescape(part), style="bold" if bold else "")
    return text


def _cables(count: int) -> str:
    return f"{count:,} cable{'' if count == 1 else 's'}"
