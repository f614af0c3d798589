"""Reading cables: text -> `Cable`, one module per field, plus input formats."""

from cablegram.read.parser import EmptyCableError, parse

__all__ = ["EmptyCableError", "parse"]
