"""``site-builder theme list`` and ``site-builder theme eject [TEMPLATE...]``."""

from __future__ import annotations

import argparse
from typing import Any

from site_builder.cli.options import add_site_option
from site_builder.config import load_config
from site_builder.eject import eject_templates, theme_templates


def add_theme_command(commands: Any, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "theme",
        parents=[common],
        help="list the theme's templates, or copy them into the site for editing",
        description="Work with the default theme's templates: a site's templates/ overrides any of "
        "them by name.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser(
        "list", parents=[common], help="the theme's templates, and which the site overrides"
    )
    add_site_option(listing)
    listing.set_defaults(handler=run_list)
    eject = actions.add_parser(
        "eject",
        parents=[common],
        help="copy theme templates into the site's templates/ (all of them when none is named)",
        description="Copy theme templates into the site's templates/ to edit them. An existing file is "
        "never overwritten without --force (then nothing is copied).",
    )
    eject.add_argument("templates", nargs="*", metavar="TEMPLATE", help="template names such as base.html")
    eject.add_argument("--force", action="store_true", help="overwrite templates the site already has")
    add_site_option(eject)
    eject.set_defaults(handler=run_eject)


def run_list(args: argparse.Namespace) -> int:
    folder = load_config(args.site).templates_dir
    for name in theme_templates():
        print(f"{name}{'  (overridden in ' + str(folder / name) + ')' if (folder / name).exists() else ''}")
    return 0


def run_eject(args: argparse.Namespace) -> int:
    written = eject_templates(load_config(args.site).templates_dir, args.templates, args.force)
    if not args.quiet:
        for path in written:
            print(f"copied {path}")
    return 0
