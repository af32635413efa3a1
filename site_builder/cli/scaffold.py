"""``site-builder init`` and ``site-builder new``: start a site, start an article."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from site_builder.cli.options import SITE_HELP, add_site_option
from site_builder.scaffold import init_site, new_article


def add_init_command(commands: Any, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "init",
        parents=[common],
        help="create a new site in DIR",
        description="Create site.toml, content/ with one example article, templates/ and static/.",
    )
    parser.add_argument("directory", type=Path, metavar="DIR", help="folder to create the site in")
    parser.add_argument("--title", default="My news archive", help="the site's title")
    parser.set_defaults(handler=run_init)


def add_new_command(commands: Any, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "new",
        parents=[common],
        help="create a new article from a headline",
        description="Create content/<slug>.md with front matter filled in (as a draft).",
    )
    parser.add_argument("title", help="the headline")
    add_site_option(parser, f"{SITE_HELP} (default: .)")
    parser.add_argument(
        "--date", help="publication date, ISO 8601: 2017-04-13 or 2017-04-13T12:41 (default: now)"
    )
    parser.add_argument(
        "--tags",
        action="append",
        metavar="TAGS",
        help='comma-separated tags, e.g. --tags "Council, Transport" (may be repeated)',
    )
    parser.set_defaults(handler=run_new)


def run_init(args: argparse.Namespace) -> int:
    done = init_site(args.directory, args.title)
    if not args.quiet:
        for path, action in done.items():
            print(f"{action} {path}" + (" (it existed)" if action == "kept" else ""))
        print(f"next: cd {args.directory} && site-builder build")
    return 0


def run_new(args: argparse.Namespace) -> int:
    path = new_article(args.site, args.title, date=args.date, tags=args.tags)
    if not args.quiet:
        print(f"created {path} (draft: remove 'draft: true' to publish)")
    return 0
