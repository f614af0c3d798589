"""Search processes: where the web application's searches run (`SearchPool`).

Run on the event loop, a search would block every other request for its duration. In
threads it would not: tantivy releases the interpreter lock while it searches and
aggregates. But what a search does in Python around that (reading its hits, snippets,
facets, their JSON) holds the lock, as does everything the event loop does; measured with
16 clients at 250,000 cables, a pool of threads answered a sixth fewer requests a second
than the same number of processes (257 and 271 against 304 and 367, two runs each, the
CPU per request being the same). ``cablegram serve`` therefore
starts ``--search-processes N`` child processes (default: the cores), each with the archive
open, and sends each search to an idle one: the event loop awaits the answer and serves
other requests meanwhile, and the searches of N readers run at once on N cores. Requests
wait in one queue for the first idle process, not in one queue per process (as one per
connection would), so a slow search never holds up a request another process could
answer.

What crosses is the call of `cablegram.archive.search.search` — the parsed query, the
reader (`Principal`), the as-of day and the page asked for — and its `SearchResult`, or
for the API that result encoded as its JSON (`cablegram.web.search_json.EncodedPage`,
which spares the server's process the decoding and encoding of every hit and bucket): the
child runs the same function on the same index, which filters by that reader, so hits,
totals, snippets and facets are what the in-process search would give. The channel is a
socket pair between this process and the child it started (length-prefixed pickles);
nothing else can write to it.

The children run at a lower scheduling priority (`NICENESS`): every request passes through
the server's process twice, briefly — to hand the search over and to write the answer —
and should not wait for a core behind a search; searches still have every core nothing
more urgent wants. (On the development machine, 16 clients and two search processes, the
p95 latency came out about a tenth lower than at the same priority.)

A child that dies fails the request it was running (`SearchProcessError`, a 500) and is
replaced. Closing the pool closes the channels; each child exits at end of file (and
ignores Ctrl-C, which the terminal sends to the whole process group: the server's
shutdown ends it).
"""

from __future__ import annotations

import asyncio
import os
import pickle
import signal
import socket
import struct
import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from cablegram.access import Principal
from cablegram.archive import Archive
from cablegram.archive.index.base import SearchResult
from cablegram.archive.query import Node
from cablegram.archive.search import search
from cablegram.web.search_json import EncodedPage, encode_page

_LENGTH = struct.Struct("!I")
_CHILD = (sys.executable, "-c", f"from {__name__} import main; main()")
"""The command of a search process, before its arguments (not ``-m``: this module is
imported already when the package is, and would run twice)."""
NICENESS = 5
"""How much a search process lowers its scheduling priority (``nice``)."""
STOP_SECONDS = 10.0
"""How long closing waits for a child to exit before killing it."""


class SearchProcessError(RuntimeError):
    """A search process died, or the search failed in it (the message says which)."""


@dataclass(frozen=True)
class SearchCall:
    """The arguments of one `cablegram.archive.search.search` call."""

    query: Node
    principal: Principal
    as_of: date
    limit: int
    offset: int
    sort: str
    facets: bool
    snippets: bool


def run_call(archive: Archive, call: SearchCall) -> SearchResult:
    """The search ``call`` asks for, on ``archive``."""
    return search(
        archive,
        call.query,
        call.principal,
        call.as_of,
        limit=call.limit,
        offset=call.offset,
        sort=call.sort,
        facets=call.facets,
        snippets=call.snippets,
    )


def _frame(value: object) -> bytes:
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    return _LENGTH.pack(len(payload)) + payload


class _Child:
    """One search process and this side of its channel."""

    def __init__(
        self,
        process: subprocess.Popen[bytes],
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
    ) -> None:
        self.process = process
        self._reader = reader
        self._writer = writer

    @classmethod
    async def start(cls, archive_dir: Path) -> _Child:
        ours, theirs = socket.socketpair()
        try:
            process = subprocess.Popen(
                [*_CHILD, str(archive_dir), str(theirs.fileno())],
                stdin=subprocess.DEVNULL,
                pass_fds=(theirs.fileno(),),
            )
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
        reader, writer = await asyncio.open_connection(sock=ours)
        return cls(process, reader, writer)

    async def ask(self, request: tuple[SearchCall, bool]) -> object:
        """The child's answer to (call, encoded); `SearchProcessError` when the search
        failed there. `OSError`, `EOFError`, `asyncio.IncompleteReadError` or
        `pickle.UnpicklingError` when the child is gone (or its channel broken)."""
        self._writer.write(_frame(request))
        await self._writer.drain()
        (size,) = _LENGTH.unpack(await self._reader.readexactly(_LENGTH.size))
        kind, value = pickle.loads(await self._reader.readexactly(size))
        if kind == "error":
            raise SearchProcessError(f"search process {self.process.pid}: {value}")
        return value

    async def stop(self) -> None:
        """Close the channel (the child exits at end of file); kill it if it lingers."""
        self._writer.close()
        for _ in range(int(STOP_SECONDS / 0.05)):
            if self.process.poll() is not None:
                return
            await asyncio.sleep(0.05)
        self.process.kill()
        self.process.wait()


