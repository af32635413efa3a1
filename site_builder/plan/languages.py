"""The page plan of a multilingual site: each language tree planned as a site of its own, then merged.

A tree is the existing planner run on the articles of one language (see :mod:`site_builder.model.trees`
for which articles and URLs belong to a tree). Its section pages (front page, topics, people, archives,
search, feeds) are moved under the tree's folder and told their tree (``tree``: the page's ``url()``
adds its folder to section links) and language (``language``: the theme's words and dates); article
pages keep their URLs, which carry the folder already. What is one per site is made once: the sitemap
(listing every tree's pages), ``robots.txt``, the 404 page (the default language's) and, when the
default language has its own folder too, a root ``index.html`` that sends readers to it.

Every page of a tree gets the language switcher (``languages``: the same page in each other tree where
every tree has it, an article's translation where there is one, else that tree's front page) and the
pages every tree has get ``alternates`` (``hreflang`` links, with ``x-default``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from site_builder.config import SiteConfig
from site_builder.model.authors import AuthorDirectory
from site_builder.model.page import Page
from site_builder.model.site import Site
from site_builder.model.site import build_site as group_site
from site_builder.model.trees import LanguageTrees, tree_path
from site_builder.plan.alternates import translation_groups
from site_builder.plan.feeds import FEED_KINDS
from site_builder.plan.incremental import plan_affected
from site_builder.plan.pages import iter_pages
from site_builder.plan.related import RelatedMap, related_articles

# Pages that every tree has, at the same path in each: their switcher and hreflang links go to the same
# page of the other trees (the first page of a listing)
EVERY_TREE = {"home": "", "tags": "tags/", "people": "people/", "archive": "archive/", "search": "search/"}
ROOT_TEMPLATE = "languages.html"
_ONE_PER_SITE = ("sitemap.xml", "robots.txt", "404.html")


def split_site(site: Site, trees: LanguageTrees, authors: AuthorDirectory | None = None) -> dict[str, Site]:
    """The site model of each language tree, in the order of ``languages``, from the whole site's.

    Pages that are not news (About, Contact) are site-wide, at ``/<slug>/``: the default tree plans
    them. *authors* (authors.toml) gives each tree's author pages their bios and links."""
    members: dict[str, list] = {tree: [] for tree in trees.languages}
    for article in site.articles:
        members[trees.tree_of(article.language)].append(article)
    members[trees.default].extend(site.pages)
    bios = {person.name: person.bio for person in site.people.values()}
    return {tree: group_site(articles, bios=bios.get, authors=authors) for tree, articles in members.items()}


def related_in_trees(sites: dict[str, Site]) -> dict[str, RelatedMap]:
    """Related articles within each tree (a German article's related articles are German)."""
    return {tree: related_articles(site) for tree, site in sites.items()}


def iter_tree_pages(
    site: Site,
    config: SiteConfig,
    sites: dict[str, Site],
    related: dict[str, RelatedMap],
    extra: Iterable[Page] = (),
) -> Iterator[Page]:
    """Every page of the multilingual *site* (split into *sites* by :func:`split_site`), planned as
    they are taken; *extra*: the plugins' pages, site-wide, listed in the sitemap like the trees'."""
    trees = config.trees
    assert trees is not None
    groups = _translations_by_url(site)  # before the trees' own groups replace the site's
    paths: list[str] = []
    lastmods: list[str | None] = []
    robots: Page | None = None
    for tree, tree_site in sites.items():
        place = _Placer(trees, tree, groups)
        for page in iter_pages(tree_site, config, related[tree]):
            if page.path in _ONE_PER_SITE:
                if page.kind == "sitemap":
                    paths += [place.path(p) for p in page.context["paths"]]
                    lastmods += page.context["lastmod"]
                elif page.kind == "text":
                    robots = page
                elif tree == trees.default:
                    yield place.page(page)  # the 404 page, linking into the default language
                continue
            yield place.page(page)
    if trees.prefix(trees.default):
        yield root_page(trees)
    for page in extra:
        if page.kind == "html" and page.template not in ("404.html", "redirect.html"):
            paths.append(page.path)
            lastmods.append(None)
        yield page
    yield Page("sitemap.xml", "sitemap", {"paths": paths, "lastmod": lastmods})
    assert robots is not None
    yield robots


def _translations_by_url(site: Site) -> dict[str, list[dict[str, Any]]]:
    """Each translated article's group of translations (across the trees), by its URL."""
    groups = translation_groups(site)
    return {a.url: groups[a.translation_key] for a in site.articles if a.translation_key in groups}


