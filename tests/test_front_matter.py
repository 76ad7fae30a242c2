"""Page metadata reaches the theme exactly: every value written as front
matter comes back equal through MkDocs' own reader, a page it would
misread is an error, and editor text in every field is text on the page,
in its <title>, meta and JSON-LD."""
from __future__ import annotations

import dataclasses
import html
import json
import re
import typing
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings, strategies as st
from mkdocs.utils.meta import get_data

from conftest import ROOT, built_site, copy_project, run_briefs, serve, write
from generator import cli, page_meta
from generator.page_meta import (
    FrontMatter, MetaTag, Neighbour, PageMeta, SearchFields, ShareMeta, UnreadableMeta, front_matter, page_text,
)
from generator.text import escape_text

# Text that YAML 1.1, libyaml or the front matter's own delimiters could misread.
HARD_TEXT = [
    " \u2028 ", "\u2029", "\x85", "a\u2028b\u2029c\x85d",
    "Talks resume 😀", "\U0001f1f5\U0001f1f8 \U0001f44d\U0001f3fd", "\U0010fffd",
    "שלום עולם", "السلام عليكم", "مرحبا \u202ebidi\u202c \u2066isolate\u2069 \u200f", "\u200b\u200d\ufeff",
    "\"quotes\" 'single' \\backslash", "---", "...", "--- x\n...", "# not a comment", "key: value", "- item",
    "{: onfocus=alert(1) }", "*x*{: tabindex=0 autofocus onfocus=alert(document.domain) }", "{{ 7 * 7 }} {% raw %}",
    "</script><script>alert(1)</script>", "&#60; &lt; & S&P 500", "!!python/object:os.system", "%YAML 1.1", "@at `tick` |pipe >fold",
    "yes", "no", "null", "~", "1984", "2024-05-07", "0x1F", ".inf", "", " ", "\t", "line\nbreak\r\nand\rmore",
    "\x00\x01\x1b[31m\x7f", "\x80\x9f", "\ufffe\uffff\ufdd0", "\U0001fffe",
    "long 😀\u2028 " * 20_000,  # past libyaml's 1024-character limit on simple keys
]


def read_back(data: dict) -> dict:
    _, read = get_data(front_matter(data) + "# Body\n")
    return read


@pytest.mark.parametrize("value", HARD_TEXT, ids=[repr(v)[:30] for v in HARD_TEXT])
def test_every_value_comes_back_equal_through_mkdocs_reader(value: str):
    data = {"title": value, "tags": [value, value], "neighbours": [{"title": value, "current": True}], "n": 3}
    assert read_back(data) == data


@settings(max_examples=300)
@given(st.text(st.characters(blacklist_categories=("Cs",))))
def test_any_text_comes_back_equal_through_mkdocs_reader(value: str):
    data = {"title": value, "list": [value], "nested": {"x": value}}
    assert read_back(data) == data


def test_the_old_encoding_was_refused_by_mkdocs_reader():
    """json.dumps' default escapes an emoji as a surrogate pair, which libyaml refuses:
    the front matter then became Markdown. Ours stays readable."""
    data = {"title": "Talks resume 😀"}
    assert get_data("---\n" + json.dumps(data) + "\n---\n\n# Body\n")[1] == {}
    assert read_back(data) == data


def test_a_whole_page_meta_comes_back_as_the_theme_reads_it():
    title = "Talks resume 😀 *x*{: onfocus=alert(1) } \u2028 </script>"
    meta = PageMeta(
        title=title, description=title, story=title, story_url="s/", feed="s/feed.xml", json_feed="s/feed.json", tags=(title, "b"),
        neighbours=(Neighbour(title, "s/a/"), Neighbour(title, "s/b/", current=True)), lang="ar", direction="rtl", words="ar",
        sharing=ShareMeta(jsonld='{"headline":"x"}', tags=(MetaTag("property", "og:title", title),)), hide=("toc",),
        search=SearchFields(date=title, year="2024"),
    )
    _, read = get_data(page_text(meta, "body\n"))
    assert read == meta.data()
    assert html.unescape(read["title"]) == title and html.unescape(read["neighbours"][1]["title"]) == title
    assert read["neighbours"][1]["current"] is True and "current" not in read["neighbours"][0]
    assert read["sharing"]["meta"] == [["property", "og:title", html.escape(title)]]
    assert html.unescape(read["search"]["date"]) == title and read["search"]["year"] == "2024"
    assert set(read) == {field.name for field in dataclasses.fields(PageMeta)}


