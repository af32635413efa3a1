"""``site-builder publish``: build, commit output/ to a branch without touching the checkout, push."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from site_builder.build import build_site
from site_builder.build.progress import BuildProgress
from site_builder.cli.options import (
    add_force_output_option,
    add_output_option,
    add_site_option,
    config_from_args,
    interactive,
)
from site_builder.errors import SiteError
from site_builder.publish.address import refuse_local_base_url
from site_builder.publish.check import check_output, report_problems
from site_builder.publish.git import publish


def add_publish_command(commands: Any, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "publish",
        parents=[common],
        help="build, commit output/ to a branch (gh-pages) and push it",
        description="Build the site, commit output/ to BRANCH without touching your checkout (working "
        "tree, index and current branch stay as they are), then push it. An unchanged site makes no "
        "commit. Published pages that would disappear stop the publish unless --allow-removed. Only a branch "
        "that is absent or was made by publish is replaced (--force: also one with other commits that holds "
        "no sources).",
    )
    add_site_option(parser)
    add_output_option(parser)
    add_force_output_option(parser)
    parser.add_argument("--base-url", help="override base_url, e.g. https://user.github.io/repo/")
    parser.add_argument("--branch", default="gh-pages", help="branch to publish to (default: gh-pages)")
    parser.add_argument("--remote", default="origin", help="remote to push to (default: origin)")
    parser.add_argument("--message", "-m", help="commit message (default names the source commit)")
    parser.add_argument("--no-push", action="store_true", help="commit to the branch but do not push")
    parser.add_argument("--cname", metavar="DOMAIN", help="write a CNAME file for a custom domain")
    parser.add_argument("--check", action="store_true", help="run 'site-builder check' first; stop if broken")
    parser.add_argument(
        "--allow-removed", action="store_true", help="publish even if previously published pages disappear"
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="publish to a branch with commits not made by publish (never to one holding sources)",
    )
    parser.add_argument(
        "--allow-local-base-url",
        action="store_true",
        help="publish even though base_url is an address of this machine (localhost)",
    )
    parser.set_defaults(handler=run_publish)


def run_publish(args: argparse.Namespace) -> int:
    config = config_from_args(args)
    if not args.allow_local_base_url:  # before building: the build would be for the wrong address
        refuse_local_base_url(config)
    report = build_site(
        config, progress=BuildProgress.to_stderr(interactive(args), args.verbose and not args.quiet)
    )
    if not args.quiet:
        print(report.summary())
    if args.check:
        problems = check_output(config)
        if problems:
            report_problems(problems, sys.stderr)
            raise SiteError("the built site has broken links; nothing was published")
    result = publish(
        config,
        branch=args.branch,
        remote=args.remote,
        message=args.message,
        push=not args.no_push,
        cname=args.cname,
        allow_removed=args.allow_removed,
        force=args.force,
        local_base_url=args.allow_local_base_url,
    )
    if not args.quiet:
        pushed = f", pushed to {args.remote}" if result.pushed else " (not pushed: --no-push)"
        print(result.summary() + pushed)
    return 0
