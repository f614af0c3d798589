"""`cablegram user add|list|set|remove` and `cablegram token create|revoke|list`.

The CLI with direct access to the archive's files is the trusted local operator: it
manages users and tokens directly. Every change is written to the audit trail.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from cablegram.access.audit import AuditLog
from cablegram.access.principal import Role
from cablegram.access.users import (
    SqliteUserStore,
    UserError,
    generate_password,
    hash_password,
    issue_token,
    new_user,
)
from cablegram.archive.paths import resolve
from cablegram.model import Level

users = typer.Typer(help="Manage the users of an archive.", no_args_is_help=True)
tokens = typer.Typer(help="Issue and revoke API tokens.", no_args_is_help=True)

ArchiveOption = Annotated[
    Path | None, typer.Option("--archive", help="Archive directory (default: per-user data dir).")
]
ClearanceOption = Annotated[
    str | None,
    typer.Option(help="UNCLASSIFIED, SBU, CONFIDENTIAL, SECRET or TOP_SECRET (or U, C, S, TS)."),
]
RolesOption = Annotated[
    list[str] | None,
    typer.Option("--role", help="reader, drafter, clearer, releaser, reviewer, admin (repeat)."),
]
ChannelsOption = Annotated[
    list[str] | None, typer.Option("--channel", help="Channel authorisation: NODIS, EXDIS …")
]
OfficesOption = Annotated[
    list[str] | None, typer.Option("--office", help="Office membership: a post or bureau.")
]
CaveatsOption = Annotated[
    list[str] | None, typer.Option("--caveat", help="Caveat eligibility: ORCON, PROPIN.")
]
ForeignOption = Annotated[
    str | None,
    typer.Option("--foreign", help="A foreign liaison user of this country (REL TO code)."),
]


def register(app: typer.Typer) -> None:
    """Add this module's commands to the application."""
    app.add_typer(users, name="user")
    app.add_typer(tokens, name="token")


def _level(text: str) -> Level:
    try:
        return Level[text.upper()] if text.upper() in Level.__members__ else Level.from_name(text)
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None


def _roles(names: list[str] | None) -> frozenset[Role]:
    try:
        return frozenset(Role(name.lower()) for name in names or ["reader"])
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None


def _fail(error: Exception) -> typer.Exit:
    Console(stderr=True).print(f"[red]error:[/] {error}")
    return typer.Exit(1)


@users.command("add")
def add(
    name: str,
    archive: ArchiveOption = None,
    clearance: ClearanceOption = None,
    role: RolesOption = None,
    channel: ChannelsOption = None,
    office: OfficesOption = None,
    caveat: CaveatsOption = None,
    foreign: ForeignOption = None,
    password: Annotated[
        str | None, typer.Option(help="The password (default: generate one and print it).")
    ] = None,
) -> None:
    """Add a user (the first user of an archive is usually its admin)."""
    directory = resolve(archive)
    store = SqliteUserStore(directory)
    chosen = password or generate_password()
    try:
        user = new_user(
            name,
            _level(clearance) if clearance else Level.UNCLASSIFIED,
            chosen,
            _roles(role),
            us_person=foreign is None,
            country=foreign.upper() if foreign else None,
            caveats=frozenset(c.upper() for c in caveat or []),
            channels=frozenset(c.upper() for c in channel or []),
            offices=frozenset(o.upper() for o in office or []),
        )
        store.add(user)
    except UserError as error:
        raise _fail(error) from None
    finally:
        store.close()
    with AuditLog(directory) as log:
        log.record("operator", "user.add", name, user.describe())
    typer.echo(
        f"added {name} ({user.clearance.name}, {', '.join(sorted(r.value for r in user.roles))})"
    )
    if password is None:
        typer.echo(f"password: {chosen}")