def _outcome(write, meta: PageMeta):
    try:
        return write(meta, "body\n")
    except UnreadableMeta as bad:
        return ("refused", str(bad))


@settings(max_examples=200)
@given(st.lists(st.tuples(st.sampled_from(HARD_TEXT[:-1] + ["lone \ud800", "\udfff x"]), st.text(max_size=8)), min_size=1, max_size=6))
def test_a_site_reading_back_each_text_once_writes_and_refuses_as_page_by_page(texts):
    """FrontMatter checks each distinct text once per site: every page comes
    out as page_text writes it, and a page page_text refuses is refused,
    naming the same keys, even when its texts were on earlier pages."""
    site = FrontMatter()
    for hard, other in texts:
        for meta in (
            PageMeta(title=hard + other, tags=(hard, other), neighbours=(Neighbour(other, "s/a/", current=True),)),
            PageMeta(title=other, description=hard, search=SearchFields(date=hard, year="2024"),
                     sharing=ShareMeta(jsonld="{}", tags=(MetaTag("property", "og:title", hard + other),))),
        ):
            assert _outcome(site.page_text, meta) == _outcome(page_text, meta)


def test_every_key_the_theme_reads_is_declared():
    """The theme reads page.meta leniently: a key PageMeta does not declare
    would be empty on every page without a word."""
    read = set()
    for template in (ROOT / "overrides").rglob("*.html"):
        read |= set(re.findall(r"page\.meta\.(\w+)", template.read_text(encoding="utf-8")))
    declared = {field.name for field in dataclasses.fields(PageMeta)}
    assert read and read <= declared, sorted(read - declared)


@pytest.mark.parametrize("record", [PageMeta, Neighbour, ShareMeta, MetaTag, SearchFields])
def test_page_meta_records_are_frozen_and_typed(record):
    assert record.__dataclass_params__.frozen
    for name, hint in typing.get_type_hints(record).items():
        assert hint is not object and hint is not typing.Any and "Any" not in repr(hint), (record, name, hint)


def test_a_page_mkdocs_would_misread_raises_instead_of_becoming_markdown():
    with pytest.raises(UnreadableMeta, match="title"):
        page_text(PageMeta(title="lone \ud800 surrogate"), "body\n")


def test_build_fails_with_an_error_line_when_mkdocs_would_misread_a_page(project: Path, monkeypatch, capsys):
    """Forced: without our escapes, a line separator in a title folds to a space."""
    monkeypatch.setattr(page_meta, "_YAML_UNSAFE", re.compile("(?!)"))
    write(project / "briefs/test-story/2024-05-07-first.yaml", """
        title: "Folded \\u2028 here"
        date: 2024-05-07
        summary: What happened.
        what_we_know:
          - text: Something is known.
            status: confirmed
    """)
    monkeypatch.chdir(project)
    assert cli.main(["build"]) == 1
    errors = capsys.readouterr().err
    assert "briefs/test-story/2024-05-07-first.yaml:1:1: error: MkDocs cannot read back this page's metadata (" in errors
    assert "title" in errors.split("metadata (")[1].split(")")[0]
    assert not (project / "site").exists()


class PageParser(HTMLParser):
    """What a browser and a crawler read from a built page."""

    def __init__(self):
        super().__init__()
        self.title, self.h1, self.jsonld, self.meta, self.ids = "", "", "", {}, []
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "title" or tag == "h1" or (tag == "script" and attrs.get("type") == "application/ld+json"):
            self._in = tag
        elif tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta[attrs.get("property") or attrs["name"]] = attrs.get("content")

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in == "title":
            self.title += data
        elif self._in == "h1":
            self.h1 += data
        elif self._in == "script":
            self.jsonld += data


def parsed(page: Path) -> PageParser:
    parser = PageParser()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def _dump(value) -> str:
    return yaml.safe_dump(value, allow_unicode=True, width=10_000, sort_keys=False)


