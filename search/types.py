"""Typed results of search: hits ready to cite, experience answers, entities with their evidence."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from kg.records import EntityInfo, PassageSource


@dataclass(frozen=True)
class Hit:
    """One retrieved passage with everything needed to quote and cite it (DESIGN.md contract)."""

    rank: int
    score: float
    passage_id: str
    doc_id: str
    title: str
    section: str
    role: str
    text: str
    quote: str
    start: int
    end: int
    citation: str
    reference: str = ""
    entities: tuple[dict, ...] = ()
    sources: tuple[PassageSource, ...] = ()
    explain: dict = field(default_factory=dict, compare=False)

    def to_json(self) -> dict:
        out = asdict(self)
        out["entities"] = list(self.entities)
        out["sources"] = [s.to_json() for s in self.sources]
        if not self.explain:
            out.pop("explain")
        return out


@dataclass(frozen=True)
class SearchResult:
    query: str
    took_ms: float
    hits: tuple[Hit, ...]

    def to_json(self) -> dict:
        return {"query": self.query, "took_ms": round(self.took_ms, 2), "hits": [h.to_json() for h in self.hits]}


@dataclass(frozen=True)
class ExperienceResult:
    """One comparable experience: a practice or measure with places, outcome indicators and evidence hits."""

    rank: int
    score: float
    entity_id: str
    name: str
    type: str
    places: tuple[str, ...]
    indicators: tuple[dict, ...]
    evidence: tuple[Hit, ...]
    explain: dict = field(default_factory=dict, compare=False)

    def to_json(self) -> dict:
        out = {"rank": self.rank, "score": round(self.score, 6), "entity_id": self.entity_id, "name": self.name,
               "type": self.type, "places": list(self.places), "indicators": list(self.indicators),
               "evidence": [h.to_json() for h in self.evidence]}
        if self.explain:
            out["explain"] = self.explain
        return out


@dataclass(frozen=True)
class ExperienceAnswer:
    query: str
    took_ms: float
    problems: tuple[dict, ...]
    results: tuple[ExperienceResult, ...]
    reason: str = ""

    def to_json(self) -> dict:
        out = {"query": self.query, "took_ms": round(self.took_ms, 2), "problems": list(self.problems),
               "results": [r.to_json() for r in self.results]}
        if self.reason:
            out["reason"] = self.reason
        return out


@dataclass(frozen=True)
class Neighbor:
    """An entity related to another: the relation, its direction seen from the other, weight, evidence ids."""

    id: str
    name: str
    type: str
    relation: str
    direction: str  # "out": the entity asked about → this one; "in": this one → the entity asked about
    weight: float
    evidence: tuple[str, ...]  # passage ids

    def to_json(self) -> dict:
        return {"id": self.id, "name": self.name, "type": self.type, "relation": self.relation,
                "direction": self.direction, "weight": self.weight, "evidence": list(self.evidence)}


@dataclass(frozen=True)
class EntityEvidence:
    """One entity with evidence hits (quote and citation) and its neighbours."""

    entity: EntityInfo
    evidence: tuple[Hit, ...]
    neighbors: tuple[Neighbor, ...]

    def to_json(self) -> dict:
        return {**self.entity.to_json(), "evidence": [h.to_json() for h in self.evidence],
                "neighbors": [n.to_json() for n in self.neighbors]}
