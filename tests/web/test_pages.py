"""The web pages through Starlette's TestClient (fixtures in ``conftest.py``: a small
archive, readers reader-u UNCLASSIFIED, reader-c CONFIDENTIAL and reviewer-s SECRET
reviewer, and a server clock at 2010-01-01, before the seed's declassification on
2017-03-01).

Numbers on a page are checked against what the page leads to: following a facet or a
histogram bar gives a search whose total is the number shown. Access is checked against
the seed's SECRET paragraphs 12 and 18, whose words must never reach a CONFIDENTIAL
reader's page.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient
from selectolax.lexbor import LexborHTMLParser
from web_support import (
    CONFIDENTIAL,
    SECRET,
    UNCLEARED,
    USERS,
    AppFactory,
    Clock,
    WebArchive,
    WebUser,
    login,
)

from cablegram.access.audit import AuditLog
from cablegram.access.users import SqliteUserStore
from cablegram.archive import Archive
from cablegram.archive.graph import RefGraph, RefLink, RefNode
from cablegram.archive.index.base import Bucket, Facets
from cablegram.archive.query import And, Field, Or, parse_query
from cablegram.archive.reading import Reader
from cablegram.web import create_app
from cablegram.web.pages import routes
from cablegram.web.pages.graph import layout
from cablegram.web.pages.search import (
    CHART_HEIGHT,
    CHART_WIDTH,
    SearchState,
    field_filter,
    highlight,
    histogram,
)

SEED_ID = "07MOSCOW1002"
PART_ONE_ID = "07MOSCOW1001"
#: Words written only in the seed's SECRET paragraphs 12 and 18.
SECRET_WORDS = ("weapon of choice", "Iskander-E")
WEB = Path(__file__).resolve().parents[2] / "src" / "cablegram" / "web"


def html(response: object) -> LexborHTMLParser:
    return LexborHTMLParser(response.text)  # type: ignore[attr-defined]


def total(page: LexborHTMLParser) -> int:
    node = page.css_first("[data-testid=total]")
    assert node is not None, "the search page shows no total"
    return int(node.attributes["data-total"] or "")


@dataclass
class Site:
    """One application for the module, each reader logged in once (a login verifies an
    argon2 hash: half a second here). `as_reader` switches the client to a reader's
    session; tests that change a session (the as-of day) log in afresh instead."""

    client: TestClient
    jars: dict[str, Any]
    csrf: dict[str, str]

    def as_reader(self, user: WebUser) -> TestClient:
        self.client.cookies = self.jars[user.name]
        return self.client


@pytest.fixture(scope="module")
def site(web_archive: WebArchive) -> Iterator[Site]:
    app = create_app(web_archive.path, clock=Clock(), key_dir=web_archive.key_dir)
    with TestClient(app, follow_redirects=False) as client:
        jars: dict[str, Any] = {}
        csrf: dict[str, str] = {}
        for user in USERS:
            client.cookies = type(client.cookies)()
            csrf[user.name] = login(client, user)
            jars[user.name] = client.cookies
        yield Site(client, jars, csrf)


@pytest.fixture
def seed(shared_dir: Path, web_archive: WebArchive) -> str:
    """The seed's id, when the test archive holds it (it does when ../shared exists)."""
    assert web_archive.has_seed
    return SEED_ID


# --- every page ------------------------------------------------------------------------

PAGES = [
    pytest.param("/search", id="search"),
    pytest.param("/search?q=ambassador&sort=-date", id="search-query"),
    pytest.param("/search?f=classification:CONFIDENTIAL&from=2000&to=2009", id="search-filters"),
    pytest.param("/search?page=2", id="search-page-2"),
    pytest.param("/cables/{id}", id="cable"),
    pytest.param("/cables/{id}/text", id="cable-text"),
    pytest.param("/cables/{id}/graph", id="graph"),
    pytest.param("/people", id="people"),
    pytest.param("/people?q=ambassador", id="people-query"),
    pytest.param("/person?key={person}", id="person"),
    pytest.param("/organisations", id="organisations"),
    pytest.param("/tag?code=PREL", id="tag"),
    pytest.param("/user", id="user"),
]


