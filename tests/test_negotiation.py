"""The counter-offer letter: leverage ranked and chosen, never a lower offer, never a role
twice, a specific ask, at most 250 words; the plan page shows every item and why."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.utils import timezone

from sayyes.accounts.services import update_me
from sayyes.core import prose
from sayyes.offers import negotiation, services
from sayyes.offers.models import Offer
from sayyes.pipeline import services as pipeline


def _opp(user, company, title, status="offer"):
    return pipeline.create_opportunity(user, company_name=company, title=title, status=status)


def _offer(user, company, title, base, **fields):
    fields.setdefault("currency", "USD")
    return services.create_offer(
        user, opportunity=_opp(user, company, title), base_salary=D(base), **fields
    )


def _interview(user, opp, days: int, kind: str = "video"):
    starts = timezone.now() + timedelta(days=days)
    status = "done" if days < 0 else "scheduled"
    return pipeline.create_interview(user, opp, starts_at=starts, kind=kind, status=status)


@pytest.fixture
def market(alice):
    """Two offers besides Contoso's, and several processes at every stage."""
    update_me(alice, display_name="Alice Martin")
    mine = _offer(alice, "Contoso", "IT Specialist", "62000", deadline=date(2026, 12, 18))
    _offer(alice, "Fabrikam", "IT Specialist", "58000")  # lower: never cited
    _offer(alice, "Northwind Traders", "Engineering Manager", "70000", deadline=date(2026, 12, 15))
    late = _opp(alice, "Tailspin Toys", "Editor", status="interviewing")
    _interview(alice, late, -5, "technical")
    _interview(alice, late, 3, "final")
    onsite = _opp(alice, "Woodgrove Bank", "Systems Analyst", status="screening")
    _interview(alice, onsite, -2, "onsite")
    for n in range(8):  # early processes: applied, no interviews
        _opp(alice, f"Early Co {n}", "Support Engineer", status="applied")
    screening = _opp(alice, "Litware", "Administrator", status="screening")
    _interview(alice, screening, 4, "phone_screen")
    # The same role as an offer above, also recorded as an applied process: never twice.
    twin = _opp(alice, "Northwind Traders", "Engineering Manager", status="interviewing")
    _interview(alice, twin, 2, "panel")
    # An interviewing process at Contoso itself, for another role.
    inside = _opp(alice, "Contoso", "Platform Engineer", status="interviewing")
    _interview(alice, inside, 1, "final")
    return Offer.objects.get(pk=mine.pk)


def _by_company(items):
    return {(i["company"], i["title"]): i for i in items}


def test_the_letter_cites_the_better_offer_and_the_late_rounds_only(market):
    plan = negotiation.plan(market)
    chosen = [(i["kind"], i["company"]) for i in plan["leverage"]["chosen"]]
    assert chosen == [
        ("offer", "Northwind Traders"),
        ("process", "Tailspin Toys"),
        ("process", "Woodgrove Bank"),
    ]
    body = plan["draft"]["body"]
    assert "Northwind Traders for an Engineering Manager role" in body
    assert "Tailspin Toys for an Editor role" in body
    assert "Fabrikam" not in body and "58,000" not in body
    assert "Litware" not in body and "Early Co" not in body
    assert body.count("Northwind Traders") == 1
    assert "Platform Engineer" not in body


def test_every_item_is_listed_with_why_it_was_used_or_left_out(market):
    lev = negotiation.leverage(market)
    offers = _by_company(lev["offers"])
    processes = _by_company(lev["processes"])
    assert len(offers) == 2 and len(processes) == 13
    fabrikam = offers[("Fabrikam", "IT Specialist")]
    assert not fabrikam["used"] and "worth less than this offer" in fabrikam["why"]
    assert offers[("Northwind Traders", "Engineering Manager")]["used"]
    twin = processes[("Northwind Traders", "Engineering Manager")]
    assert not twin["used"] and "already named" in twin["why"]
    assert (
        "still early (applied, 0 interviews)"
        in processes[("Early Co 0", "Support Engineer")]["why"]
    )
    assert "1 interview)" in processes[("Litware", "Administrator")]["why"]
    assert "another role at Contoso" in processes[("Contoso", "Platform Engineer")]["why"]
    assert all(item["why"] for item in lev["offers"] + lev["processes"])


def test_at_most_three_items_are_cited(alice):
    mine = _offer(alice, "Contoso", "Analyst", "50000")
    for n in range(5):
        _offer(alice, f"Better {n}", "Analyst", str(60000 + n * 1000))
    lev = negotiation.leverage(Offer.objects.get(pk=mine.pk))
    assert [i["company"] for i in lev["chosen"]] == ["Better 4", "Better 3", "Better 2"]
    left = [i for i in lev["offers"] if not i["used"]]
    assert {i["company"] for i in left} == {"Better 0", "Better 1"}
    assert all("3 strongest" in i["why"] for i in left)


