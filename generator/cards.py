"""Social cards: the 1200×630 PNG a shared link shows (og:image), one per
brief and one per story hub, drawn at build time.

A card shows the site's name, the story, the headline and the claims'
count by status, in the story's language (generator/words.py) and the
statuses' colours. Cards are kept under build/cards/, named by a hash of what they
show, the fonts and this module's version, so a build draws only the cards
whose content changed and links the rest into the site.

Builds and previews share that cache: a card is written under a temporary
name and renamed, so none is ever read half-written, and cards no page
uses are removed only while no other run is linking cards from the cache
(a lock beside it, shared while linking, exclusive to remove).
"""
from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import io
import json
import os
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

import PIL
from PIL import Image, ImageDraw

from .card_text import Fonts, Overlay, fit, fonts, layout_stamp
from .model import CLAIM_STATUSES, Project, status_counts
from .sharing import CARD_SIZE, card_path, direction
from .stopping import still_running
from .words import Words, fill_text, words_for
from .workers import ONE, Workers

CARD_VERSION = 3  # change with the drawing: every cached card is drawn again
WIDTH, HEIGHT = CARD_SIZE
MARGIN = 72
BACKGROUND = (255, 255, 255)
INK = (26, 26, 26)
MUTED = (84, 84, 84)
BAND = (63, 81, 181)  # Material's indigo, the site's header colour
STATUS_COLOURS = {status.name: status.light for status in CLAIM_STATUSES}  # a card is light, as the site's light scheme
HEADLINE_SIZES = (64, 56, 48)  # the largest that fits the headline's box wins
HEADLINE_TOP, HEADLINE_BOTTOM = 218, 500
SHADES = 8  # of each text colour over its ground, in the palette of a card without emoji
DRAW_SHARED_FROM = 100  # cards to draw from which another process pays for itself (it starts an interpreter)
EMOJI_COLOURS = 64  # a card with colour emoji gets a palette made for it


@dataclass(frozen=True)
class Card:
    """What a card shows."""

    site: str
    kicker: str  # the story's name on a brief's card, its status on a hub's
    headline: str
    counts: tuple[tuple[str, str], ...]  # (status, "3 confirmed") in the statuses' order
    lang: str

    def key(self) -> str:
        """Names the drawn card: its content, the fonts and layout libraries, the drawing code."""
        stamp = [CARD_VERSION, PIL.__version__, layout_stamp(), asdict(self)]
        return hashlib.sha256(json.dumps(stamp, ensure_ascii=False).encode()).hexdigest()[:32]


def project_cards(project: Project) -> dict[str, Card]:
    """Every card of the site, by its path in the site."""
    settings = project.settings
    site = settings.site_name
    cards = {}
    for entry in project.stories:
        story, lang = entry.story, entry.story.lang or settings.language
        words = words_for(lang, settings.words)
        newest = entry.briefs[-1] if entry.briefs else None
        cards[card_path(story.slug)] = Card(site, words.one(f"story_status_label.{story.status}"), story.title, _counts(newest, words), lang)
        for brief in entry.briefs:
            cards[card_path(story.slug, brief.slug)] = Card(site, story.title, brief.title, _counts(brief, words), lang)
    return cards


def _counts(brief, words: Words) -> tuple[tuple[str, str], ...]:
    if brief is None:
        return ()
    return tuple((status, fill_text(words.one("words.card_count"), count=str(n), status=words.one(f"status_label.{status}")))
                 for status, n in status_counts(brief).items())


@dataclass(frozen=True)
class CardsWritten:
    drawn: int  # cards drawn this time
    kept: int  # cards taken from the cache


def write_cards(project: Project, cache: Path, site: Path, workers: Workers = ONE) -> CardsWritten:
    """Every card into `site`, drawn only if the cache lacks it (shared out
    between `workers`); cached cards no page uses any more are removed,
    unless another run is using the cache (the next run removes them)."""
    cards = project_cards(project)
    keys = {path: card.key() for path, card in cards.items()}
    with _cache_lock(cache, fcntl.LOCK_SH):  # no other run removes a card between here and its link
        missing = missing_cards(cards.values(), cache)
        _draw_all(missing, workers)
        for path in cards:
            _link(cache / f"{keys[path]}.png", site / path)
    _remove_unused(cache, {f"{key}.png" for key in keys.values()})
    return CardsWritten(len(missing), len(cards) - len(missing))


