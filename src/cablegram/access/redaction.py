"""The view of a cable for a principal: withheld portions become placeholders.

``[paragraph 12 withheld — S]`` says what was withheld and at which marking, never its
text. Portions declassified by the as-of day are shown with a note saying so. A cable of
which nothing is readable has no view at all (`view` returns None): for that principal it
does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from cablegram.access.decision import (
    CableAccess,
    effective_marking,
    may_read,
    may_see_channel,
)
from cablegram.access.portions import Portion, banner, paragraph_keys, portions
from cablegram.access.principal import Principal
from cablegram.model import Cable, Paragraph


@dataclass(frozen=True)
class PortionView:
    portion: Portion
    readable: bool
    declassified: bool
    """Readable because its classification lapsed on or before the as-of day."""

    @property
    def placeholder(self) -> str:
        return f"[{self.portion.label} withheld — {self.portion.marking.portion}]"

    @property
    def shown(self) -> str:
        """The text a reader sees: the portion, or its placeholder."""
        return self.portion.text if self.readable else self.placeholder


@dataclass(frozen=True)
class CableView:
    """A cable as one principal may see it on one day."""

    cable: Cable
    """The cable with every withheld portion replaced by its placeholder."""
    portions: tuple[PortionView, ...]
    as_of: date
    declassified_on: date | None

    @property
    def withheld(self) -> tuple[PortionView, ...]:
        return tuple(p for p in self.portions if not p.readable)

    @property
    def complete(self) -> bool:
        return not self.withheld


def view(principal: Principal, cable: Cable, access: CableAccess, as_of: date) -> CableView | None:
    """The principal's view of the cable on ``as_of``, or None when nothing is readable."""
    if not may_see_channel(principal, access):
        return None
    views: list[PortionView] = []
    for portion in portions(cable):
        readable = may_read(principal, access, portion.marking, as_of)
        lapsed = effective_marking(portion.marking, access, as_of) != portion.marking
        views.append(PortionView(portion, readable, readable and lapsed))
    if not views:
        if not may_read(principal, access, banner(cable), as_of):
            return None
    elif not any(v.readable for v in views):
        return None
    return CableView(_redacted(cable, views), tuple(views), as_of, access.declassified_on)


def _redacted(cable: Cable, views: list[PortionView]) -> Cable:
    """The cable with withheld text replaced; its original text is dropped unless every
    portion is readable (the raw telegram would show what is withheld)."""
    by_key = {v.portion.key: v for v in views}
    paragraphs: list[Paragraph] = []
    for paragraph, (heading_key, key) in zip(cable.paragraphs, paragraph_keys(cable), strict=True):
        heading = by_key[heading_key].shown if heading_key is not None else paragraph.heading
        paragraphs.append(replace(paragraph, heading=heading, text=by_key[key].shown))
    complete = all(v.readable for v in views)
    subject = by_key["subject"].shown if "subject" in by_key else cable.subject
    signature = by_key["signature"].shown if "signature" in by_key else cable.signature
    readable_text = " ".join(v.portion.text for v in views if v.readable)
    return replace(
        cable,
        subject=subject,
        paragraphs=tuple(paragraphs),
        signature=signature,
        # Derived from text: keep only what comes from readable text.
        blocks=tuple(b for b in cable.blocks if b.text in readable_text),
        participants=tuple(p for p in cable.participants if p.name in readable_text),
        part=cable.part if cable.part is None or _part_readable(views) else None,
        original_text=cable.original_text if complete else "",
        diagnostics=cable.diagnostics if complete else (),
    )


def _part_readable(views: list[PortionView]) -> bool:
    return any(v.readable and "-part" in v.portion.text.lower() for v in views)
