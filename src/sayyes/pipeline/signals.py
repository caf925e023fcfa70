"""Signals the pipeline sends. Apps above it receive them (in their AppConfig.ready), so the
pipeline never imports them."""

from django.dispatch import Signal

# Sent when an interview is saved as done, and again when a done interview changes (its
# interviewers, say): sender=Interview, interview=the interview. Receivers must be safe to call
# again. The network receives it to make the thank-you follow-ups.
interview_done = Signal()
