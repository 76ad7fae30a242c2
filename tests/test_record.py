"""A story's record: each claim's status trail on the hub and in briefs.json,
corrections in the JSON-LD and the feeds, and the Google News sitemap."""
from __future__ import annotations

import json
import xml.dom.minidom
from pathlib import Path

import extruct
import feedparser
import lxml.html
import pytest

from conftest import built_site, copy_project, run_briefs, write

NEWS = "http://www.google.com/schemas/sitemap-news/0.9"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"

TALKS = {
    "story.yaml": """
        title: Port talks
        summary: Unions and owners negotiate.
        """,
    "2024-03-01-talks-open.yaml": """
        title: Talks open
        date: 2024-03-01
        summary: The talks open.
        what_we_know:
          - id: deal-near
            text: A deal is near.
            status: claimed
            sources: [{name: Union}]
          - id: strike-called
            text: A strike was called.
            status: reported
            sources: [{name: Port Daily}]
          - text: The   port is closed.
            status: confirmed
        """,
    "2024-03-02-talks-go-on.yaml": """
        title: Talks go on
        date: 2024-03-02
        summary: The talks go on.
        what_we_know:
          - id: deal-near
            text: A deal is near, several outlets report.
            status: reported
            sources: [{name: Port Daily}]
          - id: strike-called
            text: A strike was called.
            status: reported
            sources: [{name: Port Daily}]
          - text: "The port
              is closed."
            status: confirmed
        """,
    "2024-03-03-deal-signed.yaml": """
        title: Deal signed
        date: 2024-03-03T18:00:00+01:00
        summary: The deal is signed.
        what_we_know:
          - id: deal-near
            text: The unions and owners signed a deal.
            status: confirmed
          - text: The port is closed.
            status: confirmed
        """,
    "2024-03-04-draft.yaml": """
        title: A draft
        date: 2024-03-04
        draft: true
        summary: Not published.
        what_we_know:
          - id: deal-near
            text: The deal is in doubt.
            status: disputed
            sources: [{name: Owners}]
        """,
}
ELECTION = {
    "story.yaml": """
        title: 選舉
        summary: 台灣選舉。
        lang: zh-Hant
        """,
    "2024-05-01-vote.yaml": """
        title: Polls open
        date: 2024-05-01T08:00:00+08:00
        summary: Voting began.
        context: |
          The election was called in *March*.
        what_we_know:
          - text: Polls opened at 8.
            status: confirmed
        corrections:
          - date: 2024-05-02T09:30:00+08:00
            text: An earlier version gave the wrong opening time.
        """,
    "2024-04-20-campaign.yaml": """
        title: Campaign ends
        date: 2024-04-20
        summary: The campaign ended.
        what_we_know:
          - text: The campaign ended.
            status: confirmed
        """,
}


def make_project(root: Path) -> Path:
    copy_project(root, with_briefs=False)
    for story, files in (("port-talks", TALKS), ("election", ELECTION)):
        for name, text in files.items():
            write(root / "briefs" / story / name, text)
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = make_project(tmp_path_factory.mktemp("record"))
    return built_site(root)


def hub_claim(site: Path, story: str, words: str):
    page = lxml.html.parse(str(site / story / "index.html")).getroot()
    section = page.get_element_by_id("what-we-know").getparent()
    matches = [li for li in section.iter("li") if words in li.text_content() and li.find_class("brief-claim")]
    assert matches, f"no claim with {words!r} on the hub"
    return matches[0]


def test_a_claim_that_changed_status_twice_shows_its_trail_on_the_hub(built):
    claim = hub_claim(built, "port-talks", "signed a deal")
    trail = claim.find_class("claim-trail")[0]
    labels = [span.text_content() for span in trail.find_class("brief-status")]
    assert labels == ["Claimed", "Reported", "Confirmed"]
    links = [a.get("href") for a in trail.iter("a")]
    assert links == ["2024-03-01-talks-open/", "2024-03-02-talks-go-on/", "2024-03-03-deal-signed/"]
    assert [t.get("datetime") for t in trail.iter("time")] == ["2024-03-01", "2024-03-02", "2024-03-03"]  # a trail names days


def test_a_claim_matched_by_its_folded_text_with_one_status_has_no_trail(built):
    claim = hub_claim(built, "port-talks", "The port is closed.")
    assert not claim.find_class("claim-trail")


def test_a_dropped_claim_is_listed_with_its_last_status_and_the_brief_that_dropped_it(built):
    page = lxml.html.parse(str(built / "port-talks" / "index.html")).getroot()
    heading = page.get_element_by_id("no-longer-listed")
    assert heading.text_content().startswith("No longer listed")
    dropped = heading.getnext()
    (item,) = dropped.iter("li")
    assert "A strike was called." in item.text_content()
    assert [s.text_content() for s in item.find_class("brief-status")] == ["Reported"]
    assert [a.get("href") for a in item.iter("a")] == ["2024-03-03-deal-signed/"]


def test_drafts_are_not_in_the_trail_unless_the_build_includes_them(built, tmp_path):
    assert "Disputed" not in hub_claim(built, "port-talks", "signed a deal").text_content()
    root = make_project(tmp_path)
    assert run_briefs(root, "build", "--drafts").returncode == 0
    claim = hub_claim(root / "site", "port-talks", "deal is in doubt")
    labels = [s.text_content() for s in claim.find_class("claim-trail")[0].find_class("brief-status")]
    assert labels == ["Claimed", "Reported", "Confirmed", "Disputed"]


