"""Reads a question takes from memory (kg/cache.py, PostgresStore.cached_reads): the same answers, in the same
order, as reads from the store; dropped when another process writes."""

from __future__ import annotations

import numpy as np
import pytest

import kg.postgres
from api.settings import DEFAULT_LEXICON
from kg.backends import open_store
from search.engine import Engine, EngineConfig
from search.vectors import as_matrix


def reads(store, nums: list[int], entity_ids: list[str], doc_ids: list[str]) -> dict:
    """Every read the cache serves, as plain values (lists keep the order the store gives)."""
    graph = store.graph
    return {
        "passages": list(store.passages(nums).items()),
        "passages, reversed": list(store.passages(nums[::-1]).items()),
        "siblings": [store.siblings(n) for n in nums],
        "sources": [store.sources_of(n) for n in nums],
        "sources, together": store.sources_of_many(nums[::-1] + [10**9]),
        "documents": [store.document(d) for d in [*doc_ids, "no such document"]],
        "counts": store.counts(),
        "entities_in": list(graph.entities_in(nums + nums[:3]).items()),
        "first_mentions": [graph.first_mentions(n) for n in nums],
        "entities": [graph.get(e) for e in [*entity_ids, "practice:no such practice"]],
        "entities, together": graph.get_many([*entity_ids[::-1], "practice:no such practice"]),
        "mentions": [graph.mentions(e, 40) for e in entity_ids],
        "addressing": graph.addressing([e for e in entity_ids if e.startswith("problem:")]),
        "nums_mentioning": graph.nums_mentioning(entity_ids[:5]),
    }


def test_cached_reads_give_what_the_store_gives(demo_db):
    store = open_store(demo_db)
    nums = [n for n, *_ in store.passage_terms()][::7]
    entity_ids = [e.id for e in store.graph.list(limit=60)]
    doc_ids = [d.doc_id for d in store.documents()]
    plain = reads(store, nums, entity_ids, doc_ids)
    with store.cached_reads():
        cold = reads(store, nums, entity_ids, doc_ids)
        warm = reads(store, nums, entity_ids, doc_ids)
    assert cold == plain
    assert warm == plain
    # experience names a case from entities_in (read for the whole pool), as first_mentions gives them
    together = store.graph.entities_in(nums)
    assert store.graph.get_many(entity_ids) == {e: store.graph.get(e) for e in entity_ids}
    assert all(store.graph.first_mentions(n) == together.get(n, []) for n in nums)
    counts = store.graph.document_counts()
    assert all(counts.get(e, 0) == store.graph.get(e).documents for e in entity_ids)
    store.close()


def test_a_cached_value_changed_by_its_reader_stays_as_stored(demo_pg):
    """An answer handed out is the caller's: changing it changes no later answer."""
    store = open_store(demo_pg)
    doc_id = store.documents()[0].doc_id
    with store.cached_reads():
        store.document(doc_id).meta["author"] = "changed"
        store.sources_of(1).append("changed")
        assert store.document(doc_id).meta.get("author") != "changed"
        assert "changed" not in store.sources_of(1)
    store.close()


