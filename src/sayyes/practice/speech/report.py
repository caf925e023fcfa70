"""One recording, assessed: the transcript, how it was said, and the coach's feedback."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..coach import PACE_OK, analyse
from .audio import SAMPLE_RATE, decode
from .engine import Engine, Segment, Transcript, Unclear, Word, get_engine, transcribe_samples
from .metrics import speech_metrics


def engine_facts(engine: Engine | None = None) -> dict:
    """The engine in use: its name, the model, why it was chosen, its measured WER and RTF."""
    engine = engine or get_engine()
    choice = getattr(engine, "choice", None)
    return {"name": engine.name, **(choice.describe() if choice is not None else {})}


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
    return transcript, coach(
        transcript, samples, question, posting_text=posting_text, talking_points=talking_points
    )


def coach(
    transcript: Transcript,
    samples: np.ndarray,
    question: str = "",
    *,
    posting_text: str | None = None,
    talking_points: list[str] | None = None,
    question_type: str | None = None,
) -> dict:
    """The coach's feedback on a transcript, with the speech metrics of its samples."""
    metrics = speech_metrics(transcript, samples)
    feedback = analyse(
        question,
        transcript.text,
        duration_seconds=coach_duration(metrics),
        posting_text=posting_text,
        talking_points=talking_points,
        question_type=question_type,
    )
    return with_speech(feedback, metrics)


def warm() -> None:
    """Load now what the first voice answer would otherwise load after its Stop: the speech
    model, the other model the guard decodes suspect stretches with, and the coach's spaCy
    pipeline and word lists (run on one short answer). Called as the worker starts; a model
    that is not installed is left to fail, with its own message, on the first answer."""
    from ..coach.grammar import pipeline

    try:
        engine = get_engine()
    except Exception:  # noqa: BLE001 - said on the first answer, where the user sees it
        return
    silence = np.zeros(SAMPLE_RATE, dtype=np.float32)
    decode_once = getattr(engine, "decode", None)
    if decode_once is not None:
        decode_once(silence)  # CTranslate2's first run allocates its buffers
    other = getattr(engine, "other", None)
    if other is not None and other() is not None:
        other().decode(silence)
    pipeline()
    sample = Transcript(
        "I led the move to a new database and we finished a week early.",
        4.0,
        [],
        engine.name,
    )
    coach(sample, silence, "Tell me about a project you are proud of.")


# --- Transcribing while the user speaks ----------------------------------------------------------

MIN_WINDOW = 12.0  # seconds of new speech before a piece is transcribed
QUIET = 0.3  # a cut goes in the middle of a silence at least this long


def quiet_point(samples: np.ndarray, start: float, end: float) -> float | None:
    """The middle of the last silence of QUIET seconds between ``start`` and ``end``."""
    frame = SAMPLE_RATE // 50
    frames = samples.size // frame
    if frames < 2:
        return None
    rms = np.sqrt(np.mean(samples[: frames * frame].reshape(frames, frame) ** 2, axis=1))
    loud = float(np.percentile(rms, 95))
    if loud <= 1e-4:
        return None
    lo, hi = int(start * 50), min(int(end * 50), frames)
    idx = np.flatnonzero(rms[lo:hi] < loud * 0.1)
    if idx.size == 0:
        return None
    breaks = np.flatnonzero(np.diff(idx) > 1)
    firsts = np.concatenate([[idx[0]], idx[breaks + 1]])
    lasts = np.concatenate([idx[breaks], [idx[-1]]])
    for first, last in zip(firsts[::-1], lasts[::-1], strict=True):
        if (last - first + 1) / 50 >= QUIET:
            return round((lo + (first + last + 1) / 2) / 50, 2)
    return None


def _has_sound(part: np.ndarray, whole: np.ndarray) -> bool:
    """Whether ``part`` has at least 0.1 s louder than a tenth of the recording's loud frames."""
    frame = SAMPLE_RATE // 50

    def rms(x: np.ndarray) -> np.ndarray:
        n = x.size // frame
        return np.sqrt(np.mean(x[: n * frame].reshape(n, frame) ** 2, axis=1)) if n else x[:0]

    loud = rms(whole)
    if loud.size == 0:
        return False
    threshold = max(float(np.percentile(loud, 95)) * 0.1, 1e-4)
    return int(np.count_nonzero(rms(part) > threshold)) >= 5


def _piece(samples: np.ndarray, start: float, end: float | None, engine) -> list[dict]:
    """Transcribe samples[start:end] and give its segments times from the recording's start."""
    a = int(start * SAMPLE_RATE)
    b = None if end is None else int(end * SAMPLE_RATE)
    part = samples[a:b]
    if part.size < SAMPLE_RATE // 4 or not _has_sound(part, samples):
        return []  # Whisper makes words up from silence
    result = transcribe_samples(part, engine)
    out = []
    for seg in result.segments:
        out.append(
            {
                "start": round(seg.start + start, 2),
                "end": round(seg.end + start, 2),
                "text": seg.text,
                "words": [
                    {
                        "text": w.text,
                        "start": round(w.start + start, 2),
                        "end": round(w.end + start, 2),
                        "probability": w.probability,
                    }
                    for w in seg.words
                ],
                "avg_logprob": seg.avg_logprob,
                "no_speech_prob": seg.no_speech_prob,
                "compression_ratio": seg.compression_ratio,
            }
        )
    for u in result.unclear:  # a segment without words: only its stretch is kept
        out.append(
            {
                "start": round(u.start + start, 2),
                "end": round(u.end + start, 2),
                "text": "",
                "words": [],
                "unclear": u.reason,
            }
        )
    return out


def _segment(s: dict) -> Segment:
    return Segment(
        s["start"],
        s["end"],
        s["text"],
        [Word(**w) for w in s["words"]],
        s.get("avg_logprob", 0.0),
        s.get("no_speech_prob", 0.0),
        s.get("compression_ratio", 1.0),
    )


def advance_live(samples: np.ndarray, live: dict, engine: Engine | None = None) -> dict:
    """Transcribe the next finished piece of a recording still in progress, if there is one."""
    cut = float(live.get("cut", 0.0))
    end = samples.size / SAMPLE_RATE - 1.0  # the last second may still be mid-word
    if end - cut < MIN_WINDOW:
        return live
    point = quiet_point(samples, cut + MIN_WINDOW * 0.5, end)
    if point is None or point <= cut:
        return live
    return {
        "cut": point,
        "segments": [*live.get("segments", []), *_piece(samples, cut, point, engine)],
    }


def finish_live(samples: np.ndarray, live: dict, engine: Engine | None = None) -> Transcript:
    """The whole transcript: the pieces done while recording, and the rest."""
    cut = float(live.get("cut", 0.0))
    pieces = [*live.get("segments", []), *_piece(samples, cut, None, engine)]
    segments = sorted((s for s in pieces if "unclear" not in s), key=lambda s: s["start"])
    return Transcript(
        " ".join(s["text"] for s in segments if s["text"]).strip(),
        round(samples.size / SAMPLE_RATE, 2),
        [_segment(s) for s in segments],
        (engine or get_engine()).name,
        [Unclear(s["start"], s["end"], s["unclear"]) for s in pieces if "unclear" in s],
    )
