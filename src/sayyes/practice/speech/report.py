"""One recording, assessed: the transcript, how it was said, and the coach's feedback."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..coach import PACE_OK, analyse
from .audio import SAMPLE_RATE, AudioError, decode
from .engine import Engine, Segment, Transcript, Unclear, Word, get_engine, transcribe_samples
from .metrics import FRAME, levels, speech_metrics


@dataclass(frozen=True, slots=True)
class Heard:
    """What the final pass reads of a recording: its samples from sample ``at`` on (all of
    them when ``at`` is 0), and the loudness of every 20 ms frame of the whole recording."""

    tail: np.ndarray
    at: int
    rms: np.ndarray

    @classmethod
    def whole(cls, samples: np.ndarray) -> Heard:
        return cls(samples, 0, levels(samples))

    @property
    def size(self) -> int:
        return self.at + self.tail.size

    def part(self, start: float, end: float | None = None) -> np.ndarray:
        a = int(start * SAMPLE_RATE)
        if a < self.at:
            raise ValueError(f"sample {a} is before the decoded tail ({self.at})")
        return self.tail[a - self.at : None if end is None else int(end * SAMPLE_RATE) - self.at]

    def between(self, a: int, b: int) -> np.ndarray:
        """Samples ``a`` to ``b`` of the recording (``a`` within the decoded tail)."""
        if a < self.at:
            raise ValueError(f"sample {a} is before the decoded tail ({self.at})")
        return self.tail[a - self.at : b - self.at]


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
    samples: np.ndarray | Heard,
    question: str = "",
    *,
    posting_text: str | None = None,
    talking_points: list[str] | None = None,
    question_type: str | None = None,
) -> dict:
    """The coach's feedback on a transcript, with the speech metrics of its samples (or of
    the frames' loudness a :class:`Heard` carries)."""
    heard = samples if isinstance(samples, Heard) else Heard.whole(samples)
    metrics = speech_metrics(transcript, rms=heard.rms)
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
    return _quiet_in(levels(samples), start, end)


def _quiet_in(rms: np.ndarray, start: float, end: float) -> float | None:
    """:func:`quiet_point` by the loudness of the recording's 20 ms frames."""
    frames = rms.size
    if frames < 2:
        return None
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


def _threshold(rms: np.ndarray) -> float | None:
    """Louder than this is sound: a tenth of the recording's loud frames (None: all quiet)."""
    if rms.size == 0:
        return None
    return max(float(np.percentile(rms, 95)) * 0.1, 1e-4)


def _has_sound(part: np.ndarray, threshold: float | None) -> bool:
    """Whether ``part`` has at least 0.1 s louder than ``threshold``."""
    return threshold is not None and int(np.count_nonzero(levels(part) > threshold)) >= 5


def _piece(part: np.ndarray, start: float, threshold: float | None, engine) -> list[dict]:
    """Transcribe ``part`` (from ``start`` s) and give its segments times from the
    recording's start."""
    if part.size < SAMPLE_RATE // 4 or not _has_sound(part, threshold):
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


PREROLL = SAMPLE_RATE  # decoded before the check, while the decoder's state settles
CHECK = SAMPLE_RATE // 2  # at least this much before the cut is compared to the tail decoded


def _digest(samples: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(samples, dtype=np.float32).tobytes()).hexdigest()