@users.command("list")
def list_users(
    archive: ArchiveOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON Lines output.")] = False,
) -> None:
    """List the users of an archive."""
    store = SqliteUserStore(resolve(archive))
    try:
        found = list(store.users())
    finally:
        store.close()
    if as_json:
        for user in found:
            typer.echo(json.dumps(user.describe()))
        return
    table = Table("name", "clearance", "roles", "caveats", "channels", "offices", "foreign")
    for user in found:
        table.add_row(
            user.name,
            user.clearance.name,
            ", ".join(sorted(r.value for r in user.roles)),
            ", ".join(sorted(user.caveats)),
            ", ".join(sorted(user.channels)),
            ", ".join(sorted(user.offices)),
            user.country or "",
        )
    Console().print(table)


@users.command("set")
def set_user(
    name: str,
    archive: ArchiveOption = None,
    clearance: ClearanceOption = None,
    role: RolesOption = None,
    channel: ChannelsOption = None,
    office: OfficesOption = None,
    caveat: CaveatsOption = None,
    foreign: ForeignOption = None,
    password: Annotated[str | None, typer.Option(help="A new password.")] = None,
) -> None:
    """Change a user's clearance, roles, channels, offices, caveats or password."""
    directory = resolve(archive)
    store = SqliteUserStore(directory)
    try:
        user = store.get(name)
        if user is None:
            raise UserError(f"no user {name!r}")
        changes: dict[str, object] = {}
        if clearance:
            changes["clearance"] = _level(clearance)
        if role:
            changes["roles"] = _roles(role)
        if channel is not None:
            changes["channels"] = frozenset(c.upper() for c in channel)
        if office is not None:
            changes["offices"] = frozenset(o.upper() for o in office)
        if caveat is not None:
            changes["caveats"] = frozenset(c.upper() for c in caveat)
        if foreign is not None:
            changes["us_person"] = foreign == ""
            changes["country"] = foreign.upper() or None
        if password:
            changes["password_hash"] = hash_password(password)
        updated = replace(user, **changes)  # type: ignore[arg-type]
        store.update(updated)
    except UserError as error:
        raise _fail(error) from None
    finally:
        store.close()
    detail = updated.describe() | {"password changed": bool(password)}
    with AuditLog(directory) as log:
        log.record("operator", "user.set", name, detail)
    typer.echo(f"updated {name}")


@users.command("remove")
def remove(name: str, archive: ArchiveOption = None) -> None:
    """Remove a user (and their tokens)."""
    directory = resolve(archive)
    store = SqliteUserStore(directory)
    try:
        store.remove(name)
    except UserError as error:
        raise _fail(error) from None
    finally:
        store.close()
    with AuditLog(directory) as log:
        log.record("operator", "user.remove", name)
    typer.echo(f"removed {name}")


@tokens.command("create")
def create_token(
    user: str,
    archive: ArchiveOption = None,
    label: Annotated[str, typer.Option(help="What the token is for.")] = "",
) -> None:
    """Issue an API token for a user; it is shown once."""
    directory = resolve(archive)
    store = SqliteUserStore(directory)
    try:
        token = issue_token(store, user, label)
    except UserError as error:
        raise _fail(error) from None
    finally:
        store.close()
    with AuditLog(directory) as log:
        log.record("operator", "token.create", user, {"label": label})
    typer.echo(token)


@tokens.command("revoke")
def revoke_token(
    digest: Annotated[str, typer.Argument(help="The token's digest (or a prefix of it).")],
    archive: ArchiveOption = None,
) -> None:
    """Revoke a token by its digest (as `token list` shows it)."""
    directory = resolve(archive)
    store = SqliteUserStore(directory)
    try:
        count = store.revoke_token(digest) if len(digest) >= 8 else 0
    finally:
        store.close()
    if not count:
        raise _fail(UserError("no token with that digest (give at least 8 characters)"))
    with AuditLog(directory) as log:
        log.record("operator", "token.revoke", digest[:12])
    typer.echo(f"revoked {count} token(s)")


@tokens.command("list")
def list_tokens(user: str | None = None, archive: ArchiveOption = None) -> None:
    """List tokens (their digests, never the tokens)."""
    store = SqliteUserStore(resolve(archive))
    try:
        found = store.tokens(user)
    finally:
        store.close()
    table = Table("digest", "user", "label", "created")
    for token in found:
        table.add_row(token.digest[:16], token.user, token.label, token.created)
    Console().print(table)