# A person can type each of these; each must reach every output exactly.
CHARACTER_CLASSES = {
    "emoji": "Talks resume 😀 🇵🇸 👍🏽 family 👨‍👩‍👧",
    "accents": "Négociations à Genève: Ça reprend, Ñandú, Ærø, Đà Nẵng",
    "cjk": "停火谈判在开罗恢复 停戦交渉 휴전 협상",
    "rtl": "المفاوضات في القاهرة ו שיחות בקהיר",
    "bidi": "Gaza \u202eevil\u202c \u2067isolated\u2069 \u200fmark\u200e joined\u200d",
    "separators": "one\u2028two\u2029three",
    "attr-list": "*x*{: tabindex=0 autofocus onfocus=alert(document.domain) }",
    "script": "</script><script>window.PWNED=1</script> </title><svg onload=alert(1)>",
    "yaml": "--- ... # key: value - item !!python/object %YAML @x `y` |z >w",
    "template-syntax": "{{ 7 * 7 }} {% raw %} {# c #} --8<-- \"/etc/passwd\"",
    "quotes": "\"double\" 'single' \\back\\slash “curly” «guillemets»",
}
SITE_NAME = "Gaza truce briefing"


def _story_files(root: Path, classes: dict[str, str]) -> None:
    for name, text in classes.items():
        story = root / f"briefs/{name}"
        write(story / "story.yaml", _dump({"title": text, "summary": text, "tags": [text]}))
        write(story / "2024-05-07-a.yaml", _dump({
            "title": text, "question": text, "date": "2024-05-07", "location": text, "authors": [text],
            "summary": text,
            "what_we_know": [{"text": text, "status": "reported", "sources": [{"name": text, "url": "https://example.org/"}]}],
            "what_we_dont_know": [text], "positions": [{"party": text, "stance": text, "quotes": [{"text": text, "by": text, "role": text}]}],
            "timeline": [{"date": "2023", "text": text}], "context": text, "whats_next": [text],
            "corrections": [{"date": "2024-05-08", "text": text}], "tags": [text],
        }))


@pytest.fixture(scope="module")
def classes_site(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("classes"), with_briefs=False)
    _story_files(root, CHARACTER_CLASSES)
    built_site(root)
    return root


@pytest.mark.parametrize("name", sorted(CHARACTER_CLASSES))
def test_every_character_class_reaches_title_meta_and_json_ld_exactly(classes_site: Path, name: str):
    text = CHARACTER_CLASSES[name]
    source = (classes_site / f"build/docs/{name}/2024-05-07-a.md").read_text(encoding="utf-8")
    _, meta = get_data(source)
    assert html.unescape(meta["title"]) == text and html.unescape(meta["story"]) == text
    assert [html.unescape(tag) for tag in meta["tags"]] == [text]
    for page, graph_type, og_type in [(f"{name}/2024-05-07-a", "BackgroundNewsArticle", "article"), (name, "ItemList", "website")]:
        head = parsed(classes_site / f"site/{page}/index.html")
        assert head.title == f"{text} - {SITE_NAME}", page
        assert head.h1 == text, page
        assert head.meta["og:title"] == text and head.meta["twitter:title"] == text and head.meta["og:type"] == og_type
        item = next(i for i in json.loads(head.jsonld)["@graph"] if i["@type"] == graph_type)
        assert item.get("headline", item.get("name")) == text, page
        assert len(head.ids) == len(set(head.ids)), page


def test_no_editor_text_is_a_markdown_heading_or_admonition_title(classes_site: Path):
    """attr_list, toc and admonition act on these lines: editor text goes in HTML blocks."""
    typed = [escape_text(text) for text in CHARACTER_CLASSES.values()]
    pages = sorted((classes_site / "build/docs").rglob("*.md"))
    assert len(pages) > len(CHARACTER_CLASSES) * 2
    for page in pages:
        body, _ = get_data(page.read_text(encoding="utf-8"))
        for line in body.splitlines():
            if re.match(r"#{1,6} |!!!|\?\?\?", line):
                assert not any(text in line for text in typed), (page, line)


