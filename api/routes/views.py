"""JSON views of stored documents and passages, shared by /documents and /passages."""

from __future__ import annotations

from kg.records import StoredDocument, StoredPassage
from kg.store import Store
from search.cite import gbt7714, short_citation
from search.engine import Engine
from search.hits import make_hit


def in_document(store: Store, doc_id: str) -> list[dict]:
    """The passages of a document in reading order, with the offsets of their occurrence in this document.

    The store returns a passage shared by two documents (or repeated in one) with its first
    occurrence; its span here is looked up among its sources, and its section is taken from the
    passage before it (passages never straddle sections).
    """
    rows: list[dict] = []
    used: set[int] = set()
    for p in store.document_passages(doc_id):
        row = {"passage_id": p.passage_id, "text": p.text, "start": p.start, "end": p.end,
               "section": p.section, "role": p.role, "ordinal": len(rows)}
        if p.doc_id != doc_id or p.start in used:
            spans = [(s.start, s.end) for s in store.sources_of(p.num) if s.doc_id == doc_id and s.start not in used]
            if not spans:
                continue
            row["start"], row["end"] = spans[0]
            if rows:
                row["section"], row["role"] = rows[-1]["section"], rows[-1]["role"]
        used.add(row["start"])
        rows.append(row)
    return sorted(rows, key=lambda r: r["start"])


def document_passage(row: dict, original: str, title: str) -> dict:
    """One passage of a document view: quote from the original text and its citation."""
    return {
        "passage_id": row["passage_id"],
        "text": row["text"],
        "quote": original[row["start"] : row["end"]],
        "section": row["section"],
        "role": row["role"],
        "start": row["start"],
        "end": row["end"],
        "citation": short_citation(title, row["section"], row["ordinal"] + 1),
    }


def document_json(store: Store, doc: StoredDocument) -> dict:
    """A document with its context (the original text it spans) and its passages."""
    passages = [document_passage(row, doc.original, doc.title) for row in in_document(store, doc.doc_id)]
    return {
        "doc_id": doc.doc_id,
        "title": doc.title,
        "path": doc.path,
        "place": doc.place,
        "meta": doc.meta,
        "reference": gbt7714(doc.title, doc.meta),
        "start": doc.start,
        "end": doc.end,
        "context": doc.original[doc.start : doc.end],
        "passages": passages,
    }


def passage_hit(engine: Engine, passage: StoredPassage) -> dict:
    """A passage exactly as a search hit shows it (entities, sources, citation), without rank and score.

    Built by the hit builder searches use (search/hits.py), so both stay one shape.
    """
    hit = make_hit(engine.store, 0, 0.0, passage, {}).to_json()
    hit.pop("rank")
    hit.pop("score")
    return hit
