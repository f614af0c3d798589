"""cablegram: diplomatic cables read, written, archived, searched and declassified.

The functional core: `parse` reads any cable text into a `Cable`, `render` writes the
canonical telegram, `lint` checks a cable against the format's rules.
"""

from cablegram.model import Cable, Level, Marking, Precedence
from cablegram.read import EmptyCableError, parse
from cablegram.write import Finding, Severity, lint, render

__all__ = [
    "Cable",
    "EmptyCableError",
    "Finding",
    "Level",
    "Marking",
    "Precedence",
    "Severity",
    "lint",
    "parse",
    "render",
]
__version__ = "0.1.0"
