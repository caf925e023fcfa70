"""Voice practice: speed and accuracy of offline transcription on this machine.

    .venv/bin/python bench/asr.py

Speaks test answers with espeak-ng (synthetic speech: clearer than a real voice, so real
error rates are higher), then prints:

* the model's load time, and the real-time factor (transcription time / audio length; on
  answers shorter than 30 s it is higher, because Whisper always reads 30-second windows);
* the word error rate (WER) on those answers, and how many of the spoken "um"/"uh" the
  transcript keeps with sayyes' filler prompt and without it;
* the time from "stop" to feedback for a 30 s and a 120 s answer (WebM/Opus, as Chromium
  records it): uploaded whole (upload through the API, the transcription task, feedback
  ready), and sent in 8-second chunks while speaking as the page does (only the last piece
  is left after Stop). In ``sayyes serve`` add up to one second for the worker to pick the
  task up and up to one second for the page's next poll.

It asserts nothing. Needs espeak-ng (Debian) and the bundled model (``make`` installs it).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

ANSWERS = [
    "Um, in my last job our team had too many bugs in the billing service, so I wrote a plan "
    "and we fixed them in two weeks.",
    "I was asked to lead the move to a new warehouse system while the old one was still "
    "running, and uh, nobody had done a migration like that before.",
    "First I listed every report the managers used, then I met each shift lead to learn how "
    "they worked, and I kept a short daily note for the whole team.",
    "Uh, the result was that orders shipped on time through the busiest month of the year, "
    "and the finance director asked me to run the next project.",
    "What I learned is that people accept change when they can see the plan, so now I share "
    "mine early and ask for problems before they grow.",
    "Um, a customer once called very angry about a late delivery, and I listened first, "
    "apologised, and promised to call back before the end of the day.",
    "I found the parcel stuck at a depot, booked a courier myself, and called her back with "
    "a time, and she stayed with us for another three years.",
    "I want this role because I enjoy hard problems with real users, and um, your team builds "
    "tools that nurses rely on every single day.",
]
FILLERS = {"um", "uh"}


def words(text: str) -> list[str]:
    text = text.lower().replace("%", " percent")
    out = []
    for w in re.findall(r"[a-z']+", text):
        w = {"umm": "um", "ummm": "um", "uhh": "uh", "uhm": "um", "hmm": "um"}.get(w, w)
        out.append(w)
    return out


def edit_distance(ref: list[str], hyp: list[str]) -> int:
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (r != h))
    return row[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-flow", action="store_true", help="only the engine figures")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="sayyes-asr-"))
    os.environ["SAYYES_DATA_DIR"] = str(tmp / "data")
    os.environ.pop("DATABASE_URL", None)
    from tests.audio import join_wavs, speak, to_webm

    clips = [speak(text, tmp / f"answer{i}.wav") for i, text in enumerate(ANSWERS)]

    from sayyes.practice.speech import decode, speech_metrics
    from sayyes.practice.speech.whisper import WhisperEngine

    print(
        f"Python {platform.python_version()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}"
    )
    started = time.perf_counter()
    engine = WhisperEngine()
    print(f"model: {engine.name}, loaded in {time.perf_counter() - started:.2f} s")
    plain = WhisperEngine(keep_fillers=False)

    audio_s = busy_s = 0.0
    errors = ref_words = 0
    kept = {"prompt": 0, "no prompt": 0}
    spoken_fillers = 0
    for clip, text in zip(clips, ANSWERS, strict=True):
        samples = decode(clip)
        audio_s += samples.size / 16_000
        t = time.perf_counter()
        result = engine.transcribe(samples)
        busy_s += time.perf_counter() - t
        ref, hyp = words(text), words(result.text)
        errors += edit_distance(ref, hyp)
        ref_words += len(ref)
        spoken_fillers += sum(w in FILLERS for w in ref)
        kept["prompt"] += sum(w in FILLERS for w in hyp)
        kept["no prompt"] += sum(w in FILLERS for w in words(plain.transcribe(samples).text))
        speech_metrics(result, samples)
    print(
        f"{len(clips)} answers, {audio_s:.1f} s of speech: real-time factor "
        f"{busy_s / audio_s:.3f} ({busy_s:.1f} s busy), WER {errors / ref_words:.1%} "
        f"({errors} errors in {ref_words} words)"
    )
    print(
        f"fillers spoken: {spoken_fillers}; kept with the filler prompt: {kept['prompt']}, "
        f"without it: {kept['no prompt']}"
    )
    if args.skip_flow:
        return

    # Stop to feedback, through the API and the task, as in the browser.
    from sayyes.cli import setup

    setup()
    from django.test import Client

    from sayyes.accounts.services import create_user, issue_token
    from sayyes.practice import voice
    from sayyes.practice.models import Answer, Question

    user = create_user("bench")
    token = issue_token(user, "bench")
    question = Question.objects.create(owner=user, text="Tell me about a project.", source="yours")
    client = Client(SERVER_NAME="127.0.0.1")
    for target in (30, 120):
        parts, total = [], 0.0
        while total < target:
            clip = clips[len(parts) % len(clips)]
            parts.append(clip)
            total += decode(clip).size / 16_000 + 0.8
        wav = join_wavs(parts, 0.8, tmp / f"long{target}.wav")
        webm = to_webm(wav, tmp / f"long{target}.webm")
        seconds = decode(webm).size / 16_000
        runs = []
        for _ in range(2):
            t = time.perf_counter()
            with webm.open("rb") as fh:
                response = client.post(
                    "/api/v1/practice/answers",
                    {"question_id": question.pk, "audio": fh},
                    HTTP_AUTHORIZATION=f"Bearer {token}",
                )
            assert response.status_code == 202, response.content
            uploaded = time.perf_counter() - t
            answer_id = response.json()["id"]
            t_task = time.perf_counter()
            voice.process(answer_id)  # what the worker runs
            task_s = time.perf_counter() - t_task
            status = client.get(
                f"/api/v1/practice/answers/{answer_id}", HTTP_AUTHORIZATION=f"Bearer {token}"
            ).json()["status"]
            runs.append((time.perf_counter() - t, uploaded, status, task_s))
        best = min(runs)
        answer = Answer.objects.get(pk=answer_id)
        live = stop_to_feedback_live(client, token, question, webm.read_bytes(), seconds)
        print(
            f"{seconds:.0f} s answer ({webm.stat().st_size / 1024:.0f} kB WebM): stop to "
            f"feedback {best[0]:.2f} s (upload and checks {best[1]:.2f} s; median of "
            f"{len(runs)} {statistics.median(r[0] for r in runs):.2f} s; real-time factor "
            f"{best[3] / seconds:.3f}), status {best[2]}, "
            f"{answer.feedback['speech']['words_per_minute']} words a minute"
        )
        print(f"  sent while speaking (every 8 s): stop to feedback {live:.2f} s")


def stop_to_feedback_live(client, token, question, data: bytes, seconds: float) -> float:
    """Chunks as the page sends them while the user speaks; the worker's passes in between
    happen during speech and are not counted; the clock starts at Stop."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sayyes.practice import voice

    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    step = max(1, int(len(data) * 8 / seconds))
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
    status = client.get(f"/api/v1/practice/answers/{answer_id}", **auth).json()["status"]
    assert status == "done", status
    return time.perf_counter() - t


if __name__ == "__main__":
    main()
