"""The negotiation plan: leverage ranked and chosen, and a counter-offer letter that uses it.

Leverage is what you can honestly point to. Every open offer and active process is listed
with why it was used in the letter or left out:

- another offer is used only when it is better than this one, by its year-one or its
  4-year total, both in this offer's currency (a lower offer would weaken the ask);
- a process is used only when it is in a late round (interviewing, several interviews, or
  an on-site, panel or final round), and the letter gives its date;
- a role is named once at most, and the letter cites at most three items, strongest first.

The letter asks for a specific figure (your target, else one sayyes suggests from your
leverage) and names what else could move (sign-on, equity, start date, remote work). It
stays at or under 250 words and ends with your signature.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_CEILING, Decimal
from typing import Any

from django.utils import timezone

from sayyes.accounts.services import sign_off
from sayyes.core import prose

from . import compensation
from .models import OPEN_STATUSES, Offer
from .services import MissingRate, find_rate, offers_for, yearly

MAX_CITED = 3
MAX_WORDS = 250
LATE_KINDS = frozenset({"onsite", "panel", "final"})
# Without a target of yours, the ask is the best cited offer's base, else this much more.
DEFAULT_RAISE = Decimal("0.08")


def money(amount: Any, currency: str) -> str:
    if amount is None:
        return ""
    amount = Decimal(amount)
    text = f"{amount:,.0f}" if amount == amount.to_integral() else f"{amount:,.2f}"
    return f"{text} {currency}"


def day(value: date | datetime) -> str:
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return f"{value:%A} {value.day} {value:%B}"


def _role_key(company: str, title: str) -> tuple[str, str]:
    return (" ".join(company.lower().split()), " ".join(title.lower().split()))


@dataclass
class Item:
    """One piece of leverage, as the plan page and the API show it."""

    kind: str  # "offer" or "process"
    company: str
    title: str
    used: bool = False
    why: str = ""
    strength: float = 0.0
    data: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.data,
            "kind": self.kind,
            "company": self.company,
            "title": self.title,
            "used": self.used,
            "why": self.why,
        }


def _offer_items(offer: Offer, own_y1: Decimal, own_4y: Decimal) -> list[Item]:
    others = (
        offers_for(offer.owner)
        .filter(is_current=False, status__in=OPEN_STATUSES)
        .exclude(pk=offer.pk)
        .order_by("deadline", "id")
    )
    items = []
    cur = offer.currency
    for other in others:
        years = yearly(other)
        total_4y = compensation.total(years)
        item = Item(
            "offer",
            other.company_name,
            other.opportunity.title if other.opportunity is not None else "",
            data={
                "offer": other,
                "currency": other.currency,
                "base_salary": other.base_salary,
                "total_4y": total_4y,
                "year_one": years[0].total if years else Decimal(0),
                "deadline": other.deadline,
            },
        )
        items.append(item)
        if other.opportunity is None and not other.label:
            item.why = "Left out: it names no company (give it an opportunity or a label)."
            continue
        try:
            rate, _ = find_rate(offer.owner, other.currency, cur)
        except MissingRate:
            item.why = (
                f"Left out: no exchange rate from {other.currency} to {cur}, so it can't be "
                "weighed against this offer (add one under Exchange rates)."
            )
            continue
        y1, four, base = (item.data["year_one"] * rate, total_4y * rate, other.base_salary * rate)
        item.data.update(converted_year_one=y1, converted_total_4y=four, converted_base=base)
        gains = [(y1 - own_y1) / own_y1 if own_y1 else 0, (four - own_4y) / own_4y if own_4y else 0]
        if y1 > own_y1 or four > own_4y:
            item.strength = 2 + float(max(gains))
            which = "year one" if y1 - own_y1 >= four - own_4y else "over four years"
            # What the letter quotes: the base when it is higher too, else the better total.
            if base > offer.base_salary:
                item.data["cite"] = "base"
            else:
                item.data["cite"] = "year_one" if which == "year one" else "total_4y"
            amount = y1 if which == "year one" else four
            mine = own_y1 if which == "year one" else own_4y
            item.why = (
                f"Used: worth more than this offer {which} ({money(round(amount), cur)} "
                f"against {money(round(mine), cur)})."
            )
        else:
            item.why = (
                f"Left out: worth less than this offer (year one {money(round(y1), cur)} "
                f"against {money(round(own_y1), cur)}; four years {money(round(four), cur)} "
                f"against {money(round(own_4y), cur)}); citing it would weaken your ask."
            )
    return items


def _process_items(offer: Offer) -> list[Item]:
    from django.db.models import Count, Max, Min, Q

    from sayyes.pipeline.models import ACTIVE_STATUSES, InterviewStatus, Opportunity, Status

    # A saved posting is not a process yet; an opportunity with an offer is listed as an offer.
    stages = [s for s in ACTIVE_STATUSES if s != Status.SAVED]
    now = timezone.now()
    held = ~Q(interviews__status__in=[InterviewStatus.CANCELLED, InterviewStatus.NO_SHOW])
    opportunities = (
        Opportunity.objects.owned_by(offer.owner)
        .filter(status__in=stages, offers__isnull=True)
        .annotate(
            next_interview=Min(
                "interviews__starts_at", filter=Q(interviews__starts_at__gte=now) & held
            ),
            last_interview=Max(
                "interviews__starts_at", filter=Q(interviews__starts_at__lt=now) & held
            ),
            rounds=Count("interviews", filter=held, distinct=True),
            late_rounds=Count(
                "interviews", filter=held & Q(interviews__kind__in=LATE_KINDS), distinct=True
            ),
        )
        .select_related("company")
        .order_by("-updated_at", "-id")
    )
    items = []
    for opp in opportunities:
        item = Item(
            "process",
            opp.company.name,
            opp.title,
            data={
                "opportunity": opp,
                "stage": opp.get_status_display(),
                "status": opp.status,
                "next_interview": opp.next_interview,
                "last_interview": opp.last_interview,
                "rounds": opp.rounds,
            },
        )
        items.append(item)
        late = (
            opp.status in (Status.INTERVIEWING, Status.OFFER)
            or opp.rounds >= 2
            or opp.late_rounds > 0
        )
        item.data["late"] = late
        when = opp.next_interview or opp.last_interview
        if not late:
            item.why = (
                f"Left out: still early ({opp.get_status_display().lower()}, "
                f"{prose.count(opp.rounds, 'interview')}); naming it would sound like a bluff."
            )
        elif when is None:
            item.why = "Left out: a late round, but with no interview date to point to."
        else:
            soon = opp.next_interview is not None
            item.strength = 1 + (0.5 if soon else 0) + min(opp.rounds, 4) / 10
            item.why = (
                f"Used: a late round ({prose.count(opp.rounds, 'interview')}), "
                f"{'next' if soon else 'last'} on {day(when)}."
            )
    return items


def leverage(offer: Offer) -> dict[str, Any]:
    """Every open offer and active process, each with ``used`` and ``why``; ``chosen`` is
    what the letter cites (at most three, strongest first, each role once)."""
    years = yearly(offer)
    own_y1, own_4y = (years[0].total if years else Decimal(0)), compensation.total(years)
    offers = _offer_items(offer, own_y1, own_4y)
    processes = _process_items(offer)
    own_role = _role_key(
        offer.company_name, offer.opportunity.title if offer.opportunity is not None else ""
    )
    named: set[tuple[str, str]] = {own_role}
    chosen: list[Item] = []
    # Offers first, then processes; each by strength. A role already named is not named again.
    ranked = sorted(
        [i for i in offers + processes if i.strength > 0], key=lambda i: (-i.strength, i.company)
    )
    for item in ranked:
        key = _role_key(item.company, item.title)
        if key in named:
            item.why = (
                "Left out: this role is already named in the letter."
                if key != own_role
                else "Left out: it is the role this offer is for."
            )
            item.strength = 0
        elif item.kind == "process" and item.company.lower() == offer.company_name.lower():
            item.why = f"Left out: another role at {item.company} itself is no leverage there."
            item.strength = 0
        elif len(chosen) >= MAX_CITED:
            item.why = f"Left out: the letter cites the {MAX_CITED} strongest items only."
            item.strength = 0
        else:
            item.used = True
            chosen.append(item)
            named.add(key)
    return {
        "offers": [i.as_dict() for i in offers],
        "processes": [i.as_dict() for i in processes],
        "chosen": [i.as_dict() for i in chosen],
        "currency": offer.currency,
    }


def _round_up(amount: Decimal, step: int = 1000) -> Decimal:
    steps = (amount / step).to_integral_value(rounding=ROUND_CEILING)
    return (steps * step).quantize(Decimal("0.01"))


def suggested_target(offer: Offer, lev: dict[str, Any]) -> Decimal:
    """Your target, else the best cited offer's base (converted), else 8% above this base."""
    if offer.target is not None and offer.target > offer.base_salary:
        return Decimal(offer.target).quantize(Decimal("0.01"))
    bases = [i["converted_base"] for i in lev["chosen"] if i["kind"] == "offer"]
    best = max(bases, default=Decimal(0))
    if best > offer.base_salary:
        return _round_up(Decimal(best))
    return _round_up(Decimal(offer.base_salary) * (1 + DEFAULT_RAISE))


