"""Every page in its language: a French story and an Arabic story built in
one English site. A story's hub and briefs say every word in the story's
language (sections, labels, statuses, dates, search box, footer, Material's
own words, card pills, the feed's corrections); the home page and the
tags in the site's. A newsroom's words go over the bundled ones, checked
at their line; a language without words gets English and a note."""
from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, built_site, run_briefs, serve, write
from pages import article_text, page_path

SETTINGS = """
site_name: The Desk
site_url: https://example.org/briefs/
docs_dir: build/docs
site_dir: site
use_directory_urls: true
theme:
  name: material
  custom_dir: overrides
  language: {language}
  font: false
plugins: []
markdown_extensions:
  - toc:
      permalink: true
  - attr_list
  - admonition
not_in_nav: |
  /*/*.md
extra:
  briefing:
    publisher: The Desk
    contact: mailto:desk@example.org
{words}"""

FRENCH_WORDS = """\
    words:
      fr:
        words.published: Mis en ligne
"""


def settings(language: str = "en", words: str = FRENCH_WORDS) -> str:
    return SETTINGS.format(language=language, words=words)


def new_project(root: Path, mkdocs: str) -> Path:
    shutil.copytree(ROOT / "overrides", root / "overrides")  # the theme, not a newsroom's settings
    write(root / "mkdocs.yml", mkdocs)
    return root


def write_stories(root: Path) -> None:
    write(root / "briefs/sommet/story.yaml", """
        title: Sommet de Paris
        summary: Les négociations avancent.
        lang: fr
        tags: [diplomatie]
    """)
    write(root / "briefs/sommet/2024-05-06-ouverture.yaml", """
        title: Le sommet s'ouvre
        date: 2024-05-06T09:00:00+02:00
        location: Paris
        authors: [Claire Dubois]
        summary: Le sommet s'est ouvert.
        what_we_know:
          - text: Les délégations sont arrivées.
            status: confirmed
          - text: Un accord serait proche.
            status: claimed
            sources: [{name: Agence, url: "https://example.org/a"}]
    """)
    write(root / "briefs/sommet/2024-05-07-accord.yaml", """
        title: Un accord est signé
        date: 2024-05-07T18:00:00+02:00
        updated: 2024-05-07T21:00:00+02:00
        location: Paris
        authors: [Claire Dubois]
        summary: Un accord a été signé.
        what_we_know:
          - text: Les délégations sont arrivées.
            status: confirmed
          - text: Un accord serait proche.
            status: confirmed
          - text: Le texte compte dix articles.
            status: reported
            sources: [{name: Agence, url: "https://example.org/a"}]
        what_we_dont_know:
          - Quand l'accord entrera en vigueur.
        positions:
          - party: La présidence
            stance: Satisfaite.
            quotes:
              - text: Un grand jour
                by: La porte-parole
        corrections:
          - date: 2024-05-08
            text: Une version précédente donnait une mauvaise heure.
    """)
    write(root / "briefs/qimma/story.yaml", """
        title: قمة القاهرة
        summary: المفاوضات مستمرة.
        lang: ar
    """)
    write(root / "briefs/qimma/2024-05-07-ittifaq.yaml", """
        title: توقيع اتفاق في القاهرة
        date: 2024-05-07T12:00:00+03:00
        updated: 2024-05-07T15:30:00+03:00
        location: القاهرة
        authors: [John Smith, سارة علي]
        summary: وُقّع اتفاق.
        what_we_know:
          - text: وصلت الوفود.
            status: confirmed
          - text: الاتفاق يشمل وقف إطلاق النار.
            status: claimed
            sources: [{name: وكالة, url: "https://example.org/b"}]
    """)
    write(root / "briefs/summit/story.yaml", """
        title: Geneva summit
        summary: Talks go on.
        tags: [diplomatie]
    """)
    write(root / "briefs/summit/2024-05-07-talks.yaml", """
        title: Talks open in Geneva
        date: 2024-05-07T10:00:00+02:00
        authors: [Jane Doe]
        summary: Talks opened.
        what_we_know:
          - text: The delegations arrived.
            status: confirmed
    """)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = new_project(tmp_path_factory.mktemp("languages"), settings())
    write_stories(root)
    return built_site(root)


def page(site: Path, url: str) -> str:
    return page_path(site, url).read_text(encoding="utf-8")


def material_word(language: str, key: str) -> str:
    """A word of Material's own translation file for `language`."""
    import material

    text = (Path(material.__file__).parent / "templates/partials/languages" / f"{language}.html").read_text(encoding="utf-8")
    return re.search(rf'"{re.escape(key)}": "([^"]+)"', text).group(1)


def theme_words(source: str) -> str:
    """What the theme adds around the article: the search box's words and the footer's, as a reader's browser reads them."""
    search = json.dumps(json.loads(html.unescape(re.search(r"data-words='([^']*)'", source).group(1))), ensure_ascii=False)
    footer = re.search(r'<section class="briefs-masthead"[^>]*>.*?</section>', source, re.S).group(0)
    return search + " " + html.unescape(footer)


