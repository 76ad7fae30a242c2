"""Our copies of Material's partials stay true to the Material installed:
each was made from the original whose hash is kept here, so a Material
upgrade that changes an original fails until the copy takes the change in."""
from __future__ import annotations

import hashlib
from pathlib import Path

import material
import pytest

from conftest import ROOT

MATERIAL_PARTIALS = Path(material.__file__).parent / "templates/partials"

# overrides/partials/<name>: sha256 of the Material original it was made from.
COPIED_FROM = {
    "nav.html": "af33f6e032f632eb055c365eb5f1a975bf8456152fa768e69a1aad6d470b843f",
    "copyright.html": "bc86bca3bf75070fe5d72e2a3463bdddf87c10f4d6459c945fe81c5d384e35ea",
}


@pytest.mark.parametrize("name", COPIED_FROM)
def test_material_original_is_the_one_our_copy_was_made_from(name):
    assert (ROOT / "overrides/partials" / name).exists()
    original = hashlib.sha256((MATERIAL_PARTIALS / name).read_bytes()).hexdigest()
    assert original == COPIED_FROM[name], (
        f"Material's partials/{name} changed since overrides/partials/{name} was made from it: "
        f"bring its change into our copy, then put the new hash here")
