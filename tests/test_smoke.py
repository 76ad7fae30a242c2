from conftest import run_briefs, ROOT


def test_bundled_briefs_check_clean():
    result = run_briefs(ROOT, "check")
    assert result.returncode == 0
    assert result.stdout == "" and result.stderr == ""
