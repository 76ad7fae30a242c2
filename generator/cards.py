"""Social cards: the 1200×630 PNG a shared link shows (og:image), one per
brief and one per story hub, drawn at build time.

A card shows the site's name, the story, the headline and the claims'
count by status, in the site's status words (templates/_words.j2) and
colours. Cards are kept under build/cards/, named by a hash of what they
show, the fonts and this module's version, so a build draws only the cards
whose content changed and links the rest into the site.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

import PIL
from PIL import Image, ImageDraw

from .card_text import Fonts, fit, fonts, fonts_stamp
from .render import status_counts, words_module
from .sharing import CARD_SIZE, card_path, direction
from .validate import Project

CARD_VERSION = 1  # change with the drawing: every cached card is drawn again
WIDTH, HEIGHT = CARD_SIZE
MARGIN = 72
BACKGROUND = (255, 255, 255)
INK = (26, 26, 26)
MUTED = (84, 84, 84)
BAND = (63, 81, 181)  # Material's indigo, the site's header colour
# The light scheme's status colours (--briefs-* in overrides/assets/stylesheets/briefs.css).
STATUS_COLOURS = {
    "confirmed": "#1b5e20",
    "reported": "#0d47a1",
    "claimed": "#6a1b9a",
    "disputed": "#8a4b00",
    "debunked": "#b71c1c",
}
HEADLINE_SIZES = (64, 56, 48)  # the largest that fits the headline's box wins
HEADLINE_TOP, HEADLINE_BOTTOM = 218, 500
PALETTE_COLOURS = 64  # antialiased text on a plain ground needs few; keeps a card small


@dataclass(frozen=True)
class Card:
    """What a card shows."""

    site: str
    kicker: str  # the story's name on a brief's card, its status on a hub's
    headline: str
    counts: tuple[tuple[str, str], ...]  # (status, "3 confirmed") in the statuses' order
    lang: str

    def key(self) -> str:
        """Names the drawn card: its content, the fonts, the drawing code."""
        stamp = [CARD_VERSION, PIL.__version__, fonts_stamp(), asdict(self)]
        return hashlib.sha256(json.dumps(stamp, ensure_ascii=False).encode()).hexdigest()[:32]


def project_cards(project: Project) -> dict[str, Card]:
    """Every card of the site, by its path in the site."""
    words = words_module()
    site = project.settings.site_name
    cards = {}
    for entry in project.stories:
        story, lang = entry.story, entry.story.lang or project.settings.language
        newest = entry.briefs[-1] if entry.briefs else None
        cards[card_path(story.slug)] = Card(site, words.story_status_label[story.status], story.title, _counts(newest, words), lang)
        for brief in entry.briefs:
            cards[card_path(story.slug, brief.slug)] = Card(site, story.title, brief.title, _counts(brief, words), lang)
    return cards


def _counts(brief, words) -> tuple[tuple[str, str], ...]:
    if brief is None:
        return ()
    return tuple((status, words.words["card_count"].format(count=n, status=words.status_label[status]))
                 for status, n in status_counts(brief).items())


@dataclass(frozen=True)
class CardsWritten:
    drawn: int  # cards drawn this time
    kept: int  # cards taken from the cache


def write_cards(project: Project, cache: Path, site: Path) -> CardsWritten:
    """Every card into `site`, drawn only if the cache lacks it; cached
    cards no page uses any more are removed."""
    cache.mkdir(parents=True, exist_ok=True)
    cards = project_cards(project)
    keys = {path: card.key() for path, card in cards.items()}
    drawn = 0
    for path, card in cards.items():
        cached = cache / f"{keys[path]}.png"
        if not cached.exists():
            _write_atomically(cached, draw_card(card))
            drawn += 1
        _link(cached, site / path)
    wanted = {f"{key}.png" for key in keys.values()}
    for stale in cache.glob("*.png"):
        if stale.name not in wanted:
            stale.unlink()
    return CardsWritten(drawn, len(cards) - drawn)


def _write_atomically(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _link(cached: Path, target: Path) -> None:
    """A hard link costs no copy; a file system without them gets a copy."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    try:
        os.link(cached, target)
    except OSError:
        shutil.copyfile(cached, target)


def draw_card(card: Card) -> bytes:
    """The card as a palette PNG; the same card gives the same bytes."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, 14), fill=BAND)
    rtl = direction(card.lang) == "rtl"
    regular, bold = fonts("Regular", card.lang), fonts("Bold", card.lang)
    box = (MARGIN, WIDTH - MARGIN)
    _one_line(image, card.site, regular, 30, 88, MUTED, rtl)
    _one_line(image, card.kicker, bold, 36, 150, INK, rtl)
    paragraph, lines = fit(card.headline, bold, HEADLINE_SIZES, box[1] - box[0], _headline_lines, rtl)
    step = round(paragraph.size * 1.25)
    for i, line in enumerate(lines):
        paragraph.draw(image, line, box, HEADLINE_TOP + paragraph.size + i * step, INK)
    _draw_counts(image, card.counts, bold, rtl)
    palette = image.quantize(PALETTE_COLOURS, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    out = io.BytesIO()
    palette.save(out, "PNG", compress_level=6)
    return out.getvalue()


def _headline_lines(size: int) -> int:
    return (HEADLINE_BOTTOM - HEADLINE_TOP) // round(size * 1.25)


def _one_line(image, text: str, fonts: Fonts, size: int, baseline: int, fill, rtl: bool) -> None:
    paragraph, lines = fit(text, fonts, (size,), WIDTH - 2 * MARGIN, lambda _: 1, rtl)
    if lines:
        paragraph.draw(image, lines[0], (MARGIN, WIDTH - MARGIN), baseline, fill)


def _draw_counts(image, counts, fonts: Fonts, rtl: bool) -> None:
    """Each status's count as a tinted pill with the status colour, like the site's labels."""
    size, pad, gap, top, height = 28, 20, 16, HEIGHT - MARGIN - 52, 52
    draw = ImageDraw.Draw(image)
    x = WIDTH - MARGIN if rtl else MARGIN
    for status, text in counts:
        colour = _rgb(STATUS_COLOURS[status])
        paragraph, lines = fit(text, fonts, (size,), WIDTH, lambda _: 1, rtl)
        width = paragraph.width(*lines[0]) + 2 * pad
        left = x - width if rtl else x
        if (left < MARGIN) if rtl else (left + width > WIDTH - MARGIN):
            break  # no room for more; the site lists them all
        tint = tuple(round(c * 0.09 + b * 0.91) for c, b in zip(colour, BACKGROUND))
        draw.rounded_rectangle((left, top, left + width, top + height), radius=height // 2, fill=tint, outline=colour, width=2)
        paragraph.draw(image, lines[0], (left + pad, left + width - pad), top + height // 2 + size * 0.36, colour)
        x = left - gap if rtl else left + width + gap


def _rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))
