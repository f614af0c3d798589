"""Fixtures of the web tests; their code and the helpers the tests import live in
`web_support` (a plain module, so test files never import a ``conftest`` by name, which
another folder's conftest could shadow)."""

from web_support import client, live_server, make_app, web_app, web_archive

__all__ = ["client", "live_server", "make_app", "web_app", "web_archive"]
