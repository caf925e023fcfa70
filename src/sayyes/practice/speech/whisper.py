"""faster-whisper (CTranslate2), run on the CPU with int8 weights.

Which model: :mod:`.models` (``SAYYES_WHISPER_MODEL``: ``tiny.en``, ``base`` or a folder).

Decoding is deterministic: the same samples give the same transcript on every run and on
every path (a whole upload, the pieces of a live recording, the CLI). Beam search with a
fixed beam and temperature 0 only: faster-whisper's temperature fallback, which samples at
random when a pass looks unsure, is off (:data:`DECODE`). An unsure stretch is handled by the
guard instead (:mod:`.guard`): decoded again in small windows, and left out as *unclear*
if it stays suspect.

A transcript takes two passes: the words come from a plain pass; a second pass started from
:data:`FILLER_PROMPT` (written with hesitations, so Whisper keeps its "um"s) gives only
its fillers, merged in by their timestamps (:mod:`.hesitations`), and its words only where
they differ and Whisper was clearly surer of them. The two passes share the encoder's work.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from typing import Any

import numpy as np

from sayyes.conf import ConfigError

from . import guard, hesitations
from .audio import SAMPLE_RATE
from .engine import Segment, Transcript, Unclear, Word
from .models import ModelChoice, resolve

FILLER_PROMPT = "Umm, so, uh, I think, like, hmm... Okay, uh, here is what, um, I did."
DECODE: dict[str, Any] = {
    "language": "en",
    "task": "transcribe",
    "beam_size": 5,
    "best_of": 1,
    "patience": 1.0,
    "temperature": 0.0,  # one temperature: no random fallback
    "condition_on_previous_text": False,
    "word_timestamps": True,
    # Whisper reads the whole recording, silences too. Tried on the development corpus
    # (bench/asr_dev_corpus.py, base) and not kept: Silero VAD's cut (``vad_filter``: 148
    # errors instead of 158, but 159 and 158 with 200 and 600 ms of padding, and the same
    # clips started 0.1 s later or earlier give 175 and 167 without it: ten errors is noise) splices
    # the speech around each pause of 2 s or more, and the "uh" after such a pause came out
    # as "A" (a filler lost on the dev corpus and in the tests); FFmpeg's FFT denoiser
    # before decoding (``afftdn``, noise floor measured per clip, only on noisy clips: 183
    # and 190 errors), a 100 Hz high-pass (160).
    "vad_filter": False,
}

# A loop of made-up text runs until the token limit: at most 8 tokens a second of audio (fast
# speech is about 6) keeps one from costing more than the speech could.
TOKENS_PER_SECOND = 8
MAX_TOKENS = 224


ENCODED_KEPT = 8  # 30-second windows (3 MB each for base): a 2-minute answer's two passes


def _share_encoder(model) -> None:
    """Make the filler pass reuse the plain pass's encoding of each 30-second window: the
    same samples give the same features, so the encoder (half the work) runs once for both.
    Keyed by a hash of the features; the last few are kept."""
    encode = model.encode
    kept: OrderedDict[bytes, Any] = OrderedDict()
    lock = threading.Lock()

    def shared(features: np.ndarray):
        key = hashlib.blake2b(np.ascontiguousarray(features).tobytes(), digest_size=16).digest()
        with lock:
            if key in kept:
                kept.move_to_end(key)
                return kept[key]
        encoded = encode(features)
        with lock:
            kept[key] = encoded
            while len(kept) > ENCODED_KEPT:
                kept.popitem(last=False)
        return encoded

    model.encode = shared


def _segments(raw, offset: float = 0.0) -> list[Segment]:
    out = []
    for seg in raw:
        words = [
            Word(
                w.word.strip(),
                round(float(w.start) + offset, 2),
                round(float(w.end) + offset, 2),
                round(float(w.probability), 3),
            )
            for w in (seg.words or [])
            if w.word.strip()
        ]
        out.append(
            Segment(
                round(seg.start + offset, 2),
                round(seg.end + offset, 2),
                seg.text.strip(),
                words,
                round(float(seg.avg_logprob), 3),
                round(float(seg.no_speech_prob), 3),
                round(float(seg.compression_ratio), 3),
            )
        )
    return out


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
    def __init__(
        self,
        model: str | None = None,
        *,
        keep_fillers: bool = True,
        guarded: bool = True,
    ) -> None:
        from faster_whisper import WhisperModel

        self.choice: ModelChoice = resolve(model)
        self.keep_fillers = keep_fillers
        self.guarded = guarded
        try:
            self._model = WhisperModel(
                self.choice.path,
                device="cpu",
                compute_type="int8",
                local_files_only=self.choice.local,
                **model_threads(),
            )
        except Exception as exc:  # noqa: BLE001 - a missing model must read as one line
            raise ConfigError(
                f"cannot load the speech model {self.choice.path!r} ({type(exc).__name__}); "
                "set SAYYES_WHISPER_MODEL to tiny.en, base or a CTranslate2 Whisper model folder"
            ) from exc
        self.name = f"faster-whisper {self.choice.label}"
        _share_encoder(self._model)
        self._other: WhisperEngine | None = None
        self._no_other = False  # the other model is not installed

    def decode(
        self,
        samples: np.ndarray,
        *,
        prompt: str | None = None,
        offset: float = 0.0,
        skip: list[Unclear] | None = None,
    ) -> list[Segment]:
        """One pass of Whisper over ``samples``, times shifted by ``offset`` seconds; the
        stretches in ``skip`` are not read."""
        seconds = min(samples.size / SAMPLE_RATE, 30.0)
        options = dict(
            DECODE, max_new_tokens=min(MAX_TOKENS, int(seconds * TOKENS_PER_SECOND) + 16)
        )
        if skip:  # silence where nothing is to be read (the prompt would make it up)
            samples = samples.copy()
            for u in skip:
                samples[int(u.start * SAMPLE_RATE) : int(u.end * SAMPLE_RATE)] = 0.0
        raw, _ = self._model.transcribe(samples, initial_prompt=prompt, **options)
        return _segments(raw, offset)

    def transcribe(self, samples: np.ndarray) -> Transcript:
        duration = samples.size / SAMPLE_RATE
        segments = self.decode(samples)
        unclear: list[Unclear] = []
        if self.guarded:
            segments, unclear = self._guard(samples, segments, duration)
        if self.keep_fillers:
            prompted = [
                w
                for s in self.decode(samples, prompt=FILLER_PROMPT, skip=unclear)
                for w in s.words
                if not any(u.start <= w.start < u.end for u in unclear)
            ]
            segments = hesitations.surer_words(segments, prompted)
            plain = [w for s in segments for w in s.words]
            segments = hesitations.merge(segments, hesitations.fillers_to_add(plain, prompted))
        text = " ".join(s.text for s in segments if s.text).strip()
        return Transcript(text, round(duration, 2), segments, self.name, unclear)

    def _guard(
        self, samples: np.ndarray, segments: list[Segment], duration: float
    ) -> tuple[list[Segment], list[Unclear]]:
        """The segments with suspect stretches decoded again, and the ones that stay suspect."""
        spans = guard.speech_spans(samples)
        stretches: list[tuple[float, float, str]] = []
        for seg in segments:
            why = guard.suspect(seg, spans)
            if why is not None and seg.words:
                stretches.append((seg.words[0].start, seg.words[-1].end, why))
        for a, b in guard.repeated_segments(segments):
            stretches.append((a, b, "the same words over and over"))
        words = [w for s in segments for w in s.words]
        for i, j in guard.unsure_runs(words):
            stretches.append((words[i].start, words[j].end, "mostly guessed words"))
        for a, b in guard.missed_speech(spans, words, duration):
            stretches.append((a, b, "speech with no words"))
        unclear: list[Unclear] = []
        for start, end, why in _joined_stretches(stretches):
            again = self._again(samples, spans, start, end)
            if again is None:
                unclear.append(Unclear(round(start, 2), round(end, 2), why))
            segments = _replace(segments, start, end, again or [])
        return segments, unclear

    def _again(
        self, samples: np.ndarray, spans: list[tuple[float, float]], start: float, end: float
    ) -> list[Segment] | None:
        """``start``–``end`` decoded again: on its own, then by the other model; None if
        neither decoding can be trusted."""
        voiced = guard.speech_within(spans, start, end)
        for engine in (self, self.other()):
            if engine is None:
                continue
            found: list[Segment] = []
            for a, b in guard.windows(spans, max(0.0, start - 0.15), end + 0.15):
                lo, hi = int(a * SAMPLE_RATE), int(b * SAMPLE_RATE)
                if hi - lo >= SAMPLE_RATE // 4:
                    found.extend(engine.decode(samples[lo:hi], offset=a))
            found = [_within(s, start - 0.1, end + 0.1) for s in found]
            found = [s for s in found if s.words]
            if guard.trusted(found, spans) and (found or voiced < 1.0):
                return found
        return None

    def other(self) -> WhisperEngine | None:
        """The other model (tiny.en for base, base for the rest), loaded on first need."""
        if self._other is None and not self._no_other:
            name = "tiny.en" if self.choice.name != "tiny.en" else "base"
            try:
                self._other = WhisperEngine(name, keep_fillers=False, guarded=False)
            except ConfigError:  # not installed: the stretch stays unclear
                self._no_other = True
        return self._other


def _rebuilt(seg: Segment, words: list[Word]) -> Segment:
    return Segment(
        words[0].start if words else seg.start,
        words[-1].end if words else seg.end,
        " ".join(w.text for w in words),
        words,
        seg.avg_logprob,
        seg.no_speech_prob,
        seg.compression_ratio,
    )


def _within(seg: Segment, start: float, end: float) -> Segment:
    """``seg`` with only the words whose middle falls between ``start`` and ``end``."""
    words = [w for w in seg.words if start <= (w.start + w.end) / 2 <= end]
    return seg if len(words) == len(seg.words) else _rebuilt(seg, words)


def _replace(
    segments: list[Segment], start: float, end: float, new: list[Segment]
) -> list[Segment]:
    """``segments`` with the words of ``start``–``end`` taken out and ``new`` put in."""
    out = []
    for seg in segments:
        kept = [w for w in seg.words if not start <= (w.start + w.end) / 2 <= end]
        if len(kept) == len(seg.words):
            out.append(seg)
        elif kept and (new or len(kept) * 2 > len(seg.words)):
            out.append(_rebuilt(seg, kept))  # (the rest of a segment mostly unclear goes too)
    return sorted([*out, *new], key=lambda s: s.start)


def _joined_stretches(stretches: list[tuple[float, float, str]]) -> list[tuple[float, float, str]]:
    out: list[tuple[float, float, str]] = []
    for a, b, why in sorted(stretches):
        if out and a <= out[-1][1] + 0.3:
            out[-1] = (out[-1][0], max(out[-1][1], b), out[-1][2])
        else:
            out.append((a, b, why))
    return out
