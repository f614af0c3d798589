"""The seed 07MOSCOW1002 (part II of a two-part cable) with a part I built for the tests.

The seed's REF G is ``MOSCOW 01001`` and its text says "Part one is Ref G"; the shared
material has no part I, so `part_one` builds ``07MOSCOW1001`` as a model by hand and the
tests store its rendering beside the seed. Every portion of part I is SECRET (its subject
takes the banner), so that on 2010-01-01, before its ``DECL: 03/01/2017``, a CONFIDENTIAL
reader may see the seed (most of it) but nothing of part I.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from cablegram.archive import Archive
from cablegram.archive.ingest import ingest
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
    Part,
    Precedence,
    Tag,
    TagEra,
    TagKind,
)
from cablegram.write import render

SEED_ID = "07MOSCOW1002"
PART_ONE_ID = "07MOSCOW1001"
BEFORE_DECLASSIFICATION = date(2010, 1, 1)
SECRET = Marking(Level.SECRET)
#: Words written only in paragraph 12 of the seed (SECRET).
SEED_PARAGRAPH_12 = "weapon of choice"
#: Words written only in paragraph 18 of the seed (SECRET).
SEED_PARAGRAPH_18 = "Iskander-E"


def part_one() -> Cable:
    """Part I of the two-part cable: same meeting, day and post as the seed."""
    return Cable(
        id=PART_ONE_ID,
        envelope=Envelope(
            transmission_id="VZCZCXYZ0000",
            routing_precedence=Precedence.PRIORITY,
            delivering_stations=("RUEHWEB",),
            originating_station="RUEHMO",
            station_serial=1001,
            section=1,
            filing_time="0681522",
            security_line="ZNY SSSSS ZZH",
            precedences=(Precedence.PRIORITY,),
        ),
        dtg=datetime(2007, 3, 9, 15, 22, tzinfo=UTC),
        originator=Addressee("AMEMBASSY MOSCOW"),
        to=(Addressee("SECSTATE WASHDC", "RUEHC", Precedence.PRIORITY, 8095),),
        classification=SECRET,
        origin="MOSCOW",
        serial=1001,
        captions=("SIPDIS",),
        declassification=Declassification(
            "12958", DeclassificationKind.DATE, date=date(2017, 3, 1)
        ),
        tags=(
            Tag("PARM", TagKind.SUBJECT),
            Tag("PREL", TagKind.SUBJECT),
            Tag("RS", TagKind.GEOGRAPHIC, TagEra.FIPS),
        ),
        subject="U/S JOSEPH-RUSSIAN DFM KISLYAK MEETING ON STRATEGIC SECURITY DIALOGUE: PART I",
        classified_by=ClassifiedBy("Daniel A. Russell", "DCM", ("b", "d"), "1.4"),
        paragraphs=(
            Paragraph(
                1,
                SECRET,
                "This is part one of a two-part cable reporting on the January 29 "
                "meeting of the U.S.-Russia Strategic Security Dialogue.",
            ),
            Paragraph(2, SECRET, "U/S Joseph opened the dialogue on missile defense."),
        ),
        part=Part(1, 2),
        signature="RUSSELL",
    )


def build(directory: Path, seed_text: str) -> Path:
    """An archive in ``directory / "archive"`` holding the seed and part I; returns it."""
    inputs = directory / "inputs"
    inputs.mkdir(parents=True)
    (inputs / f"{SEED_ID}.txt").write_text(seed_text, encoding="utf-8")
    (inputs / f"{PART_ONE_ID}.txt").write_text(render(part_one()), encoding="utf-8")
    archive_path = directory / "archive"
    with Archive.open(archive_path) as archive:
        report = ingest(archive, [inputs], workers=0)
    assert not report.failures, report.failures
    return archive_path
