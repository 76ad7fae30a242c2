"""The front of the site: the home page's cards, the story hub's timeline,
tags and their pages, and no page but a hub growing with the archive."""
from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from hypothesis import given, settings, strategies as st

from conftest import copy_project, run_briefs, serve, write
from generator.tags import SLUG_LENGTH, TagIndex, assign_slugs, natural_slug, tag_key
from pages import article_text, page_path

STORIES = 8
BRIEFS_PER_STORY = 50  # 400 briefs
BOUND = 60  # briefs any page but a story hub may link to
LONG_WORD = "Unbreakable" * 12  # a headline word wider than a phone
# Spellings of a few tags, several meaning one tag each.
BRIEF_TAGS = ["Economy", "economy", "ECONOMY", "S&P 500", "économie", "غزة", "🔥", "C#", "C++", "c"]


def story_tags(n: int) -> list[str]:
    # "Tag" on five stories, "tag" on two, both on one: one tag, spelt "Tag".
    return {1: ["Shared", "غزة"], 0: ["Shared", "tag"], 2: ["Shared", "tag"], 3: ["Shared", "Tag", "tag"]}.get(n, ["Shared", "Tag"])


def brief_tags(story: int, day: int) -> list[str]:
    return [BRIEF_TAGS[(story + day) % len(BRIEF_TAGS)], BRIEF_TAGS[day % len(BRIEF_TAGS)]]


def story_yaml(n: int) -> str:
    if n == 1:  # a right-to-left story
        return f'title: "غزة: المفاوضات"\nsummary: "ملخص القصة."\nlang: ar\ntags: {story_tags(n)!r}\n'
    status = "concluded" if n == 7 else "developing"
    return f"title: Story {n}\nsummary: Where story {n} stands.\nstatus: {status}\ntags: {story_tags(n)!r}\n"


def brief_yaml(story: int, day: int) -> str:
    long = day % 10 == 0 or (story, day) == (3, 49)  # on a hub, a tag page, the home page
    title = f"{LONG_WORD} {story}-{day}" if long else f"Development {day} of story {story}"
    tags = brief_tags(story, day)
    return f"""
title: "{title}"
date: 2024-{1 + day // 28:02d}-{1 + day % 28:02d}T{story:02d}:00:00+02:00
summary: "A summary of development {day} of story {story}, long enough to run over more than one line of a card on a phone."
tags: {tags!r}
what_we_know:
  - text: A confirmed claim.
    status: confirmed
  - text: A reported claim.
    status: reported
    sources: [{{name: A Paper}}]
timeline:
  - date: "2024-{1 + day // 28:02d}-{1 + day % 28:02d}"
    text: The development itself, on its own day.
  - date: "2001"
    text: Background since 2001.
"""


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    """400 briefs in 8 stories with shared tags, built."""
    root = copy_project(tmp_path_factory.mktemp("archive"), with_briefs=False)
    for story in range(STORIES):
        write(root / f"briefs/story-{story}/story.yaml", story_yaml(story))
        for day in range(BRIEFS_PER_STORY):
            write(root / f"briefs/story-{story}/2024-{day:03d}.yaml", brief_yaml(story, day))
    result = run_briefs(root, "build")
    assert result.returncode == 0 and result.stderr == "", result.stderr
    return root / "site"


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def linked_briefs(site: Path, page: Path, briefs: set[str]) -> set[str]:
    """The briefs a page links to, as site paths like 'story-0/2024-001/'."""
    parser = Links()
    parser.feed(page.read_text(encoding="utf-8"))
    here = "http://site/" + page.parent.relative_to(site).as_posix() + "/"
    paths = {unquote(urlsplit(urljoin(here, href)).path).removeprefix("/") for href in parser.hrefs}
    return paths & briefs


