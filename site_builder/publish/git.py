"""``site-builder publish``: commit the built site to a branch (gh-pages) and push it.

The user's checkout is never touched: no checkout, no stash, no write to their index or working tree.
The commit is made with git plumbing over a temporary index (``GIT_INDEX_FILE``): ``git add`` with
``--work-tree=output``, ``write-tree``, ``commit-tree``, then ``update-ref`` on the publishing branch,
which is created as an orphan the first time. An unchanged tree makes no commit. Pages that were
published before and would now disappear (no alias left a redirect behind) stop the publish with a list,
because a news archive's URLs are cited elsewhere; ``--allow-removed`` publishes anyway.

Publishing replaces the branch's files with the built site, so it only goes to a branch that holds
nothing else. Each publish commit carries a ``Published-by: site-builder`` trailer; a branch with
commits made otherwise (since its last publish) needs ``force``, and a branch that holds the site's
sources (a ``site.toml``, or history shared with the checked-out commit) is refused even then.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from site_builder.config import CONFIG_FILE, SiteConfig
from site_builder.errors import SiteError
from site_builder.publish.address import refuse_local_base_url
from site_builder.sources.gitdates import clean_git_env

NOJEKYLL = ".nojekyll"
CNAME = "CNAME"
FALLBACK_IDENTITY = {
    "GIT_AUTHOR_NAME": "site-builder",
    "GIT_AUTHOR_EMAIL": "site-builder@localhost",
    "GIT_COMMITTER_NAME": "site-builder",
    "GIT_COMMITTER_EMAIL": "site-builder@localhost",
}
SHOWN_REMOVALS = 50
PUBLISH_TRAILER = "Published-by: site-builder"  # marks the commits publish made (see _guard_branch)
# The published bytes must be output/'s bytes, whatever the user's line-ending settings say.
GIT_OPTIONS = ("-c", "core.autocrlf=false", "-c", "core.safecrlf=false", "-c", "core.quotepath=off")


class Git:
    """Runs git against one repository (by its git dir), never against the caller's environment."""

    def __init__(self, git_dir: Path, env: dict[str, str] | None = None) -> None:
        self.git_dir = git_dir
        self.env = env if env is not None else clean_git_env()

    def run(self, *args: str, cwd: Path | None = None, input: bytes | None = None, check: bool = True,
            work_tree: Path | None = None) -> str:  # fmt: skip
        command = ["git", *GIT_OPTIONS, f"--git-dir={self.git_dir}"]
        if work_tree is not None:
            command.append(f"--work-tree={work_tree}")
        result = subprocess.run(
            [*command, *args], cwd=cwd or self.git_dir, input=input, capture_output=True, env=self.env
        )
        if check and result.returncode != 0:
            message = result.stderr.decode("utf-8", "replace").strip()
            raise SiteError(f"git {args[0]} failed: {message}")
        return result.stdout.decode("utf-8", "surrogateescape").strip() if result.returncode == 0 else ""

    def rev(self, name: str) -> str | None:
        """The commit *name* points at, or None when there is no such ref."""
        return self.run("rev-parse", "--verify", "--quiet", f"{name}^{{commit}}", check=False) or None

    def ok(self, *args: str) -> bool:
        return subprocess.run(["git", f"--git-dir={self.git_dir}", *args], cwd=self.git_dir,
                              capture_output=True, env=self.env).returncode == 0  # fmt: skip

    def with_env(self, **env: str) -> Git:
        return Git(self.git_dir, {**self.env, **env})


@dataclass
class PublishResult:
    branch: str
    head: str  # the branch tip after publishing
    committed: bool  # False: the site was unchanged, no new commit
    files: int
    pushed: bool
    removed: list[str] = field(default_factory=list)  # URLs of the previous publish that are gone

    def summary(self) -> str:
        state = f"new commit {self.head[:10]}" if self.committed else f"nothing changed ({self.head[:10]})"
        return f"{self.branch}: {self.files} files, {state}"


def find_repository(site_dir: Path) -> Path:
    """The git dir of the repository holding the site, or a SiteError saying how to make one."""
    result = subprocess.run(["git", "rev-parse", "--absolute-git-dir"], cwd=site_dir, capture_output=True,
                            text=True, env=clean_git_env())  # fmt: skip
    if result.returncode != 0:
        raise SiteError(
            "is not in a git repository: publishing commits the built site to a branch of the site's "
            "repository ('git init' and commit the site first)",
            site_dir,
        )
    return Path(result.stdout.strip())


