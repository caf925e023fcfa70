"""Voice answers uploaded together: when each one's feedback arrives (issue 18's target: with
5 at once and ``sayyes worker --concurrency 2``, the last within 2.5x the first).

    .venv/bin/python bench/voice_load.py [--answers 5] [--concurrency 1,2] [--words 60]

Makes a fresh data directory (SQLite), an account, a question and one spoken answer
(espeak-ng, about 20 seconds, WebM/Opus as the page records it). For each concurrency it
starts a real ``sayyes worker --concurrency N`` on that data directory, lets it transcribe
one answer first (so the speech model is loaded and warm), then uploads ``--answers``
answers back to back through the API (``POST /api/v1/practice/answers``, multipart) and
polls each one until its feedback is there, printing when each arrived, counted from the
first upload. It asserts nothing. Needs espeak-ng and the models (``make models``).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

TEXT = (
    "In my last role I led the move of our billing system to a new platform. "
    "Um, the hard part was keeping two systems in step while customers kept paying, "
    "so I set up a daily comparison of every invoice and we fixed each difference the same "
    "day. After three months we switched off the old system with no missed payment, and "
    "the team now ships changes every week instead of every quarter."
)


def _sayyes() -> str:
    return str(Path(sys.executable).with_name("sayyes"))


def _make_answer(folder: Path, words: int) -> tuple[bytes, float]:
    from sayyes.practice.speech import decode
    from tests.audio import speak, to_webm

    text = " ".join((TEXT.split() * 4)[:words])
    wav = speak(text, folder / "answer.wav")
    webm = to_webm(wav, folder / "answer.webm")
    return webm.read_bytes(), decode(webm).size / 16_000


def _upload(client, token: str, question_id: int, body: bytes) -> int:
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        "/api/v1/practice/answers",
        {
            "question_id": str(question_id),
            "audio": SimpleUploadedFile("answer.webm", body, content_type="audio/webm"),
        },
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    if response.status_code != 202:
        raise SystemExit(f"upload refused: {response.status_code} {response.content[:300]!r}")
    return response.json()["id"]


def _wait(client, token: str, ids: list[int], started: float, limit: float) -> dict[int, float]:
    arrived: dict[int, float] = {}
    while len(arrived) < len(ids):
        if time.perf_counter() - started > limit:
            raise SystemExit(f"no feedback after {limit:.0f} s for {set(ids) - set(arrived)}")
        for answer_id in ids:
            if answer_id in arrived:
                continue
            body = client.get(
                f"/api/v1/practice/answers/{answer_id}", HTTP_AUTHORIZATION=f"Bearer {token}"
            ).json()
            if body["status"] in ("done", "failed"):
                arrived[answer_id] = time.perf_counter() - started
                if body["status"] == "failed":
                    print(f"  answer {answer_id} failed: {body.get('error')}", flush=True)
        time.sleep(0.1)
    return arrived


def _run(concurrency: int, answers: int, body: bytes, env: dict, ctx: dict) -> list[float]:
    worker = subprocess.Popen(
        [_sayyes(), "worker", "--quiet", "--concurrency", str(concurrency)],
        env=env,
        start_new_session=True,
    )
    try:
        client, token, question = ctx["client"], ctx["token"], ctx["question"]
        started = time.perf_counter()
        warm = _upload(client, token, question, body)
        first = _wait(client, token, [warm], started, 600)[warm]
        print(f"  warm-up answer (model load included): {first:.1f} s", flush=True)
        started = time.perf_counter()
        ids = [_upload(client, token, question, body) for _ in range(answers)]
        uploaded = time.perf_counter() - started
        arrived = _wait(client, token, ids, started, 1200)
        times = sorted(arrived.values())
        print(f"  {answers} uploads took {uploaded:.2f} s; feedback, counted from the first "
              "upload: " + ", ".join(f"{t:.1f} s" for t in times), flush=True)  # fmt: skip
        return times
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--answers", type=int, default=5)
    parser.add_argument("--concurrency", default="1,2", help="worker concurrencies to compare")
    parser.add_argument("--words", type=int, default=60, help="words in the spoken answer")
    args = parser.parse_args(argv)
    levels = [int(n) for n in args.concurrency.split(",")]
    data_dir = Path(tempfile.mkdtemp(prefix="sayyes-voice-load-"))
    os.environ["SAYYES_DATA_DIR"] = str(data_dir)
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("SAYYES_ENV", None)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    try:
        from sayyes.cli.common import setup

        setup()
        from django.test import Client

        from sayyes.accounts.services import create_user, issue_token
        from sayyes.practice.models import Question

        user = create_user("bench")
        ctx = {
            "client": Client(SERVER_NAME="127.0.0.1"),
            "token": issue_token(user, "bench"),
            "question": Question.objects.create(
                owner=user, text="Tell me about a project you led.", source="yours"
            ).pk,
        }
        body, seconds = _make_answer(data_dir, args.words)
        with open("/proc/loadavg") as fh:
            load = " ".join(fh.read().split()[:3])
        print(f"{args.answers} answers of {seconds:.1f} s each ({len(body) / 1000:.0f} kB "
              f"WebM); {os.cpu_count()} cpus, {platform.python_version()}, load {load}")  # fmt: skip
        results = {}
        for level in levels:
            print(f"sayyes worker --concurrency {level}:", flush=True)
            results[level] = _run(level, args.answers, body, env, ctx)
        print("concurrency  first    last   last/first")
        for level, times in results.items():
            print(f"{level:>11}  {times[0]:5.1f} s {times[-1]:5.1f} s  {times[-1] / times[0]:.2f}x")
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
