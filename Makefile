# Two entry points: `make serve` (the site, live-reloading on 127.0.0.1:8000)
# and `make test` (the whole suite, browser tests included). Both build the
# virtual environment first; `make test` also installs Debian's Chromium.

PYTHON ?= python3
VENV := .venv
# Material prints a banner about MkDocs 2.0 at every build; it says nothing about this site.
export NO_MKDOCS_2_WARNING := 1
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Files from the npm registry, pinned in tests/browser/npm_assets.py and git-ignored.
NPM_ASSETS := tests/browser/npm_assets.py
MERMAID := docs/javascripts/vendor/mermaid.min.js
AXE := tests/browser/vendor/axe.min.js

# The browser tests drive this Chromium; Playwright's own browser download is not used.
export CHROMIUM ?= /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: serve test build benchmark clean

# Reinstall only when the dependency list changes.
$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11 or newer is required")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The script skips a download when the file already has the pinned content.
$(MERMAID): $(NPM_ASSETS) | $(STAMP)
	$(BIN)/python $(NPM_ASSETS) mermaid
	touch $@

$(AXE): $(NPM_ASSETS) | $(STAMP)
	$(BIN)/python $(NPM_ASSETS) axe-core
	touch $@

$(CHROMIUM):
	$(SUDO) apt-get update
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install --yes chromium

serve: $(STAMP) $(MERMAID)
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000 --livereload

test: $(STAMP) $(MERMAID) $(AXE) $(CHROMIUM)
	$(BIN)/python -m pytest

build: $(STAMP) $(MERMAID)
	$(BIN)/mkdocs build --strict

# Times the build, the test suite and page weights; see docs/benchmarks.md.
benchmark: $(STAMP) $(MERMAID) $(AXE) $(CHROMIUM)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) site test-artifacts docs/javascripts/vendor tests/browser/vendor
