"""Every input folder follows content/'s containment rules (issue 15, item 4).

A committed symlink in static/ to /etc/passwd, a key or /proc/self/environ was copied into output/,
served and published. static/ and templates/ now refuse what content/ refuses: symlinks leading
outside the site, dangling or looping symlinks, pipes and other non-files, unreadable names.
"""

from __future__ import annotations

import os

import pytest

from site_builder.errors import SiteError

SECRET = b"SECRET-KEY-MATERIAL"


@pytest.fixture
def secret(tmp_path):
    """A folder beside the site holding a secret file."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    (folder / "id_rsa").write_bytes(SECRET + b"\n")
    return folder


def _leaked(site) -> bool:
    return site.output.exists() and any(
        SECRET in path.read_bytes() for path in site.output.rglob("*") if path.is_file()
    )


def _refused(site, match: str) -> SiteError:
    site.article("a", "Story A")
    with pytest.raises(SiteError, match=match) as refused:
        site.build()
    assert not _leaked(site)
    return refused.value


def test_static_symlink_to_a_file_outside_is_refused(site, secret):
    (site.root / "static").mkdir()
    (site.root / "static" / "key.txt").symlink_to(secret / "id_rsa")
    error = _refused(site, "symlink to a file outside the site")
    assert str(error.path).endswith("static/key.txt")


def test_static_symlink_to_proc_environ_is_refused(site):
    (site.root / "static").mkdir()
    (site.root / "static" / "env.txt").symlink_to("/proc/self/environ")
    _refused(site, "outside the site")


def test_static_symlinked_folder_outside_is_refused(site, secret):
    (site.root / "static" / "keys").parent.mkdir()
    (site.root / "static" / "keys").symlink_to(secret, target_is_directory=True)
    _refused(site, "symlink to a folder outside the site")


def test_static_folder_that_is_itself_a_link_outside_is_refused(site, secret):
    (site.root / "static").symlink_to(secret, target_is_directory=True)
    _refused(site, "outside the site")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda path: path.symlink_to(path.name), "symlink loop"),
        (lambda path: path.symlink_to("missing.txt"), "symlink to a missing file"),
        (lambda path: os.mkfifo(path), "not a regular file"),
    ],
    ids=["loop", "dangling", "fifo"],
)
def test_static_odd_files_are_clear_errors(site, make, message):
    (site.root / "static").mkdir()
    make(site.root / "static" / "odd.txt")
    _refused(site, message)


def test_template_symlink_outside_is_refused(site, secret):
    (site.root / "templates").mkdir()
    (site.root / "templates" / "secret.html").symlink_to(secret / "id_rsa")
    _refused(site, "templates/secret.html: is a symlink to a file outside the site")


def test_links_inside_the_site_and_dot_folders_are_still_copied(site):
    site.article("a", "Story A")
    site.write("assets-src/logo.svg", "<svg/>")
    (site.root / "static").mkdir()
    (site.root / "static" / "logo.svg").symlink_to(site.root / "assets-src" / "logo.svg")
    site.write("static/.well-known/security.txt", "Contact: mailto:x@example.org\n")
    site.write("static/.hidden", "never copied\n")
    site.build()
    assert (site.output / "logo.svg").read_text() == "<svg/>"
    assert (site.output / ".well-known/security.txt").is_file()
    assert not (site.output / ".hidden").exists()
