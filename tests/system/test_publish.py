"""Publishing to a branch with real git and a local bare remote: the user's checkout must not move."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from site_builder import cli
from site_builder.build import build_site
from site_builder.errors import SiteError
from site_builder.publish.git import publish
from tests.helpers import SiteFixture

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture(autouse=True)
def isolated_git(monkeypatch, tmp_path):
    """No user or system git config leaks in; a fixed identity for commits."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    (tmp_path / "gitconfig").write_text("[user]\n\tname = Editor\n\temail = editor@example.org\n")
    monkeypatch.delenv("GIT_DIR", raising=False)


class Repo:
    """A site in a git checkout with origin = a local bare repository, plus uncommitted work."""

    def __init__(self, tmp_path: Path) -> None:
        self.remote = tmp_path / "remote.git"
        git(tmp_path, "init", "--quiet", "--bare", str(self.remote))
        self.site = SiteFixture(tmp_path / "work")
        self.root = self.site.root
        self.site.write(".gitignore", "output/\n.site-cache/\n")
        self.site.article("first", "First story", "2020-01-02", tags="[Council]")
        self.site.article("second", "Second story", "2020-02-03")
        git(self.root, "init", "--quiet", "-b", "main")
        git(self.root, "add", "-A")
        git(self.root, "commit", "--quiet", "-m", "content")
        git(self.root, "remote", "add", "origin", str(self.remote))
        git(self.root, "push", "--quiet", "origin", "main")

    def make_work_in_progress(self) -> None:
        """A staged change, an unstaged change and an untracked file: all must survive a publish."""
        self.site.article("staged", "Staged story", "2020-03-01")
        git(self.root, "add", "content/staged.md")
        (self.root / "content/first.md").write_text(
            (self.root / "content/first.md").read_text() + "\nMore.\n"
        )
        self.site.write("notes.txt", "private notes\n")

    def state(self) -> dict:
        """HEAD, current branch, index bytes, status and every non-ignored file of the checkout."""
        files = {}
        for folder, dirs, names in os.walk(self.root):  # never descend into ignored folders: the build
            dirs[:] = sorted(d for d in dirs if d not in {".git", "output", ".site-cache"})  # deletes there
            for name in sorted(names):
                path = Path(folder) / name
                files[path.relative_to(self.root).as_posix()] = path.read_bytes()
        return {
            "head": git(self.root, "rev-parse", "HEAD"),
            "branch": git(self.root, "symbolic-ref", "HEAD"),
            "index": hashlib.sha256((self.root / ".git/index").read_bytes()).hexdigest(),
            "status": git(self.root, "status", "--porcelain"),
            "files": files,
        }

    def build(self):
        return build_site(self.site.config())

    def remote_files(self, ref: str = "gh-pages") -> set[str]:
        return set(git(self.remote, "ls-tree", "-r", "--name-only", ref).splitlines())


@pytest.fixture
def repo(tmp_path) -> Repo:
    return Repo(tmp_path)


def test_first_publish_creates_orphan_branch_and_leaves_checkout_untouched(repo):
    repo.make_work_in_progress()
    repo.build()
    before = repo.state()
    result = publish(repo.site.config(), cname="news.example.org")
    assert repo.state() == before
    assert result.committed and result.pushed
    published = repo.remote_files()
    assert published == set(repo.site.files()) | {".nojekyll", "CNAME"}
    assert git(repo.remote, "show", "gh-pages:CNAME") == "news.example.org"
    assert git(repo.remote, "rev-list", "--count", "gh-pages") == "1"  # an orphan: no parent
    assert git(repo.remote, "rev-parse", "gh-pages") == result.head
    assert "main" not in git(repo.remote, "log", "--format=%s", "gh-pages")
    # the uncommitted article is in output/ (it was built) and so was published, as built
    assert "articles/staged-story/index.html" in published
    assert git(repo.remote, "log", "-1", "--format=%s", "gh-pages").endswith("with uncommitted changes")


def test_bytes_on_the_branch_are_the_output_bytes(repo):
    repo.build()
    publish(repo.site.config())
    for path, data in repo.site.files().items():
        shown = subprocess.run(["git", "show", f"gh-pages:{path}"], cwd=repo.remote, capture_output=True)
        assert shown.stdout == data, path


def test_nothing_changed_makes_no_new_commit(repo):
    repo.build()
    first = publish(repo.site.config())
    repo.build()
    second = publish(repo.site.config())
    assert not second.committed and second.head == first.head
    assert git(repo.remote, "rev-list", "--count", "gh-pages") == "1"


def test_a_change_adds_one_commit_on_top(repo):
    repo.build()
    first = publish(repo.site.config())
    repo.site.article("third", "Third story", "2020-04-05")
    repo.build()
    before = repo.state()
    second = publish(repo.site.config(), message="Add the third story")
    assert repo.state() == before
    assert second.committed
    assert git(repo.remote, "rev-parse", "gh-pages^") == first.head
    assert git(repo.remote, "log", "-1", "--format=%s", "gh-pages") == "Add the third story"
    assert "articles/third-story/index.html" in repo.remote_files()