def test_offers_in_another_currency_are_weighed_in_this_ones(alice):
    mine = _offer(alice, "Contoso", "Analyst", "60000", currency="EUR")
    _offer(alice, "Pounds Ltd", "Analyst", "55000", currency="GBP")  # 66,000 EUR: better
    _offer(alice, "Dollar Inc", "Analyst", "63000", currency="USD")  # 58,000 EUR: lower
    _offer(alice, "Yen KK", "Analyst", "9000000", currency="JPY")  # no rate: not weighed
    services.set_rate(alice, from_currency="GBP", to_currency="EUR", rate="1.2", as_of=date.today())
    services.set_rate(
        alice, from_currency="EUR", to_currency="USD", rate="1.086", as_of=date.today()
    )
    lev = negotiation.leverage(Offer.objects.get(pk=mine.pk))
    items = {i["company"]: i for i in lev["offers"]}
    assert items["Pounds Ltd"]["used"]
    assert not items["Dollar Inc"]["used"] and "worth less" in items["Dollar Inc"]["why"]
    assert (
        not items["Yen KK"]["used"] and "no exchange rate from JPY to EUR" in items["Yen KK"]["why"]
    )
    body = negotiation.counter_offer_draft(Offer.objects.get(pk=mine.pk), lev)["body"]
    assert "55,000 GBP (about 66,000 EUR)" in body


def test_a_lower_offer_with_a_bigger_4_year_total_is_cited(alice):
    mine = _offer(alice, "Contoso", "Analyst", "62000")
    _offer(alice, "Equity Co", "Analyst", "58000", equity_kind="rsu", rsu_grant_value=D("80000"))
    lev = negotiation.leverage(Offer.objects.get(pk=mine.pk))
    assert lev["offers"][0]["used"] and "over four years" in lev["offers"][0]["why"]
    body = negotiation.counter_offer_draft(Offer.objects.get(pk=mine.pk), lev)["body"]
    # Its lower base is never quoted: the letter gives the figure that is higher.
    assert "Equity Co for an Analyst role worth 312,000 USD over four years" in body
    assert "58,000" not in body


def test_the_ask_is_specific_and_the_letter_is_short_warm_and_signed(market):
    body = negotiation.counter_offer_draft(market)["body"]
    assert (
        "With a base salary of 70,000 USD, I would be ready to accept by Friday 18 December" in body
    )
    assert "a sign-on bonus of 8,000 USD" in body and "an equity grant" in body
    assert prose.word_count(body) <= negotiation.MAX_WORDS
    assert prose.article_errors(body) == []
    assert body.rstrip().endswith("Best regards,\nAlice Martin")
    assert "alice\n" not in body


def test_your_target_is_the_ask_when_you_set_one(market):
    services.set_plan(market, target=D("68000"), walk_away=D("63000"))
    body = negotiation.counter_offer_draft(Offer.objects.get(pk=market.pk))["body"]
    assert "With a base salary of 68,000 USD" in body
    assert "a sign-on bonus of 6,000 USD" in body


def test_the_plan_page_shows_every_item_and_why(alice_client, market):
    page = alice_client.get(f"/offers/{market.pk}/negotiation/").content.decode()
    assert page.count("In the letter.") == 3
    assert "worth less than this offer" in page and "already named in the letter" in page
    assert "Fabrikam" in page and "Early Co 7" in page


def test_a_long_list_of_processes_left_out_is_folded_late_rounds_first(alice_client, market):
    import re

    page = alice_client.get(f"/offers/{market.pk}/negotiation/").content.decode()
    leverage = page[page.index('id="leverage"') : page.index("Your numbers")]
    before, folded = leverage.split('<details class="left-out"', 1)
    assert folded.startswith(">")  # 11 left out: closed until asked for
    assert "11 processes left out of the letter, and why" in folded
    assert "Early Co" not in before and "Tailspin Toys" in before  # the letter's, up front
    reasons = re.findall(r"Left out: ([^<]*)", folded)
    firsts = [r.startswith("still early") for r in reasons]
    assert (
        firsts == sorted(firsts) and firsts.count(True) == 9
    )  # late rounds, then early (Litware too)


def test_the_letter_greets_the_companys_recruiter_when_you_know_them(alice):
    from sayyes.network.models import Contact

    mine = _offer(alice, "Contoso", "Analyst", "50000")
    assert negotiation.counter_offer_draft(mine)["body"].startswith("Hello,\n")
    company = mine.opportunity.company
    Contact.objects.create(
        owner=alice, name="Sam Lee", title="Engineering Manager", company=company
    )
    Contact.objects.create(
        owner=alice, name="Priya Natarajan", title="Senior Recruiter", company=company
    )
    assert negotiation.counter_offer_draft(mine)["body"].startswith("Dear Priya,\n")