@contextlib.contextmanager
def _cache_lock(cache: Path, kind: int):
    """The cache's lock file beside it, held as `kind` within the block
    (BlockingIOError at once if `kind` asks not to wait and cannot have it)."""
    cache.mkdir(parents=True, exist_ok=True)
    with open(cache.with_name(cache.name + ".lock"), "a") as lock:
        fcntl.flock(lock, kind)
        yield


def _remove_unused(cache: Path, wanted: set[str]) -> None:
    """Cards no page of this run uses, and cards a dead process was
    writing (a killed run's; a card is drawn under its drawer's id)."""
    with contextlib.suppress(BlockingIOError), _cache_lock(cache, fcntl.LOCK_EX | fcntl.LOCK_NB):
        for stale in cache.glob("*.png"):
            if stale.name not in wanted:
                stale.unlink(missing_ok=True)
        for unfinished in cache.glob(".*.tmp"):
            drawer = unfinished.suffixes[-2][1:] if len(unfinished.suffixes) > 1 else ""
            if drawer.isdigit() and not still_running(int(drawer)):
                unfinished.unlink(missing_ok=True)


def missing_cards(cards, cache: Path) -> list[tuple[Path, Card]]:
    """The cards the cache lacks, each once, with the file each is drawn into."""
    cache.mkdir(parents=True, exist_ok=True)
    by_key = {card.key(): card for card in cards}
    # A story's cards one after another: they share its kicker, laid out once.
    order = sorted(by_key.items(), key=lambda item: (item[1].site, item[1].lang, item[1].kicker, item[0]))
    return [(cache / f"{key}.png", card) for key, card in order if not (cache / f"{key}.png").exists()]


def _draw_all(jobs: list[tuple[Path, Card]], workers: Workers) -> None:
    """Draws each card into its cache file, shared out between `workers`;
    a card a helper failed on is drawn here, which meets its error."""
    if not jobs:
        return
    workers.meanwhile(jobs, draw_into, DRAW_SHARED_FROM).finish()
    for job in jobs:
        if not job[0].exists():
            draw_into(job)


def draw_into(job: tuple[Path, Card]) -> None:
    """A card drawn into its file in the cache."""
    path, card = job
    _write_atomically(path, draw_card(card))


