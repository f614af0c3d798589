"""Rules on the ACP-127 envelope, format lines 2-8 (spec §1.3-§1.6, §1.4).

* FL2 repeats the prosign of the highest precedence; FL5 lists the action precedence and,
  when dual, the info precedence (ACP 127 §151-152 [S1]): ``PP`` over ``P R``.
* FL3 ``DE RUEHMO #1002/01 0681523``: ``0681523`` is day-of-year 068 and 15:23Z, which
  must be the DTG's day, or the next one when filing crossed midnight (09STATE83026:
  DTG 102356Z AUG, filed 2230014); ``#1002`` is the last four digits of the cable number
  (spec §1.5, observed rule).
* FL4 opens with the security warning: ``ZNR UUUUU`` unclassified (``ZNY EEEEE`` for EFTO),
  ``ZNY CCCCC``, ``ZNY SSSSS``, ``ZNY TTTTT`` -- the first letter of the classification
  repeated (ACP 127 §124, §203 [S1]). A line lower than the banner would send a classified
  message over circuits not approved for it.
* Routing indicators (FL2 delivering stations, FL3 originating station, FL6-FL8
  addressees) are looked up in the ACP 117 decode (`cablegram.reference`).

Variants seen in the sample corpus (2,979 cables): FL2 always agrees with FL5 (2,538
checked); the Julian day disagrees with the DTG in 4 cables (08STOCKHOLM748: 312 for
10 NOV 08, day 315); the station serial differs from the cable number in 3
(09ASUNCION595 #0595 vs 000561); FL4 is below the banner in 08LAPAZ751 (ZNY CCCCC, SECRET);
RUEHWEB, the FL2 station of most Cablegate copies, is in no ACP 117 decode.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

from cablegram.model import Cable
from cablegram.reference import is_known_routing_indicator
from cablegram.write.rules.base import Context, Finding, Severity, rule
from cablegram.write.rules.locate import FL2_LINE, FL3_LINE, FL4_LINE

ROUTING_PRECEDENCE = rule(
    "CG501",
    "routing-precedence",
    Severity.ERROR,
    "The FL2 precedence prosign is the highest FL5 precedence.",
)
FILING_DATE = rule(
    "CG502",
    "filing-date",
    Severity.WARNING,
    "The FL3 Julian filing day is the DTG's day (or the next, across midnight).",
)
STATION_SERIAL = rule(
    "CG503",
    "station-serial",
    Severity.WARNING,
    "The FL3 station serial is the last four digits of the cable number.",
)
SECURITY_LINE_BELOW_BANNER = rule(
    "CG504",
    "security-line-below-banner",
    Severity.ERROR,
    "The FL4 security warning is at least the banner's classification.",
)
ROUTING_INDICATOR_UNKNOWN = rule(
    "CG505",
    "routing-indicator-unknown",
    Severity.WARNING,
    "Every routing indicator is in the ACP 117 decode.",
)

#: The rank of the classification a security-warning letter stands for (E: EFTO).
SECURITY_LETTER_RANK = {"U": 0, "E": 0, "C": 2, "S": 3, "T": 4}
_SECURITY_LETTER = re.compile(r"ZN[RY]\s+([A-Z])")


def check(context: Context) -> Iterator[Finding]:
    yield from _routing_precedence(context)
    yield from _filing(context)
    yield from _security_line(context)
    yield from _routing_indicators(context)


def _routing_precedence(context: Context) -> Iterator[Finding]:
    envelope = context.cable.envelope
    if envelope.routing_precedence is None or not envelope.precedences:
        return
    highest = max(envelope.precedences, key=lambda p: p.urgency)
    if envelope.routing_precedence.prosign != highest.prosign:
        written = " ".join(p.prosign for p in envelope.precedences)
        yield ROUTING_PRECEDENCE.finding(
            f"FL2 routes at {envelope.routing_precedence.prosign * 2} but FL5 is '{written}', "
            f"whose highest is {highest.label}",
            f"start FL2 with {highest.prosign * 2}",
            context.locate.starting(FL2_LINE),
        )


def _filing(context: Context) -> Iterator[Finding]:
    cable = context.cable
    envelope = cable.envelope
    de_line = context.locate.starting(FL3_LINE)
    filing_day = envelope.filing_day
    if filing_day is not None and cable.dtg is not None:
        dtg_day = cable.dtg.timetuple().tm_yday
        next_day = (cable.dtg.date() + timedelta(days=1)).timetuple().tm_yday
        if filing_day not in (dtg_day, next_day):
            yield FILING_DATE.finding(
                f"FL3 filing day {filing_day:03d} is not the DTG's day {dtg_day:03d} "
                f"({cable.dtg:%d %b %y})",
                f"write the filing time as {dtg_day:03d}HHMM",
                de_line,
            )
    if envelope.station_serial is not None and cable.serial is not None:
        expected = cable.serial % 10000
        if envelope.station_serial != expected:
            yield STATION_SERIAL.finding(
                f"FL3 station serial #{envelope.station_serial:04d} does not end cable number "
                f"{cable.serial:06d}",
                f"write #{expected:04d}",
                de_line,
            )


def _security_line(context: Context) -> Iterator[Finding]:
    cable = context.cable
    line = cable.envelope.security_line
    if line is None or cable.classification is None:
        return
    match = _SECURITY_LETTER.match(line.strip())
    if match is None or match.group(1) not in SECURITY_LETTER_RANK:
        return
    banner = cable.classification.level
    if banner.is_classified and SECURITY_LETTER_RANK[match.group(1)] < banner.rank:
        letter = banner.word[0]
        yield SECURITY_LINE_BELOW_BANNER.finding(
            f"FL4 '{line}' is below the banner {banner.word}",
            f"write 'ZNY {letter * 5} ZZH'",
            context.locate.starting(FL4_LINE),
        )


def routing_indicators(cable: Cable) -> list[str]:
    """Every routing indicator in the envelope and address lines, once, in header order."""
    envelope = cable.envelope
    found = [*envelope.delivering_stations]
    if envelope.originating_station:
        found.append(envelope.originating_station)
    for addressee in (cable.originator, *cable.to, *cable.info):
        if addressee is not None and addressee.routing_indicator:
            found.append(addressee.routing_indicator)
    return list(dict.fromkeys(found))


def _routing_indicators(context: Context) -> Iterator[Finding]:
    for ri in routing_indicators(context.cable):
        if not is_known_routing_indicator(ri):
            yield ROUTING_INDICATOR_UNKNOWN.finding(
                f"routing indicator {ri} is not in the ACP 117 decode",
                "check the indicator against ACP 117 (DOSPUB); keep it if the relay knows it",
                context.locate.word(ri),
            )
