"""Reciprocal-rank fusion of ranked lists (Cormack, Clarke & Büttcher, SIGIR 2009)."""

from __future__ import annotations

from collections.abc import Hashable, Sequence

# k = 60 is the constant of the RRF paper; it damps the weight of the very top ranks so that
# agreement between lists matters more than one list's first place.
RRF_K = 60


def rrf(lists: Sequence[Sequence[Hashable]], weights: Sequence[float] | None = None, k: int = RRF_K) -> dict:
    """Fuse ranked lists: score(d) = sum_i w_i / (k + rank_i(d)), ranks starting at 1.

    >>> scores = rrf([["a", "b"], ["b", "c"]])
    >>> sorted(scores, key=scores.get, reverse=True)
    ['b', 'a', 'c']
    >>> round(scores["b"], 6) == round(1 / 62 + 1 / 61, 6)
    True
    """
    weights = weights or [1.0] * len(lists)
    if len(weights) != len(lists):
        raise ValueError(f"rrf: {len(lists)} lists but {len(weights)} weights")
    scores: dict = {}
    for ranked, weight in zip(lists, weights, strict=True):
        for rank, item in enumerate(ranked, start=1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    return scores
