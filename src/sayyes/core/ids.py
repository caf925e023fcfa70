"""Ids that arrive as text (a URL, a query string, a CLI argument), read one way everywhere.

Only ASCII digits make an id: ``str.isdigit()`` also takes ``'¹'`` and ``'٣'``, which
``int()`` then refuses or reads as another number.
"""

from __future__ import annotations

from collections.abc import Iterable

from .errors import BadParameter

# The largest id a 64-bit database integer holds.
MAX_ID = 2**63 - 1
MAX_IDS = 100


def is_ascii_digits(text: str) -> bool:
    """Digits 0-9 only (``str.isdigit`` alone takes "¹" and other scripts' digits)."""
    return text.isascii() and text.isdigit()


def parse_id(raw: object, param: str = "id") -> int:
    """One positive id from text or an int, or ``BadParameter`` naming ``param``."""
    if isinstance(raw, bool):
        raise BadParameter(param, f"{raw!r} is not an id.")
    if isinstance(raw, int):
        value = raw
    else:
        text = str(raw).strip()
        if not is_ascii_digits(text) or len(text) > 19:
            raise BadParameter(param, f"{_shown(text)} is not an id.")
        value = int(text)
    if not 1 <= value <= MAX_ID:
        raise BadParameter(param, f"{value} is not an id.")
    return value


def parse_ids(
    raw: str | Iterable[str] | None,
    param: str = "ids",
    *,
    min_count: int = 0,
    max_count: int = MAX_IDS,
    what: str = "ids",
) -> list[int]:
    """Ids separated by commas (``3,5,8``), or several such values (``ids=3&ids=5``).

    Keeps the order given and drops repeats. Blank parts are skipped. Anything that is
    not ASCII digits, or a count outside ``min_count``..``max_count``, is a
    ``BadParameter`` naming ``param``.
    """
    values = [raw] if isinstance(raw, str) else list(raw or [])
    ids: list[int] = []
    seen: set[int] = set()
    for value in values:
        for part in str(value).split(","):
            part = part.strip()
            if not part:
                continue
            pk = parse_id(part, param)
            if pk not in seen:
                seen.add(pk)
                ids.append(pk)
                if len(ids) > max_count:
                    raise BadParameter(param, f"Choose at most {max_count} {what}.")
    if len(ids) < min_count:
        if min_count == max_count:
            raise BadParameter(param, f"Choose {min_count} {what}.")
        raise BadParameter(param, f"Choose {min_count} to {max_count} {what}.")
    return ids


def _shown(text: str) -> str:
    return repr(text if len(text) <= 20 else text[:20] + "…")
