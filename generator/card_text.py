"""Text on a social card: a font per character, right-to-left order,
shaping, wrapping and an ellipsis, drawn with Pillow.

Pillow draws one font at a time. A headline may mix scripts no single font
covers (Latin, Arabic, Hebrew, CJK, emoji), so each character gets the first
font of a fallback chain that has a glyph for it, and the text is cut into
runs of one font and one direction. Within a run, Pillow's raqm layout
(HarfBuzz, FriBidi) shapes: Arabic letters join, emoji sequences combine,
brackets mirror. The order of runs on a line is the Unicode bidirectional
algorithm's (UAX #9, resolved here for the plain text a headline is, without
explicit embeddings), which raqm cannot give across fonts.
"""
from __future__ import annotations

import bisect
import functools
import hashlib
import math
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

# Debian's Noto fonts, which the Makefile installs (fonts-noto-core,
# fonts-noto-cjk, fonts-noto-color-emoji).
FONT_DIRS = (Path("/usr/share/fonts/truetype/noto"), Path("/usr/share/fonts/opentype/noto"))
EMOJI = "NotoColorEmoji.ttf"
EMOJI_STRIKE = 109  # the one pixel size Noto Color Emoji's bitmaps come in
# Faces of the CJK collections by language, for the Han forms readers expect.
CJK_FACES = {"ja": 0, "ko": 1, "zh": 2, "zh-hans": 2, "zh-cn": 2, "zh-sg": 2, "zh-hant": 3, "zh-tw": 3, "zh-hk": 4, "zh-mo": 4}
ELLIPSIS = "\u2026"


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
def fonts_stamp() -> str:
    """Names and sizes of every font a card may use: a new font package
    version changes it, and so every cached card."""
    digest = hashlib.sha256()
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


def _attached(char: str) -> bool:
    """A character drawn with the one before it: a combining mark, a joiner,
    a variation selector, an emoji modifier or tag."""
    code = ord(char)
    return (unicodedata.category(char) in ("Mn", "Mc", "Me", "Cf") or 0xFE00 <= code <= 0xFE0F
            or 0x1F3FB <= code <= 0x1F3FF or 0xE0000 <= code <= 0xE01EF)


@functools.cache
def fonts(weight: str, lang: str) -> Fonts:
    """The fallback chain of a weight ("Regular", "Bold") for a language."""
    lang = lang.lower()
    return Fonts(_chain(weight, CJK_FACES.get(lang, CJK_FACES.get(lang.split("-")[0], 0))))


class Fonts:
    """A fallback chain; each font's character map is read the first time
    a character needs it."""

    def __init__(self, faces: tuple[Face, ...]):
        self.faces = faces
        self.chosen: dict[str, int] = {}
        self.following: dict[tuple[str, int], int] = {}  # (character, the font before it): its font

    def face_of(self, char: str) -> int:
        """The first font that has the character (the first font if none has)."""
        found = self.chosen.get(char)
        if found is None:
            code = ord(char)
            found = next((i for i, face in enumerate(self.faces) if code in _cmap(face)), 0)
            self.chosen[char] = found
        return found

    def faces_of(self, text: str) -> list[int]:
        """A font per character. A character stays in the font of the one
        before it when that font has it (spaces, digits and punctuation
        inside Arabic keep Arabic metrics), except in the emoji font, which
        keeps only what joins an emoji; invisible joiners and selectors
        always stay."""
        faces: list[int] = []
        previous = -1
        for char in text:
            face = self.following.get((char, previous))
            if face is None:
                face = previous if previous >= 0 and self._stays(char, previous) else self.face_of(char)
                self.following[char, previous] = face
            faces.append(face)
            previous = face
        return faces

    def _stays(self, char: str, face: int) -> bool:
        if _invisible(char):
            return True
        if self.faces[face].colour and not _attached(char):
            return False
        return ord(char) in _cmap(self.faces[face])

    def has_colour(self, text: str) -> bool:
        """Whether any character of the text is a colour emoji."""
        return any(self.faces[self.face_of(char)].colour for char in text)

    def has_glyph(self, char: str) -> bool:
        return ord(char) in _cmap(self.faces[self.face_of(char)])

    @functools.lru_cache(maxsize=65536)  # words recur across cards and wrapping attempts
    def length(self, face: int, size: int, text: str, rtl: bool) -> float:
        if self.faces[face].colour:
            return _font(self.faces[face], EMOJI_STRIKE).getlength(text, direction=_dir(rtl)) * size / EMOJI_STRIKE
        return _font(self.faces[face], size).getlength(text, direction=_dir(rtl))


