"""Editor text to safe HTML.

Editor text reaches the public web, and the page around it is Markdown
that MkDocs renders with extensions (attr_list, snippets, emoji, ...).
So editor text is never handed to MkDocs as Markdown. We parse it here
with a Markdown that knows no raw HTML and no entities, then write the
HTML ourselves from an allowlist of elements and attributes, with every
ASCII punctuation character of text and attribute values written as a
numeric character reference. Such HTML means the same to the browser,
but gives MkDocs' Markdown nothing to act on: no `*`, `{:`, `--8<--`,
`:emoji:`, `<` or `{{` survives as syntax. An HTML sanitizer run after
the fact (nh3) would add a dependency and could not undo Markdown that
had already been interpreted; building from an allowlist is the stronger
guarantee, and the tests load every page in a browser to check it.
"""
from __future__ import annotations

import functools
import html
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable

from .markdown_engine import AMP_SUBSTITUTE, editor_markdown, element_tree

ALLOWED_SCHEMES = ("http", "https", "mailto")
# How a link within the site starts; any other link without a scheme
# ('www.vedur.is') would be read as a page of this site, which is missing.
RELATIVE_STARTS = ("/", "./", "../", "#")

# Elements editor text may produce, and their allowed attributes.
_INLINE_ELEMENTS = {"em": (), "strong": (), "code": (), "a": ("href", "title"), "br": ()}
_BLOCK_ELEMENTS = {
    **_INLINE_ELEMENTS,
    "p": (), "ul": (), "ol": ("start",), "li": (), "blockquote": (), "pre": (), "hr": (),
    "h3": (), "h4": (), "h5": (), "h6": (),
}
_VOID = frozenset(["br", "hr"])

# Every character that is syntax to HTML, to Markdown or to an extension
# MkDocs may enable (emoji ':', mark '==', attr_list '{', snippets '<',
# tables '|', math '$'). Commas, full stops, hyphens and the like are left
# as they are: written inside a line, they are syntax to none of them.
_PUNCTUATION = {ord(c): f"&#{ord(c)};" for c in "\\`*_[](){}#!:<>&\"|~^=+$"}
_SPACES = {ord("\n"): " ", ord("\r"): " ", ord("\t"): " "}
_TEXT_TABLE = {**_PUNCTUATION, **_SPACES}
_PRE_TABLE = {**_PUNCTUATION, ord("\n"): "&#10;"}  # pre keeps its lines, with no blank line for Markdown to see
_AMP_ENTITY = re.compile(re.escape(AMP_SUBSTITUTE) + r"#(\d+);")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")
# Bidi and zero-width controls: refused in URLs and slugs.
HIDDEN_CHARACTERS = r"\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff"  # as a regex class's inside
_HIDDEN = re.compile(f"[{HIDDEN_CHARACTERS}]")
_OFF_SITE = re.compile(r"[/\\]{2}")  # protocol-relative: '//host', and '\\host', '/\\host' as browsers read them
_URL_DROPPED = dict.fromkeys(map(ord, "\t\n\r"))
# Two slashes or backslashes anywhere but after a scheme's colon: a target may start there.
# (The slash first, then the look behind it: a pattern that starts with a
# character class lets the regex engine skip to its characters, a quarter
# of the time of trying the look-behind at every position.)
_MAYBE_OFF_SITE = re.compile(r"[/\\](?<![a-z0-9+.\-]:[/\\])[\t\n\r]*[/\\]", re.I)
_C0_AND_SPACE = "".join(map(chr, range(0x21)))


def escape_text(value: str) -> str:
    """Plain text as HTML that is also inert Markdown (see module doc)."""
    return value.translate(_TEXT_TABLE)


class RichText:
    """Editor text with its safe HTML and its plain words.

    Text that provably holds no image and no refused link has nothing to
    check, so its HTML (`to_html` of its source) is made only when a page
    first needs it: `briefs check` then costs little more than reading
    the YAML."""

    __slots__ = ("source", "_to_html", "_html", "_plain")

    def __init__(self, source: str, to_html=None, html_text: str | None = None):
        self.source, self._to_html, self._html = source, to_html, html_text
        self._plain: str | None = None

    @property
    def html(self) -> str:
        if self._html is None:
            self._html = self._to_html(self.source)
        return self._html

    @property
    def plain(self) -> str:
        if self._plain is None:
            self._plain = plain_words(self.html)
        return self._plain

    def __html__(self) -> str:  # Jinja inserts it as is
        return self.html

    def __str__(self) -> str:
        return self.plain

    def __eq__(self, other) -> bool:
        return isinstance(other, RichText) and other.source == self.source

    def __hash__(self) -> int:
        return hash(self.source)

    def __repr__(self) -> str:
        return f"RichText({self.source!r})"