@pytest.fixture(scope="module")
def samples(site: Site) -> tuple[str, str]:
    """A cable the CONFIDENTIAL reader may see (the first hit), and a person of the index."""
    client = site.as_reader(CONFIDENTIAL)
    hit = html(client.get("/search")).css_first("[data-testid=results] li")
    person = html(client.get("/people")).css_first("[data-testid=people] a")
    assert hit is not None and person is not None
    key = parse_qs(urlsplit(person.attributes["href"] or "").query)["key"][0]
    return hit.attributes["data-id"] or "", key


@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_with_the_readers_clearance_and_day(
    site: Site, samples: tuple[str, str], path: str
) -> None:
    client = site.as_reader(CONFIDENTIAL)
    cable_id, person = samples
    response = client.get(path.format(id=cable_id, person=person))
    assert response.status_code == 200, response.text
    if path.endswith("/text"):
        assert response.headers["content-type"].startswith("text/plain")
        return
    page = html(response)
    assert page.css_first("[data-testid=clearance]").text() == "CONFIDENTIAL"
    assert page.css_first("[data-testid=as-of]").text() == "2010-01-01"
    # A plain reader has no as-of form: the day is shown, not offered.
    assert page.css_first("input[name=as_of]") is None
    assert page.css_first("a.skip-link[href='#main']") is not None


def test_the_login_page_is_public_and_posts_its_csrf_token(client: TestClient) -> None:
    response = client.get("/login?next=/people")
    assert response.status_code == 200
    form = html(response).css_first("form[method=post]")
    assert form.attributes["action"] == "/login"
    fields = {node.attributes["name"]: node.attributes.get("value") for node in form.css("input")}
    assert fields["csrf_token"] == client.cookies.get("cablegram_login")
    assert fields["next"] == "/people"
    assert {"username", "password"} <= set(fields)


def test_a_failed_login_says_so(client: TestClient) -> None:
    page = html(client.get("/login?failed=1"))
    assert "Wrong user name or password" in page.css_first("[data-testid=login-error]").text()


# --- search: facets, histogram, chips, errors -------------------------------------------


def test_each_facet_count_is_the_total_after_clicking_it(site: Site) -> None:
    client = site.as_reader(CONFIDENTIAL)
    page = html(client.get("/search?q=ambassador"))
    groups = page.css("[data-facet]")
    assert {g.attributes["data-facet"] for g in groups} >= {"tag", "origin", "classification"}
    checked = 0
    for group in groups:
        for link in group.css("a[data-count]")[:3]:
            followed = client.get(link.attributes["href"] or "")
            assert followed.status_code == 200
            after = html(followed)
            assert total(after) == int(link.attributes["data-count"] or ""), link.attributes
            chip = f"{group.attributes['data-facet']}:"
            chips = [c.text() for c in after.css("[data-testid=chip]")]
            assert any(c.startswith(chip) for c in chips), chips
            checked += 1
    assert checked >= 6


def test_each_histogram_bar_is_the_total_of_its_period(site: Site) -> None:
    client = site.as_reader(CONFIDENTIAL)
    page = html(client.get("/search"))
    bars = page.css("[data-histogram] a[data-bucket]")
    assert len(bars) >= 3
    # Every cable of the test corpus has a date: the bars add up to the total.
    assert sum(int(bar.attributes["data-count"] or "") for bar in bars) == total(page)
    for bar in bars[:4]:
        after = html(client.get(bar.attributes["href"] or ""))
        assert total(after) == int(bar.attributes["data-count"] or "")