def test_briefs_json_carries_each_claims_history(built):
    stories = {s["slug"]: s for s in json.loads((built / "briefs.json").read_text(encoding="utf-8"))["stories"]}
    assert json.loads((built / "briefs.json").read_text(encoding="utf-8"))["version"] == 1
    claims = {c.get("id", c["text"]): c for c in stories["port-talks"]["claims"]}
    deal = claims["deal-near"]
    assert (deal["status"], deal["listed"], deal["text"]) == ("confirmed", True, "The unions and owners signed a deal.")
    assert [(h["status"], h["brief"], h["date"]) for h in deal["history"]] == [
        ("claimed", "2024-03-01-talks-open", "2024-03-01"),
        ("reported", "2024-03-02-talks-go-on", "2024-03-02"),
        ("confirmed", "2024-03-03-deal-signed", "2024-03-03T18:00:00+01:00"),
    ]
    strike = claims["strike-called"]
    assert (strike["listed"], strike["dropped_in"]["brief"]) == (False, "2024-03-03-deal-signed")
    assert strike["dropped_in"]["url"].endswith("/port-talks/2024-03-03-deal-signed/")
    assert "The port is closed." in claims and "The   port is closed." not in claims  # one claim, its latest wording


def news_article(page: Path) -> dict:
    data = extruct.extract(page.read_text(encoding="utf-8"), syntaxes=["json-ld"], uniform=True)
    graph = [item for block in data["json-ld"] for item in block.get("@graph", [block])]
    (article,) = [item for item in graph if item.get("@type") == "BackgroundNewsArticle"]
    return article


def test_json_ld_carries_corrections_backstory_and_the_correction_as_last_modification(built):
    article = news_article(built / "election" / "2024-05-01-vote" / "index.html")
    assert article["correction"] == [{
        "@type": "CorrectionComment",
        "text": "An earlier version gave the wrong opening time.",
        "datePublished": "2024-05-02T09:30:00+08:00",
    }]
    assert article["dateModified"] == "2024-05-02T09:30:00+08:00"
    assert article["datePublished"] == "2024-05-01T08:00:00+08:00"
    assert article["backstory"] == "The election was called in March."
    plain = news_article(built / "election" / "2024-04-20-campaign" / "index.html")
    assert "correction" not in plain and "backstory" not in plain


def news_entries(site: Path) -> dict[str, dict]:
    document = xml.dom.minidom.parse(str(site / "news-sitemap.xml"))
    assert document.documentElement.namespaceURI == SITEMAP
    entries = {}
    for url in document.getElementsByTagNameNS(SITEMAP, "url"):
        loc = url.getElementsByTagNameNS(SITEMAP, "loc")[0].firstChild.data

        def text(name: str) -> str:
            return url.getElementsByTagNameNS(NEWS, name)[0].firstChild.data

        entries[loc] = {name: text(name) for name in ("name", "language", "publication_date", "title")}
    return entries


def test_news_sitemap_lists_the_briefs_of_the_48_hours_before_the_newest(built):
    entries = news_entries(built)
    base = "https://example.github.io/briefs/"
    # The newest moment is the vote brief's correction (2 May, 09:30 +08:00); within
    # 48 hours before it lies only that brief's own publication, not 20 April's.
    assert list(entries) == [f"{base}election/2024-05-01-vote/"]
    vote = entries[f"{base}election/2024-05-01-vote/"]
    assert vote == {"name": "Briefs desk", "language": "zh-tw",
                    "publication_date": "2024-05-01T08:00:00+08:00", "title": "Polls open"}


def test_news_sitemap_window_counts_from_the_content_and_never_lists_drafts(tmp_path):
    root = make_project(tmp_path)
    for name in ELECTION:
        if name != "story.yaml":
            (root / "briefs" / "election" / name).unlink()
    assert run_briefs(root, "build", "--drafts").returncode == 0
    entries = news_entries(root / "site")
    # Newest published moment: the deal, 3 March 18:00 +01:00; the 2 March brief
    # (start of day, UTC) is within 48 hours of it, 1 March is not; the draft never is.
    assert [loc.rsplit("/", 2)[1] for loc in entries] == ["2024-03-03-deal-signed", "2024-03-02-talks-go-on"]
    assert {e["language"] for e in entries.values()} == {"en"}


@pytest.mark.parametrize("tag, language", [("en", "en"), ("fr-CA", "fr"), ("zh", "zh-cn"), ("zh-Hans-CN", "zh-cn"),
                                           ("zh-Hant", "zh-tw"), ("zh-HK", "zh-tw"), ("ar", "ar"), ("fil", "fil")])
def test_news_language_is_what_google_news_expects(tag, language):
    from generator.news_sitemap import news_language

    assert news_language(tag) == language


def test_feeds_carry_corrections(built):
    for feed_path in (built / "feed.xml", built / "election" / "feed.xml"):
        feed = feedparser.parse(feed_path.read_bytes())
        (entry,) = [e for e in feed.entries if e.link.endswith("/election/2024-05-01-vote/")]
        assert entry.updated == "2024-05-02T09:30:00+08:00"
        # in the story's language (zh-Hant), as its pages say it
        assert "更正 (2024-05-02T09:30:00+08:00): An earlier version gave the wrong opening time." in entry.summary
        assert "An earlier version gave the wrong opening time." in entry.content[0].value
    assert feedparser.parse((built / "election" / "feed.xml").read_bytes()).feed.updated == "2024-05-02T09:30:00+08:00"
