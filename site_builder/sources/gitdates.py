"""Article dates from git history, for sites whose front matter has none (``git_dates = true``).

One ``git log`` over the content folder gives every file's history at once (a process per file would
take minutes on a large archive). ``date`` is the author date of the commit that added the file and
``updated`` the author date of the last commit that changed it; renames are followed inside the same
pass (``-M``), so moving an article into a sub-folder keeps its original date.

Front matter always wins. ``updated`` is only filled when the file really changed after it was added
(and after its date), so importing a 2005 archive into git in 2026 does not stamp every article
"updated 2026".
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterable, Iterator
from pathlib import Path

from site_builder.config import SiteConfig
from site_builder.errors import SiteError
from site_builder.model.article import Article
from site_builder.sources.reader import article_url

RECORD = "\x1e"  # starts each commit in the log output; -z separates everything else with NUL
LOG_FORMAT = "%x1e%aI"


@dataclasses.dataclass(frozen=True)
class FileDates:
    """When one content file was added and when it was last changed, per git."""

    created: dt.datetime
    updated: dt.datetime


def git_dates(site_dir: Path, content_dir: Path) -> dict[str, FileDates]:
    """Dates of every committed file under *content_dir*, keyed by content-relative POSIX path.

    Raises :class:`SiteError` when git is missing, the site is not in a git repository, or the clone
    is shallow (its oldest commit would look like the day every article was written).
    """
    if shutil.which("git") is None:
        raise SiteError("git_dates = true needs git, which is not installed", site_dir / "site.toml",
                        field="git_dates")  # fmt: skip
    if not content_dir.is_dir():
        return {}
    _require_repository(site_dir, content_dir)
    output = _git(content_dir, "log", "-M", "--relative", "--name-status", "-z", f"--format={LOG_FORMAT}",
                  "--", ".")  # fmt: skip
    return dates_from_log(parse_log(output))


def _require_repository(site_dir: Path, content_dir: Path) -> None:
    probe = subprocess.run(
        ["git", "rev-parse", "--is-shallow-repository"],
        cwd=content_dir, capture_output=True, text=True, env=clean_git_env(),
    )  # fmt: skip
    if probe.returncode != 0:
        raise SiteError(
            f"git_dates = true, but {content_dir} is not in a git repository "
            "(run 'git init' and commit the content, or remove git_dates from site.toml)",
            site_dir / "site.toml",
            field="git_dates",
        )
    if probe.stdout.strip() == "true":
        raise SiteError(
            "git_dates = true, but this is a shallow clone: its oldest commit would date every article; "
            "fetch the full history ('git fetch --unshallow', or fetch-depth: 0 in CI)",
            site_dir / "site.toml",
            field="git_dates",
        )


# Variables that point git at a repository, index or work tree: a hook or CI job may have set them for
# another repository. Identity (GIT_AUTHOR_*, GIT_COMMITTER_*) and config variables are kept.
REPOSITORY_VARIABLES = (
    "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR", "GIT_NAMESPACE", "GIT_PREFIX",
)  # fmt: skip


def clean_git_env(**extra: str) -> dict[str, str]:
    """The environment without variables that would make git use another repository, plus *extra*."""
    env = {k: v for k, v in os.environ.items() if k not in REPOSITORY_VARIABLES}
    env.update(extra)
    return env


def _git(cwd: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "-c", "core.quotepath=off", *args], cwd=cwd, capture_output=True, env=clean_git_env()
    )
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip()
        raise SiteError(f"git {args[0]} failed: {message}", cwd)
    return result.stdout.decode("utf-8", "surrogateescape")


@dataclasses.dataclass(frozen=True)
class Change:
    """One file entry of one commit: status letter (A, M, D, R, ...), path(s) and the author date."""

    when: dt.datetime
    status: str
    path: str
    old_path: str | None = None  # renames and copies: the path before


def parse_log(output: str) -> Iterator[Change]:
    """Parse ``git log --name-status -z --format=%x1e%aI`` output, newest commit first."""
    for record in output.split(RECORD)[1:]:
        header, _, rest = record.partition("\0")
        when = dt.datetime.fromisoformat(header.strip())
        tokens = rest.lstrip("\n").split("\0")
        index = 0
        while index < len(tokens) and tokens[index]:
            status = tokens[index]
            if status[0] in "RC":
                yield Change(when, status, tokens[index + 2], tokens[index + 1])
                index += 3
            else:
                yield Change(when, status, tokens[index + 1])
                index += 2


def dates_from_log(changes: Iterable[Change]) -> dict[str, FileDates]:
    """Walk the history newest first, following renames back to each current file's first commit.

    ``tracking`` maps a historical path to the current file its older history belongs to; ``closed``
    holds paths whose older history belongs to no current file (deleted, or an earlier incarnation).
    """
    tracking: dict[str, str] = {}
    closed: set[str] = set()
    updated: dict[str, dt.datetime] = {}
    created: dict[str, dt.datetime] = {}
    for change in changes:
        path = change.path
        if path in tracking:
            key = tracking[path]
        elif path in closed:
            continue
        else:
            key = path  # first sight of a path that still exists (else a D would have closed it)
        kind = change.status[0]
        if kind == "D":
            closed.add(path)
            continue
        if change.status != "R100":  # a pure rename does not change the text
            updated.setdefault(key, change.when)
        if kind not in "ARC":  # M, T: a change; older history of this path is still this file's
            continue
        tracking.pop(path, None)
        closed.add(path)  # older history under this name belongs to an earlier file
        if kind == "R" and change.old_path is not None:
            tracking[change.old_path] = key
            closed.discard(change.old_path)
        else:
            created[key] = change.when
    return {key: FileDates(when, max(updated.get(key, when), when)) for key, when in created.items()}


def site_git_dates(config: SiteConfig) -> dict[str, FileDates]:
    """:func:`git_dates` for a site's content folder."""
    return git_dates(config.site_dir, config.content_dir)


def dates_fingerprint(dates: dict[str, FileDates]) -> str:
    """A stable hash of *dates*, for the build's inputs digest: committing a file changes its dates
    (an uncommitted article gets one) without changing a byte of content."""
    digest = hashlib.sha256()
    for key in sorted(dates):
        known = dates[key]
        digest.update(f"{key}\0{known.created.isoformat()}\0{known.updated.isoformat()}\0".encode())
    return digest.hexdigest()


def apply_git_dates(
    config: SiteConfig, articles: list[Article], dates: dict[str, FileDates] | None = None
) -> list[Article]:
    """Fill missing ``date``/``updated`` from git and recompute permalinks that depend on the date.

    ``updated`` is taken from git only when the file changed after it was added and after its date,
    so a freshly imported old article is not shown as updated on the import day. *dates* defaults to
    :func:`site_git_dates` (pass it when it was already read for the inputs digest).
    """
    if dates is None:
        if not any(a.date is None or a.updated is None for a in articles):
            return articles
        dates = site_git_dates(config)
    return [_with_dates(article, dates.get(article.source), config) for article in articles]


def _with_dates(article: Article, known: FileDates | None, config: SiteConfig) -> Article:
    if known is None:  # not committed yet: stays undated rather than getting an invented date
        return article
    date = article.date or known.created
    updated = article.updated
    if updated is None and known.updated > known.created and known.updated > date:
        updated = known.updated
    if date == article.date and updated == article.updated:
        return article
    url = article_url(config, article.slug, date, article.language) if article.date is None else article.url
    return dataclasses.replace(article, date=date, updated=updated, url=url)