def test_no_page_but_a_story_hub_links_to_more_than_60_briefs(archive):
    briefs = {f"story-{s}/2024-{d:03d}/" for s in range(STORIES) for d in range(BRIEFS_PER_STORY)}
    assert all((archive / path / "index.html").is_file() for path in briefs)
    hubs = {archive / f"story-{s}/index.html" for s in range(STORIES)}
    counts = {page.relative_to(archive).as_posix(): len(linked_briefs(archive, page, briefs))
              for page in archive.rglob("*.html") if page not in hubs}
    assert max(counts.values()) <= BOUND, sorted(counts.items(), key=lambda item: -item[1])[:5]
    assert counts["tags/shared/index.html"] == 30  # extra.briefing.latest
    assert counts["index.html"] == STORIES  # one card per story
    # A hub lists every development of its story.
    assert len(linked_briefs(archive, archive / "story-2/index.html", briefs)) == BRIEFS_PER_STORY


def test_home_cards_are_each_storys_newest_development_newest_first(archive):
    home = (archive / "index.html").read_text(encoding="utf-8")
    cards = re.findall(r'<li class="briefs-card">(.*?)</li>\s*(?=<li class="briefs-card">|</ol>)', home, re.S)
    headlines = [re.search(r'<h3 class="briefs-card__title"[^>]*><a href="([^"]+)"', card).group(1) for card in cards]
    # Day 49 is each story's newest; its hour is the story's number, so story 7 is the newest of all.
    assert headlines == [f"story-{s}/2024-049/" for s in reversed(range(STORIES))]
    first = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", cards[0])).split())
    assert first.startswith("Story 7 Concluded Development 49 of story 7")
    assert "A summary of development 49 of story 7" in first and "Confirmed 1 Reported 1" in first
    # each story once: every story has its card, so no list of stories follows
    assert 'id="stories"' not in home
    body = home[home.index("<article"): home.index("</article>")]
    assert all(body.count(f'href="story-{s}/"') == 1 for s in range(STORIES))


def test_tags_compare_without_case_and_keep_their_most_used_spelling(archive):
    words = article_text(page_path(archive, "tags"))
    assert re.search(r"\bShared 400\b", words) and re.search(r"\bTag 350\b", words) and " tag " not in words
    # A brief counts once, for the spelling it writes first.
    spellings = Counter(next((t for t in brief_tags(s, d) if t.lower() == "economy"), None)
                        for s in range(STORIES) for d in range(BRIEFS_PER_STORY))
    del spellings[None]
    most_used = min(spellings, key=lambda t: (-spellings[t], t))
    assert re.search(rf"\b{most_used} {sum(spellings.values())}\b", words)
    assert [t for t in spellings if t in words.split()] == [most_used]
    slugs = sorted(p.name for p in (archive / "tags").iterdir() if p.is_dir())
    assert slugs == sorted(["c", "c-2", "c-3", "economy", "économie", "shared", "s-p-500", "tag", "tag-2", "غزة"])
    # "🔥" has no letter or digit: the fallback slug, taken by "Tag", so the next free one.
    assert '<a href="tag-2/" dir="auto">🔥</a>' in page_path(archive, "tags").read_text(encoding="utf-8")
    tag_page = page_path(archive, "tags/tag-2").read_text(encoding="utf-8")
    assert "<title>🔥 - " in tag_page and article_text(page_path(archive, "tags/tag-2")).startswith("Tag 🔥")


def test_every_tag_link_leads_to_its_page(archive):
    brief = archive / "story-1/2024-004/index.html"
    text = brief.read_text(encoding="utf-8")
    links = re.findall(r'<nav class="briefs-tags".*?</nav>', text, re.S)[0]
    # Below the article: after its last section, not above the headline.
    assert text.index(links) > text.rindex("<h2 ") > text.index("<h1")
    hrefs = re.findall(r'href="([^"]+)"', links)
    assert len(hrefs) == 3  # Shared, غزة (the story's and the brief's), économie: each once
    for href in hrefs:
        target = unquote(urljoin("http://site/story-1/2024-004/", href))
        assert (archive / urlsplit(target).path.lstrip("/") / "index.html").is_file(), href
    assert 'href="../../tags/%C3%A9conomie/"' in links
    assert article_text(page_path(archive, "tags/s-p-500")).startswith("Tag S&P 500")


