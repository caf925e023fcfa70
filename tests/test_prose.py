"""The drafts' grammar (sayyes.core.prose): articles and plurals by inflect, possessives,
lists, and the article check the draft lint uses."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sayyes.core import prose


@pytest.mark.parametrize(
    ("noun", "expected"),
    [
        ("IT Specialist", "an IT Specialist"),
        ("Editor", "an Editor"),
        ("Engineering Manager", "an Engineering Manager"),
        ("Data Analyst", "a Data Analyst"),
        ("hour", "an hour"),
        ("user researcher", "a user researcher"),
        ("  Office   Manager ", "an Office Manager"),
        ("", ""),
    ],
)
def test_articles_come_from_inflect(noun, expected):
    assert prose.a(noun) == expected


def test_counts_plurals_possessives_and_lists():
    assert (prose.count(1, "interview"), prose.count(2, "interview")) == (
        "1 interview",
        "2 interviews",
    )
    assert prose.count(0, "process") == "0 processes"
    assert prose.possessive("Northwind Traders") == "Northwind Traders'"
    assert prose.possessive("Acme") == "Acme's"
    assert prose.possessive("Glass") == "Glass's"
    assert prose.possessive("Contoso's") == "Contoso's"
    assert prose.join(["SQL"]) == "SQL"
    assert prose.join(["SQL", "dbt"]) == "SQL and dbt"
    assert prose.join(["SQL", "", "dbt", "Airflow"]) == "SQL, dbt and Airflow"
    assert prose.join(["sign-on", "equity"], "or") == "sign-on or equity"
    assert prose.ordinal_word(2) == "second"


def test_the_article_check_finds_what_inflect_would_write_otherwise():
    text = "I applied for a Editor role and a IT Specialist role; an hour later, a user called."
    assert prose.article_errors(text) == ["a Editor", "a IT"]
    assert prose.article_errors("Interviews start at 9 a.m. sharp.") == []


@given(st.text(alphabet=st.characters(categories=["L", "Zs", "Pd"]), max_size=40))
def test_a_phrase_with_its_article_passes_the_check(noun):
    if noun.split() and noun.split()[0].lower() in ("a", "an", "the"):
        return  # inflect leaves a phrase that starts with an article as it is
    phrase = prose.a(noun)
    assert prose.article_errors(phrase) == []
    assert phrase.split(" ", 1)[-1] == " ".join(noun.split()) or not noun.split()


def test_file_sizes_read_as_a_person_says_them():
    from sayyes.core.prose import file_size

    assert [file_size(n) for n in (1, 600, 12 * 1024, 128 * 2**20, 2 * 2**30)] == [
        "1 byte", "600 bytes", "12 kB", "128 MB", "2.0 GB",
    ]  # fmt: skip
