"""`briefs build --engine zensical`: Material's successor builds the same
content, and hostile input stays inert there too, for the day Material for
MkDocs is gone."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from conftest import EXAMPLE_PROJECT, copy_project, run_briefs, serve, write
from generator.build import check_project
from generator.render import Renderer
from payloads import PAYLOAD, hostile_brief, hostile_story
from test_build import editor_words
from test_hostile import _TRAP, _folded

pytest.importorskip("zensical")

_MAIN = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.S)
_TAG = re.compile(r"<[^>]+>")


def article(page: Path) -> str:
    """The article's HTML; Zensical's classic variant keeps Material's markup."""
    match = _MAIN.search(page.read_text(encoding="utf-8"))
    assert match, f"{page} has no article"
    return match.group(1)


_INLINE = re.compile(r"</?(em|strong|code|a|span|sup|time|bdi|abbr|mark)\b[^>]*>")  # inside a word: no space


def words(html_text: str) -> str:
    import html

    return " ".join(html.unescape(_TAG.sub(" ", _INLINE.sub("", html_text))).split())


@pytest.fixture(scope="module")
def zensical_example(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("zensical"))
    result = run_briefs(root, "build", "--engine", "zensical")
    assert result.returncode == 0, result.stderr
    return root / "site"


# Where the two engines' articles may differ, each named exactly: page ->
# (the words MkDocs' article has that Zensical's has not, and the reverse).
ALLOWED_DIFFERENCES = {
    # Zensical prints the page's tags at the top of its article (Material's
    # partials/tags.html); Material prints them only with its tags plugin on.
    "gaza-truce-talks/2024-05-07-cairo-talks-resume/": ("", "gaza israel hamas ceasefire egypt cairo qatar united-states hostages"),
    "gaza-truce-talks/2024-05-07-israeli-tanks-rafah/": ("", "gaza israel hamas ceasefire egypt rafah hostages"),
}


def article_words(site: Path, page: str) -> str:
    return words(article(site / page / "index.html"))


def test_both_engines_publish_the_same_article_text_on_every_page(example_site: Path, zensical_example: Path):
    """The conformance test of the engine seam (generator/engine.py): every
    page of the frozen example, its article's text word for word, MkDocs'
    against Zensical's, but for the differences named above."""
    pages = engine_pages(example_site)
    assert engine_pages(zensical_example) == pages
    assert len(pages) > 10 and "guide/" in pages
    differences = {}
    for page in pages:
        mkdocs, zensical = article_words(example_site, page).split(), article_words(zensical_example, page).split()
        if mkdocs != zensical:
            differences[page] = _difference(mkdocs, zensical)
    assert differences == ALLOWED_DIFFERENCES


def test_both_engines_get_the_same_search_index(example_site: Path, zensical_example: Path):
    """Pagefind indexes our render of each brief, not the engine's page
    (generator/search.py): every result's URL, title, text and filters alike."""
    from test_search import _fragments

    mkdocs = sorted(_fragments(example_site), key=lambda fragment: fragment["url"])
    briefs = [f"/{entry.story.slug}/{brief.slug}/" for entry in check_project(EXAMPLE_PROJECT).stories for brief in entry.briefs]
    assert [fragment["url"] for fragment in mkdocs] == sorted(briefs)
    assert sorted(_fragments(zensical_example), key=lambda fragment: fragment["url"]) == mkdocs


def engine_pages(site: Path) -> list[str]:
    """Every page the engine made, by its address in the site ("" for the
    home page): those with the theme's article, not ours (the editing form, the embeds)."""
    pages = ("" if p.parent == site else p.parent.relative_to(site).as_posix() + "/" for p in site.rglob("index.html"))
    return sorted(page for page in pages if _MAIN.search((site / page / "index.html").read_text(encoding="utf-8")))


def _difference(ours: list[str], theirs: list[str]) -> tuple[str, str]:
    """The words only the first has and those only the second has, in order."""
    import difflib

    matcher = difflib.SequenceMatcher(None, ours, theirs, autojunk=False)
    changed = [op for op in matcher.get_opcodes() if op[0] != "equal"]
    return (" ".join(w for _, i1, i2, _, _ in changed for w in ours[i1:i2]),
            " ".join(w for _, _, _, j1, j2 in changed for w in theirs[j1:j2]))