def test_hub_timeline_shows_a_development_once_and_its_background(archive):
    timeline = article_text(page_path(archive, "story-2"))
    assert "The development itself, on its own day." not in timeline
    assert timeline.count("Background since 2001.") == 1


@pytest.mark.parametrize("page", ["", "story-1/", "story-2/", "tags/", "tags/shared/", "tags/%D8%BA%D8%B2%D8%A9/",
                                  "story-2/2024-010/"])
def test_pages_fit_a_phone_without_sideways_scrolling(browser, archive, page):
    server, url = serve(archive)
    try:
        tab = browser.new_page(viewport={"width": 390, "height": 844})
        response = tab.goto(url + page)
        assert response.ok
        overflow = tab.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert overflow[0] <= overflow[1], overflow
        assert tab.locator("h1").count() == 1
        tab.close()
    finally:
        server.shutdown()


# ---- Tag slugs as the rules state them ----

def test_slugs_keep_letters_of_any_script():
    assert natural_slug(tag_key("S&P 500")) == "s-p-500"
    assert natural_slug(tag_key("Économie")) == "économie"
    assert natural_slug(tag_key("غزة")) == "غزة"
    assert natural_slug(tag_key("हिन्दी समाचार")) == "हिन्दी-समाचार"  # vowel signs are marks, kept
    assert natural_slug(tag_key("🔥")) == natural_slug(tag_key("++")) == "tag"
    assert natural_slug(tag_key("a" * 100)) == "a" * SLUG_LENGTH


def test_two_tags_alike_get_distinct_slugs_whatever_the_order():
    tags = ["C", "c#", "C++", "c 2", "index"]
    forward = assign_slugs(tag_key(t) for t in tags)
    assert forward == assign_slugs(tag_key(t) for t in reversed(tags))
    # "c 2" keeps its own slug; "c#" and "C++" take the next free ones.
    assert forward == {"c": "c", "c 2": "c-2", "c#": "c-3", "c++": "c-4", "index": "index-2"}


def test_one_tag_for_every_case_most_used_spelling_shown():
    index = TagIndex([(["Tag"], 1), (["tag", "TAG"], 2), (["tag"], 3), (["Tag"], 4), (["tag  "], 5)])
    (tag, items), = index.alphabetical()
    assert (tag.name, tag.count, tag.slug, items) == ("tag", 5, "tag", [1, 2, 3, 4, 5])
    assert index.of(["TAG", "tAg"]) == [tag]


tag_text = st.text(st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=30)


@settings(max_examples=300)
@given(st.lists(tag_text, max_size=20))
def test_slugs_never_collide_and_hold_only_letters_digits_and_hyphens(tags):
    keys = {tag_key(t) for t in tags}
    slugs = assign_slugs(keys)
    assert set(slugs) == keys and len(set(slugs.values())) == len(keys)
    assert "index" not in slugs.values()
    for slug in slugs.values():
        assert slug and not slug.startswith("-") and not slug.endswith("-") and "--" not in slug
        assert all(c == "-" or unicodedata.category(c)[0] in "LMN" for c in slug), slug
        assert len(slug.encode("utf-8")) <= 250


class NamedElements(HTMLParser):
    """Elements carrying aria-label where ARIA forbids a name (the Nu Html
    Checker's error): generic and text-level elements without a role."""
    FORBIDDEN = {"p", "span", "div", "strong", "em", "b", "i", "code", "sup", "sub", "del", "ins", "caption", "time"}

    def __init__(self):
        super().__init__()
        self.named: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.FORBIDDEN and "aria-label" in attrs and "role" not in attrs:
            self.named.append(f"<{tag} aria-label={attrs['aria-label']!r}>")


def test_no_name_on_an_element_that_cannot_carry_one(archive, example_site):
    for site in (archive, example_site):
        for page in ["", "story-2/", "story-2/2024-049/", "tags/", "tags/shared/", "gaza-truce-talks/"]:
            if page_path(site, page).is_file():
                parser = NamedElements()
                parser.feed(page_path(site, page).read_text(encoding="utf-8"))
                assert parser.named == [], page
