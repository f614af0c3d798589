"""The linter: check a cable against the rules of the format reference.

`lint` is pure: it reads a `Cable` (and its ``original_text``, only to point findings at
lines) and returns findings sorted by line. Each finding has a stable rule code, a
severity, a message and a fix hint. Errors mean a release would be wrong (a banner below a
portion, no declassification instruction on a classified cable); warnings flag what real
cables contain (an unknown TAG such as START, the routing indicator RUEHWEB). The rules
live in `cablegram.write.rules`, one module per family; ``docs/lint-rules.md`` lists them.
"""

from __future__ import annotations

from cablegram.model import Cable
from cablegram.write.rules import authority, captions, diagnostics, envelope, markings, text
from cablegram.write.rules.base import RULES, Context, Finding, Rule, Severity

__all__ = ["RULES", "Finding", "Rule", "Severity", "lint"]

_FAMILIES = (diagnostics, markings, authority, text, captions, envelope)


def lint(cable: Cable) -> list[Finding]:
    """Every finding for the cable, by line (findings without a line last), then rule."""
    context = Context.of(cable)
    findings = [finding for family in _FAMILIES for finding in family.check(context)]
    return sorted(findings, key=lambda f: (f.line is None, f.line or 0, f.rule))