def advance_live(
    samples: np.ndarray | Heard,
    live: dict,
    engine: Engine | None = None,
    starts: list[int | None] | None = None,
) -> dict:
    """Transcribe the next finished piece of a recording still in progress, if there is one.

    ``samples``: the recording so far, or the part of it :func:`heard_live` decoded.

    With ``starts`` (where each packet's sound starts, from ``decode``) the pass also keeps
    what the next passes need so as not to decode the whole recording again: the loudness of
    every frame before the cut ("levels", for the pauses and what counts as sound), and the
    packet to decode the rest from, with a digest of the samples just before the cut to
    check that the two line up ("tail").
    """
    heard = samples if isinstance(samples, Heard) else Heard.whole(samples)
    cut = float(live.get("cut", 0.0))
    end = heard.size / SAMPLE_RATE - 1.0  # the last second may still be mid-word
    if end - cut < MIN_WINDOW:
        return live
    rms = heard.rms
    point = _quiet_in(rms, cut + MIN_WINDOW * 0.5, end)
    if point is None or point <= cut:
        return live
    a, b = int(cut * SAMPLE_RATE), int(point * SAMPLE_RATE)
    advanced = {
        "cut": point,
        "segments": [
            *live.get("segments", []),
            *_piece(heard.between(a, b), cut, _threshold(rms), engine),
        ],
    }
    # The samples checked reach back to the last sound before the cut: silence alone would
    # also match a tail decoded from the wrong place.
    threshold = _threshold(rms)
    loud = np.flatnonzero(rms[: b // FRAME] > (np.inf if threshold is None else threshold))
    check = min(b - CHECK, int(loud[-1]) * FRAME) if len(loud) else None
    packet = None
    for index, at in enumerate(starts or []):
        if check is not None and at is not None and at <= check - PREROLL:
            packet = (index, at)
    if packet is not None and check is not None and check >= heard.at:
        advanced["levels"] = base64.b64encode(
            rms[: b // FRAME].astype(np.float32).tobytes()
        ).decode()
        advanced["tail"] = {
            "packet": packet[0],
            "at": packet[1],
            "check_from": check,
            "check": _digest(heard.between(check, b)),
        }
    return advanced


def tail_of(
    path: str | Path,
    live: dict,
    *,
    partial: bool = False,
    starts: list[int | None] | None = None,
) -> Heard | None:
    """The recording as the final pass needs it, decoding only from a little before the
    last cut made while recording: the frames before the cut come from what the passes
    during the answer kept. None when they kept nothing, or it does not line up with the
    file (then decode the whole recording).

    ``partial`` and ``starts`` as for ``decode`` (a pass while the recording still grows:
    :func:`heard_live`)."""
    tail, stored = live.get("tail"), live.get("levels")
    if not isinstance(tail, dict) or not isinstance(stored, str) or "cut" not in live:
        return None
    try:
        b, at = int(float(live["cut"]) * SAMPLE_RATE), int(tail["at"])
        check = int(tail["check_from"])
        first = np.frombuffer(base64.b64decode(stored), dtype=np.float32)
        if first.size != b // FRAME or not 0 <= at <= check - PREROLL or check > b - CHECK:
            return None
        samples = decode(
            path, partial=partial, starts=starts, from_packet=int(tail["packet"]), from_at=at
        )
    except (AudioError, KeyError, TypeError, ValueError):
        return None
    checked = samples[check - at : b - at]
    if checked.size != b - check or _digest(checked) != tail["check"]:
        return None
    rest = levels(samples[first.size * FRAME - at :])
    # Only the samples checked and after: before them the decoder's state was settling.
    return Heard(samples[check - at :], check, np.concatenate([first, rest]))


def heard_live(path: str | Path, live: dict, starts: list[int | None]) -> Heard:
    """A recording still arriving, as the next pass while recording needs it: decoded from
    where the previous pass said the rest starts (checked as after Stop, :func:`tail_of`),
    else whole. ``starts`` is filled as by ``decode``. Raises AudioError when too little
    has arrived to decode."""
    heard = tail_of(path, live, partial=True, starts=starts)
    if heard is not None:
        return heard
    starts.clear()
    return Heard.whole(decode(path, partial=True, starts=starts))


def finish_live(
    samples: np.ndarray | Heard, live: dict, engine: Engine | None = None
) -> Transcript:
    """The whole transcript: the pieces done while recording, and the rest."""
    heard = samples if isinstance(samples, Heard) else Heard.whole(samples)
    cut = float(live.get("cut", 0.0))
    rest = _piece(heard.part(cut), cut, _threshold(heard.rms), engine)
    pieces = [*live.get("segments", []), *rest]
    segments = sorted((s for s in pieces if "unclear" not in s), key=lambda s: s["start"])
    return Transcript(
        " ".join(s["text"] for s in segments if s["text"]).strip(),
        round(heard.size / SAMPLE_RATE, 2),
        [_segment(s) for s in segments],
        (engine or get_engine()).name,
        [Unclear(s["start"], s["end"], s["unclear"]) for s in pieces if "unclear" in s],
    )
