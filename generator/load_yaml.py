"""Load YAML files into nodes that keep their line and column.

Values stay text here: the schema, not YAML 1.1's resolver, decides that
`1984` is a title and `2024-05-07` a date. A file that may hold anchors,
aliases, tags or more than one document is read from libyaml's event
stream, so those are refused before anything is expanded; any other file
(almost every brief) is composed by libyaml in C, which is faster (see
docs/benchmarks-history.md), and its nodes copied with the same checks. Nesting depth is
bounded either way (libyaml itself stops at 1,000 levels).
"""
from __future__ import annotations

from pathlib import Path

import re

import yaml

from .problems import Problem
from .yaml_engine import ReaderError, compose, events, refused_character
from .yaml_slips import explain

MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 24

# YAML's line breaks; libyaml counts each one (CRLF once) in its marks,
# and so does every line number we compute.
_LINE_BREAKS = "\n\r\x85\u2028\u2029"
LINE_BREAK = re.compile(f"\r\n|[{_LINE_BREAKS}]")

# An anchor (&), alias (*) or tag (!) can start a node only at a line's
# start or after one of these indicators, spaces between. libyaml skips a
# byte order mark at a line's start, so it counts as a space here.
_BEFORE_NODE = frozenset(_LINE_BREAKS + "-:?,[{")
_SPACES = frozenset(" \t\ufeff")
# `---`, `...` and directives at a line's start may start another document.
_DOCUMENT_MARK = re.compile(f"(?:^|[{_LINE_BREAKS}])\ufeff*(?:---|\\.\\.\\.|%)")

# Characters that are not text (see the contract): C0 controls but tab and
# newline, DEL, C1 controls, lone surrogates and Unicode's noncharacters.
# CR and NEL are YAML line breaks in a file; in a value only an escape
# (`\r`, `\N`) puts them.
_CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f"
_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(chr(plane + 0xFFFE) + chr(plane + 0xFFFF) for plane in range(0, 0x110000, 0x10000))
NOT_TEXT = re.compile(f"[\r\x85{_CONTROLS}\ud800-\udfff{_NONCHARACTERS}]")
_RAW_NOT_TEXT = re.compile(f"[{_CONTROLS}\ud800-\udfff{_NONCHARACTERS}]")
# A file without a match holds no value with such a character: libyaml's
# reader refuses the raw ones but noncharacters, escapes are double-quoted.
_MAY_HOLD_NOT_TEXT = re.compile(r"\\[0abtvfreNxuU]|" + _RAW_NOT_TEXT.pattern)
# Supersets of the two, as classes of a few ranges (all from the first
# noncharacter of plane 1 up): the regex engine tests such a class in one
# step, the exact patterns' 32 single characters above U+FFFF one by one
# (docs/benchmarks-history.md). Almost no file or value matches, and only one that
# does is searched again with the exact pattern.
_ABOVE_PLANE_0 = "\U0001fffe-\U0010ffff"
_MAYBE_NOT_TEXT_IN_FILE = re.compile(f"[\\\\{_CONTROLS}\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff{_ABOVE_PLANE_0}]")
# Bytes of UTF-8 that are part of no character of _MAYBE_NOT_TEXT_IN_FILE:
# ASCII text but the backslash, continuation bytes, and the first bytes of
# characters but 0xC2 (U+0080 to U+00BF: the C1 controls), 0xEF (U+F000 to
# U+FFFF: noncharacters) and 0xF0 to 0xF4 (beyond U+FFFF). A file left with
# none of its bytes once these are deleted (bytes.translate, one pass of C,
# a tenth of the class's search) holds no such character.
_SURELY_TEXT_BYTES = bytes([*b"\t\n\r", *range(0x20, 0x7F), *range(0x80, 0xC2), *range(0xC3, 0xEF)]).replace(b"\\", b"")
_MAYBE_NOT_TEXT = re.compile(f"[\r\x85{_CONTROLS}\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff{_ABOVE_PLANE_0}]")
# In a double-quoted scalar, what the editor typed: an escape (so `\\x01`
# is a backslash and "x01"), or a character that is not text, typed raw.
_TYPED_IN_QUOTES = re.compile(r"\\(?:x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)|" + _RAW_NOT_TEXT.pattern, re.DOTALL)
# One-letter escapes to what they stand for; an escaped line break is none.
_ESCAPED = {"0": "\x00", "a": "\x07", "b": "\x08", "t": "\t", "n": "\n", "v": "\x0b", "f": "\x0c",
            "r": "\r", "e": "\x1b", "N": "\x85", **dict.fromkeys(_LINE_BREAKS, "")}

