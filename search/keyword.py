"""Keyword index: Okapi BM25 over Tokenizer tokens, with postings kept in the store."""

from __future__ import annotations

import math
from collections.abc import Iterable

from kg.store import Store

# Robertson & Zaragoza, "The Probabilistic Relevance Framework: BM25 and Beyond" (2009);
# k1 and b are the usual defaults, also those of Lucene and bm25s.
K1 = 1.2
B = 0.75


def idf(n_docs: int, df: int) -> float:
    """Lucene's non-negative BM25 idf: ln(1 + (N - df + 0.5) / (df + 0.5)).

    >>> round(idf(10, 1), 4)
    1.9924
    """
    return math.log(1.0 + (n_docs - df + 0.5) / (df + 0.5))


def term_score(tf: int, doc_len: int, avg_len: float, k1: float = K1, b: float = B) -> float:
    """BM25 saturation of one term frequency, normalised by document length.

    >>> round(term_score(2, 10, 10.0), 4)
    1.375
    """
    norm = k1 * (1.0 - b + b * doc_len / (avg_len or 1.0))
    return tf * (k1 + 1.0) / (tf + norm)


class KeywordIndex:
    """BM25 ranking; postings are written with each document, so ingest and remove are incremental."""

    def __init__(self, store: Store):
        self.store = store
        self._stats: tuple[int, int, float] = (-1, 0, 0.0)

    def _corpus_stats(self) -> tuple[int, float]:
        """Passage count and mean length, recomputed only after a write (a full scan of the table)."""
        generation = self.store.generation()
        if self._stats[0] != generation:
            self._stats = (generation, *self.store.keyword_stats())
        return self._stats[1], self._stats[2]

    def search(self, tokens: Iterable[str], k: int, allowed: set[int] | None = None) -> list[tuple[int, float]]:
        """The k best passages for query tokens, as (passage number, score), best first."""
        terms = list(dict.fromkeys(tokens))
        if not terms:
            return []
        n_docs, avg_len = self._corpus_stats()
        scores: dict[int, float] = {}
        for rows in self.store.postings(terms).values():
            if not rows:
                continue
            weight = idf(n_docs, len(rows))
            for num, tf, doc_len in rows:
                if allowed is not None and num not in allowed:
                    continue
                scores[num] = scores.get(num, 0.0) + weight * term_score(tf, doc_len, avg_len)
        return sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:k]
