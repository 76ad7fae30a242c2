"""Each assumption generator/markdown_engine.py makes about Python-Markdown's
insides, tested by name: an upgrade that breaks one fails here, saying
which, before any page changes."""
from __future__ import annotations

import xml.etree.ElementTree as etree

import markdown
import pytest
from markdown import util
from markdown.preprocessors import Preprocessor

from generator import markdown_engine
from generator.markdown_engine import (
    AFTER_BLANK_BLOCKS_PRIORITY, AMP_SUBSTITUTE, BEFORE_RAW_HTML_PRIORITY, BLOCK_PROCESSORS, INLINE_TREEPROCESSOR,
    MKDOCS_ANCHOR_SCAN_PRIORITY, RAW_HTML_INLINE_PATTERNS, RAW_HTML_PREPROCESSOR, RAW_HTML_PRIORITY, WHITESPACE_PRIORITY,
    editor_markdown, element_tree, register_before_raw_html, register_placeholder_paragraphs, stashed_block,
)

PAGE = """# A heading

Some *text* with a [link](https://example.org/) and <b>raw</b> &amp; HTML.

<div class="claim" id="c1">
<p>A claim</p>
</div>

- a list
- of two

<div>
Unclosed on purpose

> a quote
"""


@pytest.mark.parametrize("name", [RAW_HTML_PREPROCESSOR])
def test_markdown_still_has_preprocessor_named(name):
    assert name in markdown.Markdown().preprocessors


@pytest.mark.parametrize("name", RAW_HTML_INLINE_PATTERNS)
def test_markdown_still_has_inline_pattern_named(name):
    assert name in markdown.Markdown().inlinePatterns


@pytest.mark.parametrize("name", [INLINE_TREEPROCESSOR])
def test_markdown_still_has_treeprocessor_named(name):
    assert name in markdown.Markdown().treeprocessors


@pytest.mark.parametrize("name", BLOCK_PROCESSORS)
def test_markdown_still_has_block_processor_named(name):
    assert name in markdown.Markdown().parser.blockprocessors


def test_markdown_raw_html_and_entities_still_come_only_from_those_steps():
    md = editor_markdown(block=True)
    tree = element_tree(md, "<b>raw</b> &amp; <div>x</div>\n\n<div>\nblock\n</div>")
    assert [el.tag for el in tree.iter()] == ["div", "p", "p"]  # no element from raw HTML
    assert md.htmlStash.html_counter == 0
    assert [p.text.strip() for p in tree] == ["<b>raw</b> &amp; <div>x</div>", "<div>\nblock\n</div>"]


def test_markdown_block_syntax_still_comes_only_from_those_block_processors():
    tree = element_tree(editor_markdown(block=False), "# 2\n\n1. one\n\n- a\n\n> q\n\n    code\n\n---\n\nTitle\n===\n\n[r]: /x")
    assert {el.tag for el in tree.iter()} == {"div", "p"}


def test_markdown_inline_syntax_still_comes_only_from_the_inline_treeprocessor():
    tree = element_tree(editor_markdown(block=True, inline=False), "*a* [b](c) `d`")
    assert [el.tag for el in tree.iter()] == ["div", "p"]


def test_markdown_convert_still_serializes_the_tree_its_steps_build():
    """`element_tree` is Markdown.convert up to its serializer."""
    built: list[bytes] = []
    md = markdown.Markdown()
    serialize = md.serializer
    md.serializer = lambda root: built.append(etree.tostring(root)) or serialize(root)
    md.convert(PAGE)
    assert built == [etree.tostring(element_tree(markdown.Markdown(), PAGE))]


def test_markdown_still_writes_email_autolink_letters_behind_amp_substitute():
    link = element_tree(editor_markdown(block=False), "<me@example.org>").find(".//a")
    assert link.get("href").startswith(AMP_SUBSTITUTE + "#109;" + AMP_SUBSTITUTE + "#97;")  # m, a of mailto:
    assert markdown.markdown("<me@example.org>").startswith('<p><a href="&#109;&#97;')