# Plain scalars that YAML 1.2 (what editors' tools read) takes as null.
NULL_WORDS = frozenset(["", "~", "null", "Null", "NULL"])


class Node:
    """A scalar (str value), a mapping (list of key/value node pairs) or a
    sequence (list of nodes), with 1-based line and column."""

    __slots__ = ("kind", "value", "line", "column", "plain")

    def __init__(self, kind: str, value, line: int, column: int, plain: bool = False):
        self.kind = kind
        self.value = value
        self.line = line
        self.column = column
        self.plain = plain  # an unquoted scalar

    @property
    def is_null(self) -> bool:
        return self.kind == "scalar" and self.plain and self.value in NULL_WORDS

    def describe(self) -> str:
        """What the editor wrote, in words, for 'expected X, found Y'."""
        if self.kind == "mapping":
            return "a mapping of keys"
        if self.kind == "sequence":
            return "a list"
        if self.is_null:
            return "nothing"
        return f"'{shorten(self.value)}'"


def shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# Stands for the key of a duplicate entry, whose value is then left out.
_DROPPED = Node("scalar", "", 0, 0)


class _Unloadable(Exception):
    def __init__(self, line: int, column: int, message: str):
        super().__init__(message)
        self.line, self.column, self.message = line, column, message


class _Findings(list):
    """Errors that do not stop the reading (a duplicate key, an anchor, a
    control character), with what finding them needs: the file's text, and
    how many nodes the copy may still make. Without aliases a file has
    fewer nodes than characters, so a budget keeps the copy linear even if
    an alias got past `may_be_special`."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text
        self.may_hold_not_text = _may_hold_not_text(text)
        self.nodes_left = 2 * len(text) + 2


def _may_hold_not_text(text: str) -> bool:
    if not text.encode().translate(None, _SURELY_TEXT_BYTES):
        return False
    return _MAYBE_NOT_TEXT_IN_FILE.search(text) is not None and _MAY_HOLD_NOT_TEXT.search(text) is not None


def load_yaml_file(path: Path, shown_as: str) -> tuple[Node | None, list[Problem]]:
    """Read and parse one file; never raises for bad content."""
    try:
        size = path.stat().st_size
        data = b"" if size > MAX_FILE_BYTES else path.read_bytes()
    except OSError as bad:
        return None, [Problem(shown_as, 1, 1, f"cannot read the file: {bad.strerror}; check that it is a file you may read")]
    return load_yaml_bytes(data, shown_as, size)


def load_yaml_bytes(data: bytes, shown_as: str, size: int | None = None) -> tuple[Node | None, list[Problem]]:
    """Parse one file's content (from disk or from git); never raises for bad content."""
    size = len(data) if size is None else size
    try:
        if size > MAX_FILE_BYTES:
            raise _Unloadable(1, 1, f"the file is {size:,} bytes; the limit is 1 MiB ({MAX_FILE_BYTES:,} bytes)")
        text = _decode(data)
        soft = _Findings(text)
        root = _compose(text, soft)
        return root, [Problem(shown_as, bad.line, bad.column, bad.message) for bad in soft]
    except _Unloadable as bad:
        return None, [Problem(shown_as, bad.line, bad.column, bad.message)]


