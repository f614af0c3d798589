"""Benchmark of the web issue: HTTP search latency under `CLIENTS` concurrent clients at
250,000 cables, beside the same queries through the Python API in the same run.

**Archive and queries.** Those of `bench.search`: ``build/bench-archive`` (built when it
holds fewer than `bench.search.CABLES` cables, `bench.search.ensure_archive`) and its 200
mixed queries (`bench.search.mixed_queries`: words, phrases, OR, negation, tag, origin,
date-range and classification filters drawn from the shared sample).

**Reader.** The user `USER` (CONFIDENTIAL, reader and reviewer, so that it may pin the
as-of date), created in the archive when absent, reads as of `bench.search.PINNED`, the
CONFIDENTIAL reader of the search benchmark: most Cablegate-era cables are still
classified on that day, so its access filter selects other views than the operator's. A
new API token is issued for each run (the bench user's earlier tokens are revoked first).

**Server.** ``cablegram serve --archive DIR --host 127.0.0.1 --port FREE`` as a child
process, as a user would start it: one uvicorn process whose searches run in its search
processes (as many as the cores, the default; ``--search-processes`` of this script
overrides it), loopback only. Each search it serves is also written to the audit log (one
SQLite transaction), as in production. The CPU time of the server's processes (the server
and its search processes, from ``/proc``) is read around each run: CPU per request is the
figure that least depends on what else the machine is doing. So is the CPU time the whole
machine spent (``/proc/stat``): what neither the server nor the load generator used is
what other processes took from the cores meanwhile, reported beside the latencies.

**Load generator.** One asyncio process, `CLIENTS` clients, each on its own keep-alive
connection, closed loop (a client sends its next request when the previous answer has
arrived), taking the next query from the shared list. The HTTP/1.1 client is a few lines
over asyncio streams (`Connection`) rather than a general-purpose client library: on a
two-core machine the load generator shares the CPU with the server, and a heavy client
would inflate the server's figures; the generator's own CPU time is reported.

**Runs, in this order, each query warmed once first.** (1) The Python API
(`cablegram.archive.search.search`) in this process, sequentially, with the parameters the
HTTP request asks for. (2) HTTP, one client. (3) HTTP, `CLIENTS` clients. Each run makes
`ROUNDS` passes over the queries in two modes: **plain** (20 hits with snippets, no facets:
a result page) and **full** (with every facet and the histogram: the search page). Every run
stops early after `MAX_SECONDS`. The warm-up also checks that HTTP and the Python API agree
on each query's total (the two paths run the same search). Latency is from the first byte
sent to the last byte received. Target: HTTP p95 under `CLIENTS` clients ≤ 80 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from rich.console import Console

from bench.ingest import use_every_core
from bench.report import Machine, measured_on, this_machine, write_section
from bench.search import ARCHIVE, CABLES, PINNED, ensure_archive, mixed_queries, percentile
from cablegram.access.principal import Principal, Role
from cablegram.access.users import SqliteUserStore, UserError, issue_token, new_user
from cablegram.archive import Archive
from cablegram.archive.search import search
from cablegram.model import Level

NAME = "http"
CLIENTS = 16
ROUNDS = 3
LIMIT = 20
MAX_SECONDS = 120.0
"""Upper bound on each run (a run over 200 queries x `ROUNDS` normally takes seconds)."""
STARTUP_SECONDS = 120.0
TARGET_P95_MS = 80.0
HOST = "127.0.0.1"
USER = "bench-http"
TOKEN_LABEL = "bench/http.py"
_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
MODES = {"plain": False, "full": True}
"""Mode name: whether facets are asked for."""
CABLEGRAM = (sys.executable, "-c", "from cablegram.cli import main; main()")


class HttpError(RuntimeError):
    """A response the benchmark cannot use (not 200, or a broken connection)."""


class Connection:
    """One keep-alive HTTP/1.1 connection: GET requests, one at a time."""

    def __init__(self, host: str, port: int, headers: dict[str, str]) -> None:
        self._host, self._port = host, port
        self._headers = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        self._streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def get(self, target: str) -> tuple[int, bytes]:
        """(status, body) of ``GET target``; reconnects when the server closed the line."""
        if self._streams is None:
            self._streams = await asyncio.open_connection(self._host, self._port)
        reader, writer = self._streams
        request = f"GET {target} HTTP/1.1\r\nHost: {self._host}:{self._port}\r\n"
        writer.write((request + self._headers + "\r\n").encode("ascii"))
        status_line = await reader.readline()
        if not status_line:
            raise HttpError("connection closed by the server")
        status = int(status_line.split()[1])
        length, chunked, closing = 0, False, False
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding":
                chunked = b"chunked" in value.lower()
            elif name == b"connection":
                closing = b"close" in value.lower()
        body = await _chunked_body(reader) if chunked else await reader.readexactly(length)
        if closing:
            self.close()
        return status, body

    def close(self) -> None:
        if self._streams is not None:
            self._streams[1].close()
            self._streams = None


async def _chunked_body(reader: asyncio.StreamReader) -> bytes:
    parts: list[bytes] = []
    while size := int((await reader.readline()).split(b";")[0], 16):
        parts.append(await reader.readexactly(size))
        await reader.readexactly(2)
    while await reader.readline() not in (b"\r\n", b""):
        pass  # trailer fields
    return b"".join(parts)


def search_target(query: str, facets: bool) -> str:
    parameters = {"q": query, "limit": str(LIMIT), "as_of": PINNED.isoformat()}
    if facets:
        parameters["facets"] = "true"
    return "/api/v1/search?" + urllib.parse.urlencode(parameters)


@dataclass
class Run:
    """Latencies (ms) of one run by mode, its wall time, errors and the client's CPU."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: {m: [] for m in MODES})
    seconds: float = 0.0
    errors: int = 0
    client_cpu_seconds: float = 0.0
    server_cpu_seconds: float = 0.0
    """CPU time of whoever answered: the server's processes, or this one for the Python API."""
    machine_cpu_seconds: float = 0.0
    """CPU time of every process on the machine over the run (HTTP runs)."""
    requests: int = 0

    def server_cpu_ms(self) -> float:
        """The server's CPU time per request, in ms."""
        return self.server_cpu_seconds * 1000 / max(1, self.requests)

    def other_cores(self) -> float:
        """The cores other processes than the server and the load generator kept busy, on
        average over the run."""
        others = self.machine_cpu_seconds - self.server_cpu_seconds - self.client_cpu_seconds
        return max(0.0, others) / self.seconds if self.seconds else 0.0


