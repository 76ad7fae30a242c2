"""Trust signals for readers and platforms: author pages from
briefs/authors.yaml with bylines linked to them, the newsroom as a
NewsMediaOrganization with its policies, and each brief's type of work,
read back as search engines read them (extruct) and as a reader sees them."""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

import extruct
import pytest
import yaml

from conftest import MINIMAL_BRIEF, MINIMAL_STORY, built_site, copy_project, run_briefs, write
from payloads import PAYLOAD

BASE = "https://example.github.io/briefs/"
AUTHORS = """
- id: nour-khalil
  name: Nour Khalil
  role: Cairo correspondent
  bio: Covers *Egypt* and the truce talks.
  contact: mailto:nour@example.org
  links: [https://example.org/nour]
- id: sam-ortiz
  name: Sam Ortiz
"""
SETTINGS = """
    principles: about/principles/
    ownership: https://example.org/ownership
    logo: assets/logo.png
"""


def brief(day: int, authors: list[str], work_type: str | None = None) -> str:
    text = MINIMAL_BRIEF.replace("2024-05-07", f"2024-05-{day:02d}").replace("A development", f"Development {day}")
    text += "authors: " + json.dumps(authors) + "\n"
    return text + (f"work_type: {work_type}\n" if work_type else "")


def with_settings(root: Path, extra: str) -> None:
    settings = root / "mkdocs.yml"
    text = settings.read_text(encoding="utf-8")
    assert "  briefing:\n" in text
    settings.write_text(text.replace("  briefing:\n", "  briefing:\n" + extra.strip("\n").replace("    ", "    ", 1) + "\n", 1), encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("trust"), with_briefs=False)
    with_settings(root, SETTINGS)
    write(root / "briefs/authors.yaml", AUTHORS)
    write(root / "briefs/talks/story.yaml", MINIMAL_STORY)
    write(root / "briefs/talks/2024-05-01-first.yaml", brief(1, ["Nour Khalil", "A Guest Writer"]))
    write(root / "briefs/talks/2024-05-02-second.yaml", brief(2, ["Nour Khalil"], "analysis"))
    return built_site(root)


def page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def jsonld(html_text: str, url: str) -> list[dict]:
    graph = extruct.extract(html_text, base_url=url, syntaxes=["json-ld"])["json-ld"]
    return [item for data in graph for item in data.get("@graph", [data])]


def of_type(items: list[dict], kind: str) -> dict:
    found = [item for item in items if item.get("@type") == kind]
    assert len(found) == 1, [item.get("@type") for item in items]
    return found[0]


def test_a_byline_equal_to_an_authors_name_links_to_the_author_page(site):
    first = page(site, "talks/2024-05-01-first")
    assert '<a href="../../authors/nour-khalil/" rel="author" dir="auto">Nour Khalil</a>' in first
    assert '<span dir="auto">A Guest Writer</span>' in first  # no author of that name: plain text
    assert (site / "authors/nour-khalil/index.html").is_file()


def test_the_author_page_shows_who_they_are_and_their_latest_briefs_newest_first(site):
    text = page(site, "authors/nour-khalil")
    article = html.unescape(re.search(r"<article.*?</article>", text, re.S).group(0))
    assert "Cairo correspondent" in article and "Covers <em>Egypt</em> and the truce talks." in article
    assert 'href="mailto:nour@example.org"' in article and 'href="https://example.org/nour"' in article
    assert article.index("Development 2") < article.index("Development 1")
    assert "Development" not in page(site, "authors/sam-ortiz").split("<article", 1)[1].split("</article>")[0]


def test_news_article_authors_are_people_with_their_pages(site):
    url = BASE + "talks/2024-05-01-first/"
    article = of_type(jsonld(page(site, "talks/2024-05-01-first"), url), "BackgroundNewsArticle")
    nour, guest = article["author"]
    assert nour["@type"] == "Person" and nour["url"] == BASE + "authors/nour-khalil/" and nour["jobTitle"] == "Cairo correspondent"
    assert guest == {"@type": "Person", "name": "A Guest Writer"}
    assert article["publisher"]["@id"] == BASE + "#publisher"
    profile = of_type(jsonld(page(site, "authors/nour-khalil"), BASE + "authors/nour-khalil/"), "ProfilePage")
    assert profile["mainEntity"]["name"] == "Nour Khalil" and profile["mainEntity"]["sameAs"] == ["https://example.org/nour"]


