"""Language trees of a multilingual site (``languages = ["en", "de"]``): which tree an article belongs
to, and which URLs live inside a tree.

Each language is a sub-site under ``/<lang>/`` with its own front page, listings, feeds and search; the
default language lives there too unless ``default_language_in_subdir = false`` puts it at the root.
Article URLs carry their tree's prefix from the moment they are read (so every article has one URL
across the site, and translations link each other directly); the section pages that every tree has
(``SECTIONS``) are planned once per tree without it and placed under the tree's prefix, and the theme's
``url()`` adds the prefix of the page's tree to links into these sections. Everything else (theme
assets, processed images, static files, aliases, the 404 page) is site-wide.
"""

from __future__ import annotations

from dataclasses import dataclass

from site_builder.model.language import base_language

# The first path segments of the pages every language tree has ("" is the front page, "page" its later
# pages): a link to one of them from a page of a tree goes to that tree's own.
SECTIONS = frozenset(
    {"", "page", "feed.xml", "rss.xml", "feed.json", "index.html", "tags", "people", "archive", "search"}
    | {"sections", "authors"}
)


def in_sections(path: str) -> bool:
    """Is the site-relative *path* one of the tree sections (then each tree has its own)?"""
    return path.split("/", 1)[0] in SECTIONS


def tree_path(path: str, prefix: str) -> str:
    """*path* as seen from a page of the tree under *prefix* ("de/"): a section path gets the prefix, a
    path with a leading slash is from the site's root, anything else is site-wide already."""
    if path.startswith("/"):
        return path.lstrip("/")
    return prefix + path if prefix and in_sections(path) else path


@dataclass(frozen=True)
class LanguageTrees:
    """The languages of a multilingual site: the *languages* in their order, the *default* one, and
    whether the default one has a folder of its own (*default_in_subdir*) or takes the root."""

    languages: tuple[str, ...]
    default: str
    default_in_subdir: bool = True

    def tree_of(self, language: str | None) -> str:
        """The tree of an article in *language*: the same tag, else the first with the same language
        subtag ("de-AT" goes to "de", "de" to "de-CH"), else the default (no language, or another one)."""
        if not language:
            return self.default
        if language in self.languages:
            return language
        base = base_language(language).lower()
        return next((tree for tree in self.languages if base_language(tree).lower() == base), self.default)

    def prefix(self, tree: str) -> str:
        """The URL folder of *tree*: "de/" (lower case), or "" for a default language at the root."""
        if tree == self.default and not self.default_in_subdir:
            return ""
        return tree.lower() + "/"

    def prefix_of(self, language: str | None) -> str:
        """The URL folder of an article in *language*."""
        return self.prefix(self.tree_of(language))
