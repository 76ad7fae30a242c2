"""What `briefs check` tells an editor without failing: notes, not errors.

A page in a language without bundled words (generator/words/) reads
English words around the newsroom's text; the note says where such a
language is set (the site's theme.language, a story's `lang`) and how the
newsroom can give its own words.
"""
from __future__ import annotations

from pathlib import Path

from .load_yaml import MAX_FILE_BYTES, load_yaml_bytes
from .problems import Problem, relative
from .settings import SETTINGS_FILE, Settings
from .words import has_words, words_language

STORY_FILES = ("story.yaml", "story.yml")


def language_notes(root: Path, settings: Settings) -> list[Problem]:
    """A note for the site's language and each story's `lang` that has no words, bundled or the newsroom's."""
    notes = []
    if not has_words(settings.language, settings.words):
        notes.append(Problem(SETTINGS_FILE, 1, 1, _without_words("theme.language", settings.language), "note"))
    for path, line, column, lang in _story_langs(root):
        if not has_words(lang, settings.words):
            notes.append(Problem(relative(path, root), line, column, _without_words("lang", lang), "note"))
    return notes


def _without_words(key: str, tag: str) -> str:
    return (f"{key}: '{tag}' has no bundled words, so its pages show English ones around your text; to give your own, "
            f"set them under extra.briefing.words.{words_language(tag)} in mkdocs.yml (the editor guide lists every word)")


def _story_langs(root: Path):
    """(path, line, column, tag) of each story's `lang`, from the story files that read."""
    for path in sorted(p for name in STORY_FILES for p in (root / "briefs").glob(f"*/{name}")):
        if path.is_symlink() or path.parent.is_symlink() or not path.is_file() or path.stat().st_size > MAX_FILE_BYTES:
            continue  # the check reports it
        node, _ = load_yaml_bytes(path.read_bytes(), relative(path, root))
        if node is None or node.kind != "mapping":
            continue
        for key, value in node.value:
            if key.kind == "scalar" and key.value == "lang" and value.kind == "scalar" and value.value.strip():
                yield path, value.line, value.column, value.value.strip()
