"""Graph queries: entities of a type, one entity with its evidence and neighbours, and the store's counts."""

from __future__ import annotations

from ingest.types import ENTITY_TYPES
from kg.records import EntityInfo
from kg.store import Store
from search.errors import NotFoundError, QueryError
from search.hits import Ranked, make_hits
from search.types import EntityEvidence, Neighbor


class GraphQueries:
    """Reads of the knowledge graph of one store, each entity with the passages that evidence it."""

    def __init__(self, store: Store):
        self.store = store

    def entities(self, entity_type: str | None = None, limit: int | None = None,
                 offset: int = 0) -> list[EntityInfo]:
        """Entities, most documented first; `entity_type` one of ENTITY_TYPES."""
        if entity_type is not None and entity_type not in ENTITY_TYPES:
            raise QueryError(f"type {entity_type!r} is not one of {', '.join(ENTITY_TYPES)}")
        return self.store.graph.list(entity_type, limit, offset)

    def entity(self, entity_id: str, evidence: int = 5) -> EntityEvidence:
        """One entity with its evidence hits (quote and citation) and its neighbours."""
        found = self.store.graph.get(entity_id)
        if found is None:
            raise NotFoundError(f"no entity {entity_id!r}; `djkg entities` lists them")
        nums = list(dict.fromkeys(m.num for m in self.store.graph.mentions(entity_id)))[:evidence]
        passages = self.store.passages(nums)
        shown = [Ranked(i + 1, 1.0, passages[n]) for i, n in enumerate(nums) if n in passages]
        hits = tuple(make_hits(self.store, shown))
        return EntityEvidence(found, hits, tuple(self.neighbors(entity_id)))

    def neighbors(self, entity_id: str) -> list[Neighbor]:
        """Entities related to this one: relation type, direction, weight and evidence passage ids."""
        if self.store.graph.get(entity_id) is None:
            raise NotFoundError(f"no entity {entity_id!r}; `djkg entities` lists them")
        out = []
        for r in self.store.graph.relations(entity_id):
            other = r.dst if r.src == entity_id else r.src
            info = self.store.graph.get(other)
            name, etype = (info.name, info.type) if info else (other, other.split(":", 1)[0])
            ids = tuple(p.passage_id for p in self.store.passages(r.evidence[:5]).values())
            out.append(Neighbor(other, name, etype, r.type, "out" if r.src == entity_id else "in", r.weight, ids))
        return out

    def stats(self) -> dict:
        """Documents, passages, entities and relations by type, and the model the store was built with."""
        counts = self.store.counts()
        entities, relations = self.store.graph.counts()
        return {
            "documents": counts.documents,
            "passages": counts.passages,
            "entities": entities,
            "relations": relations,
            "model": self.store.get_meta("model"),
            "dim": int(self.store.get_meta("dim") or 0),
        }
