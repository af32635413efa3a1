"""Median wall time of a one-edit rebuild, for one or more site-builder commands on the same site.

A synthetic archive of tiny articles (YAML front matter: title, date, tags) is written once; each
command then builds it cold, and for every run one article's body is edited and each command rebuilds
(`site-builder build --site DIR -q`), alternating, so both see the same machine load. Each command
gets its own copy of the site, so their output/ and caches never mix.

    python benchmarks/one_edit.py --articles 10000 --runs 5 \\
        /work/venv/bin/site-builder /work/venv-commit/bin/site-builder

Not part of the test suite.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path


def write_site(root: Path, articles: int) -> None:
    content = root / "content"
    content.mkdir(parents=True)
    (root / "site.toml").write_text('title = "One edit"\nbase_url = "https://example.org/"\n')
    for n in range(articles):
        (content / f"a{n:05d}.md").write_text(article(n, "First"))


def article(n: int, body: str) -> str:
    date = f"20{10 + n % 15:02d}-{n % 12 + 1:02d}-{n % 28 + 1:02d}"
    return f"---\ntitle: Story {n}\ndate: {date}\ntags: [t{n % 50}, s{n % 7}]\n---\n\n{body} body of {n}.\n"


def build(command: str, root: Path) -> float:
    started = time.perf_counter()
    subprocess.run([command, "build", "--site", str(root), "-q"], check=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("commands", nargs="+", help="site-builder executables to compare")
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    options = parser.parse_args()
    work = options.keep or Path(tempfile.mkdtemp(prefix="one-edit-"))
    template = work / "template"
    if not template.exists():
        write_site(template, options.articles)
    sites = []
    for index, command in enumerate(options.commands):
        site = work / f"site{index}"
        shutil.rmtree(site, ignore_errors=True)
        shutil.copytree(template, site)
        print(f"cold build {command}: {build(command, site):.2f} s", flush=True)
        sites.append(site)
    times: list[list[float]] = [[] for _ in options.commands]
    for run in range(options.runs):
        for index, command in enumerate(options.commands):
            edited = sites[index] / "content" / f"a{(run * 37) % options.articles:05d}.md"
            edited.write_text(article((run * 37) % options.articles, f"Edit {run}"))
            times[index].append(build(command, sites[index]))
    for command, measured in zip(options.commands, times, strict=True):
        shown = " ".join(f"{t:.2f}" for t in measured)
        print(f"{command}: median {statistics.median(measured):.2f} s  ({shown})")
    if options.keep is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
