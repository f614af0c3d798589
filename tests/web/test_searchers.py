"""Search processes (`cablegram.web.searchers`): the same answers as a search in the
server's own process, for every reader; a search that fails, or a process that dies,
fails one request only; and an application with them serves the API and the pages.

Real child processes on the web tests' archive (`web_support.web_archive`)."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import time
from collections.abc import Awaitable, Callable
from datetime import date
from typing import TypeVar

import pytest
from fastapi.testclient import TestClient
from web_support import (
    CONFIDENTIAL,
    SECRET,
    SERVER_DAY,
    UNCLEARED,
    Clock,
    WebArchive,
    bearer,
    login,
)

from cablegram.access import Principal
from cablegram.access.audit import AuditLog
from cablegram.access.users import SqliteUserStore
from cablegram.archive import Archive
from cablegram.archive.index.base import SearchResult
from cablegram.archive.query import parse_query
from cablegram.archive.search import search
from cablegram.web import create_app
from cablegram.web.search_json import EncodedPage, facets_json, hit_json
from cablegram.web.searchers import NICENESS, SearchCall, SearchPool, SearchProcessError

T = TypeVar("T")

QUERIES = ("", "tag:PREL", "embassy OR minister", "-tag:PREL", "date:2008..2009", "Iskander")
PINNED = date(2020, 1, 1)
"""A day after the seed's declassification (2017-03-01): other views than `SERVER_DAY`."""


def principals(web_archive: WebArchive) -> list[Principal]:
    store = SqliteUserStore(web_archive.path)
    try:
        found = [store.get(user.name) for user in (UNCLEARED, CONFIDENTIAL, SECRET)]
    finally:
        store.close()
    return [user.principal() for user in found if user is not None]


def with_pool(web_archive: WebArchive, size: int, body: Callable[[SearchPool], Awaitable[T]]) -> T:
    """``body(pool)`` on a started pool, closed afterwards."""

    async def run() -> T:
        pool = SearchPool(web_archive.path, size)
        try:
            await pool.start()
            return await body(pool)
        finally:
            await pool.close()

    return asyncio.run(run())


def test_the_processes_answer_as_the_search_in_process(web_archive: WebArchive) -> None:
    calls = [
        SearchCall(parse_query(q), reader, day, limit, offset, sort, facets, snippets=True)
        for reader in principals(web_archive)
        for day in (SERVER_DAY, PINNED)
        for q in QUERIES
        for limit, offset, sort, facets in ((20, 0, "relevance", True), (5, 3, "-date", False))
    ]

    async def body(pool: SearchPool) -> tuple[list[SearchResult], list[EncodedPage]]:
        # All at once: more calls than processes, so most wait for an idle one.
        results = asyncio.gather(*(pool.search(call) for call in calls))
        pages = asyncio.gather(*(pool.search_encoded(call) for call in calls))
        return list(await results), list(await pages)

    answers, pages = with_pool(web_archive, 2, body)
    with Archive.open(web_archive.path) as archive:
        for call, answer, page in zip(calls, answers, pages, strict=True):
            expected = search(
                archive, call.query, call.principal, call.as_of, limit=call.limit,
                offset=call.offset, sort=call.sort, facets=call.facets,
            )  # fmt: skip
            assert answer == expected, call
            assert (page.total, page.hit_count) == (expected.total, len(expected.hits)), call
            assert json.loads(page.hits) == [hit_json(hit) for hit in expected.hits], call
            facets = facets_json(expected.facets) if expected.facets is not None else None
            assert (json.loads(page.facets) if page.facets else None) == facets, call
    assert any(answer.total for answer in answers)


def test_a_search_that_fails_fails_alone(web_archive: WebArchive) -> None:
    (reader, *_) = principals(web_archive)
    good = SearchCall(parse_query("tag:PREL"), reader, SERVER_DAY, 5, 0, "relevance", False, True)
    bad = SearchCall(parse_query("tag:PREL"), reader, SERVER_DAY, 5, 0, "sideways", False, True)

    async def body(pool: SearchPool) -> None:
        before = pool.pids
        with pytest.raises(SearchProcessError, match="ValueError"):
            await pool.search(bad)
        assert (await pool.search(good)).total >= 0
        assert pool.pids == before  # the process lived on

    with_pool(web_archive, 1, body)


def test_a_process_that_dies_is_replaced(web_archive: WebArchive) -> None:
    (reader, *_) = principals(web_archive)
    call = SearchCall(parse_query(""), reader, SERVER_DAY, 5, 0, "relevance", True, True)

    async def body(pool: SearchPool) -> None:
        expected = await pool.search(call)
        (pid,) = pool.pids
        os.kill(pid, signal.SIGKILL)
        with pytest.raises(SearchProcessError, match="ended"):
            await pool.search(call)
        assert pool.pids != [pid]
        assert await pool.search(call) == expected

    with_pool(web_archive, 1, body)


def test_the_processes_yield_the_cpu_to_the_server(web_archive: WebArchive) -> None:
    async def body(pool: SearchPool) -> list[int]:
        (reader, *_) = principals(web_archive)
        call = SearchCall(parse_query(""), reader, SERVER_DAY, 1, 0, "relevance", False, False)
        await asyncio.gather(*(pool.search(call) for _ in range(4)))  # each has started
        return [os.getpriority(os.PRIO_PROCESS, pid) for pid in pool.pids]

    ours = os.getpriority(os.PRIO_PROCESS, 0)
    assert with_pool(web_archive, 2, body) == [min(ours + NICENESS, 19)] * 2


def test_closing_stops_the_processes(web_archive: WebArchive) -> None:
    async def body(pool: SearchPool) -> list[int]:
        return pool.pids

    pids = with_pool(web_archive, 2, body)
    deadline = time.monotonic() + 10
    alive = set(pids)
    while alive and time.monotonic() < deadline:
        for pid in list(alive):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                alive.discard(pid)
        time.sleep(0.05)
    assert not alive


def test_an_application_searches_in_its_processes(
    web_archive: WebArchive, client: TestClient
) -> None:
    """The API and the pages of an application with search processes answer as those
    of one without (`client`), and the searches are audited."""
    app = create_app(
        web_archive.path, clock=Clock(), key_dir=web_archive.key_dir, search_processes=1
    )
    with TestClient(app, follow_redirects=False) as pooled:
        state = app.state.web
        assert state.searches is not None and len(state.searches.pids) == 1
        for params in ({"q": "tag:PREL", "facets": "true"}, {"q": "", "sort": "-date"}):
            answers = [
                c.get("/api/v1/search", params=params, headers=bearer(web_archive, CONFIDENTIAL))
                for c in (pooled, client)
            ]
            assert [a.status_code for a in answers] == [200, 200]
            assert answers[0].json() == answers[1].json()
        malformed = pooled.get(
            "/api/v1/search", params={"q": "(a b"}, headers=bearer(web_archive, SECRET)
        )
        assert malformed.status_code == 400
        login(pooled, SECRET)
        page = pooled.get("/search", params={"q": "tag:PREL"})
        assert page.status_code == 200
        assert "tag:PREL" in page.text
    with AuditLog(web_archive.path, web_archive.key_dir) as log:
        searched = [e.target for e in log.entries(user=SECRET.name, action="search")]
    assert searched[-1] == "(tag:PREL)"  # the page runs the query box in parentheses
