"""Rendering planned pages into bytes: the Jinja environment, fingerprints, feeds and people links."""
