"""The cluster settings ([build] in site.toml, --scheduler) and the content-addressed body store."""

from __future__ import annotations

import hashlib

import pytest

from site_builder.build.state.cache import BuildCache
from site_builder.build.state.store import BodyStore
from site_builder.config import load_config
from site_builder.errors import SiteError
from site_builder.model.article import Article, ArticleBody


def _site(tmp_path, toml: str):
    (tmp_path / "site.toml").write_text(toml)
    return tmp_path


@pytest.mark.parametrize("address", ["local", "local:4", "tcp://10.0.0.5:8786", "tls://sched.example:8786"])
def test_build_table_takes_a_scheduler(tmp_path, address):
    config = load_config(_site(tmp_path, f'[build]\nscheduler = "{address}"\nstore = "memory://bodies"\n'))
    assert (config.scheduler, config.body_store) == (address, "memory://bodies")


def test_command_line_scheduler_wins_over_site_toml(tmp_path):
    site = _site(tmp_path, '[build]\nscheduler = "local:2"\n')
    assert load_config(site, {"scheduler": "tcp://127.0.0.1:8786"}).scheduler == "tcp://127.0.0.1:8786"


@pytest.mark.parametrize("address", ["local:0", "http://x:1", "tcp://host", "dask", "local:2 "])
def test_a_bad_scheduler_is_refused_with_the_field(tmp_path, address):
    with pytest.raises(SiteError, match="scheduler.*expected a Dask scheduler address"):
        load_config(_site(tmp_path, f'[build]\nscheduler = "{address}"\n'))


def test_scheduler_does_not_change_the_rendered_settings(tmp_path):
    plain = load_config(_site(tmp_path, ""))
    clustered = load_config(tmp_path, {"scheduler": "local:2"})
    assert plain.fingerprint == clustered.fingerprint


def test_body_store_round_trip_is_content_addressed(tmp_path):
    store = BodyStore(str(tmp_path / "bodies"))
    body = ArticleBody(html="<p>Café — “quoted”</p>", toc_html="<ul><li>x</li></ul>")
    digest = store.put(body)
    assert store.put(body) == digest  # the same bytes, the same name
    stored = next(path for path in (tmp_path / "bodies").rglob("*") if path.is_file())
    assert stored.name == digest == hashlib.sha256(stored.read_bytes()).hexdigest()
    assert BodyStore(str(tmp_path / "bodies")).get(digest) == body
    assert not list((tmp_path / "bodies").rglob("*.tmp"))


def test_a_damaged_or_missing_body_is_a_located_error(tmp_path):
    store = BodyStore(str(tmp_path / "bodies"))
    digest = store.put(ArticleBody(html="<p>x</p>"))
    path = next(p for p in (tmp_path / "bodies").rglob("*") if p.is_file())
    path.write_bytes(b"tampered")
    with pytest.raises(SiteError, match="damaged"):
        store.get(digest)
    path.unlink()
    with pytest.raises(SiteError, match="cannot be read from the body store"):
        store.get(digest)


def article(key: str) -> Article:
    return Article(source=f"{key}.md", key=key, title=key, slug=key, url=f"articles/{key}/", date=None)


def test_cache_moves_held_bodies_into_the_store_and_reads_them_back(tmp_path):
    cache = BuildCache(tmp_path / "cache")
    store = BodyStore(str(tmp_path / "cache" / "bodies"))
    body = ArticleBody(html="<p>Held here</p>")
    elsewhere = ArticleBody(html="<p>Put by a worker</p>")
    cache.store_articles([(article("a"), body, ("", "")), (article("b"), store.put(elsewhere), ("", ""))])
    digests = cache.body_digests(["a", "b"], store)
    assert store.get(digests["a"]) == body and store.get(digests["b"]) == elsewhere
    assert cache.body("a") == body and cache.body("b") == elsewhere  # read through the store now
    cache.close()


def test_the_dev_server_builds_here_whatever_the_scheduler(tmp_path):
    """A long-running caller (serve, watch: it passes its memory, so *reuse* is set) rebuilds a few
    pages at a time: it never starts or joins a cluster."""
    from site_builder.build.workers import Workers

    config = load_config(_site(tmp_path, '[build]\nscheduler = "local:2"\n'))
    assert Workers(config, 2).scheduler == "local:2"
    assert Workers(config, 2, reuse="settings digest").scheduler == ""
