"""Make test recordings with espeak-ng (Debian's package): synthetic, small, made at setup."""

from __future__ import annotations

import os
import shutil
import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest


def speak(text: str, path: Path, speed: int = 160) -> Path:
    if not shutil.which("espeak-ng"):
        if os.environ.get("CI"):
            pytest.fail("espeak-ng is missing: install Debian's espeak-ng package")
        pytest.skip("espeak-ng is not installed (apt-get install espeak-ng)")
    subprocess.run(["espeak-ng", "-s", str(speed), "-w", str(path), text], check=True)
    return path


def join_wavs(parts: list[Path], pause: float, path: Path) -> Path:
    """Concatenate WAV files with ``pause`` seconds of silence between them."""
    frames, params = [], None
    for part in parts:
        with wave.open(str(part)) as w:
            params = w.getparams()
            frames.append(w.readframes(w.getnframes()))
    assert params is not None
    gap = b"\0" * int(params.framerate * pause) * params.sampwidth * params.nchannels
    with wave.open(str(path), "wb") as out:
        out.setparams(params)
        out.writeframes(gap.join(frames))
    return path


def to_webm(wav: Path, path: Path) -> Path:
    """Opus in WebM, as Chromium's MediaRecorder makes it."""
    import av

    with wave.open(str(wav)) as w:
        rate = w.getframerate()
        pcm = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16)
    out = av.open(str(path), "w", format="webm")
    stream = out.add_stream("libopus", rate=48000, layout="mono")
    frame = av.AudioFrame.from_ndarray(pcm.reshape(1, -1), format="s16", layout="mono")
    frame.sample_rate = rate
    resampler = av.AudioResampler(format="s16", layout="mono", rate=48000)
    for f in [*resampler.resample(frame), *resampler.resample(None)]:
        for packet in stream.encode(f):
            out.mux(packet)
    for packet in stream.encode(None):
        out.mux(packet)
    out.close()
    return path


def make_recordings(folder: Path) -> dict[str, Path]:
    from tests.conftest import PAUSE_SECONDS, SPOKEN

    first = speak(SPOKEN[0], folder / "first.wav")
    second = speak(SPOKEN[1], folder / "second.wav")
    answer = join_wavs([first, second], PAUSE_SECONDS, folder / "answer.wav")
    return {
        "wav": answer,
        "webm": to_webm(answer, folder / "answer.webm"),
        "short": first,
        "short_late": late(first, LEAD_IN_SECONDS, folder / "short_late.wav"),
    }


# Chromium's fake microphone plays its file from the moment the page opens the device, and
# the page starts its MediaRecorder only after that: on a busy machine the first half second
# (the "Um" the browser test looks for) was lost before the recorder ran.
LEAD_IN_SECONDS = 1.5


def late(wav: Path, seconds: float, path: Path) -> Path:
    """``wav`` with ``seconds`` of silence before it."""
    with wave.open(str(wav)) as w:
        params = w.getparams()
        frames = w.readframes(w.getnframes())
    with wave.open(str(path), "wb") as out:
        out.setparams(params)
        out.writeframes(b"\0" * int(params.framerate * seconds) * params.sampwidth + frames)
    return path
