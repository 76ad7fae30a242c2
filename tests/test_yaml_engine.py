"""What briefs assumes of PyYAML beyond its documented API (gathered in
generator/yaml_engine.py), one test per assumption, named after it: a new
PyYAML that breaks one fails here, not on a page."""
from __future__ import annotations

import pytest
import yaml

from generator import yaml_engine


def test_libyaml_is_there():
    """The wheels of PyYAML carry libyaml; without it every check is several times slower."""
    assert yaml_engine.WITH_LIBYAML and yaml_engine.EventSource is yaml.CBaseLoader


def test_the_composer_asks_resolve_for_the_tag_of_every_untagged_node():
    tree = yaml_engine.compose("a: [1, '2', {b: c}]\n")
    nodes, tags = [tree], []
    while nodes:
        node = nodes.pop()
        tags.append(node.tag)
        nodes.extend(node.value if isinstance(node, yaml.SequenceNode) else
                     [n for pair in node.value for n in pair] if isinstance(node, yaml.MappingNode) else [])
    assert len(tags) == 8 and set(tags) == {""}


def test_a_tag_written_in_the_file_is_kept_without_resolve():
    assert yaml_engine.compose("a: !!str 1\n").value[0][1].tag == "tag:yaml.org,2002:str"


def test_the_composer_calls_descend_and_ascend_resolver_around_each_node():
    calls = []

    class Recording(yaml_engine.EventSource):
        def descend_resolver(self, current_node, current_index):
            calls.append("descend")

        def ascend_resolver(self):
            calls.append("ascend")

    yaml.compose("a: [1, 2]\n", Loader=Recording)
    assert calls.count("descend") == calls.count("ascend") == 5  # the mapping, a, the list, 1, 2


def test_the_composer_without_path_tracking_composes_the_same_tree():
    text = "a: [1, {b: 'c'}]\nd: |\n  e\n"
    ours, plain = yaml_engine.compose(text), yaml.compose(text, Loader=yaml.CBaseLoader)
    assert repr(ours).replace("tag=''", "") == repr(plain).replace("tag='tag:yaml.org,2002:str'", "").replace(
        "tag='tag:yaml.org,2002:seq'", "").replace("tag='tag:yaml.org,2002:map'", "")


@pytest.mark.parametrize("text, index, code", [("ab\x01", 2, 1), ("é😀\x7f", 2, 0x7F), ("a\n\u00e9\x9f", 3, 0x9F)])
def test_a_reader_error_has_the_refused_character_and_its_byte_position(text: str, index: int, code: int):
    with pytest.raises(yaml_engine.ReaderError) as refused:
        yaml_engine.compose(text)
    assert refused.value.position == len(text[:index].encode())  # libyaml counts bytes
    assert refused.value.character == code
    assert yaml_engine.refused_character(refused.value, text) == (index, code)


def test_marks_count_characters_not_bytes():
    text = 'é😀: "a"\n'
    value = yaml_engine.compose(text).value[0][1]
    assert (value.start_mark.index, value.start_mark.column) == (text.index('"'), 4)
    scalars = [e for e in yaml_engine.events(text) if isinstance(e, yaml.ScalarEvent)]
    assert scalars[1].start_mark.index == text.index('"')


def test_a_syntax_error_has_its_problem_and_context_with_their_marks():
    with pytest.raises(yaml.MarkedYAMLError) as bad:
        yaml_engine.compose("a: [1, 2\nb: 3\n")
    error = bad.value
    assert "expected ','" in error.problem and error.context == "while parsing a flow sequence"
    assert (error.context_mark.line, error.context_mark.column) == (0, 3) and error.problem_mark.line == 1


def test_a_plain_scalar_has_an_empty_style_and_a_quoted_one_its_quote():
    tree = yaml_engine.compose("a: x\nb: 'y'\nc: \"z\"\n")
    assert [value.style for _, value in tree.value] == ["", "'", '"']
