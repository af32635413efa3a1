"""Building sites with images: bundles and static images published as derivatives with responsive markup,
missing or escaping images as located errors, no image work when nothing (or only text) changed, an
edited or dropped image leaving no stale file, the worker processes used for many images."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path

import pytest
from PIL import Image

from site_builder.build import images as build_images
from site_builder.build.pipeline import build_site
from site_builder.build.state.memory import BuildMemory
from site_builder.config import load_config
from site_builder.errors import SiteError
from site_builder.images import index as image_index
from site_builder.images.store import process_image
from site_builder.publish.check import check_output

NOW = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
SETTINGS = 'title = "Pictures"\nbase_url = "https://example.org/"\npage_size = 5\nimage_widths = [200, 400]\n'
IMG = re.compile(r"<img\b[^>]*>")


def picture(path: Path, size=(600, 400), colour=(20, 90, 160), exif: Image.Exif | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new("RGB", size, colour)
    image.paste((240, 200, 40), (size[0] // 4, size[1] // 4, size[0] // 2, size[1] // 2))
    image.save(path, "JPEG", quality=80, exif=exif or Image.Exif())
    return path


def article(
    root: Path, name: str, title: str, date: str, image: str | None = None, body: str = "Text."
) -> Path:
    meta = [f"title: {title}", f"date: {date}"]
    if image:
        meta += [
            "image:",
            f"  src: {image}",
            f"  alt: Picture for {title}",
            "  caption: A caption",
            "  credit: A. Credit",
        ]
    path = root / "content" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("---\n" + "\n".join(meta) + "\n---\n\n" + body + "\n", encoding="utf-8")
    return path


def new_site(root: Path) -> Path:
    (root / "content").mkdir(parents=True)
    (root / "site.toml").write_text(SETTINGS)
    return root


def build(root: Path, **options):
    return build_site(load_config(root), now=NOW, jobs=options.pop("jobs", 1), **options)


def tree(output: Path) -> dict[str, bytes]:
    return {
        p.relative_to(output).as_posix(): p.read_bytes() for p in sorted(output.rglob("*")) if p.is_file()
    }


@pytest.fixture
def bundle_site(tmp_path):
    root = new_site(tmp_path / "site")
    exif = Image.Exif()
    exif.get_ifd(0x8825).update({1: "N", 2: (59.0, 54.0, 42.0)})
    picture(root / "content" / "harbour" / "dawn.jpg", exif=exif)
    picture(root / "static" / "img" / "chart.jpg", size=(300, 200), colour=(200, 20, 20))
    body = 'Boats left.\n\n![A red chart](/img/chart.jpg "Boats per week")\n\nMore ![remote](https://cdn.example.org/r.jpg).'
    article(root, "harbour/index.md", "Harbour reopens", "2021-02-20", "dawn.jpg", body)
    article(root, "other.md", "Other story", "2021-02-10")
    return root


def test_a_bundle_is_published_as_derivatives_with_responsive_markup(bundle_site):
    build(bundle_site)
    output = bundle_site / "output"
    page = (output / "articles" / "harbour" / "index.html").read_text()
    assert not (
        output / "articles" / "harbour" / "dawn.jpg"
    ).exists()  # the original (with GPS) is not published
    images = IMG.findall(page)
    local = [tag for tag in images if "cdn.example.org" not in tag]
    assert len(local) == 2 and all(
        "srcset=" in t and "sizes=" in t and "width=" in t and "height=" in t for t in local
    )
    lead, figure = local
    assert "loading=" not in lead and 'alt="Picture for Harbour reopens"' in lead
    assert 'loading="lazy"' in figure and 'width="300" height="200"' in figure
    assert (
        "<figcaption>Boats per week</figcaption>" in page and '<span class="credit">A. Credit</span>' in page
    )
    og = re.search(r'<meta property="og:image" content="([^"]+)">', page).group(1)
    assert og.startswith("https://example.org/images/") and og.endswith("dawn-16x9.jpg")
    assert '"image": ["https://example.org/images/' in page
    assert 'rel="enclosure"' in (output / "feed.xml").read_text()
    assert 'class="thumb"' in (output / "index.html").read_text()
    derivatives = sorted(p for p in tree(output) if p.startswith("images/"))
    assert len(derivatives) == 4 + 3 + 4  # dawn: 2 widths x 2 formats + 3 crops; chart: 200 and its own 300
    for path in derivatives:
        with Image.open(output / path) as image:
            assert not image.getexif(), path
    assert check_output(load_config(bundle_site)) == []


def test_a_missing_image_names_the_article_line_and_path_and_changes_nothing(bundle_site):
    build(bundle_site)
    before = tree(bundle_site / "output")
    (bundle_site / "content" / "harbour" / "dawn.jpg").rename(
        bundle_site / "content" / "harbour" / "gone.jpg"
    )
    with pytest.raises(SiteError) as raised:
        build(bundle_site)
    assert (
        str(raised.value)
        == "content/harbour/index.md:4: field 'image': image not found: content/harbour/dawn.jpg"
    )
    article(bundle_site, "other.md", "Other story", "2021-02-10", body="Intro.\n\n![x](lost.png)")
    with pytest.raises(SiteError) as raised:
        build(bundle_site)
    assert "content/other.md:8: image not found: content/lost.png" in str(raised.value)
    assert tree(bundle_site / "output") == before


def test_symlinks_out_of_the_site_and_non_files_are_refused(tmp_path):
    root = new_site(tmp_path / "site")
    outside = picture(tmp_path / "private" / "secret.jpg")
    (root / "content" / "story").mkdir()
    (root / "content" / "story" / "photo.jpg").symlink_to(outside)
    (root / "content" / "story" / "folder.jpg").mkdir()
    article(root, "story/index.md", "Story", "2021-01-01", "photo.jpg", "![f](folder.jpg)")
    with pytest.raises(SiteError) as raised:
        build(root)
    assert "content/story/index.md:4: field 'image': image is a symlink to a file outside the site" in str(
        raised.value
    )
    assert "image is not a regular file: content/story/folder.jpg" in str(raised.value)


def test_drafts_images_are_not_looked_at(tmp_path):
    root = new_site(tmp_path / "site")
    article(root, "draft.md", "Draft", "2021-01-01", "missing.jpg")
    (root / "content" / "draft.md").write_text(
        (root / "content" / "draft.md").read_text().replace("---\n\n", "draft: true\n---\n\n", 1)
    )
    article(root, "live.md", "Live", "2021-01-02")
    build(root)
    with pytest.raises(SiteError, match="image not found: content/missing.jpg"):
        build(root, drafts=True)


@pytest.fixture
def settled(monkeypatch):
    """Files count as settled at once (a file changed within 5 s of a build is read again, see
    images.index: these tests build right after writing)."""
    monkeypatch.setattr(image_index, "SETTLE_SECONDS", 0.0)


def _no_image_work(monkeypatch):
    def fail(job):
        raise AssertionError(f"image work in a build that needs none: {job.file}")

    monkeypatch.setattr(build_images, "process_image", fail)


def test_no_change_and_text_edits_do_no_image_work(bundle_site, monkeypatch, settled):
    build(bundle_site)
    _no_image_work(monkeypatch)
    assert build(bundle_site).written == 0
    article(bundle_site, "other.md", "Other story retitled", "2021-02-10")
    assert "articles/other-story-retitled/index.html" in build(bundle_site).changed_paths
    page = bundle_site / "content" / "harbour" / "index.md"
    page.write_text(page.read_text().replace("Boats left.", "Boats left at five."))
    report = build(bundle_site)
    assert "articles/harbour/index.html" in report.changed_paths
    assert not any(path.startswith("images/") for path in report.changed_paths)


def test_an_edited_image_replaces_its_derivatives_and_a_dropped_one_leaves_nothing(bundle_site, tmp_path):
    build(bundle_site)
    old = {p for p in tree(bundle_site / "output") if "dawn" in p}
    picture(bundle_site / "content" / "harbour" / "dawn.jpg", colour=(0, 160, 60))
    report = build(bundle_site)
    assert {"articles/harbour/index.html", "index.html", "feed.xml"} <= set(report.changed_paths)
    assert "articles/other-story/index.html" not in report.changed_paths
    new = {p for p in tree(bundle_site / "output") if "dawn" in p}
    assert new and not new & old and set(report.removed_paths) == old
    cached = {p.name for p in (bundle_site / ".site-cache" / "images").iterdir() if p.is_dir()}
    assert {p.split("/")[1] for p in new} <= cached and not {p.split("/")[1] for p in old} & cached
    cold = tmp_path / "cold"
    shutil.copytree(bundle_site, cold, ignore=shutil.ignore_patterns("output", ".site-cache"))
    build(cold)
    assert tree(bundle_site / "output") == tree(cold / "output")
    article(bundle_site, "harbour/index.md", "Harbour reopens", "2021-02-20", None, "No pictures now.")
    build(bundle_site)
    assert not any(p.startswith("images/") for p in tree(bundle_site / "output"))
    assert not [p for p in (bundle_site / ".site-cache" / "images").iterdir() if p.is_dir()]


def _record_worker(job):
    marks = Path(os.environ["IMAGE_WORKER_MARKS"])
    (marks / f"{os.getpid()}-{Path(job.file).parent.name}").touch()
    return process_image(job)


def test_a_cold_build_with_many_images_uses_the_worker_processes(tmp_path, monkeypatch):
    root = new_site(tmp_path / "site")
    for n in range(8):
        picture(root / "content" / f"s{n}" / "photo.jpg", colour=(n * 30, 80, 120))
        article(root, f"s{n}/index.md", f"Story {n}", f"2021-01-{n + 1:02d}", "photo.jpg")
    marks = tmp_path / "marks"
    marks.mkdir()
    monkeypatch.setenv("IMAGE_WORKER_MARKS", str(marks))
    monkeypatch.setattr(build_images, "process_image", _record_worker)
    build(root, jobs=2)
    processed = [name.split("-", 1) for name in os.listdir(marks)]
    assert len(processed) == 8
    assert {pid for pid, _ in processed} and str(os.getpid()) not in {pid for pid, _ in processed}


def test_the_dev_servers_edit_path_keeps_images_and_matches_a_cold_build(
    bundle_site, tmp_path, monkeypatch, settled
):
    memory = BuildMemory()
    config = load_config(bundle_site)
    build_site(config, now=NOW, jobs=1, memory=memory, changed=None)
    model = memory.site
    page = bundle_site / "content" / "harbour" / "index.md"
    page.write_text(page.read_text().replace("Boats left.", "Boats left early."))
    with monkeypatch.context() as patch:
        _no_image_work(patch)
        build_site(config, now=NOW, jobs=1, memory=memory, changed={page})
    assert memory.site is model  # the edit path
    picture(bundle_site / "content" / "harbour" / "extra.jpg", size=(500, 300), colour=(90, 10, 90))
    page.write_text(page.read_text() + "\n![An added picture](extra.jpg)\n")
    report = build_site(config, now=NOW, jobs=1, memory=memory, changed={page})
    assert memory.site is model and any("extra-200" in p for p in report.changed_paths)
    cold = tmp_path / "cold"
    shutil.copytree(bundle_site, cold, ignore=shutil.ignore_patterns("output", ".site-cache"))
    build(cold)
    assert tree(bundle_site / "output") == tree(cold / "output")


def test_check_reports_a_srcset_candidate_that_is_not_as_wide_as_it_says(bundle_site):
    build(bundle_site)
    output = bundle_site / "output"
    [small] = [p for p in tree(output) if p.endswith("dawn-200.webp")]
    (output / small).unlink()
    Image.new("RGB", (150, 100)).save(output / small)
    problems = check_output(load_config(bundle_site))
    assert {(p.kind, p.message) for p in problems} == {
        ("srcset", "says 200w but the image is 150 pixels wide")
    }
    assert {"articles/harbour/index.html", "index.html"} <= {p.file for p in problems}  # page, thumbnails
    (output / small).unlink()
    problems = check_output(load_config(bundle_site))
    assert {(p.kind, p.target.rsplit("/", 1)[-1]) for p in problems} == {("asset", "dawn-200.webp")}