async def load(port: int, token: str, queries: list[str], clients: int) -> Run:
    """`ROUNDS` passes over ``queries`` in each mode, by ``clients`` concurrent clients."""
    work = [(mode, query) for _ in range(ROUNDS) for mode in MODES for query in queries]
    run = Run()
    cursor = iter(work)
    deadline = time.perf_counter() + MAX_SECONDS

    async def client() -> None:
        connection = Connection(HOST, port, {"Authorization": f"Bearer {token}"})
        try:
            for mode, query in cursor:
                if time.perf_counter() > deadline:
                    return
                target = search_target(query, MODES[mode])
                started = time.perf_counter()
                try:
                    status, _ = await connection.get(target)
                except (HttpError, OSError, asyncio.IncompleteReadError):
                    connection.close()
                    status = 0
                elapsed = (time.perf_counter() - started) * 1000
                run.requests += 1
                if status == 200:
                    run.latencies[mode].append(elapsed)
                else:
                    run.errors += 1
        finally:
            connection.close()

    cpu, wall = time.process_time(), time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    run.seconds = time.perf_counter() - wall
    run.client_cpu_seconds = time.process_time() - cpu
    return run


async def http_totals(port: int, token: str, queries: list[str]) -> dict[str, dict[str, int]]:
    """Each query once in each mode (the warm-up), with the total hits the server found."""
    connection = Connection(HOST, port, {"Authorization": f"Bearer {token}"})
    totals: dict[str, dict[str, int]] = {mode: {} for mode in MODES}
    try:
        for mode, facets in MODES.items():
            for query in queries:
                status, body = await connection.get(search_target(query, facets))
                if status != 200:
                    raise HttpError(f"{status} for {query!r}: {body[:300]!r}")
                totals[mode][query] = int(json.loads(body)["total"])
    finally:
        connection.close()
    return totals


