"""A stored passage as a citable hit: quote from the original text, citation, reference, entities, sources."""

from __future__ import annotations

from dataclasses import dataclass, field

from ingest.clean import as_published
from kg.records import StoredPassage
from kg.store import Store
from search.cite import gbt7714, short_citation
from search.types import Hit


@dataclass(frozen=True)
class Ranked:
    """A passage to show as a hit: its rank, score and what explains it (may be empty)."""

    rank: int
    score: float
    passage: StoredPassage
    explain: dict = field(default_factory=dict)


def make_hit(store: Store, rank: int, score: float, p: StoredPassage, explain: dict) -> Hit:
    """The hit of passage `p` at `rank` with `score` (DESIGN.md's hit object); `explain` may be empty."""
    return make_hits(store, [Ranked(rank, score, p, explain)])[0]


def make_hits(store: Store, ranked: list[Ranked]) -> list[Hit]:
    """The hits of a page of passages, their entities and sources read together (one statement each rather
    than one per passage: on a database server each read is a round trip)."""
    nums = [r.passage.num for r in ranked]
    named = store.graph.entities_in(nums) if nums else {}
    sources = store.sources_of_many(nums) if nums else {}
    documents = {d: store.document(d) for d in dict.fromkeys(r.passage.doc_id for r in ranked)}
    return [_hit(r, documents[r.passage.doc_id], named.get(r.passage.num, []), sources.get(r.passage.num, []))
            for r in ranked]


def _hit(r: Ranked, doc, named, sources) -> Hit:
    p, rank, score, explain = r.passage, r.rank, r.score, r.explain
    original = doc.original if doc else ""
    meta = doc.meta if doc else {}
    entities = tuple({"id": e.id, "name": e.name, "type": e.type} for e in named)
    quote = original[p.start : p.end]
    return Hit(
        rank=rank,
        score=round(score, 6),
        passage_id=p.passage_id,
        doc_id=p.doc_id,
        title=p.title,
        section=p.section,
        role=p.role,
        text=as_published(p.text, quote),  # the page's words and pinyin glosses, which matching does not read
        quote=quote,
        start=p.start,
        end=p.end,
        citation=short_citation(p.title, p.section, p.ordinal + 1),
        reference=gbt7714(p.title, meta),
        sources=tuple(sources),
        entities=entities,
        explain=explain,
    )