def test_no_push_commits_locally_only(repo):
    repo.build()
    result = publish(repo.site.config(), push=False)
    assert git(repo.root, "rev-parse", "gh-pages") == result.head
    assert git(repo.remote, "branch", "--list", "gh-pages") == ""


def test_a_page_that_disappears_without_alias_stops_the_publish(repo):
    repo.build()
    first = publish(repo.site.config())
    (repo.root / "content/second.md").unlink()
    repo.build()
    with pytest.raises(SiteError) as caught:
        publish(repo.site.config())
    assert "/articles/second-story/" in str(caught.value)
    assert git(repo.remote, "rev-parse", "gh-pages") == first.head
    assert git(repo.root, "rev-parse", "gh-pages") == first.head
    with pytest.warns(UserWarning, match="/articles/second-story/"):
        forced = publish(repo.site.config(), allow_removed=True)
    assert "/articles/second-story/" in forced.removed
    assert "articles/second-story/index.html" not in repo.remote_files()


def test_a_renamed_article_with_an_alias_publishes(repo):
    repo.build()
    publish(repo.site.config())
    (repo.root / "content/second.md").unlink()
    repo.site.article("second", "Second story renamed", "2020-02-03", aliases="[articles/second-story/]")
    repo.build()
    result = publish(repo.site.config())
    assert result.committed and result.removed == []
    redirect = git(repo.remote, "show", "gh-pages:articles/second-story/index.html")
    assert "second-story-renamed" in redirect


def test_fresh_clone_builds_on_the_remote_branch(repo, tmp_path):
    """CI clones main only: the publish must continue the remote gh-pages history, not start a new one."""
    repo.build()
    first = publish(repo.site.config())
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "--quiet", "--branch", "main", "--single-branch", str(repo.remote), str(clone))
    clone_site = SiteFixture(clone)  # rewrites site.toml identically
    clone_site.article("third", "Third story", "2020-04-05")
    build_site(clone_site.config())
    result = publish(clone_site.config())
    assert git(repo.remote, "rev-parse", "gh-pages^") == first.head
    assert result.head == git(repo.remote, "rev-parse", "gh-pages")


def test_diverged_branches_stop_the_publish(repo):
    repo.build()
    published = publish(repo.site.config())
    stray = git(repo.root, "commit-tree", f"{published.head}^{{tree}}", "-m", "made elsewhere")
    git(repo.root, "branch", "-f", "gh-pages", stray)
    repo.site.article("third", "Third story", "2020-04-05")
    repo.build()
    with pytest.raises(SiteError, match="diverged"):
        publish(repo.site.config())
    assert git(repo.remote, "rev-parse", "gh-pages") == published.head


def test_refuses_a_branch_that_is_checked_out(repo):
    repo.build()
    with pytest.raises(SiteError, match="checked out"):
        publish(repo.site.config(), branch="main", push=False)


def test_unknown_remote_is_a_clear_error_and_commits_nothing(repo):
    repo.build()
    with pytest.raises(SiteError, match="no git remote named 'upstream'"):
        publish(repo.site.config(), remote="upstream")
    assert git(repo.root, "branch", "--list", "gh-pages") == ""


def test_not_a_git_repository_is_a_clear_error(tmp_path):
    site = SiteFixture(tmp_path / "plain")
    site.article("a", "A story")
    site.build()
    with pytest.raises(SiteError, match="not in a git repository"):
        publish(site.config(), push=False)


def test_cli_publish_builds_and_pushes(repo, capsys):
    before = repo.state()
    status = cli.main(["publish", "--site", str(repo.root), "--check", "--cname", "news.example.org"])
    out = capsys.readouterr().out
    assert status == 0, out
    assert "pushed to origin" in out
    assert "CNAME" in repo.remote_files()
    assert repo.state() == before
    assert cli.main(["publish", "--site", str(repo.root), "-q"]) == 0
    assert git(repo.remote, "rev-list", "--count", "gh-pages") == "1"


def hand_made_site_branch(repo: Repo, branch: str, files: dict[str, bytes]) -> str:
    """An orphan branch committed by hand (not by publish) holding *files*; returns its tip."""
    blobs = []
    for name, data in files.items():
        blob = subprocess.run(["git", "hash-object", "-w", "--stdin"], cwd=repo.root, input=data,
                              capture_output=True, check=True).stdout.decode().strip()  # fmt: skip
        blobs.append(f"100644 blob {blob}\t{name}\n")
    tree = subprocess.run(["git", "mktree"], cwd=repo.root, input="".join(blobs).encode(),
                          capture_output=True, check=True).stdout.decode().strip()  # fmt: skip
    tip = git(repo.root, "commit-tree", tree, "-m", "pages made by hand")
    git(repo.root, "branch", branch, tip)
    return tip


