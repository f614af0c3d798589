# Two set-up commands: `make demo` and `make test`. Everything else is a convenience.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: install compile demo test lint typecheck unit browser accuracy bench clean

# The parser is compiled to C by mypyc (setup.py), which needs a C compiler and Python's
# headers: installed with apt when missing (CABLEGRAM_PURE=1 skips the compilation).
COMPILED_SOURCES := $(filter-out %/__init__.py,$(wildcard src/cablegram/read/*.py)) \
	src/cablegram/access/decision.py src/cablegram/access/portions.py \
	src/cablegram/access/views.py src/cablegram/archive/documents.py src/cablegram/jsonio.py \
	src/cablegram/archive/people.py src/cablegram/archive/person_names.py
COMPILED := build/.compiled-stamp

$(STAMP): pyproject.toml setup.py
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || scripts/apt-install python3-venv python3-pip
	@[ "$$CABLEGRAM_PURE" = 1 ] || scripts/c-toolchain $(PYTHON)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@mkdir -p build && touch $(STAMP) $(COMPILED)

install: $(STAMP)

# Rebuild the compiled modules in place after their sources change.
$(COMPILED): $(STAMP) $(COMPILED_SOURCES) setup.py
	@[ "$$CABLEGRAM_PURE" = 1 ] || $(BIN)/python setup.py --quiet build_ext --inplace
	@# An unchanged module is not relinked: mark the build as newer than its sources.
	@find src -name '*.so' -exec touch {} +
	@touch $(COMPILED)

compile: $(COMPILED)

demo: $(COMPILED)
	$(BIN)/cablegram demo --archive build/demo-archive

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

# The browser tests drive Debian's chromium (a browser download is impossible here and
# never done). It is installed when missing as root or under CI (CI runs as root); anyone
# else gets a note, and those tests skip with the same reason (under CI=true they fail).
BROWSER := /usr/bin/chromium

browser:
	@if [ -x $(BROWSER) ]; then :; \
	elif [ "$$(id -u)" = 0 ] || [ "$$CI" = true ]; then scripts/apt-install chromium; \
	else echo "note: $(BROWSER) is absent, browser tests will skip (as root: make browser)"; fi

unit: $(COMPILED) browser
	$(BIN)/pytest -q -n 2 -p no:cacheprovider

test: lint typecheck unit

accuracy: $(COMPILED)
	$(BIN)/cablegram accuracy

bench: $(COMPILED)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) build .mypy_cache .ruff_cache .pytest_cache .hypothesis
	find src -name '*.so' -delete
