"""The newsroom settings of ``site.toml``: menu, logo, favicon, extra stylesheets, footer, sections and
feeds. Parsed here and kept in :class:`~site_builder.config.SiteConfig` (so they are part of the
settings every page's fingerprint covers)::

    logo = "/img/logo.svg"                  # under static/, or an absolute URL
    favicon = "/img/favicon.png"
    extra_css = ["/css/site.css"]           # linked after the theme's stylesheet
    footer = "© 2026 The Courier · Made in Leeds"
    feeds = ["atom", "rss", "json"]         # which feed formats to write (default: atom)
    feed_content = "full"                   # "summary" (default) or the whole article

    [sections]
    from_folders = true                     # an article's top-level folder is its section

    [[menu]]                                # replaces the theme's menu when given
    label = "Business"
    section = "business"                    # or page = "about", or url = "tags/" / "https://..."
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from site_builder.errors import SiteError

# the SiteConfig fields these settings fill
NEWSROOM_FIELDS = (
    "menu", "logo", "favicon", "extra_css", "footer", "feeds", "feed_content", "sections_from_folders",
)  # fmt: skip
FEED_FORMATS = ("atom", "rss", "json")
FEED_CONTENT = ("summary", "full")
_MENU_TARGETS = ("url", "page", "section")
_URL = re.compile(r"(https?://|mailto:)\S+$")
_SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*$")


def newsroom_settings(raw: dict[str, Any], path: Path) -> dict[str, Any]:
    """The newsroom settings taken out of *raw* (site.toml as parsed), validated."""
    values: dict[str, Any] = {}
    if "menu" in raw:
        values["menu"] = tuple(
            _menu_entry(item, number, path) for number, item in enumerate(raw.pop("menu"), 1)
        )
    for key in ("logo", "favicon"):
        if key in raw:
            values[key] = _asset(raw.pop(key), key, path)
    if "extra_css" in raw:
        given = raw.pop("extra_css")
        if not isinstance(given, list):
            raise SiteError(
                f"expected a list of stylesheets such as ['/css/site.css'], got {given!r}",
                path,
                field="extra_css",
            )
        values["extra_css"] = tuple(_asset(item, "extra_css", path) for item in given)
    if "footer" in raw:
        footer = raw.pop("footer")
        if not isinstance(footer, str):
            raise SiteError(f"expected text, got {footer!r}", path, field="footer")
        values["footer"] = footer
    if "feeds" in raw:
        values["feeds"] = _feeds(raw.pop("feeds"), path)
    if "feed_content" in raw:
        content = raw.pop("feed_content")
        if content not in FEED_CONTENT:
            raise SiteError(f"expected 'summary' or 'full', got {content!r}", path, field="feed_content")
        values["feed_content"] = content
    if "sections" in raw:
        values["sections_from_folders"] = _sections(raw.pop("sections"), path)
    return values


def _menu_entry(item: Any, number: int, path: Path) -> dict[str, str]:
    where = f"menu[{number}]"
    if not isinstance(item, dict):
        raise SiteError(
            "expected [[menu]] tables with a label and a url, page or section", path, field="menu"
        )
    unknown = set(item) - {"label", *_MENU_TARGETS}
    if unknown:
        raise SiteError(
            f"unknown keys {sorted(unknown)} (expected label and one of url, page, section)",
            path,
            field=where,
        )
    label = item.get("label")
    if not isinstance(label, str) or not label.strip():
        raise SiteError("expected a label (the text of the link)", path, field=f"{where}.label")
    targets = [key for key in _MENU_TARGETS if key in item]
    if len(targets) != 1 or not isinstance(item[targets[0]], str):
        raise SiteError("expected exactly one of url, page or section (text)", path, field=where)
    kind, value = targets[0], item[targets[0]].strip()
    if kind == "url":
        if value == "/":
            return {"label": label.strip(), "url": ""}
        if not (_URL.match(value) or (value and not value.startswith("//") and ".." not in value.split("/"))):
            raise SiteError(
                f"expected a site path such as 'tags/' or an http(s) URL, got {value!r}",
                path,
                field=f"{where}.url",
            )
        return {"label": label.strip(), "url": value if _URL.match(value) else value.lstrip("/")}
    if not _SLUG.match(value):
        raise SiteError(f"expected a slug such as 'about', got {value!r}", path, field=f"{where}.{kind}")
    url = f"{value}/" if kind == "page" else f"sections/{value}/"
    return {"label": label.strip(), "url": url}


def _asset(value: Any, key: str, path: Path) -> str:
    """A file of the built site named from its root ('/img/logo.svg', 'img/logo.svg') or an absolute URL."""
    if not isinstance(value, str) or not value.strip():
        raise SiteError(
            f"expected a path under static/ such as '/img/logo.svg' or a URL, got {value!r}", path, field=key
        )
    value = value.strip()
    if re.match(r"https?://\S+$", value):
        return value
    if value.startswith("//") or ".." in value.split("/") or "\\" in value:
        raise SiteError(
            f"expected a path under static/ such as '/img/logo.svg', got {value!r}", path, field=key
        )
    return value.lstrip("/")


def _feeds(value: Any, path: Path) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(v in FEED_FORMATS for v in value):
        raise SiteError(
            f"expected a list of formats from {list(FEED_FORMATS)}, got {value!r}", path, field="feeds"
        )
    if len(set(value)) != len(value):
        raise SiteError("a format is listed twice", path, field="feeds")
    return tuple(sorted(value, key=FEED_FORMATS.index))


def _sections(value: Any, path: Path) -> bool:
    if not isinstance(value, dict):
        raise SiteError("expected a table: [sections] from_folders = true", path, field="sections")
    unknown = set(value) - {"from_folders"}
    if unknown:
        raise SiteError(f"unknown keys {sorted(unknown)} (expected from_folders)", path, field="sections")
    folders = value.get("from_folders", False)
    if not isinstance(folders, bool):
        raise SiteError(f"expected true or false, got {folders!r}", path, field="sections.from_folders")
    return folders


def is_external(url: str) -> bool:
    return bool(_URL.match(url))