def test_the_range_form_narrows_to_the_sum_of_its_bars(site: Site) -> None:
    client = site.as_reader(CONFIDENTIAL)
    bars = html(client.get("/search")).css("[data-histogram] a[data-bucket]")
    first, last = bars[1], bars[3]
    narrowed = html(
        client.get(
            "/search",
            params={"from": first.attributes["data-bucket"], "to": last.attributes["data-bucket"]},
        )
    )
    # Years without a cable have no bar, so the sum of the bars between is the total.
    expected = sum(int(bar.attributes["data-count"] or "") for bar in bars[1:4])
    assert total(narrowed) == expected
    chip = narrowed.css_first("[data-testid=chip]")
    assert chip.text().startswith(
        f"date:{first.attributes['data-bucket']}..{last.attributes['data-bucket']}"
    )
    # Removing the chip gives the whole result back.
    assert total(html(client.get(chip.attributes["href"] or ""))) == sum(
        int(bar.attributes["data-count"] or "") for bar in bars
    )


def test_pagination_walks_every_hit_once(site: Site) -> None:
    client = site.as_reader(CONFIDENTIAL)
    url: str | None = "/search?q=ambassador&sort=date"
    seen: list[str] = []
    expected = None
    while url:
        page = html(client.get(url))
        expected = total(page)
        seen.extend(hit.attributes["data-id"] or "" for hit in page.css("[data-testid=results] li"))
        following = page.css_first("a[rel=next]")
        url = following.attributes["href"] if following is not None else None
    assert expected is not None and expected > 20
    assert len(seen) == len(set(seen)) == expected


def test_export_links_carry_the_query_the_page_runs(site: Site) -> None:
    client = site.as_reader(CONFIDENTIAL)
    page = html(client.get("/search?q=ambassador&f=origin:MOSCOW"))
    link = page.css_first("[data-testid=export-csv]").attributes["href"] or ""
    assert urlsplit(link).path == "/api/v1/export"
    params = parse_qs(urlsplit(link).query)
    assert params == {"q": ["(ambassador) origin:MOSCOW"], "format": ["csv"]}
    exported = client.get(link)
    assert exported.status_code == 200
    rows = list(csv.reader(io.StringIO(exported.text)))[1:]
    assert len(rows) == total(page)
    assert all(row[2] == "MOSCOW" for row in rows)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        pytest.param("((ambassador", "at position", id="unclosed-parenthesis"),
        pytest.param("note:x", "at position", id="unknown-field"),
        pytest.param("*", "letter or digit", id="no-word"),
    ],
)
def test_a_malformed_query_is_shown_with_a_caret(site: Site, query: str, message: str) -> None:
    client = site.as_reader(CONFIDENTIAL)
    response = client.get("/search", params={"q": query})
    assert response.status_code == 400
    error = html(response).css_first("[data-testid=query-error] pre").text()
    assert message in error
    assert error.splitlines()[-1].strip() == "^"
    # The query box keeps what the reader typed.
    assert html(response).css_first("#q").attributes["value"] == query


def test_a_bad_date_range_is_refused_on_the_page(site: Site) -> None:
    client = site.as_reader(CONFIDENTIAL)
    response = client.get("/search", params={"from": "2007-13"})
    assert response.status_code == 400
    assert "not a date" in html(response).css_first("[data-testid=query-error]").text()


# --- the cable reader and access ---------------------------------------------------------


def test_a_confidential_reader_sees_placeholders_and_never_the_secret_words(
    site: Site, seed: str
) -> None:
    client = site.as_reader(CONFIDENTIAL)
    response = client.get(f"/cables/{seed}")
    assert response.status_code == 200
    for word in SECRET_WORDS:
        assert word not in response.text
    page = html(response)
    for number in (12, 18):
        portion = page.css_first(f"[data-portion=paragraph-{number}]")
        assert "withheld" in (portion.attributes["class"] or "")
        assert portion.css_first(".marking").text() == "(S)"
        assert f"[paragraph {number} withheld — S]" in portion.text()
    notice = page.css_first("[data-testid=withheld-notice]").text()
    assert "withheld from you as of 2010-01-01" in notice
    text = client.get(page.css_first("[data-testid=raw-text]").attributes["href"] or "").text
    assert "[paragraph 12 withheld — S]" in text
    assert not any(word in text for word in SECRET_WORDS)
    as_json = client.get(page.css_first("[data-testid=json]").attributes["href"] or "")
    assert as_json.json()["id"] == seed
    assert {"paragraph:12", "paragraph:18"} <= {w["portion"] for w in as_json.json()["withheld"]}


