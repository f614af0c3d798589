"""The envelope and the addressees (FL1-FL9): posts, routing indicators, precedences."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from hypothesis import strategies as st

from cablegram.model import Addressee, Envelope, Level, Precedence, Section


@dataclass(frozen=True)
class Post:
    origin: str
    address: str
    routing_indicator: str


POSTS = (
    Post("MOSCOW", "AMEMBASSY MOSCOW", "RUEHMO"),
    Post("STATE", "SECSTATE WASHDC", "RUEHC"),
    Post("PARIS", "AMEMBASSY PARIS", "RUEHFR"),
    Post("LONDON", "AMEMBASSY LONDON", "RUEHLO"),
    Post("BERLIN", "AMEMBASSY BERLIN", "RUEHRL"),
    Post("BEIJING", "AMEMBASSY BEIJING", "RUEHBJ"),
    Post("TOKYO", "AMEMBASSY TOKYO", "RUEHKO"),
    Post("BERN", "AMEMBASSY BERN", "RUEHSW"),
    Post("THEHAGUE", "AMEMBASSY THE HAGUE", "RUEHTC"),
    Post("USUNNEWYORK", "USMISSION USUN NEW YORK", "RUCNDT"),
    Post("UNVIEVIENNA", "USMISSION UNVIE VIENNA", "RUEHUNV"),
)

#: (routing indicator, address, gets an MCN): State activities get MCNs (spec §1.8).
ADDRESS_BOOK = (
    *((post.routing_indicator, post.address, True) for post in POSTS),
    ("RUEHNO", "USMISSION USNATO", True),
    ("RUEHGV", "USMISSION GENEVA", True),
    ("RHEHNSC", "NSC WASHDC", False),
    ("RUEKJCS", "SECDEF WASHDC", False),
    ("RUEKJCS", "JOINT STAFF WASHDC", False),
    ("RHEBAAA", "DEPT OF ENERGY WASHDC", False),
    ("RUEATRS", "DEPT OF TREASURY WASHDC", False),
    ("RHMFISS", "HQ USEUCOM VAIHINGEN GE", False),
    ("RUEAIIA", "CIA WASHDC", False),
)
COLLECTIVES = (
    ("RUEHZL", "EUROPEAN POLITICAL COLLECTIVE"),
    ("RUCNMEU", "EU INTEREST COLLECTIVE"),
)
DELIVERING_STATIONS = ("RUEHWEB", "RUEHDA", "RUEHXI", "RHMFIUU")
SECURITY_LINES = {
    Level.UNCLASSIFIED: "ZNR UUUUU ZZH",
    Level.SBU: "ZNR UUUUU ZZH",
    Level.LOU: "ZNR UUUUU ZZH",
    Level.CONFIDENTIAL: "ZNY CCCCC ZZH",
    Level.SECRET: "ZNY SSSSS ZZH",
    Level.TOP_SECRET: "ZNY TTTTT ZZH",
}
ENVELOPE_PRECEDENCE = {
    Precedence.FLASH: Precedence.FLASH,
    Precedence.NIACT_IMMEDIATE: Precedence.IMMEDIATE,
    Precedence.IMMEDIATE: Precedence.IMMEDIATE,
    Precedence.PRIORITY: Precedence.PRIORITY,
    Precedence.ROUTINE: Precedence.ROUTINE,
}


@st.composite
def addressees(
    draw: st.DrawFn,
    precedence: Precedence | None = None,
    with_routing_indicator: bool = True,
) -> Addressee:
    """One TO/INFO addressee: a State post (with an MCN), a non-State agency, or a
    collective with XMT exclusions."""
    if draw(st.integers(0, 9)) == 0:
        ri, address = draw(st.sampled_from(COLLECTIVES))
        exempted = tuple(
            draw(st.lists(st.sampled_from([p.address for p in POSTS]), unique=True, max_size=2))
        )
        return Addressee(
            address, ri if with_routing_indicator else None, precedence, None, exempted
        )
    ri, address, gets_mcn = draw(st.sampled_from(ADDRESS_BOOK))
    mcn = draw(st.integers(0, 9999)) if gets_mcn else None
    return Addressee(address, ri if with_routing_indicator else None, precedence, mcn)


@st.composite
def dtgs(draw: st.DrawFn) -> datetime:
    """Aware UTC datetimes at minute precision, 1995-2030; one in ten falls before
    1995-04-17, while E.O. 12356 was still in force (a sliver of the range otherwise)."""
    last = datetime(2030, 12, 31, 23, 59)
    if draw(st.integers(0, 9)) == 0:
        last = datetime(1995, 4, 16, 23, 59)
    moment = draw(st.datetimes(min_value=datetime(1995, 1, 1), max_value=last))
    return moment.replace(second=0, microsecond=0, tzinfo=UTC)


@dataclass(frozen=True)
class Recipients:
    to: tuple[Addressee, ...]
    info: tuple[Addressee, ...]
    prosigns: tuple[Precedence, ...]
    """FL5: the action precedence, then the information precedence when it differs."""


@st.composite
def recipients(draw: st.DrawFn, with_routing_indicators: bool) -> Recipients:
    """One to three action and up to eight information addressees, all distinct; action
    precedence at least the information one, FLASH never dual (ACP 127 §152.e)."""
    action = draw(st.sampled_from(tuple(Precedence)))
    lower = [p for p in Precedence if p.urgency <= action.urgency]
    informed = action if action is Precedence.FLASH else draw(st.sampled_from(lower))
    labelled = draw(st.integers(0, 4)) > 0
    to = draw(
        st.lists(
            addressees(action if labelled else None, with_routing_indicators),
            min_size=1,
            max_size=3,
            unique_by=lambda a: a.address,
        )
    )
    taken = {a.address for a in to}
    info = draw(
        st.lists(
            addressees(informed if labelled else None, with_routing_indicators).filter(
                lambda a: a.address not in taken
            ),
            max_size=8,
            unique_by=lambda a: a.address,
        )
    )
    prosigns = [ENVELOPE_PRECEDENCE[action]]
    if info and ENVELOPE_PRECEDENCE[informed] is not prosigns[0]:
        prosigns.append(ENVELOPE_PRECEDENCE[informed])
    return Recipients(tuple(to), tuple(info), tuple(prosigns))


@st.composite
def envelopes(
    draw: st.DrawFn,
    dtg: datetime,
    post: Post,
    serial: int,
    level: Level,
    prosigns: tuple[Precedence, ...],
    section: Section | None,
) -> Envelope:
    """FL1-FL5 consistent with the cable: FL2 the highest precedence, FL3 the post's RI,
    the serial's last four digits, the first section and the Julian filing time (a few
    minutes after the DTG), FL4 the level's security line."""
    filed = dtg + timedelta(minutes=draw(st.integers(0, 10)))
    channel = draw(st.sampled_from(("XYZ", "XRO", "MOI", "BKO")))
    stations = draw(
        st.lists(st.sampled_from(DELIVERING_STATIONS), min_size=1, max_size=2, unique=True)
    )
    return Envelope(
        transmission_id=f"VZCZC{channel}{draw(st.integers(0, 9999)):04d}",
        routing_precedence=prosigns[0],
        delivering_stations=tuple(stations),
        originating_station=post.routing_indicator,
        station_serial=serial % 10000,
        section=section.number if section else draw(st.sampled_from((1, None))),
        filing_time=f"{filed.timetuple().tm_yday:03d}{filed:%H%M}",
        security_line=SECURITY_LINES[level],
        precedences=prosigns,
    )
