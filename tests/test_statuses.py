"""One declaration per claim status (CLAIM_STATUSES in generator/model.py):
its words in every language, its icon and its colours, which meet
contrast on both schemes and are what the stylesheet and the cards use."""
from __future__ import annotations

import colorsys
import re
import shutil

import pytest

from conftest import EXAMPLE_PROJECT, ROOT, run_briefs
from generator.schemas import STATUS_STYLES, with_status_styles
from generator.model import CLAIM_STATUSES, STATUSES, Status
from generator.words import bundled
LIGHT_PAGE = (1.0, 1.0, 1.0)  # Material's --md-default-bg-color
SLATE_PAGE = colorsys.hls_to_rgb(225 / 360, 0.14, 0.15)  # the slate scheme's: hsla(225deg, 15%, 14%)
LABEL_TINT = 0.09  # briefs.css: a label's ground is its colour at 9% over the page
SVG_PATH = re.compile(r"[MmLlHhVvCcSsQqTtAaZz][-0-9., MmLlHhVvCcSsQqTtAaZz]*")


def rgb(colour: str) -> tuple[float, float, float]:
    red, green, blue = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return red, green, blue


def luminance(colour: tuple[float, float, float]) -> float:
    """WCAG 2's relative luminance."""
    red, green, blue = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in colour)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(text: tuple[float, float, float], ground: tuple[float, float, float]) -> float:
    lighter, darker = sorted((luminance(text), luminance(ground)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def label_contrast(colour: str, page: tuple[float, float, float]) -> float:
    """A label's word against its own tinted ground on the page."""
    text = rgb(colour)
    ground = tuple(LABEL_TINT * t + (1 - LABEL_TINT) * p for t, p in zip(text, page))
    return contrast(text, ground)


def test_the_statuses_are_declared_once_in_the_contract_order():
    assert [status.name for status in CLAIM_STATUSES] == ["confirmed", "reported", "claimed", "disputed", "debunked"]
    assert STATUSES == {status.name: status.meaning for status in CLAIM_STATUSES}


@pytest.mark.parametrize("language", sorted(bundled()))
def test_every_status_has_a_label_and_a_meaning_in_every_language(language):
    words = bundled()[language]
    for group in ("status_label", "status_meaning"):
        found = {key.split(".")[1]: word for key, word in words.items() if key.startswith(group + ".")}
        assert set(found) == set(STATUSES)
        assert all(word.strip() for word in found.values())
    labels = [words[f"status_label.{status}"] for status in STATUSES]
    assert len(set(labels)) == len(labels)  # five statuses, five words a reader tells apart


@pytest.mark.parametrize("status", CLAIM_STATUSES, ids=lambda status: status.name)
def test_every_status_has_an_icon_and_colours_that_meet_contrast(status: Status):
    assert SVG_PATH.fullmatch(status.icon)
    assert status.light != status.dark
    assert label_contrast(status.light, LIGHT_PAGE) >= 4.5  # WCAG AA, as axe checks on the pages
    assert label_contrast(status.dark, SLATE_PAGE) >= 4.5


def test_the_contrast_check_fails_on_a_pale_colour():
    assert label_contrast("#81c784", LIGHT_PAGE) < 4.5  # confirmed's dark-scheme green on the light page
    assert label_contrast("#1b5e20", SLATE_PAGE) < 4.5


def test_the_stylesheet_has_the_declared_status_styles():
    """The status block of briefs.css is what the declaration makes; after
    changing a status, `make schemas` writes it."""
    css = (ROOT / STATUS_STYLES).read_text(encoding="utf-8")
    assert css == with_status_styles(css), "run `make schemas` to write the status styles"
    for status in CLAIM_STATUSES:
        assert f"--briefs-{status.name}: {status.light};" in css and f"--briefs-{status.name}: {status.dark};" in css
        assert f".brief-status--{status.name} {{" in css and status.icon in css



def test_make_schemas_writes_the_status_styles(tmp_path):
    stylesheet = tmp_path / STATUS_STYLES
    stylesheet.parent.mkdir(parents=True)
    current = (ROOT / STATUS_STYLES).read_text(encoding="utf-8")
    stylesheet.write_text(current.replace("--briefs-confirmed: #1b5e20;", "--briefs-confirmed: #000000;"), encoding="utf-8")
    shutil.copy(EXAMPLE_PROJECT / "mkdocs.yml", tmp_path)
    result = run_briefs(tmp_path, "schemas")
    assert result.returncode == 0, result.stderr
    assert STATUS_STYLES in result.stdout.splitlines()
    assert stylesheet.read_text(encoding="utf-8") == current
