"""A preview runs for hours: its saves must not pile up renderers or memory."""
from __future__ import annotations

import gc

from generator.render import Renderer
from generator.serve import Preview
from generator.settings import SiteAddress


def live_renderers() -> int:
    gc.collect()
    return sum(isinstance(thing, Renderer) for thing in gc.get_objects())


def test_fifty_preview_saves_keep_renderers_and_memory_flat(project, tmp_path):
    preview = Preview(project, tmp_path / "preview", SiteAddress.preview("127.0.0.1", 8000), report=lambda problems: None)
    brief = project / "briefs/test-story/2024-05-07-first.yaml"
    original = brief.read_text(encoding="utf-8")

    def save(n: int) -> None:
        brief.write_text(original.replace("Something is known.", f"Something is known, take {n}."), encoding="utf-8")
        preview.build()

    for n in range(5):  # caches fill on the first saves
        save(n)
    renderers = live_renderers()
    objects = len(gc.get_objects())
    for n in range(5, 55):
        save(n)
    assert live_renderers() <= max(renderers, 1)
    gc.collect()
    grown = len(gc.get_objects()) - objects
    assert grown < 2_000, f"50 saves left {grown} more live objects"
