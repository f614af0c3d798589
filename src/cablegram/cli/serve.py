"""`cablegram serve [--archive DIR] [--host 127.0.0.1] [--port 8000] [--search-processes N]`:
the web application.

Serves `cablegram.web.create_app` with uvicorn in one process until interrupted (Ctrl-C
stops it cleanly: the archive, user store and audit trail are closed). The default host
is the loopback address: to serve other machines, put a TLS-terminating proxy in front
and pass ``--secure-cookies`` so the session cookie is only ever sent over https.

Searches run in ``--search-processes`` child processes (default: the cores this process
may use; `cablegram.web.searchers`, which says why processes rather than threads): in
the server's own process a search would block every other request, and the searches of
several readers could not use several cores. 0 runs them in the server's process.

Before serving, the index is brought up to date with the record store
(`cablegram.cli.common.catch_up_index`): after an upgrade that changed the index's format,
every cable is re-indexed first, behind a progress bar.

The client address used by the login rate limit is the TCP peer: ``X-Forwarded-For`` is
not trusted, since anyone could write it (docs/security.md, "Web application").

Exit status 1 when there is no archive at the directory.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from cablegram.access.users import SqliteUserStore
from cablegram.archive import Archive, paths
from cablegram.archive.storage.sqlite import DATABASE_NAME
from cablegram.cli.common import catch_up_index

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
MAX_SEARCH_PROCESSES = 64


def default_search_processes() -> int:
    """The cores this process may use."""
    return len(os.sched_getaffinity(0))


def register(app: typer.Typer) -> None:
    """Add this module's commands to the application."""
    app.command("serve")(serve_command)


def serve_command(
    archive: Annotated[
        Path | None,
        typer.Option(
            "--archive", help="Archive directory (default: $CABLEGRAM_ARCHIVE or per-user)."
        ),
    ] = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = DEFAULT_HOST,
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on.")] = DEFAULT_PORT,
    secure_cookies: Annotated[
        bool,
        typer.Option(
            "--secure-cookies", help="Mark cookies Secure (behind a TLS-terminating proxy)."
        ),
    ] = False,
    search_processes: Annotated[
        int | None,
        typer.Option(
            min=0,
            max=MAX_SEARCH_PROCESSES,
            show_default="the cores",
            help="Processes that run searches (0: in the server's process).",
        ),
    ] = None,
) -> None:
    """Serve the archive's web pages and HTTP API (log in as a user of the archive)."""
    directory = paths.resolve(archive)
    if not (directory / DATABASE_NAME).is_file():
        typer.echo(f"error: no archive at {directory} (cablegram ingest creates one)", err=True)
        raise typer.Exit(1)
    store = SqliteUserStore(directory)
    try:
        users = store.count()
    finally:
        store.close()
    if not users:
        typer.echo(
            "warning: this archive has no users, so nobody can log in "
            "(cablegram user add NAME --clearance LEVEL)",
            err=True,
        )
    with Archive.open(directory) as opened:
        catch_up_index(opened)
    serve(directory, host, port, secure_cookies=secure_cookies, search_processes=search_processes)


def serve(
    directory: Path,
    host: str,
    port: int,
    *,
    secure_cookies: bool = False,
    search_processes: int | None = None,
) -> None:
    """Serve the archive in ``directory`` until interrupted; searches in
    ``search_processes`` processes (None: `default_search_processes`)."""
    # Imported here: the other commands do not load the web stack.
    import uvicorn

    from cablegram.web import create_app
    from cablegram.web.auth import Settings

    processes = search_processes if search_processes is not None else default_search_processes()
    app = create_app(
        directory,
        settings=Settings(secure_cookies=secure_cookies),
        search_processes=processes,
    )
    typer.echo(f"serving {directory} at http://{host}:{port} (Ctrl-C stops)", err=True)
    uvicorn.run(app, host=host, port=port, proxy_headers=False, log_level="info")
