"""cablegram: diplomatic cables read, written, archived, searched and declassified."""

from cablegram.model import Cable, Level, Marking, Precedence

__all__ = ["Cable", "Level", "Marking", "Precedence"]
__version__ = "0.1.0"
