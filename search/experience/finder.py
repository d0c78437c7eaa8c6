"""Comparable experience, end to end: understand the question, gather candidates by every route, build and
score the cases, choose a diverse answer."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from load.problems import ProblemMatcher
from search.experience import routes
from search.experience.cases import Candidate, Case, CaseBuilder
from search.experience.score import passage_score
from search.experience.select import mmr
from search.experience.understand import Problem, Understander
from search.hits import Ranked
from search.memo import GenerationMemo
from search.searcher import Searcher, validate_query
from search.types import ExperienceAnswer, ExperienceResult

# Cases are built for the best CASE_POOL candidates by passage score (each costs graph look-ups); devweb
# experience recall@10 is the same from 60 up.
CASE_POOL = 80
ACTION_ROLES = ("practice", "plan", "other")
# A report's preamble (the text before its first heading: role "background") is mostly scene-setting, but a news
# item's lead often says what was done. A preamble passage naming an extracted practice or measure counts as an
# action passage. Devweb experience recall@10 / documents: 0.607 / 1.21 without, 0.637 / 1.29 with (no question
# lost; dev 1.0 / 3.5 both); every background passage instead: 0.583 / 1.21 (scene-setting crowds the pool).
STATING_TYPES = ("practice", "measure")


@dataclass(frozen=True)
class Answer:
    """What `find` returns: the problems understood, the chosen cases and, when there are none, why."""

    problems: tuple[Problem, ...]
    cases: tuple[Case, ...]
    reason: str = ""


def choose(cases: list[Case], k: int) -> list[tuple[Case, float, float]]:
    """Up to k cases by maximal marginal relevance over their lead's report and place, each passage backing
    one chosen case: a case whose lead an earlier choice already holds is passed over, and its other
    evidence loses the passages already shown. Returns (case, value, redundancy) as `mmr` does."""
    used: set[int] = set()

    def admit(case: Case) -> Case | None:
        if case.lead.passage.num in used:
            return None
        evidence = tuple(c for c in case.evidence if c.passage.num not in used)
        used.update(c.passage.num for c in evidence)
        return replace(case, evidence=evidence)

    return mmr(cases, k, lambda c: c.score, lambda c: (c.lead.passage.doc_id, c.lead.passage.place), admit)


class ExperienceFinder:
    """The experience search over one searcher; `disabled` names routes left out (for the ablation table).

    `problems` gives the problem matcher that extraction uses too (built when first needed).
    """

    def __init__(self, searcher: Searcher, problems: Callable[[], ProblemMatcher], lexicon_dir: Path,
                 disabled: frozenset[str] = frozenset()):
        self.searcher = searcher
        self.store = searcher.store
        self._problems = problems
        self.understander = Understander(searcher, problems, lexicon_dir)
        self.disabled = disabled
        self._memo = GenerationMemo(self.store)

    def document_counts(self) -> dict[str, int]:
        """Documents mentioning each entity, read once per store generation (every case reads several)."""
        return self._memo.get("documents", self.store.graph.document_counts)

    def action_verbs(self) -> re.Pattern:
        """The lexicon's action verbs (建立, 推行…): a case named by a passage's own statement is named by a
        clause holding one, when its first sentences have such a clause. A verb ending a noun (党组织, 党建设)
        does not count."""
        lexicon = self._problems().lexicon
        return lexicon.pattern("statement:action", lambda: "(?<!党)" + lexicon.alternation("action_verb"))

    def warm(self) -> None:
        self.understander.background()

    def stating_preambles(self) -> frozenset[int]:
        """Background passages naming a practice or measure (see STATING_TYPES), read once per store
        generation."""
        def read() -> frozenset[int]:
            preamble = sorted(self.searcher.role_passages("background"))
            named = self.store.graph.entities_in(preamble)
            return frozenset(n for n in preamble if any(e.type in STATING_TYPES for e in named.get(n, ())))
        return self._memo.get("stating preambles", read)

    def actions(self, allowed: set[int] | None) -> frozenset[int]:
        """The passages that may show what was done: those of ACTION_ROLES and the stating preambles (their
        union kept per store generation, not built again for every question)."""
        nums = self._memo.get("actions", lambda: frozenset().union(
            *(self.searcher.role_passages(role) for role in ACTION_ROLES), self.stating_preambles()))
        return nums & allowed if allowed is not None else nums

    def candidates(self, text: str, vector, problems: tuple[Problem, ...], actions: set[int],
                   topics: dict | None = None) -> list[Candidate]:
        """Every route's hits, merged per passage into typed candidates, best passage score first."""
        topics = topics or {}
        found = {
            routes.MAIN: lambda: routes.retrieve(self.searcher, text, vector, actions),
            routes.SIMILAR_PROBLEM: lambda: routes.similar_problems(self.searcher, text, vector, actions),
            routes.ADDRESSES: lambda: routes.addressing(self.searcher, [p.id for p in problems], vector, actions),
            routes.TOPIC: lambda: routes.topic(self.searcher, vector, actions, topics),
        }
        relevance: dict[int, float] = {}
        extra: dict[int, list[tuple[str, int]]] = {}
        for route, run in found.items():
            if route in self.disabled:
                continue
            for hit in run():
                if route == routes.MAIN:
                    relevance[hit.num] = hit.relevance
                else:
                    extra.setdefault(hit.num, []).append((route, hit.rank))
        nums = set(relevance) | set(extra)
        scored = {n: passage_score(relevance.get(n, 0.0), tuple(extra.get(n, ()))) for n in nums}
        best = sorted(nums, key=lambda n: (-scored[n], n))[:CASE_POOL]
        passages = self.store.passages(best)
        out = []
        for num in best:
            if num in passages:
                why = ", ".join(([routes.MAIN] if num in relevance else []) + [r for r, _ in extra.get(num, ())])
                out.append(Candidate(passages[num], scored[num], why, relevance.get(num, 0.0),
                                     tuple(extra.get(num, ()))))
        return out

    def find(self, text: str, k: int, allowed: set[int] | None) -> Answer:
        if not self.store.counts().passages:
            return Answer((), (), "the store is empty")
        understanding = self.understander.understand(text)
        if not understanding.domain.in_domain:
            return Answer((), (), understanding.domain.reason())
        topics = routes.goal_topics(self.searcher, self._problems(), text, [p.name for p in understanding.problems])
        problems = tuple(replace(p, topics=tuple(t for t, c in topics.items() if c.name == p.name))
                         for p in understanding.problems)
        actions = self.actions(allowed)
        pool = self.candidates(text, understanding.vector, problems, actions, topics)
        addressing = frozenset(self.store.graph.addressing([p.id for p in problems])) if problems else frozenset()
        cases = CaseBuilder(self.store, text, addressing, self.document_counts(), self.action_verbs()).build(pool, k)
        chosen = choose(cases, k)
        final = tuple(replace(case, score=round(value, 6), redundancy=red) for case, value, red in chosen)
        return Answer(problems, final, "" if final else "no practice or measure found for this question")

    def answer(self, problem: str, k: int = 10, place: str | None = None, exclude_place: str | None = None,
               explain: bool = False) -> ExperienceAnswer:
        """Comparable experience for a problem: practices and measures from other reports, with evidence."""
        started = time.perf_counter()
        text = validate_query(problem, k)
        self.searcher.follow()
        allowed = self.searcher.place_passages(place) if place else None
        if exclude_place:
            excluded = self.searcher.place_passages(exclude_place)
            allowed = (allowed if allowed is not None else set(self.searcher.role_passages(None))) - excluded
        found = self.find(text, k, allowed)
        pages = [[Ranked(i + 1, c.score, c.passage, {"found_by": c.why} if explain else {})
                  for i, c in enumerate(case.evidence)] for case in found.cases]
        every = iter(self.searcher.hits([r for page in pages for r in page]))  # read together, then cut up
        results = []
        for rank, (case, page) in enumerate(zip(found.cases, pages, strict=True), start=1):
            hits = tuple(next(every) for _ in page)
            results.append(ExperienceResult(rank, case.score, case.entity_id, case.name, case.type, case.places,
                                            tuple(i.to_json() for i in case.indicators), hits,
                                            case.explain() if explain else {}))
        took = (time.perf_counter() - started) * 1000
        return ExperienceAnswer(problem, took, tuple(p.to_json() for p in found.problems), tuple(results),
                                found.reason)
