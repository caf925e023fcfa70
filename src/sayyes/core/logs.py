"""Logging at the edges, in one shape everywhere: tasks and refused imports.

Each module has its own ``log = logging.getLogger(__name__)``. A task is wrapped::

    @task()
    @logged_task(log)
    def purge_expired() -> dict[str, int]: ...

(arguments and results of tasks are ids, counts and status words, never a user's text),
and an importer runs inside ``with refused_import(log, user, "LinkedIn", ImportFailed):``
so a refusal is a warning naming the user and the reason, with no quoted file content.
"""

from __future__ import annotations

import functools
import logging
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


def _call_text(args: tuple[object, ...], kwargs: dict[str, object]) -> str:
    parts = [repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()]
    return ", ".join(parts)


def logged_task(log: logging.Logger) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Log a task's start and end (INFO) and its failure (ERROR, with the traceback)."""

    def wrap(func: Callable[P, R]) -> Callable[P, R]:
        name = func.__name__

        @functools.wraps(func)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            call = _call_text(args, kwargs)
            log.info("task %s(%s) started", name, call)
            started = time.monotonic()
            try:
                result = func(*args, **kwargs)
            except Exception:
                log.exception(
                    "task %s(%s) failed after %.1f s", name, call, time.monotonic() - started
                )
                raise
            log.info(
                "task %s(%s) finished in %.1f s: %r",
                name,
                call,
                time.monotonic() - started,
                result,
            )
            return result

        return run

    return wrap


def errors_only(name: str = "sayyes") -> None:
    """Log only errors from here on (a CLI command that prints its own one-line errors)."""
    logger = logging.getLogger(name)
    logger.setLevel(max(logger.getEffectiveLevel(), logging.ERROR))


# A quoted value in an error message ('Acme Corp', "x@y"): what a file said, kept out of logs.
# A quote inside a word ("can't") opens nothing.
_QUOTED = re.compile(r"(?<!\w)(?:'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\")(?!\w)")


def without_quotes(text: str) -> str:
    """An error message with every quoted value replaced by '…', on one line."""
    return " ".join(_QUOTED.sub("'…'", text).split())


def user_name(user: object) -> str:
    """How logs name a user: the account name, quoted (it may hold any character)."""
    return repr(getattr(user, "username", None) or str(user))


@contextmanager
def refused_import(
    log: logging.Logger,
    user: object,
    what: str,
    refusals: type[Exception] | tuple[type[Exception], ...],
) -> Iterator[None]:
    """Log a refused import (one of ``refusals`` raised inside) as a warning, and re-raise."""
    try:
        yield
    except refusals as exc:
        log.warning(
            "%s import refused for user %s: %s", what, user_name(user), without_quotes(str(exc))
        )
        raise
