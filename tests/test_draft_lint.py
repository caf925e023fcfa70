"""The draft lint: every draft sayyes writes for a `sayyes demo` account is fit to send.

For every follow-up (thank-you notes), every interview (the triage replies: accept,
reschedule, decline) and every offer (the counter-offer letter) of a demo account:

- it ends with the signature (or the display name), never the login name;
- no "a"/"an" that inflect would write otherwise;
- the company and the role are each named where they belong, not twice in a sentence;
- nothing pasted from the raw notes;
- within its word limits.
"""

from __future__ import annotations

import re
import zoneinfo
from collections import Counter

import pytest

from sayyes.accounts.services import update_me
from sayyes.core import prose
from sayyes.demo import fill_demo
from sayyes.network import drafts as thank_you_drafts
from sayyes.network import services as network
from sayyes.network.models import FollowUp
from sayyes.offers import negotiation
from sayyes.offers.models import Offer
from sayyes.pipeline import services as pipeline
from sayyes.pipeline.models import Interview, Opportunity
from sayyes.triage.replies import write_replies

SIGNATURE = "Alice Martin\n+44 20 7946 0000\nlinkedin.com/in/alice-martin"
UTC = zoneinfo.ZoneInfo("UTC")


@pytest.fixture
def demo_drafts(db):
    """Every draft of a demo account, as (what, object, draft), and its postings' text."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("demo-lint")
    fill_demo(user, seed=7)
    update_me(user, display_name="Alice Martin", signature=SIGNATURE)
    # The thank-yous the app makes when an interview is marked done (the demo makes none).
    done = Interview.objects.owned_by(user).filter(status="done").order_by("-starts_at")
    for interview in done.select_related("opportunity")[:60]:
        network.ensure_thank_yous(interview)
    found = []
    followups = FollowUp.objects.owned_by(user).select_related(
        "contact__company", "interview__opportunity__company", "owner"
    )
    for followup in followups:
        found.append(("thank-you", followup, network.thank_you_draft(followup)))
    interviews = (
        Interview.objects.owned_by(user)
        .select_related("opportunity__company", "owner")
        .prefetch_related("interviewers")
    )
    for interview in interviews:
        for kind, body in write_replies(interview, tz=UTC, slots=[]).items():
            found.append((f"reply-{kind}", interview, {"subject": "", "body": body}))
    for offer in Offer.objects.owned_by(user).filter(is_current=False):
        offer = Offer.objects.select_related("opportunity__company").get(pk=offer.pk)
        found.append(("counter-offer", offer, negotiation.counter_offer_draft(offer)))
    postings = Opportunity.objects.owned_by(user).exclude(posting_text="")
    return found, list(postings.values_list("posting_text", flat=True))


LIMITS = {  # words, signature included
    "thank-you": (thank_you_drafts.MIN_WORDS, thank_you_drafts.MAX_WORDS),
    "counter-offer": (60, negotiation.MAX_WORDS),
    "reply-accept": (30, 150),
    "reply-reschedule": (30, 150),
    "reply-decline": (30, 150),
}


def check_kinds(demo_drafts):
    kinds = Counter(what for what, _obj, _draft in demo_drafts)
    assert set(kinds) == set(LIMITS)
    assert kinds["thank-you"] >= 20 and kinds["counter-offer"] >= 2


def check_signature(demo_drafts):
    for what, obj, draft in demo_drafts:
        body = draft["body"].rstrip()
        assert body.endswith(SIGNATURE), (what, obj.pk, body[-120:])
        assert "demo-lint" not in body, (what, obj.pk)


def check_articles(demo_drafts):
    for what, obj, draft in demo_drafts:
        for text in (draft["subject"], draft["body"]):
            assert prose.article_errors(text) == [], (what, obj.pk, text)


def _company_and_role(what, obj):
    if what == "thank-you":
        if obj.interview is None:
            return None
        opp = obj.interview.opportunity
    elif what.startswith("reply"):
        opp = obj.opportunity
    else:
        opp = obj.opportunity
    return opp.company.name, opp.title


def check_names_once(demo_drafts):
    for what, obj, draft in demo_drafts:
        names = _company_and_role(what, obj)
        if names is None:
            continue
        for sentence in re.split(r"(?<=[.!?])\s+|\n", draft["body"]):
            for name in names:
                count = len(re.findall(r"(?<!\w)" + re.escape(name) + r"(?!\w)", sentence))
                assert count <= 1, (what, obj.pk, name, sentence)
    # In the counter-offer, every role (other than the offer's own) is cited once at most.
    for what, obj, draft in demo_drafts:
        if what == "counter-offer":
            cited = re.findall(r"(?:with|from) (.+?) for an? (.+?) role", draft["body"])
            assert len(cited) == len(set(cited)), (obj.pk, cited)


def check_no_raw_notes(demo_drafts):
    for what, obj, draft in demo_drafts:
        notes = []
        if what == "thank-you" and obj.interview is not None:
            notes = [obj.interview.notes, obj.note]
            debrief = getattr(obj.interview, "debrief", None)
            if debrief is not None:
                notes += [debrief.notes, debrief.likes, debrief.dislikes]
        elif what.startswith("reply"):
            notes = [obj.notes, obj.opportunity.notes]
        elif what == "counter-offer":
            notes = [obj.notes]
        body = draft["body"].lower()
        for note in notes:
            for fragment in re.split(r"[.;!?\n]+", note or ""):
                words = fragment.split()
                if len(words) >= 5:
                    assert " ".join(words).lower() not in body, (what, obj.pk, fragment)
        assert "talked about" not in body and "discussion of" not in body


def check_word_limits(demo_drafts):
    for what, obj, draft in demo_drafts:
        low, high = LIMITS[what]
        words = prose.word_count(draft["body"])
        assert low <= words <= high, (what, obj.pk, words)


def test_every_draft_of_a_demo_account_is_fit_to_send(demo_drafts):
    demo_drafts, demo_postings = demo_drafts
    for check in (
        check_kinds,
        check_signature,
        check_articles,
        check_names_once,
        check_no_raw_notes,
        check_word_limits,
    ):
        check(demo_drafts)
    # The demo's postings are written with the same grammar ("We are hiring an IT Specialist").
    assert demo_postings
    assert [p for p in demo_postings if prose.article_errors(p)] == []


def test_the_reasons_to_ask_a_question_take_the_rounds_article(alice, opp):
    from sayyes.journal.to_ask import questions_to_ask
    from sayyes.practice.services import load_bank

    load_bank()
    interview = opp.interviews.get()
    interview.interviewers.clear()
    pipeline.update_interview(interview, kind="onsite")
    reasons = [s.why for s in questions_to_ask(interview)]
    assert any(why.startswith("An on site:") for why in reasons), reasons
    assert all(prose.article_errors(why) == [] for why in reasons)
