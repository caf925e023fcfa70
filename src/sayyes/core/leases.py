"""A claim renewed while work goes on: ``Renewal(renew, every)`` calls ``renew()`` every
``every`` seconds on a thread of its own until stopped. Used by the worker for every task
(``sayyes/worker.py``) and by the transcriptions for their answer (``practice/voice.py``)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import connection

log = logging.getLogger(__name__)


class Renewal:
    def __init__(self, renew: Callable[[], object], every: float, name: str):
        self._renew, self._every, self._name = renew, every, name
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def _run(self) -> None:
        try:
            while not self._stop.wait(self._every):
                self._renew()
        except Exception:  # the claim may run out; recovery then takes the work up again
            log.exception("%s: renewing the claim failed", self._name)
        finally:
            connection.close()  # this thread's own

    def start(self) -> Renewal:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()


@contextmanager
def renewing(renew: Callable[[], object], every: float, name: str) -> Iterator[None]:
    """Renew the claim while the body runs."""
    renewal = Renewal(renew, every, name).start()
    try:
        yield
    finally:
        renewal.stop()
