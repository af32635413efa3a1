"""Rendering planned pages into bytes: templates, feeds, the sitemap and stored texts, with located errors."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import jinja2
import jinja2.bccache
import jinja2.meta
import jinja2.runtime

from site_builder.config import SiteConfig
from site_builder.errors import SiteError
from site_builder.model.page import Page
from site_builder.plugins import plugins_of
from site_builder.render.environment import make_environment
from site_builder.render.feeds import render_atom, render_sitemap
from site_builder.render.feeds_more import render_json_feed, render_rss, with_content
from site_builder.render.images import rewrite_images
from site_builder.render.linking import link_people
from site_builder.render.subpath import under_prefix
from site_builder.render.trees import rendering_tree


def template_error(error: jinja2.TemplateError) -> SiteError:
    if isinstance(error, jinja2.TemplateSyntaxError):
        return SiteError(
            f"template syntax error: {error.message}", error.filename or error.name, error.lineno
        )
    return SiteError(f"template error: {error}")


class PageRenderer:
    """Turns planned pages into bytes; *load_body* streams article bodies from the cache, *load_stored*
    the texts of ``stored`` pages (kept in the cache by the build, such as the search index files)."""

    def __init__(
        self,
        config: SiteConfig,
        load_body: Callable[[str], Any],
        load_stored: Callable[[str], str] | None = None,
        env: jinja2.Environment | None = None,
    ) -> None:
        self.config = config
        self.env = env or make_environment(config)
        self.load_body = load_body
        self.load_stored = load_stored
        self.plugins = plugins_of(config)

    def render(self, page: Page) -> bytes:
        if page.kind in ("feed", "rss", "jsonfeed"):
            return self._feed(page)
        if page.kind == "sitemap":
            return render_sitemap(page.context, self.config)
        if page.kind == "text":
            return page.context["text"].encode("utf-8")
        if page.kind == "bytes":  # a plugin's own file (see Plugins.extra_pages)
            return page.context["bytes"]
        if page.kind == "stored":
            return self._stored(page)
        tree = page.context.get("tree")
        if tree is None:
            return self._render_template(page)
        with rendering_tree(tree):  # a page of a multilingual site's language tree
            return self._render_template(page)

    def _feed(self, page: Page) -> bytes:
        context = page.context
        if context.get("content") == "full":
            context = with_content(context, self.load_body, self.config)
        if page.kind == "rss":
            return render_rss(context, self.config)
        if page.kind == "jsonfeed":
            return render_json_feed(context, self.config)
        return render_atom(context, self.config)

    def _stored(self, page: Page) -> bytes:
        """A page whose context is the SHA-256 of its text, the text being kept in the cache."""
        try:
            data = self.load_stored(page.path).encode("utf-8") if self.load_stored else None
        except KeyError:
            data = None
        if data is None or hashlib.sha256(data).hexdigest() != page.context["sha256"]:
            raise SiteError(f"output/{page.path} is missing from the cache; delete .site-cache and rebuild")
        return data

    def _render_template(self, page: Page) -> bytes:
        context = dict(page.context)
        if page.body_key:
            body = self.load_body(page.body_key)
            people = page.context.get("article", {}).get("people", [])
            body_html = link_people(body.html, people, self.env.globals["url"])
            figures = page.context.get("article", {}).get("figures")
            if figures:
                body_html = rewrite_images(body_html, figures, self.env.globals["url"])
            context["body"] = under_prefix(body_html, self.config.path_prefix)
            context["toc"] = body.toc_html
        if self.plugins:
            context = self.plugins.page_context(page, context, self.config)
        try:
            template = self.env.get_template(page.template or "")
            return template.render(context).encode("utf-8")
        except jinja2.TemplateSyntaxError as error:
            raise template_error(error) from None
        except Exception as error:  # a template raising at render time: locate it in the template
            raise _render_error(error, page) from None


def _render_error(error: Exception, page: Page) -> SiteError:
    import traceback

    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.endswith((".html", ".xml"))]
    where = f" (rendering /{page.url} from {page.source})" if page.source else f" (rendering /{page.url})"
    if frames:
        frame = frames[-1]
        return SiteError(f"{type(error).__name__}: {error}{where}", frame.filename, frame.lineno)
    return SiteError(f"{type(error).__name__}: {error}{where}", page.template)