class SearchPool:
    """``size`` search processes on the archive in ``archive_dir``; `search` runs a call
    on the first idle one. Start it, and close it, in the event loop that uses it."""

    def __init__(self, archive_dir: Path, size: int) -> None:
        if size < 1:
            raise ValueError(f"a search pool needs at least one process (got {size})")
        self._archive_dir = archive_dir
        self._size = size
        self._children: list[_Child] = []
        self._idle: asyncio.Queue[_Child] = asyncio.Queue()

    async def start(self) -> None:
        for _ in range(self._size):
            child = await _Child.start(self._archive_dir)
            self._children.append(child)
            self._idle.put_nowait(child)

    @property
    def pids(self) -> list[int]:
        return [child.process.pid for child in self._children]

    async def search(self, call: SearchCall) -> SearchResult:
        result = await self._ask((call, False))
        assert isinstance(result, SearchResult)
        return result

    async def search_encoded(self, call: SearchCall) -> EncodedPage:
        """`search`, encoded as the API's JSON in the child (`encode_page`)."""
        page = await self._ask((call, True))
        assert isinstance(page, EncodedPage)
        return page

    async def _ask(self, request: tuple[SearchCall, bool]) -> object:
        child = await self._idle.get()
        # Shielded: should the request be cancelled, the exchange still completes and
        # the child goes back to the pool with its channel empty.
        return await asyncio.shield(self._exchange(child, request))

    async def _exchange(self, child: _Child, request: tuple[SearchCall, bool]) -> object:
        try:
            return await child.ask(request)
        except (OSError, EOFError, asyncio.IncompleteReadError, pickle.UnpicklingError) as error:
            pid = child.process.pid
            await child.stop()
            child = await self._replace(child)
            raise SearchProcessError(f"search process {pid} ended: {error!r}") from None
        finally:
            self._idle.put_nowait(child)

    async def _replace(self, gone: _Child) -> _Child:
        fresh = await _Child.start(self._archive_dir)
        self._children[self._children.index(gone)] = fresh
        return fresh

    async def close(self) -> None:
        await asyncio.gather(*(child.stop() for child in self._children))
        self._children = []


# --- the child ---------------------------------------------------------------------------


def _receive(channel: socket.socket) -> tuple[SearchCall, bool] | None:
    """The next call and whether to encode its answer, or None at end of file."""
    head = _read(channel, _LENGTH.size)
    if head is None:
        return None
    (size,) = _LENGTH.unpack(head)
    payload = _read(channel, size)
    if payload is None:
        return None
    request: tuple[SearchCall, bool] = pickle.loads(payload)
    return request


def _read(channel: socket.socket, size: int) -> bytes | None:
    parts: list[bytes] = []
    while size:
        part = channel.recv(min(size, 1 << 20))
        if not part:
            return None
        parts.append(part)
        size -= len(part)
    return b"".join(parts)


def serve_searches(archive_dir: Path, channel: socket.socket) -> None:
    """Answer the calls that come over ``channel`` until it closes."""
    with Archive.open(archive_dir) as archive, channel:
        archive.index  # noqa: B018  (opened before the first call, not during it)
        while (request := _receive(channel)) is not None:
            call, encoded = request
            try:
                result = run_call(archive, call)
                answer: tuple[str, object] = ("result", encode_page(result) if encoded else result)
            except Exception as error:  # reported to the caller, which raises it there
                answer = ("error", f"{type(error).__name__}: {error}")
            channel.sendall(_frame(answer))


def main() -> None:
    """A search process: ``python -c 'from cablegram.web.searchers import main; main()'
    ARCHIVE_DIR FD`` (started by `SearchPool`)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.nice(NICENESS)
    archive_dir, descriptor = Path(sys.argv[1]), int(sys.argv[2])
    serve_searches(archive_dir, socket.socket(fileno=descriptor))
