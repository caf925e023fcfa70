"""Text helpers the journal's modules share: comparing questions and spotting a company's name."""

from __future__ import annotations

import re

from sayyes.pipeline.models import Company

_PUNCT = re.compile(r"[^\w\s]")


def norm_text(text: str) -> str:
    return " ".join(_PUNCT.sub(" ", text.lower()).split())


def names_company(term: str, company: Company) -> bool:
    """Whether a term is (part of) the company's name, which no one needs to ask about."""
    name_words = set(norm_text(company.name).split()) - {"the", "and", "of", "co", "inc", "ltd"}
    return bool(name_words & set(norm_text(term).split()))
