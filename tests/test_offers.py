"""Offers: the services (checks, comparison, decision matrix, negotiation plan) and the pages."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sayyes.offers import services
from sayyes.offers.models import ExchangeRate, NegotiationRound, Offer
from sayyes.pipeline import services as pipeline


def _opp(user, company="Acme", title="Engineer", status="offer"):
    return pipeline.create_opportunity(user, company_name=company, title=title, status=status)


def _offer(user, company="Acme", **fields):
    fields.setdefault("currency", "USD")
    fields.setdefault("base_salary", D("100000"))
    return services.create_offer(user, opportunity=_opp(user, company), **fields)


def _snapshot():
    return {
        "offers": list(Offer.objects.values()),
        "rounds": list(NegotiationRound.objects.values()),
        "rates": list(ExchangeRate.objects.values()),
    }


# --- services --------------------------------------------------------------------------------


def test_yearly_and_total_4y_follow_the_offer(alice):
    offer = _offer(
        alice,
        base_salary=D("160000.50"),
        bonus_kind="percent",
        bonus_value=D("10"),
        sign_on=D("10000"),
        equity_kind="rsu",
        rsu_grant_value=D("200000"),
        vesting_percent_by_year="5/15/40/40",
    )
    offer.refresh_from_db()
    assert offer.vesting_percent_by_year == ["5", "15", "40", "40"]
    rows = services.yearly(offer)
    assert [r.equity for r in rows] == [D("10000.00"), D("30000.00"), D("80000.00"), D("80000.00")]
    assert rows[0].bonus == D("16000.05")
    assert offer.total_4y() == D("640002.00") + 4 * D("16000.05") + D("10000") + D("200000")


@pytest.mark.parametrize(
    "fields,field,words",
    [
        ({"base_salary": D("-1")}, "base_salary", "negative"),
        ({"sign_on": D("-5000")}, "sign_on", "negative"),
        ({"rsu_grant_value": D("-1")}, "rsu_grant_value", "negative"),
        ({"bonus_value": D("-3")}, "bonus_value", "negative"),
        ({"currency": "XYZ"}, "currency", "ISO 4217"),
        ({"currency": "dollars"}, "currency", "ISO 4217"),
        ({"vesting_percent_by_year": "5/15/40/30"}, "vesting_percent_by_year", "add up to 90"),
        ({"vesting_percent_by_year": "50/50"}, "vesting_percent_by_year", "one percentage"),
        ({"vesting_percent_by_year": "a/b/c/d"}, "vesting_percent_by_year", "not a percentage"),
        ({"cliff_months": 60}, "cliff_months", "longer than the vesting period"),
        ({"vesting_years": 3, "cliff_months": 37}, "cliff_months", "longer than the vesting"),
        ({"base_salary": D("1.001")}, "base_salary", "decimal places"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(alice, fields, field, words):
    opp = _opp(alice)
    before = _snapshot()
    with pytest.raises(ValidationError) as info:
        services.create_offer(
            alice, opportunity=opp, **{"currency": "USD", "base_salary": D("1"), **fields}
        )
    assert field in info.value.message_dict
    assert words in " ".join(info.value.message_dict[field])
    assert _snapshot() == before


def test_an_update_with_bad_input_changes_nothing(alice):
    offer = _offer(alice)
    before = _snapshot()
    with pytest.raises(ValidationError) as info:
        services.update_offer(Offer.objects.get(pk=offer.pk), base_salary=D("-1"), cliff_months=100)
    assert set(info.value.message_dict) == {"base_salary", "cliff_months"}
    assert _snapshot() == before


def test_one_current_job_per_user(alice, bob):
    services.create_offer(alice, is_current=True, label="Now", base_salary=D("90000"))
    with pytest.raises(ValidationError) as info:
        services.create_offer(alice, is_current=True, label="Again", base_salary=D("1"))
    assert "is_current" in info.value.message_dict
    services.create_offer(bob, is_current=True, label="Bob's", base_salary=D("1"))
    assert Offer.objects.filter(is_current=True).count() == 2


def test_the_current_job_takes_the_base_currency_and_an_offer_needs_an_opportunity(alice):
    current = services.create_offer(alice, is_current=True, label="Now", base_salary=D("1"))
    assert current.currency == "USD" and current.name == "Now"
    with pytest.raises(ValidationError) as info:
        services.create_offer(alice, base_salary=D("1"))
    assert "opportunity_id" in info.value.message_dict


def test_someone_elses_opportunity_is_refused(alice, bob):
    with pytest.raises(ValidationError) as info:
        services.create_offer(bob, opportunity=_opp(alice), base_salary=D("1"))
    assert info.value.message_dict == {"opportunity_id": ["No such opportunity."]}
    assert not Offer.objects.exists()


def test_compare_in_one_currency_with_differences_against_the_current_job(alice):
    current = services.create_offer(alice, is_current=True, label="Now", base_salary=D("100000"))
    a = _offer(alice, "Acme", base_salary=D("120000"), sign_on=D("20000"))
    b = _offer(alice, "Birch", base_salary=D("110000"), bonus_kind="fixed", bonus_value=D("5000"))
    comparison = services.compare(alice, [a, b, current])
    assert comparison.currency == "USD"
    assert [row.offer for row in comparison.rows] == [current, a, b]
    assert comparison.baseline.offer == current
    totals = {row.offer.pk: row.total_4y for row in comparison.rows}
    assert totals == {current.pk: D("400000.00"), a.pk: D("500000.00"), b.pk: D("460000.00")}
    by_pk = {row.offer.pk: row for row in comparison.rows}
    assert by_pk[a.pk].difference == D("100000.00")
    assert by_pk[a.pk].differences == [D("40000.00"), D("20000.00"), D("20000.00"), D("20000.00")]
    assert by_pk[b.pk].difference == D("60000.00")
    data = comparison.as_dict()
    assert data["offers"][1]["total_4y"] == D("500000.00")
    chart = comparison.chart()
    assert chart["offers"][1]["parts"]["sign_on"] == ["20000.00", "0.00", "0.00", "0.00"]


def test_the_decision_matrix_weighs_money_and_your_ratings(alice):
    a = _offer(alice, "Acme", base_salary=D("200000"))
    b = _offer(alice, "Birch", base_salary=D("100000"))
    services.set_ratings(a, {"growth": 2, "culture": 2, "work_life": 2})
    services.set_ratings(b, {"growth": 5, "culture": 5, "work_life": 5})
    weights = {"money": 1, "growth": 1, "culture": 1, "work_life": 1, "commute": 0, "mission": 0}
    comparison = services.compare(alice, [a, b], weights)
    scores = {row.offer.pk: (row.money_score, row.score) for row in comparison.rows}
    # a: money 5, others 2 -> (5+2+2+2)/4 = 2.75; b: money 2.5, others 5 -> 17.5/4 = 4.38.
    assert scores[a.pk] == (5.0, 2.75)
    assert scores[b.pk] == (2.5, 4.38)
    # Money alone: a wins.
    only_money = services.compare(alice, [a, b], {k: 0 for k in weights} | {"money": 5})
    assert [row.score for row in only_money.rows] == [5.0, 2.5]


def test_journal_ratings_fill_in_what_you_have_not_rated(alice):
    from datetime import timedelta

    from django.utils import timezone

    from sayyes.journal.debriefs import save_debrief

    a = _offer(alice, "Acme")
    b = _offer(alice, "Birch")
    services.set_ratings(a, {"culture": 1})
    for offer, ratings in (
        (a, {"culture": 4, "growth": 4, "stability": 2}),
        (b, {"culture": 5, "growth": 4, "work-life balance": 3}),
        (b, {"culture": 4, "growth": 4, "work-life balance": 4}),
    ):
        interview = pipeline.create_interview(
            alice,
            offer.opportunity,
            starts_at=timezone.now() - timedelta(days=3),
            status="done",
        )
        save_debrief(alice, interview, ratings=ratings)
    rows = {row.offer.pk: row for row in services.compare(alice, [a, b]).rows}
    # Yours win; dimensions that are not criteria (stability) stay out.
    assert rows[a.pk].ratings == {"culture": 1, "growth": 4}
    assert rows[b.pk].ratings == {"culture": 4.5, "growth": 4, "work_life": 3.5}
    assert rows[a.pk].from_journal == ["growth"]


def test_bad_ratings_and_weights_are_refused(alice):
    a = _offer(alice)
    with pytest.raises(ValidationError):
        services.set_ratings(a, {"growth": 6})
    with pytest.raises(ValidationError):
        services.set_ratings(a, {"money": 3})
    with pytest.raises(ValidationError) as info:
        services.clean_weights({"growth": 11})
    assert "w_growth" in info.value.message_dict
    assert Offer.objects.get(pk=a.pk).ratings == {}


def test_comparing_currencies_without_a_rate_names_the_missing_pair(alice):
    a = _offer(alice, "Acme", currency="EUR", base_salary=D("100000"))
    b = _offer(alice, "Birch", currency="USD", base_salary=D("100000"))
    with pytest.raises(ValidationError) as info:
        services.compare(alice, [a, b])
    message = info.value.message_dict["currency"][0]
    assert "No exchange rate from EUR to USD" in message
    assert "Exchange rates" in message


def test_comparing_currencies_with_a_rate_converts_exactly(alice, bob):
    a = _offer(alice, "Acme", currency="EUR", base_salary=D("100000.50"))
    b = _offer(alice, "Birch", currency="USD", base_salary=D("100000"))
    # bob's rate is no use to alice.
    services.set_rate(bob, from_currency="EUR", to_currency="USD", rate="2", as_of=date.today())
    services.set_rate(
        alice, from_currency="eur", to_currency="usd", rate="1.05", as_of=date(2026, 1, 1)
    )
    services.set_rate(
        alice, from_currency="EUR", to_currency="USD", rate="1.10", as_of=date(2026, 6, 1)
    )
    rows = {row.offer.pk: row for row in services.compare(alice, [a, b]).rows}
    assert rows[a.pk].rate == D("1.10")
    assert rows[a.pk].years[0].base == D("110000.55")
    assert rows[a.pk].total_4y == D("440002.20")


def test_the_inverse_rate_is_used_when_only_the_reverse_pair_is_known(alice):
    a = _offer(alice, "Acme", currency="GBP", base_salary=D("100000"))
    b = _offer(alice, "Birch", currency="USD", base_salary=D("100000"))
    services.set_rate(alice, from_currency="USD", to_currency="GBP", rate="0.8", as_of=date.today())
    rows = {row.offer.pk: row for row in services.compare(alice, [a, b]).rows}
    assert rows[a.pk].years[0].base == D("125000.00")


def test_bad_rates_are_refused(alice):
    with pytest.raises(ValidationError) as info:
        services.set_rate(
            alice, from_currency="EUR", to_currency="ABC", rate="1", as_of=date.today()
        )
    assert "to_currency" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        services.set_rate(
            alice, from_currency="EUR", to_currency="USD", rate="-1", as_of=date.today()
        )
    assert "rate" in info.value.message_dict
    with pytest.raises(ValidationError):
        services.set_rate(
            alice, from_currency="EUR", to_currency="EUR", rate="1", as_of=date.today()
        )
    assert not ExchangeRate.objects.exists()


def test_compare_needs_two_to_five_offers(alice):
    offers = [_offer(alice, f"Co {i}") for i in range(6)]
    with pytest.raises(ValidationError):
        services.compare(alice, offers[:1])
    with pytest.raises(ValidationError) as info:
        services.compare(alice, offers)
    assert "at most 5" in info.value.message_dict["ids"][0]
    assert len(services.compare(alice, offers[:5]).rows) == 5


def test_the_negotiation_draft_names_competing_offers_and_active_processes(alice):
    mine = _offer(alice, "Acme", base_salary=D("120000"), deadline=date(2026, 12, 4))
    services.set_plan(mine, target=D("135000"), walk_away=D("125000"))
    _offer(alice, "Birch Labs", base_salary=D("130000"), deadline=date(2026, 12, 2))
    _offer(alice, "Old Corp", base_salary=D("1"), status="declined")
    cedar = _opp(alice, "Cedar Health", "Data Lead", status="interviewing")
    pipeline.create_interview(alice, cedar, starts_at=datetime(2026, 12, 10, 15, tzinfo=UTC))
    _opp(alice, "Saved Only", "Dreamer", status="saved")
    _opp(alice, "Gone", "Rejected", status="rejected")
    plan = services.negotiation(Offer.objects.get(pk=mine.pk))
    assert [o["company"] for o in plan["leverage"]["offers"]] == ["Birch Labs"]
    assert [p["company"] for p in plan["leverage"]["processes"]] == ["Cedar Health"]
    body = plan["draft"]["body"]
    assert "offer from Birch Labs" in body
    assert "base salary of 130,000 USD" in body
    assert "Wednesday 2 December" in body
    assert "final stages with Cedar Health for a Data Lead role" in body
    assert "135,000 USD" in body
    for absent in ("Old Corp", "Saved Only", "Gone"):
        assert absent not in body
    assert plan["target"] == D("135000") and plan["walk_away"] == D("125000")


def test_leverage_gives_each_process_its_next_interview(alice):
    from datetime import timedelta

    from django.utils import timezone

    mine = _offer(alice, "Acme")
    cedar = _opp(alice, "Cedar Health", "Data Lead", status="interviewing")
    soon = timezone.now() + timedelta(days=2)
    for starts_at, status in (
        (timezone.now() - timedelta(days=1), "done"),  # past
        (timezone.now() + timedelta(days=1), "cancelled"),
        (soon, "scheduled"),
        (soon + timedelta(days=5), "scheduled"),
    ):
        pipeline.create_interview(alice, cedar, starts_at=starts_at, status=status)
    _opp(alice, "Birch", "Analyst", status="applied")
    processes = {p["company"]: p for p in services.leverage(mine)["processes"]}
    assert processes["Cedar Health"]["next_interview"] == soon
    assert processes["Birch"]["next_interview"] is None


def test_with_no_leverage_the_draft_claims_none(alice):
    mine = _offer(alice, "Acme")
    body = services.negotiation(mine)["draft"]["body"]
    assert "offer from" not in body and "final stages" not in body
    assert "With a base salary of 108,000 USD, I would be ready to accept" in body


def test_the_plan_refuses_a_walk_away_above_the_target(alice):
    mine = _offer(alice)
    with pytest.raises(ValidationError) as info:
        services.set_plan(mine, target=D("100"), walk_away=D("200"))
    assert "walk_away" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        services.set_plan(mine, target=D("-100"))
    assert "target" in info.value.message_dict
    mine.refresh_from_db()
    assert mine.target is None and mine.walk_away is None


def test_a_round_is_recorded_and_moves_the_offer_to_negotiating(alice):
    mine = _offer(alice)
    services.add_round(
        mine, your_ask=D("130000"), their_answer="Can do 125k", their_amount=D("125000")
    )
    mine.refresh_from_db()
    assert mine.status == "negotiating"
    assert mine.rounds.get().their_amount == D("125000")
    with pytest.raises(ValidationError) as info:
        services.add_round(mine, your_ask=D("-1"))
    assert "your_ask" in info.value.message_dict
    assert mine.rounds.count() == 1


def test_offer_deadlines_are_on_the_agenda(alice):
    from sayyes.agenda.services import build_agenda

    today = timezone.localdate()
    mine = _offer(alice, "Acme", deadline=today + timedelta(days=2))
    _offer(alice, "Declined Co", deadline=today + timedelta(days=2), status="declined")
    agenda = build_agenda(alice)
    day = next(d for d in agenda.days if d.date == today + timedelta(days=2))
    assert day.deadlines == [
        {"kind": "offer", "offer_id": mine.pk, "name": mine.name, "date": mine.deadline.isoformat()}
    ]
    assert agenda.as_dict()["days"][2]["deadlines"][0]["offer_id"] == mine.pk


# --- pages -----------------------------------------------------------------------------------


def _form(**fields):
    data = {
        "currency": "USD",
        "base_salary": "100000",
        "bonus_kind": "percent",
        "bonus_value": "0",
        "sign_on": "0",
        "sign_on_clawback_months": "0",
        "equity_kind": "none",
        "rsu_grant_value": "0",
        "option_count": "0",
        "option_strike": "0",
        "option_value": "0",
        "vesting_years": "4",
        "cliff_months": "12",
        "vesting_frequency": "monthly",
        "retirement_match": "0",
        "benefits_value": "0",
        "status": "pending",
    }
    data.update(fields)
    return data


def test_the_offer_form_saves_and_the_page_shows_the_years(alice, alice_client):
    opp = _opp(alice, "Acme")
    response = alice_client.post(
        "/offers/new/",
        _form(
            opportunity=opp.pk,
            base_salary="160000.50",
            equity_kind="rsu",
            rsu_grant_value="100000",
            percent_text="10/20/30/40",
        ),
    )
    offer = Offer.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/offers/{offer.pk}/"
    page = alice_client.get(f"/offers/{offer.pk}/").content.decode()
    assert "160,000.50" in page
    assert "10,000.00" in page and "40,000.00" in page
    assert "740,002.00 USD" in page  # 640002.00 + 100000
    assert "How these numbers are worked out" in page
    assert "Offers" in alice_client.get("/offers/").content.decode()


@pytest.mark.parametrize(
    "fields,field_id,words",
    [
        ({"base_salary": "-5"}, "id_base_salary", "negative"),
        ({"currency": "QQQ"}, "id_currency", "ISO 4217"),
        ({"percent_text": "5/15/40/30"}, "id_percent_text", "add up to 90"),
        ({"cliff_months": "49"}, "id_cliff_months", "longer than the vesting period"),
    ],
)
def test_the_form_refuses_bad_input_next_to_the_field_and_keeps_it(
    alice, alice_client, fields, field_id, words
):
    opp = _opp(alice)
    response = alice_client.post("/offers/new/", _form(opportunity=opp.pk, **fields))
    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="{field_id}-error"' in page
    assert words in page
    for value in fields.values():
        assert f'value="{value}"' in page
    assert not Offer.objects.exists()


def test_the_current_job_form(alice, alice_client):
    response = alice_client.post(
        "/offers/new/?current=1", _form(label="Globex, analyst", base_salary="90000")
    )
    assert response.status_code == 302
    current = Offer.objects.get()
    assert current.is_current and current.opportunity is None and current.label == "Globex, analyst"
    page = alice_client.get("/offers/").content.decode()
    assert "baseline" in page and "+ Current job" not in page


def test_editing_an_offer(alice, alice_client):
    offer = _offer(alice)
    response = alice_client.post(
        f"/offers/{offer.pk}/edit/", _form(opportunity=offer.opportunity_id, base_salary="123456")
    )
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.base_salary == D("123456")
    response = alice_client.post(
        f"/offers/{offer.pk}/edit/", _form(opportunity=offer.opportunity_id, base_salary="-1")
    )
    assert response.status_code == 400
    offer.refresh_from_db()
    assert offer.base_salary == D("123456")


def test_the_compare_page_shows_totals_chart_data_and_matrix(alice, alice_client):
    current = services.create_offer(alice, is_current=True, label="Now", base_salary=D("100000"))
    a = _offer(alice, "Acme", base_salary=D("120000"))
    response = alice_client.get(f"/offers/compare/?ids={a.pk},{current.pk}&w_money=5")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="compare-chart"' in page and 'id="compare-data"' in page
    assert "480,000.00" in page and "+80,000.00" in page
    assert "Decision matrix" in page and 'name="w_money" value="5"' in page
    response = alice_client.post(
        f"/offers/{a.pk}/ratings/", {"growth": "4", "next": f"/offers/compare/?ids={a.pk}"}
    )
    assert response.status_code == 302
    assert Offer.objects.get(pk=a.pk).ratings == {"growth": 4}


def test_the_compare_page_explains_a_missing_rate(alice, alice_client):
    a = _offer(alice, "Acme", currency="EUR")
    b = _offer(alice, "Birch", currency="USD")
    response = alice_client.get(f"/offers/compare/?ids={a.pk}&ids={b.pk}")
    assert response.status_code == 400
    assert "No exchange rate from EUR to USD" in response.content.decode()


def test_the_compare_page_is_404_for_someone_elses_offer(alice, bob, alice_client):
    a = _offer(alice, "Acme")
    theirs = _offer(bob, "Bobco")
    assert alice_client.get(f"/offers/compare/?ids={a.pk},{theirs.pk}").status_code == 404
    assert alice_client.get("/offers/compare/?ids=1,abc").status_code == 404


def test_the_negotiation_page_plan_and_rounds(alice, alice_client):
    mine = _offer(alice, "Acme")
    _offer(alice, "Birch Labs", base_salary=D("130000"))
    page = alice_client.get(f"/offers/{mine.pk}/negotiation/").content.decode()
    assert "Birch Labs" in page and "Counter-offer email" in page
    response = alice_client.post(
        f"/offers/{mine.pk}/negotiation/", {"target": "140000", "walk_away": "150000"}
    )
    assert response.status_code == 400
    assert "walk-away number is above your target" in response.content.decode()
    response = alice_client.post(
        f"/offers/{mine.pk}/negotiation/", {"target": "140000", "walk_away": "110000"}
    )
    assert response.status_code == 302
    assert "140,000 USD" in alice_client.get(f"/offers/{mine.pk}/negotiation/").content.decode()
    response = alice_client.post(
        f"/offers/{mine.pk}/rounds/", {"on": "2026-11-20", "your_ask": "140000"}
    )
    assert response.status_code == 302
    response = alice_client.post(f"/offers/{mine.pk}/rounds/", {"on": "", "your_ask": "-1"})
    assert response.status_code == 400
    assert mine.rounds.count() == 1


def test_the_rates_page(alice, alice_client):
    response = alice_client.post(
        "/offers/rates/",
        {"from_currency": "eur", "to_currency": "USD", "rate": "1.0825", "as_of": "2026-11-01"},
    )
    assert response.status_code == 302
    rate = ExchangeRate.objects.get()
    assert (rate.from_currency, rate.rate) == ("EUR", D("1.0825"))
    assert "1 EUR = 1.0825 USD" in alice_client.get("/offers/rates/").content.decode()
    response = alice_client.post(
        "/offers/rates/",
        {"from_currency": "EUR", "to_currency": "NOPE", "rate": "1", "as_of": "2026-11-01"},
    )
    assert response.status_code == 400
    assert ExchangeRate.objects.count() == 1
    alice_client.post(f"/offers/rates/{rate.pk}/delete/")
    assert not ExchangeRate.objects.exists()


def test_the_opportunity_page_links_to_its_offer_and_the_agenda_shows_deadlines(
    alice, alice_client
):
    mine = _offer(alice, "Acme", deadline=timezone.localdate() + timedelta(days=1))
    page = alice_client.get(f"/opportunities/{mine.opportunity_id}/").content.decode()
    assert f"/offers/{mine.pk}/" in page
    agenda = alice_client.get("/agenda/").content.decode()
    assert "Answer due" in agenda and f"/offers/{mine.pk}/negotiation/" in agenda


def test_the_compare_page_without_ids_offers_the_choice(alice, alice_client):
    a = _offer(alice, "Acme")
    response = alice_client.get("/offers/compare/")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'value="{a.pk}"' in page and 'id="compare-error"' not in page
    response = alice_client.get(f"/offers/compare/?ids={a.pk}")
    assert response.status_code == 400
    assert "at least two offers" in response.content.decode()


def test_amounts_left_empty_in_the_form_mean_their_defaults(alice, alice_client):
    opp = _opp(alice)
    data = {
        "opportunity": opp.pk,
        "currency": "EUR",
        "base_salary": "80000",
        "bonus_kind": "percent",
        "equity_kind": "none",
        "vesting_frequency": "monthly",
        "status": "pending",
    }
    response = alice_client.post("/offers/new/", data)
    assert response.status_code == 302, response.content.decode()
    offer = Offer.objects.get()
    assert (offer.sign_on, offer.vesting_years, offer.cliff_months) == (D("0.00"), 4, 12)
    assert offer.pto_days is None and offer.deadline is None
    assert offer.total_4y() == D("320000.00")


def test_the_digest_and_the_cli_agenda_mention_an_answer_due_today(alice):
    from django.core import mail

    from sayyes.agenda.services import send_digest
    from tests.test_cli import run_main

    mine = _offer(alice, "Acme", deadline=timezone.localdate())
    assert send_digest(alice)
    assert f"Answer due on the offer from {mine.name}" in mail.outbox[0].body
    assert f"/offers/{mine.pk}/negotiation/" in mail.outbox[0].body
    result = run_main("agenda", "--user", "alice")
    assert f"Answer due on the offer from {mine.name}" in result.out


def test_the_calendar_feed_carries_open_offer_deadlines_as_all_day_events(alice, bob, interview):
    from django.test import Client
    from icalendar import Calendar

    from sayyes.agenda.models import CalendarFeed

    day = timezone.localdate() + timedelta(days=3)
    mine = _offer(alice, "Acme", deadline=day)
    _offer(bob, "Bobco", deadline=day)
    token = CalendarFeed.regenerate(alice)
    client = Client()
    response = client.get(f"/calendar/{token}/feed.ics")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    deadlines = [e for e in events if str(e["UID"]).startswith("offer-deadline-")]
    assert len(events) == 2 and len(deadlines) == 1
    event = deadlines[0]
    assert str(event["UID"]) == f"offer-deadline-{mine.pk}@sayyes"
    assert event.decoded("DTSTART") == day and event.decoded("DTEND") == day + timedelta(days=1)
    assert str(event["SUMMARY"]) == "Answer due: offer from Acme — Engineer"
    assert f"/offers/{mine.pk}/negotiation/" in str(event["URL"])
    # Declining the offer changes the feed (a new ETag) and takes the deadline off.
    etag = response["ETag"]
    services.update_offer(Offer.objects.get(pk=mine.pk), status="declined")
    response = client.get(f"/calendar/{token}/feed.ics", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response["ETag"] != etag
    assert "offer-deadline" not in response.content.decode()


def test_the_opportunity_follows_its_offer_through_the_pipeline(alice):
    from sayyes.pipeline.models import StatusEvent

    opp = _opp(alice, "Acme", status="interviewing")
    offer = services.create_offer(alice, opportunity=opp, currency="USD", base_salary=D("1"))
    opp.refresh_from_db()
    assert opp.status == "offer"
    services.update_offer(offer, status="accepted")
    opp.refresh_from_db()
    assert opp.status == "accepted"
    assert list(StatusEvent.objects.filter(opportunity=opp).values_list("status", flat=True))[
        -2:
    ] == ["offer", "accepted"]
    # A closed process is left alone: reopening the offer doesn't reopen it.
    services.update_offer(offer, status="negotiating")
    opp.refresh_from_db()
    assert opp.status == "accepted"


def test_declining_an_offer_declines_the_opportunity_and_expiry_changes_nothing(alice):
    declined = _offer(alice, "Acme")
    services.update_offer(declined, status="declined")
    declined.opportunity.refresh_from_db()
    assert declined.opportunity.status == "declined"
    expired = _offer(alice, "Birch")
    services.update_offer(expired, status="expired")
    expired.opportunity.refresh_from_db()
    assert expired.opportunity.status == "offer"
