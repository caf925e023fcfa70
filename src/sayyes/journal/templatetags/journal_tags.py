"""Template helpers so other apps' pages can prompt for the debrief and show the
questions to ask without their views knowing about the journal."""

from django import template

from sayyes.journal import debriefs, to_ask
from sayyes.journal.models import Debrief

register = template.Library()


@register.inclusion_tag("journal/_interview_links.html")
def journal_links(interview):
    has_debrief = Debrief.objects.filter(interview=interview).exists()
    return {
        "interview": interview,
        "needs_debrief": not has_debrief and debriefs.interview_ended(interview),
        "has_debrief": has_debrief,
        "questions": list(to_ask.saved_questions(interview)),
    }