def _dir(rtl: bool) -> str:
    return "rtl" if rtl else "ltr"


# --- bidirectional levels (UAX #9 without explicit embeddings) -------------

_STRONG = {"L": "L", "R": "R", "AL": "R"}
_NEUTRAL = {"B", "S", "WS", "ON", "BN", "LRE", "LRO", "RLE", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"}


def base_rtl(text: str, default_rtl: bool) -> bool:
    """The paragraph's direction: its first strong character's (rules P2, P3)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in _STRONG:
            return kind != "L"
    return default_rtl


def bidi_levels(text: str, rtl: bool) -> list[int]:
    """The embedding level of each character: even left-to-right, odd right-to-left."""
    base = 1 if rtl else 0
    sos = "R" if rtl else "L"
    kinds = _weak_types([unicodedata.bidirectional(c) or "L" for c in text], sos)
    kinds = _neutral_types(kinds, sos)
    levels = []
    for kind in kinds:
        if base == 0:
            levels.append(0 if kind == "L" else 1 if kind == "R" else 2)
        else:
            levels.append(1 if kind == "R" else 2)
    return levels


def _weak_types(kinds: list[str], sos: str) -> list[str]:
    previous, strong = sos, sos
    for i, kind in enumerate(kinds):
        if kind == "NSM":  # W1
            kind = "ON" if previous in _NEUTRAL else previous
        if kind in _STRONG:
            strong = kind
        elif kind == "EN" and strong == "AL":  # W2
            kind = "AN"
        kinds[i] = previous = kind
    kinds = ["R" if k == "AL" else k for k in kinds]  # W3
    for i in range(1, len(kinds) - 1):  # W4
        if kinds[i] == "ES" and kinds[i - 1] == kinds[i + 1] == "EN":
            kinds[i] = "EN"
        elif kinds[i] == "CS" and kinds[i - 1] == kinds[i + 1] and kinds[i - 1] in ("EN", "AN"):
            kinds[i] = kinds[i - 1]
    for i, kind in enumerate(kinds):  # W5: a run of ET next to a European number
        if kind == "ET":
            j = i
            while j < len(kinds) and kinds[j] == "ET":
                j += 1
            if (i and kinds[i - 1] == "EN") or (j < len(kinds) and kinds[j] == "EN"):
                kinds[i:j] = ["EN"] * (j - i)
    kinds = ["ON" if k in ("ES", "ET", "CS") else k for k in kinds]  # W6
    strong = sos
    for i, kind in enumerate(kinds):  # W7
        if kind in ("L", "R"):
            strong = kind
        elif kind == "EN" and strong == "L":
            kinds[i] = "L"
    return kinds


def _neutral_types(kinds: list[str], sos: str) -> list[str]:
    """N1, N2: neutrals between two of one direction take it, others the paragraph's."""
    def side(kind: str) -> str:
        return "L" if kind == "L" else "R"

    out, i = list(kinds), 0
    while i < len(kinds):
        if kinds[i] not in _NEUTRAL:
            i += 1
            continue
        j = i
        while j < len(kinds) and kinds[j] in _NEUTRAL:
            j += 1
        before = side(kinds[i - 1]) if i else sos
        after = side(kinds[j]) if j < len(kinds) else sos
        out[i:j] = [before if before == after else sos] * (j - i)
        i = j
    return out


def visual_order(levels: list[int]) -> list[int]:
    """Indexes of items in display order (rule L2): from the highest level
    down to the lowest odd one, reverse every run at that level or above."""
    order = list(range(len(levels)))
    if not levels:
        return order
    odd = [level for level in levels if level % 2]
    for level in range(max(levels), (min(odd) if odd else max(levels) + 1) - 1, -1):
        i = 0
        while i < len(order):
            if levels[order[i]] < level:
                i += 1
                continue
            j = i
            while j < len(order) and levels[order[j]] >= level:
                j += 1
            order[i:j] = order[i:j][::-1]
            i = j
    return order


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
    pieces: list[tuple[int, int]]


@functools.lru_cache(maxsize=64)  # a text is laid out at each size until it fits
def _analysis(text: str, fonts: Fonts, default_rtl: bool) -> Analysis:
    rtl = base_rtl(text, default_rtl)
    levels, faces = bidi_levels(text, rtl), fonts.faces_of(text)
    bounds = [0, *(i for i in range(1, len(text)) if levels[i] != levels[i - 1] or faces[i] != faces[i - 1]), len(text)]
    cuts = [0, *(i for i in range(1, len(text)) if _break_between(text[i - 1], text[i]))]
    return Analysis(rtl, levels, faces, bounds, list(zip(cuts, [*cuts[1:], len(text)])))


class Paragraph:
    """One text in one weight and size: its characters' fonts and levels."""

    def __init__(self, text: str, fonts: Fonts, size: int, default_rtl: bool):
        self.text, self.fonts, self.size = text, fonts, size
        analysis = _analysis(text, fonts, default_rtl)
        self.rtl, self.levels, self.faces, self._bounds = analysis.rtl, analysis.levels, analysis.faces, analysis.bounds
        self._pieces = analysis.pieces

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
        """Spans between line-break opportunities: after spaces, and around
        CJK characters, which break anywhere."""
        return self._pieces

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
            clusters = [i for i in range(a, b) if i == a or not _attached(self.text[i])]
            yield from zip(clusters, [*clusters[1:], b])

    def draw(self, canvas: Image.Image, line: tuple[int, int], box: tuple[float, float], baseline: float,
             shades: range) -> list[Overlay]:
        """One line in `box` (left, right), aligned to the paragraph's start
        side, into `canvas`, a palette image: a pixel a glyph covers takes the
        index in `shades` (ground to full colour) nearest its coverage. Colour
        emoji need colours no such palette has: they come back as overlays,
        to paint on the card in colour."""
        start, end = line[0], _trim(self.text, *line)
        runs = self.runs(start, end)
        widths = [self._run_width(run) for run in runs]
        x = box[1] - sum(widths) if self.rtl else box[0]
        overlays: list[Overlay] = []
        for i in visual_order([run.level for run in runs]):
            overlays += self._draw_run(canvas, runs[i], x, baseline, shades)
            x += widths[i]
        return overlays

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


@functools.lru_cache(maxsize=65536)
def _break_between(before: str, after: str) -> bool:
    """Whether a line may break between two characters: after a space, and
    before or after a CJK character, but never before a mark or a space."""
    if _attached(after) or after.isspace() or not _may_break(before, after):
        return False
    return before.isspace() or _wide(before) or _wide(after)


def _may_break(before: str, after: str) -> bool:
    """No line starts with a closing mark or ends with an opening one ("，" "」" "(")."""
    return unicodedata.category(after) not in ("Po", "Pe", "Pf") and unicodedata.category(before) not in ("Ps", "Pi")


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F") and unicodedata.category(char)[0] == "L"


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
        text = text[:_cluster_start(text, MAX_CHARACTERS)] + ELLIPSIS
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
    characters = [i for i in range(first + 1, last + 1) if i == len(text) or not _attached(text[i])]
    for end in [*words[::-1], *characters[::-1]]:
        shorter = Paragraph(text[:end].rstrip() + ELLIPSIS, paragraph.fonts, paragraph.size, default_rtl)
        shorter_lines = shorter.lines(max_width)
        if len(shorter_lines) <= len(lines):
            return shorter, shorter_lines
    return shorter, shorter_lines[: len(lines)]


def _cluster_start(text: str, index: int) -> int:
    while index > 0 and _attached(text[index]):
        index -= 1
    return index
