"""Template helpers so other apps' pages can prompt for the debrief and show the
questions to ask without their views knowing about the journal."""

from django import template

from sayyes.journal import services
from sayyes.journal.models import Debrief

register = template.Library()


@register.filter
def needs_debrief(interview) -> bool:
    """Ended and not debriefed yet."""
    return (
        services.interview_ended(interview)
        and not Debrief.objects.filter(interview=interview).exists()
    )


@register.filter
def saved_questions_to_ask(interview):
    return services.saved_questions(interview)


@register.inclusion_tag("journal/_interview_links.html")
def journal_links(interview):
    return {
        "interview": interview,
        "needs_debrief": needs_debrief(interview),
        "has_debrief": Debrief.objects.filter(interview=interview).exists(),
        "questions": list(services.saved_questions(interview)),
    }
