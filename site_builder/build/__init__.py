"""A build: content read, pages planned, rendered by workers and committed into output/.

``pipeline`` runs the full path and ``edit`` the edit path of a long-running process, both over one
``context``; ``loading`` parses articles, ``planning`` decides the pages to render, ``rendering``
fingerprints, renders and commits them (``claims`` refuses two sources on one output path),
``digests`` hashes the inputs, ``lock`` keeps one build per site and ``workers`` runs parsing and
rendering in processes. ``state/`` holds everything kept for the next build; ``output/`` writes the
output folder safely.
"""

from site_builder.build.pipeline import build_site
from site_builder.build.report import BuildReport

__all__ = ["BuildReport", "build_site"]