def test_the_home_page_names_the_newsroom_with_its_policies(site):
    organization = of_type(jsonld(page(site, ""), BASE), "NewsMediaOrganization")
    assert organization["@id"] == BASE + "#publisher"
    assert organization["publishingPrinciples"] == BASE + "about/principles/"
    assert organization["ownershipFundingInfo"] == "https://example.org/ownership"
    assert organization["verificationFactCheckingPolicy"] == BASE + "guide/#statuses"
    assert organization["logo"]["url"] == BASE + "assets/logo.png"
    assert "correctionsPolicy" in organization


def test_the_type_of_work_is_labelled_and_told_to_search_engines(site):
    second = page(site, "talks/2024-05-02-second")
    assert '<span class="brief-work-type"' in second and ">Analysis</span>" in second
    assert of_type(jsonld(second, BASE + "talks/2024-05-02-second/"), "AnalysisNewsArticle")["genre"] == "analysis"
    assert ">Explainer</span>" in page(site, "talks/2024-05-01-first")  # the default


BAD_AUTHORS = """
- id: nour-khalil
  name: Nour Khalil
  contact: javascript:alert(1)
- id: nour-khalil
  name: Someone Else
  links: [http://example.org/plain]
- id: third
  name: Nour Khalil
  rol: Editor
- id: fourth
"""


def test_a_bad_authors_file_gives_each_error_at_its_line(project):
    write(project / "briefs/authors.yaml", BAD_AUTHORS)
    result = run_briefs(project, "check")
    assert result.returncode == 1
    lines = [line for line in result.stdout.splitlines() + result.stderr.splitlines() if ": error: " in line]
    assert lines == [
        "briefs/authors.yaml:3:12: error: [0].contact: a contact is an https:// page or a mailto: address, not 'javascript:'",
        "briefs/authors.yaml:4:7: error: [1].id: duplicate author id 'nour-khalil' (also [0])",
        "briefs/authors.yaml:6:11: error: [1].links[0]: an author's links may use https only, not 'http:'",
        "briefs/authors.yaml:8:9: error: [2].name: two authors named 'Nour Khalil' (also [0]): a byline could not tell them apart; write each name as its bylines do, e.g. with a middle initial",
        "briefs/authors.yaml:9:3: error: [2]: unknown key 'rol'; did you mean 'role'?",
        "briefs/authors.yaml:10:3: error: [3]: missing required key 'name': add a line 'name: …'",
    ], lines


def test_a_misspelt_work_type_names_the_nearest(project):
    write(project / "briefs/test-story/2024-05-07-first.yaml", MINIMAL_BRIEF + "work_type: opinon\n")
    result = run_briefs(project, "check")
    assert result.returncode == 1
    assert "did you mean 'opinion'?" in result.stdout + result.stderr


@pytest.mark.parametrize("path", ["briefs/authors/story.yaml", "briefs/admin/story.yaml", "briefs/test-story/embed.yaml"])
def test_the_names_the_site_uses_are_reserved(project, path):
    write(project / path, MINIMAL_STORY if path.endswith("story.yaml") else MINIMAL_BRIEF)
    result = run_briefs(project, "check")
    assert result.returncode == 1 and path.rsplit("/", 1)[0 if path.endswith("story.yaml") else 1].split("/")[-1].removesuffix(".yaml") in result.stdout + result.stderr


def test_hostile_text_in_every_author_field_is_shown_as_text(project, browser):
    from conftest import serve

    write(project / "briefs/authors.yaml", yaml.safe_dump([{"id": "hostile", "name": PAYLOAD, "role": PAYLOAD, "bio": PAYLOAD}],
                                                          allow_unicode=True, width=10_000))
    write(project / "briefs/test-story/2024-05-07-first.yaml", MINIMAL_BRIEF + "authors: " + json.dumps([PAYLOAD]) + "\n")
    server, url = serve(built_site(project))
    tab = browser.new_page()
    dialogs: list[str] = []
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        for path in ("authors/hostile/", "test-story/2024-05-07-first/", ""):
            tab.goto(url + path)
            assert tab.evaluate("window.PWNED") is None and not dialogs
        tab.goto(url + "authors/hostile/")
        assert "<script>window.PWNED=1</script>" in tab.locator("h1").inner_text()
        person = of_type(jsonld(tab.content(), url + "authors/hostile/"), "ProfilePage")["mainEntity"]
        assert person["name"] == PAYLOAD
    finally:
        tab.close()
        server.shutdown()
