"""The command line as users run it: a real subprocess for the console script."""

import subprocess
import sys

from tests.helpers import REPO


def run(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "site_builder.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


def test_version_and_help():
    assert run("--version").stdout.startswith("site-builder ")
    help_text = run("--help").stdout
    for command in ("build", "init", "new"):
        assert command in help_text
    build_help = run("build", "--help").stdout
    for option in ("--site", "--output", "--drafts", "--future", "--base-url", "--verbose", "--quiet"):
        assert option in build_help


def test_bad_front_matter_exits_non_zero_without_traceback(tmp_path):
    run("init", str(tmp_path / "s"), "-q")
    (tmp_path / "s/content/bad.md").write_text("---\ntitle: ok\ndate: 2017-13-01\n---\nx\n")
    result = run("build", "--site", str(tmp_path / "s"))
    assert result.returncode == 1
    assert "content/bad.md:3: field 'date'" in result.stderr
    assert "Traceback" not in result.stderr
    verbose = run("build", "--site", str(tmp_path / "s"), "--verbose")
    assert "Traceback" in verbose.stderr


def test_output_and_base_url_options(tmp_path):
    run("init", str(tmp_path / "s"), "-q")
    result = run("build", "--site", str(tmp_path / "s"), "--output", str(tmp_path / "out"),
                 "--base-url", "https://example.org/news/", "-q")  # fmt: skip
    assert result.returncode == 0 and result.stdout == ""
    assert 'href="/news/' in (tmp_path / "out/index.html").read_text()


def test_this_repository_site_builds(tmp_path):
    """The README's `site-builder build` on this repository's own content/ and templates/."""
    result = run("build", "--site", str(REPO), "--output", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert "articles" in result.stdout
    seed = (tmp_path / "out/articles").glob("no-positive-shift*/index.html")
    page = next(seed).read_text()
    for slug in (
        "vladimir-putin",
        "rex-tillerson",
        "donald-trump",
        "dmitry-peskov",
        "sergey-lavrov",
        "barack-obama",
    ):
        assert f'href="/people/{slug}/"' in page
        assert (tmp_path / f"out/people/{slug}/index.html").exists()