def test_a_secret_reader_sees_paragraphs_12_and_18(site: Site, seed: str) -> None:
    client = site.as_reader(SECRET)
    response = client.get(f"/cables/{seed}")
    page = html(response)
    assert SECRET_WORDS[0] in page.css_first("[data-portion=paragraph-12]").text()
    assert SECRET_WORDS[1] in page.css_first("[data-portion=paragraph-18]").text()
    assert page.css_first("[data-testid=withheld-notice]") is None
    assert page.css_first(".withheld") is None
    # The SBU paragraph 1 is marked in the margin as written.
    assert page.css_first("[data-portion=paragraph-1] .marking").text() == "(SBU)"


def test_the_reader_lays_out_header_tags_and_references(site: Site, seed: str) -> None:
    client = site.as_reader(SECRET)
    page = html(client.get(f"/cables/{seed}"))
    fields = page.css_first("[data-testid=header-fields]").text()
    assert "091523Z MAR 07 (2007-03-09)" in fields
    assert "E.O. 12958: DECL: 03/01/2017" in fields
    assert "AMEMBASSY MOSCOW" in fields
    tags = {li.css_first("a").text(): li.text() for li in page.css("[data-testid=tags] li")}
    assert "Russia" in tags["RS"]  # FIPS era: RS is Russia (Serbia today)
    assert "Political" in tags["PREL"]
    refs = page.css_first("[data-testid=references]")
    part_one = refs.css_first(f"a[data-ref='{PART_ONE_ID}']")
    assert part_one is not None and part_one.attributes["href"] == f"/cables/{PART_ONE_ID}"
    assert "another part of this cable" in part_one.parent.text()
    assert refs.css_first("[data-missing='07STATE3773']") is not None
    parts = [li.text() for li in page.css("[data-testid=parts] li")]
    assert parts == [f"Part 1 of 2: {PART_ONE_ID}", f"Part 2 of 2: {seed}"]
    assert page.css_first("[data-testid=parts] [aria-current=page]").text().endswith(seed)
    contents = [a.text() for a in page.css("[data-testid=contents] a")]
    assert "Space Policy" in contents
    assert page.css_first("a[rel=prev]").attributes["href"] == f"/cables/{PART_ONE_ID}"


def test_part_one_is_cited_by_the_seed(site: Site, seed: str) -> None:
    client = site.as_reader(SECRET)
    page = html(client.get(f"/cables/{PART_ONE_ID}"))
    cited = [a.attributes["href"] for a in page.css("[data-testid=cited-by] a")]
    assert f"/cables/{seed}" in cited


def test_a_cable_the_reader_may_not_see_is_not_found_like_a_missing_one(
    site: Site, web_archive: WebArchive
) -> None:
    client = site.as_reader(UNCLEARED)
    principal = SqliteUserStore(web_archive.path).get(UNCLEARED.name)
    assert principal is not None
    with Archive.open(web_archive.path) as archive:
        reader = Reader(archive.storage, principal.principal(), date(2010, 1, 1))
        hidden = next(i for i in archive.storage.ids() if reader.read(i) is None)
    invisible = client.get(f"/cables/{hidden}")
    missing = client.get("/cables/99NOWHERE1")
    assert invisible.status_code == missing.status_code == 404
    assert hidden in invisible.text and "99NOWHERE1" in missing.text
    assert invisible.text.replace(hidden, "ID") == missing.text.replace("99NOWHERE1", "ID")


