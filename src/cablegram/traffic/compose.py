"""A draft composed into a telegram: text fields, address plan, numbers, the writer, the
reader and the linter, in that order (issue 6, items 1 and 3).

`compose` is pure. The draft's fields become a `Cable` (`drafts.text_fields`), its
addressees a `routing.Plan`, the numbers a header (`numbering.numbered`); the project's
writer renders the telegram and the project's reader reads it back. The released model is
the cable *as read back* (so derived fields, participants, blocks, the part of a
multi-part cable, come from the reader as for any archived cable), and composing insists
that it renders to the very same text: ``render(parse(telegram)) == telegram``. A body the
reader would misread (a line that looks like a paragraph number) is caught here, before
release, instead of reaching the archive altered. The linter then runs on the read-back
cable, with its lines.

On every save the draft is composed with the numbers it would get if released now
(`preview numbers`); release composes it again with the numbers it takes.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from cablegram.model import Cable
from cablegram.read import parse
from cablegram.traffic.addressbook import AddressBook
from cablegram.traffic.drafts import DraftContent, text_fields
from cablegram.traffic.numbering import numbered
from cablegram.traffic.routing import Plan, plan
from cablegram.write import Finding, Severity, lint, render
from cablegram.write.render import SECTION_LINES


@dataclass(frozen=True)
class Composition:
    cable: Cable
    """The cable as read back from the telegram (its ``original_text`` is the telegram)."""
    telegram: str
    plan: Plan
    findings: tuple[Finding, ...]
    """The linter's findings on the read-back cable."""
    problems: tuple[str, ...]
    """What else blocks release: the telegram does not read back as written."""
    notes: tuple[str, ...]
    """Information for the drafter (a banner raised above the requested level)."""

    @property
    def errors(self) -> tuple[str, ...]:
        """Everything that blocks release, as messages."""
        linted = tuple(
            f"{f.rule} {f.name}: {f.message}" for f in self.findings if f.severity is Severity.ERROR
        )
        return self.problems + linted

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.WARNING)


def compose(
    content: DraftContent,
    book: AddressBook,
    dtg: datetime,
    serial: int,
    mcns: Mapping[str, int],
    section_lines: int | None = SECTION_LINES,
    routing: Plan | None = None,
) -> Composition:
    """The telegram of ``content`` released at ``dtg`` with these numbers (``routing``: its
    address plan, when the caller has made it already).

    Raises `cablegram.traffic.drafts.DraftError` when the draft cannot be composed at all
    (a body in the wrong format, an unknown addressee)."""
    if routing is None:
        routing = plan(content, book)
    text = text_fields(content, dtg.date())
    built = numbered(text.apply(Cable()), routing, serial, dtg, mcns, section_lines)
    telegram = render(built)
    cable = parse(telegram)
    problems: list[str] = []
    again = render(cable)
    if again != telegram:
        problems.append(
            f"the telegram does not read back as written: {_first_difference(telegram, again)}"
        )
    return Composition(
        cable=cable,
        telegram=telegram,
        plan=routing,
        findings=tuple(lint(cable)),
        problems=tuple(problems),
        notes=text.notes,
    )


def _first_difference(written: str, reread: str) -> str:
    for line in difflib.unified_diff(written.splitlines(), reread.splitlines(), lineterm="", n=0):
        if line.startswith("-") and not line.startswith("---"):
            return f"line {line[1:]!r} is read differently"
    return "the text differs"
