"""``site-builder serve`` and ``site-builder watch``: rebuild on every change, with or without a server."""

from __future__ import annotations

import argparse
import contextlib
import time
import webbrowser
from pathlib import Path
from typing import Any

from site_builder.cli.options import (
    add_force_output_option,
    add_output_option,
    add_selection_options,
    add_site_option,
    config_loader,
)
from site_builder.preview.session import PreviewOptions, PreviewSession


def _add_rebuild_options(parser: argparse.ArgumentParser) -> None:
    add_site_option(parser)
    add_output_option(parser)
    add_force_output_option(parser)
    add_selection_options(parser)
    parser.add_argument("--base-url", help="override base_url from site.toml")
    parser.add_argument(
        "--max-seconds", type=float, help="stop by itself after this many seconds (scripts, CI)"
    )
    parser.add_argument(
        "--poll",
        action="store_true",
        help="poll for changes (Docker, WSL, network drives) instead of native events",
    )


def add_serve_command(commands: Any, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "serve",
        parents=[common],
        help="build, serve and rebuild on changes",
        description="Build the site, serve it locally, rebuild on every change and reload the browser.",
    )
    _add_rebuild_options(parser)
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0 picks a free one)")
    parser.add_argument("--no-reload", action="store_true", help="do not inject the live-reload script")
    parser.add_argument("--open", action="store_true", help="open the site in the default browser")
    parser.add_argument(
        "--import-from",
        type=Path,
        metavar="DIR",
        help="import raw articles dropped into DIR (needs the importer)",
    )
    parser.set_defaults(handler=run_serve)


def add_watch_command(commands: Any, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "watch",
        parents=[common],
        help="rebuild into output/ on every change",
        description="Build the site, then rebuild into output/ on every change (use with another server).",
    )
    _add_rebuild_options(parser)
    parser.set_defaults(handler=run_watch)


def preview_options(args: argparse.Namespace, serve: bool) -> PreviewOptions:
    """The preview's options from ``serve`` or ``watch`` arguments."""
    if not serve:
        return PreviewOptions(
            serve=False, poll=args.poll, drafts=args.drafts, future=args.future, silent=args.quiet
        )
    return PreviewOptions(
        host=args.host,
        port=args.port,
        poll=args.poll,
        live_reload=not args.no_reload,
        drafts=args.drafts,
        future=args.future,
        import_from=args.import_from,
        silent=args.quiet,
    )


def run_serve(args: argparse.Namespace) -> int:
    with PreviewSession(config_loader(args), preview_options(args, serve=True)) as session:
        print(f"serving {session.config.output_dir} at {session.url} (Ctrl+C to stop)", flush=True)
        if args.open:
            webbrowser.open(session.url)
        _wait_until_stopped(args.max_seconds)
    return 0


def run_watch(args: argparse.Namespace) -> int:
    with PreviewSession(config_loader(args), preview_options(args, serve=False)) as session:
        if not args.quiet:
            print(f"watching {session.config.site_dir} (Ctrl+C to stop)", flush=True)
        _wait_until_stopped(args.max_seconds)
    return 0


def _wait_until_stopped(max_seconds: float | None) -> None:
    """Until Ctrl+C, or ``--max-seconds`` for scripts and tests (a server that stops by itself)."""
    deadline = None if max_seconds is None else time.monotonic() + max_seconds
    with contextlib.suppress(KeyboardInterrupt):
        while deadline is None or time.monotonic() < deadline:
            time.sleep(0.25)
