"""Pages on a phone, by keyboard and with a screen reader (issue 16): what the server says."""

from __future__ import annotations

import re

import pytest

from sayyes.practice.models import Answer, PracticeSession, Question

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def session(alice):
    first = Question.objects.create(owner=alice, text="What went wrong last?", source="yours")
    second = Question.objects.create(owner=alice, text="What went right?", source="yours")
    return PracticeSession.objects.create(
        owner=alice, mode="random", question_ids=[first.pk, second.pk]
    )


def test_an_empty_answer_sent_by_htmx_gets_the_feedback_fragment_not_a_page(alice_client, session):
    response = alice_client.post(f"/practice/sessions/{session.pk}/", {"text": ""}, **HTMX)

    assert response.status_code == 400
    html = response.content.decode()
    assert "<html" not in html and "<nav" not in html and "<footer" not in html
    assert 'id="feedback"' in html
    assert "No feedback yet" in html
    assert "Your answer: This field is required." in html
    assert 'href="#id_text"' in html
    assert not Answer.objects.filter(session=session).exists()


def test_an_empty_answer_without_htmx_gets_the_page_with_what_was_typed(alice_client, session):
    response = alice_client.post(f"/practice/sessions/{session.pk}/", {"text": "   "})

    assert response.status_code == 400
    assert "<nav" in response.content.decode()


def test_skip_moves_to_the_next_question_without_an_answer_and_lands_on_it(alice_client, session):
    page = alice_client.get(f"/practice/sessions/{session.pk}/").content.decode()
    assert "Skip this question" in page
    assert 'id="question" tabindex="-1"' in page

    response = alice_client.post(f"/practice/sessions/{session.pk}/next/")

    assert response.status_code == 302
    assert response["Location"] == f"/practice/sessions/{session.pk}/#question"
    session.refresh_from_db()
    assert session.position == 1
    assert not Answer.objects.filter(session=session).exists()
    assert "What went right?" in alice_client.get(response["Location"]).content.decode()


def test_the_question_is_a_heading_under_the_page_title(alice_client, session):
    page = alice_client.get(f"/practice/sessions/{session.pk}/").content.decode()
    levels = [int(n) for n in re.findall(r"<h([1-6])", page)]
    assert levels[:2] == [1, 2]
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))


def test_compare_with_ticks_this_company_and_asks_for_one_more(alice_client, opp):
    company = opp.company
    detail = alice_client.get(f"/companies/{company.pk}/").content.decode()
    assert f"/companies/compare/?with={company.pk}" in detail

    response = alice_client.get(f"/companies/compare/?with={company.pk}")

    assert response.status_code == 200
    html = response.content.decode()
    assert f'value="{company.pk}" checked' in html
    assert "tick at least one more company" in html
    assert 'role="alert"' not in html


def test_compare_with_someone_elses_company_is_404(bob_client, opp):
    assert bob_client.get(f"/companies/compare/?with={opp.company.pk}").status_code == 404


def test_compare_with_junk_says_what_is_wrong(alice_client):
    response = alice_client.get("/companies/compare/?with=abc")
    assert response.status_code == 400
    assert "is not an id" in response.content.decode()


def test_every_page_has_a_skip_link_a_menu_button_and_its_live_regions(alice_client):
    html = alice_client.get("/").content.decode()
    assert html.index('class="skip-link" href="#main"') < html.index("<header")
    assert 'aria-controls="menu" hidden>Menu</button>' in html
    assert '<nav aria-label="Main" id="menu">' in html
    assert '<div class="messages" role="status">' in html
    assert '<p id="live-status" class="visually-hidden" role="status"></p>' in html


def test_the_board_moves_a_card_on_a_button_not_on_a_change_of_the_select(alice_client, opp):
    html = alice_client.get("/board/").content.decode()
    assert "hx-trigger" not in html
    assert (
        f'<button type="submit" class="small move">Move<span class="visually-hidden"> {opp.title}'
        in html
    )
    assert 'role="tablist"' in html
    assert html.count(f'data-count-for="{opp.status}">1<') == 2  # the tab and the column


# --- Defaults and small things ------------------------------------------------------------


