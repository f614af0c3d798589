# Two set-up commands: `make demo` and `make test`. Everything else is a convenience.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: install demo test lint typecheck unit browser accuracy bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || scripts/apt-install python3-venv python3-pip
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
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

unit: $(STAMP) browser
	$(BIN)/pytest -q -n 2 -p no:cacheprovider

test: lint typecheck unit

accuracy: $(STAMP)
	$(BIN)/cablegram accuracy

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) build .mypy_cache .ruff_cache .pytest_cache .hypothesis
