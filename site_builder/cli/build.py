"""``site-builder build``: build the site into its output folder, optionally checking it afterwards."""

from __future__ import annotations

import argparse
from typing import Any

from site_builder.build import build_site
from site_builder.build.progress import BuildProgress
from site_builder.cli.options import (
    SITE_HELP,
    add_force_output_option,
    add_output_option,
    add_selection_options,
    add_site_option,
    config_from_args,
    interactive,
)
from site_builder.publish.check import check_output, report_problems


def add_build_command(commands: Any, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "build",
        parents=[common],
        help="build the site into output/",
        description="Build the site into its output folder, writing only changed files.",
    )
    add_site_option(parser, f"{SITE_HELP} (default: .)")
    add_output_option(parser)
    add_force_output_option(parser)
    add_selection_options(parser)
    parser.add_argument("--base-url", help="override base_url from site.toml, e.g. https://example.org/news/")
    parser.add_argument(
        "-j",
        "--jobs",
        type=int,
        metavar="N",
        help="worker processes for parsing and rendering (default: cores)",
    )
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="parse and render on a Dask cluster: tcp://host:8786 joins a running scheduler, local:N "
        "starts N worker processes on this machine (needs site-builder[dask]; default: [build] "
        "scheduler in site.toml, else this machine's process pool)",
    )
    parser.add_argument(
        "--check", action="store_true", help="then check links, anchors, feeds and sitemap; exit 1 if broken"
    )
    parser.set_defaults(handler=run_build)


def run_build(args: argparse.Namespace) -> int:
    config = config_from_args(args)
    progress = BuildProgress.to_stderr(interactive(args), args.verbose and not args.quiet)
    report = build_site(config, drafts=args.drafts, future=args.future, progress=progress, jobs=args.jobs)
    if not args.quiet:
        print(report.summary())
    if args.check:
        return report_problems(check_output(config))
    return 0
