"""Text on a social card: a font per character, right-to-left order,
shaping, wrapping and an ellipsis, drawn with Pillow.

Pillow draws one font at a time. A headline may mix scripts no single font
covers (Latin, Arabic, Hebrew, CJK, emoji), so each character gets the first
font of a fallback chain that has a glyph for it, and the text is cut into
runs of one font and one direction. Within a run, Pillow's raqm layout
(HarfBuzz, FriBidi) shapes: Arabic letters join, emoji sequences combine,
brackets mirror. Across runs, which raqm cannot see, python-bidi gives each
character's direction (the Unicode bidirectional algorithm, UAX #9) and the
order runs are drawn in; ICU (icu4py) gives where a line may break (UAX #14,
with dictionaries for Thai and its neighbours) and where a character ends
(grapheme clusters: an emoji sequence, a letter and its marks).
"""
from __future__ import annotations

import bisect
import functools
import hashlib
import itertools
import math
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import bidi
import icu4py
from bidi import get_base_level, get_display
from bidi.algorithm import reverse_contiguous_sequence
from icu4py.breakers import CharacterBreaker, LineBreaker
from PIL import Image, ImageDraw, ImageFont

# Debian's Noto fonts, which the Makefile installs (fonts-noto-core,
# fonts-noto-cjk, fonts-noto-color-emoji).
FONT_DIRS = (Path("/usr/share/fonts/truetype/noto"), Path("/usr/share/fonts/opentype/noto"))
EMOJI = "NotoColorEmoji.ttf"
EMOJI_STRIKE = 109  # the one pixel size Noto Color Emoji's bitmaps come in
# Faces of the CJK collections by language, for the Han forms readers expect.
CJK_FACES = {"ja": 0, "ko": 1, "zh": 2, "zh-hans": 2, "zh-cn": 2, "zh-sg": 2, "zh-hant": 3, "zh-tw": 3, "zh-hk": 4, "zh-mo": 4}
ELLIPSIS = "\u2026"
LEFT_TO_RIGHT_MARK, RIGHT_TO_LEFT_MARK = "\u200e", "\u200f"


class MissingFonts(Exception):
    """The Noto fonts the cards are drawn with are not installed."""


@dataclass(frozen=True)
class Face:
    path: Path
    index: int = 0  # the font's number in a collection (.ttc)

    @property
    def colour(self) -> bool:
        return self.path.name == EMOJI


def _find(name: str) -> Path:
    for folder in FONT_DIRS:
        if (folder / name).is_file():
            return folder / name
    raise MissingFonts(
        f"social cards need the font {name}: run `make build`, which installs Debian's "
        "fonts-noto-core, fonts-noto-cjk and fonts-noto-color-emoji"
    )


@functools.cache
def _chain(weight: str, cjk_face: int) -> tuple[Face, ...]:
    """The fonts tried for a character, in order: Latin, Greek and Cyrillic,
    Arabic, Hebrew, CJK, emoji, then every other script of Noto."""
    first = [Face(_find(f"NotoSans{script}-{weight}.ttf")) for script in ("", "Arabic", "Hebrew")]
    first += [Face(_find(f"NotoSansCJK-{weight}.ttc"), cjk_face), Face(_find(EMOJI))]
    known = {face.path for face in first}
    families: dict[str, Path] = {}  # each family in the weight, or Regular if it has no other
    for path in sorted(FONT_DIRS[0].glob("Noto*-*.ttf")):
        family, _, style = path.stem.rpartition("-")
        if style == weight or (style == "Regular" and family not in families):
            families[family] = path
    others = sorted((p for p in families.values() if p not in known and "Mono" not in p.name),
                    key=lambda p: (_family_rank(p.name), p.name))
    return (*first, *(Face(p) for p in others))


def _family_rank(name: str) -> int:
    """Sans before Serif before the rest (looped Thai, Kufi, Nastaliq ...): a
    script's plain face before its styled ones."""
    return 0 if name.startswith("NotoSans") else 1 if name.startswith("NotoSerif") else 2


