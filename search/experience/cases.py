"""From candidate passages to cases: the practice or measure each passage states, grouped by entity, with the
passages that state it as evidence (other reports first) and the outcomes they report."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from ingest.extract.indicators import CHANGE_TO
from kg.records import EntityInfo, NamedEntity, StoredPassage
from search.experience.score import GENERIC_WEIGHT, CaseFeatures, case_score, is_generic
from search.experience.text import lead_end, lead_statement, name_similarity, pick_entity

EVIDENCE_PER_RESULT = 3
# Two cases whose names share this much (bigram Dice) are one measure worded twice ("建立一支素质优良的专业化
# 社区工作者队伍" / "建设一支…"): the later one's passages become evidence of the first.
SAME_NAME = 0.7
MAX_INDICATORS = 5
# A passage stating no extracted practice or measure still leads a case named by its lead clause, if that
# clause has at least this many characters ("加强领导" is a name, "近年来" is not).
MIN_STATEMENT_CHARS = 4
STATEMENT_PREFIX = "statement:"
# Evidence from outside the candidates is looked for among an entity's first mentions only.
OUTSIDE_MENTIONS = 40
# Cases are built for the best leads only, this many per result asked for: MMR picks by score, and the
# devweb answers use none beyond the 2k-th case (recall@10 the same at 3 and at all).
CASES_PER_RESULT = 3
# The passage before and after a lead continue its statement (item_run). Devweb experience recall@10 0.41
# without them, 0.54 with them; two each way gave 0.61 but reach into other items (dev 1.0 at all).
ITEM_OPENING = re.compile(r"\s*(?:[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}[、是要]|"
                          r"\d{1,2}[、.．](?!\d)|第[一二三四五六七八九十]{1,3}[，,、]|(?:首先|其次|再次|最后)[，,])")


@dataclass(frozen=True)
class Candidate:
    """A passage that may show what was done: its passage score (score.passage_score) and the routes that
    reached it."""

    passage: StoredPassage
    score: float
    why: str
    relevance: float = 0.0
    routes: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class Indicator:
    id: str
    name: str
    attributes: dict = field(default_factory=dict, compare=False)

    def to_json(self) -> dict:
        return {"id": self.id, "name": self.name, **self.attributes}


def joined_changes(indicators: tuple[Indicator, ...]) -> tuple[Indicator, ...]:
    """Each change read as one outcome: 比例由80% and 比例提高到98%, which extraction keeps as two figures of one
    subject, become 比例由80%提高到98% (the later figure's record, with the earlier value as `value_from`)."""
    out = list(indicators)
    joined: set[str] = set()  # ends that hold their start already
    for start in indicators:
        a = start.attributes
        if a.get("comparator") not in ("由", "从") or start not in out:
            continue
        subject = a.get("subject") or ""
        began = start.name[len(subject):]
        ends = [i for i in out if i is not start and i.id not in joined and i.attributes.get("subject") == subject
                and i.attributes.get("unit") == a.get("unit") and i.name.startswith(subject)
                and CHANGE_TO.fullmatch(i.attributes.get("comparator") or "")]
        # the end ingest named with this start (比例由80%提高到98%) first, else one that names no start yet
        end = next((i for i in ends if began and began in i.name), None) \
            or next((i for i in ends if not _CHANGE_FROM.search(i.name[len(subject):])), None)
        if end is None:
            continue
        name = end.name if began and began in end.name else start.name + end.name[len(subject):]
        out[out.index(end)] = Indicator(end.id, name, {**end.attributes, "value_from": a.get("value")})
        joined.add(end.id)
        out.remove(start)
    return tuple(out)


# A start of a change written in a name (…由41%提高到…).
_CHANGE_FROM = re.compile(r"[由从][\d.]+")


@dataclass(frozen=True)
class Case:
    """One answer: a practice or measure, its evidence passages (the lead first), places, outcomes."""

    entity_id: str
    name: str
    type: str
    score: float
    evidence: tuple[Candidate, ...]
    places: tuple[str, ...]
    indicators: tuple[Indicator, ...]
    features: CaseFeatures | None = None
    redundancy: float = 0.0  # with the cases chosen before it (select.py)

    @property
    def lead(self) -> Candidate:
        return self.evidence[0]

    def explain(self) -> dict:
        """Each feature of the score, the score before diversity, the redundancy and the routes."""
        out = asdict(self.features) if self.features else {}
        out["routes"] = {route: rank for route, rank in out.get("routes", ())}
        if self.features:
            out["generic"] = self.features.generic
            out["case_score"] = round(case_score(self.features), 6)
        out.update(redundancy=self.redundancy, score=self.score, found_by=self.lead.why,
                   evidence=len(self.evidence))
        return out


def opens_item(text: str, anywhere: bool = False) -> bool:
    """Whether a passage opens an enumerated item at its start (or, with `anywhere`, at a line start).

    >>> opens_item("（二）建立联合党支部。"), opens_item("成为有力抓手。\\n3. 强化教育管理"), \\
    ...     opens_item("成为有力抓手。\\n3. 强化教育管理", anywhere=True)
    (True, False, True)
    """
    if ITEM_OPENING.match(text):
        return True
    return anywhere and any(ITEM_OPENING.match(line) for line in text.splitlines()[1:])


class CaseBuilder:
    """Builds the cases of a pool of candidates over one store's graph."""

    def __init__(self, store, question: str, addressing: frozenset[str] = frozenset(),
                 documents: dict[str, int] | None = None, action: re.Pattern | None = None):
        self.store = store
        self.graph = store.graph
        self.question = question
        self.addressing = addressing
        self._documents = documents  # entity id → documents mentioning it (EntityReader.document_counts)
        self._reports = max(store.counts().documents, 1)
        self._info: dict[str, EntityInfo | None] = {}
        self.action = action  # action verbs that a statement's clause should hold (text.lead_statement)

    def info(self, entity_id: str) -> EntityInfo | None:
        """The stored entity (None for a statement's id, which no entity has), read once."""
        if entity_id not in self._info:
            self._info[entity_id] = self.graph.get(entity_id)
        return self._info[entity_id]

    def documents(self, entity_id: str) -> int:
        if self._documents is not None:
            return self._documents.get(entity_id, 0)
        info = self.info(entity_id)
        return info.documents if info else 0

    def entity_of(self, candidate: Candidate, mentions: list[NamedEntity],
                  used: set[str] = frozenset()) -> NamedEntity | None:
        """What the passage itself states (text.pick_entity), of the entities it mentions (`entities_in`, in
        order of their first mention there)."""
        return pick_entity(mentions, lead_end(candidate.passage.text), set(used), self.documents, self.addressing)

    def build(self, pool: list[Candidate], k: int | None = None) -> list[Case]:
        """Cases of the pool, taken greedily in order of passage score: the best passage not yet in a case
        leads a new one, named by the practice or measure it states that the most other candidates state
        too (their passages become its evidence: one practice applied in several places), or, when none is
        shared, by `pick_entity`'s choice; a generic practice (score.is_generic) counts at GENERIC_WEIGHT.
        The candidates continuing the lead's statement (`item_run`) join its evidence too, and only they
        and the lead are spent: other members may lead cases of their own. A candidate stating nothing (no
        entity, no `statement`) leads none."""
        ranked = sorted(pool, key=lambda c: -c.score)
        by_num = {c.passage.num: c for c in ranked}
        named = self.graph.entities_in(list(by_num))
        # the stored entities of the pool, read together (each case reads its own and its indicators')
        self._info.update(self.graph.get_many({e.id for rows in named.values() for e in rows} - set(self._info)))
        stating: dict[str, list[Candidate]] = {}
        for c in ranked:
            for named_entity in named.get(c.passage.num, []):
                if named_entity.type in ("practice", "measure"):
                    stating.setdefault(named_entity.id, []).append(c)
        covered: set[int] = set()
        used: set[str] = set()
        cases: list[Case] = []
        for lead in ranked:
            if k is not None and len(cases) >= CASES_PER_RESULT * k:
                break
            if lead.passage.num in covered:
                continue
            chosen = self.entity_of(lead, named.get(lead.passage.num, []), used) or self.statement(lead)
            if chosen is None:
                continue
            options = [e for e in named.get(lead.passage.num, [])
                       if e.type in ("practice", "measure") and e.id not in used]

            continuing = [by_num[n] for n in self.item_run(lead.passage.num) if n in by_num and n not in covered]

            def members(eid: str, lead=lead, continuing=continuing) -> list[Candidate]:
                rest = [c for c in stating.get(eid, []) if c is not lead and c.passage.num not in covered]
                rest += [c for c in continuing if c not in rest]
                return [lead, *rest][:EVIDENCE_PER_RESULT]

            def value(option: NamedEntity) -> float:
                weight = GENERIC_WEIGHT if self.generic(option.id, option.name) else 1.0
                return weight * sum(c.score for c in members(option.id))

            shared = max(options, key=value, default=None)
            if shared is not None and len(members(shared.id)) > 1 and value(shared) > value(chosen):
                chosen = shared
            entity_id, name, etype = chosen.id, chosen.name, chosen.type
            twin = next((i for i, case in enumerate(cases) if name_similarity(case.name, name) >= SAME_NAME), None)
            group = members(entity_id)
            used.add(entity_id)
            # Only the lead's own statement is spent here. A passage of another report stating the same entity
            # stays free to lead a case of its own: when this case is not chosen (a generic practice, or MMR
            # prefers another report), that passage still reaches the answer (devweb experience recall@10
            # 0.542 -> 0.565; `admit` in finder.py keeps a passage out of two chosen cases).
            covered.update(c.passage.num for c in group if c is lead or c in continuing)
            if twin is not None:  # the same measure worded again: more evidence for the first case
                earlier = cases[twin]
                extra = [c for c in group if c.passage.num not in {e.passage.num for e in earlier.evidence}]
                cases[twin] = self.case(earlier.entity_id, earlier.name, earlier.type,
                                        [*earlier.evidence, *extra][:EVIDENCE_PER_RESULT], by_num)
                continue
            cases.append(self.case(entity_id, name, etype, group, by_num))
        return cases

    def statement(self, candidate: Candidate) -> NamedEntity | None:
        """A case for a relevant passage naming no extracted practice or measure: the measure its lead
        states (text.lead_statement), with an id of its own passage ("statement:" + passage id) that no
        graph entity has. None when the lead states too little to name anything."""
        name = lead_statement(candidate.passage.text, self.action)
        if len(name) < MIN_STATEMENT_CHARS:
            return None
        return NamedEntity(f"{STATEMENT_PREFIX}{candidate.passage.passage_id}", name, "measure", 0)

    def item_run(self, num: int) -> list[int]:
        """The passages continuing the statement of passage `num` in its section: the one before it, unless
        `num` opens an enumerated item itself (一是, （二）, 3. at its start or at a line start), and the one
        after it, unless that opens the next item. The splitter cuts one item's text at about MAX_CHARS, so
        these go on telling the same measure (how it was done, with what result)."""
        section = self.store.siblings(num)
        found = self.store.passages(section + [num])
        order = sorted(found, key=lambda n: found[n].ordinal)
        i = order.index(num)
        out = []
        if i > 0 and not opens_item(found[num].text, anywhere=True):
            out.append(order[i - 1])
        if i + 1 < len(order) and not opens_item(found[order[i + 1]].text):
            out.append(order[i + 1])
        return out

    def generic(self, entity_id: str, name: str) -> bool:
        reports = self.documents(entity_id)
        return is_generic(reports, reports / self._reports, name in self.question)

    def evidence(self, entity_id: str, members: list[Candidate], pool: dict[int, Candidate]) -> list[Candidate]:
        """The lead and the candidates stating the entity (other reports first), then, while fewer than
        EVIDENCE_PER_RESULT, passages of other reports stating it, never a problem statement."""
        lead = members[0]
        rest = sorted(members[1:], key=lambda c: (c.passage.doc_id == lead.passage.doc_id, -c.score))
        chosen = [lead, *rest][:EVIDENCE_PER_RESULT]
        docs = {c.passage.doc_id for c in chosen}
        if len(chosen) == EVIDENCE_PER_RESULT:
            return chosen
        # one mention per other report, read a few at a time (a practice routine in a large store has
        # thousands of mentions: never load them all)
        elsewhere: list[int] = []
        for mention in self.graph.mentions(entity_id, OUTSIDE_MENTIONS):
            num = mention.num
            if num not in pool and mention.doc_id not in docs and num not in elsewhere:
                elsewhere.append(num)
        found = self.store.passages(elsewhere)
        for num in elsewhere:
            passage = found.get(num)
            if len(chosen) == EVIDENCE_PER_RESULT:
                break
            if passage is not None and passage.doc_id not in docs and passage.role != "problem":
                chosen.append(Candidate(passage, 0.0, "same practice elsewhere"))
                docs.add(passage.doc_id)
        return chosen

    def indicators(self, nums: list[int]) -> tuple[Indicator, ...]:
        out: dict[str, Indicator] = {}
        for rows in self.graph.entities_in(nums).values():
            for e in rows:
                if e.type == "indicator" and e.id not in out:
                    info = self.info(e.id)
                    out[e.id] = Indicator(e.id, e.name, dict(info.attributes) if info else {})
        return joined_changes(tuple(out.values()))[:MAX_INDICATORS]

    def case(self, entity_id: str, name: str, etype: str, members: list[Candidate],
             pool: dict[int, Candidate]) -> Case:
        evidence = self.evidence(entity_id, members, pool)
        indicators = self.indicators([c.passage.num for c in evidence])
        info = self.info(entity_id)
        places = tuple(dict.fromkeys([*(info.places if info else ()),
                                      *(c.passage.place for c in evidence if c.passage.place)]))
        reports = self.documents(entity_id)
        lead = evidence[0]
        features = CaseFeatures(
            relevance=lead.relevance, routes=lead.routes, role=lead.passage.role, outcomes=len(indicators),
            evidence_reports=len({c.passage.doc_id for c in evidence}), reports=reports,
            report_share=reports / self._reports, named_in_question=name in self.question)
        return Case(entity_id, name, etype, case_score(features), tuple(evidence), places, indicators, features)
