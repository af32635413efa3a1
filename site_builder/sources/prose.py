"""Plain prose to HTML without Python-Markdown's machinery, giving its output byte for byte.

Most archive articles are nothing but paragraphs of text with quotes and dashes. For them Python-Markdown
spends ~1 ms an article (a tenth of a cold build's work) parsing blocks no processor claims, building an
element tree and trying its inline patterns. :class:`ProseRenderer` takes a text only when no Markdown
construct can occur in it (checked conservatively: a line starting with ``#``, ``>``, ``-``, a digit and
a dot, any backslash, backtick, asterisk, underscore, bracket, brace, angle bracket, bar, character
reference... sends it to Python-Markdown) and then does exactly what Python-Markdown does to such a text:
one ``<p>`` per block, smarty's substitutions applied pattern by pattern with the same regexes, the same
placeholders and the same order, text escaped by the same function. Anything it declines, or any
Python-Markdown whose processors are not exactly the ones this was checked against, goes the usual way.
``tests/system/test_prose_corpora.py`` compares the two on every article of the corpora and
``tests/unit/test_prose.py`` on generated texts.
"""

from __future__ import annotations

import re

import markdown
from markdown import util as markdown_util
from markdown.serializers import _escape_cdata

# The processors of Python-Markdown 3.x with the extensions of markup.MARKDOWN_EXTENSIONS: with any other
# set (an extension added, a future version), a plain paragraph may mean something else, so never fast.
_EXPECTED = {
    "preprocessors": "normalize_whitespace fenced_code_block html_block",
    "blockprocessors": "markdown_block empty indent defindent code table hashheader setextheader hr olist "
    "deflist quote footnote abbr reference paragraph ulist",
    "treeprocessors": "footnote hilite inline footnote-duplicate prettify attr_list abbr smarty toc unescape",
    "inlinePatterns": "backtick escape reference link image_link image_reference short_reference "
    "short_image_ref autolink automail linebreak html entity em_strong footnote",
    "postprocessors": "footnote amp_substitute raw_html",
}
# What could start a block other than a paragraph (headers, rules, lists, quotes, definitions, fences,
# setext underlines, tables, link reference definitions), or make inline markup (escapes, code, emphasis,
# inline links and images, footnotes, raw HTML, attribute lists), or a character reference (kept as is
# by Python-Markdown, escaped here; a numeric one even without its semicolon: "&#1" becomes "&#1;").
# Square brackets alone stay text: "he said [the minister] would" cannot be a link when no line
# defines a reference, and the patterns that try it change nothing.
_NOT_PROSE = re.compile(
    r"[\\`*_<>{}|\x00-\x09\x0b-\x1f\x7f]|\]\(|!\[|\[\^|\]:"
    r"|^(?:[#=:+~\[-]|\d+[.)])"
    r"|&(?:#[0-9]|#[xX][0-9a-fA-F]|[a-zA-Z0-9]+;)",
    re.MULTILINE,
)
_BLANK_LINES = re.compile("\n\n+")
_SMARTY_TRIGGERS = ("'", '"', "--", "...")
_DASH_OR_SPACE = "(\\s|&nbsp;|--|–|—|&[mn]dash;|&#8211;|&#8212;)"
_NOT_SPACE_BEFORE = "(?<=[^\\ \\t\\r\\n\\[\\{\\(\\-\\u0002\\u0003])"
# Smarty's slow patterns (they start with a lookaround or a group, so the regex engine tries every
# position): a match begins at most this many characters before its required text, so the search can
# start there instead of at the search's start (same match: none can begin earlier).
_LEAD = {
    r"(?<!\w)'(?=\d{2}s)": 0,
    _DASH_OR_SPACE + "'(?=\\w)": len("&#8211;"),
    _NOT_SPACE_BEFORE + "'(?!\\s|s\\b|\\d)": 0,
    _DASH_OR_SPACE + '"(?=\\w)': len("&#8211;"),
    _NOT_SPACE_BEFORE + '"': 0,
}


class ProseRenderer:
    """Python-Markdown's output for texts made of plain paragraphs; None for any other text."""

    def __init__(self, md: markdown.Markdown, required: dict[str, tuple[str, ...]]) -> None:
        """*required*: for a regex source, substrings one of which every match contains (a pattern is not
        tried on a text without any of them after the search's start: the search would find nothing)."""
        self.enabled = all(
            [item.name for item in getattr(md if name != "blockprocessors" else md.parser, name)._priority]
            == expected.split()
            for name, expected in _EXPECTED.items()
        )
        smarty = md.treeprocessors["smarty"] if self.enabled else None
        # (regex, substrings one of which a match contains, parts of the replacement: a group number or
        # HTML) in the order smarty tries them
        self.patterns = [
            (p.compiled_re, required.get(p.compiled_re.pattern), _LEAD.get(p.compiled_re.pattern), p.replace)
            for p in (smarty.inlinePatterns if smarty else ())
        ]

    def render(self, text: str) -> str | None:
        if not self.enabled:
            return None
        body = text.strip("\n")
        if not body.strip() or body != body.strip() or _NOT_PROSE.search(body):
            return None
        blocks = _BLANK_LINES.split(body)  # more blank lines between paragraphs are as good as one
        for block in blocks:
            if any(line != line.strip() for line in block.split("\n")):
                return None
        count = 0  # smarty's placeholders are numbered across the document
        paragraphs = []
        for block in blocks:
            html, count = self._educate(block, count)
            paragraphs.append(f"<p>{html}</p>")
        return "\n".join(paragraphs)

    def _educate(self, text: str, count: int) -> tuple[str, int]:
        """Smarty's substitutions, as its inline processor makes them: each pattern in turn, each match
        replaced by a placeholder the later patterns see (their lookarounds test its first and last
        characters), then the text escaped and the placeholders replaced by their HTML."""
        if not any(trigger in text for trigger in _SMARTY_TRIGGERS):
            return _escape_cdata(text), count
        replaced: dict[str, str] = {}
        for regex, needed, lead, replace in self.patterns:
            start = 0
            while True:
                if needed:
                    found = _first(text, needed, start)
                    if found < 0:
                        break
                    if lead is not None:
                        start = max(start, found - lead)
                match = regex.search(text, start)
                if match is None:
                    break
                placeholder = markdown_util.INLINE_PLACEHOLDER % f"{count:04d}"
                count += 1
                replaced[placeholder] = "".join(
                    _escape_cdata(match.group(part)) if isinstance(part, int) else part for part in replace
                )
                text = text[: match.start()] + placeholder + text[match.end() :]
                start = match.start() + len(placeholder)
        html = _escape_cdata(text)
        if replaced:
            html = _PLACEHOLDER.sub(lambda m: replaced[m.group(0)], html)
        return html, count


_PLACEHOLDER = re.compile(
    re.escape(markdown_util.INLINE_PLACEHOLDER_PREFIX) + r"[0-9]+" + re.escape(markdown_util.ETX)
)


def _first(text: str, needed: tuple[str, ...], start: int) -> int:
    """Where the first of *needed* occurs in *text* from *start*; -1 if none does."""
    found = [i for i in (text.find(n, start) for n in needed) if i >= 0]
    return min(found) if found else -1