@functools.cache
def layout_stamp() -> str:
    """Names and sizes of every font a card may use, and the versions of
    the libraries that lay its text out: a new font package or library
    version changes it, and so every cached card."""
    digest = hashlib.sha256(f"python-bidi {bidi.VERSION}, ICU {icu4py.icu_version}\n".encode())
    for folder in FONT_DIRS:
        for path in sorted(folder.glob("Noto*")):
            digest.update(f"{path.name}:{path.stat().st_size}\n".encode())
    return digest.hexdigest()


@functools.cache
def _cmap(face: Face) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(face.path, fontNumber=face.index, lazy=True) as font:
        return frozenset(font.getBestCmap())


@functools.cache
def _font(face: Face, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(face.path), size, index=face.index, layout_engine=ImageFont.Layout.RAQM)


def _invisible(char: str) -> bool:
    """A joiner, a variation selector or a format character: shaping uses it, nothing is drawn."""
    code = ord(char)
    return unicodedata.category(char) == "Cf" or 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


def _cluster_bounds(text: str, lang: str) -> list[int]:
    """Where each user-perceived character (a letter and its marks, an emoji
    sequence) starts, and the text's end: a line or a font never changes
    inside one."""
    return [0, *itertools.accumulate(len(cluster) for cluster in CharacterBreaker(text, lang))]


def _pieces(text: str, lang: str) -> list[tuple[int, int]]:
    """The spans between the places a line may break. (icu4py's segments()
    counts in UTF-16 units; its pieces of text give offsets in characters.)"""
    ends = list(itertools.accumulate(len(piece) for piece in LineBreaker(text, lang)))
    return list(zip([0, *ends], ends))


@functools.cache
def fonts(weight: str, lang: str) -> Fonts:
    """The fallback chain of a weight ("Regular", "Bold") for a language."""
    lang = lang.lower()
    return Fonts(_chain(weight, CJK_FACES.get(lang, CJK_FACES.get(lang.split("-")[0], 0))), lang)


class Fonts:
    """A language's fallback chain; each font's character map is read the
    first time a character needs it."""

    def __init__(self, faces: tuple[Face, ...], lang: str):
        self.faces, self.lang = faces, lang
        self.chosen: dict[str, int] = {}
        self.following: dict[tuple[str, int], int] = {}  # (cluster, the font before it): its font

    def face_of(self, char: str) -> int:
        """The first font that has the character (the first font if none has)."""
        found = self.chosen.get(char)
        if found is None:
            code = ord(char)
            found = next((i for i, face in enumerate(self.faces) if code in _cmap(face)), 0)
            self.chosen[char] = found
        return found

    def faces_of(self, text: str) -> list[int]:
        """A font per character, the same for every character of a cluster
        (a letter and its marks, an emoji sequence)."""
        bounds = _cluster_bounds(text, self.lang)
        faces: list[int] = []
        previous = -1
        for start, end in zip(bounds, bounds[1:]):
            key = (text[start:end], previous)
            face = self.following.get(key)
            if face is None:
                face = self.following[key] = self._cluster_face(*key)
            faces += [face] * (end - start)
            previous = face
        return faces

    def _cluster_face(self, cluster: str, previous: int) -> int:
        """The font of the cluster before when it has every visible
        character of this one (spaces, digits and punctuation inside Arabic
        keep Arabic metrics), unless that is the emoji font, which keeps
        only its own clusters; else the first font of one of its characters
        that has them all (a keycap: "1" and U+20E3 in the emoji font); else
        its first character's. A cluster with nothing to draw (a mark
        setting direction) stays in the font before."""
        visible = [char for char in cluster if not _invisible(char)]
        if not visible:
            return max(previous, 0)
        candidates = [previous] if previous >= 0 and not self.faces[previous].colour else []
        candidates += sorted({self.face_of(char) for char in visible})
        return next((face for face in candidates if all(ord(char) in _cmap(self.faces[face]) for char in visible)),
                    self.face_of(visible[0]))

    def has_glyph(self, char: str) -> bool:
        return ord(char) in _cmap(self.faces[self.face_of(char)])

    @functools.lru_cache(maxsize=65536)  # words recur across cards and wrapping attempts
    def length(self, face: int, size: int, text: str, rtl: bool) -> float:
        if self.faces[face].colour:
            return _font(self.faces[face], EMOJI_STRIKE).getlength(text, direction=_dir(rtl)) * size / EMOJI_STRIKE
        return _font(self.faces[face], size).getlength(text, direction=_dir(rtl))


