"""Round trip: the reader reads the writer's canonical telegram back to the same model.

``parse(render(cable)) == cable`` (equality ignores the original text and diagnostics) for
the seed's model, for hand-built cables that each exercise one form of the canonical
layout, and for cables drawn by the hypothesis strategies in ``tests/strategies``.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

import pytest
from hypothesis import HealthCheck, given, settings

from cablegram.model import (
    Addressee,
    Block,
    BlockKind,
    Cable,
    Declassification,
    DeclassificationKind,
    Envelope,
    Level,
    Marking,
    Paragraph,
    Participant,
    Precedence,
    ReferenceKind,
    Section,
    Tag,
    TagKind,
)
from cablegram.write import render
from strategies import SEED_CABLE, cables

parser = pytest.importorskip("cablegram.read.parser")


def _differences(read: Cable, written: Cable) -> dict[str, tuple[object, object]]:
    """Fields that differ, as (read, written): a readable failure instead of two reprs."""
    return {
        field.name: (getattr(read, field.name), getattr(written, field.name))
        for field in dataclasses.fields(Cable)
        if field.compare and getattr(read, field.name) != getattr(written, field.name)
    }


def _assert_round_trip(cable: Cable) -> None:
    text = render(cable)
    assert _differences(parser.parse(text), cable) == {}, text


def test_seed_round_trip() -> None:
    _assert_round_trip(SEED_CABLE)


_SECRET = Marking(Level.SECRET)
_ENVELOPE = Envelope(
    transmission_id="VZCZCXRO4549",
    routing_precedence=Precedence.IMMEDIATE,
    delivering_stations=("RUEHWEB",),
    originating_station="RUEHSW",
    station_serial=881,
    section=1,
    filing_time="2540944",
    security_line="ZNY SSSSS ZZH",
    precedences=(Precedence.IMMEDIATE,),
)
_BERN = {
    "id": "07BERN881",
    "envelope": _ENVELOPE,
    "dtg": datetime(2007, 9, 11, 9, 44, tzinfo=UTC),
    "originator": Addressee("AMEMBASSY BERN"),
    "to": (Addressee("SECSTATE WASHDC", "RUEHC", Precedence.IMMEDIATE, 4460),),
    "classification": _SECRET,
    "origin": "BERN",
    "serial": 881,
    "tags": (Tag("PREL", TagKind.SUBJECT),),
    "subject": "SWISS VIEWS ON IRAN SANCTIONS",
    "signature": "CARTER",
}


def _bern(**fields: object) -> Cable:
    """A small cable in the shape of 07BERN881, with ``fields`` replaced."""
    return Cable(**{**_BERN, **fields})  # type: ignore[arg-type]


def _numbered(*texts: str, marking: Marking | None = _SECRET) -> tuple[Paragraph, ...]:
    return tuple(Paragraph(n, marking, text) for n, text in enumerate(texts, start=1))


_PARTICIPANTS_TEXT = "Participants:\n\nU.S.:\n\nA/S John Rood, State/ISN\nJim Timbie"
_PARTICIPANTS = (
    Participant("John Rood", "A/S", "State/ISN", "U.S."),
    Participant("Jim Timbie", None, None, "U.S."),
)

CASES = {
    # 1970s archive copies start at FL5 and have no routing indicators (1977STATE017976).
    "no-transmission-envelope": _bern(
        envelope=Envelope(precedences=(Precedence.ROUTINE,)),
        to=(Addressee("AMEMBASSY BERN", precedence=Precedence.ROUTINE),),
        classification=Marking(Level.LOU),
        declassification=Declassification("12958", DeclassificationKind.NOT_APPLICABLE),
        paragraphs=(Paragraph(None, None, "The embassy has no comment on the proposal."),),
    ),
    "caveat-captions-and-release-list": _bern(
        classification=Marking(Level.CONFIDENTIAL, frozenset({"ORCON"}), ("USA", "GBR")),
        captions=("SIPDIS", "ORCON", "REL TO USA, GBR"),
        declassification=Declassification("12958", DeclassificationKind.DATE, date(2017, 9, 11)),
        paragraphs=_numbered(
            "Swiss officials agreed.",
            "They said nothing more.",
            marking=Marking(Level.CONFIDENTIAL, rel_to=("USA", "GBR")),
        ),
    ),
    "sbu-is-unclas-with-sensitive": _bern(
        classification=Marking(Level.SBU, frozenset({"NOFORN"})),
        captions=("SENSITIVE", "NOFORN"),
        paragraphs=_numbered("Swiss officials agreed.", marking=Marking(Level.SBU)),
    ),
    "two-sections": _bern(
        section=Section(1, 2),
        paragraphs=_numbered("Swiss officials agreed.", "They said nothing more."),
    ),
    "lone-later-section": _bern(
        envelope=dataclasses.replace(_ENVELOPE, section=2),
        section=Section(2, 3),
        tags=(),
        subject=None,
        paragraphs=_numbered("Swiss officials agreed."),
        signature=None,
    ),
    "summary-comment-and-note": _bern(
        paragraphs=_numbered(
            "Summary: The Swiss agreed. End summary.",
            "(Note: Bern is quiet. End note.) They left.",
            "Comment: We doubt it. End comment.",
        ),
        blocks=(
            Block(BlockKind.SUMMARY, "The Swiss agreed.", 1),
            Block(BlockKind.NOTE, "Bern is quiet.", 2),
            Block(BlockKind.COMMENT, "We doubt it.", 3),
        ),
    ),
    # Unclassified cables leave paragraphs unmarked; a heading may still precede one.
    "unmarked-paragraph-with-heading": _bern(
        classification=Marking(Level.UNCLASSIFIED),
        paragraphs=(
            Paragraph(1, None, "Swiss officials agreed."),
            Paragraph(2, None, "They said nothing more.", heading="Next Steps"),
        ),
    ),
    "unmarked-paragraph-after-participants": _bern(
        classification=Marking(Level.UNCLASSIFIED),
        paragraphs=_numbered(_PARTICIPANTS_TEXT, "They said nothing more.", marking=None),
        participants=_PARTICIPANTS,
    ),
    # Five Eyes release list plus two caveats: a 42-character portion mark.
    "long-portion-mark": _bern(
        classification=Marking(
            Level.SECRET, frozenset({"ORCON", "PROPIN"}), ("USA", "GBR", "AUS", "CAN", "NZL")
        ),
        captions=("ORCON", "PROPIN", "REL TO USA, GBR, AUS, CAN, NZL"),
        paragraphs=_numbered(
            "Swiss officials agreed.",
            marking=Marking(
                Level.SECRET, frozenset({"ORCON", "PROPIN"}), ("USA", "GBR", "AUS", "CAN", "NZL")
            ),
        ),
    ),
    "heading-after-participants-at-a-section-break": _bern(
        section=Section(1, 2),
        paragraphs=(
            Paragraph(1, _SECRET, _PARTICIPANTS_TEXT),
            Paragraph(2, _SECRET, "They said nothing more.", heading="Next Steps"),
        ),
        participants=_PARTICIPANTS,
    ),
}


@pytest.mark.parametrize("cable", CASES.values(), ids=CASES.keys())
def test_round_trip_case(cable: Cable) -> None:
    _assert_round_trip(cable)


@pytest.mark.slow
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cables())
def test_round_trip(cable: Cable) -> None:
    _assert_round_trip(cable)


def _forms(cable: Cable) -> set[str]:
    """The forms of the canonical layout a cable exercises."""
    forms = {f"level:{cable.level.name}" if cable.level else "level:none"}
    banner = cable.classification
    forms |= {f"caveat:{caveat}" for caveat in banner.caveats} if banner else set()
    forms |= {"rel-to"} if banner and banner.rel_to else set()
    forms |= {f"precedence:{a.precedence.name}" for a in cable.to if a.precedence}
    forms |= {"mcn" for a in cable.to + cable.info if a.mcn is not None}
    forms |= {"xmt" for a in cable.to + cable.info if a.exempted}
    forms.add("full-envelope" if cable.envelope.originating_station else "no-envelope")
    forms.add("dual-precedence" if len(cable.envelope.precedences) == 2 else "one-precedence")
    section = cable.section
    forms.add("unsectioned" if section is None else f"section-{min(section.number, 2)}-of-n")
    if cable.declassification:
        forms.add(f"declassification:{cable.declassification.kind.name}")
        forms.add(f"order:{cable.declassification.order}")
    forms |= {f"tag:{tag.kind.name}" for tag in cable.tags}
    forms |= {f"era:{tag.era.name}" for tag in cable.tags if tag.era}
    forms |= {f"reference:{ref.kind.name}" for ref in cable.references}
    forms |= {"notal" for ref in cable.references if ref.notal}
    forms |= {"unlettered-reference" for ref in cable.references if ref.letter is None}
    forms |= {f"block:{block.kind.name}" for block in cable.blocks}
    forms |= {"participants"} if cable.participants else set()
    forms |= {"part-with-other"} if cable.part and cable.part.other else set()
    forms |= {"subject-marking"} if cable.subject_marking else set()
    forms |= {"classified-by"} if cable.classified_by else set()
    forms |= {"partial"} if cable.partial else set()
    for paragraph in cable.paragraphs:
        forms.add("unnumbered" if paragraph.number is None else "numbered")
        forms |= {"heading"} if paragraph.heading else set()
        forms |= {"marked"} if paragraph.marking else set()
        forms |= {"hard-break"} if "\n-- " in paragraph.text else set()
        forms |= {"blank-line"} if "\n\n" in paragraph.text else set()
    return forms


EVERY_FORM = (
    {f"level:{level.name}" for level in Level}
    | {"caveat:NOFORN", "caveat:ORCON", "caveat:PROPIN", "rel-to"}
    | {f"precedence:{precedence.name}" for precedence in Precedence}
    | {"mcn", "xmt", "full-envelope", "no-envelope", "dual-precedence", "one-precedence"}
    | {"unsectioned", "section-1-of-n", "section-2-of-n"}
    | {f"declassification:{kind.name}" for kind in DeclassificationKind}
    | {"order:12356", "order:12958", "order:13526"}
    | {f"tag:{kind.name}" for kind in TagKind}
    | {"era:FIPS", "era:CURRENT"}
    | {f"reference:{kind.name}" for kind in ReferenceKind}
    | {"notal", "unlettered-reference"}
    | {f"block:{kind.name}" for kind in BlockKind}
    | {"participants", "part-with-other", "subject-marking", "classified-by", "partial"}
    | {"unnumbered", "numbered", "heading", "marked", "hard-break", "blank-line"}
)


def test_strategies_reach_every_form() -> None:
    seen: set[str] = set()

    @settings(max_examples=150, deadline=None, database=None, derandomize=True)
    @given(cables())
    def collect(cable: Cable) -> None:
        seen.update(_forms(cable))

    collect()
    assert EVERY_FORM - seen == set()
