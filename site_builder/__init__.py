"""site_builder: a static site generator for news archives.

The Python API (the ``site-builder`` command is a thin layer over it)::

    from site_builder import SiteError, build_site, extract_file, load_config

    config = load_config("mysite")          # site.toml read and validated (SiteError if not)
    report = build_site(config)             # a BuildReport: report.summary(), .written, .removed ...
    article = extract_file(Path("raw/story.html"))  # an ExtractedArticle: .to_json_dict()

Every problem in a user's site is a :class:`SiteError` naming the file, the line and the field.
The names are imported on first use, so ``import site_builder`` stays cheap.
"""

from __future__ import annotations

from typing import Any

from site_builder.errors import SiteError
from site_builder.version import __version__

__all__ = ["SiteError", "__version__", "build_site", "extract_file", "load_config"]


def __getattr__(name: str) -> Any:
    if name == "build_site":
        from site_builder.build import build_site

        return build_site
    if name == "load_config":
        from site_builder.config import load_config

        return load_config
    if name == "extract_file":
        from site_builder.importer import extract_file

        return extract_file
    raise AttributeError(f"module 'site_builder' has no attribute {name!r}")
