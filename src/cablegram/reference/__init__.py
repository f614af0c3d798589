"""Reference data: TAGS tables by era, posts and origins, routing indicators (spec §1.4, §2.5,
§2.6).

Pure functions over package data (``cablegram/data/*.tsv``, each with its provenance lines),
read lazily once. The modules carry the domain notes: `eras` (which geographic code table a
date picks, and why), `tags` (kinds and meanings), `posts` (origins of canonical ids),
`routing` (routing indicators, State addressees).
"""

from cablegram.reference.eras import geographic_era
from cablegram.reference.posts import (
    canonical_origin,
    known_origins,
    origin_for_originator,
    origin_for_routing_indicator,
    post_address,
)
from cablegram.reference.routing import (
    RoutingIndicator,
    is_known_routing_indicator,
    is_state_addressee,
    routing_indicator,
    routing_indicators_for,
)
from cablegram.reference.tags import classify_tag, is_known_tag, tag_meaning

__all__ = [
    "RoutingIndicator",
    "canonical_origin",
    "classify_tag",
    "geographic_era",
    "is_known_routing_indicator",
    "is_known_tag",
    "is_state_addressee",
    "known_origins",
    "origin_for_originator",
    "origin_for_routing_indicator",
    "post_address",
    "routing_indicator",
    "routing_indicators_for",
    "tag_meaning",
]
