"""Faults of the machine give a located error, never a traceback, and the next build recovers by itself
(issue 15, items 12 and 13): a full disk, and folders or files of the site that cannot be read or
written. Builds run through the real CLI; as root, permission checks are made real by dropping the
capabilities that bypass them (setpriv), and the full disk is a small tmpfs in a private mount
namespace (unshare).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

CLI = [sys.executable, "-m", "site_builder.cli", "build", "--site"]
DROP = [
    "setpriv",
    "--inh-caps=-dac_override,-dac_read_search",
    "--bounding-set=-dac_override,-dac_read_search",
]


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _make_site(root: Path, articles: int = 3) -> Path:
    site = root / "site"
    (site / "content").mkdir(parents=True)
    (site / "static").mkdir()
    (site / "templates").mkdir()
    (site / "site.toml").write_text('title = "Faults"\nbase_url = "https://example.org/"\n')
    (site / "static" / "robots-extra.txt").write_text("extra\n")
    (site / "templates" / "extra.html").write_text("{# a site template #}\n")
    for number in range(articles):
        (site / "content" / f"a{number}.md").write_text(
            f"---\ntitle: Story {number}\ndate: 2020-01-0{number % 9 + 1}\ntags: [t{number}]\n---\n\nBody.\n"
        )
    return site


def _fresh(site: Path, root: Path) -> dict[str, bytes]:
    fresh = root / "fresh"
    shutil.rmtree(fresh, ignore_errors=True)
    shutil.copytree(site, fresh, ignore=shutil.ignore_patterns("output", ".site-cache"))
    subprocess.run([*CLI, str(fresh), "-q"], check=True)
    return _tree(fresh / "output")


def _unprivileged() -> list[str]:
    if os.geteuid() != 0:
        return []
    if not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv: permission checks cannot be made real")
    return DROP


def _edit(site: Path) -> None:
    (site / "content" / "a0.md").write_text("---\ntitle: Story 0 edited\ndate: 2020-01-01\n---\n\nNew.\n")


PERMISSION_CASES = {
    "content-folder": ("content/sub", 0o000, "cannot be read: Permission denied"),
    "content-file": ("content/a1.md", 0o000, "cannot be read: Permission denied"),
    "settings": ("site.toml", 0o000, "cannot be read: Permission denied"),
    "static-file": ("static/robots-extra.txt", 0o000, "permission denied"),
    "template": ("templates/extra.html", 0o000, "permission denied"),
    "cache-folder": (".site-cache", 0o555, "permission denied: cannot create files in this folder"),
    "cache-database": (".site-cache/cache.sqlite", 0o444, "the build cache is read-only"),
    "output-folder": ("output", 0o555, "permission denied"),
}


@pytest.mark.parametrize("case", PERMISSION_CASES, ids=list(PERMISSION_CASES))
def test_a_path_the_build_may_not_use_is_a_located_error(tmp_path, case):
    relative, mode, message = PERMISSION_CASES[case]
    site = _make_site(tmp_path)
    (site / "content" / "sub").mkdir()
    subprocess.run([*CLI, str(site), "-q"], check=True)
    published = _tree(site / "output")
    _edit(site)
    target = site / relative
    before = target.stat().st_mode
    target.chmod(mode)
    try:
        result = subprocess.run([*_unprivileged(), *CLI, str(site)], capture_output=True, text=True)
    finally:
        target.chmod(before)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"error: {site}/"), result.stderr
    assert message in result.stderr, result.stderr
    assert sorted(p.name for p in site.iterdir()) == [
        ".site-cache",
        "content",
        "output",
        "site.toml",
        "static",
        "templates",
    ]
    assert _tree(site / "output") == published  # the complete last site, untouched
    again = subprocess.run([*CLI, str(site)], capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert _tree(site / "output") == _fresh(site, tmp_path)


def _can_mount() -> bool:
    return bool(shutil.which("unshare")) and subprocess.run(["unshare", "-rm", "true"]).returncode == 0


@pytest.mark.skipif(not _can_mount(), reason="needs unshare -rm (user and mount namespaces)")
@pytest.mark.parametrize("first", [False, True], ids=["incremental", "first-build"])
def test_a_full_disk_is_a_located_error_and_the_next_build_recovers(tmp_path, first):
    """The site on a 4 MB tmpfs filled to leave a little room, at several levels, so that the disk
    fills at different steps (parsing into the cache, staging, the commit, the records)."""
    site = _make_site(tmp_path / "model", articles=40)
    disk, results = tmp_path / "disk", tmp_path / "results"
    disk.mkdir()
    results.mkdir()
    build = " ".join([*CLI, "$S"])
    script = textwrap.dedent(
        f"""
        mount -t tmpfs -o size=4m none {disk}
        for leave in 8 120 300 700; do
          rm -rf {disk}/*
          cp -r {site} {disk}/site
          S={disk}/site
          {"" if first else f"{build} -q || exit 9"}
          for f in $S/content/*.md; do echo "Edited at $leave." >> $f; done
          avail=$(df -k {disk} | tail -1 | awk '{{print $4}}')
          dd if=/dev/zero of={disk}/fill bs=1k count=$((avail - leave)) 2>/dev/null
          {build} > {results}/$leave.out 2> {results}/$leave.err; echo $? > {results}/$leave.code
          rm {disk}/fill
          R={results}/$leave
          {build} > $R.after.out 2> $R.after.err; echo $? > $R.after.code
          mkdir $R.site && cp -r $S/content $S/site.toml $S/static $S/templates $R.site/
          cp -r $S/output {results}/$leave.output
        done
        """
    )
    ran = subprocess.run(["unshare", "-rm", "sh", "-c", script], capture_output=True, text=True)
    assert ran.returncode == 0, ran.stderr
    failed = 0
    for leave in (8, 120, 300, 700):
        code = int((results / f"{leave}.code").read_text())
        error = (results / f"{leave}.err").read_text()
        assert "Traceback" not in error, error
        if code != 0:
            failed += 1
            assert code == 1 and error.startswith("error: ") and "no space left on the device" in error, error
        assert (results / f"{leave}.after.code").read_text().strip() == "0", (
            results / f"{leave}.after.err"
        ).read_text()
        assert _tree(results / f"{leave}.output") == _fresh(results / f"{leave}.site", tmp_path / f"f{leave}")
    assert failed >= 2  # the disk really filled, at different steps
