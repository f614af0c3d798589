"""The seed cable 07MOSCOW1002 as a model, written by hand from its text.

Header fields are complete; of the text, the introduction and paragraphs 1, 2, 19
(participants) and 20 are kept, with their numbers as the cable has them. The TAGS' kinds
are those the reference tables give (IAEA and START organisations, KACT and KNNP programs,
MNUC PARM PREL subjects, IR and RS geographic codes of the FIPS era), not computed here.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

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
    Participant,
    Precedence,
    Reference,
    ReferenceKind,
    Tag,
    TagEra,
    TagKind,
)

_PRIORITY = Precedence.PRIORITY
_SBU = Marking(Level.SBU)
_U = Marking(Level.UNCLASSIFIED)

_US_SIDE = (
    ("U/S", "Robert Joseph", "State/T"),
    ("A/S", "John Rood", "State/ISN"),
    ("ASD(Acting)", "Joseph Benkert", "OSD"),
    ("PDAS", "Stephen Elliott", "State/VCI"),
    ("DASD", "Brian Green", "OSD/Strategic Capabilities"),
    (None, "William Tobey", "DOE/NNSA"),
    (None, "Jim Timbie", "State/T"),
    (None, "Tim Katsapis", "State/T"),
    (None, "David Dowley", "NSC/Defense Policy and Strategy"),
    (None, "Richard Trout", "IC/WINPAC"),
    (None, "Tim MacGregor", "State/VCI"),
    (None, "Charles Miller", "OSD"),
    (None, "Scott Roenicke", "JCS/J-5"),
)
_RUSSIAN_SIDE = (
    ("DFM", "Sergey Kislyak", "MFA"),
    (None, "Igor Neverov", "MFA/Department of North America"),
    (None, "Anatoliy Antonov", "MFA/DVBR"),
    (None, "Oleg Burmistrov", "MFA/DVBR"),
    (None, "Oleg Rozhkov", "MFA/DVBR"),
    (None, "Sergey Koshelev", "MFA/DVBR"),
    (None, "Vladimir Venyevtsev", "MFA/DVBR"),
    (None, "Andrey Belyakov", "MFA/DVBR"),
    (None, "Andrey Belousov", "MFA/Department of North America"),
    (None, "Vladimir Kuchinov", "Rosatom"),
    (None, "Marina Belyayeva", "Rosatom"),
    ("Gen-Lt.", "Yevgeniy Buzhinskiy", "MOD"),
)


def _participant_lines(side: tuple[tuple[str | None, str, str], ...]) -> str:
    return "\n".join(
        f"{title} {name}, {unit}" if title else f"{name}, {unit}" for title, name, unit in side
    )


SEED_PARTICIPANTS = tuple(
    Participant(name, title, unit, side_name)
    for side_name, side in (("U.S.", _US_SIDE), ("Russia", _RUSSIAN_SIDE))
    for title, name, unit in side
)

SEED_CABLE = Cable(
    id="07MOSCOW1002",
    envelope=Envelope(
        transmission_id="VZCZCXYZ0000",
        routing_precedence=_PRIORITY,
        delivering_stations=("RUEHWEB",),
        originating_station="RUEHMO",
        station_serial=1002,
        section=1,
        filing_time="0681523",
        security_line="ZNY SSSSS ZZH",
        precedences=(_PRIORITY,),
    ),
    dtg=datetime(2007, 3, 9, 15, 23, tzinfo=UTC),
    originator=Addressee("AMEMBASSY MOSCOW"),
    to=(Addressee("SECSTATE WASHDC", "RUEHC", _PRIORITY, 8096),),
    info=(
        Addressee("NSC WASHDC", "RHEHNSC", _PRIORITY),
        Addressee("USMISSION UNVIE VIENNA", "RUEHUNV", _PRIORITY, 458),
        Addressee("SECDEF WASHDC", "RUEKJCS", _PRIORITY),
        Addressee("JOINT STAFF WASHDC", "RUEKJCS", _PRIORITY),
        Addressee("DEPT OF ENERGY WASHDC", "RHEBAAA", _PRIORITY),
        Addressee("DEPT OF TREASURY WASHDC", "RUEATRS", _PRIORITY),
        Addressee("USMISSION USUN NEW YORK", "RUCNDT", _PRIORITY, 318),
        Addressee("USMISSION USNATO", "RUEHNO", _PRIORITY, 6763),
    ),
    classification=Marking(Level.SECRET),
    origin="MOSCOW",
    serial=1002,
    captions=("SIPDIS",),
    declassification=Declassification("12958", DeclassificationKind.DATE, date(2017, 3, 1)),
    tags=(
        Tag("IAEA", TagKind.ORGANIZATION),
        Tag("KACT", TagKind.PROGRAM),
        Tag("KNNP", TagKind.PROGRAM),
        Tag("MNUC", TagKind.SUBJECT),
        Tag("PARM", TagKind.SUBJECT),
        Tag("PREL", TagKind.SUBJECT),
        Tag("IR", TagKind.GEOGRAPHIC, TagEra.FIPS),
        Tag("RS", TagKind.GEOGRAPHIC, TagEra.FIPS),
        Tag("START", TagKind.ORGANIZATION),
    ),
    subject="U/S JOSEPH-RUSSIAN DFM KISLYAK MEETING ON STRATEGIC SECURITY DIALOGUE: PART II",
    references=(
        Reference("STATE 003773", ReferenceKind.CABLE, "07STATE3773", "A"),
        Reference("06 STATE 201804", ReferenceKind.CABLE, "06STATE201804", "B"),
        Reference("06 STATE 165526", ReferenceKind.CABLE, "06STATE165526", "C"),
        Reference("STATE 007445", ReferenceKind.CABLE, "07STATE7445", "D"),
        Reference("06 STATE 028324", ReferenceKind.CABLE, "06STATE28324", "E"),
        Reference("STATE 004837", ReferenceKind.CABLE, "07STATE4837", "F"),
        Reference("MOSCOW 01001", ReferenceKind.CABLE, "07MOSCOW1001", "G"),
    ),
    classified_by=ClassifiedBy("Daniel A. Russell", "DCM", ("b", "d"), "1.4"),
    paragraphs=(
        Paragraph(
            None,
            None,
            "This is part two of a two-part cable, reporting on the January 29 meeting of "
            "the U.S.-Russia Strategic Security Dialogue chaired by U/S Joseph and Russian "
            "DFM Kislyak. Part one is Ref G.",
        ),
        Paragraph(
            1,
            _SBU,
            "DFM Kislyak asked whether U/S Joseph had anything new on the issue of the "
            "denial of Russia's membership in the Australia Group. U/S Joseph said he did not.",
            heading="Australia Group / Shchuch'ye Chemical Weapons Destruction Facility",
        ),
        Paragraph(
            2,
            _SBU,
            "DFM Kislyak used this occasion to complain that the U.S. Defense Threat "
            "Reduction Agency (DTRA) was requiring that contracts supporting the construction "
            "of the Chemical Weapons Destruction Facility at Shchuch'ye include a provision "
            "prohibiting the employment of Russian companies sanctioned under the Iran and "
            "Syria Nonproliferation Act. Even though Russia did not plan to employ at "
            "Shchuch'ye any of the companies on the U.S. sanctions list, DTRA still intended "
            "to include this provision in Shchuch'ye contracts. Russia objected in principle, "
            "since it did not accept the validity of U.S. sanctions imposed on Russian "
            "companies. Accepting such provisions would imply that Russia accepted the "
            "validity of the sanctions. DFM Kislyak asked U/S Joseph to work with Russia on "
            "the issue. U/S Joseph said he was unaware of the issue, but would respond.",
        ),
        Paragraph(
            19,
            _U,
            "Meeting Participants.\n\nU.S.:\n\n"
            + _participant_lines(_US_SIDE)
            + "\n\nRussia:\n\n"
            + _participant_lines(_RUSSIAN_SIDE),
        ),
        Paragraph(20, _U, "U/S Joseph has cleared this message."),
    ),
    participants=SEED_PARTICIPANTS,
    part=Part(2, 2, ("07MOSCOW1001",)),
    signature="RUSSELL",
)
