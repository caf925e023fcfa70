"""Speech: decode a recording, transcribe it offline, measure how it was said.

The engine sits behind :class:`~.engine.Engine`; faster-whisper (``whisper.py``) is the one
sayyes ships. Another engine is a module of its own that returns a :class:`~.engine.Transcript`.
Nothing here imports Django, so the CLI, the worker and the benchmarks share it.
"""

from .audio import MAX_BYTES, MAX_SECONDS, AudioError, decode, probe, sniff
from .engine import Segment, Transcript, Word, get_engine, transcribe, transcribe_samples
from .metrics import PAUSE_SECONDS, speech_metrics

__all__ = [
    "MAX_BYTES",
    "MAX_SECONDS",
    "PAUSE_SECONDS",
    "AudioError",
    "Segment",
    "Transcript",
    "Word",
    "decode",
    "get_engine",
    "probe",
    "sniff",
    "speech_metrics",
    "transcribe",
    "transcribe_samples",
]
