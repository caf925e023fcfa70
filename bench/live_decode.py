"""Voice answers sent while speaking: the decoding done by the passes during the answer.

    .venv/bin/python bench/live_decode.py [--minutes 2]

Builds an answer of about two minutes from the development corpus (``asr_dev_corpus``'s
clips joined with 0.8 s pauses, as WebM/Opus like the page sends), cuts it into the 8-second
chunks the page sends, and after each chunk times what the worker decodes for its pass: the
whole recording so far (as before), and only the rest from where the previous pass said it
starts (``report.heard_live``). The transcription itself is left out (a stand-in engine
that hears nothing), so the figures are the decoding alone. Prints the total and the last
pass of each, with the load average. It asserts nothing but that both keep the same.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

SEND_SECONDS = 8


class Deaf:
    name = "deaf"

    def transcribe(self, samples):
        from sayyes.practice.speech import Transcript

        return Transcript("", samples.size / 16_000, [], self.name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=2.0)
    args = parser.parse_args()
    from bench.asr_dev_corpus import make
    from sayyes.practice.speech import decode
    from sayyes.practice.speech.report import Heard, advance_live, heard_live
    from tests.audio import join_wavs, to_webm

    tmp = Path(tempfile.mkdtemp(prefix="sayyes-live-"))
    clips = make(tmp / "corpus")
    parts, total = [], 0.0
    while total < args.minutes * 60:
        clip = clips[len(parts) % len(clips)]
        parts.append(Path(clip.path))
        total += decode(clip.path).size / 16_000 + 0.8
    webm = to_webm(join_wavs(parts, 0.8, tmp / "long.wav"), tmp / "long.webm")
    data = webm.read_bytes()
    seconds = decode(webm).size / 16_000
    step = max(1, int(len(data) * SEND_SECONDS / seconds))
    pieces = [data[i : i + step] for i in range(0, len(data), step)]
    engine = Deaf()
    timings: dict[str, list[float]] = {"whole": [], "rest": []}
    kept: dict[str, dict] = {}
    for mode in ("whole", "rest"):
        path, live = tmp / f"{mode}.webm", {}
        path.write_bytes(b"")
        for piece in pieces[:-1]:
            with path.open("ab") as fh:
                fh.write(piece)
            starts: list[int | None] = []
            t = time.perf_counter()
            if mode == "whole":
                heard = Heard.whole(decode(path, partial=True, starts=starts))
            else:
                heard = heard_live(path, live, starts)
            timings[mode].append(time.perf_counter() - t)
            live = advance_live(heard, live, engine, starts=starts)
        kept[mode] = live
    print(
        f"{seconds:.0f} s answer in {len(pieces)} chunks, load {os.getloadavg()[0]:.1f}; "
        f"the same kept both ways: {kept['whole'] == kept['rest']}"
    )
    for mode, label in (("whole", "whole recording each pass"), ("rest", "only the rest")):
        t = timings[mode]
        print(f"{label:26} total {sum(t):.2f} s, last pass {t[-1]:.3f} s")


if __name__ == "__main__":
    main()
