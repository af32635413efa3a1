"""Plugins shipped with site_builder, usable by name (``plugins = ["reading_time", "articles_json"]``)
and meant as models for writing one's own: each is one short module."""
