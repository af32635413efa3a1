"""Reading time: how many minutes an article takes to read (an ``on_article`` hook and a Jinja filter).

``on_article`` stores the estimate in ``article.extra["reading_minutes"]`` (from the word count the
reader made of the rendered body); the ``reading_time`` filter writes it for readers. The default
theme does not show it: a site's own ``templates/article.html`` does, with e.g.

    {% if article.extra.reading_minutes %}
    <p class="meta">{{ article.extra.reading_minutes | reading_time }}</p>
    {% endif %}

Settings, in site.toml::

    [plugin_configs.reading_time]
    words_per_minute = 230      # the default
"""

from __future__ import annotations

import dataclasses
import math

from site_builder.errors import SiteError

NAME = "reading_time"
WORDS_PER_MINUTE = 230  # adults reading non-fiction on screens (Brysbaert 2019: 238 silent, 183 aloud)


def on_config(config):
    """The settings checked once, before any article is read."""
    words_per_minute(config)
    return config


def on_article(article, config):
    """The article with ``extra["reading_minutes"]``: at least one minute for any text."""
    if not article.word_count:
        return article
    minutes = max(1, math.ceil(article.word_count / words_per_minute(config)))
    return dataclasses.replace(article, extra={**article.extra, "reading_minutes": minutes})


def jinja_filters():
    return {"reading_time": reading_time}


def reading_time(minutes) -> str:
    """``4`` -> "4 min read"; nothing for an article without an estimate."""
    if not minutes:
        return ""
    return f"{minutes} min read"


def words_per_minute(config) -> int:
    value = config.plugin_configs.get(NAME, {}).get("words_per_minute", WORDS_PER_MINUTE)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise SiteError(
            f"expected a whole number of words of at least 1, got {value!r}",
            config.site_dir / "site.toml",
            field=f"plugin_configs.{NAME}.words_per_minute",
        )
    return value