def test_c1_controls_and_noncharacters_are_errors_at_their_place(tmp_path: Path):
    """The contract makes them errors: one for each value they are in, at
    the line and column where the first is written, in plain words."""
    classes = {"c1": "a\x80b\x9fc\x7fd", "nonchar": "a\ufffeb\uffffc\ufdd0d\U0001fffe"}
    root = copy_project(tmp_path, with_briefs=False)
    _story_files(root, classes)
    result = run_briefs(root, "build")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    errors = [line.split(": error: ") for line in result.stderr.splitlines() if ": error: " in line]
    written = set()  # where YAML wrote each value's first one, as an escape: "a\x80b..."
    for path in sorted((root / "briefs").rglob("*.yaml")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            column = line.find("\\") + 1
            if column:
                written.add(f"{path.relative_to(root).as_posix()}:{number}:{column}")
    assert {place for place, _ in errors} == written and len(errors) == len(written)
    assert {message for _, message in errors} == {"the control character U+0080 is not allowed; delete it",
                                                  "U+FFFE is a Unicode noncharacter, not text; delete it"}


PROBE = "Talks resume 😀 *x*{: tabindex=0 autofocus onfocus=alert(document.domain) }"
_TRAP = "Object.defineProperty(window, 'PWNED', {set() { window.__hits = (window.__hits || 0) + 1; }, configurable: false});"


def test_the_probe_runs_no_script_and_shows_as_text(tmp_path: Path, browser):
    """The probe that ran script on page load, in each field it went through;
    and a party named like a citation anchor."""
    root = copy_project(tmp_path, with_briefs=False)
    write(root / "briefs/probe/story.yaml", _dump({"title": PROBE, "summary": PROBE, "tags": [PROBE]}))
    write(root / "briefs/probe/2024-05-07-probe.yaml", _dump({
        "title": PROBE, "date": "2024-05-07", "authors": [PROBE], "summary": PROBE, "tags": [PROBE, "Source 1"],
        "what_we_know": [{"text": "Talks resumed.", "status": "reported", "sources": [{"name": "Reuters", "url": "https://example.org/"}]}],
        "positions": [{"party": "Source 1", "stance": "A party named like a citation."}],
    }))
    server, url = serve(built_site(root))
    context = browser.new_context()
    try:
        context.add_init_script(_TRAP)
        page = context.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for path, heading in [("probe/2024-05-07-probe/", PROBE), ("probe/", PROBE), ("", SITE_NAME), ("tags/", "Tags")]:
            page.goto(url + path, wait_until="load")
            page.wait_for_load_state("networkidle")
            page.keyboard.press("Tab")
            assert dialogs == [] and page.evaluate("window.__hits || 0") == 0, path
            assert page.evaluate("document.querySelectorAll('[onfocus], [autofocus]').length") == 0, path
            assert page.locator("h1").first.inner_text().removesuffix("¶") == heading, path
            if path.startswith("probe"):
                assert page.title() == f"{PROBE} - {SITE_NAME}"
                assert page.locator('meta[property="og:title"]').get_attribute("content") == PROBE
                assert "{: tabindex=0 autofocus onfocus=alert(document.domain) }" in page.inner_text("body")
        page.goto(url + "probe/2024-05-07-probe/", wait_until="load")
        assert PROBE in page.inner_text(".brief-meta")  # the byline
        assert page.locator("#position-1").inner_text() == "Source 1"
        page.locator("a.brief-cite").first.click()
        assert page.evaluate("location.hash") == "#source-1"
        assert page.evaluate("document.querySelector(':target').closest('.brief-sources') !== null")
        assert "Reuters" in page.locator(":target").inner_text()
    finally:
        context.close()
        server.shutdown()


def test_mkdocs_reading_our_front_matter_as_json_builds_the_same_site(tmp_path: Path, monkeypatch):
    """mkdocs_plugins.JsonFrontMatter reads page.meta with the JSON decoder:
    every page of a site of every character class is the same byte for byte
    as when MkDocs reads the front matter as YAML itself."""
    from generator import mkdocs_plugins
    from generator.build import check_project, newest_epoch, render_project
    from generator.mkdocs_engine import build_pages
    from test_build_in_two import digest

    (tmp_path / "project").mkdir()
    root = copy_project(tmp_path / "project")
    _story_files(root, CHARACTER_CLASSES)
    project = check_project(root, include_drafts=False)
    _, nav = render_project(root, project)
    read_as_json = []
    original = mkdocs_plugins.JsonFrontMatter.on_page_read_source
    monkeypatch.setattr(mkdocs_plugins.JsonFrontMatter, "on_page_read_source",
                        lambda self, page, config: read_as_json.append(original(self, page, config=config)) or read_as_json[-1])
    build_pages(root, tmp_path / "json", nav, newest_epoch(project))
    assert len(read_as_json) > 2 * len(CHARACTER_CLASSES) and None not in read_as_json
    monkeypatch.setattr(mkdocs_plugins.JsonFrontMatter, "on_page_read_source", lambda self, page, config: None)
    build_pages(root, tmp_path / "yaml", nav, newest_epoch(project))
    assert digest(tmp_path / "json") == digest(tmp_path / "yaml")
