"""What a CLI build keeps for the next one (site_builder.snapshot): file signatures and the site model.

Either may be stale, corrupt, from other settings or from another build altogether: the output must
always be what a cold build gives, and only exactly equal signatures of files old enough spare a read.
"""

from __future__ import annotations

import os
import random
import shutil
import time

import pytest

from site_builder.build import build_site
from site_builder.build import pipeline as build_module
from site_builder.build.digests import settings_digest
from site_builder.build.output.staging import scan_tree
from site_builder.build.state import snapshot as snapshot_module
from site_builder.build.state.cache import BuildCache
from site_builder.build.state.snapshot import FORMAT, MODEL_FILE, STATS_KEY, ModelSnapshot, SourceStats
from site_builder.build.workers import PARALLEL_THRESHOLD
from site_builder.config import load_config
from site_builder.render import fingerprint as render_module
from site_builder.render.environment import make_environment
from site_builder.sources import files as files_module
from tests.helpers import read_tree
from tests.helpers.archive import NOW, SETTINGS, TAGS, Archive, cold_build


@pytest.fixture
def counted(monkeypatch):
    """Counts of the site groupings and content file reads by builds (a parsed file is read twice: to
    key it, then to parse the bytes as they are then)."""
    counts = {"grouped": 0, "read": 0}
    group, read = build_module.group_site, files_module.read_content_and_status

    def grouping(*args, **kwargs):
        counts["grouped"] += 1
        return group(*args, **kwargs)

    def reading(*args, **kwargs):
        counts["read"] += 1
        return read(*args, **kwargs)

    monkeypatch.setattr(build_module, "group_site", grouping)
    monkeypatch.setattr(files_module, "read_content_and_status", reading)
    return counts


@pytest.fixture
def settled(monkeypatch):
    """Every file counts as changed long enough ago for its signature to be recorded (the tests write
    files moments before building; each edit still gets a new ctime, being a build later)."""
    monkeypatch.setattr(snapshot_module, "clock_ns", lambda: time.time_ns() + 10 * snapshot_module.RACY_NS)


def model(root) -> ModelSnapshot | None:
    cache = BuildCache(root / ".site-cache")
    try:
        settings = settings_digest(load_config(root), False, False)
        return ModelSnapshot.load(cache, settings)
    finally:
        cache.close()


def edit_body(archive: Archive, index: int, words: str) -> str:
    name = sorted(archive.articles)[index]
    archive.articles[name]["body"] += f"\n\n{words}"
    archive.write(name)
    return name


def test_a_body_edit_swaps_the_article_into_the_cached_model(tmp_path, counted):
    archive = Archive(tmp_path / "site", random.Random(21))
    config = load_config(archive.root)
    build_site(config, now=NOW, jobs=1)
    assert counted["grouped"] == 1 and model(archive.root) is not None
    edit_body(archive, 2, "A late correction.")
    report = build_site(config, now=NOW, jobs=1)
    assert counted["grouped"] == 1 and report.written >= 1  # not grouped again
    assert read_tree(archive.root / "output") == cold_build(archive.root / "content", tmp_path / "cold")


def test_a_structural_edit_groups_afresh_and_writes_the_model_again(tmp_path, counted):
    archive = Archive(tmp_path / "site", random.Random(22))
    config = load_config(archive.root)
    build_site(config, now=NOW, jobs=1)
    name = sorted(archive.articles)[0]
    archive.articles[name]["tags"] = ["Weather"]
    archive.write(name)
    build_site(config, now=NOW, jobs=1)
    assert counted["grouped"] == 2
    assert "weather" in model(archive.root).site.tags
    assert read_tree(archive.root / "output") == cold_build(archive.root / "content", tmp_path / "cold")