class _EditorMarkdown:
    """Python-Markdown without raw HTML or entities; block syntax only for
    block text, so '# 2' or '1.' at the start of an inline text is literal."""

    def __init__(self, name: str, block: bool, inline: bool = True):
        self.name = name
        self.md = editor_markdown(block, inline)
        self.allowed = _BLOCK_ELEMENTS if block else _INLINE_ELEMENTS

    def __reduce__(self) -> str:
        """Pickled as the module's own instance (a RichText sent back by a
        worker holds one's method): a copy would carry its Markdown's state
        from the worker, whose HTML can differ by a space."""
        return self.name

    @functools.lru_cache(maxsize=4096)  # a story's claims carry over from brief to brief
    def html(self, source: str) -> str:
        return _render(self, source)[0]

    def tree(self, source: str) -> etree.Element:
        return element_tree(self.md, source)


_INLINE = _EditorMarkdown("_INLINE", block=False)
_BLOCK = _EditorMarkdown("_BLOCK", block=True)
_BLOCKS_ONLY = _EditorMarkdown("_BLOCKS_ONLY", block=True, inline=False)


# Without these, inline text has no Markdown to interpret; most claims are
# like that, and skipping the parser keeps rendering fast.
_INLINE_MARK = re.compile(r"[*_`\[<\\&]")
_HARD_BREAKS = ("  \n", "\t \n", "\t\n")  # a tab before a line end may expand to a line break


def has_inline_syntax(source: str) -> bool:
    """Whether the text holds a mark of Markdown's inline syntax, or a hard
    line break. A class and plain substring tests, not one regex with
    alternatives, which the engine would try at every character."""
    return _INLINE_MARK.search(source) is not None or ("\n" in source and any(mark in source for mark in _HARD_BREAKS))


# Without these, text can hold no link and no image: nothing to check.
_LINK_SYNTAX = re.compile(r"[\[<]")
_SCHEME_CHARACTERS = "abcdefghijklmnopqrstuvwxyz0123456789+.-"


# --- Limits: Python-Markdown's inline step costs, in one paragraph, about
# its marks times its length, and each unclosed '[', link '(' or backtick
# run rescans the rest of the paragraph; its block parser recurses once per
# level of nesting. Text past these limits is an error at its field, so no
# text costs more than a linear amount of time and none can exhaust the stack.
MAX_NESTING = 8  # levels of lists, quotes, indentation or brackets
MAX_MARKS = 200  # inline marks (* _ ` [ < \ and hard line breaks) in one paragraph
MAX_UNCLOSED = 8  # '[', link '(' and backtick runs left open in one paragraph
# Each mark costs Python-Markdown a fixed amount of work however the
# paragraphs are cut, so a file's text fields share one budget of them:
# many times what the longest real brief needs (docs/benchmarks.md).
MAX_FILE_MARKS = 10_000
LIMITS = {"nesting": MAX_NESTING, "marks": MAX_MARKS, "unclosed": MAX_UNCLOSED, "file_marks": MAX_FILE_MARKS}  # for the editor guide

_PARAGRAPHS = re.compile(r"(?:\r\n?|\n)[ \t]*(?:\r\n?|\n)")  # Markdown's blank line: a superset of each paragraph
_LINES = re.compile(r"\r\n?|\n")
_NESTING_PREFIX = re.compile(r"(?:[ \t]*(?:>|[-*+](?=[ \t]|$)|\d+[.)](?=[ \t]|$)))+|[ \t]+")
_MARKS = re.compile(r"[*_`\[<\\]|(?:[ \t] |\t)(?=\r|\n)")
_MARK_CHARACTERS = "*_`[<\\"  # _MARKS without a line break: str.count of each is a tenth of its findall


def _lines(source: str) -> list[str]:
    """_LINES.split(source); str.split when it can (the regex's split costs as much as all the rest)."""
    return _LINES.split(source) if "\r" in source else source.split("\n")


