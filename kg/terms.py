"""Index terms of passages, packed: a vocabulary of term ids and one compressed BLOB of (id, tf) per passage.

One row per passage instead of one row per (term, passage) keeps the keyword index at a few hundred
bytes per passage on disk; search/keyword.py loads the blobs into arrays in memory.
"""

from __future__ import annotations

import sqlite3
import zlib
from collections import Counter
from collections.abc import Iterable

import numpy as np

MAX_TF = 255


def pack(counts: dict[int, int]) -> bytes:
    """Term ids (ascending, delta-coded, byte-plane shuffled) and frequencies (capped at 255) as one zlib blob.

    >>> ids, tfs = unpack(pack({7: 2, 3: 1, 300000: 400}))
    >>> ids.tolist(), tfs.tolist()
    ([3, 7, 300000], [1, 2, 255])
    """
    ids = np.array(sorted(counts), dtype=np.uint32)
    tfs = np.array([min(counts[i], MAX_TF) for i in ids.tolist()], dtype=np.uint8)
    deltas = np.diff(ids, prepend=np.uint32(0)).astype("<u4")
    # byte planes (all lowest bytes, then the next …): the high planes are nearly all zero and compress away
    planes = deltas.view(np.uint8).reshape(-1, 4).T.tobytes()
    return zlib.compress(np.uint32(len(ids)).astype("<u4").tobytes() + planes + tfs.tobytes(), 9)


def unpack(blob: bytes) -> tuple[np.ndarray, np.ndarray]:
    """(term ids, term frequencies) of a packed blob."""
    raw = zlib.decompress(blob)
    n = int(np.frombuffer(raw[:4], dtype="<u4")[0])
    deltas = np.frombuffer(raw[4 : 4 + 4 * n], dtype=np.uint8).reshape(4, n).T.copy().view("<u4").ravel()
    ids = np.cumsum(deltas, dtype=np.uint64).astype(np.uint32)
    return ids, np.frombuffer(raw[4 + 4 * n :], dtype=np.uint8)


class Vocabulary:
    """Term ↔ id, backed by the `vocabulary` table (ids only grow). The cache is re-read whenever the
    table's highest id is not the one it last saw: another process wrote, or a transaction rolled back."""

    def __init__(self):
        self._ids: dict[str, int] = {}
        self._max = -1

    def forget(self) -> None:
        self._ids, self._max = {}, -1

    def assign(self, conn: sqlite3.Connection, terms: Iterable[str]) -> dict[str, int]:
        """Ids for terms, adding the new ones; call inside the caller's write transaction."""
        top = conn.execute("SELECT coalesce(max(term_id), 0) FROM vocabulary").fetchone()[0]
        if top != self._max:
            self._ids, self._max = dict(conn.execute("SELECT term, term_id FROM vocabulary")), top
        new = [t for t in dict.fromkeys(terms) if t not in self._ids]
        if new:
            conn.executemany("INSERT INTO vocabulary(term_id, term) VALUES (?, ?)",
                             [(top + 1 + i, t) for i, t in enumerate(new)])
            self._ids.update((t, top + 1 + i) for i, t in enumerate(new))
            self._max = top + len(new)
        return self._ids

    @staticmethod
    def lookup(conn: sqlite3.Connection, terms: Iterable[str]) -> dict[str, int]:
        """Ids of the known terms among `terms` (a query's), without the cache."""
        terms = list(dict.fromkeys(terms))
        out: dict[str, int] = {}
        for i in range(0, len(terms), 500):
            chunk = terms[i : i + 500]
            marks = ",".join("?" * len(chunk))
            # in term order (SQLite's for an IN list on its index): BM25 adds terms in this order, and floating
            # point sums in another order would differ in the last bit between backends
            out.update(conn.execute(f"SELECT term, term_id FROM vocabulary WHERE term IN ({marks}) ORDER BY term",
                                    chunk))
        return out


def packed_terms(conn: sqlite3.Connection, vocabulary: Vocabulary, tokens: Iterable[str]) -> bytes:
    """The blob stored with a passage for its tokens."""
    counts = Counter(tokens)
    ids = vocabulary.assign(conn, counts)
    return pack({ids[t]: c for t, c in counts.items()})
