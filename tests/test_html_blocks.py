"""The HTML-block shortcut changes no page: every rendered page of the
example, of a hostile project and of a benchmark-shaped project comes out
of the site's Markdown byte for byte the same with and without it."""
from __future__ import annotations

import sys
from pathlib import Path

import markdown
import pytest
import yaml
from mkdocs.utils.meta import get_data

from conftest import ROOT, copy_project, write
from generator.build import check_project, render_project
from generator.mkdocs_engine import mkdocs_config
from generator.html_blocks import HtmlBlocksExtension, PageHtml
from payloads import hostile_brief, hostile_story

sys.path.insert(0, str(ROOT / "benchmarks"))
import bench  # noqa: E402  (the benchmark's synthetic briefs)


def _example(root: Path) -> None:
    copy_project(root)


def _hostile(root: Path) -> None:
    copy_project(root, with_briefs=False)
    dump = lambda value: yaml.safe_dump(value, allow_unicode=True, width=10_000, sort_keys=False)  # noqa: E731
    write(root / "briefs/hostile-story/story.yaml", dump(hostile_story()))
    write(root / "briefs/hostile-story/2024-05-07-hostile.yaml", dump(hostile_brief()))
    write(root / "briefs/hostile-story/2024-05-08-later.yaml", dump({**hostile_brief(), "date": "2024-05-08"}))


def _synthetic(root: Path) -> None:
    bench.write_project(root, 40)


@pytest.mark.parametrize("make", [_example, _hostile, _synthetic])
def test_every_page_is_the_same_with_and_without_the_shortcut(tmp_path: Path, make):
    make(tmp_path)
    _, nav = render_project(tmp_path, check_project(tmp_path))
    config = mkdocs_config(tmp_path, tmp_path / "site", nav)
    ours = [e for e in config.markdown_extensions if isinstance(e, HtmlBlocksExtension)]
    assert len(ours) == 1
    plain = [e for e in config.markdown_extensions if e not in ours]
    pages = sorted((tmp_path / "build/docs").rglob("*.md"))
    assert len(pages) >= 4
    stashed = 0
    for page in pages:
        text, _ = get_data(page.read_text(encoding="utf-8"))
        fast = markdown.Markdown(extensions=[*plain, HtmlBlocksExtension()], extension_configs=config.mdx_configs)
        slow = markdown.Markdown(extensions=plain, extension_configs=config.mdx_configs)
        assert fast.convert(text) == slow.convert(text), page
        stashed += fast.htmlStash.html_counter
    assert stashed > len(pages), "the shortcut took no block"


def _same_html(html: str) -> str:
    """HTML as a browser reads it, whatever the blank lines between blocks."""
    import lxml.html

    return lxml.html.tostring(lxml.html.fragment_fromstring(html, create_parent="div"), encoding="unicode").replace("\n", "")


@pytest.mark.parametrize("make", [_example, _hostile, _synthetic])
def test_the_feeds_article_is_the_page_markdown_converted_whole(tmp_path: Path, make):
    """PageHtml converts only the Markdown between our blocks, each part
    once: the article is what Python-Markdown makes of the whole page."""
    make(tmp_path)
    render_project(tmp_path, check_project(tmp_path))
    to_html, whole = PageHtml(), markdown.Markdown(extensions=["attr_list", "admonition"])
    pages = [p for p in sorted((tmp_path / "build/docs").rglob("*.md")) if p.parent.name != "docs"]
    assert len(pages) >= 3
    for page in pages:
        text, _ = get_data(page.read_text(encoding="utf-8"))
        assert _same_html(to_html(text)) == _same_html(whole.reset().convert(text)), page
