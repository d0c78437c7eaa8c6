"""Comparable experience, end to end: understand the question, gather candidates by every route, build and
score the cases, choose a diverse answer."""

from __future__ import annotations

from dataclasses import dataclass, replace

from search.experience import routes
from search.experience.cases import Candidate, Case, CaseBuilder
from search.experience.score import passage_score
from search.experience.select import mmr
from search.experience.understand import Problem, Understander

# Cases are built for the best CASE_POOL candidates by passage score (each costs graph look-ups); devweb
# experience recall@10 is the same from 60 up.
CASE_POOL = 80
ACTION_ROLES = ("practice", "plan", "other")


@dataclass(frozen=True)
class Answer:
    """What `find` returns: the problems understood, the chosen cases and, when there are none, why."""

    problems: tuple[Problem, ...]
    cases: tuple[Case, ...]
    reason: str = ""


class ExperienceFinder:
    """The experience search of one engine; `disabled` names routes left out (for the ablation table)."""

    def __init__(self, engine, disabled: frozenset[str] = frozenset()):
        self.engine = engine
        self.store = engine.store
        self.understander = Understander(engine)
        self.disabled = disabled
        self._documents: tuple[int, dict[str, int]] = (-1, {})

    def document_counts(self) -> dict[str, int]:
        """Documents mentioning each entity, read once per store generation (every case reads several)."""
        generation = self.store.generation()
        if self._documents[0] != generation:
            self._documents = (generation, self.store.graph.document_counts())
        return self._documents[1]

    def warm(self) -> None:
        self.understander.background()

    def actions(self, allowed: set[int] | None) -> set[int]:
        nums = set().union(*(self.engine.role_passages(role) for role in ACTION_ROLES))
        return nums & allowed if allowed is not None else nums

    def candidates(self, text: str, vector, problems: tuple[Problem, ...], actions: set[int],
                   topics: dict | None = None) -> list[Candidate]:
        """Every route's hits, merged per passage into typed candidates, best passage score first."""
        topics = topics or {}
        found = {
            routes.MAIN: lambda: routes.retrieve(self.engine, text, vector, actions),
            routes.SIMILAR_PROBLEM: lambda: routes.similar_problems(self.engine, text, vector, actions),
            routes.ADDRESSES: lambda: routes.addressing(self.engine, [p.id for p in problems], vector, actions),
            routes.TOPIC: lambda: routes.topic(self.engine, vector, actions, topics),
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
        if not self.store.counts().get("passages"):
            return Answer((), (), "the store is empty")
        understanding = self.understander.understand(text)
        if not understanding.domain.in_domain:
            return Answer((), (), understanding.domain.reason())
        topics = routes.goal_topics(self.engine, text, [p.name for p in understanding.problems])
        problems = tuple(replace(p, topics=tuple(t for t, c in topics.items() if c.name == p.name))
                         for p in understanding.problems)
        actions = self.actions(allowed)
        pool = self.candidates(text, understanding.vector, problems, actions, topics)
        addressing = frozenset(self.store.graph.addressing([p.id for p in problems])) if problems else frozenset()
        cases = CaseBuilder(self.store, text, addressing, self.document_counts()).build(pool, k)
        used: set[int] = set()

        def admit(case: Case) -> Case | None:
            if case.lead.passage.num in used:
                return None
            evidence = tuple(c for c in case.evidence if c.passage.num not in used)
            used.update(c.passage.num for c in evidence)
            return replace(case, evidence=evidence)

        chosen = mmr(cases, k, lambda c: c.score, lambda c: (c.lead.passage.doc_id, c.lead.passage.place), admit)
        final = tuple(replace(case, score=round(value, 6), redundancy=red) for case, value, red in chosen)
        return Answer(problems, final, "" if final else "no practice or measure found for this question")
