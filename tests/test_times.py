"""Times as a reader sees them: in the offset the editor wrote, with its
zone; without an offset, in the site's time zone; a date as a date; in
the page's language: a story's `lang` on its pages, the site's elsewhere."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import built_site, copy_project, write

BRIEF = """
title: {title}
date: {date}
{updated}
summary: What happened.
what_we_know:
  - text: Something is known.
    status: confirmed
"""


def brief(title: str, date: str, updated: str = "") -> str:
    return BRIEF.format(title=title, date=date, updated=f"updated: {updated}" if updated else "")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("times"), with_briefs=False)
    settings = root / "mkdocs.yml"
    settings.write_text(settings.read_text().replace("timezone: UTC", "timezone: America/New_York"))
    write(root / "briefs/cairo/story.yaml", "title: Cairo talks\nsummary: Talks.\n")
    write(root / "briefs/cairo/2024-05-07-talks.yaml",
          brief("Talks resume", "2024-05-07T21:00:00+03:00", "2024-05-07T18:00:00Z"))
    write(root / "briefs/cairo/2024-05-08-mumbai.yaml", brief("From Mumbai", "2024-05-08T09:15:00+05:30"))
    write(root / "briefs/cairo/2024-05-09-brazil.yaml", brief("From Brasília", "2024-05-09T20:00:00-03:00"))
    write(root / "briefs/paris/story.yaml", "title: Pourparlers\nsummary: Des pourparlers.\nlang: fr\n")
    write(root / "briefs/paris/2024-05-10-talks.yaml", brief("Reprise des pourparlers", "2024-05-10T20:00:00-03:00"))
    write(root / "briefs/new-york/story.yaml", "title: New York vote\nsummary: A vote.\n")
    write(root / "briefs/new-york/2024-06-10-vote.yaml", brief("Evening vote", "2024-06-10T22:30:00"))
    write(root / "briefs/new-york/2024-06-11-day.yaml", brief("A day later", "2024-06-11"))
    for lang in ("prs", "tlh"):  # tags without locale data: the page keeps them
        write(root / f"briefs/story-{lang}/story.yaml", f"title: Story {lang}\nsummary: Text.\nlang: {lang}\n")
        write(root / f"briefs/story-{lang}/2024-06-12-one.yaml", brief(f"In {lang}", "2024-06-12T08:00:00+04:30"))
    return built_site(root)


def times(site: Path, page: str) -> list[tuple[str, str]]:
    text = (site / page / "index.html").read_text(encoding="utf-8")
    return re.findall(r'<time datetime="([^"]+)">([^<]+)</time>', text)


def test_a_time_keeps_the_offset_the_editor_wrote_with_its_zone(site):
    shown = times(site, "cairo/2024-05-07-talks")
    assert ("2024-05-07T21:00:00+03:00", "May 7, 2024, 21:00 GMT+3") in shown
    # the same instant written at +00:00 is shown as written, not as the one before
    assert ("2024-05-07T18:00:00+00:00", "May 7, 2024, 18:00 GMT") in shown
    assert ("2024-05-08T09:15:00+05:30", "May 8, 2024, 09:15 GMT+5:30") in times(site, "cairo/2024-05-08-mumbai")
    assert ("2024-05-09T20:00:00-03:00", "May 9, 2024, 20:00 GMT-3") in times(site, "cairo/2024-05-09-brazil")


def test_a_time_without_offset_is_in_the_sites_zone_and_stays_on_its_day(site):
    evening = ("2024-06-10T22:30:00-04:00", "June 10, 2024, 22:30 EDT")
    assert evening in times(site, "new-york/2024-06-10-vote")
    assert evening in times(site, "new-york")  # the story's page too: not the next calendar day
    assert ("2024-06-11", "June 11, 2024") in times(site, "new-york/2024-06-11-day")


def test_dates_are_in_the_pages_language(site):
    shown = [text for _, text in times(site, "")]
    assert "May 10, 2024, 20:00 GMT-3" in shown  # a French story on the home page, in the site's English
    assert all(re.fullmatch(r"[A-Z][a-z]+ \d{1,2}, \d{4}(, \d\d:\d\d [A-Z]{3}.*)?", t) for t in shown), shown
    french = (site / "paris/2024-05-10-talks/index.html").read_text(encoding="utf-8")
    assert '<html lang="fr"' in french
    for page in ("paris/2024-05-10-talks", "paris"):  # the brief and its story's hub
        assert ("2024-05-10T20:00:00-03:00", "10 mai 2024, 20:00 UTC-3") in times(site, page)


@pytest.mark.parametrize("lang", ["prs", "tlh"])
def test_a_story_lang_without_locale_data_builds_and_stays_on_the_page(site, lang):
    page = (site / f"story-{lang}/2024-06-12-one/index.html").read_text(encoding="utf-8")
    assert f'<html lang="{lang}"' in page
    assert ("2024-06-12T08:00:00+04:30", "June 12, 2024, 08:00 GMT+4:30") in times(site, f"story-{lang}/2024-06-12-one")
