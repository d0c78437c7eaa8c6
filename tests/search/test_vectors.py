"""Vector index: flat search equals brute force; HNSW recall is checked against flat."""

import numpy as np

from kg.records import NewDocument, NewPassage, NewSection
from kg.store import Store
from kg.vectors import as_matrix, to_blob
from search.vectors import VectorIndex


def _store_with_vectors(tmp_path, matrix: np.ndarray) -> Store:
    store = Store(tmp_path)
    rows = [NewPassage(f"p{i}", f"t{i}", ("t",), to_blob(matrix[i]), None, 0, i, 0, 1) for i in range(len(matrix))]
    store.add_document(NewDocument("d", "s", "t", "p", "x", 0, 1), [NewSection("", "other")], rows)
    return store


def _unit(rng, n, dim):
    m = rng.standard_normal((n, dim)).astype(np.float32)
    return m / np.linalg.norm(m, axis=1, keepdims=True)


def test_flat_equals_brute_force(tmp_path):
    rng = np.random.default_rng(0)
    matrix = _unit(rng, 300, 32)
    store = _store_with_vectors(tmp_path, matrix)
    index = VectorIndex(store, 32, kind="flat")
    query = _unit(rng, 1, 32)[0]
    got = [n for n, _ in index.search(query, 10)]
    expected = list(np.argsort(-(matrix @ query))[:10] + 1)
    assert got == expected


def test_hnsw_recall_against_flat(tmp_path):
    rng = np.random.default_rng(1)
    matrix = _unit(rng, 3000, 64)
    store = _store_with_vectors(tmp_path, matrix)
    flat = VectorIndex(store, 64, kind="flat")
    hnsw = VectorIndex(store, 64, kind="hnsw")
    hnsw.path = tmp_path / "hnsw.faiss"
    queries = _unit(rng, 50, 64)
    recall = []
    for q in queries:
        truth = {n for n, _ in flat.search(q, 10)}
        approx = {n for n, _ in hnsw.search(q, 10)}
        recall.append(len(truth & approx) / 10)
    assert np.mean(recall) >= 0.95


def test_auto_picks_by_size_keeps_only_hnsw_on_disk(tmp_path):
    import faiss

    rng = np.random.default_rng(2)
    store = _store_with_vectors(tmp_path, _unit(rng, 50, 16))
    small = VectorIndex(store, 16, kind="auto", hnsw_threshold=100)
    assert "HNSW" not in type(small.ready().index).__name__
    assert not small.path.exists()  # flat: rebuilt from the store, nothing on disk
    big = VectorIndex(store, 16, kind="auto", hnsw_threshold=10)
    assert "HNSW" in type(faiss.downcast_index(big.ready().index)).__name__
    saved = big.path.stat().st_mtime_ns
    again = VectorIndex(store, 16, kind="auto", hnsw_threshold=10)
    assert again.ready().ntotal == 50
    assert again.path.stat().st_mtime_ns == saved  # loaded from disk: same generation, no rebuild


def test_float16_storage_keeps_cosines(tmp_path):
    rng = np.random.default_rng(4)
    matrix = _unit(rng, 200, 512)
    stored = as_matrix([to_blob(row) for row in matrix], 512)
    assert len(to_blob(matrix[0])) == 512 * 2
    assert np.abs(stored @ matrix[0] - matrix @ matrix[0]).max() < 1e-3


def test_filtered_search_only_returns_allowed(tmp_path):
    rng = np.random.default_rng(3)
    matrix = _unit(rng, 100, 16)
    store = _store_with_vectors(tmp_path, matrix)
    index = VectorIndex(store, 16, kind="flat")
    got = index.search(matrix[5], 5, allowed={6, 7, 8})
    assert {n for n, _ in got} <= {6, 7, 8}
    assert len(got) == 3
    # exact over the allowed passages, in order, at any share of the index
    for allowed in ({n for n in range(1, 101) if n % 3 == 0}, set(range(1, 90)), {42}):
        got = index.search(matrix[5], 10, allowed=allowed)
        ranked = sorted(allowed, key=lambda n: -float(matrix[n - 1] @ matrix[5]))[:10]
        assert [n for n, _ in got] == ranked
        assert np.allclose([s for _, s in got], [matrix[n - 1] @ matrix[5] for n in ranked], atol=2e-3)
    assert index.search(matrix[5], 5, allowed=set()) == []