def test_a_pinned_day_after_declassification_shows_the_notes(client: TestClient, seed: str) -> None:
    csrf = login(client, SECRET)
    pinned = client.post(
        "/as-of", data={"as_of": "2017-03-01", "next": f"/cables/{seed}", "csrf_token": csrf}
    )
    assert pinned.status_code == 303
    assert pinned.headers["location"] == f"/cables/{seed}"
    page = html(client.get(f"/cables/{seed}"))
    assert page.css_first("input[name=as_of]").attributes["value"] == "2017-03-01"
    note = page.css_first("[data-portion=paragraph-12] .declassified-note")
    assert note is not None and "2017-03-01" in note.text()
    # The SBU paragraph 1 is not classified: no date releases it, so no note.
    assert page.css_first("[data-portion=paragraph-1] .declassified-note") is None
    assert "Declassified on 2017-03-01" in page.css_first("[data-testid=declassification]").text()
    back = client.post("/as-of", data={"today": "1", "next": f"/cables/{seed}", "csrf_token": csrf})
    assert back.status_code == 303
    again = html(client.get(f"/cables/{seed}"))
    assert again.css_first("input[name=as_of]").attributes["value"] == "2010-01-01"
    assert again.css_first(".declassified-note") is None


def test_a_plain_reader_may_not_pin_a_day(client: TestClient) -> None:
    csrf = login(client, CONFIDENTIAL)
    refused = client.post("/as-of", data={"as_of": "2020-01-01", "csrf_token": csrf})
    assert refused.status_code == 403
    assert html(client.get("/search")).css_first("[data-testid=as-of]").text() == "2010-01-01"


def test_a_confidential_reader_after_declassification_reads_paragraph_12(
    make_app: AppFactory, seed: str
) -> None:
    later = Clock(datetime(2020, 1, 1, 9, 0, tzinfo=UTC))
    with TestClient(make_app(clock=later), follow_redirects=False) as client:
        login(client, CONFIDENTIAL)
        page = html(client.get(f"/cables/{seed}"))
    paragraph = page.css_first("[data-portion=paragraph-12]")
    assert SECRET_WORDS[0] in paragraph.text()
    assert "Declassified on 2017-03-01" in paragraph.css_first(".declassified-note").text()


def test_reads_through_the_pages_are_audited(
    site: Site, web_archive: WebArchive, seed: str
) -> None:
    client = site.as_reader(CONFIDENTIAL)
    client.get(f"/cables/{seed}")
    with AuditLog(web_archive.path, web_archive.key_dir) as log:
        reads = [e for e in log.who_read(seed) if e.principal == CONFIDENTIAL.name]
    assert reads, "the page read was not audited"
    detail = reads[-1].detail
    assert '"paragraph 12 S"' in detail and '"as_of":"2010-01-01"' in detail
    assert not any(word in detail for word in SECRET_WORDS)


# --- graph, people, tags -----------------------------------------------------------------


def test_the_graph_draws_the_neighbourhood(site: Site, seed: str) -> None:
    client = site.as_reader(SECRET)
    page = html(client.get(f"/cables/{seed}/graph"))
    nodes = {n.attributes["data-node"] for n in page.css("[data-testid=graph] [data-node]")}
    assert {seed, PART_ONE_ID, "07STATE3773"} <= nodes
    # A cited cable the archive lacks is drawn as an id only, without a link.
    assert page.css_first("a[data-node='07STATE3773']") is None
    assert page.css_first(f"a[data-node='{PART_ONE_ID}']") is not None
    edges = {
        tuple(td.text().split()[0] for td in (row.css("td")[0], row.css("td")[2]))
        for row in page.css("[data-testid=edges] tbody tr")
    }
    assert (seed, PART_ONE_ID) in edges


