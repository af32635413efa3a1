"""The ``site-builder`` command line: a thin edge over the build, import and preview functions."""

from __future__ import annotations

import argparse
import functools
import importlib
import logging
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path

from site_builder.errors import SiteError
from site_builder.version import __version__

log = logging.getLogger("site_builder")


def _site_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--site", type=Path, default=Path("."), help="site folder holding site.toml (default: .)"
    )


def _build_options(parser: argparse.ArgumentParser) -> None:
    _site_options(parser)
    parser.add_argument("--output", type=Path, help="output folder (default: output/ in the site)")
    parser.add_argument(
        "--force-output",
        action="store_true",
        help="build into an output folder holding files site-builder did not write (they are deleted)",
    )
    parser.add_argument("--drafts", action="store_true", help="include articles marked draft: true")
    parser.add_argument("--future", action="store_true", help="include articles dated in the future")
    parser.add_argument("--base-url", help="override base_url from site.toml, e.g. https://example.org/news/")
    parser.add_argument(
        "-j",
        "--jobs",
        type=int,
        metavar="N",
        help="worker processes for parsing and rendering (default: cores)",
    )


def config_from_args(args: argparse.Namespace):
    from site_builder.config import load_config

    overrides = {
        "base_url": getattr(args, "base_url", None),
        "output_force": getattr(args, "force_output", None) or None,
    }
    output = getattr(args, "output", None)
    if output is not None:
        overrides["output_dir"] = str(output.resolve())
    return load_config(args.site, overrides)


def cmd_build(args: argparse.Namespace) -> int:
    from site_builder.build.pipeline import build_site

    config = config_from_args(args)
    report = build_site(
        config, drafts=args.drafts, future=args.future, progress=_interactive(args), jobs=args.jobs
    )
    if not args.quiet:
        print(report.summary())
    if args.check:
        from site_builder.publish.check import check_output, report_problems

        return report_problems(check_output(config))
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    from site_builder.scaffold import init_site

    created = init_site(args.directory, args.title)
    if not args.quiet:
        for path in created:
            print(f"created {path}")
        print(f"next: cd {args.directory} && site-builder build")
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from site_builder.scaffold import new_article

    path = new_article(args.site, args.title)
    if not args.quiet:
        print(f"created {path} (draft: remove 'draft: true' to publish)")
    return 0


def _interactive(args: argparse.Namespace) -> bool:
    return not args.quiet and sys.stderr.isatty()


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

    build = commands.add_parser(
        "build",
        parents=[common],
        help="build the site into output/",
        description="Build the site into its output folder, writing only changed files.",
    )
    _build_options(build)
    build.add_argument(
        "--check", action="store_true", help="then check links, anchors, feeds and sitemap; exit 1 if broken"
    )
    build.set_defaults(handler=cmd_build)

    init = commands.add_parser(
        "init",
        parents=[common],
        help="create a new site in DIR",
        description="Create site.toml, content/ with one example article, templates/ and static/.",
    )
    init.add_argument("directory", type=Path, metavar="DIR", help="folder to create the site in")
    init.add_argument("--title", default="My news archive", help="the site's title")
    init.set_defaults(handler=cmd_init)

    new = commands.add_parser(
        "new",
        parents=[common],
        help="create a new article from a headline",
        description="Create content/<slug>.md with front matter filled in (as a draft).",
    )
    new.add_argument("title", help="the headline")
    _site_options(new)
    new.set_defaults(handler=cmd_new)

    for add in _extension_commands(_requested_command(argv)):
        add(commands, common)
    return parser


# name -> (module, function, one-line help): the edge modules' commands. Only the command being run
# is imported, so `site-builder build` does not pay for the importer, the server or git publishing.
EXTENSIONS = {
    "import": (
        "site_builder.importer.run",
        "add_import_command",
        "import raw articles (.txt, .html, .html.gz, .md) into content/",
    ),
    "extract": (
        "site_builder.importer.run",
        "add_extract_command",
        "print what import would extract (one JSON object a line)",
    ),
    "serve": ("site_builder.preview.session", "add_serve_command", "build, serve and rebuild on changes"),
    "watch": ("site_builder.preview.session", "add_watch_command", "rebuild into output/ on every change"),
    "check": (
        "site_builder.publish.check",
        "add_check_command",
        "check links, anchors, assets, feeds and the sitemap in output/",
    ),
    "publish": (
        "site_builder.publish.git",
        "add_publish_command",
        "build, commit output/ to a branch (gh-pages) and push it",
    ),
}


def _requested_command(argv: Sequence[str] | None) -> str | None:
    words = [a for a in (sys.argv[1:] if argv is None else argv) if not a.startswith("-")]
    return words[0] if words else None


def _extension_commands(requested: str | None = None):
    """The functions adding the edge modules' commands; placeholders (help only) for those not run."""
    everything = requested not in EXTENSIONS and requested not in {"build", "init", "new"}
    adders = []
    for name, (module, function, summary) in EXTENSIONS.items():
        if everything or name == requested:
            adders.append(getattr(importlib.import_module(module), function))
        else:
            adders.append(functools.partial(_placeholder, name, summary))
    return adders


def _placeholder(name: str, summary: str, commands, common) -> None:
    commands.add_parser(name, parents=[common], help=summary)


def main(argv: Sequence[str] | None = None) -> int:
    parser = make_parser(argv)
    args = parser.parse_args(argv)
    level = logging.DEBUG if args.verbose else logging.WARNING if args.quiet else logging.INFO
    logging.basicConfig(level=level, format="%(message)s")
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


if __name__ == "__main__":
    sys.exit(main())
