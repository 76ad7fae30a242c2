"""Load YAML files into nodes that keep their line and column.

Values stay text here: the schema, not YAML 1.1's resolver, decides that
`1984` is a title and `2024-05-07` a date. A file that may hold anchors,
aliases, tags or more than one document is read from libyaml's event
stream, so those are refused before anything is expanded; any other file
(almost every brief) is composed by libyaml in C, which is several times
faster, and its nodes copied with the same checks. Nesting depth is
bounded either way (libyaml itself stops at 1,000 levels).
"""
from __future__ import annotations

from pathlib import Path

import re

import yaml

from .problems import Problem
from .yaml_slips import explain

try:  # libyaml's C parser; the pure-Python one gives the same events.
    from yaml import CBaseLoader as _EventSource
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import BaseLoader as _EventSource

class _Composer(_EventSource):
    """libyaml's composer without YAML 1.1's tag guessing, which the schema
    does not use (and which was a third of the time spent reading)."""

    def resolve(self, kind, value, implicit):
        return ""


MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 24

# An anchor (&), alias (*) or tag (!) can start a node only at a line's
# start or after one of these indicators, spaces between.
_NODE_PROPERTY = re.compile(r"[&*!]")
_BEFORE_NODE = frozenset("\n-:?,[{")
_SPACES = frozenset(" \t")
# `---`, `...` and directives at a line's start may start another document.
_DOCUMENT_MARKS = ("---", "...", "%")

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
        return f"'{_shorten(self.value)}'"


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# Stands for the key of a duplicate entry, whose value is then left out.
_DROPPED = Node("scalar", "", 0, 0)


class _Unloadable(Exception):
    def __init__(self, line: int, column: int, message: str):
        super().__init__(message)
        self.line, self.column, self.message = line, column, message


def load_yaml_file(path: Path, shown_as: str) -> tuple[Node | None, list[Problem]]:
    """Read and parse one file; never raises for bad content."""
    try:
        size = path.stat().st_size
        data = b"" if size > MAX_FILE_BYTES else path.read_bytes()
    except OSError as bad:
        return None, [Problem(shown_as, 1, 1, f"cannot read the file: {bad.strerror}")]
    return load_yaml_bytes(data, shown_as, size)


def load_yaml_bytes(data: bytes, shown_as: str, size: int | None = None) -> tuple[Node | None, list[Problem]]:
    """Parse one file's content (from disk or from git); never raises for bad content."""
    size = len(data) if size is None else size
    try:
        if size > MAX_FILE_BYTES:
            raise _Unloadable(1, 1, f"the file is {size:,} bytes; the limit is 1 MiB ({MAX_FILE_BYTES:,} bytes)")
        text = _decode(data)
        soft: list[_Unloadable] = []
        root = _compose(text, soft)
        return root, [Problem(shown_as, bad.line, bad.column, bad.message) for bad in soft]
    except _Unloadable as bad:
        return None, [Problem(shown_as, bad.line, bad.column, bad.message)]


