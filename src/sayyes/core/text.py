"""Small helpers for English text shown to people."""

from __future__ import annotations


def possessive(name: str) -> str:
    """``Acme`` → ``Acme's``; a name that already ends in s takes only the apostrophe
    (``Northwind Traders`` → ``Northwind Traders'``)."""
    name = name.strip()
    return f"{name}'" if name.lower().endswith("s") else f"{name}'s"