def _interview(opp, *, hours: float, status: str = "scheduled", minutes: int = 60):
    from datetime import timedelta

    from django.utils import timezone

    from sayyes.pipeline.services import create_interview

    return create_interview(
        opp.owner,
        opp,
        kind="onsite",
        starts_at=timezone.now() + timedelta(hours=hours),
        timezone="UTC",
        duration_minutes=minutes,
        status=status,
    )


def test_mark_done_is_one_click_and_undo_puts_everything_back(alice_client, interview):
    from datetime import timedelta

    from sayyes.network.models import FollowUp

    interview.starts_at -= timedelta(days=3)
    interview.save(update_fields=["starts_at"])
    agenda = alice_client.get("/agenda/").content.decode()
    assert "Mark done" not in agenda  # three days ago: outside the agenda's days
    listed = alice_client.get("/interviews/?show=past").content.decode()
    assert f"/interviews/{interview.pk}/done/" in listed

    response = alice_client.post(f"/interviews/{interview.pk}/done/", {"next": "/agenda/"})

    assert response.status_code == 302 and response["Location"] == "/agenda/"
    interview.refresh_from_db()
    assert interview.status == "done"
    assert FollowUp.objects.filter(interview=interview, kind="thank_you").count() == 1
    page = alice_client.get("/agenda/").content.decode()
    assert "Marked done: the video call with Northwind Analytics." in page
    assert f"/interviews/{interview.pk}/undo-done/" in page
    token = re.search(r'name="undo" value="([^"]+)"', page).group(1)
    # The undo is offered once, just after.
    assert "undo-done" not in alice_client.get("/agenda/").content.decode()

    alice_client.post(f"/interviews/{interview.pk}/undo-done/", {"undo": token})

    interview.refresh_from_db()
    assert interview.status == "scheduled"
    assert not FollowUp.objects.filter(interview=interview).exists()
    # Twice does nothing more, and says so.
    again = alice_client.post(
        f"/interviews/{interview.pk}/undo-done/", {"undo": token, "next": "/agenda/"}
    )
    assert "Nothing to undo" in alice_client.get(again["Location"]).content.decode()


def test_an_undo_that_is_forged_or_for_another_interview_changes_nothing(
    alice_client, interview, opp
):
    from django.core import signing

    from sayyes.agenda.views import UNDO_SALT

    other = _interview(opp, hours=-30)
    alice_client.post(f"/interviews/{interview.pk}/done/")
    wrong = signing.dumps({"interview": other.pk, "status": "scheduled"}, salt=UNDO_SALT)
    for undo in ("forged", wrong):
        alice_client.post(f"/interviews/{interview.pk}/undo-done/", {"undo": undo})
        interview.refresh_from_db()
        assert interview.status == "done"


def test_bob_cannot_mark_alices_interview_done(bob_client, interview):
    assert bob_client.post(f"/interviews/{interview.pk}/done/").status_code == 404
    interview.refresh_from_db()
    assert interview.status == "scheduled"


def _midday_where_alice_lives(alice) -> None:
    """Give alice a time zone where it is now about noon, so that "an hour ago" and "in eight
    hours" are both today on her agenda, whatever time the suite runs."""
    from django.utils import timezone

    from sayyes.accounts.models import Profile

    offset = (12 - timezone.now().hour + 12) % 24 - 12  # -12..11 hours from UTC
    zone = "Etc/GMT" if offset == 0 else f"Etc/GMT{-offset:+d}"  # Etc/GMT-5 is UTC+5
    Profile.objects.filter(user=alice).update(timezone=zone)


def test_the_agenda_marks_clashes_and_offers_prepare_only_before_the_interview(
    alice_client, alice, opp, interview
):
    _midday_where_alice_lives(alice)
    first = _interview(opp, hours=5)
    second = _interview(opp, hours=5.5)
    apart = _interview(opp, hours=8)
    past = _interview(opp, hours=-1)
    done = _interview(opp, hours=-3, status="done")

    html = alice_client.get("/agenda/").content.decode()

    assert html.count('class="badge clash"') == 2
    assert f'/interviews/{first.pk}/">Prepare' in html
    assert f'/interviews/{apart.pk}/">Prepare' in html
    assert f'/interviews/{past.pk}/">Prepare' not in html
    assert f'/interviews/{done.pk}/">Prepare' not in html
    assert f"/interviews/{done.pk}/debrief/" in html
    assert f"/interviews/{past.pk}/done/" in html
    assert f"/interviews/{second.pk}/done/" not in html
    # Every link says which interview it is about, for screen readers.
    assert '<span class="visually-hidden"> the on site with Northwind Analytics</span>' in html


