"""Make a site from the BBC corpus with plain front matter (no importer: a fixture of known shape).

    python -m tests.helpers.bbc DEST [N]

Title from line 1, the category folder as tag, a synthetic date spread over 2004-2005 (the corpus has
none; marked as such in the front matter) and slug category-NNN (the corpus has duplicate titles).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from site_builder.sources.frontmatter import dump_document
from tests.helpers import SHARED

BBC = SHARED / "corpora" / "bbc"


def bbc_files() -> list[Path]:
    return sorted(BBC.glob("*/*.txt"))


def make_bbc_site(destination: Path, limit: int | None = None) -> Path:
    (destination / "content").mkdir(parents=True, exist_ok=True)
    (destination / "site.toml").write_text('title = "BBC archive"\nbase_url = "https://example.org/bbc/"\n')
    start = dt.datetime(2004, 1, 1, tzinfo=dt.UTC)
    for index, path in enumerate(bbc_files()[:limit]):
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
        title, _, body = text.strip().partition("\n")
        meta = {
            "title": title.strip(),
            "slug": f"{path.parent.name}-{path.stem}",
            "date": (start + dt.timedelta(hours=7 * index)).isoformat(),
            "tags": [path.parent.name.title()],
            "synthetic_date": True,
        }
        target = destination / "content" / path.parent.name / f"{path.stem}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(dump_document(meta, body.strip()), encoding="utf-8")
    return destination


if __name__ == "__main__":
    make_bbc_site(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else None)