def _write_atomically(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except BaseException:  # a full disk, or the build stopped: no half-written file stays in the cache
        tmp.unlink(missing_ok=True)
        raise


def _link(cached: Path, target: Path) -> None:
    """A hard link costs no copy; a file system without them gets a copy."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    try:
        os.link(cached, target)
    except OSError:
        shutil.copyfile(cached, target)


def draw_card(card: Card) -> bytes:
    """The card as a palette PNG; the same card gives the same bytes.

    Drawn straight in the palette's indexes: each text colour has its
    shades over its ground, a glyph's pixel takes the shade nearest its
    coverage. Only a card with colour emoji is painted in colour and gets
    a palette made for it."""
    rtl = _rtl(card.lang)
    ground, overlays = _ground(card.site, card.lang)
    canvas = ground.copy()
    bold = fonts("Bold", card.lang)
    overlays = [*overlays, *_one_line(canvas, card.kicker, bold, 36, 150, SHADES_OF["ink"], rtl)]
    box = (MARGIN, WIDTH - MARGIN)
    paragraph, lines = fit(card.headline, bold, HEADLINE_SIZES, box[1] - box[0], _headline_lines, rtl)
    step = round(paragraph.size * 1.25)
    for i, line in enumerate(lines):
        overlays += paragraph.draw(canvas, line, box, HEADLINE_TOP + paragraph.size + i * step, SHADES_OF["ink"])
    _draw_counts(canvas, card.counts, card.lang, rtl)
    if overlays:
        canvas = canvas.convert("RGB")
        for overlay in overlays:
            canvas.paste(overlay.image, overlay.at, overlay.image)
        canvas = canvas.quantize(EMOJI_COLOURS, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    return _png(canvas)


def _png(image: Image.Image) -> bytes:
    """A palette image as PNG, by Pillow's writer at zlib's default level
    (a lower one saves 2 ms a card for 5 KB more: docs/benchmarks.md)."""
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@functools.lru_cache(maxsize=16)
def _ground(site: str, lang: str) -> tuple[Image.Image, list[Overlay]]:
    """What every card of a site shares: the band and the site's name."""
    image = Image.new("P", (WIDTH, HEIGHT), BACKGROUND_INDEX)
    image.putpalette(PALETTE)
    ImageDraw.Draw(image).rectangle((0, 0, WIDTH, 14), fill=BAND_INDEX)
    overlays = _one_line(image, site, fonts("Regular", lang), 30, 88, SHADES_OF["muted"], _rtl(lang))
    return image, overlays


@functools.lru_cache(maxsize=64)  # Babel's locale lookup, once per language
def _rtl(lang: str) -> bool:
    return direction(lang) == "rtl"


def _headline_lines(size: int) -> int:
    return (HEADLINE_BOTTOM - HEADLINE_TOP) // round(size * 1.25)


def _one_line(image, text: str, chain: Fonts, size: int, baseline: int, shades: range, rtl: bool) -> list[Overlay]:
    paragraph, lines = fit(text, chain, (size,), WIDTH - 2 * MARGIN, lambda _: 1, rtl)
    if not lines:
        return []
    return paragraph.draw(image, lines[0], (MARGIN, WIDTH - MARGIN), baseline, shades)


PILL_TEXT, PILL_PAD, PILL_GAP, PILL_HEIGHT = 28, 20, 16, 52


def _draw_counts(image, counts, lang: str, rtl: bool) -> None:
    """Each status's count as a tinted pill in the status colour, like the site's labels."""
    top = HEIGHT - MARGIN - PILL_HEIGHT
    x = WIDTH - MARGIN if rtl else MARGIN
    for status, text in counts:
        pill = _pill(status, text, lang)
        left = x - pill.width if rtl else x
        if left < MARGIN or left + pill.width > WIDTH - MARGIN:
            break  # no room for more; the page lists them all
        image.paste(pill, (left, top))
        x = left - PILL_GAP if rtl else left + pill.width + PILL_GAP


@functools.lru_cache(maxsize=256)
def _pill(status: str, text: str, lang: str) -> Image.Image:
    shades = SHADES_OF[status]
    rtl = _rtl(lang)
    paragraph, lines = fit(text, fonts("Bold", lang), (PILL_TEXT,), WIDTH - 2 * MARGIN, lambda _: 1, rtl)
    width = min(round(paragraph.width(*lines[0])) + 2 * PILL_PAD, WIDTH - 2 * MARGIN)
    pill = Image.new("P", (width, PILL_HEIGHT), BACKGROUND_INDEX)
    ImageDraw.Draw(pill).rounded_rectangle((0, 0, width - 1, PILL_HEIGHT - 1), radius=PILL_HEIGHT // 2,
                                           fill=shades[0], outline=shades[-1], width=2)
    paragraph.draw(pill, lines[0], (PILL_PAD, width - PILL_PAD), PILL_HEIGHT // 2 + PILL_TEXT * 0.36, shades)
    return pill


def _palette() -> tuple[list[int], dict[str, range]]:
    """Every colour of a card without emoji, as a palette: each text
    colour's shades over its ground (the colours antialiased text takes at
    its edges), then the band's colour."""
    colours: list[tuple[int, ...]] = []
    shades_of = {}
    for name, colour, ground in [("ink", INK, BACKGROUND), ("muted", MUTED, BACKGROUND),
                                 *((s, _rgb(c), _tint(_rgb(c))) for s, c in STATUS_COLOURS.items())]:
        shades_of[name] = range(len(colours), len(colours) + SHADES)
        colours += [tuple(round(g + (c - g) * i / (SHADES - 1)) for c, g in zip(colour, ground)) for i in range(SHADES)]
    colours.append(BAND)
    return [channel for colour in colours for channel in colour], shades_of


def _tint(colour) -> tuple[int, ...]:
    """A label's ground: 9% of its colour over the card's, as the site's CSS mixes it."""
    return tuple(round(c * 0.09 + b * 0.91) for c, b in zip(colour, BACKGROUND))


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


PALETTE, SHADES_OF = _palette()
BACKGROUND_INDEX = SHADES_OF["ink"][0]  # the ink's ground is the card's
BAND_INDEX = len(PALETTE) // 3 - 1