def _decode(data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as bad:
        before = data[: bad.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        raise _Unloadable(line, column, f"byte 0x{data[bad.start]:02x} is not UTF-8; save the file as UTF-8") from None
    if not text.strip():
        raise _Unloadable(1, 1, "the file is empty")
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise _Unloadable(line, 1, "the file contains a NUL character; it is not a text file")
    return text


def _compose(text: str, soft: list[_Unloadable]) -> Node:
    """Nodes of the one document; errors that do not stop the reading
    (a duplicate key, an anchor) go to `soft` so all of them are reported."""
    if not may_be_special(text):
        composer = _Composer(text)
        try:
            tree = composer.get_single_node()
        except yaml.YAMLError:
            tree = None  # the event walk below reports it, with its usual words
        else:
            if tree is None:
                raise _Unloadable(1, 1, "the file is empty")
            return _copy(tree, 1, soft)
        finally:
            composer.dispose()
    source = _EventSource(text)
    try:
        return _build(source, soft)
    except yaml.MarkedYAMLError as bad:
        raise _syntax_error(bad, text) from None
    except yaml.reader.ReaderError as bad:  # a control character; its message spans lines
        raise _unprintable(bad, text) from None
    except yaml.YAMLError as bad:  # errors without a mark
        raise _Unloadable(1, 1, f"YAML syntax: {bad}") from None
    finally:
        source.dispose()


def may_be_special(text: str) -> bool:
    """Whether the text may hold an anchor, alias, tag or second document.

    A match is not always YAML syntax (a quoted "- *really*"), but text
    without one holds none of it, so the C composer may read it. Written
    as a scan from each '&', '*' and '!' back over spaces, because these
    are rare in briefs while the characters that may precede them are not:
    one regex for both took as long as libyaml's parse of the file."""
    if text.startswith(_DOCUMENT_MARKS) or any("\n" + mark in text for mark in _DOCUMENT_MARKS):
        return True
    for found in _NODE_PROPERTY.finditer(text):
        before = found.start() - 1
        while before >= 0 and text[before] in _SPACES:
            before -= 1
        if before < 0 or text[before] in _BEFORE_NODE:
            return True
    return False


def _build(source, soft: list[_Unloadable]) -> Node:
    stack: list[Node] = []
    pending_keys: list[Node | None] = []
    seen_keys: list[dict[str, Node]] = []
    root: Node | None = None
    documents = 0
    while True:
        event = source.get_event()
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
            if kind is yaml.AliasEvent:
                soft.append(_at(event, f"YAML aliases (*{event.anchor}) are not allowed; write the value out"))
                event = yaml.ScalarEvent(None, None, (True, False), "", event.start_mark, event.end_mark)
                kind = yaml.ScalarEvent
            else:
                soft.append(_at(event, f"YAML anchors (&{event.anchor}) are not allowed; write each value out"))
        if kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            node = stack.pop()
            pending_keys.pop()
            seen_keys.pop()
        else:
            node = _new_node(event, kind)
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
    if root is None:
        raise _Unloadable(1, 1, "the file is empty")
    return root


def _copy(tree: yaml.Node, depth: int, soft: list[_Unloadable], in_list: bool = False) -> Node:
    """A composed libyaml node as a Node, checked as the event walk checks."""
    mark = tree.start_mark
    line, column = mark.line + 1, mark.column + 1
    kind = tree.id  # "scalar", "sequence" or "mapping", as Node.kind
    if kind == "scalar":
        return Node(kind, tree.value, line, column, plain=not tree.style)
    if depth > MAX_DEPTH:
        raise _Unloadable(line, column, f"the file is nested more than {MAX_DEPTH} levels deep")
    depth += 1
    if kind == "sequence":
        return Node(kind, [_copy(item, depth, soft, in_list=True) for item in tree.value], line, column)
    pairs: list[tuple[Node, Node]] = []
    seen: dict[str, Node] = {}
    for key, value in tree.value:
        key = _accepted_key(_copy(key, depth, soft), seen, soft, in_list)
        value = _copy(value, depth, soft)
        if key is not _DROPPED:
            pairs.append((key, value))
    return Node(kind, pairs, line, column)


def _new_node(event, kind) -> Node:
    line, column = event.start_mark.line + 1, event.start_mark.column + 1
    tag = event.tag
    if tag and tag not in ("!", "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
        raise _Unloadable(line, column, f"YAML tags ({tag}) are not allowed; the field's type decides")
    if kind is yaml.ScalarEvent:
        # libyaml marks a plain scalar with style '', the pure-Python parser with None.
        return Node("scalar", event.value, line, column, plain=not event.style)
    if kind is yaml.MappingStartEvent:
        return Node("mapping", [], line, column)
    return Node("sequence", [], line, column)


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


def _unprintable(bad: yaml.reader.ReaderError, text: str) -> _Unloadable:
    before = text[: bad.position]
    line, column = before.count("\n") + 1, bad.position - (before.rfind("\n") + 1) + 1
    code = bad.character if isinstance(bad.character, int) else ord(bad.character)
    return _Unloadable(line, column, f"the control character U+{code:04X} is not allowed; delete it")


def _syntax_error(bad: yaml.MarkedYAMLError, text: str) -> _Unloadable:
    """The slip in plain words at its own line when it is a common one,
    then the parser's words, which always end the message."""
    mark = bad.problem_mark or bad.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = bad.problem or "invalid YAML"
    context = f" {bad.context}" if bad.context else ""
    parser_words = f"YAML syntax: {problem}{context}"
    slip = explain(bad, text)
    if slip is None:
        return _Unloadable(line, column, parser_words)
    return _Unloadable(slip.line, slip.column, f"{slip.words} ({parser_words})")
