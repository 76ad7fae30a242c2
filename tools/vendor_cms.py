"""Vendor Sveltia CMS's bundle at the version pinned in generator/admin/package-lock.json.

`make lock` runs this: npm fetches the package's tarball (`npm pack`, nothing
installed, no install scripts), its SHA-512 must equal the lock's integrity
hash, and the bundle inside it becomes generator/admin/sveltia-cms.js. With
`--check`, the vendored copy must equal the tarball's, byte for byte.
Publishing never needs npm: the site serves the vendored copy.
"""
from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ADMIN = Path(__file__).resolve().parent.parent / "generator" / "admin"
PACKAGE = "@sveltia/cms"
BUNDLE = "package/dist/sveltia-cms.js"  # the one file the site serves: an IIFE needing no other chunk


def pinned() -> tuple[str, str]:
    """The locked version and its integrity hash."""
    lock = json.loads((ADMIN / "package-lock.json").read_text(encoding="utf-8"))
    entry = lock["packages"][f"node_modules/{PACKAGE}"]
    return entry["version"], entry["integrity"]


def verified_bundle(version: str, integrity: str) -> bytes:
    algorithm, _, expected = integrity.partition("-")
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["npm", "pack", f"{PACKAGE}@{version}", "--pack-destination", folder, "--silent"],
                       check=True, stdout=subprocess.DEVNULL)
        tarball = next(Path(folder).glob("*.tgz"))
        digest = base64.b64encode(hashlib.new(algorithm, tarball.read_bytes()).digest()).decode()
        if digest != expected:
            sys.exit(f"{PACKAGE}@{version}: the tarball's {algorithm} is {digest}, the lock says {expected}; nothing vendored")
        with tarfile.open(tarball) as archive:
            member = archive.extractfile(BUNDLE)
            assert member is not None, f"{BUNDLE} missing from {PACKAGE}@{version}"
            return member.read()


def main(argv: list[str]) -> int:
    version, integrity = pinned()
    bundle = verified_bundle(version, integrity)
    target = ADMIN / "sveltia-cms.js"
    if "--check" in argv:
        if not target.is_file() or target.read_bytes() != bundle:
            print(f"{target} is not {PACKAGE}@{version}'s bundle: run `make lock`", file=sys.stderr)
            return 1
        print(f"{target.name} is {PACKAGE}@{version}, integrity checked")
        return 0
    target.write_bytes(bundle)
    print(f"vendored {PACKAGE}@{version} ({len(bundle):,} bytes), integrity {integrity[:20]}... checked")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
