"""Social cards: the PNG a shared link shows, as a social network fetches
it from the built page's meta, and the text on it in every script."""
from __future__ import annotations

import dataclasses
import io
import itertools
import re
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st
from PIL import Image, ImageChops, ImageDraw, ImageFont

from conftest import EXAMPLE_PROJECT, MINIMAL_BRIEF, ROOT, run_briefs, write
from generator import card_text
from generator.build import check_project
from generator.card_text import ELLIPSIS, Paragraph, fit, fonts
from generator.cards import HEADLINE_SIZES, STATUS_COLOURS, Card, draw_card, write_cards
from generator.workers import Meanwhile
from test_build_in_two import digest
from test_sharing import SITE_URL, parse

HEADLINES = {
    "ar": "حماس تعلن موافقتها على مقترح وقف إطلاق النار المصري القطري (2024)",
    "he": "חמאס הודיעה כי היא מקבלת את הצעת הפסקת האש של מצרים וקטאר",
    "zh-Hans": "哈马斯表示接受埃及和卡塔尔提出的停火提议，以色列称该提议未能满足其要求",
    "ja": "ハマスがエジプトとカタールの停戦案を受け入れると発表",
    "ko": "하마스, 이집트·카타르 휴전안 수용 발표",
    "en": "Crowds celebrate 🎉👏🏽 in Rafah 👨‍👩‍👧 as talks resume 🇪🇬🇶🇦 1️⃣ ❤️",
    "mul": "ሰላም ქართული สวัสดี नमस्ते ᠮᠣᠩᠭᠣᠯ ♔ 𓀀",  # Mongolian and hieroglyphs: Noto has them in Regular only
}
NO_FONT_HAS = "\U0010fffd"  # private use: every font draws its .notdef box for it


def pages_with_cards(site: Path) -> list[Path]:
    """The story's hub and each of its briefs (not its page for other sites, /embed/)."""
    briefs = sorted((EXAMPLE_PROJECT / "briefs/gaza-truce-talks").glob("2*.yaml"))
    return [site / "gaza-truce-talks/index.html", *(site / "gaza-truce-talks" / brief.stem / "index.html" for brief in briefs)]


def test_every_brief_and_hub_shares_a_1200_by_630_card(example_site):
    pages = pages_with_cards(example_site)
    assert len(pages) == 3 and all(page.is_file() for page in pages)
    images = set()
    for page in pages:
        meta = dict(parse(page).meta)
        assert meta["twitter:card"] == "summary_large_image"
        assert meta["og:image"].startswith(f"{SITE_URL}assets/cards/gaza-truce-talks")
        assert (meta["og:image:width"], meta["og:image:height"], meta["og:image:type"]) == ("1200", "630", "image/png")
        assert meta["og:title"] in meta["og:image:alt"] and meta["twitter:image:alt"] == meta["og:image:alt"]
        with Image.open(example_site / meta["og:image"].removeprefix(SITE_URL)) as card:
            assert card.format == "PNG" and card.size == (1200, 630) and card.mode == "P"
        images.add(meta["og:image"])
    assert len(images) == len(pages)


