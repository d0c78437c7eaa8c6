"""Choosing the answer: maximal marginal relevance over documents and places (a researcher wants several
places' experience, not ten measures of one report)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

# A case is fully redundant with a chosen one from the same report, SAME_PLACE with one from the same
# place; its value is its score minus REDUNDANCY times its greatest redundancy (Carbonell & Goldstein 1998).
# Devweb experience recall@10 0.39 at 0, 0.43 at 0.15, 0.38 at 0.3 (dev 0.9, 0.9, 0.8).
SAME_PLACE = 0.5
REDUNDANCY = 0.15

T = TypeVar("T")


def redundancy(doc: str, place: str, chosen: Sequence[tuple[str, str]]) -> float:
    """Greatest redundancy of a case (its lead's report and place) with the chosen ones.

    >>> redundancy("a", "上海市", [("b", "上海市")]), redundancy("a", "", [("a", "")]), redundancy("a", "", [])
    (0.5, 1.0, 0.0)
    """
    best = 0.0
    for other_doc, other_place in chosen:
        if doc == other_doc:
            return 1.0
        if place and place == other_place:
            best = SAME_PLACE
    return best


def mmr(items: list[T], k: int, score: Callable[[T], float], origin: Callable[[T], tuple[str, str]],
        admit: Callable[[T], T | None] = lambda item: item) -> list[tuple[T, float, float]]:
    """Pick up to k items greedily by score − REDUNDANCY · redundancy with those picked; `admit` may turn an
    item down (None) or trim it when it is picked. Returns (item, value, redundancy) in pick order; values
    never rise down the list.

    >>> items = [("a", "p", 1.0), ("a", "p", 0.95), ("b", "q", 0.9)]
    >>> [round(v, 2) for _, v, _ in mmr(items, 3, lambda i: i[2], lambda i: i[:2])]
    [1.0, 0.9, 0.8]
    """
    pool = list(items)
    chosen: list[tuple[T, float, float]] = []
    origins: list[tuple[str, str]] = []
    while pool and len(chosen) < k:
        values = [score(item) - REDUNDANCY * redundancy(*origin(item), origins) for item in pool]
        best = max(range(len(pool)), key=lambda i: values[i])
        item = pool.pop(best)
        admitted = admit(item)
        if admitted is None:
            continue
        red = redundancy(*origin(item), origins)
        chosen.append((admitted, values[best], red))
        origins.append(origin(item))
    return chosen
