"""Options several commands share, and their translation into a :class:`SiteConfig`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from site_builder.config import SiteConfig, load_config

SITE_HELP = "site folder holding site.toml"
OUTPUT_HELP = "output folder (default: output/ in the site)"


def add_site_option(parser: argparse.ArgumentParser, help_text: str = SITE_HELP) -> None:
    parser.add_argument("--site", type=Path, default=Path("."), help=help_text)


def add_output_option(parser: argparse.ArgumentParser, help_text: str = OUTPUT_HELP) -> None:
    parser.add_argument("--output", type=Path, help=help_text)


def add_force_output_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--force-output",
        action="store_true",
        help="build into an output folder holding files site-builder did not write (they are deleted)",
    )


def add_selection_options(parser: argparse.ArgumentParser) -> None:
    """Which articles a build includes beyond the published ones."""
    parser.add_argument("--drafts", action="store_true", help="include articles marked draft: true")
    parser.add_argument("--future", action="store_true", help="include articles dated in the future")


def config_overrides(args: argparse.Namespace) -> dict[str, object]:
    """The site.toml settings given on the command line (``--base-url``, ``--output``,
    ``--force-output``, ``--scheduler``)."""
    overrides: dict[str, object] = {
        "base_url": getattr(args, "base_url", None),
        "output_force": getattr(args, "force_output", None) or None,
        "scheduler": getattr(args, "scheduler", None),
    }
    output = getattr(args, "output", None)
    if output is not None:
        overrides["output_dir"] = str(output.resolve())
    return overrides


def config_from_args(args: argparse.Namespace) -> SiteConfig:
    """The site's configuration with the command line's overrides applied."""
    return load_config(args.site, config_overrides(args))


def config_loader(args: argparse.Namespace) -> Callable[[], SiteConfig]:
    """A loader reading the configuration again on every call: a long-running command sees site.toml
    edits. The output folder is resolved once, so a relative ``--output`` keeps its meaning."""
    site, overrides = args.site, config_overrides(args)
    return lambda: load_config(site, overrides)


def interactive(args: argparse.Namespace) -> bool:
    """Progress bars only for a person at a terminal who did not ask for quiet."""
    return not getattr(args, "quiet", False) and sys.stderr.isatty()
