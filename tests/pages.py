"""Reading built pages as a reader sees their words."""
from __future__ import annotations

import html
import re
from pathlib import Path

_ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.S)
_SCRIPT = re.compile(r"<(script|style)\b.*?</\1>", re.S)
_INLINE_TAG = re.compile(r"</?(?:em|strong|code|a|span|sup|time|abbr|b|i)\b[^>]*>")
_TAG = re.compile(r"<[^>]+>")


def page_path(site: Path, url_path: str) -> Path:
    """The file GitHub Pages serves for a directory URL like 'story/brief/'."""
    return site / url_path / "index.html"


def article_text(page: Path) -> str:
    """The words of a page's article, whitespace folded."""
    source = page.read_text(encoding="utf-8")
    match = _ARTICLE.search(source)
    assert match, f"{page} has no article"
    body = _SCRIPT.sub(" ", match.group(1))
    return " ".join(html.unescape(_TAG.sub(" ", _INLINE_TAG.sub("", body))).split())