def _count_marks(source: str) -> int:
    """len(_MARKS.findall(source)); by str.count for text without a line break, where a hard break cannot be."""
    if "\n" in source or "\r" in source:
        return len(_MARKS.findall(source))
    return sum(source.count(mark) for mark in _MARK_CHARACTERS)


def _limit_problem(source: str, block: bool, inline_syntax: bool) -> str | None:
    """Why the text is past a limit, or None (see MAX_NESTING and the rest);
    `inline_syntax` is has_inline_syntax(source)."""
    if block:
        for number, line in enumerate(_lines(source), 1):
            if _nesting(line) > MAX_NESTING:
                return (f"lists, quotes or indentation nested more than {MAX_NESTING} levels deep "
                        f"(line {number} of this text); flatten it")
    if not inline_syntax:  # no marks, nothing left open
        return None
    for paragraph in _PARAGRAPHS.split(source) if "\n" in source or "\r" in source else [source]:
        problem = _paragraph_problem(paragraph)
        if problem:
            return problem
    return None


def marks(source: str, block: bool = False) -> int:
    """The Markdown marks in the text, as MAX_FILE_MARKS counts them; in
    block text each line break counts too (each line costs the block parser)."""
    return _marks(source, block, has_inline_syntax(source))


def _marks(source: str, block: bool, inline_syntax: bool) -> int:
    inline = _count_marks(source) if inline_syntax else 0
    return inline + source.count("\n") if block else inline


def file_marks_problem(total: int) -> str:
    return (f"the Markdown marks (* _ ` [ < \\ or line breaks) in this file's text reach {total:,} here, "
            f"more than the {MAX_FILE_MARKS:,} one file may hold; move some text to another brief")


def _nesting(line: str) -> int:
    prefix = _NESTING_PREFIX.match(line)
    if not prefix:
        return 0
    text = prefix.group(0)
    columns = len(text.expandtabs(4)) - len(text.replace(" ", "").replace("\t", ""))  # indentation
    markers = len(re.findall(r">|[-*+]|\d+[.)]", text))
    return markers + columns // 4


# Tokens Markdown's inline step counts: escapes (of what Markdown escapes),
# backtick runs, link openers and closers, parentheses and quotes. Every
# alternative starts with one character, so that the regex engine skips to
# those characters (a quarter of the time of `+ and a class at the end).
_TOKENS = re.compile(r"\\[\\`*_{}\[\]()>#+\-.!]|``*|\]\(|\[|\]|\(|\)|\"|'")


def _paragraph_problem(paragraph: str) -> str | None:
    if _count_marks(paragraph) > MAX_MARKS:
        return (f"more than {MAX_MARKS} Markdown marks (* _ ` [ < \\ or line breaks) in one paragraph; "
                "split it with a blank line")
    brackets: list[str] = []  # open '['
    parens: list[int | None] = []  # open '(': a link's holds the quotes seen before it
    runs: list[int] = []  # backtick runs, by length
    unclosed = quotes = deepest = 0
    for token in _TOKENS.finditer(paragraph):
        t = token.group()
        if t == "[":
            brackets.append(t)
            deepest = max(deepest, len(brackets))
        elif t in ("]", "]("):
            if brackets:
                brackets.pop()
            if t == "](":
                parens.append(quotes)
        elif t == "(":
            parens.append(None)
        elif t == ")":
            if parens and (opened := parens.pop()) is not None and quotes > opened:
                unclosed += 1  # a quote inside a link's target: Markdown may read on to the end
        elif t in "\"'":
            quotes += 1
        elif t[0] == "`":
            runs.append(len(t))
    unclosed += len(brackets) + sum(1 for p in parens if p is not None) + _unclosed_runs(runs)
    if unclosed > MAX_UNCLOSED:
        return (f"more than {MAX_UNCLOSED} of '[', '](' or '`' left open in one paragraph; close them, "
                "or write \\[ and \\` for the characters themselves")
    if deepest > MAX_NESTING:
        return f"'[' nested more than {MAX_NESTING} levels deep in one paragraph; flatten it"
    return None


def _unclosed_runs(runs: list[int]) -> int:
    """Backtick runs with no later run of their length (Markdown scans on to the end for each)."""
    later: set[int] = set()
    unclosed = 0
    for length in reversed(runs):
        unclosed += length not in later
        later.add(length)
    return unclosed


