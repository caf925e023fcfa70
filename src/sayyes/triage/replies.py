"""What to get out of an interview (its goals, from the strongest reasons) and the drafts of
the reply to the invitation: accept, ask to reschedule, or decline."""

from __future__ import annotations

import zoneinfo
from datetime import datetime

from django.urls import reverse

from sayyes.accounts.services import sign_off
from sayyes.core import prose
from sayyes.network.drafts import round_phrase
from sayyes.network.models import Contact
from sayyes.pipeline.models import Interview, InterviewKind, Opportunity

from .costs import format_when
from .reasons import PRACTICE_QUESTIONS, Reason, category_label

QUESTION_BY_REASON = {
    "industry": "What is changing most in {industry} right now, and how is {company} responding?",
    "market": "What do people who do well at {company} have in common?",
    "leverage": "What are the next steps, and when do you expect to decide?",
    "serendipity": "Are other teams at {company} hiring for skills like mine?",
    "network": "Who would I work with most closely, and how does the team share work?",
    "practice": "What does success look like in this role after six months?",
}


def practice_url() -> str:
    return reverse("practice_home")


def build_goals(
    interview: Interview,
    reasons: list[Reason],
    *,
    weakest: str,
    new_people: list[Contact],
    known: list[Contact],
    offers: list[Opportunity],
    other_roles: list[Opportunity],
) -> list[dict]:
    """Three or more concrete goals, from the strongest reasons first."""
    opp = interview.opportunity
    company = opp.company
    by_reason = {r.reason: r for r in reasons}
    goals: list[dict] = []
    goals.append(
        {
            "text": f"Practise {PRACTICE_QUESTIONS} {category_label(weakest).lower()} questions "
            f"before the {interview.get_kind_display().lower()} round.",
            "kind": "skill",
            "reason": "practice",
            "link": practice_url(),
            "category": weakest,
        }
    )
    # The question to ask comes from the reason that scores highest after practice.
    best = max(
        (r for r in reasons if r.reason in ("industry", "market", "serendipity", "leverage")),
        key=lambda r: r.score,
    )
    if best.reason == "industry" and not company.industry:
        best = by_reason["market"]
    question = QUESTION_BY_REASON[best.reason].format(
        company=company.name, industry=company.industry or "your field"
    )
    goals.append(
        {
            "text": f"Ask: “{question}”",
            "kind": "question",
            "reason": best.reason,
            "link": "",
            "category": "",
        }
    )
    if new_people:
        person = new_people[0]
        text = (
            f"Connect with {person.name} after the interview: a thank-you note within 24 hours, "
            "and an invitation on LinkedIn."
        )
        link = reverse("contact_detail", args=[person.pk])
    elif known:
        person = known[0]
        text = f"Ask {person.name}, whom you know at {company.name}, what the team is like."
        link = reverse("contact_detail", args=[person.pk])
    else:
        text = "Learn your interviewers' names and roles, and add them to the interview."
        link = reverse("interview_edit", args=[interview.pk])
    goals.append(
        {"text": text, "kind": "person", "reason": "network", "link": link, "category": ""}
    )
    if opp.salary_max is None and opp.salary_min is None:
        fact = "Find out the salary range for this role (ask the recruiter, or check its posting)."
    elif offers:
        fact = (
            f"Learn their hiring timeline, to line it up with your offer from "
            f"{offers[0].company.name}."
        )
    else:
        fact = "Learn how they decide on pay and when they would make an offer."
    goals.append({"text": fact, "kind": "fact", "reason": "leverage", "link": "", "category": ""})
    if other_roles:
        goals.append(
            {
                "text": f"Mention your interest in {other_roles[0].title} at {company.name} too.",
                "kind": "opening",
                "reason": "serendipity",
                "link": reverse("opportunity_detail", args=[other_roles[0].pk]),
                "category": "",
            }
        )
    return goals


def _greeting(people: list[Contact]) -> str:
    names = [prose.first_name(p.name) for p in people if prose.first_name(p.name)]
    if names and len(names) <= 3:
        return f"Dear {prose.join(names)},"
    return "Dear hiring team,"


def _where(interview: Interview) -> str:
    if interview.video_url:
        return "" if interview.kind == InterviewKind.VIDEO else " by video"
    if interview.location:
        return f" at {interview.location}"
    return ""


def write_replies(interview: Interview, *, tz: zoneinfo.ZoneInfo, slots: list[datetime]) -> dict:
    """Accept, reschedule and decline drafts, written for sayyes; the user edits them."""
    opp = interview.opportunity
    company, role = opp.company.name, opp.title
    people = list(interview.interviewers.all())
    hello = _greeting(people)
    me = sign_off(interview.owner)
    when = format_when(interview.starts_at, tz)
    arranged = zoneinfo.ZoneInfo(interview.timezone)
    also = (
        f" That is {format_when(interview.starts_at, arranged)} on your side."
        if arranged.key != tz.key
        else ""
    )
    kind = round_phrase(interview)
    accept = (
        f"{hello}\n\n"
        f"Thank you for inviting me to interview for the {role} role at {company}. "
        f"I'm glad to confirm the {kind} on {when}{_where(interview)}.{also}\n\n"
        "Please let me know if there is anything I should prepare or bring. "
        "I look forward to speaking with you.\n\n"
        f"Best regards,\n{me}"
    )
    if slots:
        options = "\n".join(f"- {format_when(s, tz)}" for s in slots)
        proposal = (
            "Unfortunately I have a conflict at that time. Would one of these work instead?\n\n"
            f"{options}\n\n"
            "I'm happy to adapt if none of them suits you."
        )
    else:
        proposal = (
            "Unfortunately I have a conflict at that time. Could you suggest two or three other "
            "times? I'll make one of them work."
        )
    reschedule = (
        f"{hello}\n\n"
        f"Thank you for the invitation to interview for the {role} role at {company}; "
        f"I'm keen to meet you. The proposed time was {when}.{also}\n\n"
        f"{proposal}\n\n"
        f"Best regards,\n{me}"
    )
    decline = (
        f"{hello}\n\n"
        f"Thank you for inviting me to interview for the {role} role at {company}, and for "
        "the time you have given my application. After careful thought, I have decided not to "
        "go ahead with this role at the moment.\n\n"
        f"I have enjoyed learning about {company} and would be glad to hear from you about "
        "future openings that fit. I hope we stay in touch.\n\n"
        f"Best regards,\n{me}"
    )
    return {"accept": accept, "reschedule": reschedule, "decline": decline}
