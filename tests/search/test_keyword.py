"""BM25 against a hand calculation and a brute-force scorer."""

import math
import random

import numpy as np

from kg.backends import open_store
from kg.records import NewDocument, NewPassage, NewSection
from kg.store import Store
from search.keyword import K1, B, KeywordIndex, idf, term_score


def _add(store: Store, doc_id: str, texts: list[list[str]]) -> None:
    rows = [NewPassage(f"{doc_id}{i}", " ".join(t), tuple(t), b"\0" * 4, None, 0, i, 0, 1) for i, t in enumerate(texts)]
    store.add_document(NewDocument(doc_id, doc_id, doc_id, doc_id, "x", 0, 1), [NewSection("", "other")], rows)


def test_bm25_matches_hand_calculation(tmp_path):
    store = Store(tmp_path)
    _add(store, "d", [["软弱涣散", "整顿"], ["整顿", "整顿", "班子", "调整"], ["集体经济"]])
    hits = dict(KeywordIndex(store).search(["整顿"], 10))
    n, avg = 3, (2 + 4 + 1) / 3
    df = 2
    w = math.log(1 + (n - df + 0.5) / (df + 0.5))
    expected_first = w * 1 * (K1 + 1) / (1 + K1 * (1 - B + B * 2 / avg))
    expected_second = w * 2 * (K1 + 1) / (2 + K1 * (1 - B + B * 4 / avg))
    nums = sorted(hits)
    assert math.isclose(hits[nums[0]], expected_first, rel_tol=1e-9)
    assert math.isclose(hits[nums[1]], expected_second, rel_tol=1e-9)
    assert len(hits) == 2


def test_bm25_ranking_equals_brute_force(tmp_path):
    store = Store(tmp_path)
    docs = [
        ["村", "集体经济", "薄弱"],
        ["集体经济", "发展", "集体经济"],
        ["党员", "教育"],
        ["薄弱", "村", "整顿", "党员"],
    ]
    _add(store, "d", docs)
    query = ["集体经济", "薄弱", "党员"]
    avg = sum(map(len, docs)) / len(docs)
    brute = {}
    for i, doc in enumerate(docs, start=1):
        score = 0.0
        for term in query:
            if term in doc:
                df = sum(term in d for d in docs)
                score += idf(len(docs), df) * term_score(doc.count(term), len(doc), avg)
        if score:
            brute[i] = score
    got = KeywordIndex(store).search(query, 10)
    assert [n for n, _ in got] == sorted(brute, key=lambda n: (-brute[n], n))
    for num, score in got:
        assert math.isclose(score, brute[num], rel_tol=1e-9)


def test_allowed_filter_and_empty_query(tmp_path):
    store = Store(tmp_path)
    _add(store, "d", [["整顿"], ["整顿", "班子"]])
    index = KeywordIndex(store)
    assert index.search([], 5) == []
    assert [n for n, _ in index.search(["整顿"], 5, allowed={2})] == [2]


def test_postings_follow_remove(tmp_path):
    store = Store(tmp_path)
    _add(store, "a", [["整顿", "班子"]])
    _add(store, "b", [["集体经济"]])
    index = KeywordIndex(store)
    assert index.search(["整顿"], 5)
    store.remove_document("a")
    assert index.search(["整顿"], 5) == []
    assert index.search(["集体经济"], 5)


def test_terms_are_packed_one_row_per_passage(tmp_path):
    store = Store(tmp_path)
    _add(store, "d", [["整顿", "整顿", "班子"], ["班子"]])
    rows = list(store.passage_terms())
    assert [(num, n) for num, n, _ in rows] == [(1, 3), (2, 1)]
    index = KeywordIndex(store)
    assert index.containing("整顿") == {1}


def test_old_schema_is_refused_with_the_fix(tmp_path):
    import sqlite3

    import pytest

    from kg.errors import StoreError

    conn = sqlite3.connect(tmp_path / "djkg.sqlite")
    conn.execute("PRAGMA user_version=1")
    conn.close()
    with pytest.raises(StoreError, match="ingest the documents again"):
        Store(tmp_path)


def test_share_of_passages_holding_all_terms(tmp_path):
    store = Store(tmp_path)
    _add(store, "d", [["党组织", "覆盖"], ["党组织", "整顿"], ["党组织"], ["集体经济", "覆盖"]])
    index = KeywordIndex(store)
    assert index.share(["党组织"]) == 0.75
    assert index.share(["覆盖"]) == 0.5
    assert index.share(["党组织", "覆盖"]) == 0.25
    assert index.share(["覆盖", "未见过的词"]) == 0.0
    assert index.share([]) == 0.0


def _same_postings(a, b) -> None:
    for name in ("indptr", "nums", "tfs", "norm", "passages", "lengths"):
        assert np.array_equal(getattr(a, name), getattr(b, name)), name
    assert (a.n_docs, a.n_tokens) == (b.n_docs, b.n_tokens)


def test_refreshed_postings_equal_a_full_build(store_db):
    """After adds and removals by another writer, the index reads only what changed and ends with the very
    arrays a fresh index builds (oracle), so BM25 scores agree to the last bit."""
    rnd = random.Random(5)
    words = ["整顿", "班子", "集体经济", "党员", "教育", "薄弱", "村", "覆盖", "网格", "议事"]
    store, writer = open_store(store_db), open_store(store_db)
    _add(writer, "a", [[rnd.choice(words) for _ in range(rnd.randint(1, 9))] for _ in range(30)])
    index = KeywordIndex(store)
    index.search(["整顿"], 5)
    for step, doc_id in enumerate(["b", "c", "d"]):
        _add(writer, doc_id, [[rnd.choice(words) for _ in range(rnd.randint(1, 9))] for _ in range(10 + step)]
             + [["新词" + doc_id, "整顿"]])
        if step == 1:
            writer.remove_document("a")
        if step == 2:
            writer.remove_document("b")
        store.expire_generation()
        fresh = KeywordIndex(open_store(store_db))
        for query in (["整顿", "班子"], ["新词c", "党员"], words):
            assert index.search(query, 50) == fresh.search(query, 50)
        _same_postings(index._ready(), fresh._ready())
    assert index.search(["新词b"], 5) == []
