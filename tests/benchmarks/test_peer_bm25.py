"""The plain-BM25 peer the README compares djkg with: its ranking, its reading of a real store, its scores."""

import pytest

from kg.backends import open_store
from tests.benchmarks.ablation import load_evaluator
from tests.benchmarks.peer_bm25 import Bm25, PeerPassage, answer, measure, stored_passages
from tests.conftest import SHARED

PASSAGES = [
    PeerPassage("村里推行积分制管理，党员每月亮积分，群众参与评议。", "a"),
    PeerPassage("社区组建帮老服务队，每周给独居老人送菜上门。", "b"),
    PeerPassage("街道召开会议，传达上级文件精神。", "c"),
]


def test_the_passage_sharing_the_rarest_words_comes_first_and_no_match_is_no_answer():
    peer = Bm25(PASSAGES)
    assert [p.doc_id for p in peer.top("独居老人没人照看怎么办", 3)] == ["b"]
    assert [p.doc_id for p in peer.top("党员积分怎么评议", 3)][0] == "a"
    assert peer.top("天气预报", 3) == []


def test_experience_answers_are_passages_posing_as_practices():
    found = answer(Bm25(PASSAGES), "积分制管理", "experience", 10)
    assert found == [{"name": PASSAGES[0].text[:20], "evidence": [{"text": PASSAGES[0].text, "doc_id": "a"}]}]


def test_it_reads_every_stored_passage_of_a_real_store(demo_store):
    passages = stored_passages(demo_store)
    store = open_store(demo_store)
    assert len(passages) == store.counts().passages
    assert {p.doc_id for p in passages} == set(store.document_ids())


@pytest.mark.skipif(not (SHARED / "eval" / "evaluate.py").exists(), reason="../shared/eval is not here")
def test_the_shared_evaluator_scores_its_answers():
    evaluator = load_evaluator(SHARED / "eval")
    questions = [{"id": "q1", "kind": "search", "query": "独居老人", "gold": ["每周给独居老人送菜上门"]},
                 {"id": "q2", "kind": "experience", "query": "街道开会", "gold": ["送菜上门", "传达上级文件精神"]}]
    figures = measure(Bm25(PASSAGES), evaluator, questions, 10)
    assert figures["search"] == {"queries": 1, "recall@k": 1.0, "ndcg@k": 1.0, "mean_relevant_docs": 1.0}
    assert figures["experience"]["recall@k"] == 0.5
