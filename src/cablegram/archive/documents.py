"""A stored cable as index documents: one per distinct view of it (issue 4, item 4).

`cablegram.access.views.views` lists the views of a cable: for each access class
(nationality ``us`` / ``rel:XXX`` / ``foreign``, declassification regime ``always`` /
``before`` / ``after``, clearance-rank interval) the portions its readers may read,
decided by `cablegram.access.decision`. Many classes read the same portions (an
UNCLASSIFIED cable reads the same for everyone; after its declassification day a
CONFIDENTIAL cable reads the same for every US reader above the public), so the views
that hold the same portions become **one** document listing every class that reads it, as
``nation/rank`` tokens (`cablegram.archive.index.base.class_token`): a class reads the
document on every day when its view is the same on both sides of the cable's
declassification day (or the cable never changes), else only before that day or from it
on, and then the document lists that side too (``nation/rank@before``,
``nation/rank@after``). A reader's query names their class and the as-of day
(`cablegram.archive.index.tantivy_query.for_reader`); each class reads exactly one view
on any day, so exactly one document of each visible cable matches. This departs from the
design's one document per view with a ``[lo, hi]`` rank interval and a regime, for the
sake of size and speed: a cable has fewer documents (the documents are the bulk of the
index's size and of its share of ingest time: merging across the declassification day
makes 28 % fewer documents and a third less text on the shared sample than one document
per view of each regime).

Fields shared by every document of a cable (see `IndexDoc`): the handling metadata (id,
date, origin, banner classification, TAGS, captions, reference ids) that every reader of
any portion may see (issue 4, item 2); the channel tokens of a channel cable and the
eligibility caveats (`cablegram.access.views`), the declassification day. Per document:
its classes, the body (the view's portion texts: subject, introduction, headings,
paragraphs, signature), the subject when the view reads it, the subject as shown (text or
placeholder) and the people named in the view's portions or in handling metadata
(Classified By, TAGS).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Protocol

from cablegram.access import CableAccess, Portion, PortionView
from cablegram.access.portions import banner, portions
from cablegram.access.views import channel_tokens, eligibility_tokens, views
from cablegram.archive.index.base import (
    AFTER,
    BEFORE,
    FOREVER,
    RESTRICTED,
    IndexDoc,
    class_token,
    day_number,
)
from cablegram.archive.people import person_terms
from cablegram.archive.storage.base import Mention
from cablegram.model import Cable


class Indexable(Protocol):
    """What the index documents of a cable version are made from: a `StoredVersion`, or a
    cable an ingest worker prepares before it is stored (`cablegram.archive.ingest`)."""

    @property
    def cable_id(self) -> str: ...
    @property
    def version(self) -> int: ...
    @property
    def cable(self) -> Cable: ...


def documents(
    stored: Indexable, access: CableAccess, mentions: Sequence[Mention] = ()
) -> list[IndexDoc]:
    """The index documents of a cable version; ``mentions`` are its people
    (`cablegram.archive.storage.base.Storage.mentions`)."""
    cable = stored.cable
    # Views that read the same portions are one document, whatever their regime: a class
    # whose view is the same on both sides of the declassification day reads it always.
    sides: dict[tuple[Portion, ...], dict[tuple[str, int], list[str]]] = {}
    rel_nations: set[str] = set()
    cable_portions = portions(cable)
    for view in views(cable, access, cable_portions):
        classes = sides.setdefault(view.portions, {})
        for rank in range(view.lo, view.hi + 1):
            classes.setdefault((view.nation, rank), []).append(view.regime)
        if view.nation.startswith("rel:"):
            rel_nations.add(view.nation)
    template = IndexDoc(
        cable_id=stored.cable_id,
        version=stored.version,
        access=(),
        declassified_on=(
            day_number(access.declassified_on) if access.declassified_on is not None else FOREVER
        ),
        rel_nations=tuple(sorted(rel_nations)),
        channels=() if access.channel is None else (RESTRICTED, *channel_tokens(access)),
        eligibility=eligibility_tokens(cable, cable_portions),
        subject=None,
        shown_subject="",
        body="",
        date=cable.dtg,
        origin=cable.origin,
        classification=banner(cable).level.word,
        # Distinct values: a facet counts a cable once however often it repeats a tag.
        tags=tuple(dict.fromkeys(tag.code for tag in cable.tags)),
        captions=tuple(dict.fromkeys(cable.captions)),
        refs=tuple(dict.fromkeys(ref.id for ref in cable.references if ref.id)),
    )
    subject = next((p for p in cable_portions if p.key == "subject"), None)
    found: list[IndexDoc] = []
    for readable, classes in sides.items():
        keys = {portion.key for portion in readable}
        found.append(
            replace(
                template,
                access=_access(classes),
                subject=subject.text if subject is not None and "subject" in keys else None,
                shown_subject=_shown(subject, "subject" in keys),
                body="\n\n".join(portion.text for portion in readable if portion.text),
                persons=_persons(mentions, keys),
            )
        )
    return found


#: The side of the declassification day a view's regime reads on (None: every day).
_SIDES = {"always": None, "before": BEFORE, "after": AFTER}


def _access(classes: dict[tuple[str, int], list[str]]) -> tuple[str, ...]:
    """The class tokens of a document: each class that reads it on some day, and, for a
    class that reads it on one side of the declassification day only, that side too."""
    tokens: list[str] = []
    for (nation, rank), regimes in classes.items():
        tokens.append(class_token(nation, rank))
        side = _SIDES[regimes[0]] if len(regimes) == 1 else None
        if side is not None:
            tokens.append(class_token(nation, rank, side))
    return tuple(tokens)


def _shown(portion: Portion | None, readable: bool) -> str:
    """A portion's text, or its placeholder when withheld; empty when the cable has none."""
    if portion is None:
        return ""
    return PortionView(portion, readable=readable, declassified=False).shown


def _persons(mentions: Sequence[Mention], keys: set[str]) -> tuple[str, ...]:
    terms: dict[str, None] = {}
    for mention in mentions:
        if mention.portion is None or mention.portion in keys:
            terms.update(dict.fromkeys(person_terms(mention.person)))
    return tuple(terms)
