"""Keyword index: Okapi BM25 over Tokenizer tokens; the terms live packed in the store, postings in memory."""

from __future__ import annotations

import math
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

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


@dataclass(frozen=True)
class _Postings:
    """One immutable build of the in-memory index: a search reads a single snapshot even while another
    thread builds the next one."""

    indptr: np.ndarray  # term id → slice of nums/tfs
    nums: np.ndarray
    tfs: np.ndarray
    norm: np.ndarray  # BM25 length normalisation by passage number
    n_docs: int
    n_tokens: int = 0  # all passages' tokens together
    passages: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # indexed, ascending
    lengths: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # their tokens

    def of(self, term_id: int) -> tuple[np.ndarray, np.ndarray]:
        if term_id + 1 >= len(self.indptr):
            return self.nums[:0], self.tfs[:0]
        lo, hi = self.indptr[term_id], self.indptr[term_id + 1]
        return self.nums[lo:hi], self.tfs[lo:hi]

    @property
    def last(self) -> int:
        """The highest passage number indexed (passage numbers only grow: later writes have higher ones)."""
        return int(self.passages[-1]) if len(self.passages) else 0

    def term_of_posting(self) -> np.ndarray:
        return np.repeat(np.arange(len(self.indptr) - 1, dtype=np.int64), np.diff(self.indptr))


_EMPTY = _Postings(np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.uint8),
                   np.zeros(1, dtype=np.float64), 0)


def _finish(indptr: np.ndarray, nums: np.ndarray, tfs: np.ndarray, passages: np.ndarray,
            lengths: np.ndarray) -> _Postings:
    """The postings with the BM25 statistics of `passages` (in ascending order, as a full build reads them)."""
    if not len(passages):
        return _EMPTY
    length = np.zeros(int(passages[-1]) + 1, dtype=np.float64)
    length[passages] = lengths
    norm = K1 * (1.0 - B + B * length / (float(np.mean(lengths)) or 1.0))
    return _Postings(indptr, nums, tfs, norm, len(passages), int(lengths.sum()), passages, lengths)


def _indptr(term_ids: np.ndarray) -> np.ndarray:
    size = int(term_ids.max()) + 2 if len(term_ids) else 1
    return np.concatenate([[0], np.cumsum(np.bincount(term_ids, minlength=size))]).astype(np.int64)


def build(rows: Iterable[tuple[int, int, bytes]]) -> _Postings:
    """Postings of (passage number, tokens, packed terms) rows given in ascending passage number."""
    nums, lengths, id_parts, tf_parts = [], [], [], []
    for num, ntokens, blob in rows:
        ids, tfs = unpack(blob)
        nums.append(num)
        lengths.append(ntokens)
        id_parts.append(ids)
        tf_parts.append(tfs)
    if not nums:
        return _EMPTY
    ids = np.concatenate(id_parts).astype(np.int64)
    order = np.argsort(ids, kind="stable")
    counts = np.array([len(p) for p in id_parts], dtype=np.int64)
    return _finish(_indptr(ids), np.repeat(np.array(nums, dtype=np.int32), counts)[order],
                   np.concatenate(tf_parts)[order], np.array(nums, dtype=np.int64), np.array(lengths, dtype=np.int64))


def updated(old: _Postings, removed: np.ndarray, added: _Postings) -> _Postings:
    """`old` without the passages `removed` and with `added` (all numbered above old's): the same arrays as a
    full build over the passages that remain, without reading the unchanged ones again."""
    terms, nums, tfs = old.term_of_posting(), old.nums, old.tfs
    passages, lengths = old.passages, old.lengths
    if len(removed):
        keep = ~np.isin(nums, removed)
        terms, nums, tfs = terms[keep], nums[keep], tfs[keep]
        alive = ~np.isin(passages, removed)
        passages, lengths = passages[alive], lengths[alive]
    if len(added.passages):
        new_terms = added.term_of_posting()
        # each new posting goes after the old postings of its term: within a term, ascending passage number
        at = np.searchsorted(terms, new_terms, side="right")
        terms = np.insert(terms, at, new_terms)
        nums = np.insert(nums, at, added.nums)
        tfs = np.insert(tfs, at, added.tfs)
        passages = np.concatenate([passages, added.passages])
        lengths = np.concatenate([lengths, added.lengths])
    return _finish(_indptr(terms), nums, tfs, passages, lengths)


