"""The plain-BM25 peer: Okapi BM25 over jieba's tokens of the same stored passages djkg answers from.

    python -m tests.benchmarks.peer_bm25 --db STORE --queries QUERIES.jsonl [--eval ../shared/eval] [-k 10]

The issues measure djkg against "plain BM25 over the same passages": a search answer is its first k passages,
an experience answer the same passages posing as practices (each passage its own result and evidence). This
scores both kinds with the shared evaluator's own `score_query`, so its figures sit beside `evaluate.py
retrieval` on the same store: it is how the README compares djkg with BM25 on pages written here, which the
peers were never run on. jieba's own dictionary, without djkg's user words or question handling: the peer is
plain on purpose. Not part of the test suite's figures.
"""

from __future__ import annotations

import argparse
import json
import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import jieba

from kg.backends import open_store
from tests.benchmarks.ablation import load_evaluator

# Okapi BM25's usual constants (Robertson & Zaragoza 2009), not tuned on any question set.
K1 = 1.5
B = 0.75


@dataclass(frozen=True)
class PeerPassage:
    text: str
    doc_id: str


class Bm25:
    """Okapi BM25 over a list of passages, tokenised by a jieba tokenizer of its own (search mode)."""

    def __init__(self, passages: list[PeerPassage]):
        self.passages = passages
        self.tokenizer = jieba.Tokenizer()
        docs = [self.tokens(p.text) for p in passages]
        self.lengths = [len(d) for d in docs]
        self.average = sum(self.lengths) / max(len(docs), 1)
        self.frequencies = [Counter(d) for d in docs]
        self.df = Counter(term for d in docs for term in set(d))

    def tokens(self, text: str) -> list[str]:
        """jieba's search-mode words with at least one letter or digit (punctuation and spaces dropped).

        >>> Bm25([]).tokens("支部建在网格上，党员住进楼栋里。")[:3]
        ['支部', '建', '在']
        """
        return [w for w in self.tokenizer.lcut_for_search(text) if any(ch.isalnum() for ch in w)]

    def idf(self, term: str) -> float:
        n = len(self.passages)
        return math.log(1 + (n - self.df[term] + 0.5) / (self.df[term] + 0.5))

    def top(self, query: str, k: int) -> list[PeerPassage]:
        terms = self.tokens(query)
        scores = []
        for i, tf in enumerate(self.frequencies):
            norm = K1 * (1 - B + B * self.lengths[i] / self.average)
            scores.append(sum(self.idf(t) * tf[t] * (K1 + 1) / (tf[t] + norm) for t in terms if t in tf))
        best = sorted(range(len(scores)), key=lambda i: (-scores[i], i))[:k]
        return [self.passages[i] for i in best if scores[i] > 0]


def stored_passages(db: Path | str) -> list[PeerPassage]:
    """Every stored passage with the first document holding it, in storage order."""
    store = open_store(db)
    nums = list(store.passage_nums(upto=2**62))
    found = store.passages(nums)
    return [PeerPassage(found[n].text, found[n].doc_id) for n in nums if n in found]


def answer(peer: Bm25, query: str, kind: str, k: int) -> list[dict]:
    """The peer's answer in the evaluator's JSON shape (see evaluate.py's docstring)."""
    hits = peer.top(query, k)
    if kind == "search":
        return [{"text": p.text, "doc_id": p.doc_id} for p in hits]
    return [{"name": p.text[:20], "evidence": [{"text": p.text, "doc_id": p.doc_id}]} for p in hits]


def measure(peer: Bm25, evaluator, questions: list[dict], k: int) -> dict[str, dict]:
    """Recall@k, nDCG@k and relevant documents per answer, for each kind of question."""
    out: dict[str, dict] = {}
    for kind in ("search", "experience"):
        scores = [evaluator.score_query(q, answer(peer, q["query"], kind, k), kind, k)
                  for q in questions if q["kind"] == kind]
        if scores:
            n = len(scores)
            out[kind] = {"queries": n, "recall@k": round(sum(s["recall"] for s in scores) / n, 3),
                         "ndcg@k": round(sum(s["ndcg"] for s in scores) / n, 3),
                         "mean_relevant_docs": round(sum(s["rel_docs"] for s in scores) / n, 2)}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.peer_bm25",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="a djkg store (folder or postgresql:// URL)")
    parser.add_argument("--queries", type=Path, required=True, help="questions with gold, as evaluate.py reads")
    parser.add_argument("--eval", type=Path, default=Path(__file__).resolve().parents[3] / "shared" / "eval",
                        help="folder of the shared evaluate.py")
    parser.add_argument("-k", type=int, default=10)
    args = parser.parse_args(argv)
    evaluator = load_evaluator(args.eval)
    questions = evaluator.read_jsonl(args.queries)
    print(json.dumps(measure(Bm25(stored_passages(args.db)), evaluator, questions, args.k), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
