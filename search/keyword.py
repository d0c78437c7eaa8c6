"""Keyword index: Okapi BM25 over Tokenizer tokens; the terms live packed in the store, postings in memory."""

from __future__ import annotations

import math
import threading
from collections.abc import Iterable

import numpy as np

from kg.store import Store
from kg.terms import unpack

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
    """BM25 over postings arrays built in memory from the store's packed terms, rebuilt after a write."""

    def __init__(self, store: Store):
        self.store = store
        self._generation = -1
        self._lock = threading.Lock()
        self._indptr = np.zeros(1, dtype=np.int64)
        self._nums = np.zeros(0, dtype=np.int32)
        self._tfs = np.zeros(0, dtype=np.uint8)
        self._norm = np.zeros(1, dtype=np.float64)
        self._n_docs = 0

    def _ready(self) -> None:
        generation = self.store.generation()
        if generation == self._generation:
            return
        with self._lock:
            if generation != self._generation:
                self._build()
                self._generation = generation

    def _build(self) -> None:
        nums, lengths, id_parts, tf_parts = [], [], [], []
        for num, ntokens, blob in self.store.passage_terms():
            ids, tfs = unpack(blob)
            nums.append(num)
            lengths.append(ntokens)
            id_parts.append(ids)
            tf_parts.append(tfs)
        size = (max(nums) + 1) if nums else 1
        counts = np.array([len(p) for p in id_parts], dtype=np.int64)
        ids = np.concatenate(id_parts) if id_parts else np.zeros(0, dtype=np.uint32)
        order = np.argsort(ids, kind="stable")
        vocabulary = int(ids.max()) + 2 if len(ids) else 1
        self._indptr = np.concatenate([[0], np.cumsum(np.bincount(ids, minlength=vocabulary))]).astype(np.int64)
        self._nums = np.repeat(np.array(nums, dtype=np.int32), counts)[order]
        self._tfs = (np.concatenate(tf_parts) if tf_parts else np.zeros(0, dtype=np.uint8))[order]
        length = np.zeros(size, dtype=np.float64)
        length[nums] = lengths
        avg = float(np.mean(lengths)) if lengths else 0.0
        self._norm = K1 * (1.0 - B + B * length / (avg or 1.0))
        self._n_docs = len(nums)

    def _postings(self, term_id: int) -> tuple[np.ndarray, np.ndarray]:
        if term_id + 1 >= len(self._indptr):
            return self._nums[:0], self._tfs[:0]
        lo, hi = self._indptr[term_id], self._indptr[term_id + 1]
        return self._nums[lo:hi], self._tfs[lo:hi]

    def document_frequency(self, terms: Iterable[str]) -> dict[str, int]:
        """In how many passages each known term occurs."""
        self._ready()
        return {t: int(self._indptr[i + 1] - self._indptr[i]) if i + 1 < len(self._indptr) else 0
                for t, i in self.store.term_ids(terms).items()}

    def containing(self, term: str) -> set[int]:
        """Passages whose index terms include `term`."""
        self._ready()
        term_id = self.store.term_ids([term]).get(term)
        return set() if term_id is None else set(self._postings(term_id)[0].tolist())

    def search(self, tokens: Iterable[str], k: int, allowed: set[int] | None = None,
               weights: dict[str, float] | None = None) -> list[tuple[int, float]]:
        """The k best passages for query tokens, as (passage number, score), best first; `weights`
        multiplies the contribution of a term (query expansion terms count less)."""
        terms = list(dict.fromkeys(tokens))
        if not terms:
            return []
        self._ready()
        nums, tfs, norm, n_docs = self._nums, self._tfs, self._norm, self._n_docs
        scores = np.zeros(len(norm), dtype=np.float64)
        touched = []
        for term, term_id in self.store.term_ids(terms).items():
            if term_id + 1 >= len(self._indptr):
                continue
            lo, hi = self._indptr[term_id], self._indptr[term_id + 1]
            if hi == lo:
                continue
            n, tf = nums[lo:hi], tfs[lo:hi].astype(np.float64)
            weight = idf(n_docs, int(hi - lo)) * (weights.get(term, 1.0) if weights else 1.0)
            scores[n] += weight * tf * (K1 + 1.0) / (tf + norm[n])
            touched.append(n)
        if not touched:
            return []
        candidates = np.unique(np.concatenate(touched))
        if allowed is not None:
            candidates = candidates[np.isin(candidates, np.fromiter(allowed, dtype=np.int64, count=len(allowed)))]
        if not len(candidates):
            return []
        values = scores[candidates]
        if len(candidates) > k:
            top = np.argpartition(-values, k - 1)[:k]
            candidates, values = candidates[top], values[top]
        order = np.lexsort((candidates, -values))
        return [(int(candidates[i]), float(values[i])) for i in order]
