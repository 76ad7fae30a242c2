"""The tool's tests never read the repository's briefs/ or mkdocs.yml: a
newsroom that forks the project replaces both, and `make test` passes
whatever they hold. In this process conftest's audit hook refuses every
read of them; here, the sources are searched for a test that names them,
and a newsroom's own content, in French, builds as the example does, as
does a site with no story at all."""
from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import EXAMPLE_PROJECT, NEWSROOM, ROOT, ReadsRepositoryContent, copy_project, repository_reads, run_briefs
from generator.words import words_for

# ROOT / "briefs", ROOT.joinpath("mkdocs.yml"), check_project(ROOT) and the like.
NAMES_THE_CONTENT = re.compile(
    r"""ROOT\s*/\s*f?["'](?:briefs\b|mkdocs\.yml)|ROOT\.joinpath\(\s*f?["'](?:briefs\b|mkdocs\.yml)"""
    r"""|\b(?:check_project|check_with_cache|validate_project|load_settings|build_site|run_briefs|lost_corrections)\(\s*ROOT\b""")


def test_no_test_names_the_repository_content():
    this = Path(__file__).resolve()
    named = [f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
             for path in sorted((ROOT / "tests").rglob("*.py")) if path != this
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             if NAMES_THE_CONTENT.search(line)]
    assert named == [], "use copy_project() or EXAMPLE_PROJECT, never the repository's briefs/ or mkdocs.yml"


def test_the_search_finds_each_way_of_naming_the_content():
    for line in ['settings = ROOT / "mkdocs.yml"', "files = (ROOT / 'briefs').rglob('*')", 'ROOT.joinpath("briefs")',
                 "project = check_project(ROOT)", 'run_briefs(ROOT, "check")', 'ROOT / f"briefs/{story}"']:
        assert NAMES_THE_CONTENT.search(line), line
    for line in ['EXAMPLE_PROJECT / "mkdocs.yml"', 'ROOT / "tests/fixtures/example/briefs"', 'ROOT / "briefsy"',
                 "check_project(project)"]:
        assert not NAMES_THE_CONTENT.search(line), line


@pytest.mark.parametrize("read", [
    lambda tmp: (ROOT / "mkdocs.yml").read_bytes(),
    lambda tmp: open(ROOT / "briefs/sources.yaml", "rb"),
    lambda tmp: sorted((ROOT / "briefs").glob("*/story.yaml")),
    lambda tmp: shutil.copytree(ROOT / "briefs", tmp / "briefs"),
    lambda tmp: shutil.copy(ROOT / "mkdocs.yml", tmp),
    lambda tmp: run_briefs(ROOT, "check"),
    lambda tmp: subprocess.run(["make", "-n", "build"], cwd=ROOT),
], ids=["read", "open", "glob", "copytree", "copy", "briefs check", "make"])
def test_a_test_that_reads_the_repository_content_fails(read, tmp_path):
    before = len(repository_reads)
    with pytest.raises(ReadsRepositoryContent, match="tests never read the repository's briefs/ or mkdocs.yml"):
        read(tmp_path)
    assert len(repository_reads) == before + 1
    del repository_reads[before:]  # this test's reads were on purpose


def html_lang(page: Path) -> str:
    return re.search(r'<html lang="([^"]+)"', page.read_text(encoding="utf-8"))[1]


def test_a_french_newsroom_checks_and_builds_its_own_stories(tmp_path):
    project = copy_project(tmp_path, source=NEWSROOM)
    checked = run_briefs(project, "check")
    assert (checked.returncode, checked.stderr) == (0, "")
    built = run_briefs(project, "build")
    assert built.returncode == 0, built.stderr
    assert "Built 3 briefs in 1 story" in built.stdout
    home = (project / "site/index.html").read_text(encoding="utf-8")
    assert html_lang(project / "site/index.html") == "fr"
    assert "<title>Le point sur l'actualité" in home
    assert "Éruption près de Grindavík" in home and "Gaza" not in home
    brief = project / "site/eruption-grindavik/2024-01-14-la-lave-atteint-des-maisons/index.html"
    text = brief.read_text(encoding="utf-8")
    assert "14 janvier 2024" in text  # the site's language
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)[1])
    article = next(node for node in ld["@graph"] if node["@type"] != "BreadcrumbList")
    assert article["datePublished"] == "2024-01-14T16:00:00+01:00"  # 16:00 in Paris, the site's time zone
    assert "Une seconde fissure s'est ouverte vers midi" in text
    assert not (project / "site/gaza-truce-talks").exists()


@pytest.mark.parametrize("source", [EXAMPLE_PROJECT, NEWSROOM], ids=["en", "fr"])
def test_with_no_story_the_home_page_says_there_is_nothing_yet(tmp_path, source):
    project = copy_project(tmp_path, with_briefs=False, source=source)
    (project / "briefs/README.md").write_text("The newsroom's stories, one folder each.\n", encoding="utf-8")
    built = run_briefs(project, "build")
    assert built.returncode == 0, built.stderr
    assert "Built 0 briefs in 0 stories" in built.stdout
    home = project / "site/index.html"
    language = re.search(r"^  language: (\S+)$", (source / "mkdocs.yml").read_text(encoding="utf-8"), re.M)[1]
    assert html_lang(home) == language
    nothing_yet = words_for(language).text["words.nothing_yet"]  # in the site's language
    assert f'<p class="briefs-nothing-yet">{nothing_yet}</p>' in html.unescape(home.read_text(encoding="utf-8"))


def test_the_fixture_newsrooms_settings_are_its_own():
    """What makes the second newsroom a test of settings: every one of
    these differs from the example's."""
    ours, theirs = ((path / "mkdocs.yml").read_text(encoding="utf-8") for path in (EXAMPLE_PROJECT, NEWSROOM))
    for key in ("site_name", "site_url", "  language", "    timezone", "    publisher"):
        pattern = re.compile(rf"^{key}: (.*)$", re.M)
        assert pattern.search(ours)[1] != pattern.search(theirs)[1], key



def test_with_every_brief_a_draft_the_home_page_says_there_is_nothing_yet(tmp_path):
    project = copy_project(tmp_path, source=NEWSROOM)
    for brief in (project / "briefs/eruption-grindavik").glob("2*.yaml"):
        brief.write_text(brief.read_text(encoding="utf-8") + "draft: true\n", encoding="utf-8")
    built = run_briefs(project, "build")
    assert built.returncode == 0, built.stderr
    assert "Built 0 briefs in 0 stories" in built.stdout
    home = (project / "site/index.html").read_text(encoding="utf-8")
    language = re.search(r"^  language: (\S+)$", (NEWSROOM / "mkdocs.yml").read_text(encoding="utf-8"), re.M)[1]
    nothing_yet = words_for(language).text["words.nothing_yet"]  # in the newsroom's language
    assert nothing_yet == "Rien n'est encore publié ici."
    assert f'<p class="briefs-nothing-yet">{nothing_yet}</p>' in html.unescape(home)
    assert "Grindavík" not in home
