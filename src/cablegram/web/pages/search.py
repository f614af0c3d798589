"""The search page's state and what it shows: the query, filters, facets, histogram, hits.

The page keeps the reader's own query text (``q``, the query language of
``docs/query-language.md``) apart from the filters added by clicking (``f``: one field
filter each, ``tag:PREL``, ``origin:MOSCOW``, ``classification:SECRET``,
``caption:SIPDIS``) and the date range chosen on the histogram (``from``/``to``: ``YYYY``,
``YYYY-MM`` or ``YYYY-MM-DD``). The query run is their conjunction,
``(q) f1 f2 date:from..to``, so the query box keeps what the reader typed and each filter
shows as a removable chip. The same conjunction is what the export links send to
``/api/v1/export``: an export holds exactly the cables the page counts.

Facets and the histogram come from the same search (`cablegram.archive.index.base.Facets`),
so a facet's count is the total the page shows after clicking it, and a bar's height is
the total after choosing its year or month; both count only what the reader may see on
the as-of day (the index filters by reader, issue 4).

The histogram is an SVG drawn here: one bar per year, or per month when the matching
cables span at most `MONTHS_UP_TO` months, with empty years or months drawn as gaps so
the axis is linear. Each bar is a link choosing its bucket (keyboard: Tab to it, Enter);
``static/cablegram.js`` lets a pointer drag across bars to choose a range, which fills
the range form under the chart (also usable by hand) and submits it.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from markupsafe import Markup, escape

from cablegram.archive.index.base import Bucket, Facets, Hit, SearchResult
from cablegram.archive.query import QuerySyntaxError, date_bounds, parse_query
from cablegram.web.pages.common import badge_class

PAGE_SIZE = 20
SORTS = (("relevance", "Relevance"), ("-date", "Newest first"), ("date", "Oldest first"))
FACET_GROUPS = (
    ("tag", "Tags", "tags"),
    ("origin", "Origins", "origins"),
    ("classification", "Classification", "classifications"),
    ("caption", "Captions", "captions"),
)
"""(query field, heading, `Facets` attribute) of the facet lists, in page order."""
MONTHS_UP_TO = 36
"""The histogram shows months when the matches span at most this many months."""
CHART_WIDTH = 1000
CHART_HEIGHT = 120
AXIS_HEIGHT = 16
AXIS_LABELS = 8
"""At most this many bucket labels under the bars (more would overlap)."""
_BARE_VALUE = re.compile(r"[A-Za-z0-9_./-]+")


class SearchFormError(ValueError):
    """A query, filter or date the page cannot run; the message is shown to the reader."""


@dataclass(frozen=True)
class SearchState:
    """What the reader asked for: everything the page's URL carries."""

    q: str = ""
    filters: tuple[str, ...] = ()
    start: str = ""
    end: str = ""
    sort: str = "relevance"
    page: int = 1

    def query(self) -> str:
        """The conjunction run by the index (and sent to the export)."""
        parts = [f"({self.q})"] if self.q.strip() else []
        parts.extend(self.filters)
        if self.start or self.end:
            parts.append(f"date:{self.start}..{self.end}")
        return " ".join(parts)

    def check(self) -> None:
        """Raise `SearchFormError` for anything the index would refuse."""
        if self.sort not in {key for key, _ in SORTS}:
            raise SearchFormError(f"unknown sort {self.sort!r}")
        for end in (self.start, self.end):
            if end and date_bounds(end) is None:
                raise SearchFormError(f"not a date: {end!r} (use YYYY, YYYY-MM or YYYY-MM-DD)")
        try:
            parse_query(self.q)
        except QuerySyntaxError as error:
            raise SearchFormError(str(error)) from None
        for item in self.filters:
            try:
                parse_query(item)
            except QuerySyntaxError as error:
                raise SearchFormError(f"filter {item!r}: {error.message}") from None

    def params(self) -> list[tuple[str, str]]:
        found = [("q", self.q)] if self.q else []
        found.extend(("f", item) for item in self.filters)
        if self.start:
            found.append(("from", self.start))
        if self.end:
            found.append(("to", self.end))
        if self.sort != "relevance":
            found.append(("sort", self.sort))
        if self.page != 1:
            found.append(("page", str(self.page)))
        return found

    def url(self, base: str) -> str:
        params = self.params()
        return f"{base}?{urlencode(params)}" if params else base


def field_filter(name: str, value: str) -> str | None:
    """``name:value``, quoted when needed; None for a value the language cannot write
    (it has no escape for a double quote)."""
    if '"' in value:
        return None
    return f"{name}:{value}" if _BARE_VALUE.fullmatch(value) else f'{name}:"{value}"'


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    key: str = ""
    """A stable name for tests and scripts (the export's format)."""


@dataclass(frozen=True)
class FacetEntry:
    value: str
    count: int
    url: str | None
    """None when the filter is applied already (or cannot be written)."""


@dataclass(frozen=True)
class FacetGroup:
    name: str
    title: str
    entries: tuple[FacetEntry, ...]


@dataclass(frozen=True)
class Bar:
    bucket: str
    count: int
    x: float
    y: float
    width: float
    height: float
    url: str
    chosen: bool


@dataclass(frozen=True)
class Histogram:
    granularity: str
    """``year`` or ``month``."""
    bars: tuple[Bar, ...]
    labels: tuple[tuple[float, str], ...]
    """(x of the bar's centre, text) for the labelled buckets."""
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT + AXIS_HEIGHT
    chart_height: int = CHART_HEIGHT


@dataclass(frozen=True)
class HitView:
    id: str
    url: str
    date: str
    origin: str
    subject: str
    classification: str
    badge: str
    snippet: Markup | None