class KeywordIndex:
    """BM25 over postings arrays built in memory from the store's packed terms. After a write (of this
    process or another) only what changed is read: passages numbered above the last indexed one, and the
    numbers of the passages left when some were removed."""

    def __init__(self, store: Store):
        self.store = store
        self._generation = -1
        self._lock = threading.Lock()
        self._postings = _EMPTY

    def _ready(self) -> _Postings:
        generation = self.store.generation()
        if generation != self._generation:
            with self._lock:
                if generation != self._generation:
                    self._postings = self._refreshed(self._postings)
                    self._generation = generation
        return self._postings

    def _refreshed(self, old: _Postings) -> _Postings:
        if old is _EMPTY:
            return build(self.store.passage_terms())
        added = build(self.store.passage_terms(after=old.last))
        removed = np.zeros(0, dtype=np.int64)
        # numbers only grow, so the passages up to old.last are old's unless some were removed
        if self.store.passage_count(upto=old.last) != old.n_docs:
            stored = np.fromiter(self.store.passage_nums(upto=old.last), dtype=np.int64)
            removed = np.setdiff1d(old.passages, stored, assume_unique=True)
        return updated(old, removed, added)

    def containing(self, term: str) -> set[int]:
        """Passages whose index terms include `term`."""
        postings = self._ready()
        term_id = self.store.term_ids([term]).get(term)
        return set() if term_id is None else set(postings.of(term_id)[0].tolist())

    def share(self, terms: Iterable[str]) -> float:
        """Share of the indexed passages holding every one of `terms` (0.0 for an empty index)."""
        postings = self._ready()
        terms = list(dict.fromkeys(terms))
        ids = self.store.term_ids(terms)
        if not postings.n_docs or not terms or len(ids) < len(terms):  # a term no passage holds
            return 0.0
        held = None
        for term_id in ids.values():
            nums = postings.of(term_id)[0]
            held = nums if held is None else np.intersect1d(held, nums, assume_unique=True)
        return len(held) / postings.n_docs

    def frequencies(self, terms: Iterable[str]) -> tuple[dict[str, int], int]:
        """How often each of `terms` occurs in all passages together (terms no passage holds are left out),
        and the number of tokens of all passages: together, a term's relative frequency in the store."""
        postings = self._ready()
        counts = {term: int(postings.of(term_id)[1].sum()) for term, term_id in self.store.term_ids(terms).items()}
        return {t: c for t, c in counts.items() if c}, postings.n_tokens

    def idf(self, terms: Iterable[str]) -> dict[str, float]:
        """BM25 idf of each of `terms` that some passage holds."""
        postings = self._ready()
        out = {}
        for term, term_id in self.store.term_ids(terms).items():
            df = len(postings.of(term_id)[0])
            if df:
                out[term] = idf(postings.n_docs, df)
        return out

    def search(self, tokens: Iterable[str], k: int, allowed: set[int] | None = None) -> list[tuple[int, float]]:
        """The k best passages for query tokens, as (passage number, score), best first."""
        terms = list(dict.fromkeys(tokens))
        if not terms:
            return []
        postings = self._ready()
        scores = np.zeros(len(postings.norm), dtype=np.float64)
        touched = np.zeros(len(postings.norm), dtype=bool)  # a mask, not np.unique of the postings: 10x faster
        for term_id in self.store.term_ids(terms).values():
            n, tf = postings.of(term_id)
            if not len(n):
                continue
            tf = tf.astype(np.float64)
            scores[n] += idf(postings.n_docs, len(n)) * tf * (K1 + 1.0) / (tf + postings.norm[n])
            touched[n] = True
        candidates = np.flatnonzero(touched)
        if not len(candidates):
            return []
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