def python_api(archive_path: Path, principal: Principal, queries: list[str]) -> Run:
    """The same searches through `cablegram.archive.search.search`, sequentially."""
    run = Run()
    with Archive.open(archive_path) as archive:
        for facets in MODES.values():
            for query in queries:
                search(archive, query, principal, PINNED, limit=LIMIT, facets=facets)
        deadline = time.perf_counter() + MAX_SECONDS
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(ROUNDS):
            for mode, facets in MODES.items():
                for query in queries:
                    if time.perf_counter() > deadline:
                        break
                    started = time.perf_counter()
                    search(archive, query, principal, PINNED, limit=LIMIT, facets=facets)
                    run.latencies[mode].append((time.perf_counter() - started) * 1000)
                    run.requests += 1
        run.seconds = time.perf_counter() - wall
        run.server_cpu_seconds = time.process_time() - cpu
    return run


def python_totals(archive_path: Path, principal: Principal, queries: list[str]) -> dict[str, int]:
    with Archive.open(archive_path) as archive:
        return {
            query: search(archive, query, principal, PINNED, limit=LIMIT, snippets=False).total
            for query in queries
        }


def bench_token(archive_path: Path) -> tuple[str, Principal]:
    """A new token for `USER` (created when absent; its earlier tokens revoked)."""
    store = SqliteUserStore(archive_path)
    try:
        user = store.get(USER)
        if user is None:
            user = new_user(
                USER,
                Level.CONFIDENTIAL,
                os.urandom(16).hex(),
                frozenset({Role.READER, Role.REVIEWER}),
            )
            store.add(user)
        for old in store.tokens(USER):
            store.revoke_token(old.digest, USER)
        return issue_token(store, USER, TOKEN_LABEL), user.principal()
    except UserError as error:
        raise SystemExit(f"cannot set up the bench user: {error}") from None
    finally:
        store.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@contextmanager
