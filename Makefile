# Two set-up commands: `make build` and `make test`. Each installs what it
# needs and skips what is already there.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
CHROMIUM := /usr/bin/chromium
# Debian's Noto fonts for the social cards (generator/card_text.py): Latin,
# Arabic, Hebrew, CJK, colour emoji and every other script Noto covers.
NOTO := /usr/share/fonts/truetype/noto/NotoSans-Bold.ttf /usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf
# The markup and page audits' npm tools (tests/audit_tools.py), in a gitignored folder;
# --ignore-scripts: vnu-jar's install script would download a Java runtime.
NPM_TOOLS := .tools/node
AUDITORS := $(NPM_TOOLS)/node_modules/.bin/lighthouse $(NPM_TOOLS)/node_modules/vnu-jar/build/dist/vnu.jar
JAVA := /usr/bin/java
# apt-get needs root: CI runners (GitHub's ubuntu) are not root but have sudo.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: build test check schemas serve bench lock golden clean

# The Pages workflow runs `make build BUILD_FLAGS=--timings`: its log shows each stage's time.
build: $(INSTALLED) $(NOTO)
	$(BIN)/briefs build $(BUILD_FLAGS)

# CI runs `make check CHECK_FLAGS="--format github ..."` for annotations.
check: $(INSTALLED)
	$(BIN)/briefs check $(CHECK_FLAGS)

# The files made from generator/model.py (JSON Schemas for editors' tools,
# the status styles in briefs.css); commit them.
schemas: $(INSTALLED)
	$(BIN)/briefs schemas

serve: $(INSTALLED) $(NOTO)
	$(BIN)/briefs serve

test: $(INSTALLED) $(CHROMIUM) $(NOTO) $(JAVA) $(AUDITORS)
	$(BIN)/pytest -n 2 -q

# Speed at 100, 1,000 and 5,000 briefs, what a reader downloads (in
# Chromium), and 1 MiB of each pathological shape of text; writes the
# tables into docs/benchmarks.md.
bench: $(INSTALLED) $(NOTO) $(CHROMIUM)
	$(BIN)/python benchmarks/bench.py
	$(BIN)/python benchmarks/shapes.py

$(INSTALLED): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -qq --disable-pip-version-check -c requirements.lock -e '.[test]'
	touch $@

# Debian's Chromium for the browser tests; never a browser download.
$(CHROMIUM):
	$(SUDO) apt-get update
	$(SUDO) apt-get install -y chromium

# The Nu Html Checker's Java runtime.
$(JAVA):
	$(SUDO) apt-get update
	$(SUDO) apt-get install -y default-jre-headless

# Lighthouse 12.8.2 is the newest that runs on Node 20 (13 needs Node 22).
$(AUDITORS) &:
	npm install --prefix $(NPM_TOOLS) --no-audit --no-fund --ignore-scripts --save-exact lighthouse@12.8.2 vnu-jar@26.9.27

# libfribidi0: Pillow's text layout (raqm) loads it for right-to-left text.
$(NOTO) &:
	$(SUDO) apt-get update
	$(SUDO) apt-get install -y fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji libfribidi0

# Refresh the golden copy of the example's rendered Markdown after an intended change.
golden: $(INSTALLED)
	BRIEFS_REFRESH_GOLDEN=1 $(BIN)/pytest -q tests/test_golden.py

# Refresh the pins after changing dependencies in pyproject.toml.
lock: $(INSTALLED)
	$(BIN)/python -m pip freeze --exclude-editable --disable-pip-version-check > requirements.lock

clean:
	rm -rf build site .site-*
