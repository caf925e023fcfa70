"""The engine interface: samples in, a transcript with word timings out.

An engine is any object with ``name`` and ``transcribe(samples) -> Transcript``. The one in
use is made once per process (a worker loads its model once, not once per answer).
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np

from .audio import SAMPLE_RATE, decode


@dataclass(frozen=True, slots=True)
class Word:
    text: str  # as the engine wrote it, without surrounding spaces
    start: float  # seconds from the start of the recording
    end: float
    probability: float = 1.0  # the engine's confidence in the word, 0 to 1


@dataclass(frozen=True, slots=True)
class Segment:
    start: float
    end: float
    text: str
    words: list[Word] = field(default_factory=list)
    # Whisper's signals: mean log-probability of the tokens, the chance it was no speech,
    # and how much the text compresses (made-up repetition compresses well).
    avg_logprob: float = 0.0
    no_speech_prob: float = 0.0
    compression_ratio: float = 1.0


@dataclass(frozen=True, slots=True)
class Unclear:
    """A stretch of the recording that could not be understood: not transcribed, not scored."""

    start: float
    end: float
    reason: str


@dataclass(frozen=True, slots=True)
class Transcript:
    text: str
    duration_seconds: float
    segments: list[Segment]
    engine: str = ""
    unclear: list[Unclear] = field(default_factory=list)

    @property
    def words(self) -> list[Word]:
        return [w for s in self.segments for w in s.words]

    def to_dict(self) -> dict:
        return asdict(self)


class Engine(Protocol):
    name: str

    def transcribe(self, samples: np.ndarray) -> Transcript:
        """Transcribe 16 kHz mono float32 samples."""
        ...


_engine: Engine | None = None
_lock = threading.Lock()


def get_engine() -> Engine:
    """The process's engine, made on first use (loading a model takes a second or two)."""
    global _engine
    with _lock:
        if _engine is None:
            from .whisper import WhisperEngine

            _engine = WhisperEngine()
        return _engine


def transcribe(path: str | Path, engine: Engine | None = None) -> Transcript:
    """Decode ``path`` and transcribe it."""
    return transcribe_samples(decode(path), engine)


def transcribe_samples(samples: np.ndarray, engine: Engine | None = None) -> Transcript:
    result = (engine or get_engine()).transcribe(samples)
    if not result.duration_seconds:
        result = Transcript(
            result.text,
            samples.size / SAMPLE_RATE,
            result.segments,
            result.engine,
            result.unclear,
        )
    return result
