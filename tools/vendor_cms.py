"""Vendor the editing form's npm files at the versions pinned in generator/admin/package-lock.json.

`make lock` runs this: for each package, npm fetches its tarball (`npm pack`,
nothing installed, no install scripts), its SHA-512 must equal the lock's
integrity hash, and the one file the form needs becomes its vendored copy in
generator/admin/. With `--check`, each vendored copy must equal the
tarball's, byte for byte. Publishing never needs npm: the site serves the copies.
"""
from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ADMIN = Path(__file__).resolve().parent.parent / "generator" / "admin"
# (package, file in its tarball, vendored name); a path ending in "/" is a folder, vendored whole
VENDORED = [
    ("@sveltia/cms", "package/dist/sveltia-cms.js", "sveltia-cms.js"),  # an IIFE needing no other chunk
    # The icon font the CMS asks cdn.jsdelivr.net for (the same file); icons.css points the icons at it.
    ("@fontsource-variable/material-symbols-outlined",
     "package/files/material-symbols-outlined-latin-wght-normal.woff2", "material-symbols-outlined.woff2"),
    # The YAML library's browser build (ES modules importing each other): form.js edits a brief's own
    # text with it, so a save changes only the lines of what changed (docs/cms.md).
    ("yaml", "package/browser/dist/", "yaml/dist/"),
    ("yaml", "package/LICENSE", "yaml/LICENSE"),  # ISC: the notice travels with the copy
    # The letters table the CMS's slugs are made with (bundled in sveltia-cms.js, the same
    # table): `briefs new` names files with it too (generator/schema.py slugify). Not served.
    ("@sindresorhus/transliterate", "package/replacements.js", "transliterate/replacements.js"),
    ("@sindresorhus/transliterate", "package/license", "transliterate/license"),
]


def pinned(package: str) -> tuple[str, str]:
    """The locked version and its integrity hash."""
    lock = json.loads((ADMIN / "package-lock.json").read_text(encoding="utf-8"))
    entry = lock["packages"][f"node_modules/{package}"]
    return entry["version"], entry["integrity"]


def verified_files(package: str, member_path: str, version: str, integrity: str) -> dict[str, bytes]:
    """The tarball's file at `member_path`, or its files under that folder, by path relative to it."""
    algorithm, _, expected = integrity.partition("-")
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["npm", "pack", f"{package}@{version}", "--pack-destination", folder, "--silent"],
                       check=True, stdout=subprocess.DEVNULL)
        tarball = next(Path(folder).glob("*.tgz"))
        digest = base64.b64encode(hashlib.new(algorithm, tarball.read_bytes()).digest()).decode()
        if digest != expected:
            sys.exit(f"{package}@{version}: the tarball's {algorithm} is {digest}, the lock says {expected}; nothing vendored")
        with tarfile.open(tarball) as archive:
            members = [m for m in archive.getmembers() if m.isfile() and
                       (m.name.startswith(member_path) if member_path.endswith("/") else m.name == member_path)]
            assert members, f"{member_path} missing from {package}@{version}"
            return {m.name.removeprefix(member_path): archive.extractfile(m).read() for m in members}


def vendored_files(target: Path) -> dict[str, bytes]:
    if target.is_file():
        return {"": target.read_bytes()}
    return {p.relative_to(target).as_posix(): p.read_bytes() for p in target.rglob("*") if p.is_file()}


def main(argv: list[str]) -> int:
    differs = 0
    for package, member_path, name in VENDORED:
        version, integrity = pinned(package)
        content = verified_files(package, member_path, version, integrity)
        target = ADMIN / name
        if "--check" in argv:
            if vendored_files(target) != content:
                print(f"{target} is not {package}@{version}'s {member_path}: run `make lock`", file=sys.stderr)
                differs = 1
            else:
                print(f"{name} is {package}@{version}'s, integrity checked")
            continue
        if target.is_dir():
            shutil.rmtree(target)  # no file of an older version stays behind
        for path, data in content.items():
            (target / path).parent.mkdir(parents=True, exist_ok=True)
            (target / path).write_bytes(data)
        size = sum(map(len, content.values()))
        print(f"vendored {name} from {package}@{version} ({len(content)} files, {size:,} bytes), integrity {integrity[:20]}... checked")
    return differs


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