def root_page(trees: LanguageTrees) -> Page:
    """The site's root when every language has its folder: a link to each, sending readers on to the
    default language (meta refresh), with ``hreflang`` alternates and ``x-default``."""
    fronts = [{"language": tree, "url": "/" + trees.prefix(tree)} for tree in trees.languages]
    context = {
        "kind": "languages",
        "page_url": "",
        "tree": trees.prefix(trees.default),
        "language": trees.default,
        "target": "/" + trees.prefix(trees.default),
        "languages": fronts,
        "alternates": [*fronts, {"language": "x-default", "url": "/"}],
    }
    return Page("index.html", "html", context, ROOT_TEMPLATE)


class _Placer:
    """Moves the pages of one tree into place and gives them their tree, language and switcher."""

    def __init__(self, trees: LanguageTrees, tree: str, groups: dict[str, list[dict[str, Any]]]) -> None:
        self.trees, self.tree, self.groups = trees, tree, groups
        self.prefix = trees.prefix(tree)
        self.others = [other for other in trees.languages if other != tree]
        self.fronts = [{"language": o, "url": "/" + trees.prefix(o)} for o in self.others]
        self.same_page = {kind: self._same_page(url) for kind, url in EVERY_TREE.items()}

    def _same_page(self, url: str) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
        """The switcher and the hreflang alternates of a page every tree has at *url*."""
        switcher = [{"language": o, "url": "/" + self.trees.prefix(o) + url} for o in self.others]
        everyone = [{"language": t, "url": "/" + self.trees.prefix(t) + url} for t in self.trees.languages]
        default = "/" if not url else "/" + self.trees.prefix(self.trees.default) + url
        return switcher, [*everyone, {"language": "x-default", "url": default}]

    def path(self, path: str) -> str:
        return tree_path(path, self.prefix)

    def page(self, page: Page) -> Page:
        if page.kind in FEED_KINDS:  # Atom, RSS, JSON Feed: the listing's own URL in the tree
            context = {**page.context, "url": self.path(page.context["url"]), "language": self.tree}
            return Page(self.path(page.path), page.kind, context, page.template, page.body_key, page.source)
        if page.kind != "html":
            return Page(
                self.path(page.path), page.kind, page.context, page.template, page.body_key, page.source
            )
        context = {**page.context, "tree": self.prefix}
        kind = context.get("kind")
        if kind == "article":
            self._article(context)
        else:
            context["language"] = self.tree
            context["languages"] = self.fronts
            if kind in self.same_page and context.get("page_url") == EVERY_TREE[kind]:
                context["languages"], context["alternates"] = self.same_page[kind]
        path = page.path if page.template == "redirect.html" else self.path(page.path)  # aliases: as given
        return Page(path, page.kind, context, page.template, page.body_key, page.source)

    def _article(self, context: dict[str, Any]) -> None:
        """An article page: its translations across the trees, and a switcher to them (else to the
        other trees' front pages). Its language is its own (a default-tree article in a language the
        theme does not speak is shown in the default language, as on a site of one language)."""
        article = context["article"]
        if self.tree != self.trees.default:
            context["language"] = article.get("language") or self.tree
        translations = self.groups.get(context["page_url"])
        if not translations:
            context["languages"] = self.fronts
            return
        context["translations"] = translations
        found = {self.trees.tree_of(t["language"]): t["url"] for t in translations}
        context["languages"] = [
            {"language": o, "url": "/" + found[o]} if o in found else front
            for o, front in zip(self.others, self.fronts, strict=True)
        ]


def plan_affected_trees(
    site: Site,
    config: SiteConfig,
    sites: dict[str, Site],
    changed: set[str],
    related_urls: dict[str, list[str]],
) -> list[Page]:
    """The pages showing any of the *changed* articles (by URL), tree by tree, when the structure of
    the whole site is unchanged (see :func:`site_builder.plan.incremental.plan_affected`): an edit of a
    German article re-plans pages of the German tree only."""
    trees = config.trees
    assert trees is not None
    groups = _translations_by_url(site)
    pages: list[Page] = []
    for tree, tree_site in sites.items():
        mine = {a.url for a in tree_site.articles if a.url in changed}
        if mine:
            place = _Placer(trees, tree, groups)
            pages += [place.page(page) for page in plan_affected(tree_site, config, mine, related_urls)]
    return pages
