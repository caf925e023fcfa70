"""A fitted logistic regression's probability, for the coach's trained models: the layer on
the STAR verdicts (:mod:`.layer`) and the job terms' keyness filter (:mod:`.jobterms`).

A model is the dict its training script writes: ``bias``, ``coef``, and the ``mean`` and
``scale`` its features were standardised with."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

__all__ = ["probability"]


def probability(model: dict[str, Any], x: Sequence[float]) -> float:
    """The model's probability for one feature vector."""
    z = float(model["bias"])
    for value, mean, scale, w in zip(x, model["mean"], model["scale"], model["coef"], strict=True):
        z += w * (value - mean) / scale
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
