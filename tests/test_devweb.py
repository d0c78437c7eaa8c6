"""Experience on real pages: devweb's 48 pages with the seeds, its 28 experience questions, the shared evaluator.

Skipped, saying why, where ../shared is absent (a user's checkout). The floors are what djkg reaches now, so that
a change that loses ground fails; the experience issue's targets (recall@10 ≥ 0.70, ≥ 2.0 relevant documents)
are not reached yet, see the README's evaluation table.
"""

import json
import shutil
import subprocess
import sys

import pytest

from search.engine import Engine, EngineConfig
from tests.conftest import DEFAULT_LEXICON, SHARED, djkg_command

DEVWEB = SHARED / "devweb"
EVALUATE = SHARED / "eval" / "evaluate.py"
# Measured when this floor was set: recall@10 0.637, 1.29 relevant documents (search, same questions: 0.39).
MIN_RECALL = 0.61
MIN_RELEVANT_DOCUMENTS = 1.2

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (DEVWEB / "queries.jsonl").exists() or not EVALUATE.exists(),
                       reason="../shared/devweb or ../shared/eval is absent (a user's checkout): no pages to judge"),
]


def _questions(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def devweb_store(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("devweb-corpus")
    for path in [*(SHARED / "corpus").glob("*.txt"), *(DEVWEB / "docs").iterdir()]:
        shutil.copy(path, corpus / path.name)
    db = tmp_path_factory.mktemp("devweb") / "store"
    engine = Engine(EngineConfig(db=db, lexicon_dir=DEFAULT_LEXICON))
    reports = engine.ingest([corpus])
    assert all(r.ok for r in reports), [r for r in reports if not r.ok]
    engine.store.close()
    return db


def _evaluate(rows, db, tmp_path, name):
    path = tmp_path / f"{name}.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    proc = subprocess.run([sys.executable, str(EVALUATE), "retrieval", "--queries", str(path), "--db", str(db),
                           "--djkg", " ".join(djkg_command()), "-k", "10"],
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    print(proc.stdout)
    return json.loads(proc.stdout.splitlines()[0])


def test_devweb_experience_meets_the_floor_and_beats_search_on_the_same_questions(devweb_store, tmp_path):
    questions = [q for q in _questions(DEVWEB / "queries.jsonl") if q["kind"] == "experience"]
    assert len(questions) >= 20
    experience = _evaluate(questions, devweb_store, tmp_path, "experience")["experience"]
    as_search = _evaluate([{**q, "kind": "search"} for q in questions], devweb_store, tmp_path, "search")["search"]
    assert experience["recall@k"] >= MIN_RECALL, experience
    assert experience["mean_relevant_docs"] >= MIN_RELEVANT_DOCUMENTS, experience
    assert experience["recall@k"] >= as_search["recall@k"], (experience, as_search)


def test_no_devweb_or_dev_experience_question_is_refused(devweb_store):
    questions = [q["query"] for q in _questions(DEVWEB / "queries.jsonl") if q["kind"] == "experience"]
    questions += [q["query"] for q in _questions(SHARED / "eval" / "dev_queries.jsonl") if q["kind"] == "experience"]
    engine = Engine(EngineConfig(db=devweb_store, lexicon_dir=DEFAULT_LEXICON))
    try:
        refused = [(q, a.reason) for q in questions if not (a := engine.experience(q, k=10)).results]
    finally:
        engine.store.close()
    assert refused == []


def test_devweb_entities_meet_the_extraction_targets(devweb_store):
    """Issue 15's extraction targets on devweb: practices ≥ 0.85, places and indicators ≥ 0.90, ≤ 1 false practice."""
    proc = subprocess.run([sys.executable, str(EVALUATE), "entities", "--gold", str(DEVWEB / "entities.json"),
                           "--db", str(devweb_store), "--djkg", " ".join(djkg_command()), "-v"],
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    print(proc.stdout)
    figures = json.loads(proc.stdout.splitlines()[-1])
    assert figures["practice_recall"] >= 0.85, proc.stdout
    assert figures["place_recall"] >= 0.90, proc.stdout
    assert figures["indicator_recall"] >= 0.90, proc.stdout
    assert figures["practice_false"] <= 1, proc.stdout
