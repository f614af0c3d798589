"""Weighted draws from the corpus's one random stream (`random.Random(seed)`)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def weighted(rng: random.Random, shares: Sequence[tuple[T, int | float]]) -> T:
    """One value of ``shares`` (value, weight) pairs, with probability proportional to weight."""
    values = [value for value, _ in shares]
    weights = [weight for _, weight in shares]
    return rng.choices(values, weights)[0]
