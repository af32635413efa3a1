"""The seed article in ../shared (kremlin-tillerson.txt): its people with roles, its quotes with speakers."""

from __future__ import annotations

from site_builder.importer.extract.names import find_people
from site_builder.importer.extract.quotes import find_quotes
from tests.helpers import require_shared


def people(text: str) -> dict[str, object]:
    return {p.name: p for p in find_people(text)}


def quotes(text: str) -> list[tuple[str, str]]:
    return [(q["speaker"], q["text"]) for q in find_quotes(text, find_people(text))]


def test_seed_article_gives_exactly_the_six_people_with_roles():
    text = require_shared("seed", "kremlin-tillerson.txt").read_text(encoding="utf-8")
    found = people(text)
    assert set(found) == {
        "Vladimir Putin",
        "Rex Tillerson",
        "Donald Trump",
        "Dmitry Peskov",
        "Sergey Lavrov",
        "Barack Obama",
    }
    assert found["Rex Tillerson"].role == "US Secretary of State"
    assert found["Sergey Lavrov"].role == "Russian Foreign Minister"
    assert found["Dmitry Peskov"].role == "Mr Putin's spokesman"
    assert found["Barack Obama"].role is None
    spans = {text[s:e] for s, e in found["Donald Trump"].mentions}
    assert spans == {"Trump", "Donald Trump"}  # "President Trump", "Trump's", the headline's "Trump"
    assert len(found["Dmitry Peskov"].mentions) == 3


def test_seed_quotes():
    text = require_shared("seed", "kremlin-tillerson.txt").read_text(encoding="utf-8")
    found = {t[:20]: s for s, t in quotes(text)}
    assert found["We hope that the US "] == "Dmitry Peskov"
    assert found["Too early yet."] == "Dmitry Peskov"
    assert found["It’s deplorable, and"] == "Sergey Lavrov"
    assert found["There hasn’t been a "] == "Sergey Lavrov"
    assert found["But at least we agre"] == "Sergey Lavrov"
    assert found["things will work out"] == "Donald Trump"
    assert "deadlock" not in found
