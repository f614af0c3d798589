"""Parser accuracy against a corpus with independent metadata (``cablegram accuracy``).

`load_records` reads the corpus, `evaluate` parses each record's text and scores id, date
(to the hour), classification level, NOFORN and tags for full cables and partial extracts
separately, leaving out and listing what the publisher's metadata gets wrong. Figures and
rules are documented in ``docs/accuracy.md``.
"""

from cablegram.evaluate.corpus import DEFAULT_CORPUS, Group, Record, group_of, load_records
from cablegram.evaluate.fields import Field
from cablegram.evaluate.metadata import MetadataError, Rule, metadata_errors
from cablegram.evaluate.score import THRESHOLDS, Evaluation, FieldScore, Miss, TokenScore, evaluate

__all__ = [
    "DEFAULT_CORPUS",
    "THRESHOLDS",
    "Evaluation",
    "Field",
    "FieldScore",
    "Group",
    "MetadataError",
    "Miss",
    "Record",
    "Rule",
    "TokenScore",
    "evaluate",
    "group_of",
    "load_records",
    "metadata_errors",
]