def test_markdown_preprocessor_priorities_still_put_ours_after_whitespace_and_before_raw_html():
    from mkdocs.structure.pages import _RawHTMLPreprocessor  # MkDocs' anchor scan

    md = markdown.Markdown()
    _RawHTMLPreprocessor()._register(md)
    ours = Preprocessor(md)
    register_before_raw_html(md, ours, "ours")
    priorities = {name: md.preprocessors._priority[md.preprocessors.get_index_for_name(name)].priority  # noqa: SLF001
                  for name in ("normalize_whitespace", "ours", "mkdocs_raw_html", "html_block")}
    assert priorities == {"normalize_whitespace": WHITESPACE_PRIORITY, "ours": BEFORE_RAW_HTML_PRIORITY,
                          "mkdocs_raw_html": MKDOCS_ANCHOR_SCAN_PRIORITY, "html_block": RAW_HTML_PRIORITY}
    order = [md.preprocessors.get_index_for_name(name) for name in ("normalize_whitespace", "ours", "mkdocs_raw_html", "html_block")]
    assert order == sorted(order)


def test_markdown_html_stash_still_leaves_one_placeholder_line_between_blank_lines():
    """What the raw-HTML step leaves for a block followed by a blank line is
    what `stashed_block` leaves: the same lines, the same stash."""
    block = '<div class="claim" id="c1">\n<p>A claim</p>\n</div>'
    theirs, ours = markdown.Markdown(), markdown.Markdown()
    theirs.reset(), ours.reset()
    lines = theirs.preprocessors[RAW_HTML_PREPROCESSOR].run(["# A heading", "", *block.split("\n"), "", "after", "", ""])
    assert lines == ["# A heading", "", *stashed_block(ours, block), "", "after", "", ""]
    assert theirs.htmlStash.rawHtmlBlocks == ours.htmlStash.rawHtmlBlocks == [block + "\n"]


def test_markdown_block_processor_priorities_still_drop_blank_blocks_first_then_ours():
    md = markdown.Markdown()
    register_placeholder_paragraphs(md)
    processors = md.parser.blockprocessors
    assert [processors.get_index_for_name(name) for name in ("empty", "briefs_placeholder_paragraph")] == [0, 1]
    assert processors._priority[1].priority == AFTER_BLANK_BLOCKS_PRIORITY  # noqa: SLF001


def test_markdown_still_swaps_a_placeholder_paragraph_whose_text_is_atomic_for_its_block():
    """A block Markdown's raw-HTML step stashed comes out the same, and the
    page around it, while the inline step tries no pattern on its placeholder."""
    page = "# A *heading*\n\n<div>*x* [y](z)</div>\n\n- a list\n\n    <p>*in* it</p>\n\n> a quote\n\nafter *this*\n"
    tried: list[str] = []
    outputs = []
    for ours in (False, True):
        md = markdown.Markdown()
        if ours:
            register_placeholder_paragraphs(md)
            inline = md.treeprocessors[INLINE_TREEPROCESSOR]
            apply = inline._InlineProcessor__applyPattern  # noqa: SLF001 - records what each pattern is tried on
            inline._InlineProcessor__applyPattern = lambda pattern, data, *rest: tried.append(data) or apply(pattern, data, *rest)
        outputs.append(md.convert(page))
    assert outputs[0] == outputs[1]
    assert "\n<div>*x* [y](z)</div>\n" in outputs[1] and "<em>this</em>" in outputs[1]
    assert any("this" in data for data in tried) and not any(util.HTML_PLACEHOLDER[:8] in data for data in tried)


def test_the_module_is_the_one_place_generator_code_reaches_into_markdown():
    from conftest import ROOT

    reaching = [path.name for path in (ROOT / "generator").glob("*.py")
                if path.name != "markdown_engine.py"
                and any(word in path.read_text(encoding="utf-8")
                        for word in ("htmlStash", "util.AMP_SUBSTITUTE", "deregister(", "parseDocument", "md.preprocessors", "md.treeprocessors"))]
    assert not reaching, f"Python-Markdown's insides used outside {markdown_engine.__name__}: {reaching}"