def test_overdue_follow_ups_say_so_on_the_agenda_contacts_and_dashboard(alice_client, alice, opp):
    from datetime import timedelta

    from django.utils import timezone

    from sayyes.network.models import Contact, FollowUp

    contact = Contact.objects.get(owner=alice)
    FollowUp.objects.create(
        owner=alice, contact=contact, kind="thank_you", due_at=timezone.now() - timedelta(hours=3)
    )
    FollowUp.objects.create(
        owner=alice, contact=contact, kind="check_in", due_at=timezone.now() + timedelta(hours=3)
    )
    for url in ("/agenda/", "/contacts/"):
        html = alice_client.get(url).content.decode()
        assert html.count('<strong class="overdue-mark">overdue</strong>') == 1, url
    dashboard = alice_client.get("/").content.decode()
    assert '<strong class="overdue-mark">1 overdue</strong>' in dashboard


def test_possessives_and_the_noun_of_an_interview():
    from sayyes.core.prose import possessive
    from sayyes.pipeline.models import Interview
    from sayyes.triage.costs import kind_noun

    assert possessive("Northwind Traders") == "Northwind Traders'"
    assert possessive("Acme") == "Acme's"
    assert kind_noun(Interview(kind="onsite")) == "on-site interview"
    assert kind_noun(Interview(kind="phone_screen")) == "phone screen"
    assert kind_noun(Interview(kind="panel")) == "panel interview"


def test_an_empty_opportunity_list_without_filters_invites_to_add_one(alice_client):
    html = alice_client.get("/opportunities/").content.decode()
    assert "No opportunities yet." in html and "Clear the filters" not in html
    filtered = alice_client.get("/opportunities/?q=nothing").content.decode()
    assert "No opportunities match." in filtered and "Clear the filters" in filtered


def test_pager_links_escape_their_ampersands(alice_client, alice):
    from sayyes.pipeline.services import create_opportunity

    for n in range(26):
        create_opportunity(alice, company_name=f"Co {n}", title="Role", status="saved")
    html = alice_client.get("/opportunities/?status=saved").content.decode()
    assert "status=saved&amp;page=2" in html
    assert "&page=" not in html


def test_grouped_inputs_have_a_fieldset_and_the_contact_page_unique_ids(alice_client, alice, opp):
    from sayyes.network.models import Contact

    interview = opp.interviews.get()
    for url, legend in (
        ("/contacts/import/", "File type"),
        ("/settings/deal-breakers/", "Industries"),
        (f"/interviews/{interview.pk}/debrief/", "People you met"),
    ):
        html = alice_client.get(url).content.decode()
        assert re.search(r"<fieldset[^>]*>\s*<legend>[^<]*" + legend, html), url
    contact = Contact.objects.get(owner=alice)
    html = alice_client.get(f"/contacts/{contact.pk}/").content.decode()
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


# --- Time zones and currencies ---------------------------------------------------------------


def test_a_new_account_is_asked_about_its_time_zone_until_it_answers(alice_client, alice):
    from sayyes.accounts.models import Profile

    assert 'id="timezone-offer"' in alice_client.get("/").content.decode()

    response = alice_client.post(
        "/settings/timezone/", {"browser_timezone": "Europe/Paris", "next": "/agenda/"}
    )

    assert response["Location"] == "/agenda/"
    profile = Profile.for_user(alice)
    assert (profile.timezone, profile.timezone_confirmed) == ("Europe/Paris", True)
    assert 'id="timezone-offer"' not in alice_client.get("/").content.decode()


def test_keeping_the_time_zone_stops_the_question_and_junk_changes_nothing(alice_client, alice):
    from sayyes.accounts.models import Profile

    response = alice_client.post("/settings/timezone/", {"browser_timezone": "Mars/Olympus"})
    assert "is not a time zone name" in alice_client.get(response["Location"]).content.decode()
    profile = Profile.for_user(alice)
    assert (profile.timezone, profile.timezone_confirmed) == ("UTC", False)

    alice_client.post("/settings/timezone/", {"keep": "1", "browser_timezone": "Asia/Tokyo"})
    profile.refresh_from_db()
    assert (profile.timezone, profile.timezone_confirmed) == ("UTC", True)


