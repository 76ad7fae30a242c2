"""The words a page adds around the newsroom's text, in the page's language.

One file a language under words/ (`en.yaml`, `fr.yaml`, `zh-Hant.yaml`),
each with the same keys, grouped as the templates read them: `section`,
`status_label`, `status_meaning`, `story_status_label`, `work_type_label`,
`work_type_meaning`, `words`, `search`.
English is the fallback: a language without a file reads English. A
newsroom's overrides (mkdocs.yml, extra.briefing.words, validated in
settings.py) go over the bundled words of their language.

A page's language is a story's `lang` or the site's; its words are those of
its *words language*: the bundled file the tag falls under (`fr` for
`fr-CA`, `zh-Hant` for `zh-TW`), else the tag's primary subtag (`sw` for
`sw-KE`), which reads English unless the newsroom gave words for it.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Union

import yaml
from babel import Locale, UnknownLocaleError

WORDS_DIR = Path(__file__).parent / "words"
FALLBACK = "en"
GROUPS = ("section", "status_label", "status_meaning", "story_status_label", "work_type_label", "work_type_meaning",
          "words", "search")
ABOUT = "about"  # a file's own record: the language's name, how it was translated and checked, what wants review
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")

Word = Union[str, Mapping[str, str]]  # a text, or a text per plural form ("one", "other" ...)
Overrides = Mapping[str, Mapping[str, Word]]  # words language -> key ("section.what_we_know") -> word


@functools.cache
def bundled() -> dict[str, dict[str, Word]]:
    """Every bundled language's words, by words language, keys flattened: `section.what_we_know`."""
    return {path.stem: _flat(_read(path)) for path in sorted(WORDS_DIR.glob("*.yaml"))}


@functools.cache
def about(language: str) -> dict:
    """A bundled file's own record: `name`, `translated`, `checked`, `review` (keys)."""
    return _read(WORDS_DIR / f"{language}.yaml")[ABOUT]


def _read(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _flat(document: dict) -> dict[str, Word]:
    return {f"{group}.{key}": value for group in GROUPS for key, value in document[group].items()}


def keys() -> dict[str, Word]:
    """Every key, with its English word: what a newsroom may override."""
    return bundled()[FALLBACK]


def placeholders(word: Word) -> set[str]:
    """The placeholders a word holds, in any of its forms."""
    texts = word.values() if isinstance(word, Mapping) else [word]
    return {name for text in texts for name in PLACEHOLDER.findall(text)}


def locale(tag: str) -> Locale | None:
    """Babel's locale for a BCP 47 tag, or None if locale data has none."""
    try:
        return Locale.parse(tag.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return None


def words_language(tag: str) -> str:
    """The words language of a tag: the bundled file it falls under, else its primary subtag."""
    found = locale(tag)
    language = found.language if found else tag.replace("_", "-").split("-")[0].lower()
    if language == "zh":
        return "zh-Hant" if found is not None and found.script == "Hant" else "zh-Hans"
    return language


def plural_forms(language: str) -> set[str]:
    """The plural forms a words language tells apart (CLDR's: one, few, many, other ...)."""
    found = locale(language)
    return {"other", *(found.plural_form.tags if found else ("one",))}


@dataclass(frozen=True)
class Words:
    """The words of one words language: its bundled ones over English, the newsroom's over those."""

    language: str  # a words language: `fr`, `zh-Hant`, `sw`
    text: Mapping[str, Word]

    def group(self, name: str) -> dict[str, Word]:
        """One group of words as the templates read it: `section` -> {"what_we_know": ...}."""
        prefix = name + "."
        return {key[len(prefix):]: word for key, word in self.text.items() if key.startswith(prefix)}

    def one(self, key: str) -> str:
        """The word at `key` (`words.home`) as text: its singular where it has forms."""
        return self.form(self.text[key], 1)

    def form(self, word: Word, count: int) -> str:
        """The text of `word` for `count` things, in this language's plural form."""
        if not isinstance(word, Mapping):
            return word
        found = locale(self.language)
        return word.get(found.plural_form(count) if found else ("one" if count == 1 else "other"), word["other"])


def words_for(tag: str, overrides: Overrides | None = None) -> Words:
    """The words of pages in language `tag`."""
    language, given = words_language(tag), overrides or {}
    text: dict[str, Word] = dict(bundled()[FALLBACK])
    if language not in bundled():
        _override(text, given.get(FALLBACK, {}))  # the newsroom's English is the fallback's too
    text.update(bundled().get(language, {}))
    _override(text, given.get(language, {}))
    return Words(language if language in bundled() or language in given else FALLBACK, text)


def has_words(tag: str, overrides: Overrides | None = None) -> bool:
    """Whether pages in `tag` read their own language, bundled or given by the newsroom."""
    language = words_language(tag)
    return language in bundled() or language in (overrides or {})


def _override(text: dict[str, Word], given: Mapping[str, Word]) -> None:
    """The newsroom's words over `text`; plural forms it left out stay."""
    for key, word in given.items():
        base = text.get(key)
        text[key] = {**base, **word} if isinstance(word, Mapping) and isinstance(base, Mapping) else word


def fill_text(word: str, **values: str) -> str:
    """A word with its placeholders filled in, as plain text (a card's pill)."""
    return PLACEHOLDER.sub(lambda found: values[found.group(1)], word)