FRENCH = ["Ce que l'on sait", "Ce que l'on ignore", "Qui dit quoi", "Sources", "Rectificatifs", "Ce qui a changé",
          "Mis en ligne", "Mis à jour", "Par", "Confirmé", "Rapporté", "Sujet en cours", "« Un grand jour »",
          "7 mai 2024, 18:00 UTC+2", "Comment nous qualifions les informations"]
ARABIC = ["ما نعرفه", "نُشر", "حُدّث", "بقلم", "مؤكَّد", "مزعوم", "قصة متواصلة", "7 مايو 2024", "كيف نصنّف المعلومات"]
ENGLISH = ["What we know", "Published", "By", "Confirmed", "Developing story", "May 7, 2024, 10:00 GMT+2"]


def test_a_french_brief_says_every_word_in_french(site):
    text = article_text(page_path(site, "sommet/2024-05-07-accord"))
    assert [word for word in FRENCH if word not in text] == []
    assert [word for word in ENGLISH + ["Updated", "What changed"] if word in text] == []
    theme = theme_words(page(site, "sommet/2024-05-07-accord"))
    assert "Rechercher dans les articles" in theme and "À propos de ce site" in theme and "Search the briefs" not in theme
    assert f'aria-label="{material_word("fr", "header")}"' in page(site, "sommet/2024-05-07-accord")  # Material's own words


def test_a_french_hub_says_every_word_in_french(site):
    text = article_text(page_path(site, "sommet"))
    assert all(word in text for word in ["Ce que l'on sait", "Dernier développement", "Développements", "Sujet en cours",
                                         "2 changements depuis le développement précédent", "Partager", "6 mai 2024"]), text
    assert not any(word in text for word in ["What we know", "Developments", "Developing story", "changes since", "Share"])


def test_an_arabic_brief_says_every_word_in_arabic(site):
    source = page(site, "qimma/2024-05-07-ittifaq")
    text = article_text(page_path(site, "qimma/2024-05-07-ittifaq"))
    assert [word for word in ARABIC if word not in text] == []
    assert [word for word in ENGLISH + ["Updated", "May"] if word in text] == []
    theme = theme_words(source)
    assert "ابحث في الموجزات" in theme and "عن هذا الموقع" in theme
    assert f'aria-label="{material_word("ar", "header")}"' in source


def test_the_english_story_and_the_sites_pages_stay_in_the_sites_language(site):
    text = article_text(page_path(site, "summit/2024-05-07-talks"))
    assert all(word in text for word in ENGLISH), text
    assert not any(word in text for word in ["Ce que l'on sait", "Mis en ligne", "ما نعرفه"])
    home = article_text(page_path(site, ""))
    assert all(word in home for word in ["Latest developments", "Developing story", "May 7, 2024"]), home
    assert not any(word in home for word in ["Sujet en cours", "7 mai", "قصة متواصلة", "مايو"])  # a French card, in English
    tags = article_text(page_path(site, "tags"))
    assert "Tags" in tags and "Every tag" in tags
    tag = article_text(page_path(site, "tags/diplomatie"))
    assert "2 developments with this tag" in tag  # French and English briefs, counted in English
    for url in ("", "tags", "tags/diplomatie", "summit/2024-05-07-talks"):
        assert "Search the briefs" in theme_words(page(site, url))


def test_the_cards_and_the_feed_say_their_storys_words(site):
    from generator.build import check_project
    from generator.cards import project_cards
    from generator.sharing import card_path

    cards = project_cards(check_project(site.parent))
    assert dict(cards[card_path("sommet", "2024-05-07-accord")].counts) == {"confirmed": "Confirmé : 2", "reported": "Rapporté : 1"}
    assert cards[card_path("qimma")].kicker == "قصة متواصلة"
    assert dict(cards[card_path("qimma", "2024-05-07-ittifaq")].counts) == {"confirmed": "مؤكَّد: 1", "claimed": "مزعوم: 1"}
    assert dict(cards[card_path("summit", "2024-05-07-talks")].counts) == {"confirmed": "1 Confirmed"}
    feed = (site / "sommet/feed.xml").read_text(encoding="utf-8")
    assert "Rectificatif (2024-05-08)" in feed


RTL_ORDER = """el => {
  // Every run of words of the line, in the page's (DOM) order, with its box.
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  const runs = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!/[\\p{L}\\p{N}]/u.test(node.textContent)) continue;  // a separator
    const range = document.createRange();
    range.selectNodeContents(node);
    const boxes = [...range.getClientRects()].filter((box) => box.width > 0);  // one a line the run is on
    const place = (box) => ({left: box.left, right: box.right, top: Math.round(box.top)});
    runs.push({text: node.textContent.trim(), first: place(boxes[0]), last: place(boxes[boxes.length - 1])});
  }
  return runs;
}"""


