"""How long drawing social cards takes, and how large they are.

    .venv/bin/python benchmarks/cards.py [--cards 200] [--out FOLDER]

Draws N cards in this one process, as a build's card stage does: the
headlines cycle through Latin, Arabic, Hebrew, Chinese, Japanese and
Latin with colour emoji, numbered so that no two cards are alike; the
cards of a story share its kicker and counts. Prints the CPU seconds of
the first card (fonts opened, nothing cached yet) and of all N, and the
cards' mean and largest size. With --out, writes each script's first
card there as a PNG to look at.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from generator.cards import Card, draw_card

HEADLINES = {
    "en": "Talks on a ceasefire resume in Cairo as mediators press both sides, round {n}",
    "ar": "استئناف محادثات وقف إطلاق النار في القاهرة مع ضغط الوسطاء على الطرفين، الجولة {n}",
    "he": "השיחות על הפסקת אש מתחדשות בקהיר והמתווכים לוחצים על שני הצדדים, סבב {n}",
    "zh-Hans": "停火谈判在开罗恢复，调解人向双方施压，第{n}轮",
    "ja": "カイロで停戦協議が再開、仲介国が双方に圧力　第{n}回",
    "emoji": "Crowds celebrate 🎉👏🏽 in Rafah as talks resume 🇪🇬🇶🇦, round {n}",
}
COUNTS = (("confirmed", "3 confirmed"), ("reported", "2 reported"), ("disputed", "1 disputed"))


def cards(n: int) -> list[tuple[str, Card]]:
    scripts = list(HEADLINES)
    made = []
    for i in range(n):
        script = scripts[i % len(scripts)]
        lang = "en" if script == "emoji" else script
        story = f"Gaza truce negotiations {i // 20}"
        made.append((script, Card("Gaza truce briefing", story, HEADLINES[script].format(n=i), COUNTS[: 1 + i % 3], lang)))
    return made


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cards", type=int, default=200)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    sizes, shown = [], set()
    start = time.process_time()
    for script, card in cards(args.cards):
        data = draw_card(card)
        if not sizes:
            first = time.process_time() - start
        sizes.append(len(data))
        if args.out and script not in shown:
            shown.add(script)
            args.out.mkdir(parents=True, exist_ok=True)
            (args.out / f"{script}.png").write_bytes(data)
    total = time.process_time() - start
    print(f"{args.cards} cards: {total:.2f} s CPU ({1000 * total / args.cards:.1f} ms a card; the first {1000 * first:.0f} ms), "
          f"{sum(sizes) / len(sizes) / 1000:.1f} KB a card on average, {max(sizes) / 1000:.1f} KB the largest")


if __name__ == "__main__":
    main()
