"""What every lint rule shares: severities, rule descriptions, findings, the check context.

A rule has a short stable code (``CG101``), a name (``banner-below-portion``) and a fixed
severity. ERROR means a release would be wrong (a banner lower than a portion, a
classified cable with no declassification instruction); WARNING means something real
cables contain and a reader copes with (an unknown TAG such as START, the unknown routing
indicator RUEHWEB of Cablegate copies).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from cablegram.model import Cable, TagEra
from cablegram.reference import geographic_era
from cablegram.write.rules.locate import Locator


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    """One problem in one cable; ``line`` is 1-based in ``Cable.original_text``."""

    rule: str
    """The rule's stable code, e.g. ``CG101``."""
    severity: Severity
    message: str
    hint: str
    line: int | None = None

    @property
    def name(self) -> str:
        """The rule's readable name, e.g. ``banner-below-portion``."""
        return RULES[self.rule].name


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str
    """One line: what the rule checks (docs/lint-rules.md has the why and the source)."""

    def finding(self, message: str, hint: str, line: int | None) -> Finding:
        return Finding(self.code, self.severity, message, hint, line)


#: Every rule by code, filled by `rule` as the rule modules are imported.
RULES: dict[str, Rule] = {}


def rule(code: str, name: str, severity: Severity, summary: str) -> Rule:
    """Declare a rule (once per code)."""
    if code in RULES:
        raise ValueError(f"duplicate lint rule code {code}")
    declared = Rule(code, name, severity, summary)
    RULES[code] = declared
    return declared


@dataclass(frozen=True)
class Context:
    """The cable under check and what the rules derive from it once."""

    cable: Cable
    locate: Locator
    on: date | None
    """The cable's date (from the DTG); None when it has none, and date rules are skipped."""
    era: TagEra
    """The geographic TAGS table in force on that date."""

    @classmethod
    def of(cls, cable: Cable) -> Context:
        on = cable.dtg.date() if cable.dtg is not None else None
        return cls(cable, Locator(cable.original_text, cable.paragraphs), on, geographic_era(on))
