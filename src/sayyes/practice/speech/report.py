"""One recording, assessed: the transcript, how it was said, and the coach's feedback."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..coach import PACE_OK, analyse
from .audio import decode
from .engine import Engine, Transcript, transcribe_samples
from .metrics import speech_metrics


def coach_duration(metrics: dict) -> float | None:
    """The duration the coach judges length by: the time spent speaking, else the recording."""
    return metrics["speaking_seconds"] or metrics["duration_seconds"] or None


def with_speech(feedback: dict, metrics: dict) -> dict:
    """The coach's feedback with the pace from word timings and the speech metrics added."""
    wpm = metrics["words_per_minute"]
    feedback = dict(feedback)
    feedback["words_per_minute"] = wpm
    feedback["pace"] = {
        "verdict": None
        if wpm is None
        else "slow"
        if wpm < PACE_OK[0]
        else "fast"
        if wpm > PACE_OK[1]
        else "ok"
    }
    feedback["speech"] = metrics
    return feedback


def assess(
    source: str | Path | np.ndarray,
    question: str = "",
    *,
    engine: Engine | None = None,
    posting_text: str | None = None,
    talking_points: list[str] | None = None,
) -> tuple[Transcript, dict]:
    """(transcript, feedback) for a recording file or its samples."""
    samples = decode(source) if not isinstance(source, np.ndarray) else source
    transcript = transcribe_samples(samples, engine)
    metrics = speech_metrics(transcript, samples)
    feedback = analyse(
        question,
        transcript.text,
        duration_seconds=coach_duration(metrics),
        posting_text=posting_text,
        talking_points=talking_points,
    )
    return transcript, with_speech(feedback, metrics)
