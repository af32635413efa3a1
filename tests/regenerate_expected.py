"""Regenerate tests/expected/site from tests/fixtures/site after an intended output change.

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
NOW = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)  # fixed, so "future" never depends on the day


def build_fixture(destination: Path) -> Path:
    """Build a fresh copy of the fixture site; return its output folder."""
    sys.path.insert(0, str(HERE.parent))
    from site_builder.build import build_site
    from site_builder.config import load_config

    site = destination / "site"
    shutil.copytree(FIXTURE, site, ignore=shutil.ignore_patterns("output", ".site-cache"))
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


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        output = build_fixture(Path(scratch))
        shutil.rmtree(EXPECTED, ignore_errors=True)
        shutil.copytree(output, EXPECTED)
        for name, page in LANGUAGE_PAGES.items():
            built = build_language_fixture(name, Path(scratch))
            (HERE / "expected" / name / page).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(built / page, HERE / "expected" / name / page)
    print(f"wrote {EXPECTED} and {', '.join(LANGUAGE_PAGES)}")


if __name__ == "__main__":
    main()