def test_the_model_is_written_again_once_it_lags_behind(tmp_path, monkeypatch):
    monkeypatch.setattr(snapshot_module, "REWRITE_AFTER", 2)
    archive = Archive(tmp_path / "site", random.Random(23))
    config = load_config(archive.root)
    build_site(config, now=NOW, jobs=1)
    first = model(archive.root).keys
    for step in range(4):
        edit_body(archive, step, f"Edit {step}.")
        build_site(config, now=NOW, jobs=1)
    latest = model(archive.root)
    assert latest.keys != first and latest.differences(first) >= 3
    assert read_tree(archive.root / "output") == cold_build(archive.root / "content", tmp_path / "cold")


def kept(config) -> tuple[bytes, bytes | None]:
    """What the cache keeps for the next CLI build: the model file and the signatures."""
    cache = BuildCache(config.cache_dir)
    try:
        return (config.cache_dir / MODEL_FILE).read_bytes(), cache.state_blob(STATS_KEY)
    finally:
        cache.close()


def put_back(config, model: bytes, stats: bytes | None) -> None:
    (config.cache_dir / MODEL_FILE).write_bytes(model)
    cache = BuildCache(config.cache_dir)
    cache.set_state_blob(STATS_KEY, stats or b"")
    cache.close()


@pytest.mark.parametrize(
    "blob", [b"", b"garbage", FORMAT + b"\0garbage", b"other-version\0" + FORMAT, "truncated"]
)
def test_a_corrupt_or_foreign_snapshot_is_ignored(tmp_path, counted, blob):
    archive = Archive(tmp_path / "site", random.Random(24))
    config = load_config(archive.root)
    build_site(config, now=NOW, jobs=1)
    if blob == "truncated":
        model, stats = kept(config)
        blob = model[: len(model) // 2]
    put_back(config, blob, blob)
    edit_body(archive, 1, "After the damage.")
    build_site(config, now=NOW, jobs=1)
    assert counted["grouped"] == 2
    assert read_tree(archive.root / "output") == cold_build(archive.root / "content", tmp_path / "cold")


def test_an_old_snapshot_is_only_used_for_what_it_still_matches(tmp_path, settled):
    """A snapshot (model and signatures) from several builds ago, of a since much changed archive, put
    back in the cache: the build compares its keys with the files and still gives the cold output."""
    rng = random.Random(25)
    archive = Archive(tmp_path / "site", rng)
    config = load_config(archive.root)
    build_site(config, now=NOW, jobs=1)
    old = kept(config)
    for _ in range(6):
        archive.edit()
        build_site(config, now=NOW, jobs=1)
    for _ in range(3):
        put_back(config, *old)
        archive.edit()
        build_site(config, now=NOW, jobs=1)
        assert read_tree(archive.root / "output") == cold_build(archive.root / "content", tmp_path / "cold")


def test_a_snapshot_of_other_settings_is_ignored(tmp_path, counted):
    archive = Archive(tmp_path / "site", random.Random(26))
    config = load_config(archive.root)
    (archive.root / "content" / "draft.md").write_text(
        "---\ntitle: Draft\ndate: 2020-01-05\ndraft: true\n---\n\nX\n"
    )
    build_site(config, now=NOW, jobs=1, drafts=True)
    edit_body(archive, 0, "Without drafts now.")
    build_site(config, now=NOW, jobs=1)
    assert counted["grouped"] == 2
    (archive.root / "content" / "draft.md").unlink()
    assert read_tree(archive.root / "output") == cold_build(archive.root / "content", tmp_path / "cold")


def test_files_with_an_unchanged_signature_are_not_read_again(tmp_path, counted, settled):
    archive = Archive(tmp_path / "site", random.Random(27))
    config = load_config(archive.root)
    build_site(config, now=NOW, jobs=1)
    files = len(archive.articles)
    assert counted["read"] == 2 * files  # keyed, parsed
    build_site(config, now=NOW, jobs=1)  # nothing changed: no file read
    assert counted["read"] == 2 * files
    edit_body(archive, 3, "One more paragraph.")
    build_site(config, now=NOW, jobs=1)
    assert counted["read"] == 2 * files + 2
    assert read_tree(archive.root / "output") == cold_build(archive.root / "content", tmp_path / "cold")


@pytest.mark.parametrize("replaced", [False, True])
def test_a_same_size_edit_with_its_mtime_put_back_is_still_seen(tmp_path, settled, replaced):
    """Size and mtime equal (a tool restoring the mtime, written in place or renamed over the file):
    the ctime or the inode differs, so the file is read."""
    archive = Archive(tmp_path / "site", random.Random(28))
    config = load_config(archive.root)
    build_site(config, now=NOW, jobs=1)
    path = archive.root / "content" / f"{sorted(archive.articles)[4]}.md"
    before = path.stat()
    written = path.with_name("incoming.tmp") if replaced else path
    written.write_text(path.read_text().replace("Body of story", "Body of stork"))
    os.utime(written, ns=(before.st_atime_ns, before.st_mtime_ns))
    os.replace(written, path)
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    build_site(config, now=NOW, jobs=1)
    assert read_tree(archive.root / "output") == cold_build(archive.root / "content", tmp_path / "cold")


def test_files_changed_moments_before_the_build_get_no_signature(tmp_path):
    """Within RACY_NS of the build a file could change again in the same timestamp tick unseen."""
    archive = Archive(tmp_path / "site", random.Random(30))
    config = load_config(archive.root)
    build_site(config, now=NOW, jobs=1)
    cache = BuildCache(config.cache_dir)
    stats = SourceStats.load(cache, settings_digest(config, False, False))
    cache.close()
    assert stats.known == {}
    old = time.time_ns() - 3 * snapshot_module.RACY_NS
    for path in (archive.root / "content").iterdir():
        os.utime(path, ns=(old, old))  # the ctime is still now
    build_site(config, now=NOW, jobs=1)
    cache = BuildCache(config.cache_dir)
    stats = SourceStats.load(cache, settings_digest(config, False, False))
    cache.close()
    assert stats.known == {}


@pytest.mark.slow
@pytest.mark.parametrize("seed", [31, 32, 33])
def test_random_cli_edit_sequences_with_signatures_trusted(tmp_path, settled, seed):
    rng = random.Random(seed)
    archive = Archive(tmp_path / "site", rng)
    config = load_config(archive.root)
    build_site(config, now=NOW, jobs=1)
    for step in range(10):
        change = archive.edit()
        if rng.random() < 0.3:
            archive.edit()
        build_site(config, now=NOW, jobs=1)
        expected = cold_build(archive.root / "content", tmp_path / "cold")
        assert read_tree(archive.root / "output") == expected, f"step {step}: {change}"


def test_an_edit_undone_after_the_cache_dropped_its_article(tmp_path):
    """The snapshot still holds the article of the first version, whose body the build in between
    dropped from the cache: back to that version, the file is parsed again, not taken from the model."""
    archive = Archive(tmp_path / "site", random.Random(34))
    config = load_config(archive.root)
    name = sorted(archive.articles)[6]
    path = archive.root / "content" / f"{name}.md"
    first = path.read_text()
    build_site(config, now=NOW, jobs=1)
    edit_body(archive, 6, "A second version.")
    build_site(config, now=NOW, jobs=1)
    path.write_text(first)
    build_site(config, now=NOW, jobs=1)
    assert read_tree(archive.root / "output") == cold_build(archive.root / "content", tmp_path / "cold")


@pytest.mark.slow
def test_a_large_build_has_output_and_the_spare_scanned_by_its_workers(tmp_path):
    """From PARALLEL_THRESHOLD files a CLI build scans output/ and the spare tree in its worker
    processes while it loads: edits, and files changed by hand in either tree, end as cold builds do."""
    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    (root / "site.toml").write_text(SETTINGS)
    for n in range(PARALLEL_THRESHOLD + 10):
        tags, date = ", ".join(TAGS[n % 4 : n % 4 + 2]), f"2020-{n % 12 + 1:02d}-{n % 28 + 1:02d}"
        text = f"---\ntitle: Story {n}\ndate: {date}\ntags: [{tags}]\n---\n\nBody {n}.\n"
        (root / "content" / f"s{n:03d}.md").write_text(text)
    config = load_config(root)

    def build_and_compare(label: str) -> None:
        build_site(config, now=NOW, jobs=2)
        assert read_tree(root / "output") == cold_build(root / "content", tmp_path / "cold"), label

    build_site(config, now=NOW, jobs=2)
    for step, damage in enumerate([None, "output", "spare", None]):
        path = root / "content" / f"s{step * 7:03d}.md"
        path.write_text(path.read_text().replace("Body", "Edited body"))
        if damage == "output":
            (root / "output" / "tags" / "index.html").unlink()
        elif damage == "spare":
            spare = root / ".site-cache" / "output.spare"
            tampered = next(p for p in spare.rglob("*.html") if "tags" in p.parts)
            tampered.unlink()  # (writing into it would change output/ too: the same inode)
            tampered.write_text("tampered")
        build_and_compare(f"step {step}, {damage} changed by hand")


@pytest.mark.parametrize("parts", [2, 3])
def test_shares_of_a_tree_scan_are_disjoint_and_make_the_whole(tmp_path, parts):
    root = tmp_path / "tree"
    files = "index.html a/index.html a/x/index.html a/y/z/index.html a/y/z/deep/f.txt b/c/d.html b/e.html"
    for relative in [*files.split(), "empty/", "a/empty/", ".git/HEAD", ".git/objects/ab/cd"]:
        path = root / relative
        if relative.endswith("/"):
            path.mkdir(parents=True, exist_ok=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(relative)
    for n in range(40):
        (root / "a" / f"s{n}").mkdir()
        (root / "a" / f"s{n}" / "index.html").write_text("x" * n)
    whole = scan_tree(root)
    shares = [scan_tree(root, (n, parts)) for n in range(parts)]
    for maps, total in ((0, whole[0]), (1, whole[1])):
        assert sum(len(share[maps]) for share in shares) == len(total)
        assert {k: v for share in shares for k, v in share[maps].items()} == total
    assert all(share[1] for share in shares)  # each share got some of it


def test_template_hashes_are_kept_for_the_same_templates(tmp_path, monkeypatch):
    parsed: list[str] = []
    closure = render_module.TemplateHasher.closure

    def counting(self, name):
        parsed.append(name)
        return closure(self, name)

    monkeypatch.setattr(render_module.TemplateHasher, "closure", counting)
    archive = Archive(tmp_path / "site", random.Random(35))
    config = load_config(archive.root)
    build_site(config, now=NOW, jobs=1)
    assert parsed
    parsed.clear()
    edit_body(archive, 2, "Kept hashes.")
    build_site(config, now=NOW, jobs=1)
    assert parsed == []  # every template's closure and hash came from the cache
    (archive.root / "templates").mkdir()
    (archive.root / "templates" / "article.html").write_text(
        '{% extends "base.html" %}{% block content %}<h1>{{ article.title }}</h1>{% endblock %}\n'
    )
    edit_body(archive, 3, "New template.")
    build_site(config, now=NOW, jobs=1)
    assert "article.html" in parsed
    cold = tmp_path / "cold"
    for folder in ("content", "templates"):
        shutil.copytree(archive.root / folder, cold / folder)
    (cold / "site.toml").write_text(SETTINGS)
    build_site(load_config(cold), now=NOW, jobs=1)
    assert read_tree(archive.root / "output") == read_tree(cold / "output")


def test_a_recorded_template_hash_is_checked_against_the_sources(tmp_path):
    env = make_environment(load_config(Archive(tmp_path / "site", random.Random(36)).root))
    fresh = render_module.TemplateHasher(env)
    value = fresh.hash("article.html")
    members, _ = fresh.known()["article.html"]
    wrong = {"article.html": (members, "0" * 64)}  # the sources do not hash to it: parsed again
    assert render_module.TemplateHasher(env, wrong).hash("article.html") == value
    gone = {"article.html": (["gone.html"], "0" * 64)}
    assert render_module.TemplateHasher(env, gone).hash("article.html") == value
    kept = render_module.TemplateHasher(env, fresh.known())
    assert kept.hash("article.html") == value and kept._closure["article.html"] == frozenset(members)