def test_the_time_zone_picker_has_canonical_zones_by_region_with_a_search(alice_client, alice):
    from sayyes.accounts.models import Profile

    html = alice_client.get("/settings/").content.decode()
    picker = html[
        html.index('name="timezone"') : html.index("</select>", html.index('name="timezone"'))
    ]
    assert 'data-search="Search time zones' in picker
    assert '<optgroup label="Europe">' in picker and '<optgroup label="America">' in picker
    assert '<option value="Europe/Paris">Paris</option>' in picker
    assert (
        '<option value="America/Argentina/Buenos_Aires">Argentina / Buenos Aires</option>' in picker
    )
    assert "US/Eastern" not in picker and "Asia/Calcutta" not in picker and "Etc/GMT" not in picker
    assert len(re.findall("<option", picker)) < 450

    # An account that has an old alias keeps it choosable.
    Profile.objects.filter(user=alice).update(timezone="US/Eastern")
    html = alice_client.get("/settings/").content.decode()
    assert '<option value="US/Eastern" selected>' in html


def test_an_offer_for_an_opportunity_defaults_to_its_currency(alice_client, alice):
    from sayyes.pipeline.services import create_opportunity

    opp = create_opportunity(
        alice, company_name="Paris Co", title="Analyst", salary_currency="EUR", salary_min=50000
    )
    html = alice_client.get(f"/offers/new/?opportunity={opp.pk}").content.decode()
    assert 'name="currency" value="EUR"' in html
    html = alice_client.get("/offers/new/").content.decode()
    assert 'name="currency" value="USD"' in html


def test_repeated_video_and_debrief_links_say_which_interview_they_are_for(alice_client, opp):
    from sayyes.pipeline.services import update_interview

    for hours in (30, 54):
        update_interview(_interview(opp, hours=hours), video_url="https://meet.example.com/x")
    _interview(opp, hours=-3, status="done")

    listing = alice_client.get("/interviews/").content.decode()
    assert (
        listing.count(
            '>Video link<span class="visually-hidden"> for the on site interview at Northwind Analytics on '
        )
        == 2
    )
    company = alice_client.get(f"/companies/{opp.company_id}/").content.decode()
    assert 'Write the debrief<span class="visually-hidden"> of the on site interview on ' in company
    assert (
        'Prepare questions to ask<span class="visually-hidden"> at the on site interview on '
        in company
    )


def test_the_interviews_page_counts_and_lists_no_further_than_its_cap(
    alice_client, opp, monkeypatch
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sayyes.pipeline import views

    monkeypatch.setattr(views, "INTERVIEW_LIST_CAP", 3)
    for hours in (-50, -40, -30, -20, -10):
        _interview(opp, hours=hours, status="done")
    soon = _interview(opp, hours=30)

    with CaptureQueriesContext(connection) as queries:
        html = alice_client.get("/interviews/?show=past").content.decode()
    tabs = html[html.index("Which interviews") : html.index("Which interviews") + 400]
    from django.utils import timezone

    from sayyes.pipeline.models import Interview

    ahead = Interview.objects.filter(owner=opp.owner, starts_at__gte=timezone.now()).count()
    assert 1 <= ahead < 3
    assert f"Upcoming ({ahead})" in tabs and "Past (3+)" in tabs, tabs
    assert html.count("/debrief/") <= 3 and "This page lists the past 3, the nearest first." in html
    interview_counts = [
        q["sql"]
        for q in queries
        if "COUNT(" in q["sql"].upper() and "pipeline_interview" in q["sql"]
    ]
    assert len(interview_counts) == 2 and all("LIMIT 4" in sql for sql in interview_counts)
    upcoming = alice_client.get("/interviews/").content.decode()
    assert f"/interviews/{soon.pk}/" in upcoming and "This page lists" not in upcoming


def test_the_agenda_names_two_clashes_of_an_interview_and_counts_the_rest(alice_client, alice, opp):
    _midday_where_alice_lives(alice)
    for minutes in (0, 10, 20, 30, 40):
        _interview(opp, hours=5 + minutes / 60)

    html = alice_client.get("/agenda/").content.decode()

    # Five interviews that all overlap: each names two others and counts the other two.
    assert html.count('class="badge clash">Clashes with') == 10
    assert html.count('class="badge clash">and 2 more clashes</span>') == 5
