"""Full-text search (issue 18): one query syntax, ranked, highlighted, on SQLite (FTS5) and
PostgreSQL (tsvector). Run on both: ``DATABASE_URL=postgres://... pytest tests/test_fulltext.py``."""

from __future__ import annotations

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sayyes.core.fulltext import Term, highlighted, parse
from sayyes.pipeline import services
from sayyes.pipeline.search import ensure_fulltext, highlight

# --- The query syntax (no database) ----------------------------------------------------------


def test_words_must_all_be_there_and_common_words_are_dropped():
    query = parse("  The Data  engineer, in Paris ")
    assert query.groups == [[Term(("data",))], [Term(("engineer",))], [Term(("paris",))]]
    assert query.fts5() == '("data") AND ("engineer") AND ("paris")'
    assert query.websearch() == "data engineer paris"


def test_a_quoted_phrase_or_and_minus():
    query = parse('"machine learning" python or rust -"team lead" -java')
    assert query.groups == [
        [Term(("machine", "learning"))],
        [Term(("python",)), Term(("rust",))],
    ]
    assert query.excluded == [Term(("team", "lead")), Term(("java",))]
    assert query.fts5() == (
        '("machine learning") AND ("python" OR "rust") NOT ("team lead" OR "java")'
    )
    assert query.websearch() == '"machine learning" python or rust -"team lead" -java'


@pytest.mark.parametrize(
    "text",
    ["title:secret", "NEAR(a b)", '"unterminated', "a* ^b", "c++", "); DROP TABLE x; --", "'"],
)
def test_database_syntax_in_the_box_is_only_words(text):
    query = parse(text)
    for term in [t for g in query.groups for t in g] + query.excluded:
        assert all(w.isalnum() or "_" in w for w in term.words)
    assert ":" not in query.fts5() and "(" not in query.websearch()


def test_nothing_to_look_for():
    assert not parse("")
    assert not parse("the of , ; -")
    assert not parse("or")


def test_highlights_are_escaped_and_only_the_marks_are_markup():
    html = highlighted('<script>alert("x")</script> \x02Engineer\x03 \x03stray\x02')
    assert html == ("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; <mark>Engineer</mark> stray")


# --- Searching, on the database the suite runs on -------------------------------------------


def _new(user, company, title, **fields):
    return services.create_opportunity(user, company_name=company, title=title, **fields)


@pytest.fixture
def postings(alice, bob):
    return {
        "title": _new(alice, "Northwind", "Data Engineer", notes="Met at a meetup."),
        "posting": _new(
            alice,
            "Fabrikam",
            "Analyst",
            posting_text="You will work with engineers on data pipelines in Python.",
        ),
        "ml": _new(
            alice,
            "Contoso",
            "Machine Learning Engineer",
            posting_text="PyTorch, Rust or Go. No team lead duties.",
        ),
        "hostile": _new(alice, "<b>Évil</b> & Co", 'Engineer <script>alert("x")</script>'),
        "bobs": _new(bob, "Northwind", "Data Engineer"),
    }


def _found(user, q, **filters):
    return [o.pk for o in services.search_opportunities(user, q=q, **filters)]


@pytest.mark.django_db
def test_search_is_ranked_and_finds_every_form_of_a_word(alice, postings):
    found = _found(alice, "engineers")  # stemmed: engineer, engineers
    p = postings
    assert set(found) == {p["title"].pk, p["posting"].pk, p["ml"].pk, p["hostile"].pk}
    # A match in the title ranks above one in the posting text only.
    assert found.index(p["posting"].pk) == len(found) - 1
    assert _found(alice, "evil") == [p["hostile"].pk]  # accents folded, company searched
    assert p["bobs"].pk not in _found(alice, "northwind")


@pytest.mark.django_db
def test_phrases_or_and_exclusion_mean_the_same_on_every_database(alice, postings):
    p = postings
    assert _found(alice, '"machine learning"') == [p["ml"].pk]
    assert _found(alice, '"learning machine"') == []
    assert set(_found(alice, "pytorch or meetup")) == {p["ml"].pk, p["title"].pk}
    assert set(_found(alice, "engineer -pytorch -evil")) == {p["title"].pk, p["posting"].pk}
    assert _found(alice, "data northwind") == [p["title"].pk]  # words from two fields
    with pytest.raises(Exception, match="not only what to leave out"):
        _found(alice, "-pytorch")