def publish(
    config: SiteConfig,
    *,
    branch: str = "gh-pages",
    remote: str = "origin",
    message: str | None = None,
    push: bool = True,
    cname: str | None = None,
    allow_removed: bool = False,
    force: bool = False,
    local_base_url: bool = False,
) -> PublishResult:
    """Commit ``config.output_dir`` (already built) to *branch* and push it to *remote*.

    *force* publishes over commits that publish did not make, as long as the branch holds no sources;
    *local_base_url* publishes a site built for an address of this machine (see :mod:`.address`).
    """
    if not local_base_url:
        refuse_local_base_url(config)
    output = config.output_dir
    if not output.is_dir():
        raise SiteError(f"no output folder at {output}: build the site first", output)
    cname = custom_domain(cname) if cname is not None else None
    git = Git(find_repository(config.site_dir))
    _check_branch_name(git, branch)
    ref = f"refs/heads/{branch}"
    _refuse_checked_out(git, ref)
    if push:
        _fetch(git, remote, branch)
    parent = _parent(git, branch, remote)
    _guard_branch(git, branch, parent, force)
    tree = _stage_tree(git, output, cname or _previous_cname(git, parent, output))
    removed = _removed_urls(git, parent, tree)
    _guard_removals(removed, branch, allow_removed)
    head, committed = parent, False
    if parent is None or git.run("rev-parse", f"{parent}^{{tree}}") != tree:
        head = _commit(git, tree, parent, message or _default_message(config.site_dir))
        git.run("update-ref", "-m", "site-builder publish", ref, head, git.rev(ref) or "0" * 40)
        committed = True
    if push:
        git.run("push", "--quiet", remote, f"{ref}:{ref}", cwd=config.site_dir)
        git.run("update-ref", f"refs/remotes/{remote}/{branch}", head, check=False)
    return PublishResult(branch, head, committed, len(_tree_paths(git, head)), push, removed)


def _check_branch_name(git: Git, branch: str) -> None:
    """What ``git check-ref-format --branch`` accepts, taken literally: not ``@{-1}`` (the previous
    branch), ``@`` (HEAD) or a name starting with ``refs/`` (which would be ``refs/heads/refs/...``)."""
    shown = git.run("check-ref-format", "--branch", branch, check=False)
    if not branch or shown != branch or branch == "@" or branch.startswith("refs/"):
        raise SiteError(
            f"not a valid branch name: {branch!r} (git refuses it, or it names another ref); "
            "give a plain branch name such as gh-pages"
        )


_DOMAIN_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)\Z")


def custom_domain(name: str) -> str:
    """*name* checked as a host name for a CNAME file (``news.example.org``), in its ASCII form
    (an internationalised name is written as IDNA, ``xn--``); SiteError for anything else, such as a
    URL, a port, a path, a wildcard, an IP address or a single label."""
    problem = SiteError(f"--cname: expected a domain such as news.example.org, got {name!r}")
    try:
        ascii_name = name.encode("idna").decode("ascii")
    except UnicodeError:
        raise problem from None
    labels = ascii_name.split(".")
    valid = all(_DOMAIN_LABEL.match(label) for label in labels)
    if not valid or len(labels) < 2 or len(ascii_name) > 253 or labels[-1].isdigit():
        raise problem
    return ascii_name


def _refuse_checked_out(git: Git, ref: str) -> None:
    """Moving a branch that a worktree has checked out would leave that checkout's files behind."""
    listing = git.run("worktree", "list", "--porcelain")
    for line in listing.splitlines():
        if line == f"branch {ref}":
            raise SiteError(
                f"branch {ref.removeprefix('refs/heads/')} is checked out in a working tree; "
                "publish to a branch nobody has checked out (e.g. --branch gh-pages)"
            )


def _fetch(git: Git, remote: str, branch: str) -> None:
    """Know the remote's publishing branch (a fresh CI clone has only main) so the push fast-forwards."""
    if remote not in git.run("remote").split():
        raise SiteError(
            f"no git remote named {remote!r}: add one ('git remote add {remote} URL'), "
            "choose another with --remote, or publish locally with --no-push"
        )
    heads = git.run("ls-remote", "--heads", remote, f"refs/heads/{branch}")
    if heads:
        git.run("fetch", "--quiet", remote, f"+refs/heads/{branch}:refs/remotes/{remote}/{branch}")


def _parent(git: Git, branch: str, remote: str) -> str | None:
    """The commit to build on: the local branch, or the remote one when it is ahead (or the only one)."""
    local, tracking = git.rev(f"refs/heads/{branch}"), git.rev(f"refs/remotes/{remote}/{branch}")
    if local is None or tracking is None or local == tracking:
        return local or tracking
    if git.ok("merge-base", "--is-ancestor", tracking, local):
        return local
    if git.ok("merge-base", "--is-ancestor", local, tracking):
        return tracking
    raise SiteError(
        f"branch {branch} and {remote}/{branch} have diverged; reset one to the other "
        f"(e.g. 'git branch -f {branch} {remote}/{branch}') and publish again"
    )


def _guard_branch(git: Git, branch: str, parent: str | None, force: bool) -> None:
    """Refuse a branch that holds more than a published site; without *force*, also one with commits
    publish did not make since its last publish (a forced publish accepts the history before it)."""
    if parent is None:
        return
    why = _holds_sources(git, parent)
    if why:
        raise SiteError(
            f"branch {branch} holds more than a published site ({why}): publishing would replace its "
            "files with the built site. Publish to a branch of its own (e.g. --branch gh-pages)"
        )
    last_publish = git.run("rev-list", "--max-count=1", f"--grep=^{PUBLISH_TRAILER}$", parent)
    since = [parent, f"^{last_publish}"] if last_publish else [parent]
    foreign = int(git.run("rev-list", "--count", *since))
    if foreign and not force:
        latest = git.run("log", "-1", "--format=%h %s", *since)
        raise SiteError(
            f"branch {branch} has {foreign} commit(s) not made by site-builder publish (latest: {latest}); "
            f"publishing would replace their files with the built site. Publish to another branch, or "
            f"pass --force if {branch} only ever held a published site"
        )


