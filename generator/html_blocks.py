"""Our pages' HTML blocks, handed to MkDocs' Markdown without parsing.

The rendered pages are mostly HTML blocks the templates wrote (claims,
sources, timeline, context). Python-Markdown would run an HTML parser over
every one of them twice (MkDocs looks for anchors, then Markdown finds the
block's end), which was most of a build's time. This extension stores each
such block in Markdown's own stash first, exactly as Markdown's raw-HTML
step would have, and keeps the inline step off the placeholder each leaves,
so the page comes out byte for byte the same (a test renders every page
both ways); Markdown then parses only the headings and the few Markdown
lines around them.

A block qualifies when it starts at a line's start with a block-level tag
and its last line closes that tag. Editor text cannot start one: it
reaches the page with every `<` written as `&#60;` (generator/text.py).
"""
from __future__ import annotations

import itertools
import re
from typing import Iterator

import markdown
from markdown import Extension
from markdown.preprocessors import Preprocessor

from .markdown_engine import register_before_raw_html, register_placeholder_paragraphs, stashed_block

_OPENING = re.compile(r"<([a-z][a-z0-9]*)[\s>]")


class _StashOurBlocks(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        for blank, run in _runs(lines):
            out += run if blank else self._stashed(run)
        return out

    def _stashed(self, chunk: list[str]) -> list[str]:
        return stashed_block(self.md, "\n".join(chunk)) if _is_our_block(chunk, self.md) else chunk


def _is_our_block(chunk: list[str], md) -> bool:
    """Lines between blank lines that are one HTML block our templates wrote."""
    opening = _OPENING.match(chunk[0]) if chunk else None
    return bool(opening and md.is_block_level(opening.group(1)) and _closes_at_end("\n".join(chunk), opening.group(1)))


def _closes_at_end(block: str, tag: str) -> bool:
    """The block's first tag is closed by its very last characters, not before."""
    depth = 0
    for match in re.finditer(rf"<(/?){tag}[\s>]", block):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return match.end() == len(block)
    return False


class HtmlBlocksExtension(Extension):
    def extendMarkdown(self, md) -> None:
        register_before_raw_html(md, _StashOurBlocks(md), "briefs_html_blocks")
        register_placeholder_paragraphs(md)


class PageHtml:
    """One of our pages' Markdown (without its front matter) as HTML, with
    no engine: its HTML blocks as they are, and the Markdown between them
    (headings with their ids, admonitions) through Python-Markdown. The
    feeds' content; the page MkDocs makes adds the theme's permalinks and
    layout around the same article.

    The Markdown between two blocks of ours is converted on its own: no
    Markdown runs on past an HTML block at the start of a line, and the
    same few headings recur on every page, so each is converted once."""

    def __init__(self):
        self.md = markdown.Markdown(extensions=["attr_list", "admonition"])
        self.converted: dict[str, str] = {}

    def __call__(self, body: str) -> str:
        parts: list[str] = []
        between: list[str] = []
        for blank, chunk in _runs(body.split("\n")):
            if blank:
                continue
            if not _is_our_block(chunk, self.md):
                between.append("\n".join(chunk))
                continue
            if between:
                parts.append(self._markdown("\n\n".join(between)))
                between = []
            parts.append("\n".join(chunk))
        if between:
            parts.append(self._markdown("\n\n".join(between)))
        return "\n".join(parts)

    def _markdown(self, text: str) -> str:
        if text not in self.converted:
            self.converted[text] = self.md.reset().convert(text)
        return self.converted[text]


def _runs(lines: list[str]) -> Iterator[tuple[bool, list[str]]]:
    """The lines in order, in runs each all blank or all not: (blank, run).
    A run that is not blank is one HTML block of ours, or Markdown."""
    for blank, run in itertools.groupby(lines, key=lambda line: not line.strip()):
        yield blank, list(run)
