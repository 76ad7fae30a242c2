"""What the theme reads about a page, as typed records, and the front
matter that hands them to MkDocs.

overrides/ and Material read `page.meta` (title, description, story,
neighbours, language, share meta ...) and print most of it without
escaping. The records below declare every key; `front_matter` writes them
as JSON (JSON is YAML) with `json.dumps`, never by hand, so no value can
end a string, start a key or be read as another type.

MkDocs reads front matter with libyaml and, when that fails, says nothing
and renders the front matter as Markdown, with attr_list and the other
extensions on: editor text would become markup. libyaml refuses some
characters typed raw (C0 controls, DEL, C1, U+FFFE, U+FFFF) and folds
others into spaces even inside quotes (NEL, LS, PS are YAML 1.1 line
breaks), while it refuses `\\ud83d\\ude00`, the surrogate-pair escape
that `json.dumps` writes for an emoji by default. So characters outside
the BMP stay raw, those libyaml refuses or folds become `\\uXXXX`, and
`page_text` reads every page back with MkDocs' own reader (`FrontMatter`,
every distinct text of a site once): a page whose metadata does not come
back equal is an error, never a page.
"""
from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from typing import Literal

from .text import escape_text

# What libyaml's reader accepts raw (tab, LF, CR, printable ASCII and
# everything from U+00A0 but surrogates, U+FFFE and U+FFFF), less the
# line breaks it folds inside quotes (U+2028, U+2029; NEL is below U+00A0).
_YAML_UNSAFE = re.compile("[^\t\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class MetaTag:
    """One `<meta>` of the page head; `content` is plain text."""

    attribute: Literal["name", "property"]
    key: str
    content: str


@dataclass(frozen=True)
class ShareMeta:
    """What search engines and social networks read (generator/sharing.py)."""

    jsonld: str  # schema.org JSON, already safe as the text of a <script>
    tags: tuple[MetaTag, ...]


@dataclass(frozen=True)
class Neighbour:
    """A development listed in a brief's sidebar."""

    title: str
    url: str  # relative to the site root, made of slugs
    current: bool = False


@dataclass(frozen=True)
class SearchFields:
    """What a brief's search result shows and filters on besides its title
    and story; overrides/main.html hands them to Pagefind."""

    date: str  # the day, as the page shows it
    year: str  # in the site's time zone: the year filter


@dataclass(frozen=True)
class PageMeta:
    """Everything the theme reads from `page.meta`. Text is plain text here;
    `data` escapes it for the HTML the theme prints it into."""

    title: str
    description: str | None = None
    story: str | None = None  # a brief's story title, shown above its neighbours
    story_url: str | None = None
    feed: str | None = None  # the story's Atom feed, relative to the site root
    json_feed: str | None = None  # its JSON Feed twin
    tags: tuple[str, ...] = ()
    neighbours: tuple[Neighbour, ...] = ()
    lang: str | None = None
    direction: Literal["ltr", "rtl"] | None = None
    words: str | None = None  # the words language of the theme's words (search, footer): generator/words.py
    sharing: ShareMeta | None = None
    # Material's: parts of the page it leaves out. Pages read as news, in one
    # column: no documentation sidebar, no table of contents at any width
    # (on a phone the sections are still in the menu).
    hide: tuple[str, ...] = ("navigation", "toc")
    search: SearchFields | None = None  # a brief's, for the search index

    def data(self) -> dict:
        """`page.meta` as the theme reads it; empty values left out."""
        data = {
            "title": escape_text(self.title),
            "description": _maybe(self.description),
            "story": _maybe(self.story),
            "story_url": self.story_url,
            "feed": self.feed,
            "json_feed": self.json_feed,
            "tags": [escape_text(tag) for tag in self.tags],
            "neighbours": [
                {"title": escape_text(n.title), "url": n.url, **({"current": True} if n.current else {})}
                for n in self.neighbours
            ],
            "lang": self.lang,
            "direction": self.direction,
            "words": self.words,
            "sharing": self.sharing and {
                "jsonld": self.sharing.jsonld,
                "meta": [[t.attribute, t.key, html.escape(t.content, quote=True)] for t in self.sharing.tags],
            },
            "hide": list(self.hide),
            "search": self.search and {"date": escape_text(self.search.date), "year": self.search.year},
        }
        return {key: value for key, value in data.items() if value not in (None, [])}


def _maybe(text: str | None) -> str | None:
    return None if text is None else escape_text(text)


def front_matter(data: dict) -> str:
    """`data` as front matter that MkDocs' YAML reader reads back equal."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    return "---\n" + _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n---\n\n"


def page_data(page: str) -> dict:
    """The front matter of a page `page_text` wrote, as `PageMeta.data` gave
    it (its text escaped for HTML)."""
    return json.loads(page[4: page.index("\n---\n", 3)])


def page_body(page: str) -> str:
    """The Markdown of a page `page_text` wrote, without its front matter
    (JSON, in which no line is `---`)."""
    return page[page.index("\n---\n", 3) + 5:].lstrip("\n")


class UnreadableMeta(ValueError):
    """MkDocs would not read a page's metadata back as written."""


def page_text(meta: PageMeta, body: str) -> str:
    """A page: its front matter, then its Markdown. Raises UnreadableMeta
    rather than let MkDocs render the front matter as Markdown."""
    data = meta.data()
    text = front_matter(data) + body
    read = _read_back(text)
    if read != data:
        wrong = sorted(key for key in data if read.get(key) != data[key]) or sorted(read)
        raise UnreadableMeta(", ".join(wrong))
    return text


def _read_back(text: str):
    from mkdocs.utils.meta import get_data  # MkDocs' own reader; not imported for `briefs check`

    return get_data(text)[1]


class FrontMatter:
    """`page_text` for every page of a site, reading back each distinct
    text once rather than every page whole: titles, tags and dates recur
    from page to page. The same as `page_text` because a page's front
    matter is one JSON object of our own keys, whose only values that
    libyaml could read otherwise are its texts (each a double-quoted
    scalar, read the same wherever it stands)."""

    def __init__(self):
        self.read_back: set[str] = set()

    def page_text(self, meta: PageMeta, body: str) -> str:
        data = meta.data()
        fresh = [text for text in dict.fromkeys(_texts(data)) if text not in self.read_back]
        if fresh and _read_back(front_matter({"texts": fresh})).get("texts") != fresh:
            return page_text(meta, body)  # raises, naming the keys
        self.read_back.update(fresh)
        return front_matter(data) + body


def _texts(value):
    """Every text in front matter data, keys aside."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)