def _cite(item: dict[str, Any], currency: str, also: bool = False) -> str:
    role = f" for {prose.a(item['title'])} role" if item["title"] else ""
    if item["kind"] == "offer":
        cite = item.get("cite", "base")
        amount, converted, phrase = {
            "base": (item["base_salary"], item.get("converted_base"), "with a base salary of {}"),
            "year_one": (item["year_one"], item.get("converted_year_one"), "worth {} in year one"),
            "total_4y": (
                item["total_4y"],
                item.get("converted_total_4y"),
                "worth {} over four years",
            ),
        }[cite]
        figure = money(amount if cite == "base" else round(amount), item["currency"])
        if item["currency"] != currency and converted is not None:
            figure += f" (about {money(round(converted), currency)})"
        text = f"I have an offer from {item['company']}{role} " + phrase.format(figure)
        if item["deadline"]:
            text += f", and they have asked for my answer by {day(item['deadline'])}"
        return text + "."
    if item["next_interview"] is not None:
        when = f"my next interview there is on {day(item['next_interview'])}"
    else:
        when = f"my latest interview there was on {day(item['last_interview'])}"
    return (
        f"I am {'also ' if also else ''}in the final stages with {item['company']}{role}; {when}."
    )


def _negotiables(offer: Offer, gap: Decimal) -> list[str]:
    things = []
    if gap > 0:
        things.append(f"a sign-on bonus of {money(gap, offer.currency)}")
    if offer.equity_kind == "none":
        things.append("an equity grant")
    else:
        things.append("a larger equity grant")
    things.append("a later start date" if offer.start_date else "the start date")
    if offer.remote_policy != "remote":
        things.append("more days of remote work")
    return things