def _dir(rtl: bool) -> str:
    return "rtl" if rtl else "ltr"


# --- directions ------------------------------------------------------------

def base_rtl(text: str, default_rtl: bool) -> bool:
    """The paragraph's direction: its first strong character's, else the
    language's, as a page's dir="auto" (rules P2, P3; the mark after the
    text is the strong character found when the text has none)."""
    return get_base_level(text + (RIGHT_TO_LEFT_MARK if default_rtl else LEFT_TO_RIGHT_MARK)) == 1


_LEVEL = re.compile(r"Level\(\s*(\d+)")


def bidi_levels(text: str, rtl: bool) -> list[int]:
    """Each character's embedding level, even left-to-right, odd
    right-to-left. python-bidi's get_display with `debug` returns, instead
    of the reordered text, its analysis: the levels, one per UTF-8 byte."""
    analysis = get_display(text, base_dir="R" if rtl else "L", debug=True)
    per_byte = _LEVEL.findall(analysis, analysis.index("\n    levels: ["), analysis.index("\n    paragraphs: ["))
    levels, at = [], 0
    for char in text:
        levels.append(int(per_byte[at]))
        at += len(char.encode())
    return levels


def display_order(levels: list[int]) -> list[int]:
    """The indexes of a line's runs, given their levels, in the order they
    are drawn from the left: python-bidi's rule L2 reverses each sequence at
    a level or above, from the highest level to the lowest odd one."""
    items = [{"level": level, "index": i} for i, level in enumerate(levels)]
    if items:
        reverse_contiguous_sequence(items, 0, len(items) - 1, max(levels), min(levels) | 1)
    return [item["index"] for item in items]


# --- paragraphs, lines, drawing --------------------------------------------

@dataclass(frozen=True)
class Run:
    start: int
    end: int
    level: int
    face: int


@dataclass(frozen=True)
class Analysis:
    """What a text's layout needs whatever its size."""

    rtl: bool
    levels: list[int]
    faces: list[int]
    bounds: list[int]  # where the font or the level changes, and the text's ends
    pieces: list[tuple[int, int]]  # spans between the places a line may break
    clusters: list[int]  # where each user-perceived character starts, and the text's end


@functools.lru_cache(maxsize=64)  # a text is laid out at each size until it fits
def _analysis(text: str, fonts: Fonts, default_rtl: bool) -> Analysis:
    rtl = base_rtl(text, default_rtl)
    levels, faces = bidi_levels(text, rtl), fonts.faces_of(text)
    bounds = [0, *(i for i in range(1, len(text)) if levels[i] != levels[i - 1] or faces[i] != faces[i - 1]), len(text)]
    return Analysis(rtl, levels, faces, bounds, _pieces(text, fonts.lang), _cluster_bounds(text, fonts.lang))


