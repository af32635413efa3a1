"""output/ as a mount point (a Docker volume, a bind mount) is committed in place (issue 15, item 11).

Every changed build died with EBUSY from the folder swap. The builds here run inside a private mount
namespace (``unshare -rm``) with a tmpfs mounted on output/; a build killed in the middle of such a
commit is finished by the next one, even when that one then fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from site_builder.build.output.journal import JOURNAL, commit_journaled, finish_journal
from site_builder.build.output.staging import Staging


def _can_mount() -> bool:
    if not shutil.which("unshare"):
        return False
    probe = subprocess.run(["unshare", "-rm", "true"], capture_output=True)
    return probe.returncode == 0


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _article(site: Path, name: str, title: str, body: str = "Body.") -> None:
    (site / "content" / f"{name}.md").write_text(
        f"---\ntitle: {title}\ndate: 2020-01-01\ntags: [alpha]\n---\n\n{body}\n", encoding="utf-8"
    )


@pytest.mark.skipif(not _can_mount(), reason="needs unshare -rm (user and mount namespaces)")
def test_builds_into_a_mounted_output_folder(tmp_path):
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "output").mkdir()
    (site / "site.toml").write_text('title = "Mounted"\nbase_url = "https://example.org/"\n')
    for number in range(3):
        _article(site, f"a{number}", f"Story {number}")
    seen = tmp_path / "seen"
    build = f"{sys.executable} -m site_builder.cli build --site {site}"
    script = textwrap.dedent(
        f"""
        set -e
        mount -t tmpfs none {site}/output
        test "$(stat -c %d {site}/output)" != "$(stat -c %d {site})"
        {build}
        printf -- '---\\ntitle: Story 1 edited\\ndate: 2020-01-01\\n---\\n\\nNew.\\n' > {site}/content/a1.md
        rm {site}/content/a2.md
        {build}
        {build}
        mkdir {seen} && cp -a {site}/output/. {seen}/
        """
    )
    result = subprocess.run(["unshare", "-rm", "sh", "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "EBUSY" not in result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 3 and "nothing changed" in lines[2], lines
    assert not list((site / "output").iterdir())  # everything went into the mount, nothing beside it
    assert not (site / ".site-cache" / JOURNAL).exists()
    fresh = tmp_path / "fresh"
    shutil.copytree(site, fresh, ignore=shutil.ignore_patterns("output", ".site-cache"))
    subprocess.run([sys.executable, "-m", "site_builder.cli", "build", "--site", str(fresh)], check=True)
    assert _tree(seen) == _tree(fresh / "output")


def test_an_interrupted_journaled_commit_is_finished_by_the_next_build(tmp_path, monkeypatch):
    output, cache = tmp_path / "output", tmp_path / "cache"
    output.mkdir()
    for name in ("index.html", "old/index.html", "keep.css"):
        (output / name).parent.mkdir(parents=True, exist_ok=True)
        (output / name).write_text(f"old {name}")
    staging = Staging(cache)
    new = {f"articles/a{n}/index.html": f"new {n}".encode() for n in range(5)} | {"index.html": b"new home"}
    for relative, data in new.items():
        staging.add(relative, data)
    real_replace, moves = os.replace, []

    def killed_after_three(source, target):
        if str(target).startswith(str(output)) and len(moves) == 3:
            raise KeyboardInterrupt  # the build dies here
        moves.append(target)
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", killed_after_three)
    with pytest.raises(KeyboardInterrupt):
        commit_journaled(staging, output, ["old/index.html"], cache)
    monkeypatch.setattr(os, "replace", real_replace)
    assert (cache / JOURNAL).exists() and len(moves) >= 3
    finish_journal(cache)  # what the next build does first, before it reads anything
    assert _tree(output) == {**{k: v for k, v in new.items()}, "keep.css": b"old keep.css"}
    assert not (cache / JOURNAL).exists() and not staging.root.exists()
    finish_journal(cache)  # nothing left to do