def _greeting(offer: Offer) -> str:
    """ "Dear Priya," when you know the company's recruiter (a contact whose title says so)."""
    from sayyes.journal.to_ask import Persona, persona_for_title

    if offer.opportunity is None:
        return "Hello,"
    # Through the company's reverse relation: offers doesn't import the network.
    for name, title in offer.opportunity.company.contacts.order_by("id").values_list(
        "name", "title"
    ):
        if persona_for_title(title) == Persona.HR and prose.first_name(name):
            return f"Dear {prose.first_name(name)},"
    return "Hello,"


def counter_offer_draft(offer: Offer, lev: dict[str, Any] | None = None) -> dict[str, str]:
    """The letter: thanks, at most three facts, a specific ask, a decisive close."""
    lev = lev if lev is not None else leverage(offer)
    title = offer.opportunity.title if offer.opportunity is not None else ""
    company = offer.company_name
    role = f"the {title} role" if title else "the role"
    target = suggested_target(offer, lev)
    base = money(offer.base_salary, offer.currency)
    lines = [
        _greeting(offer),
        "",
        f"Thank you for the offer for {role} at {company}. I have enjoyed getting to know "
        f"the team, and {company} is where I would most like to be.",
        "",
    ]
    if lev["chosen"]:
        lines.append("To be open about where I stand:")
        processes = 0
        for item in lev["chosen"]:
            lines.append(f"- {_cite(item, offer.currency, also=processes > 0)}")
            processes += item["kind"] == "process"
        lines.append("")
    lines.append(
        f"The offer's base salary is {base}. With a base salary of "
        f"{money(target, offer.currency)}, I would be ready to accept"
        + (f" by {day(offer.deadline)}." if offer.deadline else " right away.")
    )
    lines += [
        "",
        "If the base salary can't move that far, I am glad to talk about "
        f"{prose.join(_negotiables(offer, target - Decimal(offer.base_salary)), 'or')}.",
        "",
        f"I am excited about joining {company} and confident we can settle this quickly. "
        "Thank you again; I look forward to hearing from you.",
        "",
        "Best regards,",
        sign_off(offer.owner),
    ]
    subject = f"The {title} offer: my answer" if title else "Your offer: my answer"
    return {"subject": subject, "body": "\n".join(lines) + "\n", "target": str(target)}


def plan(offer: Offer) -> dict[str, Any]:
    lev = leverage(offer)
    return {
        "leverage": lev,
        "target": offer.target,
        "walk_away": offer.walk_away,
        "suggested_target": suggested_target(offer, lev),
        "draft": counter_offer_draft(offer, lev),
        "rounds": list(offer.rounds.all()),
    }
