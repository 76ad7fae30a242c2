# Two set-up commands: `make build` and `make test`. Each installs what it
# needs and skips what is already there.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
CHROMIUM := /usr/bin/chromium

.PHONY: build test check serve bench lock clean

build: $(INSTALLED)
	$(BIN)/briefs build

check: $(INSTALLED)
	$(BIN)/briefs check

serve: $(INSTALLED)
	$(BIN)/briefs serve

test: $(INSTALLED) $(CHROMIUM)
	$(BIN)/pytest -n 2 -q

# Speed at 100, 1,000 and 5,000 briefs; writes its table into docs-notes/benchmarks.md.
bench: $(INSTALLED)
	$(BIN)/python benchmarks/bench.py

$(INSTALLED): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -qq --disable-pip-version-check -c requirements.lock -e '.[test]'
	touch $@

# Debian's Chromium for the browser tests; never a browser download.
$(CHROMIUM):
	apt-get update
	apt-get install -y chromium

# Refresh the pins after changing dependencies in pyproject.toml.
lock: $(INSTALLED)
	$(BIN)/python -m pip freeze --exclude-editable --disable-pip-version-check > requirements.lock

clean:
	rm -rf build site .site-*