def test_a_questions_vector_searches_give_the_hits_of_separate_scans(demo_pg):
    """Inside cached_reads a question's searches are answered from one scan of all vectors: the same passages
    and inner products, in the same order, as a scan per search."""
    store = open_store(demo_pg)
    stored = list(store.vectors())
    nums = [n for n, _ in stored]
    matrix = as_matrix([b for _, b in stored], 512)
    searches = [(1, None), (100, None), (10, set(nums[::2])), (60, set(nums[1::3])), (500, set(nums[::5])),
                (5, {nums[0]}), (3, set())]
    for q in matrix[:: len(nums) // 5][:5]:
        q = q + np.float32(0.01)
        q /= np.linalg.norm(q)
        separate = [store.nearest(q, k, allowed) for k, allowed in searches]
        with store.cached_reads():
            together = [store.nearest(q, k, allowed) for k, allowed in searches]
        assert together == separate
    store.close()


def test_a_questions_cosines_come_from_its_scan(demo_pg):
    """The reranker's cosines of candidates, inside a question whose vector was scanned, are the scan's inner
    products, in the order asked, equal to the stored vectors' to float32 rounding."""
    store = open_store(demo_pg)
    stored = list(store.vectors())
    nums = [n for n, _ in stored]
    q = as_matrix([stored[3][1]], 512)[0] + np.float32(0.02)
    q /= np.linalg.norm(q)
    wanted = [nums[7], nums[0], nums[-1], nums[7]]
    plain = store.inner_products(q, wanted)
    with store.cached_reads():
        store.nearest(q, 10)
        scanned = store.inner_products(q, wanted)
        all_nums, distances = store.question_memo()["scores"][q.astype(np.float32).tobytes()]
    assert scanned.tolist() == [float(np.float32(-distances[list(all_nums).index(n)])) for n in wanted]
    assert scanned.dtype == np.float32 and scanned.shape == (4,)
    assert np.allclose(scanned, plain, atol=1e-6)
    assert scanned[0] == scanned[3] and scanned[0] != scanned[1]
    store.close()


def test_binary_arrays_read_as_postgres_sends_them(postgres):
    import psycopg

    from kg.pgscan import binary_array

    with psycopg.connect(postgres.url) as conn:
        ints, floats, empty = conn.execute("SELECT array_send(ARRAY[5, -2, 9000000000]::bigint[]),"
                                           " array_send(ARRAY[0.5, -1.25]::float8[]),"
                                           " array_send(array_agg(x)) FROM (SELECT 1 AS x WHERE false) e").fetchone()
    assert binary_array(ints, ">i8").tolist() == [5, -2, 9000000000]
    assert binary_array(floats, ">f8").tolist() == [0.5, -1.25]
    assert empty is None


def test_cached_reads_follow_another_processs_write(postgres, tmp_path):
    """Each question reads the generation afresh: its cached reads see another server's upload or removal at
    once, as they see their own process's writes."""
    from tests.conftest import CORPUS, FakeEncoder

    url = postgres.database()
    open_store(url, create=True).close()
    files = sorted(CORPUS.glob("*.txt"))
    config = EngineConfig(db=url, lexicon_dir=DEFAULT_LEXICON, state_dir=tmp_path / "a")
    reader = Engine(config, encoder=FakeEncoder())
    writer = Engine(EngineConfig(db=url, lexicon_dir=DEFAULT_LEXICON, state_dir=tmp_path / "b"),
                    encoder=FakeEncoder())
    reader.ingest(files[:1])
    with reader.store.cached_reads():
        before = reader.store.counts().documents
    writer.ingest(files[1:2])
    with reader.store.cached_reads():
        after = reader.store.counts().documents
        assert after > before
        doc_id = writer.store.documents()[-1].doc_id
        assert reader.store.document(doc_id) is not None
    writer.remove(doc_id)
    with reader.store.cached_reads():
        assert reader.store.document(doc_id) is None
        assert reader.store.counts().documents == after - 1
    reader.store.close(), writer.store.close()
    postgres.drop(url)


def test_vectors_are_kept_in_the_row_and_init_moves_them_there(demo_store, postgres):
    """Out of line (TOAST, pgvector's default) every exact scan looks each vector up; `djkg init` moves the
    vectors of a store made before into the row, and its answers stay the same."""
    from tests.conftest import pg_copy

    url = pg_copy(postgres, demo_store)
    store = open_store(url)
    storage = "SELECT attstorage FROM pg_attribute WHERE attrelid = 'passages'::regclass AND attname = 'embedding'"
    assert store.conn.execute(storage).fetchone()[0] == "p"
    q = as_matrix([next(store.vectors())[1]], 512)[0]
    hits = store.nearest(q, 20)
    store.conn.execute("ALTER TABLE passages ALTER COLUMN embedding SET STORAGE EXTERNAL")
    store.conn.execute("VACUUM FULL passages")
    store.close()
    store = open_store(url, create=True)
    assert store.conn.execute(storage).fetchone()[0] == "p"
    assert store.nearest(q, 20) == hits
    store.close()
    postgres.drop(url)


@pytest.mark.parametrize("nums", [[], [5], [3, 1, 2]])
def test_int_array_is_a_literal_postgres_reads(postgres, nums):
    import psycopg

    with psycopg.connect(postgres.url) as conn:
        got = conn.execute("SELECT CAST(%s AS BIGINT[])", (kg.postgres.int_array(nums),)).fetchone()[0]
    assert got == sorted(nums)


@pytest.mark.parametrize("parts", [2, 3, 7])
def test_a_scan_cut_into_ranges_gives_the_scores_of_one_statement(demo_pg, parts):
    """The ranges of a cut scan, run at once on connections of their own, give every passage once with the
    distance one statement gives; the scanner's connections close with it."""
    import psycopg
    from pgvector.psycopg import register_vector

    from kg.pgscan import VectorScan

    opened = []

    def connect():
        conn = psycopg.connect(demo_pg, autocommit=True)
        register_vector(conn)
        opened.append(conn)
        return conn

    main = connect()
    low, high = main.execute("SELECT min(num), max(num) FROM passages").fetchone()
    count = main.execute("SELECT count(*) FROM passages").fetchone()[0]
    one, cut = VectorScan(connect, parts=1), VectorScan(connect, parts=parts, split_from=0)
    q = np.zeros(512, dtype=np.float32)
    q[::7] = 1.0
    q /= np.linalg.norm(q)
    whole_nums, whole = one.scores(main, q, (low, high), count)
    cut_nums, distances = cut.scores(main, q, (low, high), count)
    assert len(whole_nums) == count and whole_nums.tolist() == sorted(whole_nums.tolist())
    assert cut_nums.tolist() == whole_nums.tolist() and distances.tolist() == whole.tolist()
    assert 2 <= len(opened) <= parts  # the caller's connection ran the first range
    cut.close()
    assert all(conn.closed for conn in opened[1:])
    main.close()
