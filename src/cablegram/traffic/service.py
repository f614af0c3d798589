"""The traffic system of one archive: store, users, address book, clock and audit trail.

`Traffic` is what the workflow, release, inbox and dispatch functions take; the CLI and
the web application open one per request or process. An `Actor` is who does a step: the
principal whose roles, offices and clearance are checked, and the name the audit trail
records (``alice``, or ``operator as alice`` when the local operator acts for a user from
the CLI; docs/security.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from types import TracebackType

from cablegram.access import Principal, Role
from cablegram.access.audit import AuditLog
from cablegram.access.users import SqliteUserStore, UserStore
from cablegram.traffic.addressbook import AddressBook
from cablegram.traffic.clock import Clock, system_clock
from cablegram.traffic.store import TrafficStore
from cablegram.write.render import SECTION_LINES


class TrafficError(Exception):
    """A step that may not be done: wrong state, missing role, unknown draft ..."""


@dataclass(frozen=True)
class Actor:
    principal: Principal
    audit_name: str

    @classmethod
    def of(cls, principal: Principal) -> Actor:
        return cls(principal, principal.name)

    @property
    def name(self) -> str:
        return self.principal.name

    def has(self, role: Role) -> bool:
        return self.principal.operator or role in self.principal.roles

    def member_of(self, office: str) -> bool:
        return self.principal.operator or office in self.principal.offices


class Traffic:
    """The traffic services of the archive in ``directory``; close it when done."""

    def __init__(
        self,
        directory: Path,
        *,
        clock: Clock = system_clock,
        book: AddressBook | None = None,
        users: UserStore | None = None,
        key_dir: Path | None = None,
        section_lines: int | None = SECTION_LINES,
    ) -> None:
        self.directory = directory
        self.store = TrafficStore(directory)
        self.clock = clock
        self.book = book or AddressBook()
        self.users: UserStore = users or SqliteUserStore(directory)
        self.audit = AuditLog(directory, key_dir)
        self.section_lines = section_lines
        """Lines of text one transmission section holds (None: never split)."""

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        return self.clock().date()

    def stamp(self) -> str:
        """The current time as stored: ISO 8601 UTC to the microsecond."""
        return self.clock().isoformat(timespec="microseconds")

    def principal(self, name: str) -> Principal | None:
        user = self.users.get(name)
        return None if user is None else user.principal()

    def flush_audit(self) -> None:
        """Append the audit entries queued by committed steps (`TrafficStore.flush_audit`)."""
        self.store.flush_audit(self.audit)

    def close(self) -> None:
        self.store.close()
        self.users.close()
        self.audit.close()

    def __enter__(self) -> Traffic:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
