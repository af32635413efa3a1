"""``init`` and ``new``: starting a site and starting an article, with front matter filled in.

Neither ever overwrites a file: ``init`` into a folder that already holds files keeps them (an existing
``.gitignore`` gets the missing entries appended) and refuses a folder that already has a site.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import tomli_w

from site_builder.config import CONFIG_FILE, load_config
from site_builder.errors import SiteError
from site_builder.model.slugs import slugify
from site_builder.sources.frontmatter import dump_document

CONFIG_HEADER = "# site_builder configuration (see README.md for every setting)\n"
FOLDERS = ("content", "templates", "static")
IGNORED = ("output/", ".site-cache/")  # built again from the sources: never committed

EXAMPLE_BODY = """\
This is an example article. Write Markdown below the front matter: paragraphs, *emphasis*,
[links](https://example.org), lists and quotes all work.

> "Every archive starts with one article," the editor said.
"""


def site_settings(title: str) -> dict[str, object]:
    """The settings of a new site; written with a TOML writer, so any title round-trips."""
    return {
        "title": title,
        "description": "A news archive built with site_builder.",
        "base_url": "http://localhost:8000/",
        "language": "en",
        "timezone": "UTC",
        "permalink": "articles/{slug}/",
        "page_size": 20,
        "feed_size": 20,
    }


def init_site(directory: Path, title: str = "My news archive") -> dict[Path, str]:
    """Create a site skeleton that builds. Returns each file with what happened to it: ``created``,
    ``updated`` (entries appended) or ``kept`` (it existed). Refuses, writing nothing, a folder that
    already has a site or where a file stands in the place of a folder."""
    directory = Path(directory)
    config_path = directory / CONFIG_FILE
    if config_path.exists():
        raise SiteError("a site already exists here; not overwriting it", config_path)
    for folder in (directory, *(directory / name for name in FOLDERS)):
        if folder.exists() and not folder.is_dir():
            raise SiteError("is not a folder; choose another place for the site", folder)
    for name in FOLDERS:
        (directory / name).mkdir(parents=True, exist_ok=True)
    done = {config_path: _create(config_path, CONFIG_HEADER + tomli_w.dumps(site_settings(title)))}
    done[directory / ".gitignore"] = _ignore_built_files(directory / ".gitignore")
    article = directory / "content" / "welcome.md"
    done[article] = _create(article, dump_document(_welcome_meta(), EXAMPLE_BODY))
    return done


def _create(path: Path, text: str) -> str:
    """Write a new file; an existing one (even created a moment ago by someone else) is kept."""
    try:
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        return "kept"
    return "created"


def _ignore_built_files(path: Path) -> str:
    """Make git ignore output/ and .site-cache/, appending to the user's .gitignore if there is one."""
    if not path.exists():
        return _create(path, "".join(f"{entry}\n" for entry in IGNORED))
    text = path.read_text(encoding="utf-8", errors="surrogateescape")
    present = {line.strip() for line in text.splitlines()}
    missing = [entry for entry in IGNORED if entry not in present and entry.rstrip("/") not in present]
    if not missing:
        return "kept"
    separator = "" if not text or text.endswith("\n") else "\n"
    with path.open("a", encoding="utf-8", errors="surrogateescape") as handle:
        handle.write(separator + "".join(f"{entry}\n" for entry in missing))
    return "updated"


def _welcome_meta() -> dict[str, object]:
    return {
        "title": "Welcome to your news archive",
        "date": dt.date.today().isoformat(),
        "tags": ["Site news"],
        "people": [{"name": "Ada Editor", "role": "Editor"}],
        "summary": "The first article of the archive.",
    }


def new_article(
    site_dir: Path,
    title: str,
    now: dt.datetime | None = None,
    *,
    date: str | None = None,
    tags: list[str] | None = None,
) -> Path:
    """Create ``content/<slug>.md`` dated *date* (ISO 8601; default: now in the site's time zone) with
    *tags*; never overwrite a file. Refused outside a site: a stray ``content/`` would be made anywhere."""
    site_dir = Path(site_dir)
    if not (site_dir / CONFIG_FILE).is_file():
        where = site_dir.resolve()
        raise SiteError(
            f"no {CONFIG_FILE} in {where}: not a site folder. Run this in the site's folder or pass "
            "--site DIR; to start a site, run 'site-builder init DIR'"
        )
    config = load_config(site_dir)
    now = now or dt.datetime.now(config.zone)
    slug = slugify(title)
    path = config.content_dir / f"{slug}.md"
    meta = {
        "title": title,
        "date": _article_date(date, config.zone) if date else now.replace(microsecond=0).isoformat(),
        "slug": slug,
        "tags": _tag_names(tags or []),
        "people": [],
        "authors": [config.author] if config.author else [],
        "summary": "",
        "draft": True,
    }
    config.content_dir.mkdir(parents=True, exist_ok=True)
    if _create(path, dump_document(meta, "Write the article here.\n")) == "kept":
        raise SiteError("already exists; choose another title or edit that file", path)
    return path


def _article_date(value: str, zone: dt.tzinfo) -> str:
    """``--date`` as front matter writes it: a day stays a day, a time without an offset gets the site's."""
    try:
        if len(value.strip()) == 10:
            return dt.date.fromisoformat(value.strip()).isoformat()
        moment = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise SiteError(
            f"--date: expected an ISO 8601 date such as 2017-04-13 or 2017-04-13T12:41, got {value!r}"
        ) from None
    return (moment if moment.tzinfo else moment.replace(tzinfo=zone)).isoformat()


def _tag_names(values: list[str]) -> list[str]:
    """``--tags "Council, Transport"`` (repeatable): the names in order, each once."""
    names = [name.strip() for value in values for name in value.split(",")]
    return list(dict.fromkeys(name for name in names if name))
