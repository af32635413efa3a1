"""Quotes attributed to their speakers, including "he said" after a named speaker."""

from __future__ import annotations

from site_builder.importer.extract.names import find_people
from site_builder.importer.extract.quotes import find_quotes


def quotes(text: str) -> list[tuple[str, str]]:
    return [(q["speaker"], q["text"]) for q in find_quotes(text, find_people(text))]


def test_quote_then_named_speaker_and_said_speaker():
    text = (
        "“We will win this,” Mr Lavrov said. Minister Sergey Lavrov arrived.\n\n"
        "John Smith said: “Too early yet.”"
    )
    assert quotes(text) == [("Sergey Lavrov", "We will win this"), ("John Smith", "Too early yet.")]


def test_he_said_continues_the_last_named_speaker():
    text = (
        "Spokesman Dmitry Peskov said the leader gave Mr Tillerson his view. Rex Tillerson nodded.\n\n"
        "“We hope that the US president will become aware of that analysis,” he said on Thursday."
    )
    assert quotes(text) == [
        ("Dmitry Peskov", "We hope that the US president will become aware of that analysis")
    ]


def test_scare_quotes_and_unattributed_quotes_are_left_out():
    text = (
        "Jane Doe said the talks had reached a “deadlock” again.\n\n"
        "“Nobody knows what happens next,” the report said."
    )
    assert quotes(text) == []


def test_straight_quotes_with_spaces_as_in_newswire_text():
    text = (
        "Tono Eitel said the council met.\n\n"
        '" The members expressed their concern about the process, " Eitel said.'
    )
    assert quotes(text) == [("Tono Eitel", "The members expressed their concern about the process")]
