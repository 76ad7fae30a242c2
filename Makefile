# Two set-up commands: `make build` and `make test`. Each installs what it
# needs and skips what is already there: building installs the run lock,
# testing adds the test lock (docs/ci.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUN_LOCK := requirements.lock
TEST_LOCK := requirements-test.lock
INSTALLED := $(VENV)/.installed
TESTING := $(VENV)/.installed-test
PIP_INSTALL := $(BIN)/python -m pip install -qq --disable-pip-version-check
# `make lock`: uv, pinned, resolves for the oldest Python the site runs on.
UV := .tools/uv/bin/uv
UV_VERSION := 0.13.8
LOCK_PYTHON := 3.11.7
# pyproject.toml's build-system: locked too, so the project installs without build isolation.
BUILD_BACKEND := setuptools>=68
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

.PHONY: build test test-fast check schemas serve edit bench lock cms-bundle golden clean

# The Pages workflow runs `make build BUILD_FLAGS=--timings`: its log shows each stage's time.
build: $(INSTALLED) $(NOTO)
	$(BIN)/briefs build $(BUILD_FLAGS)

# CI sets BRIEFS_FORMAT=github (annotations and the summary) and BRIEFS_AGAINST
# (the pull request's base) in the environment: the shell reads them, quoted,
# so no branch name is ever read as code, by the shell or by make.
check: $(INSTALLED)
	$(BIN)/briefs check --format "$${BRIEFS_FORMAT:-human}" --against "$${BRIEFS_AGAINST:-HEAD}"

# The files made from generator/model.py (JSON Schemas for editors' tools,
# the status styles in briefs.css, the editor guide docs/editor-guide.md); commit them.
schemas: $(INSTALLED)
	$(BIN)/briefs schemas

serve: $(INSTALLED) $(NOTO)
	$(BIN)/briefs serve

# The preview with the editing form (/admin/, Sveltia CMS) opened in the browser.
edit: $(INSTALLED) $(NOTO)
	$(BIN)/briefs edit

test: $(TESTING) $(CHROMIUM) $(NOTO) $(JAVA) $(AUDITORS)
	$(BIN)/pytest -n 2 -q

# While working: the tests that start no process (no briefs command, MkDocs,
# Pagefind, browser or audit), well under a minute (tests/fast_tier.py, docs/testing.md).
test-fast: $(TESTING) $(NOTO)
	$(BIN)/pytest -n 2 -q --fast

# Speed at 100, 1,000 and 5,000 briefs, what a reader downloads (in
# Chromium), and 1 MiB of each pathological shape of text; writes the
# tables into docs/benchmarks.md.
bench: $(TESTING) $(NOTO) $(CHROMIUM)
	$(BIN)/python benchmarks/bench.py
	$(BIN)/python benchmarks/shapes.py

# What running needs, every file checked against the lock's hashes; then the
# project itself, whose dependencies the lock has already installed.
$(INSTALLED): pyproject.toml $(RUN_LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) --require-hashes -r $(RUN_LOCK)
	$(PIP_INSTALL) --no-deps --no-build-isolation -e .
	touch $@

# The test tools, added: the test lock holds the run lock's versions and more.
$(TESTING): $(INSTALLED) $(TEST_LOCK)
	$(PIP_INSTALL) --require-hashes -r $(TEST_LOCK)
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
golden: $(TESTING)
	BRIEFS_REFRESH_GOLDEN=1 $(BIN)/pytest -q tests/test_golden.py

# Both locks from pyproject.toml, with every file's hash, after changing its
# dependencies. Versions already locked stay unless pyproject.toml needs
# others (`rm` a lock to move everything to the newest); the test lock is
# resolved within the run lock, so the two never disagree.
lock: $(UV) cms-bundle
	echo '$(BUILD_BACKEND)' | $(UV) pip compile -q --generate-hashes --python-version $(LOCK_PYTHON) \
		--custom-compile-command 'make lock' -o $(RUN_LOCK) pyproject.toml -
	echo '$(BUILD_BACKEND)' | $(UV) pip compile -q --generate-hashes --python-version $(LOCK_PYTHON) \
		--custom-compile-command 'make lock' --extra test -c $(RUN_LOCK) -o $(TEST_LOCK) pyproject.toml -

$(UV):
	$(PYTHON) -m venv .tools/uv
	.tools/uv/bin/python -m pip install -qq --disable-pip-version-check uv==$(UV_VERSION)

# The editing form's npm files (Sveltia CMS's bundle, its icon font, the
# yaml library, the CMS's letters table) into generator/admin/ at the
# versions its npm lock pins, each tarball checked against the lock's
# integrity hash (docs/cms.md). To upgrade:
# npm install --package-lock-only --save-exact --prefix generator/admin @sveltia/cms@X
cms-bundle:
	python3 tools/vendor_cms.py

clean:
	rm -rf build site .site-*