def _decode(data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as bad:
        before = data[: bad.start].decode("utf-8-sig")  # valid up to the bad byte
        line, column = place(before, len(before))
        raise _Unloadable(line, column, f"byte 0x{data[bad.start]:02x} is not UTF-8; save the file as UTF-8") from None
    if not text.strip():
        raise _Unloadable(1, 1, "the file is empty")
    if "\x00" in text:
        line, column = place(text, text.index("\x00"))
        raise _Unloadable(line, column, "the file contains a NUL character; it is not a text file")
    return text


def place(text: str, index: int) -> tuple[int, int]:
    """Line and column (from 1) of text[index], every YAML line break counted."""
    line, start = 1, 0
    for found in LINE_BREAK.finditer(text, 0, index):
        line, start = line + 1, found.end()
    return line, index - start + 1


def _compose(text: str, soft: _Findings) -> Node:
    """Nodes of the one document; errors that do not stop the reading
    (a duplicate key, an anchor) go to `soft` so all of them are reported."""
    if not may_be_special(text):
        try:
            tree = compose(text)
        except yaml.YAMLError:
            tree = None  # the event walk below reports it, with its usual words
        else:
            if tree is None:
                raise _Unloadable(1, 1, "the file is empty")
            return _copy(tree, 1, soft)
    try:
        return _build(events(text), soft)
    except yaml.MarkedYAMLError as bad:
        raise _syntax_error(bad, text) from None
    except ReaderError as bad:  # a control character; its message spans lines
        raise _unprintable(bad, text) from None
    except yaml.YAMLError as bad:  # errors without a mark
        raise _Unloadable(1, 1, f"YAML syntax: {bad}") from None


def may_be_special(text: str) -> bool:
    """Whether the text may hold an anchor, alias, tag or second document.

    A match is not always YAML syntax (a quoted "- *really*"), but text
    without one holds none of it, so the C composer may read it. Written
    as a scan from each '&', '*' and '!' back over spaces, because these
    are rare in briefs while the characters that may precede them are not:
    one regex for both took as long as libyaml's parse of the file."""
    if ("---" in text or "..." in text or "%" in text) and _DOCUMENT_MARK.search(text):
        return True
    for mark in "&*!":  # str.find, not a regex's search: a tenth of its time
        found = text.find(mark)
        while found >= 0:
            before = found - 1
            while before >= 0 and text[before] in _SPACES:
                before -= 1
            if before < 0 or text[before] in _BEFORE_NODE:
                return True
            found = text.find(mark, found + 1)
    return False


def _build(stream, soft: _Findings) -> Node:
    stack: list[Node] = []
    pending_keys: list[Node | None] = []
    seen_keys: list[dict[str, Node]] = []
    root: Node | None = None
    documents = 0
    anchors: list = []
    aliases: list = []
    for event in stream:
        kind = type(event)
        if kind is yaml.StreamEndEvent:
            break
        if kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise _at(event, "the file holds more than one YAML document (a second '---'); keep one brief per file")
            continue
        if kind in (yaml.StreamStartEvent, yaml.DocumentEndEvent):
            continue
        if getattr(event, "anchor", None):
            (aliases if kind is yaml.AliasEvent else anchors).append(event)
            if kind is yaml.AliasEvent:
                event = yaml.ScalarEvent(None, None, (True, False), "", event.start_mark, event.end_mark)
                kind = yaml.ScalarEvent
        if kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            node = stack.pop()
            pending_keys.pop()
            seen_keys.pop()
        else:
            node = _new_node(event, kind, soft)
            if node.kind != "scalar":
                if len(stack) >= MAX_DEPTH:
                    raise _at(event, f"the file is nested more than {MAX_DEPTH} levels deep")
                stack.append(node)
                pending_keys.append(None)
                seen_keys.append({})
                continue
        if not stack:
            root = node
        else:
            _attach(stack, node, pending_keys, seen_keys, soft)
    if anchors or aliases:
        soft.append(_anchors_and_aliases(anchors, aliases))
    if root is None:
        raise _Unloadable(1, 1, "the file is empty")
    return root


_SCALAR = yaml.ScalarNode  # nearly every node: made in its parent's loop (_copy)


def _anchors_and_aliases(anchors: list, aliases: list) -> _Unloadable:
    """One error for all of a file's anchors and aliases, at its first alias
    (where a value must be written out), else at its first anchor: an alias
    bomb is one line, not one per alias."""
    if not aliases:
        more = f" ({len(anchors)} anchors in this file)" if len(anchors) > 1 else ""
        return _at(anchors[0], f"YAML anchors (&{anchors[0].anchor}) are not allowed; write each value out{more}")
    message = f"YAML aliases (*{aliases[0].anchor}) are not allowed; write the value out"
    if len(aliases) > 1:
        message += f" ({len(aliases)} aliases in this file)"
    if anchors:
        first = f"&{anchors[0].anchor} on line {anchors[0].start_mark.line + 1}"
        message += f", and remove the {len(anchors)} anchors (the first is {first})" if len(anchors) > 1 else f", and remove the anchor {first}"
    return _at(aliases[0], message)


def _copy(tree: yaml.Node, depth: int, soft: _Findings, in_list: bool = False) -> Node:
    """A composed libyaml node as a Node, checked as the event walk checks.
    A scalar without a tag (nearly every node) is made by `_scalar` in its
    parent's loop: a call less per node, a third less time for the copy."""
    mark = tree.start_mark
    if tree.tag:  # a tag did get past may_be_special (the Composer gives every other node "")
        soft.append(_tag_problem(soft.text, mark))
    if type(tree) is _SCALAR:
        return _scalar(tree, soft)
    line, column = mark.line + 1, mark.column + 1
    if depth > MAX_DEPTH:
        raise _Unloadable(line, column, f"the file is nested more than {MAX_DEPTH} levels deep")
    soft.nodes_left -= len(tree.value)
    if soft.nodes_left < 0:  # an alias did get past may_be_special
        raise _Unloadable(1, 1, "YAML anchors and aliases are not allowed; write each value out")
    depth += 1
    if type(tree) is yaml.SequenceNode:
        items = [_scalar(item, soft) if type(item) is _SCALAR and not item.tag else _copy(item, depth, soft, in_list=True)
                 for item in tree.value]
        return Node("sequence", items, line, column)
    pairs = [(_scalar(key, soft) if type(key) is _SCALAR and not key.tag else _copy(key, depth, soft),
              _scalar(value, soft) if type(value) is _SCALAR and not value.tag else _copy(value, depth, soft))
             for key, value in tree.value]
    if len({key.value for key, _ in pairs if key.kind == "scalar"}) < len(pairs):  # a key twice, or a list as a key
        pairs = _unique_keys(pairs, soft, in_list)
    return Node("mapping", pairs, line, column)


def _unique_keys(pairs: list[tuple[Node, Node]], soft: _Findings, in_list: bool) -> list[tuple[Node, Node]]:
    """A mapping's pairs with each repeated key's later entries left out (and reported)."""
    seen: dict[str, Node] = {}
    return [(key, value) for key, value in pairs if _accepted_key(key, seen, soft, in_list) is not _DROPPED]


def _scalar(tree: yaml.ScalarNode, soft: _Findings) -> Node:
    mark = tree.start_mark
    value = _text_only(tree.value, mark.index, tree.end_mark.index, soft) if soft.may_hold_not_text else tree.value
    return Node("scalar", value, mark.line + 1, mark.column + 1, not tree.style)


def _new_node(event, kind, soft: _Findings) -> Node:
    line, column = event.start_mark.line + 1, event.start_mark.column + 1
    if event.tag:  # every tag, `!` and `!!str` too: the field's type decides, not the file
        soft.append(_tag_problem(soft.text, event.start_mark))
    if kind is yaml.ScalarEvent:
        # libyaml marks a plain scalar with style '', the pure-Python parser with None.
        value = _text_only(event.value, event.start_mark.index, event.end_mark.index, soft) if soft.may_hold_not_text else event.value
        return Node("scalar", value, line, column, plain=not event.style)
    if kind is yaml.MappingStartEvent:
        return Node("mapping", [], line, column)
    return Node("sequence", [], line, column)


# A tag as written: verbatim (`!<tag:yaml.org,2002:str>`) or a handle and suffix (`!!str`, `!x`, `!`).
_WRITTEN_TAG = re.compile(r"!<[^>]*>|![^\s,\[\]{}]*")


def written_tag(text: str, mark) -> tuple[int, int, str]:
    """Line, column and text of the tag of the node at `mark`, as written
    (a node's mark may be at its anchor, the tag after it)."""
    found = _WRITTEN_TAG.search(text, mark.index)
    start = found.start() if found else mark.index
    between = text[mark.index:start]
    if LINE_BREAK.search(between):
        line, column = place(text, start)
    else:
        line, column = mark.line + 1, mark.column + 1 + len(between)
    return line, column, shorten(found.group() if found else "!")


def _tag_problem(text: str, mark) -> _Unloadable:
    line, column, written = written_tag(text, mark)
    return _Unloadable(line, column, f"YAML tags ({written}) are not allowed; write the value alone, its field decides its type")


def _attach(stack: list[Node], node: Node, pending_keys: list, seen_keys: list, soft: list) -> None:
    parent = stack[-1]
    if parent.kind == "sequence":
        parent.value.append(node)
        return
    key = pending_keys[-1]
    if key is None:
        in_list = len(stack) > 1 and stack[-2].kind == "sequence"
        pending_keys[-1] = _accepted_key(node, seen_keys[-1], soft, in_list)
    else:
        if key is not _DROPPED:
            parent.value.append((key, node))
        pending_keys[-1] = None


def _accepted_key(node: Node, seen: dict[str, Node], soft: list, in_list: bool) -> Node:
    """The key node, or _DROPPED for a duplicate key (reported in `soft`).
    In a list item, repeating the item's first key is most often a new
    item written without its '- '."""
    if node.kind != "scalar":
        raise _Unloadable(node.line, node.column, "a key must be a plain name, not a list or mapping")
    earlier = seen.get(node.value)
    if earlier is not None:
        new_item = in_list and earlier is next(iter(seen.values()))
        fix = f"if a new list item starts here, put '- ' before '{node.value}'; otherwise keep one" if new_item else "keep one"
        soft.append(_Unloadable(node.line, node.column, f"duplicate key '{node.value}' (first at line {earlier.line}); {fix}"))
        return _DROPPED
    seen[node.value] = node
    return node


def _at(event, message: str) -> _Unloadable:
    return _Unloadable(event.start_mark.line + 1, event.start_mark.column + 1, message)


def _unprintable(bad: ReaderError, text: str) -> _Unloadable:
    index, code = refused_character(bad, text)
    line, column = place(text, index)
    return _Unloadable(line, column, _not_text_message(code))


def _text_only(value: str, start: int, end: int, soft: _Findings) -> str:
    """The scalar's value with each character that is not text replaced by
    U+FFFD, reported where the editor typed the first one, raw or as an
    escape (`"\\x01"`); `start` and `end` are the scalar's place in the file."""
    if _MAYBE_NOT_TEXT.search(value) is None or NOT_TEXT.search(value) is None:
        return value
    typed = _TYPED_IN_QUOTES if soft.text.startswith('"', start) else _RAW_NOT_TEXT
    for found in typed.finditer(soft.text, start, end):
        character = _unescape(found.group())
        if NOT_TEXT.fullmatch(character):
            break
    else:  # not found where it was written: report it at the scalar
        found, character = None, NOT_TEXT.search(value).group()  # type: ignore[union-attr]  # the scalar holds one
    line, column = place(soft.text, found.start() if found else start)
    soft.append(_Unloadable(line, column, _not_text_message(ord(character))))
    return NOT_TEXT.sub("\ufffd", value)


def _unescape(typed: str) -> str:
    """The character a double-quoted escape (`\\x01`, `\\e`) stands for."""
    if len(typed) == 1:  # typed raw
        return typed
    code = typed[1:]
    return chr(int(code[1:], 16)) if len(code) > 1 else _ESCAPED.get(code, code)


def _not_text_message(code: int) -> str:
    if 0xD800 <= code <= 0xDFFF:
        return f"U+{code:04X} is half of a character (a lone surrogate), not text; delete it"
    if 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE:
        return f"U+{code:04X} is a Unicode noncharacter, not text; delete it"
    return f"the control character U+{code:04X} is not allowed; delete it"


def syntax_slip(bad: yaml.MarkedYAMLError, text: str) -> tuple[int, int, str]:
    """Line, column and words of a syntax error, as a brief's are given
    (for the site settings, which another loader reads)."""
    found = _syntax_error(bad, text)
    return found.line, found.column, found.message


def _syntax_error(bad: yaml.MarkedYAMLError, text: str) -> _Unloadable:
    """The slip in plain words at its own line when it is a common one,
    then the parser's words, which always end the message."""
    mark = bad.problem_mark or bad.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = bad.problem or "invalid YAML"
    context = f" {bad.context}" if bad.context else ""
    parser_words = f"YAML syntax: {problem}{context}"
    slip = explain(bad, text, LINE_BREAK.split(text))
    if slip is None:
        return _Unloadable(line, column, parser_words)
    return _Unloadable(slip.line, slip.column, f"{slip.words} ({parser_words})")