def in_reading_order(runs: list[dict], direction: str) -> bool:
    """Each run starts after the one before it ends, as its line reads
    (leftwards in right-to-left); a run that wraps ends on its last line."""
    for before, after in zip(runs, runs[1:]):
        end, start = before["last"], after["first"]
        if start["top"] != end["top"]:
            continue  # the next line
        if direction == "rtl" and start["right"] > end["left"] + 1:
            return False
        if direction == "ltr" and start["left"] < end["right"] - 1:
            return False
    return True


def test_the_in_order_check_fails_on_a_run_out_of_place():
    label, date = {"left": 300, "right": 340, "top": 0}, {"left": 350, "right": 420, "top": 0}
    runs = [{"text": "نُشر", "first": label, "last": label}, {"text": "7 مايو", "first": date, "last": date}]
    assert not in_reading_order(runs, "rtl") and in_reading_order(runs, "ltr")


@pytest.mark.parametrize("path, direction", [("qimma/2024-05-07-ittifaq/", "rtl"), ("sommet/2024-05-07-accord/", "ltr")])
def test_the_meta_line_reads_in_order(browser, site, path, direction):
    """In a right-to-left page each date and name keeps its place: the
    label, then its date, then the next label, leftwards, with a Latin name
    among Arabic ones."""
    server, url = serve(site)
    try:
        page_ = browser.new_page(viewport={"width": 1280, "height": 800})
        page_.goto(url + path)
        meta = page_.locator(".brief-meta")
        assert meta.evaluate("el => getComputedStyle(el).direction") == direction
        runs = meta.evaluate(RTL_ORDER)
        texts = [run["text"] for run in runs]
        if direction == "rtl":
            assert "John Smith" in texts and "سارة علي" in texts and "نُشر" in " ".join(texts)
        assert in_reading_order(runs, direction), runs
        page_.close()
    finally:
        server.shutdown()


OVERRIDE_MISTAKES = """\
    words:
      fr:
        words.publshed: Mis en ligne
        words.changed_since: Depuis hier
        words.tag_newest: "Les {shown} sur {nombre}"
        words.changes_count:
          few: "{n} x"
      fr-CA:
        section.tags: Étiquettes
      xx:
        section.tags: Tags
      sw:
        section.what_we_know: Tunachojua
"""


def test_a_newsrooms_words_are_checked_at_their_line(tmp_path):
    root = new_project(tmp_path, settings(words=OVERRIDE_MISTAKES))
    write_stories(root)
    result = run_briefs(root, "check")
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    at = "mkdocs.yml:{}:{}: error: extra.briefing.words."
    assert errors == [
        at.format(25, 9) + "fr: unknown word 'words.publshed'; did you mean 'words.published'?",
        at.format(26, 30) + "fr.words.changed_since: the word must keep its placeholder {date}, where the page puts what it names",
        at.format(27, 27) + "fr.words.tag_newest: {nombre} is not a placeholder of this word; it has {shown}, {total}",
        at.format(29, 11) + "fr.words.changes_count: 'few' is not a plural form of this language; it has many, one, other",
        at.format(30, 7).replace(".words.", ".words") + ": 'fr-CA': words are set for a whole language, every region of it; write fr",
        at.format(32, 7).replace(".words.", ".words") + ": unknown language 'xx'; write a language tag like fr, ar or zh-Hant",
    ], result.stderr


def test_a_language_without_words_reads_english_with_a_note(tmp_path):
    root = new_project(tmp_path, settings(language="nl", words=""))
    write(root / "briefs/hadithi/story.yaml", "title: Mkutano\nsummary: Mazungumzo yanaendelea.\nlang: sw\n")
    write(root / "briefs/hadithi/2024-05-07-kwanza.yaml", """
        title: Mazungumzo yaanza
        date: 2024-05-07
        summary: Mazungumzo yalianza.
        what_we_know:
          - text: Wajumbe walifika.
            status: confirmed
    """)
    result = run_briefs(root, "check", "--format", "github")
    assert result.returncode == 0, result.stderr
    assert "error" not in result.stderr
    assert result.stderr.splitlines()[:2] == [
        "mkdocs.yml:1:1: note: theme.language: 'nl' has no bundled words, so its pages show English ones around your text; "
        "to give your own, set them under extra.briefing.words.nl in mkdocs.yml (the editor guide lists every word)",
        "briefs/hadithi/story.yaml:3:7: note: lang: 'sw' has no bundled words, so its pages show English ones around your "
        "text; to give your own, set them under extra.briefing.words.sw in mkdocs.yml (the editor guide lists every word)",
    ]
    assert "::notice file=briefs/hadithi/story.yaml,line=3,col=7::lang: 'sw' has no bundled words" in result.stdout
    text = article_text(page_path(built_site(root), "hadithi/2024-05-07-kwanza"))
    assert "What we know" in text and "Confirmed" in text
    # Words given for it: its pages say them, and no note
    write(root / "mkdocs.yml", settings(language="nl", words="    words:\n      sw:\n        section.what_we_know: Tunachojua\n"))
    result = run_briefs(root, "check")
    assert result.returncode == 0 and "'sw'" not in result.stderr and "'nl'" in result.stderr, result.stderr
