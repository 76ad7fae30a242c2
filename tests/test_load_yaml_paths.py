"""The loader reads most files with libyaml's C composer and the rest from
its event stream; an editor must see the same values and the same errors
whichever path a file takes."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import example, given, strategies as st

from conftest import EXAMPLE_PROJECT
from generator import load_yaml

CASES = {
    "plain": "title: 1984\nparty: NO\ndate: 2024-05-07\n",
    "quoted": "text: \"It was *first* - reported\"\nnote: 'S&P 500'\nempty:\nnull: ~\n",
    "duplicate key": "title: a\nsummary: b\ntitle: c\n",
    "nested duplicate": "what_we_know:\n  - text: a\n    text: b\n    status: confirmed\n",
    "key is a list": "[a, b]: c\n",
    "too deep": "a:" + "".join(f"\n{'  ' * i}b:" for i in range(1, 30)) + " x\n",
    "syntax error": "title: \"unclosed\nsummary: x\n",
    "flow": "sources: [reuters, {name: AP, url: 'https://apnews.com'}]\n",
    "block text": "context: |\n  ### Background\n\n  - one\n  - two\n",
    "not a mapping": "- a\n- b\n",
}
SPECIAL = {  # these take the event path, and say why
    "anchor": ("a: &x 1\nb: 2\n", "brief.yaml:1:4: error: YAML anchors (&x) are not allowed"),
    "alias": ("a: x\nb: *x\n", "brief.yaml:2:4: error: YAML aliases (*x) are not allowed"),
    "tag": ("a: !!int 3\n", "brief.yaml:1:4: error: YAML tags (!!int) are not allowed"),
    "two documents": ("a: 1\n---\nb: 2\n", "brief.yaml:2:1: error: the file holds more than one YAML document"),
}


def loaded(path: Path):
    node, problems = load_yaml_file(path)
    return as_data(node), [p.human() for p in problems]


def load_yaml_file(path: Path):
    return load_yaml.load_yaml_file(path, path.name)


def as_data(node):
    if node is None:
        return None
    if node.kind == "scalar":
        return (node.value, node.plain, node.line, node.column)
    if node.kind == "sequence":
        return [as_data(item) for item in node.value] + [(node.line, node.column)]
    return [(as_data(k), as_data(v)) for k, v in node.value] + [(node.line, node.column)]


def event_path_only(monkeypatch):
    monkeypatch.setattr(load_yaml, "may_be_special", lambda text: True)


@pytest.mark.parametrize("name", sorted(CASES))
def test_both_paths_read_a_file_alike(name, tmp_path, monkeypatch):
    path = tmp_path / "brief.yaml"
    path.write_text(CASES[name], encoding="utf-8")
    assert not load_yaml.may_be_special(CASES[name]), "this case should take the C path"
    fast = loaded(path)
    event_path_only(monkeypatch)
    assert loaded(path) == fast


def test_both_paths_read_the_example_alike(monkeypatch):
    files = sorted((EXAMPLE_PROJECT / "briefs").rglob("*.yaml"))
    fast = [loaded(path) for path in files]
    event_path_only(monkeypatch)
    assert [loaded(path) for path in files] == fast


# What may_be_special finds, as one (slower) regex: where an anchor, alias
# or tag could start a node, and a line that could start another document,
# with every YAML line break.
_BREAK = "\n\r\x85\u2028\u2029"
_MAYBE_SPECIAL = re.compile(f"(?:^|[{_BREAK}\\-:?,\\[{{])[ \t\ufeff]*[&*!]|(?:^|[{_BREAK}])\ufeff*(?:---|\\.\\.\\.|%)")
_YAMLISH = st.lists(st.sampled_from([*" \t-:?,[{}]&*!%.ab'\"#", *_BREAK, "\r\n", "\ufeff"]), max_size=40).map("".join)


@given(_YAMLISH)
def test_the_scan_finds_what_the_regex_finds(text):
    assert load_yaml.may_be_special(text) == bool(_MAYBE_SPECIAL.search(text))


def _special_events(text: str) -> bool:
    """Whether libyaml itself reads an anchor, alias, tag or second document."""
    parser, documents = yaml.CBaseLoader(text), 0
    try:
        while not isinstance(event := parser.get_event(), yaml.StreamEndEvent):
            documents += isinstance(event, yaml.DocumentStartEvent)
            if getattr(event, "anchor", None) or getattr(event, "tag", None) or documents > 1:
                return True
    except yaml.YAMLError:
        pass
    finally:
        parser.dispose()
    return False


@example("a: [x,\n\ufeff*a]\n")  # libyaml skips a BOM at a line's start
@example("a:\r &a [x]\r")
@given(_YAMLISH)
def test_whatever_libyaml_reads_as_special_the_scan_finds(text):
    if _special_events(text):
        assert load_yaml.may_be_special(text)


@pytest.mark.parametrize("name", sorted(SPECIAL))
def test_anchors_aliases_tags_and_documents_are_refused(name, tmp_path):
    text, expected = SPECIAL[name]
    path = tmp_path / "brief.yaml"
    path.write_text(text, encoding="utf-8")
    _, problems = loaded(path)
    assert any(line.startswith(expected) for line in problems), problems
