"""Reading recordings: the type by content, the length by demuxing, samples by decoding.

PyAV's wheels carry their own FFmpeg libraries, so nothing else needs installing. Chromium's
WebM has no duration in its header: the length comes from the packets, and decoding reads the
whole file.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

MAX_BYTES = 25 * 1024 * 1024
MAX_SECONDS = 10 * 60
SAMPLE_RATE = 16_000
BATCH_SECONDS = 5  # decoded audio resampled a few seconds at a time
KINDS = "WebM, Ogg, MP4/M4A, WAV, MP3 or FLAC"

# (extension, content type) by the first bytes of the file.
_MAGIC: list[tuple[bytes, int, str, str]] = [
    (b"\x1a\x45\xdf\xa3", 0, "webm", "audio/webm"),
    (b"OggS", 0, "ogg", "audio/ogg"),
    (b"fLaC", 0, "flac", "audio/flac"),
    (b"ID3", 0, "mp3", "audio/mpeg"),
    (b"ftyp", 4, "m4a", "audio/mp4"),
]


class AudioError(ValueError):
    """A file sayyes can't use as a recording; the message says why, for a person."""


def sniff(head: bytes) -> tuple[str, str] | None:
    """(extension, content type) of a recording judged by its first bytes, or None."""
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav", "audio/wav"
    for magic, offset, ext, ctype in _MAGIC:
        if head[offset : offset + len(magic)] == magic:
            return ext, ctype
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0:  # an MPEG frame
        return "mp3", "audio/mpeg"
    return None


def _open(path: Path):
    import av

    try:
        container = av.open(str(path), metadata_errors="ignore")
    except (av.FFmpegError, OSError, UnicodeDecodeError) as exc:
        raise AudioError(f"This file is not a recording sayyes can read ({KINDS}).") from exc
    if not container.streams.audio:
        container.close()
        raise AudioError("This file has no sound in it.")
    return container


def probe(path: str | Path) -> float:
    """Check that ``path`` is a recording within the limits; return its length in seconds.

    Reads packets without decoding them (fast), so it works for WebM without a duration.
    """
    import av

    path = Path(path)
    size = path.stat().st_size
    if size == 0:
        raise AudioError("The recording is empty.")
    if size > MAX_BYTES:
        raise AudioError(f"A recording has at most {MAX_BYTES // (1024 * 1024)} MB.")
    with path.open("rb") as fh:
        if sniff(fh.read(16)) is None:
            raise AudioError(f"This file is not a recording sayyes can read ({KINDS}).")
    container = _open(path)
    try:
        stream = container.streams.audio[0]
        end = 0.0
        packets = 0
        for packet in container.demux(stream):
            if packet.pts is None or packet.time_base is None:
                continue
            packets += 1
            end = max(end, float((packet.pts + (packet.duration or 0)) * packet.time_base))
            if end > MAX_SECONDS + 1:
                break
    except av.FFmpegError as exc:
        raise AudioError(f"This recording is damaged and can't be read ({exc}).") from exc
    finally:
        container.close()
    if packets == 0 or end <= 0:
        raise AudioError("The recording has no sound in it.")
    if end > MAX_SECONDS + 1:
        raise AudioError(f"A recording is at most {MAX_SECONDS // 60} minutes long.")
    return end


def decode(
    path: str | Path,
    *,
    partial: bool = False,
    starts: list[int | None] | None = None,
    from_packet: int = 0,
    from_at: int | None = None,
) -> np.ndarray:
    """The whole recording as 16 kHz mono float32 samples (what Whisper reads).

    ``partial``: the file is still growing (a recording arriving in chunks); what can be
    decoded is returned, and a cut-off end is no error.

    ``starts``: a list filled with, for each packet in the file's order, the 16 kHz sample
    where its sound starts (None where that is not a whole sample).

    ``from_packet``: only the samples from this packet on (a tail, with the position
    ``starts`` gave). Packets before it are not decoded, except the first (which takes the
    decoder's start-up skip, as it does for the whole file), so the first few hundred
    milliseconds differ from the whole decode while the decoder's state settles: the caller
    checks them (``report.tail_of``).

    ``from_at``: where packet ``from_packet`` starts (the 16 kHz sample an earlier ``starts``
    gave), so that the ``starts`` noted from it on are on the whole recording's clock; the
    packets left out, and all of them without ``from_at``, are noted None.
    """
    import av

    container = _open(Path(path))
    resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
    chunks: list[np.ndarray] = []
    total = 0
    batch: list[av.AudioFrame] = []
    batched = 0

    def resample(frames: list[av.AudioFrame] | None) -> None:
        # A few seconds of frames at a time: one call per 20 ms frame cost a third of the
        # time (the resampler keeps its state between calls, so the samples are the same).
        nonlocal total
        if frames == []:  # the last frame filled the batch before: nothing left
            return
        if frames is None:
            outs = resampler.resample(None)
        elif (
            len(frames) == 1
            or len({(f.format.name, f.layout.name, f.sample_rate) for f in frames}) > 1
        ):
            outs = [o for f in frames for o in resampler.resample(f)]
        else:
            first = frames[0]
            joined = av.AudioFrame.from_ndarray(
                np.concatenate([f.to_ndarray() for f in frames], axis=-1),
                format=first.format.name,
                layout=first.layout.name,
            )
            joined.sample_rate = first.sample_rate
            outs = resampler.resample(joined)
        for out in outs:
            chunk = out.to_ndarray().reshape(-1)
            chunks.append(chunk)
            total += chunk.size

    try:
        stream = container.streams.audio[0]
        for frame in _frames(container, stream, starts, from_packet, from_at):
            frame.pts = None
            batch.append(frame)
            batched += frame.samples
            if batched >= BATCH_SECONDS * frame.sample_rate:
                resample(batch)
                batch, batched = [], 0
            if total > (MAX_SECONDS + 1) * SAMPLE_RATE:
                raise AudioError(f"A recording is at most {MAX_SECONDS // 60} minutes long.")
        resample(batch)
        batch = []
        resample(None)
    except av.FFmpegError as exc:
        if batch:
            resample(batch)
        if not (partial and chunks):
            raise AudioError(f"This recording is damaged and can't be read ({exc}).") from exc
    finally:
        container.close()
    if not chunks:
        raise AudioError("The recording has no sound in it.")
    samples = np.concatenate(chunks).astype(np.float32) / 32768.0
    if samples.size == 0:
        raise AudioError("The recording has no sound in it.")
    return samples


def _frames(
    container, stream, starts: list[int | None] | None, from_packet: int, from_at: int | None
):
    """The decoded frames, packet by packet (what ``container.decode`` gives), noting where
    each packet starts and leaving out the packets before ``from_packet``."""
    decoded = 0  # samples at the stream's rate
    for index, packet in enumerate(container.demux(stream)):
        rate = stream.codec_context.sample_rate or SAMPLE_RATE
        if index == from_packet > 0 and from_at is not None:
            decoded = from_at * rate // SAMPLE_RATE  # where the whole decode would be
        if starts is not None:
            at = decoded * SAMPLE_RATE
            known = index == 0 or index >= from_packet and (from_packet == 0 or from_at is not None)
            starts.append(at // rate if known and packet.size and at % rate == 0 else None)
        if 0 < index < from_packet:
            continue
        for frame in packet.decode():
            decoded += frame.samples
            if index >= from_packet:
                yield frame