@pytest.mark.django_db
def test_the_index_follows_every_change(alice, postings):
    p = postings
    services.update_opportunity(p["posting"], notes="Ask about the kanban board.")
    assert _found(alice, "kanban") == [p["posting"].pk]
    company = p["title"].company
    company.name = "Tailspin Toys"
    company.save()
    assert _found(alice, "tailspin") == [p["title"].pk]
    assert _found(alice, "northwind") == []
    services.delete_opportunity(p["ml"])
    assert _found(alice, "pytorch") == []


@pytest.mark.django_db
def test_results_carry_safe_highlights(alice, postings):
    results = list(services.search_opportunities(alice, q="engineer"))
    highlight(results, parse("engineer"))
    hostile = next(o for o in results if o.pk == postings["hostile"].pk)
    assert "<mark>Engineer</mark>" in hostile.title_hl
    assert "<script>" not in hostile.title_hl and "&lt;script&gt;" in hostile.title_hl
    assert hostile.company_hl == "&lt;b&gt;Évil&lt;/b&gt; &amp; Co"
    posting = next(o for o in results if o.pk == postings["posting"].pk)
    assert "<mark>engineers</mark>" in posting.snippet_hl


@pytest.mark.django_db
def test_the_results_page_marks_the_matched_words(alice_client, postings):
    html = alice_client.get("/opportunities/?q=pipelines").content.decode()
    assert "<mark>pipelines</mark>" in html and "best matches first" in html
    html = alice_client.get("/opportunities/?q=alert").content.decode()
    assert "<script>alert" not in html


@pytest.mark.django_db
def test_the_search_objects_come_back_after_they_are_lost(alice, postings):
    assert ensure_fulltext(connection) is False  # all there after migrate
    # Remaking a table (as Django does on SQLite to alter one) loses its triggers.
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER pipeline_opportunity_fts_update")
            cursor.execute("DELETE FROM pipeline_opportunity_fts")
        else:
            cursor.execute("DROP TRIGGER pipeline_opportunity_search ON pipeline_opportunity")
    assert ensure_fulltext(connection) is True
    assert _found(alice, "pytorch") == [postings["ml"].pk]


@pytest.mark.django_db
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=60)
@given(st.text(max_size=40))
def test_no_text_in_the_box_makes_the_search_fail(alice, text):
    try:
        list(services.search_opportunities(alice, q=text)[:5])
    except Exception as exc:  # only the one clear refusal
        assert "not only what to leave out" in str(exc)


@pytest.mark.django_db
def test_a_search_covers_the_latest_matches_and_says_when_there_may_be_more(
    alice, bob, client, monkeypatch
):
    monkeypatch.setattr(services, "SEARCH_LIMIT", 3)
    made = [_new(alice, f"Firm {n}", f"Welder {n}") for n in range(5)]
    _new(bob, "Other Firm", "Welder")  # another user's match takes no place
    _new(alice, "Firm 9", "Baker")  # nor does a newer opportunity that doesn't match
    old_applied = made[0]
    services.change_status(old_applied, "applied")

    # The latest three matches, however many there are; the oldest two are left out.
    assert sorted(_found(alice, "welder")) == sorted(o.pk for o in made[2:])
    # A status narrows before the limit is applied, so an old match is found again.
    assert _found(alice, "welder", status="applied") == [old_applied.pk]
    assert sorted(_found(alice, "welder", sort="company")) == sorted(o.pk for o in made[2:])

    client.force_login(alice)
    html = client.get("/opportunities/", {"q": "welder"}).content.decode()
    assert "3+ opportunities match “welder”: these are the 3 you added last" in html
    assert "to narrow the search to older ones" in html
    narrowed = client.get("/opportunities/", {"q": "welder", "status": "applied"})
    assert "1 opportunity matching “welder”" in narrowed.content.decode()