class Paragraph:
    """One text in one weight and size: its characters' fonts and levels."""

    def __init__(self, text: str, fonts: Fonts, size: int, default_rtl: bool):
        self.text, self.fonts, self.size = text, fonts, size
        analysis = _analysis(text, fonts, default_rtl)
        self.rtl, self.levels, self.faces, self._bounds = analysis.rtl, analysis.levels, analysis.faces, analysis.bounds
        self._pieces, self._clusters = analysis.pieces, analysis.clusters

    def runs(self, start: int, end: int) -> list[Run]:
        runs: list[Run] = []
        for i in range(bisect.bisect_right(self._bounds, start) - 1, len(self._bounds) - 1):
            if self._bounds[i] >= end:
                break
            a, b = max(self._bounds[i], start), min(self._bounds[i + 1], end)
            runs.append(Run(a, b, self.levels[a], self.faces[a]))
        return runs

    def width(self, start: int, end: int) -> float:
        return sum(self._run_width(run) for run in self.runs(start, end))

    def _run_width(self, run: Run) -> float:
        """The sum of its words' widths, as they are drawn."""
        rtl = run.level % 2 == 1
        return sum(self.fonts.length(run.face, self.size, word, rtl) for word in _WORD.findall(self.text[run.start:run.end]))

    def pieces(self) -> list[tuple[int, int]]:
        """Spans between line-break opportunities: after spaces, between CJK
        characters, between Thai words, never before a closing mark."""
        return self._pieces

    def clusters(self, start: int, end: int) -> list[int]:
        """Where user-perceived characters start, from `start` up to before `end`."""
        return self._clusters[bisect.bisect_left(self._clusters, start):bisect.bisect_left(self._clusters, end)]

    def lines(self, max_width: float) -> list[tuple[int, int]]:
        """Greedy wrapping; a piece wider than a line breaks between characters."""
        lines: list[tuple[int, int]] = []
        start, width = None, 0.0
        for a, b in self._fitting_pieces(max_width):
            trimmed = self.width(a, _trim(self.text, a, b))
            if start is not None and width + trimmed > max_width:
                lines.append((start, a))
                start = None
            if start is None:
                start, width = a, 0.0
            width += self.width(a, b)
        if start is not None:
            lines.append((start, len(self.text)))
        return lines

    def _fitting_pieces(self, max_width: float):
        for a, b in self.pieces():
            if self.width(a, _trim(self.text, a, b)) <= max_width:
                yield a, b
                continue
            clusters = self.clusters(a, b)
            yield from zip(clusters, [*clusters[1:], b])

    def draw(self, canvas: Image.Image, line: tuple[int, int], box: tuple[float, float], baseline: float,
             shades: range) -> list[Overlay]:
        """One line in `box` (left, right), aligned to the paragraph's start
        side, into `canvas`, a palette image: a pixel a glyph covers takes the
        index in `shades` (ground to full colour) nearest its coverage. Colour
        emoji need colours no such palette has: they come back as overlays,
        to paint on the card in colour."""
        runs = self.display_runs(line)
        widths = [self._run_width(run) for run in runs]
        x = box[1] - sum(widths) if self.rtl else box[0]
        overlays: list[Overlay] = []
        for run, width in zip(runs, widths):
            overlays += self._draw_run(canvas, run, x, baseline, shades)
            x += width
        return overlays

    def display_runs(self, line: tuple[int, int]) -> list[Run]:
        """A line's runs, its trailing spaces left out, in the order they are drawn from the left."""
        runs = self.runs(line[0], _trim(self.text, *line))
        return [runs[i] for i in display_order([run.level for run in runs])]

    def _draw_run(self, canvas: Image.Image, run: Run, x: float, baseline: float, shades: range) -> list[Overlay]:
        face, text, rtl = self.fonts.faces[run.face], self.text[run.start:run.end], run.level % 2 == 1
        if face.colour:
            emoji = _emoji(face, text, _dir(rtl), self.size)
            return [Overlay(emoji, (round(x), round(baseline - 0.88 * emoji.height)))]
        # Word by word, so that a word drawn once is pasted wherever it recurs;
        # no script joins or shapes across a space.
        words = _WORD.findall(text)
        for word in reversed(words) if rtl else words:
            glyphs = _glyphs(face, self.size, word, _dir(rtl), shades)
            if glyphs:
                ink, covered, (dx, dy) = glyphs
                canvas.paste(ink, (round(x) + dx, round(baseline) + dy), covered)
            x += self.fonts.length(run.face, self.size, word, rtl)
        return []


_WORD = re.compile(r"\s*\S+\s*|\s+")  # a word and the spaces after it


