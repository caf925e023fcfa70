"""How an answer was said: pace from word timings, pauses, fillers as spoken.

* **Words per minute**: words spoken divided by the time from the first word's start to the
  last word's end (silence before and after does not slow the pace down).
* **Pauses**: silences longer than :data:`PAUSE_SECONDS` (1.5 s) between the first and the last
  sound: how many, and the longest. They are found in the samples (20 ms frames quieter than a
  tenth of the loud frames), because Whisper's word timings stretch a word over the silence
  after it. Without samples, gaps between word timings are used.
* **Fillers**: the coach's filler rules run on the transcript (which keeps "um" and "uh":
  ``hesitations.py`` merges them in); ``pieces`` is the transcript cut into plain
  and filler parts, for highlighting.
* **Unclear**: the stretches the engine could not understand (see ``guard.py``): listed with
  their times, left out of the transcript, the pace and the coach's reading.
"""

from __future__ import annotations

import numpy as np

from ..coach.fillers import find_fillers, tally
from ..coach.text import tokenize
from .audio import SAMPLE_RATE
from .engine import Transcript

PAUSE_SECONDS = 1.5
FRAME = SAMPLE_RATE // 50  # 20 ms


def levels(samples: np.ndarray) -> np.ndarray:
    """The loudness (RMS) of each whole 20 ms frame of ``samples``."""
    frames = samples.size // FRAME
    return np.sqrt(np.mean(samples[: frames * FRAME].reshape(frames, FRAME) ** 2, axis=1))


def silences(
    samples: np.ndarray | None,
    longer_than: float = PAUSE_SECONDS,
    *,
    rms: np.ndarray | None = None,
) -> list[float]:
    """Lengths in seconds of the silences longer than ``longer_than`` inside the speech.

    ``rms``: the frames' loudness (:func:`levels`) when the samples are not all at hand.
    """
    if rms is None:
        assert samples is not None
        rms = levels(samples)
    if rms.size < 2:
        return []
    loud = float(np.percentile(rms, 95))
    if loud <= 1e-4:
        return []
    voiced = np.flatnonzero(rms > max(loud * 0.1, 1e-4))
    if voiced.size < 2:
        return []
    gaps = np.diff(voiced) - 1  # silent frames between voiced frames
    seconds = gaps[gaps * FRAME / SAMPLE_RATE > longer_than] * FRAME / SAMPLE_RATE
    return [round(float(s), 2) for s in seconds]


def speech_metrics(
    transcript: Transcript, samples: np.ndarray | None = None, *, rms: np.ndarray | None = None
) -> dict:
    """``rms``: the loudness of the recording's frames, instead of its ``samples``."""
    words = transcript.words
    wpm = None
    spoken = 0.0
    unclear = [{"start": u.start, "end": u.end, "reason": u.reason} for u in transcript.unclear]
    if words:
        first, last = words[0].start, words[-1].end
        spoken = max(0.0, last - first)
        # Stretches that could not be understood are neither words nor pace.
        spoken -= sum(max(0.0, min(u.end, last) - max(u.start, first)) for u in transcript.unclear)
        if spoken >= 1.0:
            wpm = round(len(words) / (spoken / 60.0), 1)
    if samples is not None or rms is not None:
        gaps = silences(samples, rms=rms)
    else:
        gaps = [
            round(b.start - a.end, 2)
            for a, b in zip(words, words[1:], strict=False)
            if b.start - a.end > PAUSE_SECONDS
        ]
    marks = find_fillers(tokenize(transcript.text))
    pieces: list[list] = []
    at = 0
    for mark in marks:
        if mark.start > at:
            pieces.append([transcript.text[at : mark.start], False])
        pieces.append([transcript.text[mark.start : mark.end], True])
        at = mark.end
    if at < len(transcript.text):
        pieces.append([transcript.text[at:], False])
    return {
        "duration_seconds": round(transcript.duration_seconds, 2),
        "speaking_seconds": round(spoken, 2),
        "words_per_minute": wpm,
        "pauses": {
            "threshold_seconds": PAUSE_SECONDS,
            "count": len(gaps),
            "longest_seconds": max(gaps) if gaps else None,
        },
        "fillers": {"count": len(marks), "items": tally(marks)},
        "pieces": pieces,
        "engine": transcript.engine,
        "unclear": unclear,
        "unclear_seconds": round(sum(u.end - u.start for u in transcript.unclear), 2),
    }
