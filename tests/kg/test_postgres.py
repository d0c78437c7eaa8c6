"""PostgreSQL with pgvector as the store: the same answers as SQLite, explicit schema creation, migration."""

from __future__ import annotations

import json
import subprocess

import numpy as np
import pytest

import kg.postgres
from api.settings import DEFAULT_LEXICON
from kg.backends import open_store
from kg.errors import StoreError
from kg.migrate import copy_store
from kg.records import StoreCounts
from kg.vectors import as_matrix
from search.engine import Engine, EngineConfig
from tests.conftest import SHARED, djkg_command, pg_copy

DEV_QUERIES = SHARED / "eval" / "dev_queries.jsonl"
needs_dev = pytest.mark.skipif(not DEV_QUERIES.exists(), reason="../shared/eval is absent: no dev questions")


def answers(db, verb: str, questions: list[str], k: int = 10) -> list[dict]:
    """The CLI's JSON answers, one per question."""
    proc = subprocess.run([*djkg_command(), verb, "-", "--db", str(db), "-k", str(k), "--json"],
                          input="\n".join(questions) + "\n", capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr
    return [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]


def ranked(answer: dict) -> list[tuple]:
    if "hits" in answer:
        return [(h["doc_id"], h["text"]) for h in answer["hits"]]
    return [(r["name"], tuple((e["doc_id"], e["text"]) for e in r["evidence"])) for r in answer["results"]]


def dev_questions(kind: str) -> list[str]:
    rows = [json.loads(line) for line in DEV_QUERIES.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r["query"] for r in rows if r["kind"] == kind]


@pytest.mark.slow
@needs_dev
@pytest.mark.parametrize("verb", ["search", "experience"])
def test_postgres_gives_the_same_top_10_as_sqlite_on_the_dev_questions(demo_store, demo_pg, verb):
    """The demo corpus ingested into each backend by the real model: identical answers, in the same order."""
    questions = dev_questions(verb)
    assert questions
    on_sqlite = [ranked(a) for a in answers(demo_store, verb, questions)]
    on_postgres = [ranked(a) for a in answers(demo_pg, verb, questions)]
    assert all(on_sqlite)
    assert on_postgres == on_sqlite


@pytest.mark.slow
def test_migrate_copies_everything_and_the_copy_answers_alike(demo_store, postgres, tmp_path):
    url = postgres.database()
    proc = subprocess.run([*djkg_command(), "migrate", "--from", str(demo_store), "--to", url],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "passages" in proc.stdout
    source, copy = open_store(demo_store), open_store(url)
    assert copy.counts() == source.counts()
    assert copy.graph.counts() == source.graph.counts()
    assert copy.get_meta("model") == source.get_meta("model")
    nums = sorted(n for n, _ in source.vectors())
    assert dict(copy.vectors_of(nums)) == dict(source.vectors_of(nums))
    question = ["村集体经济薄弱怎么办"]
    assert ranked(answers(url, "search", question)[0]) == ranked(answers(demo_store, "search", question)[0])
    # new rows after the copy continue the ids instead of colliding with copied ones
    back = tmp_path / "back"
    copy_store(copy, open_store(back))
    assert open_store(back).counts() == source.counts()
    with pytest.raises(StoreError, match="already holds documents"):
        copy_store(source, copy)


def test_a_database_without_tables_is_refused_with_the_fix(postgres):
    url = postgres.database()
    with pytest.raises(StoreError, match="djkg init"):
        open_store(url)
    proc = subprocess.run([*djkg_command(), "init", "--db", url], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "0 documents" in proc.stdout
    assert open_store(url).counts() == StoreCounts(documents=0, passages=0)


def test_a_store_of_a_newer_schema_is_refused(postgres):
    url = postgres.database()
    store = open_store(url, create=True)
    store.set_meta("schema_version", "99")
    with pytest.raises(StoreError, match="newer djkg"):
        open_store(url)


def test_password_is_not_shown_in_messages():
    assert kg.postgres.redacted("postgresql://djkg:secret@db.example/djkg") == "postgresql://djkg:***@db.example/djkg"
    assert kg.postgres.redacted("postgresql://djkg@db.example/djkg") == "postgresql://djkg@db.example/djkg"


@pytest.mark.slow
def test_hnsw_and_filtered_vector_search_agree_with_exact(demo_store, postgres, monkeypatch):
    """Past EXACT_BELOW the HNSW index answers; its top 10 must hold (almost) all of the exact top 10, and a
    filter must still give k hits from the allowed passages."""
    url = pg_copy(postgres, demo_store)
    store = open_store(url)
    nums = [n for n, _ in store.vectors()]
    matrix = as_matrix([b for _, b in store.vectors()], 512)
    queries = matrix[:: max(1, len(nums) // 20)][:20]
    exact = [store.nearest(q, 10) for q in queries]
    monkeypatch.setattr(kg.postgres, "EXACT_BELOW", 0)
    approximate = [store.nearest(q, 10) for q in queries]
    overlap = np.mean([len({n for n, _ in a} & {n for n, _ in e}) / 10 for a, e in zip(approximate, exact,
                                                                                        strict=True)])
    assert overlap >= 0.9
    allowed = set(nums[: len(nums) // 2])
    for q in queries[:5]:
        hits = store.nearest(q, 10, allowed)
        assert len(hits) == 10 and all(n in allowed for n, _ in hits)
        scores = [s for _, s in hits]
        assert scores == sorted(scores, reverse=True)
        best = max(float(matrix[nums.index(n)] @ q) for n in allowed)
        assert abs(scores[0] - best) < 1e-3


@pytest.mark.slow
def test_an_engine_on_postgres_finds_what_it_ingested_and_forgets_what_it_removed(postgres, tmp_path):
    from tests.conftest import CORPUS, FakeEncoder

    url = postgres.database()
    open_store(url, create=True).close()
    engine = Engine(EngineConfig(db=url, lexicon_dir=DEFAULT_LEXICON, state_dir=tmp_path), encoder=FakeEncoder())
    engine.ingest([CORPUS / "000_78f7f8700922f765.txt"])
    doc = engine.store.documents()[0].doc_id
    text = engine.store.document_passages(doc)[3].text
    assert engine.search(text[:40], k=3).hits[0].text == text
    engine.remove(doc)
    assert all(h.doc_id != doc for h in engine.search(text[:40], k=10).hits)


QUESTIONS = ["村集体经济薄弱怎么办", "软弱涣散党组织整顿", "第一书记", "三会一课", "流动党员教育管理",
             "网格化管理", "非公企业党建", "为民服务全程代理", "党员发展", "基层党组织书记队伍建设"]


def test_djkg_migrate_to_postgres_keeps_bm25_and_search_top_10(tmp_path, postgres):
    """A SQLite store of the demo corpus (fake encoder) copied by `djkg migrate`: the copy ranks alike, BM25
    alone (same ids, same scores) and the hybrid search (same passages in the same order)."""
    from tests.conftest import CORPUS, FakeEncoder

    source = tmp_path / "sqlite"
    on_sqlite = Engine(EngineConfig(db=source, lexicon_dir=DEFAULT_LEXICON), encoder=FakeEncoder())
    on_sqlite.ingest([CORPUS])
    url = postgres.database()
    proc = subprocess.run([*djkg_command(), "migrate", "--from", str(source), "--to", url],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    on_postgres = Engine(EngineConfig(db=url, lexicon_dir=DEFAULT_LEXICON, state_dir=tmp_path / "state"),
                         encoder=FakeEncoder())
    assert on_postgres.stats() == on_sqlite.stats()
    questions = QUESTIONS + (dev_questions("search") + dev_questions("experience") if DEV_QUERIES.exists() else [])
    for question in questions:
        terms = on_sqlite.tokenizer.terms(question)
        assert on_postgres.tokenizer.terms(question) == terms
        bm25 = on_sqlite.searcher.keyword.search(terms, 10)
        assert bm25, question
        assert on_postgres.searcher.keyword.search(terms, 10) == bm25
        hits = [h.passage_id for h in on_sqlite.search(question, k=10).hits]
        assert [h.passage_id for h in on_postgres.search(question, k=10).hits] == hits, question
    proc = subprocess.run([*djkg_command(), "migrate", "--from", str(source), "--to", url],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode != 0 and "already holds documents" in proc.stderr
    on_sqlite.store.close()
    on_postgres.store.close()


def test_exact_vector_search_on_postgres_is_brute_force(postgres, tmp_path):
    """Below EXACT_BELOW every vector is scored: the k best by brute force, with or without a filter (the HNSW
    index must not answer: it stops at hnsw.ef_search rows)."""
    from tests.conftest import CORPUS, FakeEncoder

    url = postgres.database()
    open_store(url, create=True).close()
    engine = Engine(EngineConfig(db=url, lexicon_dir=DEFAULT_LEXICON, state_dir=tmp_path), encoder=FakeEncoder())
    engine.ingest(sorted(CORPUS.glob("*.txt"))[:4])
    stored = list(engine.store.vectors())
    nums = np.array([n for n, _ in stored])
    matrix = as_matrix([b for _, b in stored], FakeEncoder.dim)
    assert len(nums) > 60
    allowed = set(nums[::3].tolist())
    for question in QUESTIONS:
        q = FakeEncoder().encode([question], query=True)[0]
        scores = matrix @ q
        for subset, k in ((None, 50), (allowed, 10)):
            hits = engine.store.nearest(q, k, subset)
            keep = np.ones(len(nums), bool) if subset is None else np.isin(nums, sorted(subset))
            best = np.sort(scores[keep])[::-1][:k]
            assert len(hits) == k
            assert np.allclose([s for _, s in hits], best, atol=1e-5)
            by_num = dict(zip(nums.tolist(), scores.tolist(), strict=True))
            assert all(abs(by_num[n] - s) < 1e-5 for n, s in hits)
    engine.store.close()


def test_generation_is_read_at_most_once_per_interval(postgres):
    """A server asks PostgreSQL for the generation at most once per GENERATION_MAX_AGE_S, and at once after
    its own writes; another process's write shows after the interval."""
    import time

    url = postgres.database()
    mine, other = open_store(url, create=True), open_store(url)
    seen = mine.generation()
    other.add_user_words(["晨光议事会"])
    assert mine.generation() == seen
    time.sleep(kg.postgres.GENERATION_MAX_AGE_S)
    assert mine.generation() == seen + 1
    mine.add_user_words(["红色管家"])
    assert mine.generation() == seen + 2
    other.add_user_words([])
    assert other.generation() == seen + 2
    mine.close(), other.close()
    postgres.drop(url)


@pytest.mark.slow
def test_the_place_filter_reads_the_same_places_on_both_backends(demo_store, demo_pg):
    """Places linked by part_of and places whose chain of holding places names the filter (襄阳市 inside 湖北省)."""
    on = {db: Engine(EngineConfig(db=db, lexicon_dir=DEFAULT_LEXICON)).store.graph for db in (demo_store, demo_pg)}
    for name in ("湖北省", "湖北", "襄阳市", "上海市", "四川省"):
        families = [sorted(graph.place_family(name)) for graph in on.values()]
        assert families[0] == families[1], name
    assert any(n == "枣阳市" for _, n in on[demo_store].place_family("湖北省"))
