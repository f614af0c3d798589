"""Release numbers: serial, DTG, station serial and section, filing time, MCNs, precedences
(issue 6, item 3; spec §1.3, §1.5-§1.8, §2.1). Pure functions: the counters they are
given come from the store, inside the release transaction (`cablegram.traffic.store`).

* **Serial**: the post's running message number for the calendar year (``MOSCOW 001002``;
  07MOSCOW1002 vs 08MOSCOW816, spec §2.1), written with six digits; the canonical id is
  year + origin + serial (``07MOSCOW1002``).
* **DTG**: the release minute in UTC, ``091523Z MAR 07`` with the two-digit year State kept
  after 2006 (spec §1.7); the writer formats it.
* **FL3** ``DE RUEHMO #1002/01 0681523``: the originating post's routing indicator, the
  last four digits of the serial (spec §1.5, observed: RUEHSW #0881 for BERN 000881), the
  transmission section ``/01`` (``/02`` ... for the later sections of a long cable, which
  the writer repeats), and the Julian filing time: day of the year and HHMM of the DTG
  (``0681523`` = 9 March 2007, 15:23Z).
* **FL4** security line: the classification's first letter five times, ``ZNY SSSSS ZZH``;
  ``ZNR UUUUU ZZH`` for UNCLAS, SBU and LOU (spec §1.6, observed mapping).
* **FL2/FL5**: the highest precedence doubled before the delivering stations; FL5 the
  action precedence, then the information precedence when dual (`routing.Plan`).
* **MCN**: "a consecutive number from a series dedicated to each Department of State
  activity" (5 FAH-2 H-321.7/8 [S17]): one sequence per (sending post, State addressee),
  written with four digits; agencies and collectives get none. After 9999 the sequence
  starts again at 0001 [INFERENCE: four digits are all the line has].
* **Sections**: a cable longer than one transmission section (five pages of twenty lines,
  ACP 127 §208 [S1]) is labelled ``SECTION 01 OF nn`` and the writer splits it
  (`cablegram.write.sections_needed`). The sample's multi-section cables of 2006-2010 hold
  a median 62 lines of text per section (1,094 cables), which fits that rule; its long
  single-section cables are mostly joined copies that lost their labels, the seed among
  them (its stray SIPDIS in paragraph 15 is a later section's caption block). A caller
  may still release as one transmission (``section_lines=None``), as the seed's copy reads.
* **FL1** is ``VZCZCXYZ0000``, the transmission identification every database copy in the
  sample carries (977 cables, the seed among them): the channel serial proper belongs to a
  relay channel (ACP 127 §112 [S1]), which a relay between sites will assign.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime

from cablegram.model import Addressee, Cable, Envelope, Level, Section, canonical_id
from cablegram.reference.posts import address_key
from cablegram.traffic.clock import as_utc
from cablegram.traffic.routing import Line, Plan
from cablegram.write import sections_needed
from cablegram.write.render import SECTION_LINES

MCN_LIMIT = 9999
TRANSMISSION_ID = "VZCZCXYZ0000"
SECURITY_LINES = {
    Level.UNCLASSIFIED: "ZNR UUUUU ZZH",
    Level.SBU: "ZNR UUUUU ZZH",
    Level.LOU: "ZNR UUUUU ZZH",
    Level.CONFIDENTIAL: "ZNY CCCCC ZZH",
    Level.SECRET: "ZNY SSSSS ZZH",
    Level.TOP_SECRET: "ZNY TTTTT ZZH",
}


def release_minute(moment: datetime) -> datetime:
    """The DTG of a release at ``moment``: the minute, in UTC."""
    return as_utc(moment).replace(second=0, microsecond=0)


def filing_time(dtg: datetime) -> str:
    """``JJJHHMM``: ``datetime(2007, 3, 9, 15, 23)`` -> ``0681523``."""
    utc = as_utc(dtg)
    return f"{utc.timetuple().tm_yday:03d}{utc:%H%M}"


def next_mcn(last: int) -> int:
    """The MCN after ``last`` (0 for a new sequence): 1 ... 9999, then 1 again."""
    return last % MCN_LIMIT + 1


def numbered(
    text: Cable,
    plan: Plan,
    serial: int,
    dtg: datetime,
    mcns: Mapping[str, int],
    section_lines: int | None = SECTION_LINES,
) -> Cable:
    """``text`` (a cable with its text fields) with the header and numbers of a release.
    ``mcns`` maps each State addressee's address key (`Plan.state_addresses`) to its MCN;
    ``section_lines`` is the text one transmission section holds (None: one section)."""
    origin = plan.originator.name
    level = text.classification.level if text.classification else Level.UNCLASSIFIED
    precedences = plan.precedences
    envelope = Envelope(
        transmission_id=TRANSMISSION_ID,
        routing_precedence=max(precedences, key=lambda p: p.urgency),
        delivering_stations=plan.stations(),
        originating_station=plan.originator.routing_indicator,
        station_serial=serial % 10_000,
        section=1,
        filing_time=filing_time(dtg),
        security_line=SECURITY_LINES[level],
        precedences=precedences,
    )
    cable = replace(
        text,
        id=canonical_id(dtg.year, origin, serial),
        envelope=envelope,
        dtg=dtg,
        originator=Addressee(plan.originator.address),
        to=tuple(_addressee(line, mcns) for line in plan.to),
        info=tuple(_addressee(line, mcns) for line in plan.info),
        origin=origin,
        serial=serial,
        section=None,
    )
    sections = 1 if section_lines is None else sections_needed(cable, section_lines)
    return replace(cable, section=Section(1, sections)) if sections > 1 else cable


def _addressee(line: Line, mcns: Mapping[str, int]) -> Addressee:
    office = line.addressing.office
    return Addressee(
        address=office.address,
        routing_indicator=office.routing_indicator,
        precedence=line.precedence,
        mcn=mcns.get(address_key(office.address)) if office.state else None,
        exempted=line.addressing.exempted,
    )