def test_a_person_page_lists_the_cables_naming_them(site: Site, seed: str) -> None:
    client = site.as_reader(SECRET)
    people = html(client.get("/people?q=id:" + seed))
    link = next(a for a in people.css("[data-testid=people] a") if "Kislyak" in a.text())
    page = html(client.get(link.attributes["href"] or ""))
    cables = [a.attributes["href"] for a in page.css("[data-testid=person-cables] a")]
    assert f"/cables/{seed}" in cables


@pytest.mark.parametrize("listing", ["/people", "/organisations"])
def test_listings_refuse_a_selection_too_big_to_read(
    site: Site, samples: tuple[str, str], listing: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = site.as_reader(CONFIDENTIAL)
    monkeypatch.setattr(routes, "LISTING_CABLES", 5)
    everything = client.get(listing)
    assert everything.status_code == 400
    matched = total(html(client.get("/search")))
    assert (
        f"{matched} cables match"
        in html(everything).css_first("[data-testid=listing-error]").text()
    )
    narrowed = client.get(listing, params={"q": f"id:{samples[0]}"})
    assert narrowed.status_code == 200
    assert html(narrowed).css_first("[data-testid=listing-error]") is None
    assert html(narrowed).css("tbody tr"), "the narrowed listing is empty"


def test_a_tag_page_gives_its_meanings_by_era(site: Site) -> None:
    client = site.as_reader(CONFIDENTIAL)
    page = html(client.get("/tag?code=RS"))
    meanings = page.css_first("[data-testid=tag-meanings]").text()
    assert "Russia" in meanings and "Serbia" in meanings
    tagged = int(page.css_first("[data-testid=tag-total]").attributes["data-total"] or "")
    assert tagged > 0
    search = html(client.get(page.css_first("[data-testid=tag-search]").attributes["href"] or ""))
    assert total(search) == tagged
    listed = page.css("[data-testid=results] li")
    assert len(listed) == min(tagged, 20)


# --- the user page: tokens ---------------------------------------------------------------


def test_a_token_made_on_the_user_page_works_until_revoked(site: Site) -> None:
    client = site.as_reader(UNCLEARED)
    csrf = site.csrf[UNCLEARED.name]
    made = client.post("/user/tokens", data={"label": "page test", "csrf_token": csrf})
    assert made.status_code == 200
    page = html(made)
    token = page.css_first("[data-testid=new-token]").text()
    assert token.startswith("cg_")
    # A bearer token decides who asks, whatever session cookie comes with it.
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200 and me.json()["name"] == UNCLEARED.name
    row = next(r for r in page.css("[data-testid=tokens] tbody tr") if "page test" in r.text())
    digest = row.css_first("input[name=digest]").attributes["value"]
    revoked = client.post("/user/tokens/revoke", data={"digest": digest, "csrf_token": csrf})
    assert revoked.status_code == 303
    assert "revoked" in html(client.get(revoked.headers["location"])).text()
    refused = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 401


def test_the_token_forms_need_the_csrf_token(site: Site) -> None:
    client = site.as_reader(UNCLEARED)
    assert client.post("/user/tokens", data={"label": "x"}).status_code == 403


# --- the templates and the palette -------------------------------------------------------

TEMPLATES = sorted((WEB / "templates").glob("*.html"))


@pytest.mark.parametrize("template", TEMPLATES, ids=[t.name for t in TEMPLATES])
def test_templates_need_no_inline_script_or_style(template: Path) -> None:
    """The CSP forbids inline script and style: none may be written."""
    text = template.read_text(encoding="utf-8")
    assert not re.search(r"\sstyle\s*=", text), "inline style attribute"
    assert "<style" not in text
    assert not re.search(r"\son[a-z]+\s*=", text), "inline event handler"
    for script in re.findall(r"<script[^>]*>", text):
        assert "src=" in script, script
    assert "javascript:" not in text


PALETTE_ROW = re.compile(r"^\| (.+?) \| `--([\w-]+)` \| `--([\w-]+)` \| ([\d.]+) \| ([\d.]+) \|$")


def _luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of ``#rrggbb``."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_the_palette_meets_wcag_aa_as_documented() -> None:
    css = (WEB / "static" / "cablegram.css").read_text(encoding="utf-8")
    colours = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6});", css))
    docs = (WEB.parents[2] / "docs" / "web.md").read_text(encoding="utf-8")
    rows = [m.groups() for line in docs.splitlines() if (m := PALETTE_ROW.match(line))]
    assert len(rows) >= 20
    documented = {name for _, fg, bg, _, _ in rows for name in (fg, bg)}
    assert documented == set(colours), "every colour of the stylesheet is in the table"
    for use, foreground, background, ratio, needed in rows:
        lighter, darker = sorted(
            (_luminance(colours[foreground]), _luminance(colours[background]))
        )[::-1]
        computed = (lighter + 0.05) / (darker + 0.05)
        assert f"{computed:.2f}" == ratio, f"{use}: documented {ratio}, computed {computed:.2f}"
        # WCAG 2.1 AA: 4.5 for text (1.4.3), 3 for user-interface parts and graphics
        # (1.4.11); the table says which each use is.
        assert needed in {"4.5", "3"}, use
        assert computed >= float(needed), use