def rendering(face: card_text.Face, text: str) -> Image.Image:
    """One character as its font alone draws it."""
    size = card_text.EMOJI_STRIKE if face.colour else 48
    font = ImageFont.truetype(str(face.path), size, index=face.index, layout_engine=ImageFont.Layout.RAQM)
    image = Image.new("RGBA", (3 * size, 2 * size))
    ImageDraw.Draw(image).text((size // 2, size // 2), text, font=font, fill="black", embedded_color=face.colour)
    return image


@pytest.mark.parametrize("lang", sorted(HEADLINES))
def test_no_character_of_a_headline_is_drawn_as_a_missing_glyph_box(lang):
    text, chain = HEADLINES[lang], fonts("Bold", lang)
    faces = chain.faces_of(text)
    for char, face in zip(text, faces):
        if card_text._invisible(char):
            continue  # joiners and selectors: shaping uses them, nothing is drawn
        font = chain.faces[face]
        assert chain.has_glyph(char), f"no font has {char!r}"
        assert ImageChops.difference(rendering(font, char), rendering(font, NO_FONT_HAS)).getbbox(), \
            f"{char!r} is drawn as {font.path.name}'s missing-glyph box"


def test_each_script_is_drawn_with_its_own_font():
    chosen = {lang: {fonts("Bold", lang).faces[i].path.name for i in fonts("Bold", lang).faces_of(text)}
              for lang, text in HEADLINES.items()}
    assert "NotoSansArabic-Bold.ttf" in chosen["ar"] and "NotoSansHebrew-Bold.ttf" in chosen["he"]
    assert chosen["zh-Hans"] >= {"NotoSansCJK-Bold.ttc"} and "NotoColorEmoji.ttf" in chosen["en"]
    assert fonts("Bold", "zh-Hans").faces[3].index != fonts("Bold", "ja").faces[3].index  # Simplified Chinese forms
    rare = fonts("Bold", "en").faces_of("ሰላም ქართული")  # Ethiopic and Georgian: found further down the chain
    keycap = fonts("Bold", "en").faces_of("1\ufe0f\u20e3")  # one emoji: "1" drawn in the font of its keycap
    assert {fonts("Bold", "en").faces[face].path.name for face in keycap} == {"NotoColorEmoji.ttf"}
    assert all(fonts("Bold", "en").has_glyph(c) for c in "ሰላም ქართული") and len(set(rare)) >= 2


def drawn(text: str, rtl: bool) -> list[tuple[str, int]]:
    """A one-line text's runs, from the left as the card draws them, each with its bidi level."""
    paragraph = Paragraph(text, fonts("Bold", "en"), 48, rtl)
    return [(text[run.start:run.end], run.level) for run in paragraph.display_runs((0, len(text)))]


def test_right_to_left_runs_are_drawn_in_the_bidi_algorithms_order():
    # The last Hebrew word leftmost; the Latin and the number between, left to right.
    assert drawn("שלום NATO 2024 עולם", True) == [("עולם", 1), (" ", 1), ("NATO 2024", 2), ("שלום ", 1)]
    assert drawn("Hello שלום world (2.0)", False) == [("Hello ", 0), ("שלום", 1), (" ", 0), ("world (2.0)", 0)]
    # An isolate an editor typed (U+2067 ... U+2069) keeps its words right to left.
    assert ("שלום עולם", 1) in drawn("Talks \u2067שלום עולם\u2069 resume", False)
    # A headline's first strong letter sets its direction, as dir="auto" does on the page;
    # a headline with none takes its language's.
    assert drawn("Talks resume", True) == [("Talks resume", 0)]
    assert drawn("2024", True) == [("2024", 2)] and drawn("2024", False) == [("2024", 0)]


def test_thai_wraps_between_words_though_it_writes_no_spaces():
    words = ["การ", "เจรจา", "หยุด", "ยิง", "ที่", "ไคโร", "ดำเนิน", "ต่อ", "ไป", "ใน", "วัน", "นี้"]
    text = "".join(words) * 3
    paragraph, lines = fit(text, fonts("Bold", "th"), (48,), 400, lambda size: 20, False)
    assert paragraph.text == text and len(lines) >= 4
    assert {start for start, _ in lines} <= {0, *itertools.accumulate(len(word) for word in words * 3)}


@pytest.mark.parametrize("text", [
    "A very long headline about the ceasefire talks in Cairo " * 12,
    "停火谈判" * 200,
    "Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichenherstellung" * 3,
    "مفاوضات وقف إطلاق النار في القاهرة مستمرة " * 15,
])
def test_a_long_headline_wraps_and_ends_in_an_ellipsis_within_the_card(text):
    width = 1200 - 2 * 72
    paragraph, lines = fit(text, fonts("Bold", "en"), HEADLINE_SIZES, width, lambda size: 4, False)
    assert paragraph.size == HEADLINE_SIZES[-1] and 1 <= len(lines) <= 4
    assert paragraph.text.endswith(ELLIPSIS) and text.startswith(paragraph.text[:-1].rstrip())
    assert all(paragraph.width(*line) <= width + 1 for line in lines)
    assert lines[-1][1] == len(paragraph.text)  # the ellipsis is on the last line shown


def test_a_short_headline_is_drawn_large_and_whole():
    paragraph, lines = fit("Talks resume", fonts("Bold", "en"), HEADLINE_SIZES, 1056, lambda size: 3, False)
    assert paragraph.size == HEADLINE_SIZES[0] and paragraph.text == "Talks resume" and len(lines) == 1


CARD = Card("Gaza truce briefing", "Gaza truce negotiations", HEADLINES["ar"] + " " + HEADLINES["en"],
            (("confirmed", "3 Confirmed"), ("disputed", "1 Disputed")), "ar")


def test_the_same_card_gives_the_same_bytes_in_a_fresh_process():
    draw_card(Card("x", "y", HEADLINES["zh-Hans"], (), "zh-Hans"))  # warm caches with another card first
    here = draw_card(CARD)
    script = f"import sys; from generator.cards import Card, draw_card; sys.stdout.buffer.write(draw_card({CARD!r}))"
    fresh = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, check=True).stdout
    assert here == fresh
    assert draw_card(dataclasses.replace(CARD, headline="Another headline")) != here


def png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """(type, data) of each chunk, every chunk's CRC checked."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, at = [], 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at:at + 4])
        kind, body = data[at + 4:at + 8], data[at + 8:at + 8 + length]
        assert struct.unpack(">I", data[at + 8 + length:at + 12 + length])[0] == zlib.crc32(kind + body), kind
        chunks.append((kind, body))
        at += 12 + length
    return chunks


def test_a_card_is_a_palette_png_and_another_headline_changes_only_the_headlines_rows():
    one, neighbour = (dataclasses.replace(CARD, headline=headline) for headline in (HEADLINES["ar"], HEADLINES["he"]))
    for data in draw_card(one), draw_card(CARD):  # CARD has emoji: a palette of its own
        chunks = png_chunks(data)
        assert [kind for kind, _ in chunks if kind != b"IDAT"] == [b"IHDR", b"PLTE", b"IEND"]
        assert chunks[0][1][8:10] == bytes([8, 3])  # 8-bit indexes into a palette
    with Image.open(io.BytesIO(draw_card(neighbour))) as other, Image.open(io.BytesIO(draw_card(one))) as card:
        changed = ImageChops.difference(other.convert("RGB"), card.convert("RGB")).getbbox()
        assert changed and 184 < changed[1] < changed[3] < 504  # the headline's rows, and only they


def test_a_card_is_small_and_shows_its_statuses_in_the_site_colours():
    data = draw_card(CARD)
    assert len(data) < 40_000
    with Image.open(io.BytesIO(data)) as card:
        colours = {colour for _, colour in card.convert("RGB").getcolors(1 << 16)}
    for status in ("confirmed", "disputed"):
        wanted = tuple(int(STATUS_COLOURS[status][i:i + 2], 16) for i in (1, 3, 5))
        assert min(sum(abs(a - b) for a, b in zip(wanted, c)) for c in colours) <= 12, status


def test_status_colours_are_the_light_scheme_colours_of_the_site():
    css = (ROOT / "overrides/assets/stylesheets/briefs.css").read_text()
    for status, colour in STATUS_COLOURS.items():
        assert re.search(rf"--briefs-{status}:\s*([#\w]+)", css).group(1).lower() == colour


def test_an_unchanged_card_is_not_drawn_again_and_a_changed_headline_is(project, tmp_path):
    cache = tmp_path / "cache"
    first = write_cards(check_project(project, include_drafts=False), cache, tmp_path / "one")
    assert (first.drawn, first.kept) == (2, 0)  # the hub's and the brief's
    drawn_at = {p.name: p.stat().st_mtime_ns for p in cache.glob("*.png")}
    again = write_cards(check_project(project, include_drafts=False), cache, tmp_path / "two")
    assert (again.drawn, again.kept) == (0, 2)
    assert {p.name: p.stat().st_mtime_ns for p in cache.glob("*.png")} == drawn_at
    brief = "assets/cards/test-story/2024-05-07-first.png"
    assert (tmp_path / "one" / brief).read_bytes() == (tmp_path / "two" / brief).read_bytes()

    path = project / "briefs/test-story/2024-05-07-first.yaml"
    path.write_text(path.read_text().replace("title: A development", "title: A new headline"))
    changed = write_cards(check_project(project, include_drafts=False), cache, tmp_path / "three")
    assert (changed.drawn, changed.kept) == (1, 1)
    assert (tmp_path / "three" / brief).read_bytes() != (tmp_path / "one" / brief).read_bytes()
    assert len(list(cache.glob("*.png"))) == 2  # the old headline's card is gone from the cache


def test_without_the_fonts_the_message_says_how_to_install_them(monkeypatch, tmp_path):
    monkeypatch.setattr(card_text, "FONT_DIRS", (tmp_path, tmp_path))
    card_text._chain.cache_clear()
    card_text.fonts.cache_clear()
    try:
        with pytest.raises(card_text.MissingFonts, match="make build"):
            fonts("Bold", "en")
    finally:
        card_text._chain.cache_clear()
        card_text.fonts.cache_clear()


def test_a_build_puts_a_card_beside_every_page_that_shares_one(project):
    write(project / "briefs/second-story/story.yaml", "title: 二つ目\nsummary: Where it stands.\nlang: ja\n")
    write(project / "briefs/second-story/2024-05-08-next.yaml",
          "title: 停戦案を受け入れ 🕊️\ndate: 2024-05-08\nsummary: What happened.\n"
          "what_we_know:\n  - text: Known.\n    status: debunked\n    sources: [{name: Wire}]\n")
    result = run_briefs(project, "build")
    assert result.returncode == 0, result.stderr
    cards = sorted(p.relative_to(project / "site").as_posix() for p in (project / "site/assets/cards").rglob("*.png"))
    assert cards == ["assets/cards/second-story.png", "assets/cards/second-story/2024-05-08-next.png",
                     "assets/cards/test-story.png", "assets/cards/test-story/2024-05-07-first.png"]


# Any text the contract accepts: every character but controls, surrogates and noncharacters.
TYPED = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Co")).filter(
    lambda c: not (0xFDD0 <= ord(c) <= 0xFDEF or ord(c) & 0xFFFE == 0xFFFE)), max_size=120)


@settings(max_examples=60)
@given(headline=TYPED, story=TYPED, lang=st.sampled_from(["en", "ar", "he", "ja", "zh-Hant"]))
def test_any_text_an_editor_can_type_makes_a_card(headline, story, lang):
    data = draw_card(Card("Site", story, headline or "x", (("claimed", "1 Claimed"),), lang))
    with Image.open(io.BytesIO(data)) as card:
        assert card.size == (1200, 630)


def test_line_and_paragraph_separators_in_a_headline_are_spaces():
    one, two = draw_card(dataclasses.replace(CARD, headline="one\u2028two\u2029three\nfour")), \
        draw_card(dataclasses.replace(CARD, headline="one two three four"))
    assert one == two


def test_cards_drawn_in_two_processes_are_the_cards_one_draws(project, tmp_path, monkeypatch):
    from generator import cards, workers

    for n in range(2, 6):
        write(project / f"briefs/test-story/2024-05-0{n}-more.yaml", MINIMAL_BRIEF.replace("A development", f"Development {n}"))
    model = check_project(project, include_drafts=False)
    one = write_cards(model, tmp_path / "cache-one", tmp_path / "one")
    monkeypatch.setattr(cards, "DRAW_SHARED_FROM", 2)
    helpers = []
    monkeypatch.setattr(workers, "Meanwhile", lambda items, do, n: helpers.append(n) or Meanwhile(items, do, n))
    two = write_cards(model, tmp_path / "cache-two", tmp_path / "two", workers.Workers(2))
    assert helpers == [1]  # the second way did run: one helper process beside this one
    assert one.drawn == two.drawn == 6
    assert digest(tmp_path / "one") == digest(tmp_path / "two")
