"""Writing cables: the canonical telegram (`render`) and the linter."""

from cablegram.write.lint import Finding, Severity, lint
from cablegram.write.render import render, sections_needed
from cablegram.write.wrap import wrap

__all__ = ["Finding", "Severity", "lint", "render", "sections_needed", "wrap"]
