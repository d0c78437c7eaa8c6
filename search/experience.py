"""Comparable experience: from a problem in plain Chinese to what other places did about it, with evidence."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from ingest.extract.lexicon import ProblemCategory
from ingest.tokenize import bigram_terms
from kg.store import StoredPassage

# Problem understanding (m3e cosines, see tests/search/test_experience.py): a category is matched by meaning
# from this similarity to its prototype; with no category, a passage this close still makes the problem
# one the store knows. Below both, the answer is empty with the reason.
CATEGORY_SIMILARITY = 0.77
PASSAGE_SIMILARITY = 0.8
# …or a passage among the best keyword matches holds at least this share of the question's character
# bigrams: a short question naming a practice ("网格化管理", cosine ≤ 0.78 to any passage) is understood;
# on the demo corpus, party-building questions reach ≥ 0.54 and unrelated ones ("如何提高小学生的数学考试
# 成绩", "医院门诊挂号难") ≤ 0.23.
KEYWORD_COVERAGE = 0.5
COVERAGE_DEPTH = 20
# Ranking: a passage's sibling in the same section (the other measures of one "做法" section) inherits
# this share of its score when that passage scores at least EXPAND_FROM of the best; passages naming a
# practice that `addresses` a matched problem start at this share of the best score; each earlier result
# from the same document multiplies a candidate's score by SAME_DOCUMENT (diversity across documents and
# places), and outcome evidence (indicators) lifts it.
SIBLING_SHARE = 0.9
EXPAND_FROM = 0.8
ADDRESSES_SHARE = 0.5
# Of the passages naming such a practice (thousands in a large store), only the ones closest to the question.
ADDRESSING_PASSAGES = 60
# Reports describing a problem like the question's: the best SIMILAR_PROBLEMS problem passages by the hybrid
# ranking, those scoring at least SIMILAR_PROBLEM_FROM of the best; their practice and plan passages join the
# candidates like the addressing ones.
SIMILAR_PROBLEMS = 10
SIMILAR_PROBLEM_FROM = 0.5
SAME_DOCUMENT = 0.85
OUTCOME_BOOST = 0.1
EVIDENCE_PER_RESULT = 3
# Siblings are taken only from a section whose own heading is about the question: at least this share of
# the question's character bigrams appear in the heading ("扩大城市新兴领域党建工作覆盖" for a question on
# 新兴领域 coverage), so a long background section that happens to rank first does not flood the answer.
HEADING_OVERLAP = 0.25
# A passage's lead ends at its first sentence end after this many characters.
MIN_LEAD_CHARS = 4
# a half-width full stop ends a sentence between Chinese characters ("工作格局.在…", a converter's output),
# not in a number ("2. 构建…", "3.5").
_SENTENCE_END = re.compile(r"[。！？!?；;\n]|(?<=[\u4e00-\u9fff）)”])\.(?=[\u4e00-\u9fff（(“])")
# Two cases whose names share this much (bigram Dice) are one measure worded twice ("建立一支素质优良的专业化
# 社区工作者队伍" / "建设一支…"): the later one becomes evidence of the first.
SAME_NAME = 0.7
# A passage whose lead names the topic of the question's problem as a goal ("推进商务楼宇党建覆盖" for
# "覆盖不到位", "发展壮大村级集体经济" for "集体经济收入低") is a measure aimed at it: it starts at this share
# of the best score (scaled by its cosine like the addressing ones). Of the passages holding the topic,
# the best TOPIC_PASSAGES by keyword are read.
TOPIC_SHARE = 0.8
TOPIC_PASSAGES = 200
# A topic held by more than this share of all passages (党组织, 党员: near half of them) names no goal in
# particular; the topics that do are rarer (覆盖, 集体经济, 报酬: about 1–6 % on the demo corpus).
TOPIC_MAX_SHARE = 0.1


@dataclass(frozen=True)
class Candidate:
    """A passage that may show what was done, with its score and why."""

    passage: StoredPassage
    score: float
    why: str


@dataclass(frozen=True)
class Case:
    """One answer: a practice or measure, its evidence passages, places and outcome indicators."""

    entity_id: str
    name: str
    type: str
    score: float
    evidence: tuple[Candidate, ...]
    places: tuple[str, ...]
    indicators: tuple[dict, ...]
    explain: dict


def heading_overlap(question: str, section_path: str) -> float:
    """Share of the question's Chinese character bigrams found in the innermost heading of a section.

    >>> round(heading_overlap("村集体经济收入低", "三、对策 / (四)以壮大村级集体经济实力为根本"), 2)
    0.43
    """
    return bigram_coverage(question, section_path.rsplit(" / ", 1)[-1])


def bigram_coverage(question: str, text: str) -> float:
    """Share of the question's Chinese character bigrams that occur in `text`.

    >>> bigram_coverage("网格化管理", "全面实施网格管理")
    0.5
    """
    runs = re.findall(r"[\u4e00-\u9fff]+", question)
    grams = {r[i : i + 2] for r in runs for i in range(len(r) - 1)}
    return sum(g in text for g in grams) / len(grams) if grams else 0.0


def lead_end(text: str) -> int:
    r"""End of a passage's lead: its first sentence, where a report states what was done; a passage opening
    with a heading line ("一、主要做法") leads with the heading and the first sentence under it.

    >>> lead_end("推进网络媒体党建覆盖。市委明确要求……")
    11
    >>> text = "一、主要做法\n(一)推进楼宇党建覆盖。依托物业公司……"
    >>> text[: lead_end(text)]
    '一、主要做法\n(一)推进楼宇党建覆盖。'
    """
    match = _SENTENCE_END.search(text, MIN_LEAD_CHARS)
    if match is None:
        return len(text)
    if match.group() == "\n" and match.end() < len(text):
        under = _SENTENCE_END.search(text, match.end() + MIN_LEAD_CHARS)
        return under.end() if under else len(text)
    return match.end()


def pick_entity(mentions: list[tuple[str, str, str, int]], lead: int, used: set[str],
                documents: Callable[[str], int], addressing: frozenset[str] = frozenset()) -> tuple | None:
    """The entity a passage is a case of: a named practice in the passage's lead sentence or one that
    `addresses` the question's problem first; then the measure the lead states, unless a practice named
    further on is named by other reports too (a named practice is what other reports take up, and its
    other mentions show where); then the most documented practice; then the first measure.

    `mentions` are (id, name, type, start of first mention) in order of start; `lead` is `lead_end(text)`;
    `documents(id)` counts the reports naming an entity.

    >>> rows = [("measure:a", "a", "measure", 0), ("practice:b", "b", "practice", 5),
    ...         ("practice:c", "c", "practice", 40)]
    >>> docs = {"practice:b": 1, "practice:c": 4}.get
    >>> pick_entity(rows, 20, set(), docs)
    ('practice:b', 'b', 'practice')
    >>> pick_entity(rows, 3, set(), docs)
    ('practice:c', 'c', 'practice')
    >>> pick_entity(rows[:1], 3, set(), docs)
    ('measure:a', 'a', 'measure')
    >>> pick_entity(rows[:1], 3, {"measure:a"}, docs) is None
    True
    """
    free = [m for m in mentions if m[2] in ("practice", "measure") and m[0] not in used]
    practices = [m for m in free if m[2] == "practice"]
    on_topic = [m for m in practices if m[3] < lead or m[0] in addressing]
    lead_measures = [m for m in free if m[2] == "measure" and m[3] < lead]
    shared = [m for m in practices if documents(m[0]) > 1]
    if on_topic:
        chosen = max(on_topic, key=lambda m: documents(m[0]))
    elif lead_measures and not shared:  # what the passage is about, before a practice no other report names
        chosen = lead_measures[0]
    elif practices:
        chosen = max(practices, key=lambda m: documents(m[0]))
    else:
        chosen = free[0] if free else None
    return chosen[:3] if chosen else None


def name_similarity(a: str, b: str) -> float:
    """Dice coefficient of two names' character bigrams (1.0 for the same bigrams).

    >>> round(name_similarity("建设一支素质优良的专业化社区工作者队伍", "建立一支素质优良的专业化社区工作者队伍"), 2)
    0.89
    >>> round(name_similarity("建设素质优良的专业化社区骨干队伍", "建设一支素质优良的专业化社区工作者队伍"), 2)
    0.67
    """
    ga = {a[i : i + 2] for i in range(len(a) - 1)}
    gb = {b[i : i + 2] for i in range(len(b) - 1)}
    return 2 * len(ga & gb) / (len(ga) + len(gb)) if ga and gb else float(a == b)


def diversify(candidates: list[Candidate], k: int, case_of: Callable[[Candidate, set[str]], Case | None]) -> list[Case]:
    """Greedy selection: the best case, then the best of the rest after a per-document discount.

    Each passage backs one case only; `case_of` builds the case a candidate stands for (None to skip it).
    """
    cases: list[Case] = []
    used_entities: set[str] = set()
    used_passages: set[int] = set()
    per_doc: dict[str, int] = {}
    pool = list(candidates)
    while pool and len(cases) < k:
        best = max(pool, key=lambda c: c.score * SAME_DOCUMENT ** per_doc.get(c.passage.doc_id, 0))
        pool.remove(best)
        if best.passage.num in used_passages:
            continue
        case = case_of(best, used_entities)
        if case is None:
            continue
        twin = next((i for i, kept in enumerate(cases) if name_similarity(kept.name, case.name) >= SAME_NAME), None)
        if twin is not None:  # the same measure worded again: more evidence for the first, not a new case
            cases[twin] = with_evidence(cases[twin], best)
            used_entities.add(case.entity_id)
            used_passages.add(best.passage.num)
            continue
        discount = SAME_DOCUMENT ** per_doc.get(best.passage.doc_id, 0)
        case = Case(case.entity_id, case.name, case.type, round(case.score * discount, 6), case.evidence,
                    case.places, case.indicators, {**case.explain, "document_discount": round(discount, 3)})
        cases.append(case)
        used_entities.add(case.entity_id)
        used_passages.update(c.passage.num for c in case.evidence)
        per_doc[best.passage.doc_id] = per_doc.get(best.passage.doc_id, 0) + 1
    return cases


def with_evidence(case: Case, extra: Candidate) -> Case:
    """`case` with one more evidence passage (up to EVIDENCE_PER_RESULT) and that passage's place."""
    if len(case.evidence) >= EVIDENCE_PER_RESULT or any(c.passage.num == extra.passage.num for c in case.evidence):
        return case
    places = case.places + ((extra.passage.place,) if extra.passage.place and extra.passage.place not in case.places
                            else ())
    explain = {**case.explain, "evidence": len(case.evidence) + 1, "same_measure_worded_again": True}
    return replace(case, evidence=case.evidence + (extra,), places=places, explain=explain)