def render(source: str, block: bool, spend_marks: Callable[[int], bool] | None = None) -> tuple[RichText, list[str]]:
    """Editor text as RichText, and what is wrong with it. Text past its own
    limits is not rendered; nor is text `spend_marks`, told its marks,
    refuses (the file's budget is spent, and its error reported there).
    Each test of the text runs once: this is most of a check's time
    after the YAML (docs/benchmarks-history.md)."""
    inline_syntax = has_inline_syntax(source)
    problem = _limit_problem(source, block, inline_syntax)
    if problem:
        return RichText(source, escape_text), [problem]
    if spend_marks is not None and not spend_marks(_marks(source, block, inline_syntax)):
        return RichText(source, escape_text), []
    if not inline_syntax:  # most text: a claim, a list item; a context's paragraphs, heading and list
        return RichText(source, _BLOCKS_ONLY.html if block else escape_text), []
    return _checked(_BLOCK if block else _INLINE, source)


def _checked(parser: _EditorMarkdown, source: str) -> tuple[RichText, list[str]]:
    if not may_be_refused(source):
        return RichText(source, parser.html), []
    html_text, problems = _render(parser, source)
    return RichText(source, html_text=html_text), problems


def may_be_refused(source: str) -> bool:
    """Whether the render might find an image or a refused link in the text;
    False is a proof that it will not, so the text need not be rendered now.

    A link target is a stretch of the text that starts after '(', '<',
    ':' or a space, so its scheme, as link_problem reads it, is a whole run
    of scheme characters before a colon in the whole text read the same
    way; a run with a letter that is not an allowed scheme is unsure.
    Backslashes are dropped too: Markdown drops those of escapes, and
    dropping the rest can only find more. Two slashes or backslashes not
    after a scheme's colon, and any bidi or zero-width control, may be a
    refused target too. Anything unsure is rendered."""
    if not _LINK_SYNTAX.search(source):
        return False
    if "![" in source:
        return True
    decoded = html.unescape(_amp_decoded(source))
    if _HIDDEN.search(decoded) or _MAYBE_OFF_SITE.search(decoded):
        return True
    readable = _normalised(source.replace("\\", ""))
    # A run without a letter (a time, 10:30) cannot be a scheme.
    if any(run not in ALLOWED_SCHEMES and run.strip("0123456789+.-") for run in _runs_before_colons(readable)):
        return True
    written = _normalised(source)  # backslashes kept: Markdown keeps '\h', which hides no scheme
    return any(not _SURE_TARGET.match(written, found.end()) for found in _TARGET_START.finditer(written))


# Where a link's target may start, in text read as a browser reads a URL
# (spaces gone): after '](' (an inline link) or ']:' (a reference), and a '<'.
# A target sure to pass starts as a relative link does, or with a scheme
# (which the runs before colons judge).
_TARGET_START = re.compile(r"\](?:\(|:)<?")
_SURE_TARGET = re.compile(r"(?:/|\./|\.\./|#|[a-z][a-z0-9+.\-]*:)")


def _runs_before_colons(text: str):
    """The whole run of scheme characters before each colon. (str.rstrip
    finds it in one pass; a regex for it backtracks over long runs.)"""
    for before in text.split(":")[:-1]:
        yield before[len(before.rstrip(_SCHEME_CHARACTERS)):]


def _render(parser: _EditorMarkdown, source: str) -> tuple[str, list[str]]:
    root = parser.tree(source)
    problems: list[str] = []
    writer = _Writer(parser.allowed, problems, inline=parser is _INLINE)
    if writer.inline:  # paragraphs of inline text are joined
        return " ".join(writer.children(p) for p in root), problems
    return "".join(writer.element(p) for p in root), problems


_WRITTEN_DEPTH = 40  # elements inside each other, beyond any nesting the limits let through but emphasis
_INLINE_TAG = re.compile(r"</?(?:em|strong|code|a)\b[^>]*>")
_ANY_TAG = re.compile(r"<[^>]*>")


def plain_words(safe_html: str) -> str:
    """The words a reader sees in HTML this module wrote."""
    text = _ANY_TAG.sub(" ", _INLINE_TAG.sub("", safe_html))
    return " ".join(html.unescape(text).split())