def test_never_publishes_over_a_branch_holding_the_users_sources(repo):
    """``--branch main`` while on another branch would replace the sources with the site and push it."""
    git(repo.root, "checkout", "--quiet", "-b", "feature")
    repo.build()
    main_before = git(repo.root, "rev-parse", "main")
    for force in (False, True):
        with pytest.raises(SiteError, match="holds more than a published site") as caught:
            publish(repo.site.config(), branch="main", force=force)
        assert "site.toml" in str(caught.value) or "history" in str(caught.value)
        assert git(repo.root, "rev-parse", "main") == main_before
        assert git(repo.remote, "rev-parse", "main") == main_before
    assert "content/first.md" in repo.remote_files("main")


def test_an_orphan_branch_with_a_site_toml_is_sources_even_when_forced(repo):
    hand_made_site_branch(repo, "notes", {"site.toml": b'title = "Other"\n', "index.html": b"<p>x</p>\n"})
    repo.build()
    with pytest.raises(SiteError, match="site.toml"):
        publish(repo.site.config(), branch="notes", push=False, force=True)


def test_a_branch_with_commits_not_made_by_publish_needs_force(repo):
    repo.build()
    tip = hand_made_site_branch(repo, "pages", {"index.html": b"<p>old site</p>\n"})
    with pytest.raises(SiteError, match="not made by site-builder publish") as caught:
        publish(repo.site.config(), branch="pages", push=False)
    assert tip[:7] in str(caught.value) and "--force" in str(caught.value)
    assert git(repo.root, "rev-parse", "pages") == tip
    forced = publish(repo.site.config(), branch="pages", push=False, force=True, allow_removed=True)
    assert forced.committed and git(repo.root, "rev-parse", "pages^") == tip
    repo.site.article("third", "Third story", "2020-04-05")
    repo.build()
    again = publish(repo.site.config(), branch="pages", push=False)  # the forced publish accepted the past
    assert again.committed and git(repo.root, "rev-parse", "pages^") == forced.head


def test_a_commit_added_by_hand_on_top_of_a_publish_needs_force(repo):
    repo.build()
    first = publish(repo.site.config(), push=False)
    tree = git(repo.root, "rev-parse", f"{first.head}^{{tree}}")
    by_hand = git(repo.root, "commit-tree", tree, "-p", first.head, "-m", "tweak by hand")
    git(repo.root, "branch", "-f", "gh-pages", by_hand)
    repo.site.article("third", "Third story", "2020-04-05")
    repo.build()
    with pytest.raises(SiteError, match="1 commit"):
        publish(repo.site.config(), push=False)
    assert publish(repo.site.config(), push=False, force=True).committed


@pytest.mark.parametrize(
    "branch", ["HEAD", "-x", "refs/heads/main", "a..b", "@{-1}", "x.lock", "a b", "@", ""]
)
def test_branch_names_git_refuses_are_refused(repo, branch):
    repo.build()
    with pytest.raises(SiteError, match="not a valid branch name"):
        publish(repo.site.config(), branch=branch, push=False)
    assert git(repo.root, "for-each-ref", "--format=%(refname)", "refs/heads") == "refs/heads/main"


@pytest.mark.parametrize(
    "cname",
    ["https://news.example.org", "news.example.org/path", "news example.org", "-news.example.org",
     "news..example.org", "localhost", "a" * 64 + ".example.org", "news.example.org\nx",
     "news.example.org:80", "1.2.3.4", "*.example.org", ""],
)  # fmt: skip
def test_cname_must_be_a_domain(repo, cname):
    repo.build()
    with pytest.raises(SiteError, match="--cname"):
        publish(repo.site.config(), push=False, cname=cname)
    assert git(repo.root, "branch", "--list", "gh-pages") == ""


def test_cname_accepts_domains_and_writes_internationalised_ones_in_ascii(repo):
    repo.build()
    publish(repo.site.config(), push=False, cname="News.Example.org")
    assert git(repo.root, "show", "gh-pages:CNAME") == "News.Example.org"
    repo.build()
    publish(repo.site.config(), push=False, cname="nachrichten.bücher.de")
    assert git(repo.root, "show", "gh-pages:CNAME") == "nachrichten.xn--bcher-kva.de"


def test_cli_publish_force_option(repo, capsys):
    repo.build()
    hand_made_site_branch(repo, "pages", {"index.html": b"<p>old site</p>\n"})
    arguments = ["publish", "--site", str(repo.root), "--branch", "pages", "--no-push", "--allow-removed"]
    assert cli.main(arguments) == 1
    assert "--force" in capsys.readouterr().err
    assert cli.main([*arguments, "--force", "-q"]) == 0