def server(
    archive_path: Path, port: int, token: str, search_processes: int | None
) -> Iterator[int]:
    """``cablegram serve`` on ``port``, ready (``/api/v1/me`` answers) when its process id
    is yielded."""
    process = subprocess.Popen(
        [
            *CABLEGRAM,
            "serve",
            "--archive",
            str(archive_path),
            "--host",
            HOST,
            "--port",
            str(port),
            *(
                ("--search-processes", str(search_processes))
                if search_processes is not None
                else ()
            ),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        asyncio.run(_until_ready(process, port, token))
        yield process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def process_tree_cpu_seconds(root: int) -> float:
    """CPU time (user and system) of process ``root`` and of its live descendants, from
    ``/proc`` (Linux)."""
    parents: dict[int, int] = {}
    ticks: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text(encoding="ascii")
        except OSError:
            continue  # the process ended meanwhile
        # Fields after the parenthesised command name (which may hold spaces):
        # state ppid ... utime (14th field) stime (15th).
        fields = stat[stat.rindex(")") + 2 :].split()
        parents[int(entry.name)] = int(fields[1])
        ticks[int(entry.name)] = int(fields[11]) + int(fields[12])
    tree, grown = {root}, True
    while grown:
        children = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= children
        grown = bool(children)
    return sum(ticks.get(pid, 0) for pid in tree) / _CLOCK_TICKS


def machine_cpu_seconds() -> float:
    """CPU time the machine has spent busy since it started (all cores, ``/proc/stat``:
    user, nice, system, irq, softirq and steal; not idle or I/O wait)."""
    with Path("/proc/stat").open(encoding="ascii") as stat:
        fields = [int(value) for value in stat.readline().split()[1:9]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields
    return (user + nice + system + irq + softirq + steal) / _CLOCK_TICKS


async def _until_ready(process: subprocess.Popen[bytes], port: int, token: str) -> None:
    deadline = time.perf_counter() + STARTUP_SECONDS
    while time.perf_counter() < deadline:
        if process.poll() is not None:
            raise HttpError(f"cablegram serve exited with status {process.returncode}")
        connection = Connection(HOST, port, {"Authorization": f"Bearer {token}"})
        try:
            status, _ = await connection.get("/api/v1/me")
            if status == 200:
                return
            raise HttpError(f"/api/v1/me answered {status} to the bench token")
        except (OSError, asyncio.IncompleteReadError):
            await asyncio.sleep(0.2)
        finally:
            connection.close()
    raise HttpError(f"cablegram serve did not answer within {STARTUP_SECONDS:.0f} s")


@dataclass(frozen=True)
class Result:
    load_average: str
    """The machine's 1-minute load average when the runs began (other work competes)."""
    archive: Path
    cables: int
    queries: int
    search_processes: int
    api: Run
    one: Run
    many: Run
    mismatches: list[str]
    median_hits: float


def measured_load(server_pid: int, port: int, token: str, queries: list[str], clients: int) -> Run:
    """`load`, with the server's and the machine's CPU time over the run."""
    server_before, machine_before = process_tree_cpu_seconds(server_pid), machine_cpu_seconds()
    run = asyncio.run(load(port, token, queries, clients))
    run.server_cpu_seconds = process_tree_cpu_seconds(server_pid) - server_before
    run.machine_cpu_seconds = machine_cpu_seconds() - machine_before
    return run


def measure(archive_path: Path, console: Console, search_processes: int | None) -> Result:
    queries = [query for _, query in mixed_queries()]
    token, principal = bench_token(archive_path)
    with Archive.open(archive_path) as archive:
        cables = archive.storage.count()
    port = free_port()
    with server(archive_path, port, token, search_processes) as server_pid:
        console.print("warm-up over HTTP, and totals checked against the Python API")
        totals = asyncio.run(http_totals(port, token, queries))
        expected = python_totals(archive_path, principal, queries)
        mismatches = [
            f"{query!r}: HTTP {totals[mode][query]:,}, Python {expected[query]:,}"
            for mode in MODES
            for query in queries
            if totals[mode][query] != expected[query]
        ]
        load_average = _load_average()
        console.print("Python API, sequential")
        api = python_api(archive_path, principal, queries)
        console.print("HTTP, 1 client")
        one = measured_load(server_pid, port, token, queries, 1)
        console.print(f"HTTP, {CLIENTS} clients")
        many = measured_load(server_pid, port, token, queries, CLIENTS)
    for label, run in (("one client", one), (f"{CLIENTS} clients", many)):
        if not all(run.latencies.values()):
            raise HttpError(f"HTTP, {label}: every request of a mode failed ({run.errors} errors)")
    hits = sorted(expected.values())
    return Result(
        load_average,
        archive_path,
        cables,
        len(queries),
        # serve's default: the cores it may use, which are this process's (use_every_core).
        search_processes if search_processes is not None else len(os.sched_getaffinity(0)),
        api,
        one,
        many,
        mismatches,
        hits[len(hits) // 2],
    )


def section(result: Result, machine: Machine, day: date) -> str:
    runs = (
        ("Python API, sequential", result.api),
        ("HTTP, 1 client", result.one),
        (f"HTTP, {CLIENTS} clients", result.many),
    )
    rows = []
    for label, run in runs:
        rate = run.requests / run.seconds if run.seconds else 0.0
        for mode, values in run.latencies.items():
            cells = " | ".join(
                f"{percentile(values, s):.1f}" if values else "—" for s in (0.5, 0.95, 0.99, 1.0)
            )
            rows.append(
                f"| {label} | {mode} | {len(values):,} | {rate:,.0f} | {run.server_cpu_ms():.2f} "
                f"| {cells} |"
            )
    verdicts = {
        mode: bool(values) and percentile(values, 0.95) <= TARGET_P95_MS
        for mode, values in result.many.latencies.items()
    }
    ratios = ", ".join(
        f"{mode} p50 {_ratio(result.many, result.api, mode, 0.5)}, "
        f"p95 {_ratio(result.many, result.api, mode, 0.95)}"
        for mode in MODES
    )
    overhead = ", ".join(
        f"{mode} {_median(result.one, mode) - _median(result.api, mode):.1f} ms" for mode in MODES
    )
    many_rate = result.many.requests / result.many.seconds
    client_cpu = result.many.client_cpu_seconds * 1000 / max(1, result.many.requests)
    agreement = (
        f"HTTP and the Python API found the same totals for all {result.queries} queries in "
        "both modes."
        if not result.mismatches
        else f"**Totals differ** on {len(result.mismatches)} query-modes: "
        + "; ".join(result.mismatches[:5])
    )
    return "\n".join(
        [
            "## HTTP search under load",
            "",
            f"_{measured_on(machine, day)}._",
            "",
            f"{result.cables:,} cables (`{_shown(result.archive)}`); the {result.queries} mixed "
            "queries of `bench/search.py` as a CONFIDENTIAL reviewer pinned to "
            f"{PINNED}, token-authenticated, against `cablegram serve` (one uvicorn process, "
            f"{result.search_processes} search processes) on loopback; every HTTP search is "
            f"also written to the audit log. Plain: {LIMIT} hits with snippets; full: with "
            f"facets and the histogram. {ROUNDS} passes over the queries in each mode per "
            "run, after a warm-up (`bench/http.py`). Latencies in ms, from the first byte "
            "sent to the last byte received; requests/s over the whole run (both modes); "
            "CPU: ms of CPU time per request over the whole run, of the server's processes "
            "(of this process for the Python API). Load average when the runs began: "
            f"{result.load_average} (on {machine.cores} cores).",
            "",
            "| run | mode | requests | requests/s | CPU | p50 | p95 | p99 | max |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|",
            *rows,
            "",
            f"HTTP under {CLIENTS} clients / Python API: {ratios}. HTTP with one client "
            f"minus the Python API at p50 (HTTP, authentication, audit, JSON): {overhead}. "
            f"Median hits per query: {result.median_hits:,.0f}. Errors: "
            f"{result.one.errors + result.many.errors}. The load generator used "
            f"{client_cpu:.2f} ms of CPU per request (it shares the machine with the server). "
            f"Other processes kept {result.many.other_cores():.1f} of the {machine.cores} "
            f"cores busy during the {CLIENTS}-client run ({result.one.other_cores():.1f} "
            "during the one-client run).",
            "",
            agreement,
            "",
            f"In a closed loop the mean latency is about clients / throughput (Little's law): "
            f"{CLIENTS} / {many_rate:,.0f} requests/s = {CLIENTS * 1000 / many_rate:,.0f} ms "
            f"here. A mean of {TARGET_P95_MS:.0f} ms under {CLIENTS} clients, let alone a p95, "
            f"needs the server to answer at least {CLIENTS * 1000 / TARGET_P95_MS:,.0f} "
            "searches/s; the sequential Python API alone answers "
            f"{result.api.requests / result.api.seconds:,.0f}/s on one core of this machine.",
            "",
            f"Target (HTTP p95 under {CLIENTS} clients ≤ {TARGET_P95_MS:.0f} ms): "
            + ", ".join(
                f"{mode} {'met' if met else '**not met**'}" for mode, met in verdicts.items()
            )
            + ".",
        ]
    )


def _load_average() -> str:
    try:
        return Path("/proc/loadavg").read_text(encoding="ascii").split()[0]
    except OSError:
        return "unknown"


def _shown(path: Path) -> str:
    """``path`` relative to the repository when inside it (``build/bench-archive``)."""
    repository = Path(__file__).resolve().parents[1]
    resolved = path.resolve()
    return (
        str(resolved.relative_to(repository)) if resolved.is_relative_to(repository) else str(path)
    )


def _median(run: Run, mode: str) -> float:
    return percentile(run.latencies[mode], 0.5)


def _ratio(run: Run, base: Run, mode: str, share: float) -> str:
    return (
        f"{percentile(run.latencies[mode], share) / percentile(base.latencies[mode], share):.1f}×"
    )


def benchmark(
    console: Console,
    cables: int = CABLES,
    archive: Path = ARCHIVE,
    search_processes: int | None = None,
) -> str:
    """Build or reuse the archive, measure, print and return the section.
    ``search_processes``: the server's (default: `cablegram serve`'s, the cores)."""
    use_every_core()  # the parse benchmark pins this process; the server would inherit it
    ensure_archive(archive, cables, console)
    result = measure(archive, console, search_processes)
    body = section(result, this_machine(), date.today())
    console.print(body)
    return body


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--cables", type=int, default=CABLES)
    parser.add_argument("--archive", type=Path, default=ARCHIVE)
    parser.add_argument(
        "--search-processes", type=int, help="the server's (default: serve's, the cores)"
    )
    parser.add_argument("--no-write", action="store_true", help="print only")
    arguments = parser.parse_args()
    body = benchmark(Console(), arguments.cables, arguments.archive, arguments.search_processes)
    if not arguments.no_write:
        write_section(NAME, body)


if __name__ == "__main__":
    main()