class _Writer:
    def __init__(self, allowed: dict, problems: list[str], inline: bool):
        self.allowed, self.problems, self.inline = allowed, problems, inline

    def text(self, value: str | None, pre: bool = False) -> str:
        if not value:
            return ""
        return _amp_decoded(value).translate(_PRE_TABLE if pre else _TEXT_TABLE)

    def element(self, el: etree.Element, pre: bool = False, depth: int = 0) -> str:
        tag = el.tag
        if tag == "img":
            self.problems.append("images are not part of a brief; link to the picture instead")
            return self.text(el.get("alt")) + self.text(el.tail)
        if depth > _WRITTEN_DEPTH:  # emphasis runs can nest deeper than the stack: their words only
            return self.text("".join(el.itertext()), pre) + self.text(el.tail, pre)
        if tag in ("h1", "h2"):
            tag = "h3"  # the page's own sections are the h2 headings
        if tag not in self.allowed:  # drop the element, keep its words
            return self.children(el, pre, depth) + self.text(el.tail, pre)
        attrs = "".join(self.attribute(el, tag, name) for name in self.allowed[tag] if el.get(name) is not None)
        if tag in _VOID:
            return f"<{tag}{attrs}>" + self.text(el.tail, pre)
        return f"<{tag}{attrs}>{self.children(el, pre, depth)}</{tag}>" + self.text(el.tail, pre)

    def children(self, el: etree.Element, pre: bool = False, depth: int = 0) -> str:
        text = el.text
        if el.tag == "code" and text:  # Markdown escaped these in code; we escape all
            text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
        pre = pre or el.tag == "pre"
        return self.text(text, pre) + "".join(self.element(child, pre, depth + 1) for child in el)

    def attribute(self, el: etree.Element, tag: str, name: str) -> str:
        value = el.get(name, "")  # only attributes the element has are asked for
        if name == "href":
            problem = link_problem(value)
            if problem:
                self.problems.append(problem)
                return ""
            if _SCHEME.match(_normalised(value)):
                return f' {name}="{self.text(value)}" rel="nofollow noopener"'
        return f' {name}="{self.text(value)}"'


def _amp_decoded(value: str) -> str:
    """Markdown writes the letters of an e-mail autolink as numeric references
    after its AMP_SUBSTITUTE; a reference that names no character (text
    holding that substitute itself, `&#99999999999;`) stays as written."""
    return _AMP_ENTITY.sub(_character, value)


def _character(match: re.Match) -> str:
    code = int(match.group(1))
    if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF:
        return chr(code)
    return f"&#{match.group(1)};"


def _normalised(url: str) -> str:
    return _INVISIBLE.sub("", html.unescape(_amp_decoded(url))).lower()


def link_scheme(url: str) -> str | None:
    """The scheme a browser would see, whatever case, spacing or entities hide it."""
    match = _SCHEME.match(_normalised(url))
    return match.group(1) if match else None


def link_problem(url: str) -> str | None:
    """Why a link target is refused, or None: only http, https, mailto and
    relative URLs, and nothing in them that hides where they go."""
    hidden = hidden_character(url)
    if hidden:
        return f"a link may not hold the invisible character {hidden}; type the address again"
    scheme = link_scheme(url)
    if scheme and scheme not in ALLOWED_SCHEMES:
        return f"links may use http, https or mailto only, not '{scheme}:'"
    if scheme:
        return None
    target = _as_browser_reads(url)
    if _OFF_SITE.match(target):
        return "a link starting with '//' or a backslash leaves the site; write the whole address, starting with https://"
    if not target:
        return "a link has no address between its ( ): write the whole address, starting with https://"
    if not target.startswith(RELATIVE_STARTS):
        return (f"the link '{target}' has no https:// and would lead to a missing page of this site: "
                f"write 'https://{target}' (a link within this site starts with /, ./, ../ or #)")
    return None


def hidden_character(url: str) -> str | None:
    """The first bidi or zero-width control in a URL (U+202E...), named, or None:
    such a URL can display as one address and lead to another."""
    found = _HIDDEN.search(html.unescape(_amp_decoded(url)))
    return f"U+{ord(found.group()):04X}" if found else None


def _as_browser_reads(url: str) -> str:
    """A browser drops tabs and line breaks anywhere in a URL, and control
    characters and spaces around it, and reads '\\' as '/'."""
    return html.unescape(_amp_decoded(url)).translate(_URL_DROPPED).lstrip(_C0_AND_SPACE)
