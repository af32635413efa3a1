"""The ``site-builder`` command line: a thin edge over the build, import, preview and publish functions.

One module per command (``cli/build.py``, ``cli/serve.py``...) registers its options and translates the
parsed arguments into the typed calls of the package; nothing outside ``cli/`` imports argparse or this
package. Only the module of the command being run is imported, so ``site-builder build`` does not pay
for the importer, the server or git publishing.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import logging
import sys
import warnings
from collections.abc import Callable, Sequence
from typing import Any

from site_builder.errors import SiteError
from site_builder.version import __version__

# name -> (module, function adding the command, one-line help), in the order --help lists them.
COMMANDS = {
    "build": ("site_builder.cli.build", "add_build_command", "build the site into output/"),
    "init": ("site_builder.cli.scaffold", "add_init_command", "create a new site in DIR"),
    "new": ("site_builder.cli.scaffold", "add_new_command", "create a new article from a headline"),
    "import": (
        "site_builder.cli.importer",
        "add_import_command",
        "import articles (.txt, .html, .html.gz, .md) and archives (WordPress, feeds, WARC) into content/",
    ),
    "extract": (
        "site_builder.cli.importer",
        "add_extract_command",
        "print what import would extract (one JSON object a line)",
    ),
    "people": (
        "site_builder.cli.people",
        "add_people_command",
        "list the archive's people, or --review what most likely needs a human",
    ),
    "theme": (
        "site_builder.cli.theme",
        "add_theme_command",
        "list the theme's templates, or eject (copy) them into the site for editing",
    ),
    "serve": ("site_builder.cli.serve", "add_serve_command", "build, serve and rebuild on changes"),
    "watch": ("site_builder.cli.serve", "add_watch_command", "rebuild into output/ on every change"),
    "check": (
        "site_builder.cli.check",
        "add_check_command",
        "check links, anchors, assets, feeds and the sitemap in output/",
    ),
    "publish": (
        "site_builder.cli.publish",
        "add_publish_command",
        "build, commit output/ to a branch (gh-pages) and push it",
    ),
}

CommandAdder = Callable[[Any, argparse.ArgumentParser], object]


def make_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="site-builder",
        description="Turn news articles into a fast, browsable, searchable static website.",
    )
    parser.add_argument("--version", action="version", version=f"site-builder {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-v", "--verbose", action="store_true", help="more detail; tracebacks on errors")
    common.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for add in command_adders(_requested_command(argv)):
        add(commands, common)
    return parser


def _requested_command(argv: Sequence[str] | None) -> str | None:
    words = [a for a in (sys.argv[1:] if argv is None else argv) if not a.startswith("-")]
    return words[0] if words else None


def command_adders(requested: str | None = None) -> list[CommandAdder]:
    """The functions adding each command; placeholders (help only) for those not being run. No known
    command requested (``--help``, a typo): every command is loaded, so the listing is complete."""
    everything = requested not in COMMANDS
    adders: list[CommandAdder] = []
    for name, (module, function, summary) in COMMANDS.items():
        if everything or name == requested:
            adders.append(getattr(importlib.import_module(module), function))
        else:
            adders.append(functools.partial(_placeholder, name, summary))
    return adders


def _placeholder(name: str, summary: str, commands: Any, common: argparse.ArgumentParser) -> None:
    commands.add_parser(name, parents=[common], help=summary)


def main(argv: Sequence[str] | None = None) -> int:
    parser = make_parser(argv)
    args = parser.parse_args(argv)
    level = logging.DEBUG if args.verbose else logging.WARNING if args.quiet else logging.INFO
    logging.basicConfig(level=level, format="%(message)s")
    logging.getLogger("MARKDOWN").setLevel(max(level, logging.INFO))  # its extension loading is noise
    warnings.simplefilter("default")
    warnings.showwarning = lambda message, *rest, **kw: print(f"warning: {message}", file=sys.stderr)
    try:
        return args.handler(args)
    except SiteError as error:
        if args.verbose:
            raise
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
