"""``site-builder check``: every internal link, asset and anchor of the built site resolves."""

from __future__ import annotations

import argparse
from typing import Any

from site_builder.cli.options import add_output_option, add_site_option, config_from_args
from site_builder.errors import SiteError
from site_builder.publish.check import OutputChecker, report_problems


def add_check_command(commands: Any, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "check",
        parents=[common],
        help="check links, anchors, assets, feeds and the sitemap in output/",
        description="Check that every internal link, asset and #anchor in the built site resolves when "
        "served under base_url, and that feeds and the sitemap parse. Exit status 1 lists what is broken.",
    )
    add_site_option(parser)
    add_output_option(parser, "output folder to check (default: output/ in the site)")
    parser.add_argument("--base-url", help="check as served at this URL instead of base_url from site.toml")
    parser.set_defaults(handler=run_check)


def run_check(args: argparse.Namespace) -> int:
    config = config_from_args(args)
    if not config.output_dir.is_dir():
        raise SiteError(f"no output folder at {config.output_dir}: run 'site-builder build' first")
    checker = OutputChecker(config.output_dir, config.base_url)
    problems = checker.run()
    status = report_problems(problems)
    if not problems and not args.quiet:
        print(f"checked {len(checker.files)} files, {checker.checked} internal links: no problems")
    return status
