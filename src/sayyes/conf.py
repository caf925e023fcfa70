"""Typed readers for environment settings.

They refuse junk: ``SAYYES_SIGNUP=yes`` is an error, not a guess. Every setting may
also come from a file named by ``NAME_FILE`` (for secrets mounted by a container
runtime). Every variable read here is documented in the README's settings table.
"""

from __future__ import annotations

import os
from pathlib import Path


class ConfigError(Exception):
    """A setting in the environment has a value sayyes cannot use."""


def env(name: str, default: str | None = None) -> str | None:
    file_var = f"{name}_FILE"
    if os.environ.get(file_var):
        try:
            return Path(os.environ[file_var]).read_text().strip()
        except OSError as exc:
            raise ConfigError(
                f"{file_var}: cannot read {os.environ[file_var]}: {exc.strerror}"
            ) from exc
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value


def envbool(name: str, default: bool) -> bool:
    value = env(name)
    if value is None:
        return default
    if value.lower() in ("true", "1"):
        return True
    if value.lower() in ("false", "0"):
        return False
    raise ConfigError(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: int, minimum: int = 0) -> int:
    value = env(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {value!r}") from None
    if number < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, not {number}")
    return number


def envchoice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = env(name, default) or default
    if value not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return value


def data_dir() -> Path:
    configured = env("SAYYES_DATA_DIR")
    if configured:
        path = Path(configured).expanduser()
    else:
        import platformdirs

        path = Path(platformdirs.user_data_dir("sayyes", appauthor=False))
    return path
