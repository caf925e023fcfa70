"""A held-out speech corpus for bench/asr.py: 24 spoken answers made with espeak-ng.

    .venv/bin/python bench/asr_corpus.py FOLDER    # writes the clips and corpus.json there

Twelve answers written for this bench (none is used by the tests or the coach), each spoken
twice: by two of eight espeak-ng voices and accents (American, British, Received
Pronunciation, Scottish, Lancaster, West Midlands, Caribbean, and female variants), at 120
to 200 words a minute. Half of the answers have hesitations ("um", "uh") in them, counted
in ``fillers``; half of the clips have noise mixed in at 10 to 20 dB signal-to-noise ratio
(white or brown noise, or a babble of other speech, from a fixed seed: the same corpus every
time). Each clip has its reference transcript (the text without hesitations is what a
perfect transcript would say, with them what was spoken).

mbrola voices would make the corpus more varied, but Debian's mbrola packages are in its
non-free section, not installable here; the corpus uses espeak-ng's own voices.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import wave
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

RATE = 16_000

ANSWERS = [
    "Um, our nightly import kept failing after midnight, so I added a check that stopped "
    "bad files early, and uh, the failures dropped from five a week to one a month.",
    "I had to hand over a project to a new colleague in three days. I wrote down every "
    "open question, paired with her on the hardest parts, and she shipped the next release "
    "on time.",
    "The hardest feedback I got was that my updates were too long. Uh, I started leading "
    "with the decision I needed, and um, meetings with my manager became half as long.",
    "When two teams wanted the same budget, I put both plans side by side with their costs "
    "and risks, and the director picked one in a single meeting instead of three.",
    "Um, a supplier sent the wrong parts the week before a launch. I called their "
    "warehouse, found the right batch, and uh, drove to collect it myself that evening.",
    "I like work where I can see the result. In my last role I measured how long customers "
    "waited on the phone, and we cut the wait from eight minutes to two.",
    "We had a database that slowed down every Monday morning. Uh, I found a report that "
    "ran at the same time, moved it to the night, and the support tickets stopped.",
    "I disagreed with my manager about a deadline. I showed her what we could finish by "
    "Friday and what would slip, and we agreed to release the smaller version first.",
    "Um, I am proud of teaching a new hire to run the monthly close. Um, after two months "
    "she ran it alone, and I could spend my time on the audit.",
    "Our online shop lost orders when the payment page timed out. I added a retry and a "
    "clear message, and lost orders went down by forty percent in a month.",
    "Uh, I was asked to organise a conference for two hundred people with a small budget. "
    "I found a free venue at a university, and um, we finished under budget.",
    "Honestly, I like working with customers. Last spring I visited ten of them, wrote up "
    "what annoyed them most, and two of those fixes are now our best selling features.",
]
# (voice, words a minute) for the first and the second reading of each answer.
VOICES = [
    "en-us",
    "en-gb",
    "en-gb-x-rp",
    "en-gb-scotland",
    "en-gb-x-gbclan",
    "en-gb-x-gbcwmd",
    "en-029",
    "en-us+f3",
    "en-gb+f2",
]
SPEEDS = [120, 135, 150, 160, 170, 185, 200]
NOISES = ["white", "brown", "babble"]
FILLERS = {"um", "uh"}


@dataclass(frozen=True)
class Clip:
    name: str
    path: str
    reference: str  # what was spoken
    fillers: int  # how many "um"/"uh" were spoken
    voice: str
    wpm: int
    noise: str  # "" (clean), or the kind of noise
    snr_db: float | None


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower())


def _speak(text: str, voice: str, wpm: int, path: Path) -> np.ndarray:
    if not shutil.which("espeak-ng"):
        raise SystemExit("espeak-ng is not installed (apt-get install espeak-ng)")
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(wpm), "-w", str(path), text], check=True)
    with wave.open(str(path)) as w:
        rate = w.getframerate()
        pcm = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).astype(np.float32)
    pcm /= 32768.0
    if rate != RATE:  # espeak-ng speaks at 22 050 Hz: resample linearly to 16 kHz
        t = np.arange(0, pcm.size / rate, 1 / RATE)
        pcm = np.interp(t, np.arange(pcm.size) / rate, pcm).astype(np.float32)
    return pcm


def _noise(kind: str, size: int, rng: np.random.Generator, babble: np.ndarray) -> np.ndarray:
    if kind == "white":
        return rng.standard_normal(size).astype(np.float32)
    if kind == "brown":
        walk = np.cumsum(rng.standard_normal(size))
        walk -= np.convolve(walk, np.ones(801) / 801, mode="same")  # no slow drift
        return walk.astype(np.float32)
    start = int(rng.integers(0, max(1, babble.size - size)))
    return np.resize(babble[start:], size).astype(np.float32)


def mix(speech: np.ndarray, noise: np.ndarray, snr_db: float) -> np.ndarray:
    """``speech`` with ``noise`` at ``snr_db`` decibels below it (power while speaking)."""
    voiced = speech[np.abs(speech) > 0.02 * np.abs(speech).max()]
    power = float(np.mean(voiced**2)) if voiced.size else float(np.mean(speech**2))
    noise = noise / np.sqrt(np.mean(noise**2) + 1e-12)
    mixed = speech + noise * np.sqrt(power / 10 ** (snr_db / 10))
    return (mixed / max(1.0, float(np.abs(mixed).max()) / 0.95)).astype(np.float32)


def write_wav(samples: np.ndarray, path: Path) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes((np.clip(samples, -1, 1) * 32767).astype(np.int16).tobytes())
    return path


def make_babble(folder: Path, texts: list[str], voices: tuple[str, ...], wpm: int) -> np.ndarray:
    """Three voices talking at once, the babble noise of a corpus."""
    parts = [
        _speak(text, voice, wpm, folder / "babble.wav")
        for text, voice in zip(texts, voices, strict=True)
    ]
    size = min(p.size for p in parts)
    (folder / "babble.wav").unlink()
    return np.sum([p[:size] for p in parts], axis=0)


def render_clip(
    folder: Path,
    name: str,
    text: str,
    voice: str,
    wpm: int,
    noise: tuple[str, float] | None,
    rng: np.random.Generator,
    babble: np.ndarray,
) -> Clip:
    """One clip: ``text`` spoken, half a second of silence either side, and ``noise`` (its
    kind and SNR in dB) mixed in when given; written as ``name``.wav."""
    raw = folder / f"{name}.raw.wav"
    speech = _speak(text, voice, wpm, raw)
    raw.unlink()
    pad = np.zeros(int(0.5 * RATE), dtype=np.float32)
    speech = np.concatenate([pad, speech, pad])
    kind, snr = "", None
    if noise is not None:
        kind, snr = noise
        speech = mix(speech, _noise(kind, speech.size, rng, babble), snr)
    path = write_wav(speech, folder / f"{name}.wav")
    fillers = sum(w in FILLERS for w in _words(text))
    return Clip(name, str(path), text, fillers, voice, wpm, kind, snr)


def write_index(folder: Path, clips: list[Clip]) -> list[Clip]:
    (folder / "corpus.json").write_text(json.dumps([asdict(c) for c in clips], indent=2))
    return clips


def make(folder: Path, limit: int | None = None) -> list[Clip]:
    """Write the clips into ``folder`` (made if needed); the same corpus on every call."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(21)
    babble = make_babble(folder, ANSWERS[:3], ("en-gb+f2", "en-us", "en-029"), 170)
    clips: list[Clip] = []
    for n in range(2 * len(ANSWERS)):
        text = ANSWERS[n // 2]
        voice = VOICES[(n * 5) % len(VOICES)]
        wpm = SPEEDS[(n * 3) % len(SPEEDS)]
        noise = None
        if n % 2 == 1:
            noise = (NOISES[(n // 2) % len(NOISES)], float(10 + (n * 7) % 11))  # 10 to 20 dB
        clips.append(render_clip(folder, f"clip{n + 1:02d}", text, voice, wpm, noise, rng, babble))
        if limit and len(clips) >= limit:
            break
    return write_index(folder, clips)


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "asr-corpus")
    for clip in make(out):
        print(
            f"{clip.name}  {clip.voice:15} {clip.wpm} wpm  {clip.fillers} filler(s)  "
            f"{clip.noise or 'clean'}{f' {clip.snr_db:.0f} dB' if clip.snr_db else ''}"
        )
