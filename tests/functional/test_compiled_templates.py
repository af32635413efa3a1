"""Compiled templates kept in the cache folder (render.CompiledTemplates): used only for the same
template source, versions and options; a damaged or stale file is compiled again."""

from __future__ import annotations

from site_builder.render.environment import make_environment

OVERRIDE = '{% extends "base.html" %}{% block content %}<p class="override">{{ message }}</p>{% endblock %}\n'


def rendered(site, message: str) -> str:
    env = make_environment(site.config())
    return env.get_template("404.html").render(message=message, page_url="404.html", kind="404")


def code_files(site) -> list:
    return sorted((site.root / ".site-cache" / "templates").rglob("*.code"))


def test_templates_are_compiled_once_and_follow_their_source(site):
    (site.root / "templates").mkdir()
    (site.root / "templates" / "404.html").write_text(OVERRIDE.replace("override", "first"))
    assert 'class="first"' in rendered(site, "one")
    files = code_files(site)
    assert files
    stamps = [p.stat().st_mtime_ns for p in files]
    assert 'class="first"' in rendered(site, "two")  # loaded, not written again
    assert [p.stat().st_mtime_ns for p in code_files(site)] == stamps
    (site.root / "templates" / "404.html").write_text(OVERRIDE.replace("override", "second"))
    assert 'class="second"' in rendered(site, "three")  # the source changed: compiled again


def test_a_damaged_compiled_template_is_compiled_again(site):
    (site.root / "templates").mkdir()
    (site.root / "templates" / "404.html").write_text(OVERRIDE)
    expected = rendered(site, "intact")
    for path in code_files(site):
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0xFF
        path.write_bytes(bytes(data))
    assert rendered(site, "intact") == expected
    for path in code_files(site):
        path.write_bytes(path.read_bytes()[:40])  # truncated
    assert rendered(site, "intact") == expected


def test_a_cache_folder_that_cannot_be_written_still_renders(site):
    (site.root / ".site-cache").mkdir()
    (site.root / ".site-cache" / "templates").write_text("a file where the folder should be")
    assert "<html" in rendered(site, "not kept")


def test_builds_give_the_same_bytes_with_compiled_templates_kept(site):
    for n in range(5):
        site.article(f"a{n}", f"Story {n}", body=f"Body {n}.", tags="[Sport]")
    site.build(jobs=1)
    first = site.files()
    site.article("a1", "Story 1", body="Body 1, corrected.", tags="[Sport]")
    site.build(jobs=1)
    site.article("a1", "Story 1", body="Body 1.", tags="[Sport]")
    site.build(jobs=1)
    assert site.files() == first