class ExperienceFinder:
    """Runs the steps of DESIGN.md's experience search over an engine's store and indexes."""

    def __init__(self, engine):
        self.engine = engine
        self.store = engine.store

    def understand(self, text: str, vector) -> list[dict]:
        """Problem categories the question is about, by cue (score 1) and by meaning, best first."""
        matcher = self.engine.graph_builder.problems
        scores = {name: s for name, s in matcher.by_meaning(vector).items() if s >= CATEGORY_SIMILARITY}
        scores.update(matcher.by_cue(text))
        ranked = sorted(scores.items(), key=lambda item: -item[1])[:3]
        return [{"id": f"problem:{name}", "name": name, "score": round(score, 4)} for name, score in ranked]

    def keyword_coverage(self, text: str) -> float:
        """The best `bigram_coverage` of the question among its best keyword matches."""
        hits = self.engine.keyword.search(self.engine.tokenizer.terms(text), COVERAGE_DEPTH, None)
        found = self.store.passages([n for n, _ in hits])
        return max((bigram_coverage(text, p.text) for p in found.values()), default=0.0)

    def candidates(self, text: str, vector, addressing: frozenset[str], allowed: set[int] | None,
                   topics: dict[str, re.Pattern] | None = None) -> list[Candidate]:
        """Passages that may show what was done: similar practice/plan passages, their section siblings,
        passages naming the practices in `addressing` (those that address the matched problems), the
        practice/plan passages of reports describing a similar problem, and passages whose lead names one
        of `topics` (see `topics`) as a goal."""
        actions = set(self.engine.role_passages("practice") | self.engine.role_passages("plan") |
                      self.engine.role_passages("other"))
        if allowed is not None:
            actions &= allowed
        ranked = self.engine.fused(text, vector, actions, 60)
        if not ranked:
            return []
        top = max(ranked.values())
        scores = {n: (s / top, "similar") for n, s in ranked.items()}
        found = self.store.passages(list(ranked))
        for num, score in sorted(ranked.items(), key=lambda x: -x[1])[:10]:
            if score < EXPAND_FROM * top:
                break
            if num not in found or heading_overlap(text, found[num].section) < HEADING_OVERLAP:
                continue
            for sibling in self.store.siblings(num):
                if sibling in actions and scores.get(sibling, (0.0,))[0] < SIBLING_SHARE * score / top:
                    scores[sibling] = (SIBLING_SHARE * score / top, "same section")
        extra = (self.store.graph.nums_mentioning(addressing) & actions) - set(scores)
        for num, cosine in self.engine.vectors.search(vector, ADDRESSING_PASSAGES, extra) if extra else []:
            scores[num] = (ADDRESSES_SHARE * min(1.0, float(cosine) / 0.9), "addresses the problem")
        for num, score in self._answers_to_similar_problems(text, vector, actions - set(scores)).items():
            scores[num] = (score, "answers a similar problem")
        for num, score in self._aimed_at_topic(text, vector, actions, topics or {}).items():
            if score > scores.get(num, (0.0,))[0]:
                scores[num] = (score, "aims at the problem's topic")
        found = self.store.passages(scores)
        return [Candidate(found[n], s, why) for n, (s, why) in scores.items() if n in found]

    def _answers_to_similar_problems(self, text: str, vector, actions: set[int]) -> dict[int, float]:
        """Practice and plan passages of the reports whose problem passages are closest to the question
        (what a report did about the problem it describes), scored like the addressing ones."""
        problem_passages = set(self.engine.role_passages("problem"))
        ranked = self.engine.fused(text, vector, problem_passages, SIMILAR_PROBLEMS) if problem_passages else {}
        if not ranked:
            return {}
        top = max(ranked.values())
        near = [n for n, s in ranked.items() if s >= SIMILAR_PROBLEM_FROM * top]
        reports = {p.doc_id for p in self.store.passages(near).values()}
        answers = (self.store.nums_with(doc_ids=reports) & actions
                   & (self.engine.role_passages("practice") | self.engine.role_passages("plan")))
        if not answers:
            return {}
        return {num: ADDRESSES_SHARE * min(1.0, float(cosine) / 0.9)
                for num, cosine in self.engine.vectors.search(vector, ADDRESSING_PASSAGES, answers)}

    def topics(self, text: str, problems: list[dict]) -> dict[str, ProblemCategory]:
        """The topics of the question's problems that name a goal in particular (see TOPIC_MAX_SHARE), each
        with its category."""
        found = self.engine.graph_builder.problems.topics(text, [p["name"] for p in problems])
        return {topic: category for topic, category in found.items()
                if self.engine.keyword.share(bigram_terms(topic)) <= TOPIC_MAX_SHARE}

    def _aimed_at_topic(self, text: str, vector, actions: set[int], topics: dict[str, re.Pattern]) -> dict[int, float]:
        """Action passages whose lead names one of `topics` without stating its problem (see TOPIC_SHARE),
        scored by their cosine to the question."""
        if not topics or not actions:
            return {}
        nums: set[int] = set()
        for topic in topics:
            nums.update(n for n, _ in self.engine.keyword.search(bigram_terms(topic), TOPIC_PASSAGES, actions))
        found = self.store.passages(sorted(nums))
        aimed = []
        for num, passage in found.items():
            lead = passage.text[: lead_end(passage.text)]
            if any(topic in lead and not problem.search(lead) for topic, problem in topics.items()):
                aimed.append(num)
        if not aimed:
            return {}
        return {num: TOPIC_SHARE * min(1.0, float(cosine) / 0.9)
                for num, cosine in self.engine.vectors.search(vector, len(aimed), set(aimed))}

    def addressing(self, problems: list[dict]) -> frozenset[str]:
        """Ids of the practices and measures that `addresses` relations link to the matched problems."""
        return frozenset(self.store.graph.addressing([p["id"] for p in problems]))

    def case_of(self, candidate: Candidate, pool: dict[int, Candidate], used: set[str],
                addressing: frozenset[str] = frozenset()) -> Case | None:
        """The case a candidate passage stands for, with up to three evidence passages from the pool."""
        graph = self.store.graph
        mentions = graph.first_mentions(candidate.passage.num)
        chosen = pick_entity(mentions, lead_end(candidate.passage.text), used,
                             lambda eid: (graph.get(eid) or {}).get("documents", 0), addressing)
        if chosen is None:
            return None
        entity_id, name, etype = chosen
        evidence = [candidate, *self._more_evidence(entity_id, candidate, pool)]
        indicators = self._indicators([c.passage.num for c in evidence])
        info = graph.get(entity_id) or {}
        places = list(dict.fromkeys([*info.get("places", []), *(c.passage.place for c in evidence if c.passage.place)]))
        strength = 1.0 + OUTCOME_BOOST * bool(indicators) + 0.05 * (len(evidence) - 1)
        explain = {"similarity": round(candidate.score, 4), "found_by": candidate.why, "strength": round(strength, 3),
                   "outcomes": len(indicators), "evidence": len(evidence)}
        return Case(entity_id, name, etype, candidate.score * strength, tuple(evidence), tuple(places),
                    tuple(indicators), explain)

    def _more_evidence(self, entity_id: str, candidate: Candidate, pool: dict[int, Candidate]) -> list[Candidate]:
        """Other passages naming the entity, those from other reports first (a practice applied in several
        places shows each), then the best scored; passages outside the candidates only from other reports."""
        nums = [n for n in self.store.graph.nums_mentioning([entity_id]) if n != candidate.passage.num]
        outside = self.store.passages([n for n in nums if n not in pool])
        others = [pool[n] for n in nums if n in pool]
        others += [Candidate(p, 0.0, "same practice elsewhere") for p in outside.values() if p.role != "problem"]
        chosen: list[Candidate] = []
        docs = {candidate.passage.doc_id}
        for c in sorted(others, key=lambda c: (c.passage.doc_id in docs, -c.score)):
            if len(chosen) == EVIDENCE_PER_RESULT - 1:
                break
            if c.passage.doc_id in docs and c.passage.num not in pool:
                continue
            chosen.append(c)
            docs.add(c.passage.doc_id)
        return chosen

    def _indicators(self, nums: list[int]) -> list[dict]:
        out = []
        for rows in self.store.graph.entities_in(nums).values():
            for eid, name, etype in rows:
                if etype == "indicator":
                    attributes = (self.store.graph.get(eid) or {}).get("attributes", {})
                    out.append({"id": eid, "name": name, **attributes})
        return list({i["id"]: i for i in out}.values())[:5]

    def find(self, text: str, k: int, allowed: set[int] | None) -> tuple[list[dict], list[Case], str]:
        """Problems understood, ranked cases, and the reason when there are none."""
        vector = self.engine.encoder.encode([text], query=True)[0]
        problems = self.understand(text, vector)
        best = self.engine.vectors.search(vector, 1)
        if not best:
            return problems, [], "the store is empty"
        if not problems and best[0][1] < PASSAGE_SIMILARITY:
            coverage = self.keyword_coverage(text)
            if coverage < KEYWORD_COVERAGE:
                return [], [], ("no problem category matches the question, no passage is similar enough "
                                f"(best cosine {best[0][1]:.2f} < {PASSAGE_SIMILARITY}) and none holds most of its "
                                f"words (best {coverage:.2f} of its character pairs < {KEYWORD_COVERAGE})")
        addressing = self.addressing(problems)
        topics = self.topics(text, problems)
        for problem in problems:
            problem["topics"] = [t for t, category in topics.items() if category.name == problem["name"]]
        patterns = {topic: category.pattern for topic, category in topics.items()}
        candidates = self.candidates(text, vector, addressing, allowed, patterns)
        pool = {c.passage.num: c for c in candidates}
        cases = diversify(candidates, k, lambda c, used: self.case_of(c, pool, used, addressing))
        return problems, cases, "" if cases else "no practice or measure found for this problem"
