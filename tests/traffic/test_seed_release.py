"""Acceptance (issue 6): the seed 07MOSCOW1002 re-created by the traffic system.

The clock stands at 2007-03-09 15:23Z; Moscow's counters are preset one below the seed's
(serial 1001 for 2007; MCN 8095 to SECSTATE, 0457 to UNVIE, 0317 to USUN, 6762 to
USNATO); the seed's content (from ``parse(seed_text)``) is drafted by a drafter, cleared by
a clearer, released by a releaser and dispatched. The telegram must read back to the
seed's fields, and every addressee office's queue hold it once.

The seed's copy reads as one transmission (FL3 ``/01``, no ``SECTION`` label), although
the writer's rule (ACP 127 §208: five pages of twenty lines) would send it in four: the
acceptance release is made with ``section_lines=None`` and a second test shows the
sections the default rule gives. FL1 and FL2 are not compared: the seed's are the database
copy's (``PP RUEHWEB``), the release lists the stations delivering to its addressees.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from traffic_helpers import actor

from cablegram.model import Cable, Section
from cablegram.read import parse
from cablegram.traffic import (
    Dispatcher,
    SettableClock,
    Traffic,
    clear,
    content_from_cable,
    new_draft,
    release,
    submit,
)
from cablegram.traffic.counters import preset
from cablegram.traffic.records import DeliveryRecord
from cablegram.write import render
from cablegram.write.render import SECTION_LINES

SEED_TIME = datetime(2007, 3, 9, 15, 23, tzinfo=UTC)
#: The last MCN Moscow sent each State addressee before the seed (one below the seed's).
MCNS_BEFORE = {"SECSTATE": 8095, "UNVIE": 457, "USUN": 317, "USNATO": 6762}
#: Every office the seed's TO and INFO lines address (id origins for posts).
SEED_OFFICES = {
    "STATE",
    "NSC",
    "UNVIEVIENNA",
    "SECDEF",
    "JOINT STAFF",
    "DEPT OF ENERGY",
    "DEPT OF TREASURY",
    "USUNNEWYORK",
    "USNATO",
}


def recreate(directory: Path, seed: Cable, section_lines: int | None) -> tuple[str, Traffic]:
    """Draft, clear, release and dispatch the seed's content; returns the telegram."""
    traffic = Traffic(directory, clock=SettableClock(SEED_TIME), section_lines=section_lines)
    preset(traffic, actor(traffic, "root"), "MOSCOW", 2007, 1001, MCNS_BEFORE)
    draft = content_from_cable(seed)
    # Addressed as a drafter writes them: plain addresses, routing from the address book.
    draft = replace(
        draft,
        to=tuple(a.split("/", 1)[1] for a in draft.to),
        info=tuple(a.split("/", 1)[1] for a in draft.info),
    )
    view = new_draft(traffic, actor(traffic, "alice"), draft)
    submit(traffic, actor(traffic, "alice"), view.id, ["bob"])
    clear(traffic, actor(traffic, "bob"), view.id, "U/S Joseph has cleared this message.")
    done = release(traffic, actor(traffic, "carol"), [view.id])
    Dispatcher(traffic).run_once()
    return done[0].telegram, traffic


@pytest.fixture
def seed(seed_text: str) -> Cable:
    return parse(seed_text)


def test_seed_recreated(archive_dir: Path, seed: Cable) -> None:
    telegram, traffic = recreate(archive_dir, seed, section_lines=None)
    with traffic:
        made = parse(telegram)
        envelope, expected = made.envelope, seed.envelope
        # DE line, security line, DTG line.
        assert (envelope.originating_station, envelope.station_serial, envelope.section) == (
            "RUEHMO",
            1002,
            1,
        )
        assert envelope.filing_time == expected.filing_time == "0681523"
        assert envelope.security_line == expected.security_line
        assert envelope.precedences == expected.precedences
        assert made.dtg == seed.dtg
        # FM, TO and INFO lines (RIs, precedences, MCNs).
        assert made.originator == seed.originator
        assert made.to == seed.to
        assert made.info == seed.info
        # The text: classification line, captions, E.O., TAGS, SUBJECT, REF, Classified By.
        assert (made.classification, made.origin, made.serial, made.section) == (
            seed.classification,
            seed.origin,
            seed.serial,
            seed.section,
        )
        assert made.id == seed.id == "07MOSCOW1002"
        assert made.captions == seed.captions
        assert made.declassification == seed.declassification
        assert made.tags == seed.tags
        assert made.subject == seed.subject
        assert made.references == seed.references
        assert made.classified_by == seed.classified_by
        # The marked paragraphs, and everything the reader derives from the text.
        assert made.paragraphs == seed.paragraphs
        assert made.participants == seed.participants
        assert made.part == seed.part
        assert made.signature == seed.signature
        # Every addressee office's queue holds it once.
        deliveries = traffic.store.deliveries_of("07MOSCOW1002")
        assert sorted(d.recipient for d in deliveries) == sorted(SEED_OFFICES)
        assert all(isinstance(d, DeliveryRecord) and d.kind == "office" for d in deliveries)
        for office in SEED_OFFICES:
            queue = traffic.store.deliveries([("office", office)], include_acknowledged=True)
            assert [d.cable_id for d in queue] == ["07MOSCOW1002"]


def test_released_seed_reads_back_to_its_model(archive_dir: Path, seed: Cable) -> None:
    telegram, traffic = recreate(archive_dir, seed, section_lines=None)
    with traffic:
        stored = traffic.store.released("07MOSCOW1002")
        assert stored is not None and stored.text == telegram
        assert render(parse(telegram)) == telegram
        assert parse(telegram) == parse(render(parse(telegram)))


def test_seed_with_the_default_section_rule_goes_in_four_sections(
    archive_dir: Path, seed: Cable
) -> None:
    telegram, traffic = recreate(archive_dir, seed, section_lines=SECTION_LINES)
    with traffic:
        made = parse(telegram)
        assert made.section == Section(1, 4)
        lines = telegram.splitlines()
        assert [line for line in lines if line.startswith("DE ")] == [
            f"DE RUEHMO #1002/0{n} 0681523" for n in range(1, 5)
        ]
        assert [line for line in lines if "SECTION" in line] == [
            f"S E C R E T SECTION 0{n} OF 04 MOSCOW 001002" for n in range(1, 5)
        ]
        assert made.paragraphs == seed.paragraphs
