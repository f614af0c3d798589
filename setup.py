"""Build hook: compile the parser's modules, and the few others ingest runs for every cable,
to C with mypyc (part of mypy, pinned in pyproject.toml's build requirements). The modules
stay plain, strictly typed Python; compiled, the parser reads about a quarter more cables
per second (docs/performance.md).

``CABLEGRAM_PURE=1`` builds without compiling, for a machine without a C compiler.
After editing a compiled module, ``make compile`` rebuilds it in place (``make test`` and
the other targets do so themselves; the tests refuse to run against a stale build).
"""

import os
from pathlib import Path

from setuptools import setup

#: The modules ingest workers spend their time in: the parser, and what makes a parsed
#: cable's stored JSON and index documents. Keep in step with the Makefile's list.
COMPILED = sorted(
    [
        *(str(path) for path in Path("src/cablegram/read").glob("*.py") if path.name != "__init__.py"),
        "src/cablegram/access/decision.py",
        "src/cablegram/access/portions.py",
        "src/cablegram/access/views.py",
        "src/cablegram/archive/documents.py",
        "src/cablegram/archive/people.py",
        "src/cablegram/archive/person_names.py",
        "src/cablegram/jsonio.py",
    ]
)

if os.environ.get("CABLEGRAM_PURE") == "1":
    setup()
else:
    from mypyc.build import mypycify

    setup(ext_modules=mypycify(COMPILED, opt_level="3"))