def test_zensical_is_handed_the_settings_as_the_check_reads_them(tmp_path: Path, monkeypatch):
    """One settings loader (settings.mkdocs_settings): `!ENV` read from the
    environment, as MkDocs reads it, and any other tag an error at its line."""
    from generator.problems import ContentErrors
    from generator.zensical_engine import zensical_settings

    root = copy_project(tmp_path, with_briefs=False)
    settings = root / "mkdocs.yml"
    example = settings.read_text(encoding="utf-8")
    settings.write_text(example.replace("site_name: Gaza truce briefing", 'site_name: !ENV [BRIEFS_SITE_NAME, "Unset"]'),
                        encoding="utf-8")
    monkeypatch.setenv("BRIEFS_SITE_NAME", "Briefing from the environment")
    assert zensical_settings(root, nav=None)["site_name"] == "Briefing from the environment"
    settings.write_text(example + "extra_value: !!python/name:os.system\n", encoding="utf-8")
    with pytest.raises(ContentErrors) as refused:
        zensical_settings(root, nav=None)
    assert [problem.human() for problem in refused.value.problems] == [
        f"mkdocs.yml:{example.count(chr(10)) + 1}:14: error: YAML tags (!!python/name:os.system) are not allowed in the "
        "site settings; only MkDocs' own !ENV and !relative are"]


def test_every_claim_label_source_and_question_is_on_its_page(zensical_example: Path):
    project = check_project(EXAMPLE_PROJECT)
    for entry in project.stories:
        for brief in entry.briefs:
            page = article(zensical_example / entry.story.slug / brief.slug / "index.html")
            text = words(page)
            for claim in brief.what_we_know:
                assert claim.text.plain in text
                assert f'brief-status--{claim.status}' in page
            for question in brief.what_we_dont_know:
                assert question.plain in text
            for written in editor_words(brief):
                assert written in text, f"{brief.path}: {written!r} is not on the Zensical page"
            numbers = set(re.findall(r'href="#source-(\d+)"', page))
            assert numbers and all(f'id="source-{n}"' in page for n in numbers)


def test_the_story_hub_has_its_timeline_and_the_site_its_own_files(zensical_example: Path):
    project = check_project(EXAMPLE_PROJECT)
    (entry,) = project.stories
    hub = words(article(zensical_example / entry.story.slug / "index.html"))
    for brief in entry.briefs:
        assert brief.title in hub
    shown = Renderer(project).background(entry)
    assert shown  # the background events the hub shows after the developments
    for event in shown:
        assert event.text.plain in hub
    for name in ("feed.xml", "briefs.json", "news-sitemap.xml", "schemas/brief.schema.json", f"{entry.story.slug}/feed.xml"):
        assert (zensical_example / name).is_file(), name


def test_hostile_input_runs_nothing_and_requests_nothing_outside(tmp_path: Path, browser):
    root = copy_project(tmp_path, with_briefs=False)
    dump = lambda value: yaml.safe_dump(value, allow_unicode=True, width=10_000, sort_keys=False)  # noqa: E731
    write(root / "briefs/hostile-story/story.yaml", dump(hostile_story()))
    write(root / "briefs/hostile-story/2024-05-07-hostile.yaml", dump(hostile_brief()))
    result = run_briefs(root, "build", "--engine", "zensical")
    assert result.returncode == 0, result.stderr
    server, url = serve(root / "site")
    try:
        context = browser.new_context()
        context.add_init_script(_TRAP)
        page = context.new_page()
        dialogs, requested = [], []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("request", lambda request: requested.append(request.url))
        for path in ("", "hostile-story/", "hostile-story/2024-05-07-hostile/"):
            page.goto(url + path, wait_until="load")
            page.wait_for_load_state("networkidle")
            page.mouse.move(10, 10)
            assert page.evaluate("window.__hits || 0") == 0, path
            if path:
                assert _folded(PAYLOAD) in _folded(page.inner_text("body")), path
        context.close()
    finally:
        server.shutdown()
    assert dialogs == []
    outside = [u for u in requested if urlsplit(u).scheme not in ("data", "blob") and urlsplit(u).hostname != "127.0.0.1"]
    assert outside == []
