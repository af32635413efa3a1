"""People rules one by one, on invented sentences: recall without given-name lists, and precision."""

from __future__ import annotations

import pytest

from site_builder.importer.extract.names import find_people


def names(text: str) -> set[str]:
    return {person.name for person in find_people(text)}


# --------------------------------------------------------------------------- recall: context


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("Talgat Ormanov, a former editor of the weekly, was arrested.", "Talgat Ormanov"),
        ("Ruslan Begaliev, an elected member of parliament, died in prison.", "Ruslan Begaliev"),
        ("Ilkka Pousu, a 52-year-old farmer, was released.", "Ilkka Pousu"),
        ("Temba Ngcobo retained his title on Saturday.", "Temba Ngcobo"),
        ("Zarina Osmanova, with her two sons beside her, waited outside.", "Zarina Osmanova"),
        ("Kwame Asante of the Coastal Farmers Union told reporters the price was too low.", "Kwame Asante"),
        ("said a 30-year-old woman, Zarina Osmanova.", "Zarina Osmanova"),
    ],
)
def test_unknown_given_names_with_newswire_context_are_people(text: str, person: str) -> None:
    assert person in names(text)


@pytest.mark.parametrize(
    "text",
    [
        "Scorers: Northland - Taavi Rannu (13th), Oskar Kivi (75th)",
        "Harbour United: 1 - Ivo Kask, 2 - Mart Saar (11 - Peep Tamm 65th), 3 - Urmas Oja",
    ],
)
def test_scorers_and_line_ups_are_people(text: str) -> None:
    found = names(text)
    assert {"Taavi Rannu", "Oskar Kivi"} <= found or {"Ivo Kask", "Mart Saar", "Peep Tamm"} <= found
    assert "Northland" not in found and "Harbour United" not in found


def test_a_cricket_scorecard_names_its_batsmen_and_bowlers() -> None:
    text = (
        "Ravindu Perera c Nuwan Silva b Kasun Mendis 44\n"
        "Dinesh Fernando lbw b Kasun Mendis 12\n"
        "Bowling: Kasun Mendis 10-1-45-2, Tharanga 8-0-30-1"
    )
    assert {"Ravindu Perera", "Nuwan Silva", "Kasun Mendis", "Dinesh Fernando", "Tharanga"} <= names(text)


def test_a_line_up_goes_on_over_a_line_break_after_a_comma() -> None:
    text = "Northland - Ivo Kask (captain), Mart Saar,\nPeep Tamm, Urmas Oja, Taavi Rannu."
    assert {"Ivo Kask", "Mart Saar", "Peep Tamm", "Urmas Oja", "Taavi Rannu"} <= names(text)


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("Midfielder Anouk van der Brug scored twice.", "Anouk van der Brug"),
        ("Man of the match: Ravindu de Mel", "Ravindu de Mel"),
        ("Tariq Ata-ur-Rahim c Bell b Stone 21", "Tariq Ata-ur-Rahim"),
    ],
)
def test_particle_and_hyphenated_surnames_are_kept_whole(text: str, person: str) -> None:
    assert person in names(text)


def test_a_surname_alone_needs_strong_evidence() -> None:
    assert "Okonkwo" in names("Okonkwo, the Lagos-born actor, was nominated.")
    assert "Okonkwo" in names("Police spoke to Okonkwo's wife on Friday.")
    assert "Okonkwo" not in names("Okonkwo was nominated.")


def test_a_country_as_surname_needs_a_role_or_an_apposition() -> None:
    assert "Neil Jordan" in names("Irish director Neil Jordan says the film took years.")
    assert "Trevor Holland" in names("Trevor Holland, a 52-year-old teacher, escaped.")
    assert "Atlas Bangladesh" not in names("Shares in Atlas Bangladesh were expected to rise.")


def test_a_name_written_surname_first_is_one_person_with_its_short_mentions() -> None:
    text = "Veteran dissident Zhou Minghai was detained. Zhou said he would appeal."
    people = {p.name: p for p in find_people(text)}
    assert set(people) == {"Zhou Minghai"}
    assert [text[s:e] for s, e in people["Zhou Minghai"].mentions] == ["Zhou Minghai", "Zhou"]


def test_a_regnal_number_belongs_to_the_name_but_is_not_the_surname() -> None:
    text = "King Harald II met the press. Harald said little."
    people = {p.name: p for p in find_people(text)}
    assert set(people) == {"Harald II"}
    assert len(people["Harald II"].mentions) == 2


# --------------------------------------------------------------------------- precision


@pytest.mark.parametrize(
    ("text", "not_person"),
    [
        ("The Texas Bulls beat the Minor Counties on Friday.", "Minor Counties"),
        ("July 9 v Minor Counties XI", "Minor Counties XI"),
        ("Wigan 42 Bradford Bulls 36", "Bradford Bulls"),
        ("Karlsruhe 2 Hansa Rostock 0", "Hansa Rostock"),
        ("In St Louis, Tom Pagnozzi had three hits.", "St Louis"),
        ("O'Brien, a winner in New Haven for his first title, served.", "New Haven"),
        (
            "Zycie Warszawy daily said on Saturday. Zycie Warszawy said its sources were good.",
            "Zycie Warszawy",
        ),
        ("the annual Jackson Hole symposium", "Jackson Hole"),
        (
            "Euronext may bid, and a merger run out of London, the mayor of Frankfurt said.",
            "London",
        ),
        ("In Bethnal Green, former MP Oona King is standing again.", "Bethnal Green"),
        ("Firstly, the chairman of the board said no.", "Firstly"),
        (
            "The deal was controlled by Bumi Putra Nasional, controlled by a son of President Suharto.",
            "Bumi Putra Nasional",
        ),
        ("She made her debut in Le Roi de Lahore, an opera.", "Le Roi de Lahore"),
        ("A bid for Banca Nazionale del Lavoro was made.", "Banca Nazionale del Lavoro"),
        ("Grokster's lawyer argued the company should be judged by its conduct.", "Grokster"),
        ("It was nominated for three Oscars, including best actor for Cheadle.", "Oscars"),
        ("1980s toy Tamagotchi (86th) and the egg scrambler (98th)", "Tamagotchi"),
    ],
)
def test_teams_places_things_and_adverbs_are_not_people(text: str, not_person: str) -> None:
    assert not_person not in names(text)


def test_a_real_person_named_with_a_thing_keeps_their_name() -> None:
    text = "Court halts Mark Morrison album\n\nR&B singer Mark Morrison was stopped from releasing an album."
    assert "Mark Morrison" in names(text)
    assert "Marc Dutroux" in names("Police declined to comment on a link with the Marc Dutroux case.")
