"""Benchmark site_builder's image processing on an N-article archive with a lead image per article.

    python benchmarks/bench_images.py [--articles 10000] [--runs 3] [--workdir /tmp/bench-images]

Writes the archive twice from the real BBC articles (../shared/corpora/bbc, as bench_build.py does), each
article a page bundle (content/<slug>/index.md): once without images, once with a generated 2,000 x 1,333
JPEG lead image beside every article (a photo-like background with shapes and a number drawn on it, so no
two images are alike). Then measures, with peak memory of the whole process tree: a cold build of each
(no output, no cache), and for the one with images a rebuild with nothing changed, one with one article's
text edited and one with one article's image replaced. It checks that the no-change and text-edit builds
did no image work (the derivatives' cache and its index untouched) and reports the bytes of derivatives
per image. With --hugo, Hugo builds the same archive with equivalent image processing (each lead image
resized to the same three widths as WebP and JPEG and filled into the same three crops with `.Resize` and
`.Fill`, in a copy of the bench_build.py Hugo theme). Prints one Markdown table; see benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import io
import json
import multiprocessing
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

if not __package__:  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image, ImageChops, ImageDraw, ImageFilter  # noqa: E402

from benchmarks import corpus, formats  # noqa: E402
from benchmarks.measure import Measurement, run_measured  # noqa: E402

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SIZE = (2000, 1333)
BASES = 12  # photo-like backgrounds, varied per article by offset, shapes and a number
SETTINGS = 'title = "Image benchmark"\nbase_url = "https://example.org/"\n'
SETTLE_SECONDS = 5.5  # site_builder.images.index.SETTLE_SECONDS, and a margin


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3, help="runs of the no-change and edit builds")
    parser.add_argument("--cold-runs", type=int, default=1, help="runs of each cold build")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/bench-images"))
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpora" / "bbc")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=4 * 3600)
    parser.add_argument("--markdown", type=Path, help="also write the report here")
    parser.add_argument("--hugo", type=Path, help="a Hugo binary: measure Hugo on the same archive too")
    parser.add_argument("--revision", help="the site_builder commit measured (default: this checkout's)")
    parser.add_argument(
        "--rebuilds-only", action="store_true", help="skip the cold builds (the archive was built by a run)"
    )
    return parser.parse_args(argv)


# --------------------------------------------------------------------------- the archive


def _base(number: int) -> Image.Image:
    """A photo-like background: colour gradients at random angles, soft blobs, a little grain."""
    rng = random.Random(f"base-{number}")
    channels = [
        Image.linear_gradient("L").rotate(rng.randint(0, 359), expand=False).resize(SIZE) for _ in range(3)
    ]
    image = Image.merge("RGB", channels)
    draw = ImageDraw.Draw(image)
    for _ in range(30):
        x, y, r = rng.randrange(SIZE[0]), rng.randrange(SIZE[1]), rng.randint(40, 400)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rng.randrange(256) for _ in range(3)))
    image = image.filter(ImageFilter.GaussianBlur(12))
    grain = Image.effect_noise(SIZE, 24).convert("RGB")
    return Image.blend(image, grain, 0.06)


_bases: list[Image.Image] = []


def lead_image(index: int, variant: int = 0) -> bytes:
    """The lead image of article *index* (*variant*: a replacement for the image-edit build)."""
    if not _bases:
        _bases.extend(_base(n) for n in range(BASES))
    rng = random.Random(f"lead-{index}-{variant}")
    image = ImageChops.offset(_bases[rng.randrange(BASES)], rng.randrange(SIZE[0]), rng.randrange(SIZE[1]))
    draw = ImageDraw.Draw(image)
    for _ in range(rng.randint(4, 9)):
        x, y = rng.randrange(SIZE[0]), rng.randrange(SIZE[1])
        w, h = rng.randint(60, 500), rng.randint(60, 400)
        colour = tuple(rng.randrange(256) for _ in range(3))
        (draw.rectangle if rng.random() < 0.5 else draw.ellipse)((x, y, x + w, y + h), fill=colour)
    draw.text((60, 60), f"#{index}.{variant}", fill=(255, 255, 255), font_size=160)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def _write_bundle(task: tuple[Path, Path | None, int, str, str]) -> int:
    """Write one article's bundle; returns the image's size in bytes (0 without one)."""
    folder, _, index, document, title = task
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.md").write_text(document, encoding="utf-8")
    if "\nimage:" not in document:
        return 0
    data = lead_image(index)
    (folder / "lead.jpg").write_bytes(data)
    return len(data)


def with_image(document: str, title: str) -> str:
    """A content file with a lead image named in its front matter."""
    head, _, body = document.partition("\n---\n")
    image = (
        f"image:\n  src: lead.jpg\n  alt: {json.dumps('Photograph for ' + title)}\n"
        f"  caption: {json.dumps(title)}\n  credit: Benchmark photo desk"
    )
    return f"{head}\n{image}\n---\n{body}"


def generate(args: argparse.Namespace) -> tuple[Path, dict]:
    """Write the two sites unless identical ones are there; the facts about them. Made in a child
    process: this one forks every measured build, and its memory would count in their peaks."""
    root = args.workdir / f"n{args.articles}-seed{args.seed}"
    stamp = root / "archive.json"
    wanted = {"n": args.articles, "seed": args.seed, "format": 2}
    if stamp.exists() and json.loads(stamp.read_text()).get("params") == wanted:
        return root, json.loads(stamp.read_text())
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as one:
        facts = one.submit(_generate, args, root, wanted).result()
    stamp.write_text(json.dumps(facts, indent=1))
    return root, facts


def _generate(args: argparse.Namespace, root: Path, wanted: dict) -> dict:
    started = time.perf_counter()
    shutil.rmtree(root, ignore_errors=True)
    tasks = []
    slugs = []
    for index, article in enumerate(
        corpus.make_archive(corpus.load_bbc(args.corpus), args.articles, args.seed)
    ):
        document = formats.yaml_document(article)
        slugs.append(article.slug)
        for name, text in (("plain", document), ("images", with_image(document, article.title))):
            tasks.append((root / name / "content" / article.slug, None, index, text, article.title))
    for name in ("plain", "images"):
        (root / name).mkdir(parents=True, exist_ok=True)
        (root / name / "site.toml").write_text(SETTINGS)
    with multiprocessing.get_context("fork").Pool(os.cpu_count()) as pool:
        sizes = pool.map(_write_bundle, tasks, chunksize=16)
    middle = len(slugs) // 2
    (root / "variants").mkdir()
    for variant in range(1, args.runs + 1):  # the edited article's replacement images
        (root / "variants" / f"{variant}.jpg").write_bytes(lead_image(middle, variant))
    print(f"wrote the archives in {time.perf_counter() - started:.0f} s: {root}", file=sys.stderr)
    return {
        "params": wanted,
        "articles": len(slugs),
        "source_image_bytes": sum(sizes),
        "edit": {"slug": slugs[middle], "index": middle},
    }


# --------------------------------------------------------------------------- measuring


def command() -> list[str]:
    script = Path(sys.executable).with_name("site-builder")
    return (
        [str(script), "build", "-q"]
        if script.exists()
        else [sys.executable, "-m", "site_builder", "build", "-q"]
    )


def clean(site: Path) -> None:
    for name in ("output", ".site-cache"):
        shutil.rmtree(site / name, ignore_errors=True)


def image_state(site: Path) -> tuple:
    """What image work would change: the derivatives' folders and the index (with its mtime)."""
    store = site / ".site-cache" / "images"
    index = store / "index.pickle"
    folders = sorted(p.name for p in store.iterdir() if p.is_dir()) if store.is_dir() else []
    return folders, index.stat().st_mtime_ns if index.exists() else None


