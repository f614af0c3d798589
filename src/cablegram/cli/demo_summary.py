"""`cablegram demo --summary`: what the reader recovers from the seed, for a first look.

The issue-2 demo, kept beside the served demo (`cablegram.cli.demo`): reads the seed cable
(07MOSCOW1002, ``corpus/seed-07MOSCOW1002.txt`` in the shared folder) and prints what the
reader recovered from it; when the shared sample corpus is there too, parses all of it and
prints a summary. Without the shared folder it reads a cable the project writes itself.
"""

from __future__ import annotations

import collections
import gzip
import json
import time
from datetime import UTC, date, datetime
from pathlib import Path

from rich.console import Console
from rich.table import Table

from cablegram import reference
from cablegram.model import (
    Addressee,
    Cable,
    ClassifiedBy,
    Declassification,
    DeclassificationKind,
    Envelope,
    Level,
    Marking,
    Paragraph,
    Precedence,
    Tag,
    TagKind,
)
from cablegram.read import parse
from cablegram.write import lint, render

SEED = Path("corpus") / "seed-07MOSCOW1002.txt"
SAMPLE = Path("corpus") / "cablegate-sample.jsonl.gz"


def print_summary(console: Console, shared: Path | None) -> None:
    """Parse the seed cable (and the sample corpus when present) and summarise them."""
    if shared is not None and (shared / SEED).is_file():
        text = (shared / SEED).read_text(encoding="utf-8")
        source = str(shared / SEED)
    else:
        text = render(embedded_cable())
        source = "a cable written by cablegram (the shared folder is absent)"
    cable = parse(text)
    console.rule(f"[bold]{cable.id}[/] — {source}")
    console.print(summary_table(cable))
    console.print(paragraph_table(cable))
    findings = lint(cable)
    console.print(
        f"lint: {sum(f.severity.value == 'error' for f in findings)} errors, "
        f"{sum(f.severity.value == 'warning' for f in findings)} warnings "
        f"({', '.join(sorted({f.rule for f in findings})) or 'none'})"
    )
    if shared is not None and (shared / SAMPLE).is_file():
        console.rule("[bold]Sample corpus")
        console.print(corpus_table(shared / SAMPLE))


def summary_table(cable: Cable) -> Table:
    table = Table(show_header=False, box=None, padding=(0, 1))
    table.add_column(style="bold cyan", no_wrap=True)
    table.add_column()
    era_day = cable.dtg.date() if cable.dtg else None
    era = reference.geographic_era(era_day)
    rows = {
        "date (UTC)": cable.dtg.isoformat() if cable.dtg else "—",
        "precedence": cable.precedence.label if cable.precedence else "—",
        "from": cable.originator.address if cable.originator else "—",
        "to": ", ".join(a.address for a in cable.to),
        "info": f"{len(cable.info)} addressees",
        "classification": cable.classification.banner if cable.classification else "—",
        "captions": " ".join(cable.captions) or "—",
        "declassify": _declassify(cable),
        "tags": ", ".join(
            f"{t.code} ({t.kind.value}"
            + (f": {m}" if (m := reference.tag_meaning(t.code, t.kind, era)) else "")
            + ")"
            for t in cable.tags
        ),
        "subject": cable.subject or "—",
        "references": ", ".join(
            f"{r.letter or ''} {r.id or r.text}".strip() for r in cable.references
        ),
        "classified by": _classified_by(cable),
        "part": f"{cable.part.number} of {cable.part.total}, other: {', '.join(cable.part.other)}"
        if cable.part
        else "—",
        "participants": str(len(cable.participants)),
        "signature": cable.signature or "—",
        "diagnostics": "; ".join(f"{d.code} (line {d.line})" for d in cable.diagnostics) or "—",
    }
    for name, value in rows.items():
        table.add_row(name, value)
    return table


