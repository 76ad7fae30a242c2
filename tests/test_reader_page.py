"""A brief's page in the built HTML: its head in a news order, What changed
one line per change, the legend from the first label, citations in order,
the end of a brief, and the footer's masthead from the site settings."""
from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from conftest import built_site, run_briefs, write
from test_following import BRIEFS, make_story_project, page

CORRECTED = BRIEFS["2024-01-02-second"] + """
corrections:
  - date: 2024-01-03
    text: An earlier version named the wrong bridge.
location: Riverside
authors: [Ana Lima]
question: Will the bridge reopen?
sources:
  - {id: zeta, name: Zeta Wire}
  - {id: alpha, name: Alpha Daily}
positions:
  - party: Council
    stance: It says works go on.
    quotes:
      - {text: We are on time., by: The mayor, source: alpha}
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = make_story_project(tmp_path_factory.mktemp("reader"))
    write(root / "briefs/bridge/2024-01-02-second.yaml", CORRECTED.replace(
        "sources: [{name: Mayor}]", "sources: [zeta, alpha, {name: Mayor}]"))
    write(root / "briefs/bridge/2024-01-01-first.yaml", BRIEFS["2024-01-01-first"].replace(
        "Old claim B about the bridge.", "Old claim B about the bridge. " + "It goes on for a long while. " * 4))
    return built_site(root)


def article(page_html: str) -> str:
    return page_html[page_html.index("<article"): page_html.index("</article>")]


def words(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).replace(" :", ":").split())


def test_the_head_reads_story_headline_question_byline_dateline_published_updated_summary_then_what_changed(site):
    text = article(page(site, "bridge/2024-01-02-second"))
    order = ['class="brief-kicker"', "<h1", 'class="brief-question"', "By <span", 'class="brief-dateline"',
             'class="brief-published"', 'class="brief-summary"', 'id="what-changed"', 'id="what-we-know"']
    positions = [text.index(marker) for marker in order]
    assert positions == sorted(positions)
    meta = re.search(r'<p class="brief-meta".*?</p>', text).group(0)
    assert words(meta) == "By Ana Lima Riverside · Published January 2, 2024"
    kicker = re.search(r'<p class="brief-kicker".*?</p>', text).group(0)
    assert words(kicker) == "Bridge repairs Developing story Explainer Share" and 'href="../"' in kicker
    # the tags come after the article's last section
    assert text.index('class="briefs-tags"') > text.index('id="sources"')


def test_a_link_on_the_head_jumps_to_what_changed_and_the_correction_notice_to_the_corrections(site):
    text = article(page(site, "bridge/2024-01-02-second"))
    head = text[: text.index('class="brief-summary"')]
    assert '<a href="#what-changed">' in head
    notice = re.search(r'<div class="admonition info brief-corrected">.*?</div>', head).group(0)
    assert '<a href="#corrections">' in notice and 'id="corrections"' in text
    first = article(page(site, "bridge/2024-01-01-first"))
    assert "#what-changed" not in first and "brief-corrected" not in first


def test_no_claim_is_repeated_in_full_on_a_page(site):
    second = article(page(site, "bridge/2024-01-02-second"))
    fourth = article(page(site, "bridge/2024-01-04-fourth"))
    for text in (second, fourth):
        claims = [words(c) for c in re.findall(r'<span class="brief-claim[^"]*" dir="auto">(.*?)</span>', text)]
        assert claims and all(words(text).count(claim) == 1 for claim in claims if len(claim) > 80), claims
    # a claim dropped from a brief is one line that says so, cut like the others, never struck through
    line = re.search(r"<li><strong class=\"brief-change\">No longer listed</strong>.*?</li>", second).group(0)
    assert words(line) == "No longer listed Reported Old claim B about the bridge. It goes on for a long while. It goes on for a long…"
    assert "line-through" not in (Path(__file__).parent.parent / "overrides/assets/stylesheets/briefs.css").read_text(encoding="utf-8")


def test_the_first_status_label_leads_to_the_legend(site):
    for path in ("bridge/2024-01-01-first", "bridge/2024-01-02-second"):
        text = article(page(site, path))
        first = text.index('class="brief-status ')
        link = text.rindex("<a ", 0, first)
        assert text[link: first].startswith('<a class="brief-status-link" href="#how-we-label-claims"'), path
        assert text.count('class="brief-status-link"') == 1 and 'id="how-we-label-claims"' in text, path


def test_a_claim_names_its_sources_each_a_link_to_its_entry_in_sources(site):
    text = article(page(site, "bridge/2024-01-02-second"))
    claim = re.search(r"<li id=\"claim-3\">.*?</li>", text).group(0)
    cites = re.findall(r'<a class="brief-cite"[^>]* href="#source-(\d+)"[^>]*>([^<]*)</a>', claim)
    assert [name for _, name in cites] == ["Zeta Wire", "Alpha Daily", "Mayor"]  # in the Sources list's order
    for number, name in cites:
        assert re.search(rf'<li id="source-{number}"><strong dir="auto">{name}</strong>', text)
    cited = re.sub(r"<[^>]+>", "", re.search(r'<span class="brief-cites">.*?</span>', claim).group(0))
    assert cited == "Zeta Wire, Alpha Daily, Mayor"


def test_the_end_of_a_brief_leads_to_the_developments_around_it_and_the_storys_feed(site):
    second = article(page(site, "bridge/2024-01-02-second"))
    pager = re.search(r'<nav class="brief-pager".*?</nav>', second, re.DOTALL).group(0)
    assert second.index('id="corrections"') < second.index('class="brief-pager"')
    assert re.search(r'<a href="../2024-01-01-first/" rel="prev">.*First development', pager)
    assert re.search(r'<a href="../2024-01-04-fourth/" rel="next">.*Fourth development', pager)  # the draft is skipped
    assert 'href="../"' in pager
    follow = re.search(r'<details class="briefs-follow".*?</details>', second, re.DOTALL).group(0)  # after the pager
    assert second.index('class="brief-pager"') < second.index('class="briefs-follow"') and 'href="../feed.xml"' in follow
    first = re.search(r'<nav class="brief-pager".*?</nav>', article(page(site, "bridge/2024-01-01-first")), re.DOTALL).group(0)
    assert 'rel="prev"' not in first and 'rel="next"' in first


def footer(page_html: str) -> str:
    return re.search(r'<footer class="md-footer">.*?</footer>', page_html, re.DOTALL).group(0)


def test_every_page_has_the_masthead_with_the_settings_links_and_the_site_feed(site):
    for path, up in (("", ""), ("bridge", "../"), ("bridge/2024-01-02-second", "../../"), ("tags", "../")):
        masthead = footer(page(site, path))
        assert "Briefs desk" in masthead
        assert f'<a href="{up}guide/#corrections">Corrections policy</a>' in masthead
        assert '<a href="mailto:desk@example.org">Contact</a>' in masthead
        assert f'<a href="{up}feed.xml" type="application/atom+xml">' in masthead
        assert f'<a href="{up}guide/">Editor guide</a>' in masthead  # out of the readers' sections


def test_masthead_links_are_only_those_set(project):
    settings = project / "mkdocs.yml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(re.sub(r"    (corrections_policy|contact): .*\n", "", text).replace(
        "publisher: Briefs desk", "publisher: The Riverside Post"), encoding="utf-8")
    assert run_briefs(project, "build").returncode == 0
    masthead = footer(page(project / "site", ""))
    assert "The Riverside Post" in masthead and "Corrections policy" not in masthead and "Contact" not in masthead
    assert 'href="feed.xml"' in masthead


@pytest.mark.parametrize("value", ["javascript:alert(1)", "//evil.example/p", "/about/", "https://", "mailto:nobody",
                                   "https://example.org/a b", "https://example.org/\u202egpj", "[1, 2]"])
def test_a_masthead_link_that_is_not_an_address_is_an_error_at_its_place(project, value):
    settings = project / "mkdocs.yml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(re.sub(r"contact: .*", f"contact: {value}", text), encoding="utf-8")
    line = text[: text.index("    contact:")].count("\n") + 1
    result = run_briefs(project, "check")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"mkdocs.yml:{line}:14: error: extra.briefing.contact: "), result.stderr
    assert "mailto:desk@example.org" in result.stderr
