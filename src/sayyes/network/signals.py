"""What the network does when the pipeline says something happened."""

from django.dispatch import receiver

from sayyes.pipeline.signals import interview_done

from .services import ensure_thank_yous


@receiver(interview_done, dispatch_uid="network.thank_the_interviewers")
def thank_the_interviewers(sender, interview, **kwargs) -> None:
    """Each interviewer of a done interview gets a thank-you follow-up (never twice)."""
    ensure_thank_yous(interview)
