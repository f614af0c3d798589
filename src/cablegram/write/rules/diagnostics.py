"""The reader's own diagnostics, surfaced as lint warnings (rule CG000).

The reader records what it could not read or read only with a repair (`Diagnostic`):
scraping residue removed, a pilcrow read as a digit, a paragraph it could not place. The
cable may still be right, but a person should look at the line, so each diagnostic becomes
a warning at its line.
"""

from __future__ import annotations

from collections.abc import Iterator

from cablegram.write.rules.base import Context, Finding, Severity, rule

PARSE = rule(
    "CG000",
    "parse",
    Severity.WARNING,
    "The reader read the text without repairs or doubts.",
)


def check(context: Context) -> Iterator[Finding]:
    for diagnostic in context.cable.diagnostics:
        yield PARSE.finding(
            f"{diagnostic.code}: {diagnostic.message}",
            "check the text at this line; the reader repaired or skipped it",
            diagnostic.line,
        )