def folder_bytes(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def measure(label: str, site: Path, log: Path, timeout: float) -> Measurement:
    result = run_measured(command(), site, log, dict(os.environ), timeout)
    print(
        f"  {label:24} {result.seconds:8.2f} s {result.peak_bytes / 2**20:7.0f} MB rc={result.returncode}",
        file=sys.stderr,
    )
    if result.returncode != 0:
        raise SystemExit(f"{label} failed: see {log}")
    return result


HUGO_IMAGES = HERE / "peers" / "hugo_lead_image.html"  # the article page's image processing
HUGO_IMAGING = """
[imaging]
  resampleFilter = "CatmullRom"
  quality = 80
  hint = "photo"
"""


def hugo_site(root: Path, images: Path) -> Path:
    """The archive with images as a Hugo site: the bench_build.py theme, each article a page bundle
    (the image hard-linked) and its lead image processed on the article page."""
    site = root / "hugo"
    if site.exists():
        return site
    shutil.copytree(HERE / "peers" / "hugo", site)
    with open(site / "hugo.toml", "a", encoding="utf-8") as config:
        config.write(HUGO_IMAGING)
    single = site / "layouts" / "_default" / "single.html"
    single.write_text(
        single.read_text().replace("{{ .Content }}", HUGO_IMAGES.read_text() + "{{ .Content }}")
    )
    for bundle in sorted((images / "content").iterdir()):
        target = site / "content" / "articles" / bundle.name
        target.mkdir(parents=True)
        shutil.copyfile(bundle / "index.md", target / "index.md")
        os.link(bundle / "lead.jpg", target / "lead.jpg")
    return site


def measure_hugo(args: argparse.Namespace, root: Path, facts: dict, log: Path) -> tuple[dict, tuple]:
    site = hugo_site(root, root / "images")
    command_line = [str(args.hugo), "--quiet"]
    results: dict[str, list[Measurement]] = {}
    env = {**os.environ, "HUGO_CACHEDIR": str(site / ".hugo-cache")}

    def once(label: str) -> None:
        result = run_measured(command_line, site, log, env, args.timeout)
        print(f"  {label:24} {result.seconds:8.2f} s {result.peak_bytes / 2**20:7.0f} MB", file=sys.stderr)
        if result.returncode != 0:
            raise SystemExit(f"{label} failed: see {log}")
        results.setdefault(label, []).append(result)

    for _ in range(args.cold_runs):
        for name in ("public", "resources", ".hugo-cache"):
            shutil.rmtree(site / name, ignore_errors=True)
        once("Hugo cold, with images")
    page = site / "content" / "articles" / facts["edit"]["slug"] / "index.md"
    original = page.read_bytes()
    try:
        for run_number in range(args.runs):
            once("Hugo no change")
            page.write_bytes(original + f"\nBenchmark edit {run_number + 1}.\n".encode())
            once("Hugo one text edit")
    finally:
        page.write_bytes(original)
    return results, folder_bytes(site / "resources" / "_gen" / "images")


def rebuilds_without_images(args: argparse.Namespace, plain: Path, slug: str, log: Path) -> dict:
    """No-change and text-edit rebuilds of the archive without images, for comparison."""
    results: dict[str, list[Measurement]] = {"no change, no images": [], "one text edit, no images": []}
    page = plain / "content" / slug / "index.md"
    text = page.read_bytes()
    try:
        for run_number in range(args.runs):
            results["no change, no images"].append(measure("no change, no images", plain, log, args.timeout))
            page.write_bytes(text + f"\nBenchmark edit {run_number + 1}.\n".encode())
            label = "one text edit, no images"
            results[label].append(measure(label, plain, log, args.timeout))
    finally:
        page.write_bytes(text)
    return results


def run(args: argparse.Namespace, root: Path, facts: dict) -> dict:
    log = root / "build.log"
    log.write_text("")
    plain, images = root / "plain", root / "images"
    results: dict[str, list[Measurement]] = {}
    for label, site in (("cold, no images", plain), ("cold, with images", images)):
        for _ in range(0 if args.rebuilds_only else args.cold_runs):
            clean(site)
            results.setdefault(label, []).append(measure(label, site, log, args.timeout))
    slug = facts["edit"]["slug"]
    results.update(rebuilds_without_images(args, plain, slug, log))
    page = images / "content" / slug / "index.md"
    picture = images / "content" / slug / "lead.jpg"
    original_text, original_image = page.read_bytes(), picture.read_bytes()
    problems = []
    try:
        for run_number in range(args.runs):
            for label in ("no change", "one text edit"):
                if label == "one text edit":
                    page.write_bytes(original_text + f"\nBenchmark edit {run_number + 1}.\n".encode())
                before = image_state(images)
                results.setdefault(label, []).append(measure(label, images, log, args.timeout))
                if image_state(images) != before:
                    problems.append(f"{label} run {run_number + 1}: image work was done")
            variants = sorted((root / "variants").glob("*.jpg"))  # made for --runs when generated
            picture.write_bytes(variants[run_number % len(variants)].read_bytes())
            time.sleep(SETTLE_SECONDS)  # an image saved just before a build is read again by the next one
            results.setdefault("one image replaced", []).append(
                measure("one image replaced", images, log, args.timeout)
            )
    finally:
        page.write_bytes(original_text)
        picture.write_bytes(original_image)
    derivative_files, derivative_bytes = folder_bytes(images / "output" / "images")
    outcome = {"results": results, "problems": problems, "derivatives": (derivative_files, derivative_bytes)}
    if args.hugo:
        hugo_results, outcome["hugo_derivatives"] = measure_hugo(args, root, facts, log)
        results.update(hugo_results)
    return outcome


def report(args: argparse.Namespace, facts: dict, outcome: dict, started: float) -> str:
    n = facts["articles"]
    files, size = outcome["derivatives"]
    load = os.getloadavg()[0]
    revision = (
        args.revision
        or subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
        ).stdout.strip()
    )
    lines = [
        f"Command: `python benchmarks/bench_images.py {' '.join(sys.argv[1:])}` — "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} CPUs, "
        f"load average {load:.2f} at the end, Python {platform.python_version()}, "
        f"site_builder at {revision}, "
        f"{(time.time() - started) / 60:.0f} min in all",
        "",
        f"{n:,} articles, each a page bundle; with images, a {SIZE[0]} x {SIZE[1]} JPEG lead image each "
        f"({facts['source_image_bytes'] / n / 1024:.0f} KB on average). Medians (range) of the runs.",
        "",
        "| build | runs | seconds | peak memory (MB) |",
        "|---|---|---|---|",
    ]
    for label, measurements in outcome["results"].items():
        seconds = [m.seconds for m in measurements]
        spread = f" ({min(seconds):.2f}–{max(seconds):.2f})" if len(seconds) > 1 else ""
        peak = max(m.peak_bytes for m in measurements) / 2**20
        lines.append(f"| {label} | {len(seconds)} | {statistics.median(seconds):.2f}{spread} | {peak:.0f} |")
    lines += [
        "",
        f"Derivatives: {files:,} files, {size / 2**20:.0f} MB: {files / n:.1f} files and "
        f"{size / n / 1024:.0f} KB per image (WebP and JPEG at 480, 960 and 1,600 px; three 1,200 px "
        "social crops).",
        *(
            [
                f"Hugo's derivatives: {outcome['hugo_derivatives'][0]:,} files, "
                f"{outcome['hugo_derivatives'][1] / n / 1024:.0f} KB per image."
            ]
            if "hugo_derivatives" in outcome
            else []
        ),
        "No-change and text-edit builds did no image work (derivatives' cache and index untouched)."
        if not outcome["problems"]
        else "Problems: " + "; ".join(outcome["problems"]),
    ]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.time()
    root, facts = generate(args)
    outcome = run(args, root, facts)
    text = report(args, facts, outcome, started)
    print(text)
    if args.markdown:
        args.markdown.write_text(text)
    return 1 if outcome["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
