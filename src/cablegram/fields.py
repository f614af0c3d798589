"""Standalone field readers: each takes a fragment of cable text.

Researchers parse fragments too (a REF list copied from a page, a TAGS line, a DTG), so
every field the reader understands is available on its own. ``parse`` composes them.
"""

from cablegram.read.addressees import Recipients, address, originator, recipients
from cablegram.read.classification import captions, classification_line
from cablegram.read.classified_by import classified_by
from cablegram.read.declassification import declassification
from cablegram.read.envelope import dtg
from cablegram.read.marking import portion_marking
from cablegram.read.paragraphs import paragraphs, signature
from cablegram.read.references import references
from cablegram.read.subject import Subject, subject
from cablegram.read.tags import tags

__all__ = [
    "Recipients",
    "Subject",
    "address",
    "captions",
    "classification_line",
    "classified_by",
    "declassification",
    "dtg",
    "originator",
    "paragraphs",
    "portion_marking",
    "recipients",
    "references",
    "signature",
    "subject",
    "tags",
]
