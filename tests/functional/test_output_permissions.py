"""output/ gets the umask's modes on every build (issue 15, item 14).

The first build's output/ was a private staging folder (0700) and the next one's a linked tree (0755),
so a web server running as another user failed one build in two.
"""

from __future__ import annotations

import os
import stat

import pytest


@pytest.fixture(params=[0o022, 0o027], ids=["umask-022", "umask-027"])
def umask(request):
    previous = os.umask(request.param)
    yield request.param
    os.umask(previous)


def _modes(output) -> set[tuple[str, int]]:
    found = {("dir", stat.S_IMODE(output.stat().st_mode))}
    for path in output.rglob("*"):
        if path.name.startswith(".") and path.parent == output:
            continue  # the marker
        found.add(("dir" if path.is_dir() else "file", stat.S_IMODE(path.stat().st_mode)))
    return found


def test_every_build_leaves_the_umask_modes(site, umask):
    expected = {("dir", 0o777 & ~umask), ("file", 0o666 & ~umask)}
    site.article("a", "Story A", tags="[x]")
    site.article("b", "Story B", date="2020-01-02")
    steps = [
        lambda: None,  # the first build: a staged tree renamed into place
        lambda: site.article("a", "Story A", body="Edited.", tags="[x]"),  # a full link of the tree
        lambda: site.article("c", "Story C", date="2020-01-03", tags="[y]"),  # the spare brought up to date
        lambda: site.article("b", "Story B", date="2020-01-02", body="Again."),
        lambda: None,  # nothing changed
    ]
    for number, step in enumerate(steps):
        step()
        site.build(jobs=1)
        assert _modes(site.output) == expected, f"build {number + 1}"
