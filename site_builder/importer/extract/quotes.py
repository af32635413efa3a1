"""Direct quotes and who said them.

A quote is text between quotation marks, within one paragraph. Its speaker is the person named next
to a verb of saying right after it ("…,” Mr Lavrov said) or before it (Mr Peskov said: “…”). A pronoun
("…,” he said) and a paragraph that is only a quote continue the latest named speaker. Short scare
quotes inside a sentence (the “deadlock”) are not quotes. Unattributed quotes are left out.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from site_builder.importer.extract.names import Person

_QUOTE = re.compile(r"“([^”\n]+)(?:”|$)|\"([^\"\n]+)\"|‘‘([^’\n]+)’’", re.MULTILINE)
_SPEECH = re.compile(
    r"\b(said|says|told|added|adds|asked|replied|declared|stated|warned|insisted|explained|argued|"
    r"claimed|tweeted|wrote|noted|announced|admitted|stressed|urged|continued|recalled|quipped|"
    r"according to)\b"
)
_PRONOUN_SPEECH = re.compile(
    r"^[\s,.]*(?:he|she|they|it)\s+(?:also\s+)?(said|says|added|adds|told|asked|wrote|tweeted)\b", re.I
)
_MIN_WORDS = 4  # shorter quotes count only when introduced by "said:" or standing as a sentence


@dataclass
class _Event:
    position: int
    person: Person


def find_quotes(text: str, people: list[Person], *, min_position: int = 0) -> list[dict[str, str]]:
    """Attributed quotes in *text* as {speaker, text}, in order; quotes before *min_position* skipped."""
    mentions = sorted((start, end, person) for person in people for start, end in person.mentions)
    starts = [m[0] for m in mentions]
    events = _speaker_events(text, mentions)
    event_positions = [e.position for e in events]
    quotes: list[dict[str, str]] = []
    previous_speaker: Person | None = None
    previous_paragraph_end = -1
    for match in _QUOTE.finditer(text):
        if match.start() < min_position:
            continue
        body = next(g for g in match.groups() if g is not None).strip().rstrip(",").strip()
        opening, closing = match.start(), match.end()
        speaker = _speaker_after(text, closing, mentions, starts, events, event_positions)
        introduced = _introduced(text, opening)
        if speaker is None:
            speaker = _speaker_before(text, opening, mentions, starts, events, event_positions)
        standalone = _is_standalone(text, opening, closing)
        if (
            speaker is None
            and previous_speaker is not None
            and _continues(text, previous_paragraph_end, opening, standalone)
        ):
            speaker = previous_speaker
        if speaker is None or not body:
            continue
        if len(body.split()) < _MIN_WORDS and not (introduced or standalone or _ends_sentence(body)):
            continue
        quotes.append({"speaker": speaker.name, "text": body})
        previous_speaker, previous_paragraph_end = speaker, closing
    return quotes


def _speaker_events(text: str, mentions: list[tuple[int, int, Person]]) -> list[_Event]:
    """Positions where a named person is the subject of a verb of saying ("Mr Peskov said")."""
    events: list[_Event] = []
    for start, end, person in mentions:
        after = text[end : end + 40]
        before = text[max(0, start - 25) : start]
        if re.match(r"^(?:['’]s)?\s*(?:,[^,]{0,60},\s*)?(?:also\s+)?" + _SPEECH.pattern, after) or re.search(
            _SPEECH.pattern + r"\s+(?:[A-Z][\w.]*\s+){0,4}$", before
        ):
            events.append(_Event(start, person))
    return events


def _latest_speaker(position: int, events: list[_Event], event_positions: list[int]) -> Person | None:
    index = bisect.bisect_left(event_positions, position)
    return events[index - 1].person if index else None


def _mention_in(lo: int, hi: int, mentions, starts) -> Person | None:
    index = bisect.bisect_left(starts, lo)
    if index < len(mentions) and mentions[index][0] < hi:
        return mentions[index][2]
    return None


def _speaker_after(text, closing, mentions, starts, events, event_positions) -> Person | None:
    """ "…,” Mr Lavrov said." / "…,” said Mr Lavrov." / "…,” he said."."""
    window = re.split(r"[.!?\n“\"]", text[closing : closing + 90], maxsplit=1)[0]
    if not _SPEECH.search(window):
        return None
    if _PRONOUN_SPEECH.match(window):
        return _latest_speaker(closing, events, event_positions)
    return _mention_in(closing, closing + len(window), mentions, starts)


def _sentence_start(text: str, position: int) -> int:
    cut = max(text.rfind("\n", 0, position), *(text.rfind(p, 0, position) for p in (". ", "? ", "! ")))
    return cut + 1


def _introduced(text: str, opening: int) -> bool:
    return bool(
        re.search(
            r"(?:said|says|added|told \w+|asked|declared|wrote|tweeted)?\s*:\s*$",
            text[max(0, opening - 30) : opening],
        )
    )


def _speaker_before(text, opening, mentions, starts, events, event_positions) -> Person | None:
    """ "Mr Peskov said: “…”" or "Trump declared that ties “may be…”": the subject of the saying verb."""
    start = _sentence_start(text, opening)
    prefix = text[start:opening]
    verbs = list(_SPEECH.finditer(prefix))
    if not verbs:
        return None
    verb = verbs[-1]
    named = _mention_in(start, start + verb.start(), mentions, starts)
    if named is not None:
        return named
    if re.search(r"\b(he|she)\s+(?:also\s+)?$", prefix[: verb.start()], re.I):
        return _latest_speaker(opening, events, event_positions)
    return _mention_in(start + verb.end(), opening, mentions, starts)


def _is_standalone(text: str, opening: int, closing: int) -> bool:
    line_start = text.rfind("\n", 0, opening) + 1
    line_end = text.find("\n", closing)
    line_end = len(text) if line_end < 0 else line_end
    return not text[line_start:opening].strip() and not text[closing:line_end].strip(" .")


def _ends_sentence(body: str) -> bool:
    return body[-1:] in ".!?" and body[:1].isupper()


def _continues(text: str, previous_end: int, opening: int, standalone: bool) -> bool:
    """A quote right after the previous attributed one: a whole next paragraph, or the next sentence."""
    if previous_end < 0 or opening - previous_end > 400:
        return False
    between = text[previous_end:opening]
    if standalone:
        return between.count("\n\n") <= 1 and not _SPEECH.search(between.split("\n")[-1])
    return "\n" not in between and bool(re.search(r"[.!?]\s*$", between))
