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
its fillers, merged in by their timestamps (:mod:`.hesitations`); the prompt's effect on the
other words is thrown away.
"""

from __future__ import annotations

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
    "vad_filter": False,
}


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
            )
        except Exception as exc:  # noqa: BLE001 - a missing model must read as one line
            raise ConfigError(
                f"cannot load the speech model {self.choice.path!r} ({type(exc).__name__}); "
                "set SAYYES_WHISPER_MODEL to tiny.en, base or a CTranslate2 Whisper model folder"
            ) from exc
        self.name = f"faster-whisper {self.choice.label}"

    def decode(
        self, samples: np.ndarray, *, prompt: str | None = None, offset: float = 0.0
    ) -> list[Segment]:
        """One pass of Whisper over ``samples``, times shifted by ``offset`` seconds."""
        raw, _ = self._model.transcribe(samples, initial_prompt=prompt, **DECODE)
        return _segments(raw, offset)

    def transcribe(self, samples: np.ndarray) -> Transcript:
        duration = samples.size / SAMPLE_RATE
        segments = self.decode(samples)
        unclear: list[Unclear] = []
        if self.guarded:
            segments, unclear = self._guard(samples, segments, duration)
        if self.keep_fillers:
            plain = [w for s in segments for w in s.words]
            prompted = [
                w
                for s in self.decode(samples, prompt=FILLER_PROMPT)
                for w in s.words
                if not any(u.start <= w.start < u.end for u in unclear)
            ]
            segments = hesitations.merge(segments, hesitations.fillers_to_add(plain, prompted))
        text = " ".join(s.text for s in segments if s.text).strip()
        return Transcript(text, round(duration, 2), segments, self.name, unclear)

    def _guard(
        self, samples: np.ndarray, segments: list[Segment], duration: float
    ) -> tuple[list[Segment], list[Unclear]]:
        """Segments to keep, and the stretches that stay suspect after decoding them again."""
        spans = guard.speech_spans(samples)
        stretches: list[tuple[float, float, str]] = []
        for seg in segments:
            why = guard.suspect(seg, spans)
            if why is not None:
                stretches.append((seg.start, seg.end, why))
        words = [w for s in segments for w in s.words]
        for a, b in guard.missed_speech(spans, words, duration):
            stretches.append((a, b, "speech with no words"))
        if not stretches:
            return segments, []
        kept = [s for s in segments if guard.suspect(s, spans) is None]
        unclear: list[Unclear] = []
        for start, end, why in sorted(stretches):
            for a, b in guard.windows(spans, start, end):
                lo, hi = int(a * SAMPLE_RATE), int(b * SAMPLE_RATE)
                if hi - lo < SAMPLE_RATE // 4:
                    continue
                again = self.decode(samples[lo:hi], offset=a)
                bad = [s for s in again if guard.suspect(s, spans) is not None]
                good = [s for s in again if s.words and s not in bad]
                taken = [w for s in kept for w in s.words]
                good = [s for s in good if not _overlaps(s, taken)]
                kept.extend(good)
                for s in bad:
                    lo_s, hi_s = max(a, s.start), min(b, s.end)
                    if hi_s <= lo_s:
                        lo_s, hi_s = a, b
                    reason = guard.suspect(s, spans) or why
                    unclear.append(Unclear(round(lo_s, 2), round(hi_s, 2), reason))
                if not again or (why == "speech with no words" and not good and not bad):
                    unclear.append(Unclear(round(a, 2), round(b, 2), why))
        kept.sort(key=lambda s: s.start)
        return kept, _joined(unclear)


def _overlaps(segment: Segment, words: list[Word]) -> bool:
    """Whether most of ``segment``'s words fall on words already kept (decoded twice)."""
    hits = sum(any(w.start < (x.start + x.end) / 2 < w.end for w in words) for x in segment.words)
    return hits * 2 > len(segment.words)


def _joined(stretches: list[Unclear]) -> list[Unclear]:
    out: list[Unclear] = []
    for u in sorted(stretches, key=lambda u: u.start):
        if out and u.start <= out[-1].end + 0.5:
            out[-1] = Unclear(out[-1].start, max(out[-1].end, u.end), out[-1].reason)
        else:
            out.append(u)
    return out
