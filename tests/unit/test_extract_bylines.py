"""Byline text to author names (site_builder.importer.extract.html.bylines), one rule a test."""

from __future__ import annotations

import pytest

from site_builder.importer.extract.html.bylines import clean_authors, is_person_name, name_case

SITE = ["Harbour Gazette", "harbourgazette.example", "harbourgazette"]


def authors(*raw: str, language: str | None = None) -> list[str]:
    return clean_authors(list(raw), SITE, language)


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        ("By Jane Doe and John Smith", ["Jane Doe", "John Smith"]),
        ("Anna Schmidt und Peter Müller", ["Anna Schmidt", "Peter Müller"]),
        ("Marie Dupont et Jean Martin", ["Marie Dupont", "Jean Martin"]),
        ("Ana García y Luis Pérez", ["Ana García", "Luis Pérez"]),
        ("Anna Rossi e Marco Bianchi", ["Anna Rossi", "Marco Bianchi"]),
        ("Anna Nowak i Jan Kowalski", ["Anna Nowak", "Jan Kowalski"]),
        ("Ayşe Yılmaz ve Mehmet Demir", ["Ayşe Yılmaz", "Mehmet Demir"]),
        ("Lena Berg och Erik Lund", ["Lena Berg", "Erik Lund"]),
        ("Ann Lee, Bo Chan, Cy Dee and Di Eve", ["Ann Lee", "Bo Chan", "Cy Dee", "Di Eve"]),
        ("Jane Doe / John Smith", ["Jane Doe", "John Smith"]),
        ("Jane Doe & John Smith", ["Jane Doe", "John Smith"]),
    ],
)
def test_co_authors_are_split_on_separators_and_conjunctions(byline: str, expected: list[str]) -> None:
    assert authors(byline) == expected


@pytest.mark.parametrize(
    ("byline", "language", "expected"),
    [
        ("Jane Doe 2 hours ago", "en", "Jane Doe"),
        ("Jane Doe2 hours ago", "en", "Jane Doe"),
        ("Jane Doe, March 3, 2024", "en", "Jane Doe"),
        ("Jane DoeMarch 3, 2024", "en", "Jane Doe"),
        ("Jane Doe Mar. 3, 2024 10:42 am", "en", "Jane Doe"),
        ("Jane Doe | Updated 10:42", "en", "Jane Doe"),
        ("Jane Doe Yesterday", "en", "Jane Doe"),
        ("Von Max Muster vor 3 Stunden", "de", "Max Muster"),
        ("Max Muster, 12. März 2024, 10.42 Uhr", "de", "Max Muster"),
        ("Par Marie Dupont il y a 5 minutes", "fr", "Marie Dupont"),
        ("Marie Dupont Publié le 3 mars 2024", "fr", "Marie Dupont"),
        ("Por Ana García hace 2 horas", "es", "Ana García"),
        ("Ana García 3 de marzo de 2024", "es", "Ana García"),
    ],
)
def test_dates_times_and_relative_times_are_not_part_of_the_name(
    byline: str, language: str, expected: str
) -> None:
    assert authors(byline, language=language) == [expected]


def test_last_first_is_one_person_in_reading_order() -> None:
    assert authors("Doe, Jane") == ["Jane Doe"]
    assert authors("Müller, Anna-Lena") == ["Anna-Lena Müller"]
    assert authors("Doe, J.") == ["J. Doe"]


def test_a_list_of_full_names_with_commas_is_still_several_people() -> None:
    assert authors("Jane Doe, John Smith") == ["Jane Doe", "John Smith"]


@pytest.mark.parametrize(
    "byline",
    [
        "Jane Doe jane.doe@harbourgazette.example",
        "Jane Doe (@janedoe)",
        "Jane Doe https://twitter.com/janedoe",
        "Jane Doe, Senior Reporter",
        "Chief Political Correspondent Jane Doe",
        "Jane Doe Political Correspondent",
        "Follow Jane Doe",
    ],
)
def test_urls_addresses_handles_and_role_words_are_dropped(byline: str) -> None:
    assert authors(byline) == ["Jane Doe"]


@pytest.mark.parametrize(
    "byline", ["https://www.facebook.com/harbourgazette", "jane.doe@example.com", "jdoe"]
)
def test_a_url_an_address_or_a_user_name_alone_gives_no_author(byline: str) -> None:
    assert authors(byline) == []


@pytest.mark.parametrize(
    "name",
    ["Marks & Spencer", "Center for Public Integrity", "Friends of the Earth", "Kaiser Family Foundation"],
)
def test_organisations_keep_their_whole_name(name: str) -> None:
    assert authors(name) == [name]


def test_a_place_after_the_name_is_cut() -> None:
    assert authors("Associated Press in Valencia") == ["Associated Press"]
    assert authors("Jane Doe in Brussels") == ["Jane Doe"]
    assert authors("Jane Doe for the Harbour Gazette") == ["Jane Doe"]


@pytest.mark.parametrize(
    "text",
    ["Home", "Menu", "Subscribe", "Sign in", "Share this article", "Read more", "Newsletter", "Startseite"],
)
def test_navigation_and_template_text_is_not_an_author(text: str) -> None:
    assert authors(text) == []


def test_the_site_itself_is_not_an_author() -> None:
    assert authors("Harbour Gazette") == []
    assert authors("Jane Doe, Harbour Gazette") == ["Jane Doe"]


def test_capitalised_bylines_are_put_in_name_case_and_agencies_stay() -> None:
    assert authors("JANE DOE") == ["Jane Doe"]
    assert authors("Bill MCCARTHY and Ann O'NEILL, AFP") == ["Bill McCarthy", "Ann O'Neill", "AFP"]
    assert authors("dpa") == ["dpa"]


def test_name_case() -> None:
    assert name_case("JAN VAN DER BERG") == "Jan van der Berg"
    assert name_case("ANNE-MARIE O'BRIEN") == "Anne-Marie O'Brien"
    assert name_case("Jane Doe") == "Jane Doe"


@pytest.mark.parametrize(
    ("name", "person"),
    [
        ("Jane Doe", True),
        ("Ngozi Okonjo", True),
        ("J. Doe", True),
        ("AFP", False),
        ("dpa", False),
        ("Associated Press", False),
        ("Reuters Staff", False),
        ("Harbour Gazette", False),
        ("Center for Public Integrity", False),
    ],
)
def test_persons_are_told_from_organisations(name: str, person: bool) -> None:
    assert is_person_name(name, SITE) is person
