"""Site boilerplate in plain text: comment forms, share prompts, cookie and copyright lines.

The rules are data: ``boilerplate.txt`` in this package, extended by ``<site>/boilerplate.txt``.
Each rule line is ``drop: REGEX`` (remove a matching paragraph) or ``cut: REGEX`` (remove a matching
paragraph and everything after it, e.g. "Leave a Reply" starts the comment form). Regexes are Python
syntax, matched case-insensitively with ``search`` against short paragraphs only, so a sentence of
real text that merely mentions "advertisement" is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from site_builder.errors import SiteError

MAX_BOILERPLATE_LENGTH = 300  # longer paragraphs are article text, whatever they contain


@dataclass(frozen=True)
class BoilerplateRules:
    """Compiled rules: paragraphs to drop, and paragraphs that end the article."""

    drop: tuple[re.Pattern[str], ...] = ()
    cut: tuple[re.Pattern[str], ...] = ()

    def extended(self, other: BoilerplateRules) -> BoilerplateRules:
        return BoilerplateRules(self.drop + other.drop, self.cut + other.cut)


def parse_rules(text: str, source: str = "boilerplate.txt") -> BoilerplateRules:
    """Parse rule lines (see the module docstring); a bad line is a SiteError naming it."""
    drop: list[re.Pattern[str]] = []
    cut: list[re.Pattern[str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        kind, sep, pattern = line.partition(":")
        kind = kind.strip().lower()
        if not sep or kind not in ("drop", "cut") or not pattern.strip():
            raise SiteError("expected 'drop: REGEX' or 'cut: REGEX'", source, number)
        try:
            compiled = re.compile(pattern.strip(), re.IGNORECASE)
        except re.error as error:
            raise SiteError(f"invalid regular expression: {error}", source, number) from None
        (drop if kind == "drop" else cut).append(compiled)
    return BoilerplateRules(tuple(drop), tuple(cut))


def default_rules() -> BoilerplateRules:
    """The rules shipped with site_builder."""
    text = resources.files(__package__).joinpath("boilerplate.txt").read_text(encoding="utf-8")
    return parse_rules(text)


def load_rules(site_dir: Path | None = None) -> BoilerplateRules:
    """Shipped rules plus the site's own ``boilerplate.txt`` when it exists."""
    rules = default_rules()
    if site_dir is not None:
        extra = Path(site_dir) / "boilerplate.txt"
        if extra.is_file():
            rules = rules.extended(parse_rules(extra.read_text(encoding="utf-8"), str(extra)))
    return rules


def remove_boilerplate(paragraphs: list[str], rules: BoilerplateRules) -> list[str]:
    """Paragraphs without boilerplate. A cut rule in the first half only drops its own paragraph."""
    kept: list[str] = []
    for index, paragraph in enumerate(paragraphs):
        if len(paragraph) > MAX_BOILERPLATE_LENGTH:
            kept.append(paragraph)
            continue
        if any(rule.search(paragraph) for rule in rules.cut):
            if index >= len(paragraphs) / 2:
                break
            continue
        if not any(rule.search(paragraph) for rule in rules.drop):
            kept.append(paragraph)
    return kept