@dataclass(frozen=True)
class SearchPage:
    state: SearchState
    total: int
    hits: tuple[HitView, ...]
    facets: tuple[FacetGroup, ...]
    histogram: Histogram | None
    chips: tuple[Link, ...]
    """The applied filters and date range, each linking to the page without it."""
    pages: int
    previous: str | None
    following: str | None
    first_shown: int
    last_shown: int
    sorts: tuple[tuple[str, str], ...] = SORTS
    exports: tuple[Link, ...] = field(default_factory=tuple)


def highlight(snippet: str) -> Markup:
    """The index's snippet (matched words in ``<b>``, the rest HTML-escaped) as markup
    with ``<mark>`` around the matches. The text between the tags is unescaped and escaped
    again, so that nothing but the highlight can reach the page as markup."""
    parts = re.split(r"(</?b>)", snippet)
    out: list[str] = []
    for part in parts:
        if part == "<b>":
            out.append("<mark>")
        elif part == "</b>":
            out.append("</mark>")
        else:
            out.append(str(escape(html.unescape(part))))
    return Markup("".join(out))


def hit_view(hit: Hit, cable_url: str) -> HitView:
    return HitView(
        id=hit.cable_id,
        url=cable_url,
        date=hit.date.date().isoformat() if hit.date else "",
        origin=hit.origin or "",
        subject=hit.subject,
        classification=hit.classification or "",
        badge=badge_class(hit.classification),
        snippet=highlight(hit.snippet) if hit.snippet else None,
    )


def facet_groups(facets: Facets, state: SearchState, base: str) -> tuple[FacetGroup, ...]:
    groups: list[FacetGroup] = []
    for name, title, attribute in FACET_GROUPS:
        buckets: tuple[Bucket, ...] = getattr(facets, attribute)
        entries: list[FacetEntry] = []
        for bucket in buckets:
            written = field_filter(name, bucket.value)
            url = None
            if written is not None and written not in state.filters:
                chosen = replace(state, filters=(*state.filters, written), page=1)
                url = chosen.url(base)
            entries.append(FacetEntry(bucket.value, bucket.count, url))
        if entries:
            groups.append(FacetGroup(name, title, tuple(entries)))
    return tuple(groups)


def _month_span(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    end = (int(last[:4]), int(last[5:7]))
    found: list[str] = []
    while (year, month) <= end:
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def histogram(facets: Facets, state: SearchState, base: str) -> Histogram | None:
    """The date histogram of the matching cables (None when none has a date)."""
    if not facets.months:
        return None
    months = _month_span(facets.months[0].value, facets.months[-1].value)
    if len(months) <= MONTHS_UP_TO:
        granularity, buckets = "month", months
        counts = {b.value: b.count for b in facets.months}
    else:
        granularity = "year"
        first, last = int(facets.years[0].value), int(facets.years[-1].value)
        buckets = [str(year) for year in range(first, last + 1)]
        counts = {b.value: b.count for b in facets.years}
    highest = max(counts.values())
    width = CHART_WIDTH / len(buckets)
    gap = min(2.0, width / 4)
    bars: list[Bar] = []
    for position, bucket in enumerate(buckets):
        count = counts.get(bucket, 0)
        if count == 0:
            continue
        height = max(1.0, CHART_HEIGHT * count / highest)
        chosen = replace(state, start=bucket, end=bucket, page=1)
        bars.append(
            Bar(
                bucket=bucket,
                count=count,
                x=round(position * width + gap / 2, 2),
                y=round(CHART_HEIGHT - height, 2),
                width=round(width - gap, 2),
                height=round(height, 2),
                url=chosen.url(base),
                chosen=state.start == bucket and state.end == bucket,
            )
        )
    step = math.ceil(len(buckets) / AXIS_LABELS)
    labels = tuple(
        (round((position + 0.5) * width, 2), bucket)
        for position, bucket in enumerate(buckets)
        if position % step == 0 or position == len(buckets) - 1
    )
    return Histogram(granularity, tuple(bars), labels)


def chips(state: SearchState, base: str) -> tuple[Link, ...]:
    found = [
        Link(
            item,
            replace(state, filters=tuple(f for f in state.filters if f != item), page=1).url(base),
        )
        for item in state.filters
    ]
    if state.start or state.end:
        label = f"date:{state.start}..{state.end}"
        found.append(Link(label, replace(state, start="", end="", page=1).url(base)))
    return tuple(found)


def search_page(
    state: SearchState,
    result: SearchResult | None,
    base: str,
    cable_url: str,
    exports: tuple[Link, ...] = (),
) -> SearchPage:
    """The page for ``result`` (the search of ``state.query()``, page ``state.page``;
    None when the query could not be run).

    ``cable_url`` is a template with ``{id}``: the reader's page of a cable."""
    if result is None:
        result = SearchResult(0, ())
    pages = max(1, math.ceil(result.total / PAGE_SIZE))
    previous = replace(state, page=state.page - 1).url(base) if state.page > 1 else None
    following = replace(state, page=state.page + 1).url(base) if state.page < pages else None
    first = (state.page - 1) * PAGE_SIZE
    return SearchPage(
        state=state,
        total=result.total,
        hits=tuple(hit_view(hit, cable_url.format(id=hit.cable_id)) for hit in result.hits),
        facets=facet_groups(result.facets, state, base) if result.facets else (),
        histogram=histogram(result.facets, state, base) if result.facets else None,
        chips=chips(state, base),
        pages=pages,
        previous=previous,
        following=following,
        first_shown=first + 1 if result.hits else 0,
        last_shown=first + len(result.hits),
        exports=exports,
    )
