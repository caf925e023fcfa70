"""Typed readers for environment settings.

They refuse junk: ``SAYYES_SIGNUP=yes`` is an error, not a guess. Every setting may
also come from a file named by ``NAME_FILE`` (for secrets mounted by a container
runtime). Every variable read here is documented in the README's settings table.

The data directory is private: asking for it (``data_dir()``, which every sayyes process
does before writing anything) sets the process's umask to 077, and ``tighten()`` makes an
older installation's files and folders its owner's only.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

log = logging.getLogger(__name__)

# Group and others: no access to anything sayyes writes.
PRIVATE_UMASK = 0o077


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


def trusted_proxy(value: str | None) -> str | None:
    """SAYYES_TRUSTED_PROXY: an IP address (as the server sees the proxy connect), or ``*``
    for any (only when nothing but the proxy can reach sayyes); None when unset."""
    import ipaddress

    if value is None or not value.strip():
        return None
    value = value.strip()
    if value == "*":
        return value
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        raise ConfigError(
            f"SAYYES_TRUSTED_PROXY must be the IP address of your reverse proxy (such as "
            f"127.0.0.1) or *, not {value!r}"
        ) from None


def data_dir() -> Path:
    """The data directory (``SAYYES_DATA_DIR``, else the platform's user data folder).

    Every sayyes process asks for it first (the settings do, and the commands that run
    without Django), so this is where the umask becomes 077, once for the whole process:
    every file and folder sayyes writes from here on is readable by its owner only."""
    os.umask(PRIVATE_UMASK)
    configured = env("SAYYES_DATA_DIR")
    if configured:
        path = Path(configured).expanduser()
    else:
        import platformdirs

        path = Path(platformdirs.user_data_dir("sayyes", appauthor=False))
    return path


def tighten(folder: Path) -> int:
    """Make ``folder`` and everything under it its owner's only (0700 folders, 0600 files:
    the group's and others' bits cleared); how many had to change. Links are neither followed
    nor changed, and what can't be changed (another account's file) is left as it is. Logs one
    line when something changed: an installation made before sayyes kept its files private."""
    changed = 0
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            changed += _make_private(current, os.stat(current).st_mode)
            entries = list(os.scandir(current))
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.is_symlink():
                    continue
                if entry.is_dir(follow_symlinks=False):
                    pending.append(Path(entry.path))
                else:
                    changed += _make_private(
                        Path(entry.path), entry.stat(follow_symlinks=False).st_mode
                    )
            except OSError:
                continue
    if changed:
        log.info(
            "data directory %s: made %d files and folders private (readable by you only)",
            folder,
            changed,
        )
    return changed


PRIVATE_MARK = ".private"


def tighten_once(folder: Path) -> int:
    """``tighten`` an installation the first time a private-files sayyes starts on it, then
    leave a mark: every later file is written under umask 077, so walking the whole data
    directory (every recording) at each start of each process would find nothing."""
    mark = folder / PRIVATE_MARK
    if mark.exists():
        return 0
    changed = tighten(folder)
    try:
        mark.touch()
    except OSError:  # a read-only data directory: tighten again next time
        pass
    return changed


def _make_private(path: Path, mode: int) -> bool:
    if not stat.S_IMODE(mode) & PRIVATE_UMASK:
        return False
    try:
        os.chmod(path, stat.S_IMODE(mode) & ~PRIVATE_UMASK)
    except OSError:  # not ours to change
        return False
    return True
