"""Deleting an answer deletes its recording (connected in ``PracticeConfig.ready``).

Kept apart from ``voice.py`` so that starting Django doesn't import the coach and the
speech engine: every command and worker starts faster.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import Answer


@receiver(post_delete, sender=Answer)
def delete_recording(sender: type[Answer], instance: Answer, **kwargs: Any) -> None:
    path: Path | None = instance.audio_path
    if path is not None:
        transaction.on_commit(lambda: path.unlink(missing_ok=True))
