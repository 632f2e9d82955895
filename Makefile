# Two entry points: `make serve` (the site, live-reloading on 127.0.0.1:8000)
# and `make test` (the whole suite). Both build the virtual environment first.

PYTHON ?= python3
VENV := .venv
# Material prints a banner about MkDocs 2.0 at every build; it says nothing about this site.
export NO_MKDOCS_2_WARNING := 1
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: serve test build clean

# Reinstall only when the dependency list changes.
$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11 or newer is required")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

serve: $(STAMP)
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000 --livereload

test: $(STAMP)
	$(BIN)/python -m pytest

build: $(STAMP)
	$(BIN)/mkdocs build --strict

clean:
	rm -rf $(VENV) site
