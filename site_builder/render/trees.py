"""Links from the pages of a multilingual site's language trees (see :mod:`site_builder.model.trees`).

A page of a tree carries its tree's folder (``tree`` in its context); while it renders, ``url()`` and
``abs_url()`` send links into the sections every tree has (``tags/``, ``archive/``...) to that tree's
own, take a path with a leading slash from the site's root (the switcher's links to other trees) and
leave everything else (articles, assets, images) as it is. A site of one language keeps the plain
functions: its pages and their bytes are as they were.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterator
from typing import Any

import jinja2

from site_builder.config import SiteConfig
from site_builder.model.trees import tree_path

_tree: contextvars.ContextVar[str] = contextvars.ContextVar("tree", default="")


@contextlib.contextmanager
def rendering_tree(prefix: str) -> Iterator[None]:
    """Render within the tree under *prefix* ("de/", or "" for a default language at the root)."""
    token = _tree.set(prefix)
    try:
        yield
    finally:
        _tree.reset(token)


def install(env: jinja2.Environment, config: SiteConfig, make_memo: Callable[[], Any]) -> None:
    """Tree-aware ``url``, ``abs_url`` and ``memo`` (*make_memo* makes one tree's fragment memo: a
    teaser's links differ between trees)."""
    prefix, current = config.path_prefix, _tree.get

    def url(path: Any = "") -> str:
        return prefix + tree_path(str(path or ""), current())

    def abs_url(path: Any = "") -> str:
        return config.absolute_url(tree_path(str(path or ""), current()))

    memos: dict[str, Callable[..., Any]] = {}

    def memo(macro: Callable[..., Any], *args: Any) -> Any:
        tree = current()
        found = memos.get(tree)
        if found is None:
            found = memos[tree] = make_memo()
        return found(macro, *args)

    env.globals.update(url=url, abs_url=abs_url, memo=memo)