@dataclass(frozen=True)
class Overlay:
    image: Image.Image  # RGBA
    at: tuple[int, int]  # its top left corner on the card


@functools.lru_cache(maxsize=4096)  # headlines share most of their words
def _glyphs(face: Face, size: int, text: str, direction: str, shades: range):
    """The palette indexes of a word's pixels, the pixels it covers, and
    their top left corner from the word's start on the baseline; None for
    a word with no ink."""
    font = _font(face, size)
    ascent, descent = font.getmetrics()
    pad = size  # room for what reaches past the font's ascent, descent and advance
    coverage = Image.new("L", (math.ceil(font.getlength(text, direction=direction)) + 2 * pad, ascent + descent + 2 * pad))
    ImageDraw.Draw(coverage).text((pad, pad + ascent), text, font=font, fill=255, anchor="ls", direction=direction)
    box = coverage.getbbox()
    if box is None:
        return None
    coverage = coverage.crop(box)
    step = [round(c * (len(shades) - 1) / 255) for c in range(256)]
    ink = coverage.point([shades[s] for s in step]).convert("P")  # the same indexes, as the card's mode
    covered = coverage.point([255 if s else 0 for s in step], "1")
    return ink, covered, (box[0] - pad, box[1] - pad - ascent)


@functools.lru_cache(maxsize=512)
def _emoji(face: Face, text: str, direction: str, size: int) -> Image.Image:
    """Colour emoji, drawn from their bitmaps' size and scaled to `size`;
    the baseline at 88% of the height."""
    font = _font(face, EMOJI_STRIKE)
    width = max(1, math.ceil(font.getlength(text, direction=direction)))
    height = round(EMOJI_STRIKE * 1.17)
    glyphs = Image.new("RGBA", (width, height))
    ImageDraw.Draw(glyphs).text((0, 0.88 * height), text, font=font, anchor="ls", direction=direction, embedded_color=True)
    scale = size / EMOJI_STRIKE
    return glyphs.resize((max(1, round(width * scale)), max(1, round(height * scale))), Image.Resampling.LANCZOS)


def _trim(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


MAX_CHARACTERS = 400  # more than any card shows: the rest is cut before layout


def one_line(text: str) -> str:
    """Line and paragraph breaks (which raqm refuses) and tabs as spaces:
    a card wraps text itself."""
    return "".join(" " if unicodedata.category(c) in ("Zl", "Zp", "Cc") else c for c in text)


def fit(text: str, fonts: Fonts, sizes: tuple[int, ...], max_width: float, max_lines, default_rtl: bool):
    """The largest size at which `text` fits in `max_lines(size)` lines;
    at the smallest size, what fits, ending in an ellipsis."""
    text = one_line(text)
    if len(text) > MAX_CHARACTERS:
        bounds = _cluster_bounds(text, fonts.lang)
        text = text[:bounds[bisect.bisect_right(bounds, MAX_CHARACTERS) - 1]] + ELLIPSIS
    for size in sizes:
        paragraph = Paragraph(text, fonts, size, default_rtl)
        lines = paragraph.lines(max_width)
        if len(lines) <= max_lines(size):
            return paragraph, lines
    return _shortened(paragraph, lines[: max_lines(size)], max_width, default_rtl)


def _shortened(paragraph: Paragraph, lines: list[tuple[int, int]], max_width: float, default_rtl: bool):
    """The text up to a break in the last line that fits, and an ellipsis:
    the latest such break between words, else between characters."""
    text, (first, last) = paragraph.text, lines[-1]
    words = [a for a, _ in paragraph.pieces() if first < a <= last]
    characters = paragraph.clusters(first + 1, last + 1)
    for end in [*words[::-1], *characters[::-1]]:
        shorter = Paragraph(text[:end].rstrip() + ELLIPSIS, paragraph.fonts, paragraph.size, default_rtl)
        shorter_lines = shorter.lines(max_width)
        if len(shorter_lines) <= len(lines):
            return shorter, shorter_lines
    return shorter, shorter_lines[: len(lines)]

