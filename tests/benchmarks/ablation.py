"""Experience ablation: recall@10 and relevant documents with each candidate route removed in turn.

    python -m tests.benchmarks.ablation --db STORE --queries ../shared/devweb/queries.jsonl [--eval ../shared/eval]

Scores with the shared evaluator's own functions (imported from --eval), in one process over one store, so the
rows differ only in the routes used. Not part of the test suite; the README's ablation table comes from it.
"""

from __future__ import annotations

import argparse
import importlib.util
from pathlib import Path

from api.settings import DEFAULT_LEXICON
from search.engine import Engine, EngineConfig
from search.experience import CaseBuilder, routes


def load_evaluator(folder: Path):
    spec = importlib.util.spec_from_file_location("evaluate", folder / "evaluate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def measure(engine: Engine, evaluator, questions: list[dict], disabled: frozenset[str], k: int) -> dict:
    engine.experience_finder.disabled = disabled
    scores = []
    for q in questions:
        answer = engine.experience(q["query"], k=k).to_json()
        scores.append(evaluator.score_query(q, answer["results"], "experience", k))
    n = len(scores)
    return {"recall@k": round(sum(s["recall"] for s in scores) / n, 3),
            "mean_relevant_docs": round(sum(s["rel_docs"] for s in scores) / n, 2)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.ablation", description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--queries", type=Path, required=True)
    parser.add_argument("--eval", type=Path, default=Path(__file__).resolve().parents[3] / "shared" / "eval")
    parser.add_argument("-k", type=int, default=10)
    args = parser.parse_args(argv)
    evaluator = load_evaluator(args.eval)
    questions = [q for q in evaluator.read_jsonl(args.queries) if q["kind"] == "experience"]
    engine = Engine(EngineConfig(db=args.db, lexicon_dir=DEFAULT_LEXICON))
    rows = [("all routes", frozenset())]
    rows += [(f"without {route}", frozenset({route})) for route in routes.ROUTES if route != routes.MAIN]
    rows += [("main route only", frozenset(routes.ROUTES) - {routes.MAIN})]
    print("| experience | recall@10 | relevant documents |\n|---|---|---|")
    for label, disabled in rows:
        result = measure(engine, evaluator, questions, disabled, args.k)
        print(f"| {label} | {result['recall@k']:.3f} | {result['mean_relevant_docs']:.2f} |", flush=True)
    # parts of the main route and of the cases, each switched off in turn (module constants and methods are
    # patched in this process only, then restored)
    parts = [("main route without feedback", routes, "FEEDBACK_WEIGHT", 0.0),
             ("without continuing passages in the evidence", CaseBuilder, "item_run", lambda self, num: []),
             ("without lead statements (passages extraction named nothing in)", CaseBuilder, "statement",
              lambda self, candidate: None)]
    for label, owner, name, value in parts:
        saved = getattr(owner, name)
        setattr(owner, name, value)
        try:
            result = measure(engine, evaluator, questions, frozenset(), args.k)
        finally:
            setattr(owner, name, saved)
        print(f"| {label} | {result['recall@k']:.3f} | {result['mean_relevant_docs']:.2f} |", flush=True)
    engine.store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

