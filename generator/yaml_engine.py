"""Every use of PyYAML beyond its documented API, in one place.

PyYAML documents `yaml.compose`, `yaml.parse` and `yaml.scan` with a Loader
class, and the node, event and token classes with their marks. briefs
also relies on what follows; each assumption has a test in
tests/test_yaml_engine.py that names it, so that a new PyYAML (the
dependency stops below 7) fails that test, not a page:

- the composer calls its Loader's `resolve()` for the tag of every node
  without one, and `descend_resolver()` / `ascend_resolver()` around each
  node, and libyaml's C composer calls them as overridden in Python;
- a `yaml.reader.ReaderError` (a character the reader refuses) has the
  refused `character` and its `position`: a byte offset in the UTF-8 text
  from libyaml, a character offset from the pure-Python reader;
- a mark's `index` and `column` count characters, not bytes;
- a `MarkedYAMLError` has `problem` and `context` in words, each with its
  mark (yaml_slips.py reads them to name the slip);
- a plain scalar's `style` is empty (libyaml: "", pure Python: None), a
  quoted one's is its quote.

The node kinds are told by their classes (`yaml.ScalarNode` ...), not by
the undocumented `Node.id`.
"""
from __future__ import annotations

import yaml

try:  # libyaml's C parser; the pure-Python one gives the same events.
    from yaml import CBaseLoader as EventSource
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import BaseLoader as EventSource  # type: ignore[assignment]

try:  # libyaml's C emitter: the same text as the pure-Python one, four times as fast
    from yaml import CSafeDumper as Dumper
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeDumper as Dumper  # type: ignore[assignment]

WITH_LIBYAML = hasattr(yaml, "CBaseLoader")

ReaderError = yaml.reader.ReaderError


class Composer(EventSource):
    """The composer without YAML 1.1's tag guessing and path tracking,
    which the schema does not use (and which are Python calls for every
    node): every node's tag is "", but a tag the file writes."""

    def resolve(self, kind, value, implicit):
        return ""

    def descend_resolver(self, current_node, current_index):
        pass

    def ascend_resolver(self):
        pass


def compose(text: str) -> yaml.Node | None:
    """The one document's node tree, by libyaml in C when it is there."""
    return yaml.compose(text, Loader=Composer)


def dump(value) -> str:
    """`value` as YAML, keys in their order, text as it is. The CMS's
    configuration (0.7 MB for 50 stories) is written at every preview
    save: 0.98 s with the pure-Python emitter, 0.22 s in C."""
    return yaml.dump(value, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=1000)


def events(text: str):
    """The text's events, by libyaml in C when it is there."""
    return yaml.parse(text, Loader=EventSource)


def tokens(text: str):
    """The text's tokens, by the same scanner that read the file."""
    return yaml.scan(text, Loader=EventSource)


def refused_character(bad: ReaderError, text: str) -> tuple[int, int]:
    """Where in `text` (an index) the reader refused a character, and its code."""
    index = len(text.encode()[: bad.position].decode(errors="ignore")) if WITH_LIBYAML else bad.position
    code = bad.character if isinstance(bad.character, int) else ord(bad.character)
    return index, code

