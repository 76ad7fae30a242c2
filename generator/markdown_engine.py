"""Python-Markdown's insides, as briefs relies on them, in one place.

Editor text needs less than Python-Markdown gives (no raw HTML, no
entities, no block syntax in one-line text) and our pages' HTML blocks
need it to skip work it would do for nothing; both reach past its public
API: names of its internal steps, the order it runs them in, how it marks
the letters of an e-mail link, and the shape of the line its HTML stash
leaves. Each such assumption is stated here once, and
tests/test_markdown_engine.py has a test named after each, so an upgrade
of Python-Markdown that breaks one fails that test, not a page.
"""
from __future__ import annotations

import xml.etree.ElementTree as etree

import markdown
from markdown import util
from markdown.blockprocessors import BlockProcessor
from markdown.preprocessors import Preprocessor

# Markdown writes each letter of an e-mail autolink as a numeric character
# reference behind this marker, which its last step turns into '&'.
AMP_SUBSTITUTE = util.AMP_SUBSTITUTE

# Markdown's own steps that pass raw HTML and entities through: editor text has none.
RAW_HTML_PREPROCESSOR = "html_block"
RAW_HTML_INLINE_PATTERNS = ("html", "entity")
# The tree step that reads inline syntax (emphasis, links, code).
INLINE_TREEPROCESSOR = "inline"
# Block syntax that one-line (inline) editor text must not have: '# 2' or '1.' stays literal.
BLOCK_PROCESSORS = ("indent", "code", "hashheader", "setextheader", "hr", "olist", "ulist", "quote", "reference")

# Preprocessor priorities: Markdown normalises whitespace at 30 and stores
# raw HTML blocks at 20; MkDocs scans the lines for anchors at 21. A step
# at 25 sees normalised lines before either reads them.
WHITESPACE_PRIORITY = 30
MKDOCS_ANCHOR_SCAN_PRIORITY = 21
RAW_HTML_PRIORITY = 20
BEFORE_RAW_HTML_PRIORITY = 25
# Block processor priorities: Markdown drops blank blocks at 100, before
# any block syntax; a step at 99 sees a placeholder block before the rest.
AFTER_BLANK_BLOCKS_PRIORITY = 99


def editor_markdown(block: bool, inline: bool = True) -> markdown.Markdown:
    """A Markdown without raw HTML or entities; without block syntax unless
    `block`, without the inline step unless `inline` (for text with no
    inline syntax, where it would find nothing)."""
    md = markdown.Markdown()
    md.preprocessors.deregister(RAW_HTML_PREPROCESSOR)
    for name in RAW_HTML_INLINE_PATTERNS:
        md.inlinePatterns.deregister(name)
    if not inline:
        md.treeprocessors.deregister(INLINE_TREEPROCESSOR)
    if not block:
        for name in BLOCK_PROCESSORS:
            md.parser.blockprocessors.deregister(name)
    return md


def element_tree(md: markdown.Markdown, source: str) -> etree.Element:
    """The tree `Markdown.convert` serializes, built by its same steps
    (preprocessors, block parser, treeprocessors): we write the HTML from
    the tree ourselves, from an allowlist (generator/text.py)."""
    md.reset()
    lines = source.split("\n")
    for step in md.preprocessors:
        lines = step.run(lines)
    root = md.parser.parseDocument(lines).getroot()
    assert root is not None  # Markdown's parser always makes the document's element
    for treeprocessor in md.treeprocessors:
        root = treeprocessor.run(root) or root
    return root


def register_before_raw_html(md: markdown.Markdown, step: Preprocessor, name: str) -> None:
    """`step` runs on normalised lines, before MkDocs' anchor scan and
    Markdown's raw-HTML step."""
    md.preprocessors.register(step, name, BEFORE_RAW_HTML_PRIORITY)


def stashed_block(md: markdown.Markdown, block: str) -> list[str]:
    """The lines Markdown's raw-HTML step leaves for an HTML block followed
    by a blank line: the block goes into its stash, a placeholder line
    between blank lines stays, and the page comes out the same."""
    return ["", md.htmlStash.store(block + "\n"), "", ""]


class _PlaceholderParagraph(BlockProcessor):
    """A block that is one stash placeholder becomes the <p> Markdown's
    paragraph step would make of it, with its text marked atomic: the
    inline step then passes it by instead of trying every inline pattern
    on it (it holds no syntax; our pages have some twenty such blocks
    each). Markdown's raw-HTML postprocessor swaps the paragraph for the
    stashed block as before. In a tight list Markdown makes no paragraph;
    that case is left to it."""

    def test(self, parent: etree.Element, block: str) -> bool:
        return util.HTML_PLACEHOLDER_RE.fullmatch(block) is not None and not self.parser.state.isstate("list")

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        etree.SubElement(parent, "p").text = util.AtomicString(blocks.pop(0))


def register_placeholder_paragraphs(md: markdown.Markdown) -> None:
    """Placeholder blocks skip the inline step (see _PlaceholderParagraph)."""
    md.parser.blockprocessors.register(_PlaceholderParagraph(md.parser), "briefs_placeholder_paragraph", AFTER_BLANK_BLOCKS_PRIORITY)
