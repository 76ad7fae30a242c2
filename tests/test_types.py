"""Typed seams: mypy checks generator/ (settings in pyproject.toml), and
every record field's annotation is a real type that agrees with the
field type it is declared with."""
from __future__ import annotations

import textwrap
import typing

import pytest
from mypy import api

from conftest import ROOT
from generator import model
from generator.schema import Written


def mypy(*args: str) -> tuple[str, int]:
    out, err, status = api.run(["--config-file", str(ROOT / "pyproject.toml"), "--cache-dir", str(ROOT / ".mypy_cache"), *args])
    return out + err, status


def records() -> list[type[Written]]:
    return [value for value in vars(model).values()
            if isinstance(value, type) and issubclass(value, Written) and value.__dict__.get("FIELDS") is not None]


def test_generator_passes_the_type_checker(monkeypatch):
    monkeypatch.chdir(ROOT)
    output, status = mypy()
    assert status == 0, output


def test_the_type_checker_catches_a_field_whose_annotation_disagrees(tmp_path, monkeypatch):
    """An annotation that is not what its field type reads (or says a
    value is always there when the key is optional) is a type error."""
    declared = tmp_path / "declared.py"
    declared.write_text(textwrap.dedent('''
        from generator.schema import Field, ListOf, Text, Written, record

        @record("a thing")
        class Thing(Written):
            title: int = Field(Text(), required=True, doc="")
            note: str = Field(Text(), doc="")
            tags: tuple[str, ...] = Field(ListOf(Text()), default=(), doc="")
    '''), encoding="utf-8")
    monkeypatch.chdir(ROOT)
    output, status = mypy(str(declared))
    assert status == 1
    errors = [line for line in output.splitlines() if ": error:" in line]
    assert [line.split(":")[1] for line in errors] == ["6", "7"], output


@pytest.mark.parametrize("record", records(), ids=lambda record: record.__name__)
def test_no_record_field_holds_any_or_object(record):
    hints = typing.get_type_hints(record)
    assert set(record.FIELDS) <= set(hints)
    for name in record.FIELDS:
        assert not _vague(hints[name]), f"{record.__name__}.{name}: {hints[name]}"


def _vague(hint: object) -> bool:
    """Whether a type is, or holds, Any or object."""
    return hint is typing.Any or hint is object or any(_vague(arg) for arg in typing.get_args(hint))


def test_the_vagueness_check_sees_any_inside_a_type():
    assert _vague(tuple[typing.Any, ...]) and _vague(dict[str, object]) and _vague(int | object)
    assert not _vague(tuple[model.Claim, ...]) and not _vague(str | None)
