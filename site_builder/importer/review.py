"""What an archivist should look at after an import: the people and tags most likely wrong.

Reads the front matter of every content file and lists, most doubtful first:

- people known by one word only ("Bush", "Nasty"): a surname that should join a full name, or no person;
- people mentioned once in the whole archive with no role (often a misread phrase or a passing name);
- near-duplicate names ("Vladimir Putin" / "Vladimir Poutin", "Young-hoon Kang" / "Kang Young-hoon")
  and near-duplicate tags ("Conservatives" / "Conservative Party");
- odd roles (a full stop, a trailing "of", a verb, a very long phrase).

Each item names the articles it comes from and the line of ``people.toml`` (or ``tags.toml``) that
would fix it, for the editor to copy, adapt or ignore. Nothing is changed.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from site_builder.errors import SiteError
from site_builder.importer.extract import lexicon
from site_builder.model.slugs import slugify
from site_builder.sources.frontmatter import parse_document

SIMILAR_NAMES = 0.9  # SequenceMatcher ratio above which two names are probably one spelling apart
SIMILAR_TAGS = 0.85
MAX_ROLE_WORDS = 8
_GENERIC_TAG_WORDS = frozenset({"party", "club", "fc", "group", "inc", "ltd", "plc", "company", "the"})
_ODD_ROLE = re.compile(r"[a-z]{2,}\.\s+\w|\b(?:of|for|and|to|in|at|by)$|^(?:is|was|has|had|and|but|who)\b|\d")


@dataclass
class ArchivePerson:
    """A person as the archive holds them: total mentions, roles and the articles naming them."""

    name: str
    mentions: int = 0
    roles: Counter[str] = field(default_factory=Counter)
    articles: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ReviewItem:
    """One thing to look at: what, why, where, and the configuration line that would fix it."""

    kind: str
    subject: str
    reason: str
    articles: tuple[str, ...]
    fix: str

    def to_json_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "subject": self.subject,
            "reason": self.reason,
            "articles": list(self.articles),
            "fix": self.fix,
        }


@dataclass
class Archive:
    """The people and tags of all content files."""

    people: dict[str, ArchivePerson] = field(default_factory=dict)
    tags: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))


def read_archive(content_dir: Path) -> Archive:
    """People and tags from every Markdown file under *content_dir* (files that do not parse are skipped
    by the build's own checks, not here)."""
    archive = Archive()
    for path in sorted(Path(content_dir).rglob("*.md")):
        try:
            meta = parse_document(path.read_text(encoding="utf-8"), str(path)).meta
        except (SiteError, UnicodeDecodeError, OSError):
            continue
        label = str(path.relative_to(content_dir))
        _add_people(archive, meta.get("people"), label)
        for tag in meta.get("tags") or []:
            archive.tags[str(tag)].append(label)
    return archive


def _add_people(archive: Archive, people: object, label: str) -> None:
    for entry in people if isinstance(people, list) else []:
        entry = entry if isinstance(entry, dict) else {"name": entry}
        name = str(entry.get("name") or "").strip()
        if not name:
            continue
        person = archive.people.setdefault(name, ArchivePerson(name))
        mentions = entry.get("mentions")
        person.mentions += len(mentions) if isinstance(mentions, list) and mentions else 1
        if entry.get("role"):
            person.roles[str(entry["role"])] += 1
        person.articles.append(label)


def review(archive: Archive) -> list[ReviewItem]:
    """Everything worth a look, most doubtful first (see the module docstring)."""
    items = _single_words(archive) + _near_duplicate_names(archive) + _near_duplicate_tags(archive)
    items += _odd_roles(archive) + _mentioned_once(archive)
    return items


def _single_words(archive: Archive) -> list[ReviewItem]:
    full_by_surname: dict[str, list[str]] = defaultdict(list)
    for name in archive.people:
        if " " in name:
            full_by_surname[name.split()[-1].casefold()].append(name)
    items = []
    for person in _by_doubt(p for p in archive.people.values() if " " not in p.name):
        options = sorted(
            full_by_surname.get(person.name.casefold(), []), key=lambda n: -archive.people[n].mentions
        )
        if options:
            reason = f"one word; full names with this surname: {', '.join(options[:3])}"
            fix = f'[people."{options[0]}"]\naliases = ["{person.name}"]'
        else:
            reason = "one word, no full name in the archive"
            fix = f'not_people = ["{person.name}"]   # or [people."Full Name"] aliases = ["{person.name}"]'
        items.append(ReviewItem("single-word person", person.name, reason, tuple(person.articles), fix))
    return items


def _mentioned_once(archive: Archive) -> list[ReviewItem]:
    once = (p for p in archive.people.values() if p.mentions <= 1 and " " in p.name and not p.roles)
    return [
        ReviewItem(
            "mentioned once",
            p.name,
            "one mention in the whole archive, no role",
            tuple(p.articles),
            f'not_people = ["{p.name}"]   # if it is not a person',
        )
        for p in _by_doubt(once)
    ]


def _near_duplicate_names(archive: Archive) -> list[ReviewItem]:
    """Pairs of full names spelled almost alike, compared within blocks (same first word, or same start
    of the last word, or the same words) so a large archive is not compared pair by pair."""
    blocks: dict[tuple[str, str], list[str]] = defaultdict(list)
    for name in archive.people:
        words = name.casefold().split()
        if len(words) > 1:
            for key in (("first", words[0]), ("last", words[-1][:3]), ("words", " ".join(sorted(words)))):
                blocks[key].append(name)
    pairs: set[tuple[str, str]] = set()
    for names in blocks.values():
        ordered = sorted(names, key=lambda n: (-archive.people[n].mentions, n))
        for index, main in enumerate(ordered):
            pairs.update(
                (main, other) for other in ordered[index + 1 :] if _same_person_spelled_twice(main, other)
            )
    items = []
    for main, other in sorted(pairs):
        articles = tuple(archive.people[main].articles[:2] + archive.people[other].articles[:3])
        fix = f'[people."{main}"]\naliases = ["{other}"]'
        items.append(
            ReviewItem("near-duplicate names", f"{main} / {other}", "spelled almost alike", articles, fix)
        )
    return items


def _same_person_spelled_twice(a: str, b: str) -> bool:
    if " " not in a or " " not in b:
        return False
    words_a, words_b = a.casefold().split(), b.casefold().split()
    if sorted(words_a) == sorted(words_b):
        return True  # "Kang Young-hoon" / "Young-hoon Kang"
    matcher = SequenceMatcher(None, a.casefold(), b.casefold())
    return slugify(a) == slugify(b) or (
        matcher.quick_ratio() >= SIMILAR_NAMES and matcher.ratio() >= SIMILAR_NAMES
    )


def _near_duplicate_tags(archive: Archive) -> list[ReviewItem]:
    tags = sorted(archive.tags, key=lambda t: (-len(archive.tags[t]), t))
    items = []
    for index, main in enumerate(tags):
        for other in tags[index + 1 :]:
            if _same_tag(main, other):
                articles = tuple(archive.tags[other][:3])
                fix = f'[synonyms]   # in tags.toml\n"{main}" = ["{other}"]'
                items.append(
                    ReviewItem(
                        "near-duplicate tags", f"{main} / {other}", "probably one topic", articles, fix
                    )
                )
    return items


def _same_tag(a: str, b: str) -> bool:
    """ "Election" / "Elections", "Conservatives" / "Conservative Party"; two countries never."""
    countries = set(lexicon.countries().values())
    if a in countries and b in countries:
        return False
    stems_a = {w.rstrip("s") for w in a.casefold().split()}
    stems_b = {w.rstrip("s") for w in b.casefold().split()}
    shorter, longer = sorted((stems_a, stems_b), key=len)
    if shorter == longer or (shorter <= longer and longer - shorter <= _GENERIC_TAG_WORDS):
        return True
    matcher = SequenceMatcher(None, a.casefold(), b.casefold())
    return matcher.quick_ratio() >= SIMILAR_TAGS and matcher.ratio() >= SIMILAR_TAGS


def _odd_roles(archive: Archive) -> list[ReviewItem]:
    items = []
    for person in archive.people.values():
        for role in person.roles:
            if _ODD_ROLE.search(role) or len(role.split()) > MAX_ROLE_WORDS:
                items.append(
                    ReviewItem(
                        "odd role",
                        person.name,
                        f"role {role!r}",
                        tuple(person.articles[:3]),
                        f'[people."{person.name}"]\nrole = "..."   # the role to show',
                    )
                )
    return items


def _by_doubt(people: Iterable[ArchivePerson]) -> list[ArchivePerson]:
    """Least mentioned first: a name seen once is the likeliest mistake."""
    return sorted(people, key=lambda p: (p.mentions, p.name))


def format_review(items: list[ReviewItem], *, as_json: bool = False) -> str:
    """The review as text for the terminal (or one JSON object a line)."""
    if as_json:
        return "\n".join(json.dumps(item.to_json_dict(), ensure_ascii=False) for item in items)
    if not items:
        return "nothing to review"
    lines = []
    for kind, count in Counter(item.kind for item in items).items():
        lines.append(f"{count} {kind}")
    lines.append("")
    for item in items:
        where = ", ".join(item.articles[:3]) + (" ..." if len(item.articles) > 3 else "")
        lines.append(f"{item.kind}: {item.subject} ({item.reason})")
        lines.append(f"  in {where}")
        lines.extend(f"  fix: {line}" for line in item.fix.splitlines())
    return "\n".join(lines)
