"""The reranker: its features by hand, its weights file, and the order search returns."""

import random
import shutil

import numpy as np
import pytest

from api.settings import DEFAULT_LEXICON
from search.engine import Engine, EngineConfig, validate_query
from search.rerank import (
    FEATURES,
    WEIGHTS_FILE,
    Candidate,
    Question,
    Reranker,
    asks_problems,
    features,
    longest_run,
    parse_weights,
)
from tests.benchmarks.fit_rerank import fit


def column(name: str) -> int:
    return FEATURES.index(name)


def candidate(num, text, doc="d1", title="", heading="", role="practice"):
    return Candidate(num, text, doc, title, heading, role, 0)


def test_features_by_hand():
    question = Question("流动党员管理", {"流动": 2.0, "党员": 1.0, "管理": 1.0}, frozenset({"流动", "动党", "党员",
                        "员管", "管理"}), ("流动党员",))
    cands = [candidate(1, "流动党员管理办法", title="流动党员", heading="管理"),
             candidate(2, "党员", doc="d2", role="problem")]
    fused = {1: 0.2, 2: 0.1}
    keyword = [(1, 8.0), (2, 2.0)]
    vector = [(2, 0.9), (1, 0.7)]
    rows = features(question, cands, fused, keyword, vector, np.array([0.7, 0.9]))
    first, second = rows
    assert first[column("fused")] == 1.0 and second[column("fused")] == 0.5
    assert first[column("keyword_rank")] == pytest.approx(1 - np.log(2) / np.log(101))
    assert second[column("vector_rank")] == pytest.approx(1 - np.log(2) / np.log(101))
    assert second[column("keyword_score")] == 0.25
    assert first[column("vector_score")] == 0.0 and second[column("vector_score")] == 1.0
    assert first[column("cosine")] == pytest.approx(-1.0) and second[column("cosine")] == pytest.approx(1.0)
    assert first[column("longest_match")] == pytest.approx(6 / 8)
    assert first[column("term_cover")] == 1.0 and second[column("term_cover")] == 0.25
    assert first[column("pair_cover")] == 1.0 and second[column("pair_cover")] == 0.2
    assert first[column("title_cover")] == 0.75 and first[column("heading_cover")] == 0.25
    assert first[column("name_match")] == 1.0 and second[column("name_match")] == 0.0
    assert second[column("document_best")] == 0.5
    assert second[column("problem_unasked")] == 1.0 and second[column("problem_asked")] == 0.0
    assert first[column("problem_unasked")] == 0.0


def test_a_candidate_absent_from_a_list_scores_zero_there():
    question = Question("网格", {"网格": 1.0}, frozenset(), ())
    rows = features(question, [candidate(5, "网格")], {5: 1.0}, [(5, 3.0)], [], np.array([0.5]))
    assert rows[0][column("vector_rank")] == 0.0 and rows[0][column("vector_score")] == 0.0
    assert rows[0][column("both_lists")] == 0.0


def test_longest_run_agrees_with_brute_force():
    rng = random.Random(7)
    alphabet = "党员支部村社区网格"
    for _ in range(200):
        question = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        brute = max((j - i for i in range(len(question)) for j in range(i + 1, len(question) + 1)
                     if question[i:j] in text), default=0)
        assert longest_run(question, text) == brute


def test_question_intent():
    assert asks_problems("社区工作面临的主要困难有哪些")
    assert asks_problems("为什么年轻人不愿意入党")
    assert not asks_problems("软弱涣散村党组织怎么整顿")
    assert not asks_problems("面临人才流失，有什么办法")


def test_weights_round_trip_and_errors():
    model = Reranker(tuple(float(i) / 8 for i in range(len(FEATURES))), -2.5)
    assert parse_weights(model.to_tsv().splitlines()) == model
    with pytest.raises(ValueError, match="unknown rerank feature 'colour'.*fused"):
        parse_weights(["colour\t1"])
    with pytest.raises(ValueError, match="lack .*length.*fit_rerank"):
        parse_weights([f"{n}\t1" for n in FEATURES if n != "length"])


def test_the_fit_weighs_the_feature_that_tells_relevance():
    rng = np.random.default_rng(3)
    rows = rng.random((600, len(FEATURES)))
    labels = (rows[:, column("heading_cover")] > 0.8).astype(float)
    model = fit(rows, labels, l2=1.0)
    weights = np.abs(model.weights)
    assert int(np.argmax(weights)) == column("heading_cover")
    order = np.argsort(-model.score(rows))
    assert labels[order[: int(labels.sum())]].mean() > 0.95


def test_search_orders_by_the_rerankers_score(demo_engine):
    query = "村干部报酬低、后继乏人"
    result = demo_engine.search(query, k=10)
    text = validate_query(query, 10)
    got = demo_engine.searcher.retrieved(text, demo_engine.encoder.encode([text], query=True)[0], None)
    expected = demo_engine.searcher.ranked(got)
    assert demo_engine.searcher.reranker is not None
    best = sorted(expected, key=lambda n: (-expected[n], n))[:10]
    assert [h.passage_id for h in result.hits] == [demo_engine.store.passages([n])[n].passage_id for n in best]
    assert [h.score for h in result.hits] == sorted((h.score for h in result.hits), reverse=True)


def test_without_weights_search_keeps_the_fused_order(demo_store, tmp_path):
    lexicon = tmp_path / "lexicon"
    shutil.copytree(DEFAULT_LEXICON, lexicon)
    (lexicon / WEIGHTS_FILE).unlink()
    engine = Engine(EngineConfig(db=demo_store, lexicon_dir=lexicon))
    assert engine.searcher.reranker is None
    result = engine.search("为民服务全程代理", k=5, explain=True)
    fused = [h.explain["fused"] for h in result.hits]
    assert [h.score for h in result.hits] == pytest.approx(fused, abs=1e-6)
    assert fused == sorted(fused, reverse=True)
