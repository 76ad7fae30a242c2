"""Right-to-left text: a story's `lang` sets its pages' language and
direction, and Arabic names inside a left-to-right page keep their own."""
from __future__ import annotations

import pytest

from conftest import built_site, serve, write

ARABIC_PARTY = "حركة حماس"
ARABIC_SPEAKER = "خليل الحية"
ARABIC_CLAIM = "وافقت حماس على المقترح المصري!"


@pytest.fixture(scope="module")
def rtl_url(tmp_path_factory, request):
    project = tmp_path_factory.mktemp("rtl")
    from conftest import copy_project

    copy_project(project, with_briefs=False)
    write(project / "briefs/talks/story.yaml", """
        title: Négociations de trêve
        summary: Où en sont les discussions.
        lang: fr
    """)
    write(project / "briefs/talks/2024-05-06-accord.yaml", f"""
        title: Le Hamas approuve la proposition égyptienne
        date: 2024-05-06
        summary: Le Hamas a approuvé la proposition.
        what_we_know:
          - text: "{ARABIC_CLAIM}"
            status: claimed
            sources: [{{name: "الجزيرة", url: "https://www.aljazeera.net/"}}]
        positions:
          - party: "{ARABIC_PARTY}"
            stance: Approuve la proposition.
            quotes:
              - text: "وقف دائم لإطلاق النار"
                by: "{ARABIC_SPEAKER}"
    """)
    write(project / "briefs/hudna/story.yaml", """
        title: مفاوضات الهدنة
        summary: أين وصلت المفاوضات.
        lang: ar
    """)
    write(project / "briefs/hudna/2024-05-06-first.yaml", f"""
        title: حماس توافق على المقترح المصري
        date: 2024-05-06
        summary: وافقت حماس على المقترح.
        what_we_know:
          - text: "{ARABIC_CLAIM}"
            status: confirmed
    """)
    server, url = serve(built_site(project))
    yield url
    server.shutdown()


DIRECTION = "el => getComputedStyle(el).direction"
END_MARK_IS_LEFTMOST = """el => {
  const text = el.firstChild, range = document.createRange();
  const box = (i) => { range.setStart(text, i); range.setEnd(text, i + 1); return range.getBoundingClientRect(); };
  const last = box(text.length - 1), first = box(0);
  return last.right <= first.left;
}"""


def test_arabic_names_in_a_french_page_run_right_to_left(browser, rtl_url):
    page = browser.new_page()
    page.goto(rtl_url + "talks/2024-05-06-accord/")
    assert page.get_attribute("html", "lang") == "fr"
    assert page.eval_on_selector("body", DIRECTION) == "ltr"
    for text in (ARABIC_CLAIM, ARABIC_PARTY, ARABIC_SPEAKER):
        element = page.locator("[dir=auto]", has_text=text).last
        assert element.evaluate(DIRECTION) == "rtl", text
    # Punctuation stays at the end of the Arabic sentence: its left end.
    claim = page.locator(".brief-claim", has_text=ARABIC_CLAIM)
    assert claim.evaluate(END_MARK_IS_LEFTMOST)
    summary = page.locator(".brief-summary")
    assert summary.evaluate(DIRECTION) == "ltr"
    page.close()


@pytest.mark.parametrize("path", ["hudna/", "hudna/2024-05-06-first/"])
def test_an_arabic_story_is_a_right_to_left_page(browser, rtl_url, path):
    page = browser.new_page()
    page.goto(rtl_url + path)
    assert page.get_attribute("html", "lang") == "ar"
    assert page.eval_on_selector("body", DIRECTION) == "rtl"
    assert page.locator(".brief-claim, .brief-summary, .story-summary").first.evaluate(DIRECTION) == "rtl"
    page.close()
