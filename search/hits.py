"""A stored passage as a citable hit: quote from the original text, citation, reference, entities, sources."""

from __future__ import annotations

from kg.records import StoredPassage
from kg.store import Store
from search.cite import gbt7714, short_citation
from search.types import Hit


def make_hit(store: Store, rank: int, score: float, p: StoredPassage, explain: dict) -> Hit:
    """The hit of passage `p` at `rank` with `score` (DESIGN.md's hit object); `explain` may be empty."""
    doc = store.document(p.doc_id)
    original = doc.original if doc else ""
    meta = doc.meta if doc else {}
    named = store.graph.entities_in([p.num]).get(p.num, [])
    entities = tuple({"id": e.id, "name": e.name, "type": e.type} for e in named)
    return Hit(
        rank=rank,
        score=round(score, 6),
        passage_id=p.passage_id,
        doc_id=p.doc_id,
        title=p.title,
        section=p.section,
        role=p.role,
        text=p.text,
        quote=original[p.start : p.end],
        start=p.start,
        end=p.end,
        citation=short_citation(p.title, p.section, p.ordinal + 1),
        reference=gbt7714(p.title, meta),
        sources=tuple(store.sources_of(p.num)),
        entities=entities,
        explain=explain,
    )
