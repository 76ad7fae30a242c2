"""Where `make test` installs the npm auditors (Nu Html Checker, Lighthouse)."""
from __future__ import annotations

from pathlib import Path

import pytest

NODE_MODULES = Path(__file__).resolve().parent.parent / ".tools" / "node" / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
LIGHTHOUSE = NODE_MODULES / ".bin" / "lighthouse"

# One page of each kind a reader meets, as paths under the site root.
HOME = ""
HUB = "gaza-truce-talks/"
BRIEF = "gaza-truce-talks/2024-05-07-cairo-talks-resume/"
GUIDE = "guide/"
TAGS = "tags/"


def require(tool: Path) -> Path:
    if not tool.exists():
        pytest.fail(f"{tool} is missing: run `make test`, which installs the npm auditors")
    return tool
