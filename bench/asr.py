"""Voice practice: accuracy and speed of offline transcription on this machine.

    .venv/bin/python bench/asr.py [--models tiny.en,base] [--limit N] [--skip-flow]
                                  [--variant sayyes|prompted|plain] [--show]
                                  [--corpus held-out|dev]

Speaks the held-out corpus of ``bench/asr_corpus.py`` (or with ``--corpus dev`` the one
settings are tuned on, ``bench/asr_dev_corpus.py``) with espeak-ng (24 clips: nine voices
and accents, 120-200 words a minute, with and without "um"/"uh", half with noise at 10-20 dB
SNR; synthetic speech is clearer than a real voice, so real error rates are higher), then
prints for each model:

* per clip: the word error rate (WER, on the words: both sides through Whisper's English
  text normaliser, from the ``whisper-normalizer`` package, and hesitations left out), the
  fillers found against those spoken, and the seconds left out as unclear;
* pooled: WER over all the words, the clean and the noisy clips apart; how many clips have
  their filler count within one; how many transcripts repeat a phrase the speaker did not;
  whether the same clip transcribed three times gives three identical transcripts;
* the real-time factor (transcription time / audio length; short clips cost more per
  second, because Whisper always reads 30-second windows), and the CPU time per second of
  audio (all threads: on a busy machine this moves less than the wall-clock time);
* the time from Stop to feedback for a 2-minute answer sent in 8-second chunks while
  speaking, as the page sends it (WebM/Opus; in ``sayyes serve`` add up to 0.25 s for
  the worker to pick the task up and up to 0.5 s for the page's next poll), the models
  loaded first as the worker loads them when it starts.

It asserts nothing. Needs espeak-ng (Debian) and the models (``make models``).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

FILLERS = {"um", "uh", "umm", "uhm", "hmm", "er", "erm", "ah"}


def words(text: str) -> list[str]:
    """The words to score, by Whisper's English text normaliser (the standard for WER on
    Whisper: lower case, no punctuation, spelled-out numbers as digits, British spellings as
    American, contractions expanded, "um"/"uh"/"hmm" dropped), and any other hesitation."""
    return [w for w in _normaliser()(text).split() if w not in FILLERS]


_normalisers: list = []


def _normaliser():
    if not _normalisers:
        from whisper_normalizer.english import EnglishTextNormalizer

        _normalisers.append(EnglishTextNormalizer())
    return _normalisers[0]


def fillers(text: str) -> int:
    return sum(w in FILLERS for w in re.findall(r"[a-z']+", text.lower()))


def edit_distance(ref: list[str], hyp: list[str]) -> int:
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (r != h))
    return row[-1]


def bench_model(name: str, clips, limit_flow: bool, tmp: Path) -> dict:
    from sayyes.practice.speech import decode
    from sayyes.practice.speech import engine as engine_module
    from sayyes.practice.speech.guard import repeated_phrase
    from sayyes.practice.speech.whisper import WhisperEngine

    started = time.perf_counter()
    engine = WhisperEngine(name)
    print(
        f"\n== {engine.name} ({engine.choice.why}), loaded in {time.perf_counter() - started:.1f} s"
    )
    errors = total = 0
    by_kind = {"clean": [0, 0], "noisy": [0, 0]}
    audio_s = busy_s = cpu_s = 0.0
    filler_ok = filler_clips = repeats = 0
    for clip in clips:
        samples = decode(clip.path)
        audio_s += samples.size / 16_000
        t, cpu = time.perf_counter(), time.process_time()
        result = transcribe(engine, samples)
        busy_s += time.perf_counter() - t
        cpu_s += time.process_time() - cpu
        ref, hyp = words(clip.reference), words(result.text)
        e = edit_distance(ref, hyp)
        errors, total = errors + e, total + len(ref)
        kind = by_kind["noisy" if clip.noise else "clean"]
        kind[0], kind[1] = kind[0] + e, kind[1] + len(ref)
        found = fillers(result.text)
        if clip.fillers:
            filler_clips += 1
            filler_ok += abs(found - clip.fillers) <= 1
        phrase = repeated_phrase(hyp)
        made_up = phrase is not None and phrase not in " ".join(ref)
        repeats += made_up
        unclear = sum(u.end - u.start for u in result.unclear)
        print(
            f"{clip.name} {clip.voice:15} {clip.wpm} wpm {clip.noise or 'clean':6} "
            f"{f'{clip.snr_db:.0f} dB' if clip.snr_db else '     '}  WER {e / len(ref):5.1%}  "
            f"fillers {found}/{clip.fillers}"
            + (f"  unclear {unclear:.1f} s" if unclear else "")
            + ("  REPEATS" if made_up else "")
        )
        if SHOW:
            print(f"    said: {clip.reference}\n    heard: {result.text}")
    runs = {transcribe(engine, decode(clips[0].path)).text for _ in range(3)}
    clean, noisy = by_kind["clean"], by_kind["noisy"]
    print(
        f"pooled WER {errors / total:.1%} ({errors} errors in {total} words; clean "
        f"{clean[0] / max(1, clean[1]):.1%}, noisy {noisy[0] / max(1, noisy[1]):.1%}); "
        f"real-time factor {busy_s / audio_s:.3f} ({busy_s:.1f} s for {audio_s:.0f} s; CPU "
        f"time {cpu_s / audio_s:.3f} s a second of audio, load {os.getloadavg()[0]:.1f})"
    )
    print(
        f"filler count within 1: {filler_ok} of {filler_clips} clips with fillers; "
        f"transcripts repeating a phrase not spoken: {repeats}; "
        f"{clips[0].name} three times: {len(runs)} distinct transcript(s)"
    )
    figures = {"wer": errors / total, "rtf": busy_s / audio_s}
    if not limit_flow:
        engine_module._engine = engine  # what the worker would load
        from sayyes.practice.speech.report import warm

        warm()  # as the worker does when it starts
        figures["stop_to_feedback"] = stop_to_feedback(clips, tmp)
        print(
            f"2-minute answer sent while speaking: stop to feedback {figures['stop_to_feedback']:.2f} s"
        )
    return figures


VARIANT = "sayyes"


def transcribe(engine, samples):
    """The engine's transcript (``--variant sayyes``), or one pass as before issue 21:
    ``prompted`` (the filler prompt, no guard), ``plain`` (no prompt, no guard)."""
    from sayyes.practice.speech import Transcript
    from sayyes.practice.speech.whisper import FILLER_PROMPT

    if VARIANT == "sayyes":
        return engine.transcribe(samples)
    segments = engine.decode(samples, prompt=FILLER_PROMPT if VARIANT == "prompted" else None)
    text = " ".join(s.text for s in segments if s.text)
    return Transcript(text, samples.size / 16_000, segments, engine.name)


_django: dict = {}
SHOW = False


def stop_to_feedback(clips, tmp: Path) -> float:
    from sayyes.practice.speech import decode
    from tests.audio import join_wavs, to_webm

    if not _django:
        from sayyes.cli import setup

        setup()
        from django.test import Client

        from sayyes.accounts.services import create_user, issue_token
        from sayyes.practice.models import Question

        user = create_user("bench")
        _django["token"] = issue_token(user, "bench")
        _django["question"] = Question.objects.create(
            owner=user, text="Tell me about a project.", source="yours"
        )
        _django["client"] = Client(SERVER_NAME="127.0.0.1")
        parts, total = [], 0.0
        while total < 120:
            clip = clips[len(parts) % len(clips)]
            parts.append(Path(clip.path))
            total += decode(clip.path).size / 16_000 + 0.8
        wav = join_wavs(parts, 0.8, tmp / "long120.wav")
        _django["webm"] = to_webm(wav, tmp / "long120.webm")
    webm = _django["webm"]
    seconds = decode(webm).size / 16_000
    return stop_to_feedback_live(
        _django["client"], _django["token"], _django["question"], webm.read_bytes(), seconds
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default="tiny.en,base", help="comma-separated")
    parser.add_argument("--limit", type=int, default=None, help="only the first N clips")
    parser.add_argument("--skip-flow", action="store_true", help="no stop-to-feedback timing")
    parser.add_argument("--show", action="store_true", help="print each transcript")
    parser.add_argument(
        "--corpus",
        choices=("held-out", "dev"),
        default="held-out",
        help="the held-out corpus (the README's figures) or the one to tune on",
    )
    parser.add_argument(
        "--variant",
        choices=("sayyes", "prompted", "plain"),
        default="sayyes",
        help="sayyes' transcription, or one pass with the filler prompt or without it",
    )
    args = parser.parse_args()
    global SHOW, VARIANT
    SHOW, VARIANT = args.show, args.variant

    tmp = Path(tempfile.mkdtemp(prefix="sayyes-asr-"))
    os.environ["SAYYES_DATA_DIR"] = str(tmp / "data")
    os.environ.pop("DATABASE_URL", None)
    if args.corpus == "dev":
        from bench.asr_dev_corpus import make
    else:
        from bench.asr_corpus import make

    clips = make(tmp / "corpus", args.limit)
    print(
        f"Python {platform.python_version()}, {os.cpu_count()} cores, load "
        f"{os.getloadavg()[0]:.1f}; {args.corpus} corpus, {len(clips)} clips, "
        f"{sum(c.fillers for c in clips)} fillers spoken"
    )
    for name in args.models.split(","):
        bench_model(name.strip(), clips, args.skip_flow, tmp)


SEND_SECONDS = 8  # the page's SEND_EVERY_MS (static/sayyes/recorder.js)


def stop_to_feedback_live(client, token, question, data: bytes, seconds: float) -> float:
    """Chunks as the page sends them while the user speaks; the worker's passes in between
    happen during speech and are not counted; the clock starts at Stop."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sayyes.practice import voice

    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    step = max(1, int(len(data) * SEND_SECONDS / seconds))
    pieces = [data[i : i + step] for i in range(0, len(data), step)]
    response = client.post(
        "/api/v1/practice/answers",
        {"question_id": question.pk, "live": "true",
         "audio": SimpleUploadedFile("a.webm", pieces[0], "audio/webm")},
        **auth,
    )  # fmt: skip
    answer_id = response.json()["id"]
    for piece in pieces[1:-1]:
        client.post(
            f"/api/v1/practice/answers/{answer_id}/chunks",
            {"audio": SimpleUploadedFile("c", piece, "audio/webm")},
            **auth,
        )
        voice.process(answer_id)  # the worker, while the user goes on speaking
    t = time.perf_counter()
    client.post(
        f"/api/v1/practice/answers/{answer_id}/chunks",
        {"audio": SimpleUploadedFile("c", pieces[-1], "audio/webm"), "final": "true"},
        **auth,
    )
    voice.process(answer_id)
    answer = client.get(f"/api/v1/practice/answers/{answer_id}", **auth).json()
    assert answer["status"] == "done", answer["status"]
    LIVE_TRANSCRIPTS.append(answer.get("transcript") or "")
    return time.perf_counter() - t


LIVE_TRANSCRIPTS: list[str] = []


if __name__ == "__main__":
    main()
