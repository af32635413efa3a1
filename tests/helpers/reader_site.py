"""Build helper for the reader-experience tests."""

from __future__ import annotations

from site_builder.build import pipeline as build


def build_with_reader_hooks(config, **options):
    """Build in-process by default (jobs=1) to keep the test suite light on small machines.

    (The search index and person links used to be wired in here before build.py and render.py called
    them; the name stays for the tests that import it.)
    """
    options.setdefault("jobs", 1)
    return build.build_site(config, **options)
