"""Markings: any marking, a cable's banner, and portion marks the banner covers."""

from __future__ import annotations

from hypothesis import strategies as st

from cablegram.model import Level, Marking
from cablegram.model.marking import CAVEAT_ORDER

CAVEAT_CAPTIONS = ("NOFORN", "ORCON", "PROPIN")
"""Caveats written as captions (the reader folds them into the banner)."""
RELEASE_COUNTRIES = ("GBR", "AUS", "CAN", "NZL", "FRA", "DEU", "NATO", "ISR", "JPN")


@st.composite
def release_lists(draw: st.DrawFn) -> tuple[str, ...]:
    others = draw(st.lists(st.sampled_from(RELEASE_COUNTRIES), min_size=1, max_size=4, unique=True))
    lead = draw(st.sampled_from(((), ("USA",))))
    return (*lead, *others)


@st.composite
def markings(
    draw: st.DrawFn,
    levels: tuple[Level, ...] = tuple(Level),
    caveats: tuple[str, ...] = CAVEAT_ORDER,
) -> Marking:
    """Any marking: level, caveats (NOFORN ... FOUO) and a release list when not NOFORN."""
    level = draw(st.sampled_from(levels))
    chosen = frozenset(draw(st.lists(st.sampled_from(caveats), unique=True, max_size=3)))
    rel_to: tuple[str, ...] = ()
    if "NOFORN" not in chosen and draw(st.booleans()):
        rel_to = draw(release_lists())
    return Marking(level, chosen, rel_to)


@st.composite
def banners(draw: st.DrawFn) -> Marking:
    """A cable's banner as State writes it: caveats and release lists only when classified
    (SBU may be NOFORN: ``SBU/N``), caveats among those that have captions."""
    level = draw(st.sampled_from(tuple(Level)))
    if level.is_classified:
        return draw(markings(levels=(level,), caveats=CAVEAT_CAPTIONS))
    if level is Level.SBU and draw(st.booleans()):
        return Marking(level, frozenset({"NOFORN"}))
    return Marking(level)


@st.composite
def portion_markings(draw: st.DrawFn, banner: Marking) -> Marking:
    """A portion mark the banner covers: level at most the banner's, caveats among its."""
    levels = tuple(
        level for level in Level if level.rank < banner.level.rank or level is banner.level
    )
    level = draw(st.sampled_from(levels))
    if level.is_classified:
        allowed = sorted(banner.caveats)
    elif level is Level.SBU:
        allowed = sorted(banner.caveats & {"NOFORN"})  # SBU NOFORN: ``(SBU/N)``
    else:
        allowed = []
    caveats = frozenset(draw(st.lists(st.sampled_from(allowed), unique=True)) if allowed else ())
    rel_to = banner.rel_to if level.is_classified and draw(st.booleans()) else ()
    return Marking(level, caveats, rel_to)
