"""Nothing outside briefs/ is ever read: a symbolic link anywhere under
briefs/ is an error naming the link, never followed, its target's content
never quoted, in check, build and the GitHub annotations."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import MINIMAL_BRIEF, MINIMAL_STORY, run_briefs, write

SECRET = "Secret-outside-briefs"
REFUSED = "error: this is a symbolic link; briefs reads nothing outside briefs/"


@pytest.fixture
def outside(tmp_path_factory) -> Path:
    """A folder outside the project with a story, a brief and sources."""
    folder = tmp_path_factory.mktemp("outside")
    write(folder / "story/story.yaml", MINIMAL_STORY.replace("Test story", SECRET))
    write(folder / "story/2024-05-08-secret.yaml", MINIMAL_BRIEF.replace("A development", SECRET))
    write(folder / "sources.yaml", f"- id: secret\n  name: {SECRET}\n")
    write(folder / "not-yaml.yaml", f"{SECRET}: [unclosed\n")
    return folder


LINKS = {  # link under the project -> target, relative to the outside folder ("/..." absolute)
    "brief outside": ("briefs/test-story/2024-05-08-secret.yaml", "story/2024-05-08-secret.yaml"),
    "story folder outside": ("briefs/secret-story", "story"),
    "sources.yaml": ("briefs/sources.yaml", "sources.yaml"),
    "YAML that would quote itself": ("briefs/test-story/2024-05-08-broken.yaml", "not-yaml.yaml"),
    "/etc/passwd": ("briefs/test-story/2024-05-08-passwd.yaml", "/etc/passwd"),
    "/etc": ("briefs/etc", "/etc"),
    "hidden": ("briefs/test-story/.hidden.yaml", "story/2024-05-08-secret.yaml"),
    "dangling": ("briefs/test-story/2024-05-08-gone.yaml", "no-such-file.yaml"),
    "inside briefs/": ("briefs/test-story/2024-05-08-again.yaml", "<project>/briefs/test-story/2024-05-07-first.yaml"),
}


def _link(project: Path, outside: Path, name: str) -> str:
    link, target = LINKS[name]
    target = target.replace("<project>", str(project))
    (project / link).symlink_to(target if target.startswith("/") else outside / target)
    return link


@pytest.mark.parametrize("name", LINKS)
def test_a_symbolic_link_is_an_error_naming_it_and_is_never_followed(project: Path, outside: Path, name: str):
    link = _link(project, outside, name)
    result = run_briefs(project, "check", "--format", "github")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [f"{link}:1:1: {REFUSED} and follows no link: put the file or folder itself here",
                                          "1 error."]
    assert result.stdout.splitlines() == [f"::error file={link},line=1,col=1::" + REFUSED.removeprefix("error: ")
                                          + " and follows no link: put the file or folder itself here"]
    assert "root:" not in result.stdout + result.stderr and SECRET not in result.stdout + result.stderr


def test_a_build_with_a_link_publishes_nothing_from_outside(project: Path, outside: Path):
    assert run_briefs(project, "build").returncode == 0
    for name in ("brief outside", "story folder outside", "sources.yaml", "/etc/passwd"):
        _link(project, outside, name)
    result = run_briefs(project, "build")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.count(REFUSED) == 4
    published = "".join(p.read_text(encoding="utf-8", errors="replace") for p in (project / "site").rglob("*") if p.is_file())
    assert SECRET not in published and "root:x:0:0" not in published


def test_briefs_itself_as_a_link_is_an_error(tmp_path: Path, project: Path):
    real = tmp_path / "elsewhere"
    (project / "briefs").rename(real)
    (project / "briefs").symlink_to(real)
    result = run_briefs(project, "check")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("briefs:1:1: error: briefs/ is a symbolic link")


def _files(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8") for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize("story, link", [
    ("secret-story", "briefs/secret-story"),  # a story folder linked outside
    ("new-story", "briefs"),  # briefs/ itself
    ("test-story", "briefs/test-story/<today>-talks.yaml"),  # the very file, a dangling link
])
def test_briefs_new_writes_nothing_through_a_link(tmp_path: Path, project: Path, outside: Path, story: str, link: str):
    link = link.replace("<today>", dt.datetime.now(dt.timezone.utc).date().isoformat())  # the test site is in UTC
    if link == "briefs":
        (project / "briefs").rename(tmp_path / "real-briefs")
        (project / "briefs").symlink_to(tmp_path / "real-briefs")
    elif link.endswith(".yaml"):
        (project / link).symlink_to(outside / "story/new-file.yaml")
    else:
        (project / link).symlink_to(outside / "story")
    content = tmp_path / "real-briefs" if link == "briefs" else project / "briefs"
    before = _files(outside), _files(content)
    result = run_briefs(project, "new", story, "Talks")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr == f"briefs new: {link} is a symbolic link; briefs reads nothing outside briefs/ and follows no link: put the file or folder itself here; nothing was written\n"
    assert result.stdout == ""
    assert (_files(outside), _files(content)) == before


def test_a_linked_sources_yaml_is_one_error_not_one_per_citation(project: Path, outside: Path):
    write(project / "briefs/test-story/2024-05-08-citing.yaml",
          MINIMAL_BRIEF + "  - text: Talks.\n    status: reported\n    sources: [secret]\n")
    link = _link(project, outside, "sources.yaml")
    result = run_briefs(project, "check")
    assert result.stderr.splitlines() == [f"{link}:1:1: {REFUSED} and follows no link: put the file or folder itself here",
                                          "1 error."]
