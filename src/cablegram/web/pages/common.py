"""What every page shares: the templates, the reader's status line, classification badges.

Every page shows who reads (name and clearance) and the as-of day the access rules are
applied on (issue 5: "every page shows the reader's clearance and the as-of date");
reviewers and admins get a form to change the day for their own view
(`cablegram.web.deps.pin_as_of`: only they may look at the archive as it was, or will
be, on another day).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from jinja2.runtime import Context

from cablegram.model import Level

TEMPLATES = Jinja2Templates(directory=Path(__file__).resolve().parent.parent / "templates")
"""Autoescaping is on for ``.html``: text from cables is always escaped (the reference
graph's SVG too: the template writes it); the only markup built in Python is the search
snippet (`cablegram.web.pages.search.highlight`), from escaped parts."""


@pass_context
def path_for(
    context: Context, name: str, query: dict[str, Any] | None = None, **params: Any
) -> str:
    """The path (and query) of a named route, for links in templates. Paths, not the
    absolute URLs of Starlette's ``url_for``: behind a TLS proxy the server sees http and
    its absolute URLs would be refused as mixed content."""
    request: Request = context["request"]
    path = request.url_for(name, **params).path
    return f"{path}?{urlencode(query)}" if query else path


TEMPLATES.env.globals["path_for"] = path_for

_BADGES = {
    Level.UNCLASSIFIED: "badge-u",
    Level.SBU: "badge-sbu",
    Level.LOU: "badge-sbu",
    Level.CONFIDENTIAL: "badge-c",
    Level.SECRET: "badge-s",
    Level.TOP_SECRET: "badge-ts",
}


def badge_class(classification: str | None) -> str:
    """The CSS class of a classification badge (``SECRET`` -> ``badge-s``); the banner's
    level decides, caveats after ``//`` do not change the colour."""
    if not classification:
        return ""
    try:
        return _BADGES[Level.from_name(classification.split("//", 1)[0])]
    except ValueError:
        return ""


@dataclass(frozen=True)
class ReaderStatus:
    """The header line of every page."""

    name: str
    clearance: str
    """The clearance's word: ``CONFIDENTIAL``."""
    as_of: str
    """ISO date."""
    pinned: bool
    """The reader chose the day (it is not today)."""
    may_set_as_of: bool
    csrf_token: str
    here: str
    """This page's path and query: where the as-of form comes back to."""