# --- the page parts, without a server ----------------------------------------------------


@pytest.mark.parametrize(
    ("snippet", "expected"),
    [
        pytest.param("chaired by <b>Kislyak</b>.", "chaired by <mark>Kislyak</mark>.", id="match"),
        # 07MOSCOW1002: the index escapes the apostrophe of Shchuch'ye.
        pytest.param(
            "Shchuch&#x27;ye <b>facility</b>", "Shchuch&#39;ye <mark>facility</mark>", id="entity"
        ),
        pytest.param(
            "<script>alert(1)</script> <b>x</b>",
            "&lt;script&gt;alert(1)&lt;/script&gt; <mark>x</mark>",
            id="raw-markup-escaped",
        ),
        pytest.param(
            "&lt;b&gt;text&lt;/b&gt;", "&lt;b&gt;text&lt;/b&gt;", id="escaped-tags-stay-text"
        ),
        pytest.param(
            '<b onclick="x">y</b>', "&lt;b onclick=&#34;x&#34;&gt;y</mark>", id="attributes-escaped"
        ),
    ],
)
def test_snippet_highlight(snippet: str, expected: str) -> None:
    assert str(highlight(snippet)) == expected


@pytest.mark.parametrize(
    ("name", "value", "written"),
    [
        pytest.param("tag", "PREL", "tag:PREL", id="code"),
        pytest.param("origin", "USUNNEWYORK", "origin:USUNNEWYORK", id="origin"),
        pytest.param("tag", "STEINBERG, JAMES B.", 'tag:"STEINBERG, JAMES B."', id="person-tag"),
        pytest.param(
            "classification",
            "LIMITED OFFICIAL USE",
            'classification:"LIMITED OFFICIAL USE"',
            id="words",
        ),
        pytest.param("person", "kislyak, sergey", 'person:"kislyak, sergey"', id="person-key"),
        pytest.param("tag", 'A"B', None, id="unwritable"),
    ],
)
def test_field_filter_writes_what_the_parser_reads_back(
    name: str, value: str, written: str | None
) -> None:
    assert field_filter(name, value) == written
    if written is not None:
        parsed = parse_query(written)
        assert isinstance(parsed, Field) and (parsed.name, parsed.value) == (name, value)


