"""Guards against made-up text: which stretches of a transcript not to trust.

Whisper writes fluent text even where it heard nothing it could follow (a repeated "wait,
wait, wait", a sentence over noise). A segment is *suspect* when:

* **Whisper's own signals** say so: the text compresses too well (``compression_ratio`` over
  2.4: repetition), the tokens were unlikely (``avg_logprob`` under -1.0), the window was
  probably not speech (``no_speech_prob`` over 0.6) yet text came out, or most of its words
  were guesses (mean word probability under 0.4);
* **a run of guessed words** inside a segment: four words in a row whose mean probability is
  under 0.4 (the stretch from the first to the last of them under 0.5);
* **a phrase repeats over and over**: one word four times in a row or more, or a phrase of
  2–8 words three times in a row or more ("no, no, no" is speech; six "wait" are not), or
  three segments in a row with the same text;
* **the length does not fit the speech found**: far more words than the voice activity
  detector (Silero VAD, shipped with faster-whisper) found speech for (over 6 words a
  second of speech), words where it found almost none (under 0.2 s: "Thank you very much"
  over the silence at the end), or speech it found (at least 1.5 s) with no words at all.

The engine decodes a suspect stretch again on its own (no prompt, no text before it, a
window of at most 10 s), then with the other model if it is installed; the first decoding
that passes these checks replaces the stretch. What stays suspect is left out of the
transcript and listed as unclear.
"""

from __future__ import annotations

import re

import numpy as np

from .audio import SAMPLE_RATE
from .engine import Segment, Word

MAX_COMPRESSION = 2.4
MIN_LOGPROB = -1.0
MAX_NO_SPEECH = 0.6
MIN_WORD_PROBABILITY = 0.4
MAX_WORDS_PER_SECOND = 6.0
MISSED_SPEECH_SECONDS = 1.5
MIN_SPEECH_SECONDS = 0.2  # a segment's words over less speech than this were made up
WINDOW_SECONDS = 10.0  # the re-decoding window


def _tokens(words: list[Word]) -> list[str]:
    return [t for w in words if (t := re.sub(r"[^a-z0-9']", "", w.text.lower()))]


def repeated_phrase(tokens: list[str]) -> str | None:
    """The phrase repeated over and over in ``tokens`` (see the module's rule), or None."""
    for size in range(1, 9):
        needed = 4 if size == 1 else 3
        for start in range(0, len(tokens) - size * needed + 1):
            phrase = tokens[start : start + size]
            repeats = 1
            at = start + size
            while tokens[at : at + size] == phrase:
                repeats += 1
                at += size
            if repeats >= needed:
                return " ".join(phrase)
    return None


def speech_spans(samples: np.ndarray) -> list[tuple[float, float]]:
    """(start, end) seconds of the speech Silero VAD finds in 16 kHz samples."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    found = get_speech_timestamps(
        samples, VadOptions(min_silence_duration_ms=300, speech_pad_ms=100)
    )
    return [(c["start"] / SAMPLE_RATE, c["end"] / SAMPLE_RATE) for c in found]


def speech_within(spans: list[tuple[float, float]], start: float, end: float) -> float:
    """Seconds of speech (by the VAD) between ``start`` and ``end``."""
    return sum(max(0.0, min(b, end) - max(a, start)) for a, b in spans)


def suspect(segment: Segment, spans: list[tuple[float, float]] | None = None) -> str | None:
    """Why ``segment`` looks made up, or None when it looks like what was said."""
    words = segment.words
    if not words:
        return None
    if segment.compression_ratio > MAX_COMPRESSION:
        return "repetitive text"
    phrase = repeated_phrase(_tokens(words))
    if phrase is not None:
        return f'"{phrase}" over and over'
    if segment.avg_logprob < MIN_LOGPROB:
        return "unlikely words"
    if segment.no_speech_prob > MAX_NO_SPEECH and segment.avg_logprob < -0.5:
        return "text where there was no speech"
    if sum(w.probability for w in words) / len(words) < MIN_WORD_PROBABILITY:
        return "mostly guessed words"
    if spans is not None:
        voiced = speech_within(spans, words[0].start, words[-1].end)
        if voiced < MIN_SPEECH_SECONDS:
            return "text where there was no speech"
        if len(words) >= 6 and len(words) > MAX_WORDS_PER_SECOND * max(voiced, 0.5):
            return "more words than speech"
    return None


def repeated_segments(segments: list[Segment]) -> list[tuple[float, float]]:
    """Stretches where a segment says the same as the two before it (a loop across windows)."""
    texts = [" ".join(_tokens(s.words)) for s in segments]
    out = []
    for i in range(2, len(segments)):
        if texts[i] and texts[i] == texts[i - 1] == texts[i - 2]:
            out.append((segments[i - 2].start, segments[i].end))
    return out


def unsure_runs(words: list[Word], size: int = 4) -> list[tuple[int, int]]:
    """(first, last) indexes of the runs of words Whisper was unsure of: every window of
    ``size`` words whose mean probability is under :data:`MIN_WORD_PROBABILITY`, joined."""
    runs: list[tuple[int, int]] = []
    for i in range(0, len(words) - size + 1):
        window = words[i : i + size]
        if sum(w.probability for w in window) / size >= MIN_WORD_PROBABILITY:
            continue
        lo = i + min(k for k, w in enumerate(window) if w.probability < 0.5)
        hi = i + max(k for k, w in enumerate(window) if w.probability < 0.5)
        if runs and lo <= runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], max(runs[-1][1], hi))
        else:
            runs.append((lo, hi))
    return runs


def trusted(segments: list[Segment], spans: list[tuple[float, float]] | None) -> bool:
    """Whether a decoding looks like what was said: no suspect segment, no unsure run."""
    words = [w for s in segments for w in s.words]
    return (
        all(suspect(s, spans) is None for s in segments)
        and not unsure_runs(words)
        and not repeated_segments(segments)
    )


def missed_speech(
    spans: list[tuple[float, float]], words: list[Word], duration: float
) -> list[tuple[float, float]]:
    """Stretches of speech (by the VAD) of at least 1.5 s that no word covers."""
    covered = sorted((w.start, w.end) for w in words)
    out: list[tuple[float, float]] = []
    for a, b in spans:
        cursor = a
        gaps = []
        for ws, we in covered:
            if we <= cursor or ws >= b:
                continue
            if ws > cursor:
                gaps.append((cursor, ws))
            cursor = max(cursor, we)
        if cursor < b:
            gaps.append((cursor, min(b, duration)))
        out.extend(g for g in gaps if g[1] - g[0] >= MISSED_SPEECH_SECONDS)
    return out


def windows(
    spans: list[tuple[float, float]], start: float, end: float
) -> list[tuple[float, float]]:
    """``start``–``end`` cut into windows of at most 10 s, at the VAD's pauses where it can."""
    pieces = [(max(a, start), min(b, end)) for a, b in spans if b > start and a < end]
    if not pieces:
        pieces = [(start, end)]
    out: list[tuple[float, float]] = []
    for a, b in pieces:
        if out and b - out[-1][0] <= WINDOW_SECONDS:
            out[-1] = (out[-1][0], b)  # the next piece of speech still fits the window
            continue
        while b - a > WINDOW_SECONDS:
            out.append((a, a + WINDOW_SECONDS))
            a += WINDOW_SECONDS
        out.append((a, b))
    return out
