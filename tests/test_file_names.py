"""File names made from titles and from misnamed files: every letter folded
to ASCII or transliterated, none dropped, never an empty name."""
from __future__ import annotations

import datetime as dt

import pytest
from anyascii import anyascii

from conftest import run_briefs
from generator.schema import SLUG, slugify
from generator.transliteration import to_ascii

# One headline per language the pages bundle words for, and the file name it gives
# (the editing form's letters table first, as the form names files: ö → oe in
# Turkish too, ة → t; anyascii for what it has no letters for).
TITLES = {
    "en": ("Talks resume in Cairo", "talks-resume-in-cairo"),
    "fr": ("Éruption à Grindavík : la lave atteint les maisons", "eruption-a-grindavik-la-lave-atteint-les-maisons"),
    "es": ("España: año de elecciones", "espana-ano-de-elecciones"),
    "de": ("Straße in Łódź gesperrt", "strasse-in-lodz-gesperrt"),
    "pt": ("Eleições no Brasil: ação e votação", "eleicoes-no-brasil-acao-e-votacao"),
    "it": ("Perché la città è chiusa", "perche-la-citta-e-chiusa"),
    "ar": ("محادثات الهدنة في القاهرة", "mhadthat-alhdnt-fy-alqahrt"),
    "he": ("שיחות הפסקת האש בקהיר", "syhvt-hfskt-h-s-vkhyr"),
    "fa": ("مذاکرات آتش‌بس در قاهره", "mdhakrat-atshbs-dr-qahrh"),
    "tr": ("İstanbul’da görüşmeler sürüyor", "istanbul-da-goeruesmeler-suerueyor"),
    "ru": ("Переговоры в Каире возобновились", "peregovory-v-kaire-vozobnovilis"),
    "uk": ("Переговори у Києві відновилися", "peregovori-u-kiyevi-vidnovilisya"),
    "zh-Hans": ("开罗停火谈判恢复", "kailuotinghuotanpanhuifu"),
    "zh-Hant": ("開羅停火談判恢復", "kailuotinghuotanpanhuifu"),
    "ja": ("カイロで停戦交渉が再開", "kairodetingzhanjiaoshegazaikai"),
    "hi": ("काहिरा में युद्धविराम वार्ता फिर शुरू", "kahira-mem-yuddhviram-varta-phir-suru"),
}


@pytest.mark.parametrize("language", TITLES)
def test_a_title_in_each_bundled_language_gives_a_file_name_with_every_letter(language):
    title, expected = TITLES[language]
    assert slugify(title) == expected
    assert SLUG.fullmatch(expected)
    # A letter goes only where neither has anything for it (the table writes Russian's soft sign ь as nothing, anyascii as ').
    dropped = [letter for letter in title if letter.isalpha() and not to_ascii(letter).strip() and not anyascii(letter).strip()]
    assert dropped == []


def test_folding_follows_the_contract_examples():
    assert [slugify(word) for word in ("éruption", "Łódź", "Straße")] == ["eruption", "lodz", "strasse"]


def test_briefs_new_names_the_file_from_a_french_title(project):
    today = dt.datetime.now(dt.timezone.utc).date().isoformat()  # the test site's time zone is UTC
    result = run_briefs(project, "new", "test-story", "Éruption à Grindavík : la lave atteint Łódź")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"briefs/test-story/{today}-eruption-a-grindavik-la-lave-atteint-lodz.yaml\n"


def test_briefs_new_names_the_file_from_a_russian_title(project):
    today = dt.datetime.now(dt.timezone.utc).date().isoformat()
    result = run_briefs(project, "new", "test-story", "Переговоры в Каире")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"briefs/test-story/{today}-peregovory-v-kaire.yaml\n"


def test_a_file_name_with_an_accent_is_refused_with_the_folded_name(project):
    (project / "briefs/test-story/2024-01-14-éruption.yaml").write_bytes(
        (project / "briefs/test-story/2024-05-07-first.yaml").read_bytes())
    result = run_briefs(project, "check")
    assert result.returncode == 1
    assert ("briefs/test-story/2024-01-14-éruption.yaml:1:1: error: '2024-01-14-éruption' is not a valid brief file "
            "name: use lowercase letters, digits and single hyphens, 1 to 80 characters; "
            "did you mean '2024-01-14-eruption'?") in result.stderr.splitlines()
