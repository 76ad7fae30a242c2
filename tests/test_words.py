"""The words pages add, one file a language (generator/words/): every
bundled language has every word, with the English word's placeholders,
the plural forms its language tells apart, and a record of how it was
translated and checked; a page's language finds its words."""
from __future__ import annotations

import pytest

from generator.model import STATUSES, WORK_TYPES
from generator.words import (FALLBACK, GROUPS, WORDS_DIR, about, bundled, fill_text, has_words, keys, placeholders,
                             plural_forms, words_for, words_language)

BUNDLED = ["ar", "de", "en", "es", "fa", "fr", "he", "hi", "it", "ja", "pt", "ru", "tr", "uk", "zh-Hans", "zh-Hant"]
LANGUAGES = sorted(path.stem for path in WORDS_DIR.glob("*.yaml"))


def test_the_sixteen_languages_are_bundled():
    assert LANGUAGES == BUNDLED


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_has_every_word_and_no_other(language):
    words = bundled()[language]
    assert sorted(words) == sorted(keys()), set(words) ^ set(keys())
    assert {key.split(".")[0] for key in words} == set(GROUPS)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_word_keeps_the_english_placeholders(language):
    for key, english in keys().items():
        word = bundled()[language][key]
        if isinstance(english, dict):
            assert set(word) == plural_forms(language), (key, sorted(word))
            assert all(placeholders(text) <= placeholders(english) for text in word.values()), key
            assert placeholders(word["other"]) == placeholders(english), key
        else:
            assert isinstance(word, str) and word.strip(), key
            assert placeholders(word) == placeholders(english), (key, word)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_says_how_it_was_translated_and_what_wants_review(language):
    record = about(language)
    assert record["name"].strip() and record["translated"].strip() and record["checked"].strip()
    assert set(record["review"]) <= set(keys()), set(record["review"]) - set(keys())


def test_the_english_meanings_are_the_contracts():
    def group(name):
        return {key.split(".")[1]: word for key, word in keys().items() if key.startswith(name + ".")}
    assert group("status_meaning") == STATUSES
    assert group("work_type_meaning") == {work_type.name: work_type.meaning for work_type in WORK_TYPES}


def test_the_placeholder_check_fails_on_a_word_that_drops_one():
    english = keys()["words.changed_since"]
    assert placeholders(english) == {"date"}
    assert placeholders("Depuis hier :") != placeholders(english)


@pytest.mark.parametrize("tag, language", [
    ("fr", "fr"), ("fr-CA", "fr"), ("pt-BR", "pt"), ("zh", "zh-Hans"), ("zh-CN", "zh-Hans"), ("zh-TW", "zh-Hant"),
    ("zh-Hant", "zh-Hant"), ("zh-HK", "zh-Hant"), ("iw", "he"), ("sw-KE", "sw"), ("tlh", "tlh"),
])
def test_a_tag_finds_its_words_language(tag, language):
    assert words_language(tag) == language


def test_a_language_without_words_reads_english_and_a_newsrooms_words_go_over_the_bundled():
    assert words_for("sw").language == FALLBACK and not has_words("sw")
    assert words_for("sw").text == bundled()[FALLBACK]
    given = {"sw": {"section.what_we_know": "Tunachojua"}, "fr": {"words.published": "Mis en ligne",
                                                                   "words.changes_count": {"one": "un changement"}}}
    swahili = words_for("sw-KE", given)
    assert swahili.language == "sw" and has_words("sw", given)
    assert swahili.text["section.what_we_know"] == "Tunachojua" and swahili.text["words.published"] == "Published"
    french = words_for("fr-CA", given)
    assert french.text["words.published"] == "Mis en ligne"
    assert french.form(french.text["words.changes_count"], 1) == "un changement"
    assert french.form(french.text["words.changes_count"], 3) == "{n} changements depuis le développement précédent"  # the forms it left out stay


@pytest.mark.parametrize("language, count, expected", [
    ("en", 1, "1 change since the previous development"), ("en", 2, "2 changes since the previous development"),
    ("fr", 0, "0 changement depuis le développement précédent"),
    ("ru", 1, "1 изменение после предыдущего события"), ("ru", 3, "3 изменения после предыдущего события"),
    ("ru", 5, "5 изменений после предыдущего события"), ("ru", 21, "21 изменение после предыдущего события"),
    ("ar", 2, "تغييران منذ التطور السابق"), ("ar", 11, "11 تغييرًا منذ التطور السابق"), ("ja", 1, "前回の進展から 1 件の変更"),
])
def test_a_count_takes_its_languages_plural_form(language, count, expected):
    words = words_for(language)
    assert fill_text(words.form(words.text["words.changes_count"], count), n=str(count)) == expected