@pytest.mark.parametrize(
    ("state", "query"),
    [
        pytest.param(SearchState(), "", id="everything"),
        pytest.param(
            SearchState(q="a OR b", filters=("tag:PREL",)), "(a OR b) tag:PREL", id="or-kept-apart"
        ),
        pytest.param(SearchState(start="2007"), "date:2007..", id="open-range"),
        pytest.param(
            SearchState(q="x", start="2007-01", end="2007-06"),
            "(x) date:2007-01..2007-06",
            id="range",
        ),
    ],
)
def test_the_page_query_is_the_conjunction(state: SearchState, query: str) -> None:
    assert state.query() == query
    if state.q and state.filters:
        # The reader's OR stays inside its parentheses: the filters narrow all of it.
        parsed = parse_query(state.query())
        assert isinstance(parsed, And) and isinstance(parsed.items[0], Or)


def _facets(months: dict[str, int]) -> Facets:
    years: dict[str, int] = {}
    for month, count in months.items():
        years[month[:4]] = years.get(month[:4], 0) + count
    return Facets(
        tags=(),
        origins=(),
        classifications=(),
        captions=(),
        years=tuple(Bucket(y, c) for y, c in sorted(years.items())),
        months=tuple(Bucket(m, c) for m, c in sorted(months.items())),
    )


def test_a_short_span_is_drawn_by_month_with_gaps() -> None:
    chart = histogram(_facets({"2007-01": 2, "2007-03": 4}), SearchState(q="x"), "/search")
    assert chart is not None and chart.granularity == "month"
    january, march = chart.bars
    assert (january.bucket, march.bucket) == ("2007-01", "2007-03")
    width = CHART_WIDTH / 3  # January, the empty February, March
    assert march.x == pytest.approx(2 * width + min(2.0, width / 4) / 2, abs=0.01)
    assert march.height == CHART_HEIGHT and january.height == CHART_HEIGHT / 2
    assert parse_qs(urlsplit(march.url).query) == {
        "q": ["x"],
        "from": ["2007-03"],
        "to": ["2007-03"],
    }


def test_a_long_span_is_drawn_by_year() -> None:
    chart = histogram(_facets({"2000-05": 1, "2009-12": 3}), SearchState(), "/search")
    assert chart is not None and chart.granularity == "year"
    assert [(bar.bucket, bar.count) for bar in chart.bars] == [("2000", 1), ("2009", 3)]
    assert chart.bars[1].x > CHART_WIDTH * 0.9  # ten years wide: 2009 is the last tenth
    assert chart.labels[0][1] == "2000" and chart.labels[-1][1] == "2009"


def _node(cable_id: str) -> RefNode:
    return RefNode(cable_id, datetime(2007, 3, 9, tzinfo=UTC), "MOSCOW", "S", "SECRET", None)


def _link(source: str, target: str | None, resolved: bool, depth: int) -> RefLink:
    return RefLink(source, target, "A", "cable", "text", False, resolved, False, depth)


def test_the_graph_puts_citing_cables_left_and_cited_ones_right() -> None:
    graph = RefGraph(
        root=_node("A"),
        nodes=(_node("A"), _node("B"), _node("D")),
        cites=(_link("A", "B", True, 1), _link("A", "C", False, 1), _link("B", "E", False, 2)),
        cited_by=(_link("D", "A", True, 1),),
    )
    drawn = layout(graph)
    nodes = {node.id: node for node in drawn.nodes}
    assert {i: n.column for i, n in nodes.items()} == {"A": 0, "B": 1, "C": 1, "E": 2, "D": -1}
    assert nodes["D"].x < nodes["A"].x < nodes["B"].x == nodes["C"].x < nodes["E"].x
    assert {i for i, n in nodes.items() if not n.visible} == {"C", "E"}
    assert nodes["C"].caption == "" and nodes["B"].caption == "2007-03-09 · MOSCOW"
    assert {(e.source, e.target) for e in drawn.edges} == {
        ("A", "B"),
        ("A", "C"),
        ("B", "E"),
        ("D", "A"),
    }
    assert all(edge.x1 < edge.x2 for edge in drawn.edges)  # every arrow points right
    assert drawn.width >= nodes["E"].x + drawn.node_width
