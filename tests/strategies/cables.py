"""Whole cables, consistent in every field (see the package docstring)."""

from __future__ import annotations

from hypothesis import strategies as st

from cablegram.model import Addressee, Cable, Envelope, Level, Marking, Section, canonical_id
from strategies.body import bodies
from strategies.envelope import POSTS, dtgs, envelopes, recipients
from strategies.head import Head, heads, reference_lists
from strategies.markings import banners
from strategies.text import SURNAMES


@st.composite
def cables(draw: st.DrawFn) -> Cable:
    """A consistent cable: see the module docstring for the rules kept."""
    dtg = draw(dtgs())
    post = draw(st.sampled_from(POSTS))
    serial = draw(st.integers(1, 299999))
    full_envelope = draw(st.integers(0, 3)) > 0
    addressed = draw(recipients(full_envelope or draw(st.booleans())))
    section_kind = draw(st.sampled_from(("none", "none", "split", "lone")))
    lone = section_kind == "lone"
    if lone:
        # A later section has no caption block, so its banner is the bare level word
        # (SBU would need the SENSITIVE caption).
        banner = Marking(draw(st.sampled_from([v for v in Level if v is not Level.SBU])))
    else:
        banner = draw(banners())
    refs = () if lone else draw(reference_lists(dtg.year))
    body = draw(bodies(banner, refs))
    section: Section | None = None
    if section_kind == "split" and full_envelope and len(body.paragraphs) >= 2:
        section = Section(1, draw(st.integers(2, min(4, len(body.paragraphs)))))
    elif lone:
        total = draw(st.integers(2, 5))
        section = Section(draw(st.integers(2, total)), total)
    envelope = (
        draw(envelopes(dtg, post, serial, banner.level, addressed.prosigns, section))
        if full_envelope
        else Envelope(precedences=addressed.prosigns)
    )
    head = Head() if lone else draw(heads(dtg.date(), banner))
    ends_cable = section is None or section.number == section.total or not lone
    return Cable(
        id=canonical_id(dtg.year, post.origin, serial),
        envelope=envelope,
        dtg=dtg,
        originator=Addressee(post.address),
        to=addressed.to,
        info=addressed.info,
        classification=banner,
        origin=post.origin,
        serial=serial,
        section=section,
        captions=head.captions,
        passing=head.passing,
        declassification=head.declassification,
        tags=head.tags,
        subject=head.subject,
        subject_marking=head.subject_marking,
        references=refs,
        classified_by=head.classified_by,
        paragraphs=body.paragraphs,
        blocks=body.blocks,
        participants=body.participants,
        part=body.part,
        signature=draw(st.sampled_from(SURNAMES)) if ends_cable else None,
        partial=draw(st.integers(0, 9)) == 0,
    )
