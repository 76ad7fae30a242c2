# Two set-up commands: `make build` and `make test`. Each installs what it
# needs and skips what is already there.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
CHROMIUM := /usr/bin/chromium

.PHONY: build test check schemas serve bench lock golden clean

build: $(INSTALLED)
	$(BIN)/briefs build

# CI runs `make check CHECK_FLAGS="--format github ..."` for annotations.
check: $(INSTALLED)
	$(BIN)/briefs check $(CHECK_FLAGS)

# The JSON Schemas for editors' tools, from generator/model.py; commit them.
schemas: $(INSTALLED)
	$(BIN)/briefs schemas

serve: $(INSTALLED)
	$(BIN)/briefs serve

test: $(INSTALLED) $(CHROMIUM)
	$(BIN)/pytest -n 2 -q

# Speed at 100, 1,000 and 5,000 briefs, and what a reader downloads (in
# Chromium); writes its table into docs/benchmarks.md.
bench: $(INSTALLED) $(CHROMIUM)
	$(BIN)/python benchmarks/bench.py

$(INSTALLED): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -qq --disable-pip-version-check -c requirements.lock -e '.[test]'
	touch $@

# Debian's Chromium for the browser tests; never a browser download.
$(CHROMIUM):
	apt-get update
	apt-get install -y chromium

# Refresh the golden copy of the example's rendered Markdown after an intended change.
golden: $(INSTALLED)
	BRIEFS_REFRESH_GOLDEN=1 $(BIN)/pytest -q tests/test_golden.py

# Refresh the pins after changing dependencies in pyproject.toml.
lock: $(INSTALLED)
	$(BIN)/python -m pip freeze --exclude-editable --disable-pip-version-check > requirements.lock

clean:
	rm -rf build site .site-*