def _declassify(cable: Cable) -> str:
    instruction = cable.declassification
    if instruction is None:
        return "—"
    detail = instruction.date or instruction.exemption or instruction.event or ""
    return f"E.O. {instruction.order}: {instruction.kind.value} {detail}".strip()


def _classified_by(cable: Cable) -> str:
    who = cable.classified_by
    if who is None:
        return "—"
    reasons = ", ".join(f"({r})" for r in who.reasons)
    return f"{who.title or ''} {who.name or ''}, reasons {who.section} {reasons}".strip()


def paragraph_table(cable: Cable) -> Table:
    table = Table("¶", "marking", "heading", "text", title="Paragraphs")
    for paragraph in cable.paragraphs:
        text = paragraph.text.replace("\n", " ")
        table.add_row(
            str(paragraph.number) if paragraph.number is not None else "—",
            str(paragraph.marking) if paragraph.marking else "(banner)",
            paragraph.heading or "",
            text[:70] + ("…" if len(text) > 70 else ""),
        )
    return table


def corpus_table(path: Path) -> Table:
    started = time.perf_counter()
    levels: collections.Counter[str] = collections.Counter()
    tags: collections.Counter[str] = collections.Counter()
    total = with_id = with_date = partial = 0
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            cable = parse(json.loads(line)["text"])
            total += 1
            with_id += cable.id is not None
            with_date += cable.dtg is not None
            partial += cable.partial
            overall = cable.classification or cable.overall_classification
            levels[overall.level.word if overall else "unknown"] += 1
            tags.update(t.code for t in cable.tags)
    seconds = time.perf_counter() - started
    table = Table(show_header=False, box=None, padding=(0, 1))
    table.add_column(style="bold cyan")
    table.add_column()
    table.add_row("cables", f"{total} parsed in {seconds:.1f} s ({total / seconds:,.0f}/s)")
    table.add_row("with an id / a date", f"{with_id} / {with_date} ({partial} partial extracts)")
    table.add_row("levels", ", ".join(f"{k} {v}" for k, v in levels.most_common()))
    table.add_row("top tags", ", ".join(f"{k} {v}" for k, v in tags.most_common(12)))
    table.add_row("accuracy", "run `make accuracy` for per-field scores against the metadata")
    return table


def embedded_cable() -> Cable:
    """A small cable the project writes itself, for machines without ../shared."""
    when = datetime(2007, 3, 9, 15, 23, tzinfo=UTC)
    return Cable(
        id="07MOSCOW1003",
        envelope=Envelope(
            transmission_id="VZCZCXYZ0001",
            routing_precedence=Precedence.PRIORITY,
            delivering_stations=("RUEHWEB",),
            originating_station="RUEHMO",
            station_serial=1003,
            section=1,
            filing_time="0681523",
            security_line="ZNY CCCCC ZZH",
            precedences=(Precedence.PRIORITY,),
        ),
        dtg=when,
        originator=Addressee("AMEMBASSY MOSCOW"),
        to=(Addressee("SECSTATE WASHDC", "RUEHC", Precedence.PRIORITY, 8097),),
        classification=Marking(Level.CONFIDENTIAL),
        origin="MOSCOW",
        serial=1003,
        captions=("SIPDIS",),
        declassification=Declassification("12958", DeclassificationKind.DATE, date(2017, 3, 9)),
        tags=(
            Tag("PREL", TagKind.SUBJECT),
            Tag("RS", TagKind.GEOGRAPHIC, reference.geographic_era(when.date())),
        ),
        subject="A CABLE WRITTEN BY CABLEGRAM FOR ITS DEMO",
        classified_by=ClassifiedBy("Daniel A. Russell", "DCM", ("b", "d"), "1.4"),
        paragraphs=(
            Paragraph(1, Marking(Level.UNCLASSIFIED), "This cable was written by cablegram."),
            Paragraph(2, Marking(Level.CONFIDENTIAL), "Its second paragraph is confidential."),
        ),
        signature="RUSSELL",
    )
