"""Regenerate tests/expected/site from tests/fixtures/site (and tests/expected/plugin-site from
tests/fixtures/plugin-site, the site with plugins) after an intended output change.

    python tests/regenerate_expected.py

Review the diff (git diff tests/expected) before committing it.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "fixtures" / "site"
EXPECTED = HERE / "expected" / "site"
PLUGIN_FIXTURE = HERE / "fixtures" / "plugin-site"
PLUGIN_EXPECTED = HERE / "expected" / "plugin-site"
NOW = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)  # fixed, so "future" never depends on the day


def build_fixture(destination: Path, fixture: Path = FIXTURE) -> Path:
    """Build a fresh copy of the fixture site; return its output folder."""
    sys.path.insert(0, str(HERE.parent))
    from site_builder.build import build_site
    from site_builder.config import load_config

    site = destination / "site"
    shutil.copytree(fixture, site, ignore=shutil.ignore_patterns("output", ".site-cache", "__pycache__"))
    build_site(load_config(site), now=NOW)
    return site / "output"


# Sites in other languages: one page of each is kept (tests/functional/test_i18n_expected.py)
LANGUAGE_PAGES = {
    "site-de": "articles/neue-brucke-uber-die-isar-beschlossen/index.html",
    "site-ar": "articles/new-bridge-cairo/index.html",
}


def build_language_fixture(name: str, destination: Path) -> Path:
    """Build a fresh copy of tests/fixtures/<name>; return its output folder."""
    sys.path.insert(0, str(HERE.parent))
    from site_builder.build import build_site
    from site_builder.config import load_config

    site = destination / name
    shutil.copytree(HERE / "fixtures" / name, site, ignore=shutil.ignore_patterns("output", ".site-cache"))
    build_site(load_config(site), now=NOW)
    return site / "output"


# A multilingual site (tests/functional/test_languages_site.py): these pages and the list of every file
MULTILINGUAL = "site-multi"
MULTILINGUAL_PAGES = [
    "index.html",
    "de/index.html",
    "de/articles/der-hafen-offnet-nach-dem-sturm-wieder/index.html",
    "en/articles/the-harbour-reopens-after-the-storm/index.html",
    "de/archive/2021/03/index.html",
    "de/feed.xml",
    "sitemap.xml",
]
MULTILINGUAL_FILES = "files.txt"


def write_multilingual_expected(output: Path) -> None:
    expected = HERE / "expected" / MULTILINGUAL
    shutil.rmtree(expected, ignore_errors=True)
    for page in MULTILINGUAL_PAGES:
        (expected / page).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(output / page, expected / page)
    files = sorted(p.relative_to(output).as_posix() for p in output.rglob("*") if p.is_file())
    (expected / MULTILINGUAL_FILES).write_text("".join(f"{name}\n" for name in files), encoding="utf-8")


def main() -> None:
    for fixture, expected in ((FIXTURE, EXPECTED), (PLUGIN_FIXTURE, PLUGIN_EXPECTED)):
        with tempfile.TemporaryDirectory() as scratch:
            output = build_fixture(Path(scratch), fixture)
            shutil.rmtree(expected, ignore_errors=True)
            shutil.copytree(output, expected)
        print(f"wrote {expected}")
    with tempfile.TemporaryDirectory() as scratch:
        for name, page in LANGUAGE_PAGES.items():
            built = build_language_fixture(name, Path(scratch))
            (HERE / "expected" / name / page).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(built / page, HERE / "expected" / name / page)
        write_multilingual_expected(build_language_fixture(MULTILINGUAL, Path(scratch)))
    print(f"wrote {', '.join(LANGUAGE_PAGES)}, {MULTILINGUAL}")


if __name__ == "__main__":
    main()
