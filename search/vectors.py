"""Vector index: faiss over the vectors kept in the store; a derived cache rebuilt when stale."""

from __future__ import annotations

import json
from pathlib import Path

import faiss
import numpy as np

from kg.store import Store
from kg.vectors import as_matrix

INDEX_NAME = "vectors.faiss"
# Exact (flat) search of one 512-d query costs ~4 ms at 40k passages and ~16 ms at 100k on this machine
# (2 cores), so the index stays exact up to 100k passages and is rebuilt from the stored vectors in memory
# (nothing to keep on disk); above that HNSW (recall against flat tested ≥ 0.95) is built and saved.
HNSW_THRESHOLD = 100_000
HNSW_M = 32
HNSW_EF_SEARCH = 128
KINDS = ("auto", "flat", "hnsw")



class VectorIndex:
    """Inner-product search: flat while small, HNSW past a threshold (or as configured)."""

    def __init__(self, store: Store, dim: int, kind: str = "auto", hnsw_threshold: int = HNSW_THRESHOLD,
                 folder: Path | None = None):
        if kind not in KINDS:
            raise ValueError(f"vector index kind {kind!r} is not one of {', '.join(KINDS)}")
        self.store = store
        self.dim = dim
        self.kind = kind
        self.hnsw_threshold = hnsw_threshold
        self.path = Path(folder if folder is not None else store.db_dir) / INDEX_NAME
        self._index = None
        self._generation = -1

    def _stamp_path(self) -> Path:
        return self.path.with_suffix(".json")

    def _new_index(self, size: int):
        use_hnsw = self.kind == "hnsw" or (self.kind == "auto" and size >= self.hnsw_threshold)
        if use_hnsw:
            base = faiss.IndexHNSWFlat(self.dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
            base.hnsw.efSearch = HNSW_EF_SEARCH
            base.hnsw.efConstruction = 80
        else:
            base = faiss.IndexFlatIP(self.dim)
        return faiss.IndexIDMap2(base)

    def ready(self):
        """The faiss index matching the store, loaded from disk or rebuilt from stored vectors."""
        generation = self.store.generation()
        if self._index is not None and self._generation == generation:
            return self._index
        if self.path.exists() and self._stamp_path().exists():
            stamp = json.loads(self._stamp_path().read_text())
            if stamp.get("generation") == generation and stamp.get("dim") == self.dim:
                self._index, self._generation = faiss.read_index(str(self.path)), generation
                return self._index
        self.rebuild()
        return self._index

    def rebuild(self) -> None:
        rows = list(self.store.vectors())
        index = self._new_index(len(rows))
        if rows:
            ids = np.array([r[0] for r in rows], dtype=np.int64)
            index.add_with_ids(as_matrix([r[1] for r in rows], self.dim), ids)
        self._index, self._generation = index, self.store.generation()
        self.save()

    def add(self, nums: list[int], matrix: np.ndarray, generation_before: int) -> None:
        """Add new passages after a write; rebuild instead if the index was already stale."""
        if self._index is None or self._generation != generation_before:
            self.rebuild()
            return
        if nums:
            self._index.add_with_ids(np.ascontiguousarray(matrix, dtype=np.float32), np.array(nums, dtype=np.int64))
        self._generation = self.store.generation()

    def sync(self) -> None:
        """Rebuild if the index lacks passages of the store: a search that reloaded it while another engine
        committed may have stamped it fresh without the new vectors; every passage has one vector."""
        if self.ready().ntotal != self.store.counts().passages:
            self.rebuild()

    def _is_hnsw(self) -> bool:
        return "HNSW" in type(faiss.downcast_index(self._index.index)).__name__

    def save(self) -> None:
        """Keep an HNSW index on disk (slow to build); a flat one is rebuilt from the store when needed."""
        if self._index is None or not self._is_hnsw():
            for path in (self.path, self._stamp_path()):
                path.unlink(missing_ok=True)
            return
        tmp = self.path.with_suffix(".tmp")
        faiss.write_index(self._index, str(tmp))
        tmp.replace(self.path)
        stamp = {
            "generation": self._generation,
            "dim": self.dim,
            "size": int(self._index.ntotal),
            "kind": "hnsw",
        }
        self._stamp_path().write_text(json.dumps(stamp))

    def search(self, query: np.ndarray, k: int, allowed: set[int] | None = None) -> list[tuple[int, float]]:
        """The k nearest passages to one normalised query vector, as (number, inner product)."""
        index = self.ready()
        if index.ntotal == 0:
            return []
        q = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
        if allowed is not None and not self._is_hnsw():
            return self._selected(index, q, k, allowed)
        if allowed is not None and len(allowed) < max(4 * k, index.ntotal // 4):
            return self._exact(q, k, allowed)
        fetch = min(index.ntotal, k if allowed is None else 4 * k)
        scores, ids = index.search(q, fetch)
        out = [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]
        if allowed is not None:
            out = [hit for hit in out if hit[0] in allowed]
        return out[:k]

    @staticmethod
    def _selected(index, q: np.ndarray, k: int, allowed: set[int]) -> list[tuple[int, float]]:
        """Exact search of a flat index over the allowed passages only (a faiss ID selector: no vector is
        read from the store, and the scan skips the others)."""
        if not allowed:
            return []
        selector = faiss.IDSelectorBatch(np.fromiter(allowed, dtype=np.int64, count=len(allowed)))
        scores, ids = index.search(q, min(k, len(allowed)), params=faiss.SearchParameters(sel=selector))
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]

    def _exact(self, q: np.ndarray, k: int, allowed: set[int]) -> list[tuple[int, float]]:
        rows = self.store.vectors_of(sorted(allowed))
        if not rows:
            return []
        matrix = as_matrix([r[1] for r in rows], self.dim)
        scores = matrix @ q[0]
        order = np.argsort(-scores)[:k]
        return [(rows[i][0], float(scores[i])) for i in order]


class StoreVectorIndex:
    """The vector index of a store that searches its own vectors (PostgreSQL with pgvector): nothing is kept
    in this process, so every server on the store sees a write as soon as it commits."""

    def __init__(self, store: Store, dim: int):
        self.store = store
        self.dim = dim

    def ready(self) -> None:
        return None

    def rebuild(self) -> None:
        return None

    def add(self, nums: list[int], matrix: np.ndarray, generation_before: int) -> None:
        return None

    def save(self) -> None:
        return None

    def sync(self) -> None:
        return None

    def search(self, query: np.ndarray, k: int, allowed: set[int] | None = None) -> list[tuple[int, float]]:
        """The k nearest passages to one normalised query vector, as (number, inner product)."""
        return self.store.nearest(query, k, allowed)
