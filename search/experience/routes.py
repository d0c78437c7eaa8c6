"""Routes to candidate passages for comparable experience. Each returns typed hits (which passage, which
route, its rank there and the route's own relevance), never a score mixed with another route's: the one
scoring function (score.py) combines them.

- `retrieve`, the main route: what `djkg search` would find among action passages, with pseudo-relevance
  feedback;
- `similar_problems`: reports describing a problem like the question's, then what those reports did;
- `addressing`: passages naming the practices that `addresses` relations link to the matched problems;
- `topic`: passages whose lead sets out to act on the topic of the question's problem (推进楼宇党建覆盖
  for 覆盖不到位).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from ingest.extract.lexicon import ProblemCategory
from ingest.tokenize import bigram_terms
from load.problems import ProblemMatcher
from search.experience.text import lead_end
from search.searcher import Searcher

MAIN = "retrieval"
SIMILAR_PROBLEM = "similar problem"
ADDRESSES = "addresses the problem"
TOPIC = "aims at the problem's topic"
ROUTES = (MAIN, SIMILAR_PROBLEM, ADDRESSES, TOPIC)

# Main route. Depth of each list fused (the searcher's CANDIDATES): on devweb's experience questions the
# gold passages among action passages are found by 0.81 of recall at 100, 0.54 at 30.
RETRIEVAL_DEPTH = 100
# Pseudo-relevance feedback (Rocchio's idea over BM25): the best FEEDBACK_PASSAGES passages of a first
# ranking lend their FEEDBACK_TERMS most distinctive terms (tf·idf) to a third keyword list at
# FEEDBACK_WEIGHT of the keyword list's weight. Colloquial questions (a village secretary's own words) share few
# words with reports; the first passages supply the reports' words. Devweb experience recall@10 0.37 at
# 0.3, 0.43 at 0.5, 0.42 at 0.7 (dev 0.8, 0.9, 0.9).
FEEDBACK_PASSAGES = 3
FEEDBACK_TERMS = 20
FEEDBACK_WEIGHT = 0.5
# No document context: lending a passage a share of its report's best score (a report is about one thing)
# helped once (devweb experience recall@10 0.40 at 0, 0.43 at 0.3), but once cases were named by their lead's
# action clause and only a lead's own statement was spent, it cost recall and documents: 0.607 / 1.21 at 0,
# 0.577 / 1.14 at 0.05–0.1, 0.574 / 1.11 at 0.3 (dev 1.0 / 3.5 at 0, 1.0 / 3.0 at 0.3). The feedback terms of
# the best passages already carry their report's vocabulary.

# Extra routes: of the passages each reaches (thousands in a large store), the ones closest to the question.
ROUTE_DEPTH = 60
# Reports whose problem passages are among the best SIMILAR_PROBLEM_PASSAGES for the question.
SIMILAR_PROBLEM_PASSAGES = 10
# A topic held by more than this share of all passages (党组织, 党员: near half of them) names no goal in
# particular; the topics that do are rarer (覆盖, 集体经济, 报酬: about 1–6 % of passages on the demo corpus).
TOPIC_MAX_SHARE = 0.1
TOPIC_PASSAGES = 200


@dataclass(frozen=True)
class RouteHit:
    """A passage one route reached: its rank there (1 = best) and the route's relevance in [0, 1]
    (1 for the route's best passage)."""

    num: int
    route: str
    rank: int
    relevance: float


def _ranked(route: str, scores: dict[int, float]) -> list[RouteHit]:
    if not scores:
        return []
    top = max(scores.values()) or 1.0
    order = sorted(scores, key=lambda n: (-scores[n], n))
    return [RouteHit(n, route, i, scores[n] / top) for i, n in enumerate(order, start=1)]


def feedback_terms(searcher: Searcher, nums: list[int], question_terms: set[str]) -> tuple[str, ...]:
    """The most distinctive terms (tf·idf) of the passages `nums`, other than the question's own."""
    passages = searcher.store.passages(nums)
    counts: Counter[str] = Counter()
    for passage in passages.values():
        counts.update(searcher.tokenizer.terms(passage.text))
    idf = searcher.keyword.idf([t for t in counts if t not in question_terms])
    weighted = sorted(idf, key=lambda t: (-counts[t] * idf[t], t))
    return tuple(weighted[:FEEDBACK_TERMS])


def retrieve(searcher: Searcher, text: str, vector: np.ndarray, actions: set[int]) -> list[RouteHit]:
    """Hybrid retrieval over action passages, expanded by feedback."""
    if not actions:
        return []
    first = searcher.fused(text, vector, actions, RETRIEVAL_DEPTH)
    if not first:
        return []
    best = sorted(first, key=lambda n: (-first[n], n))[:FEEDBACK_PASSAGES]
    expansion = feedback_terms(searcher, best, set(searcher.tokenizer.terms(text)))
    return _ranked(MAIN, searcher.fused(text, vector, actions, RETRIEVAL_DEPTH, expansion, FEEDBACK_WEIGHT))


def _closest(searcher: Searcher, route: str, vector: np.ndarray, nums: set[int],
             depth: int = ROUTE_DEPTH) -> list[RouteHit]:
    if not nums:
        return []
    found = searcher.vectors.search(vector, min(depth, len(nums)), nums)
    return _ranked(route, {n: max(float(c), 0.0) for n, c in found})


# Where a report describes the problem it faced: its problem sections and its background (基本情况, the preamble:
# 村里党员老化, 开会凑不齐人 often stands there, before what was done). Experience recall@10 with background
# passages too: devweb 0.613 (same), dev 1.0 (same), the first two written sets 0.808 (same), the third 0.55 ->
# 0.575 (a question meeting a report's situation, not its measures, reaches the report).
PROBLEM_ROLES = ("problem", "background")


def similar_problems(searcher: Searcher, text: str, vector: np.ndarray, actions: set[int]) -> list[RouteHit]:
    """Practice and plan passages of the reports whose problem descriptions (PROBLEM_ROLES) are closest to the
    question."""
    problem_passages = set().union(*(searcher.role_passages(role) for role in PROBLEM_ROLES))
    ranked = searcher.fused(text, vector, problem_passages, SIMILAR_PROBLEM_PASSAGES) if problem_passages else {}
    if not ranked:
        return []
    reports = {p.doc_id for p in searcher.store.passages(list(ranked)).values()}
    answers = searcher.store.nums_with(doc_ids=reports) & actions
    answers &= searcher.role_passages("practice") | searcher.role_passages("plan")
    return _closest(searcher, SIMILAR_PROBLEM, vector, answers)


def addressing(searcher: Searcher, problem_ids: list[str], vector: np.ndarray,
               actions: set[int]) -> list[RouteHit]:
    """Passages naming a practice or measure that `addresses` one of the problems."""
    if not problem_ids:
        return []
    entities = searcher.store.graph.addressing(problem_ids)
    return _closest(searcher, ADDRESSES, vector, searcher.store.graph.nums_mentioning(entities) & actions)


def goal_topics(searcher: Searcher, matcher: ProblemMatcher, text: str,
                categories: list[str]) -> dict[str, ProblemCategory]:
    """The topics of the question's problems that name a goal in particular (see TOPIC_MAX_SHARE), each with
    its category (whose pattern tells what stating the problem looks like)."""
    found = matcher.topics(text, categories)
    return {topic: category for topic, category in found.items()
            if searcher.keyword.share(bigram_terms(topic)) <= TOPIC_MAX_SHARE}


def topic(searcher: Searcher, vector: np.ndarray, actions: set[int],
          topics: dict[str, ProblemCategory]) -> list[RouteHit]:
    """Action passages whose lead names one of `topics` without stating its problem."""
    if not topics or not actions:
        return []
    nums: set[int] = set()
    for name in topics:
        nums.update(n for n, _ in searcher.keyword.search(bigram_terms(name), TOPIC_PASSAGES, actions))
    aimed = set()
    for num, passage in searcher.store.passages(sorted(nums)).items():
        lead = passage.text[: lead_end(passage.text)]
        if any(name in lead and not category.pattern.search(lead) for name, category in topics.items()):
            aimed.add(num)
    return _closest(searcher, TOPIC, vector, aimed, len(aimed))
