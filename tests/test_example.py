"""The bundled example story keeps its review notes: every claim id it uses
is listed, with the article sentence it rests on, in the story's README.md."""
from __future__ import annotations

import re

from conftest import EXAMPLE_PROJECT
from generator.build import check_project

STORY = EXAMPLE_PROJECT / "briefs/gaza-truce-talks"


def test_every_claim_id_of_the_example_is_listed_in_its_readme():
    listed = set(re.findall(r"^\| `([a-z0-9-]+)` \|", (STORY / "README.md").read_text(encoding="utf-8"), re.MULTILINE))
    entry = next(e for e in check_project(EXAMPLE_PROJECT).stories if e.story.slug == STORY.name)
    used = {claim.id for brief in entry.briefs for claim in brief.what_we_know}
    assert None not in used, "every claim of the example has an id"
    assert used <= listed, f"claim ids missing from {STORY / 'README.md'}: {sorted(used - listed)}"
