"""Hypothesis strategies for consistent `Cable` models, covering every field of the model.

``cables()`` draws whole cables; the building blocks (``markings()``, ``addressees()``,
``references()``, ``tag_lists()``, ``paragraph_texts()`` ...) are public for other suites,
and ``SEED_CABLE`` is the seed 07MOSCOW1002 as a hand-written model. Modules: ``text``
(vocabulary, prose), ``markings``, ``envelope`` (FL1-FL9), ``head`` (captions to Classified
By), ``body`` (paragraphs and derived fields), ``cables``, ``seed``.

Consistency is what the canonical layout requires (``/work/briefs/canonical-layout.md``):
the id is canonical_id(DTG year, origin, serial); FL3's station serial is the serial's
last four digits and its ``/nn`` the first rendered section; FL2's doubled prosign is the
highest of FL5's; an SBU cable carries the SENSITIVE caption and an UNCLAS one does not;
the banner's caveats are exactly the caveat captions (NOFORN, ORCON, PROPIN) and its
release list a ``REL TO`` caption; derived fields (``blocks``, ``participants``, ``part``)
are set from the paragraph text as it is generated, independently of the reader.

Text follows the reader's rules: words come from a realistic vocabulary with no digits (so
no wrapped line looks like a paragraph number, page header or classification line), no
caption words or labels, single spaces; every block ends with terminal punctuation after a
lowercase word (so the last line of a cable is never mistaken for a signature); hard line
breaks only after short lines (list items and participant lines, at most 45 characters),
so the next word would always have fitted.

Realism over exhaustiveness where the two conflict: multi-section cables carry a full
envelope (sections are a transmission feature); a lone later section (``Section(2, 3)``)
carries no captions-through-Classified-By block and no signature unless it is the last;
FLASH is never dual with a lower precedence (ACP 127 §152.e); envelope precedences are the
four ACP prosigns (NIACT IMMEDIATE travels as O, read back as IMMEDIATE).
"""

from strategies.body import bodies, framed_paragraphs, part_paragraphs, participant_paragraphs
from strategies.cables import cables
from strategies.envelope import addressees, dtgs, envelopes, recipients
from strategies.head import (
    caption_lists,
    classified_bys,
    declassifications,
    heads,
    reference_lists,
    references,
    subjects,
    tag_lists,
)
from strategies.markings import banners, markings, portion_markings, release_lists
from strategies.seed import SEED_CABLE
from strategies.text import list_blocks, paragraph_texts, sentences

__all__ = [
    "SEED_CABLE",
    "addressees",
    "banners",
    "bodies",
    "cables",
    "caption_lists",
    "classified_bys",
    "declassifications",
    "dtgs",
    "envelopes",
    "framed_paragraphs",
    "heads",
    "list_blocks",
    "markings",
    "paragraph_texts",
    "part_paragraphs",
    "participant_paragraphs",
    "portion_markings",
    "recipients",
    "reference_lists",
    "references",
    "release_lists",
    "sentences",
    "subjects",
    "tag_lists",
]
