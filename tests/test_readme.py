"""The README is for a newsroom starting out: short, the commands it names
are the ones CI and the Makefile run, and every file it or the developer
docs link to is there."""
from __future__ import annotations

import re
from pathlib import Path

from conftest import ROOT

README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))


def test_the_readme_is_short_and_links_the_guide_as_a_file():
    text = README.read_text(encoding="utf-8")
    assert len(README.read_bytes()) <= 10_000
    assert "](docs/editor-guide.md)" in text
    for section in ("## Quick start", "## Make it yours", "## Your first brief", "## Publish on GitHub Pages", "## Links"):
        assert section in text, section
    for setting in ("site_name", "site_url", "theme.language", "extra.briefing.publisher", "extra.briefing.timezone"):
        assert f"`{setting}`" in text, setting


def test_ci_runs_the_readmes_test_command():
    command = re.search(r"^make test\b", README.read_text(encoding="utf-8").split("## Quick start", 1)[1], re.M)
    assert command is not None
    assert (ROOT / ".ci/run").read_text(encoding="utf-8").strip().endswith("make test")
    assert re.search(r"^test:", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M)


def test_every_local_link_of_the_readme_and_docs_leads_to_a_file():
    for page in [README, *DOCS]:
        text = re.sub(r"^```.*?^```$", "", page.read_text(encoding="utf-8"), flags=re.M | re.S)
        text = re.sub(r"`[^`\n]*`", "", text)  # code spans show links as text
        for target in re.findall(r"\]\(([^)\s#]+)(?:#[^)]*)?\)", text):
            if re.match(r"[a-z]+:", target):
                continue
            assert (page.parent / target).exists(), f"{page.relative_to(ROOT)} links to {target}, which is not there"


def test_the_readmes_screenshot_is_there():
    images = re.findall(r"!\[[^\]]+\]\(([^)]+)\)", README.read_text(encoding="utf-8"))
    assert len(images) == 1 and Path(ROOT / images[0]).is_file()