def _holds_sources(git: Git, commit: str) -> str | None:
    """Why *commit*'s branch is a branch of sources, or None when it may hold a published site."""
    if git.ok("merge-base", "HEAD", commit):
        return "it shares history with your checked-out commit"
    for path in git.run("ls-tree", "-r", "--name-only", "-z", commit).split("\0"):
        if path.rsplit("/", 1)[-1] == CONFIG_FILE:
            return f"it has {path}"
    return None


def _previous_cname(git: Git, parent: str | None, output: Path) -> str | None:
    """A custom domain set once (--cname) stays set: dropping it would take the site offline."""
    if parent is None or (output / CNAME).is_file():
        return None
    return git.run("show", f"{parent}:{CNAME}", check=False).strip() or None


def _stage_tree(git: Git, output: Path, cname: str | None) -> str:
    """Write output/ (plus .nojekyll and CNAME) as a tree object through a throw-away index."""
    with tempfile.TemporaryDirectory(prefix="site-builder-publish-") as scratch:
        staged = git.with_env(GIT_INDEX_FILE=str(Path(scratch) / "index"))
        staged.run("add", "--all", "--force", "--", ".", cwd=output, work_tree=output)
        extra = {NOJEKYLL: b""}
        if cname:
            if (output / CNAME).is_file() and (output / CNAME).read_text().strip() != cname:
                warnings.warn(f"--cname {cname} replaces the CNAME file of the site", stacklevel=3)
            extra[CNAME] = cname.encode() + b"\n"
        for name, data in extra.items():
            blob = staged.run("hash-object", "-w", "--stdin", input=data)
            staged.run("update-index", "--add", "--cacheinfo", f"100644,{blob},{name}")
        return staged.run("write-tree")


def _commit(git: Git, tree: str, parent: str | None, message: str) -> str:
    if not git.ok("var", "GIT_COMMITTER_IDENT") or not git.ok("var", "GIT_AUTHOR_IDENT"):
        git = git.with_env(**FALLBACK_IDENTITY)  # CI machines often have no identity configured
    parents = ["-p", parent] if parent else []
    text = f"{message.rstrip()}\n\n{PUBLISH_TRAILER}\n"
    return git.run("commit-tree", tree, *parents, input=text.encode())


def _default_message(site_dir: Path) -> str:
    """Name the source commit, so a published state can be traced back to the content."""
    env = clean_git_env()
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=site_dir, capture_output=True,
                          text=True, env=env).stdout.strip()  # fmt: skip
    if not head:
        return "Publish site"
    dirty = subprocess.run(
        ["git", "--no-optional-locks", "status", "--porcelain", "--untracked-files=no", "--", "."],
        cwd=site_dir, capture_output=True, text=True, env=env,
    ).stdout.strip()  # fmt: skip
    return f"Publish site from {head}" + (" with uncommitted changes" if dirty else "")


def _removed_urls(git: Git, parent: str | None, tree: str) -> list[str]:
    """Site-relative URLs present in the previously published tree and absent from the new one."""
    if parent is None:
        return []
    gone = sorted(_tree_paths(git, parent) - _tree_paths(git, tree) - {NOJEKYLL, CNAME})
    return ["/" + (path.removesuffix("index.html") if path.endswith("index.html") else path) for path in gone]


def _tree_paths(git: Git, treeish: str) -> set[str]:
    """The paths of the files of a commit or tree (``-z`` output ends in a NUL: no empty name)."""
    return {path for path in git.run("ls-tree", "-r", "--name-only", "-z", treeish).split("\0") if path}


def _guard_removals(removed: list[str], branch: str, allow: bool) -> None:
    """Refuse to drop published pages silently, naming only the pages; other files (feeds of a removed
    tag, search index files) never stop a publish and are listed as a warning."""
    if not removed:
        return
    pages = [url for url in removed if url.endswith(("/", ".html"))]
    if pages and not allow:
        others = len(removed) - len(pages)
        besides = f" ({others} other file(s) such as feeds and search index files would go too)"
        besides = besides if others else ""
        raise SiteError(
            f"{len(pages)} page(s) published on {branch} would disappear{besides}; add the old URL to the "
            f"article's aliases to redirect it, or publish with --allow-removed:\n  {_listing(pages)}"
        )
    listing = _listing(removed)
    warnings.warn(f"{len(removed)} published URL(s) removed from {branch}:\n  {listing}", stacklevel=3)


def _listing(urls: list[str]) -> str:
    more = f"\n  ... and {len(urls) - SHOWN_REMOVALS} more" if len(urls) > SHOWN_REMOVALS else ""
    return "\n  ".join(urls[:SHOWN_REMOVALS]) + more
