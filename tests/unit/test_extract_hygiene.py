"""Entity hygiene: roles as noun phrases, one name per person across an archive, tags that mean a topic."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_builder.errors import SiteError
from site_builder.importer.extract import ExtractedArticle, ExtractedPerson
from site_builder.importer.extract.names import find_people
from site_builder.importer.extract.tags import find_tags
from site_builder.importer.extract.vocabulary import folder_tag, load_tag_vocabulary
from site_builder.importer.people import FullNames
from site_builder.model.people import PeopleDirectory
from site_builder.model.slugs import slugify


def roles(text: str) -> dict[str, str | None]:
    return {p.name: p.role for p in find_people(text)}


# --------------------------------------------------------------------------- roles and names


@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        ("Shoppers worried about data in the UK. Mr Ard Veltman said so.", "Ard Veltman", None),
        (
            "Manchester United manager Sir Alex Ferguson was angry.",
            "Alex Ferguson",
            "Manchester United manager",
        ),
        ("The show was hosted by Chicago actress Queen Latifah.", "Latifah", "Chicago actress"),
        ("The statement was issued by a spokeswoman for Jane Doe.", "Jane Doe", None),
        ("Her father, Murray Kent, is a former champion.", "Murray Kent", None),
        ("Now Veritas deputy leader Tom Wise said no.", "Tom Wise", "Veritas deputy leader"),
        ("Bank of England governor Mervyn King spoke.", "Mervyn King", "Bank of England governor"),
    ],
)
def test_roles_are_noun_phrases_of_the_names_own_sentence(text: str, name: str, role: str | None) -> None:
    assert roles(text)[name] == role


def test_a_title_with_a_full_stop_still_makes_a_person() -> None:
    assert set(roles("Mr. Smith said no. Dr. Lee agreed.")) == {"Smith", "Lee"}


def test_a_given_name_glued_to_the_surname_is_split() -> None:
    people = find_people("Labour candidate LukePollard said no. Pollard won.")
    assert [(p.name, len(p.mentions)) for p in people] == [("Luke Pollard", 2)]


def test_a_capitalised_word_qualifying_a_role_is_not_a_person() -> None:
    assert set(roles("He met veteran Democratic senator Joe Biden.")) == {"Joe Biden"}


# --------------------------------------------------------------------------- one name per person


def article(*names: str, quotes: tuple[tuple[str, str], ...] = ()) -> ExtractedArticle:
    people = [ExtractedPerson(n, slugify(n), None, [(i, i + 1)]) for i, n in enumerate(names)]
    return ExtractedArticle(
        "a.txt", "t", "b", people=people, quotes=[{"speaker": s, "text": t} for s, t in quotes]
    )


def unify_people(
    articles: list[ExtractedArticle], directory: PeopleDirectory, known: tuple[str, ...] = ()
) -> None:
    """What an import does: every article added, then each unified."""
    names = FullNames(directory, known)
    for item in articles:
        names.add(item)
    for item in articles:
        names.unify(item)


def test_middle_initials_and_a_surname_alone_become_the_archives_one_name() -> None:
    articles = [
        article("George W Bush"),
        article("George W Bush", "Laura Bush"),
        article("George Bush"),
        article("Putin", quotes=(("Putin", "We will see."),)),
        article("Vladimir Putin"),
    ]
    unify_people(articles, PeopleDirectory())
    assert [p.name for p in articles[2].people] == ["George W Bush"]
    assert [p.name for p in articles[3].people] == ["Vladimir Putin"]
    assert articles[3].quotes[0]["speaker"] == "Vladimir Putin"
    assert articles[3].people[0].slug == "vladimir-putin"


def test_a_surname_shared_by_two_people_stays_alone_and_middle_names_are_not_initials() -> None:
    articles = [article("Ali Khan"), article("Ali Akbar Khan"), article("Khan")]
    unify_people(articles, PeopleDirectory())
    assert [[p.name for p in a.people] for a in articles] == [["Ali Khan"], ["Ali Akbar Khan"], ["Khan"]]


def test_a_surname_joins_a_person_already_in_the_archive() -> None:
    articles = [article("Tillerson")]
    unify_people(articles, PeopleDirectory(), known=("Rex Tillerson",))
    assert articles[0].people[0].name == "Rex Tillerson"


# --------------------------------------------------------------------------- tags


BODY = "Ministers met on Monday. The talks went on late into the night and resumed in the morning."


def test_one_passing_mention_of_a_country_is_not_a_topic() -> None:
    assert "Jordan" not in find_tags("Talks", f"{BODY} Jordan sent a message.")
    assert "Jordan" in find_tags("Talks", f"{BODY} Ministers met in Jordan.")
    assert "Jordan" in find_tags("Talks", f"Jordan said yes. {BODY} Jordan sent a message.")
    assert "Jordan" in find_tags("Jordan talks", BODY)


def test_a_country_in_a_persons_name_or_a_capitalised_dateline_is_not_a_topic() -> None:
    body = f"JORDAN 2024-05-01\n\nJordan Pickford saved twice. {BODY} Jordan Pickford was praised."
    assert "Jordan" not in find_tags("Match", body, people=frozenset({"Jordan Pickford"}))


def test_synonyms_fold_into_one_tag() -> None:
    body = "The Tories gained. The Tories said so. The Conservatives agreed. The Conservatives won."
    tags = find_tags("Vote", body)
    assert "Conservative Party" in tags
    assert not {"Tories", "Conservatives"} & set(tags)


def test_the_publisher_is_never_a_tag() -> None:
    body = "Reuters said the talks failed. Reuters reported more. " + BODY
    assert "Reuters" in find_tags("Talks", body)
    assert "Reuters" not in find_tags("Talks", body, publishers=("Reuters",))


def test_a_site_extends_the_synonyms_and_refuses_tags(tmp_path: Path) -> None:
    (tmp_path / "tags.toml").write_text(
        'not_tags = ["Reuters"]\n[synonyms]\n"Harbour Board" = ["Port Authority"]\n', encoding="utf-8"
    )
    vocabulary = load_tag_vocabulary(tmp_path)
    assert vocabulary.fold(["Port Authority", "Reuters", "Tories", "harbour board"]) == [
        "Harbour Board",
        "Conservative Party",
    ]


def test_a_bad_tags_file_names_the_file_and_the_field(tmp_path: Path) -> None:
    (tmp_path / "tags.toml").write_text('not_tags = "Reuters"\n', encoding="utf-8")
    with pytest.raises(SiteError, match="not_tags") as error:
        load_tag_vocabulary(tmp_path)
    assert "tags.toml" in str(error.value)


@pytest.mark.parametrize(
    ("folder", "tag"),
    [("business", "Business"), ("sci-tech", "Sci Tech"), ("BBC", "BBC"), ("us_news", "Us News")],
)
def test_folder_tags_are_title_cased_with_the_same_slug(folder: str, tag: str) -> None:
    assert folder_tag(folder) == tag
    assert slugify(folder_tag(folder)) == slugify(folder)
