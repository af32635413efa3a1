"""``site-builder people [--review] [--json]``: the archive's people, or what an archivist should check."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from site_builder.importer.review import format_review, read_archive, review


def add_people_command(subparsers, common: argparse.ArgumentParser | None = None) -> argparse.ArgumentParser:
    """Register ``site-builder people``."""
    parser = subparsers.add_parser(
        "people",
        parents=[common] if common is not None else [],
        help="list the archive's people, or --review what most likely needs a human",
        description=(
            "List the people of the archive (mentions, articles). With --review: single-word people, "
            "people mentioned once, near-duplicate names and tags and odd roles, each with the articles "
            "and the people.toml (or tags.toml) line that would fix it. Changes nothing."
        ),
    )
    parser.add_argument(
        "--site", type=Path, default=Path("."), help="site folder holding site.toml (default: .)"
    )
    parser.add_argument("--review", action="store_true", help="list what most likely needs a human")
    parser.add_argument("--json", action="store_true", help="one JSON object a line")
    parser.set_defaults(handler=cmd_people)
    return parser


def cmd_people(args: argparse.Namespace) -> int:
    """The ``people`` command; exit status 0 (a review lists, it does not fail)."""
    archive = read_archive(_content_dir(args.site))
    if args.review:
        print(format_review(review(archive), as_json=args.json))
        return 0
    people = sorted(archive.people.values(), key=lambda p: (-p.mentions, p.name))
    for person in people:
        if args.json:
            record = {"name": person.name, "mentions": person.mentions, "articles": len(person.articles)}
            print(json.dumps(record, ensure_ascii=False))
        else:
            print(f"{person.mentions:5d}  {person.name}  ({len(person.articles)} articles)")
    return 0


def _content_dir(site: Path) -> Path:
    """The site's content folder from site.toml when there is one, else <site>/content."""
    if (site / "site.toml").is_file():
        from site_builder.config import load_config

        return load_config(site).content_dir
    return site / "content"
