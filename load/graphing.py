"""From a document's passages to resolved mentions and evidenced relations, ready for the store."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ingest.extract import extract_mentions, load_lexicon, main_place
from ingest.extract.relations import Resolved, document_relations
from ingest.types import Document, Mention
from kg.entities import NewMention, NewRelation
from kg.resolve import entity_id, is_ambiguous, resolution_key
from kg.store import Store
from load.problems import ProblemMatcher
from search.encode import Encoder

log = logging.getLogger(__name__)

# Cosine of a problem passage to a category prototype (m3e) from which it is assigned to that category, and
# the lead it needs over the next category; passages on the demo corpus that no cue places score 0.76–0.86.
PROBLEM_SIMILARITY = 0.8
PROBLEM_MARGIN = 0.01
# Extraction time allowed per document: a base plus a share per passage, about ten times what report text
# costs (4–9 ms a passage on this machine). Past it the rest of the document is stored and searchable but not
# extracted, and the report says so: a page of unforeseen text never holds the writer for long.
EXTRACTION_BASE_S = 10.0
EXTRACTION_PER_PASSAGE_S = 0.05


@dataclass(frozen=True)
class DocumentGraph:
    """What extraction adds to one document: mentions, relations and the place the report is about."""

    mentions: tuple[NewMention, ...]
    relations: tuple[NewRelation, ...]
    place: str
    unextracted: int = 0  # passages left without extraction when the document's time budget ran out


class GraphBuilder:
    """Runs the extractors over a document and resolves their mentions against the store."""

    def __init__(self, store: Store, lexicon_dir: Path, encoder: Callable[[], Encoder]):
        self.store = store
        self.lexicon_dir = lexicon_dir
        self._encoder = encoder
        self._lexicon = None
        self._problems: ProblemMatcher | None = None

    @property
    def lexicon(self):
        if self._lexicon is None:
            self._lexicon = load_lexicon(self.lexicon_dir)
        return self._lexicon

    @property
    def problems(self) -> ProblemMatcher:
        if self._problems is None:
            self._problems = ProblemMatcher(self.lexicon_dir, self._encoder(), self.lexicon)
        return self._problems

    def _problem_by_meaning(self, text: str, vector: np.ndarray) -> list[Mention]:
        """A problem-section passage no cue word places gets the category its meaning is closest to."""
        ranked = sorted(self.problems.by_meaning(vector).items(), key=lambda item: -item[1])
        (name, score), (_, second) = ranked[0], ranked[1]
        if score < PROBLEM_SIMILARITY or score - second < PROBLEM_MARGIN:
            return []
        end = min(len(text), 20)
        return [Mention("problem", name, text[:end], 0, end, {"category": name, "by": "meaning",
                                                                "score": round(score, 4)})]

    def extract(self, doc: Document, budget_s: float | None = None) -> tuple[list[tuple[int, str, list[Mention]]], int]:
        """(passage index, section role, mentions) for each passage, and how many passages were left
        unextracted because `budget_s` (default: extraction_budget) ran out; a failing passage yields none."""
        budget_s = extraction_budget(len(doc.passages)) if budget_s is None else budget_s
        deadline = time.monotonic() + budget_s
        out = []
        index = skipped = 0
        for section in doc.sections:
            for passage in section.passages:
                if time.monotonic() > deadline:
                    out.append((index, section.role, []))
                    index += 1
                    skipped += 1
                    continue
                try:
                    mentions = extract_mentions(passage.text, section.role, self.lexicon)
                except Exception:  # extraction must never block ingestion of the document
                    log.exception("extraction failed in document %s, passage %d", doc.doc_id, index)
                    mentions = []
                out.append((index, section.role, mentions))
                index += 1
        if skipped:
            log.warning("document %s: extraction budget of %.0f s spent, %d passages not extracted",
                        doc.doc_id, budget_s, skipped)
        return out, skipped

    def build(self, doc: Document, vectors: np.ndarray) -> DocumentGraph:
        """Resolve a document's mentions to entity ids and derive its relations.

        `vectors` holds the document's passage vectors in order (rows normalised), for `addresses`.
        """
        found, unextracted = self.extract(doc)
        texts = [p.text for p in doc.passages]
        try:
            found = [(i, role, ms if role != "problem" or any(m.type == "problem" for m in ms)
                      else ms + self._problem_by_meaning(texts[i], vectors[i])) for i, role, ms in found]
        except Exception:  # like extraction, placing problems by meaning must never block ingestion
            log.exception("problem placement failed in document %s", doc.doc_id)
        place = main_place(m for _, _, ms in found for m in ms) or ""
        ids: dict[str, str] = {}
        rows: list[NewMention] = []
        resolved: list[Resolved] = []
        practice_ids: dict[str, str] = {}
        for index, role, mentions in found:
            for m in mentions:
                scope = place if m.type == "practice" and is_ambiguous(m.name) else ""
                key = resolution_key(m.type, m.name, scope)
                eid = ids.get(key) or self.store.graph.entity_for_key(key) or entity_id(m.type, m.name, scope)
                ids[key] = eid
                if m.type == "practice":
                    practice_ids[m.name] = eid
                rows.append(NewMention(eid, m.type, m.name, key, index, m.start, m.end, m.surface, dict(m.attributes)))
                resolved.append(Resolved(index, role, eid, m.type, dict(m.attributes)))
        resolved = [_link_practice(r, practice_ids) for r in resolved]
        place_ids = {m.name: r.entity_id for r, m in zip(resolved, rows, strict=True) if r.type == "place"}
        main_id = place_ids.get(place)

        def similarity(i: int, j: int) -> float:
            return float(vectors[i] @ vectors[j])

        edges = document_relations(resolved, main_id, place_ids, similarity)
        relations = tuple(NewRelation(e.src, e.dst, e.type, e.weight, e.evidence) for e in edges)
        return DocumentGraph(tuple(rows), relations, place, unextracted)


def extraction_budget(passages: int) -> float:
    """Seconds of extraction allowed for a document of this many passages.

    >>> extraction_budget(0), extraction_budget(200)
    (10.0, 20.0)
    """
    return EXTRACTION_BASE_S + EXTRACTION_PER_PASSAGE_S * passages


def _link_practice(item: Resolved, practice_ids: dict[str, str]) -> Resolved:
    name = item.attributes.get("practice")
    if item.type != "measure" or not name or name not in practice_ids:
        return item
    return Resolved(item.index, item.role, item.entity_id, item.type,
                    {**item.attributes, "practice_id": practice_ids[name]})


# m3e cosine between two practice names above which they are taken as similar methods: on the demo corpus
# this links word-order variants and one-character variants of a slogan (6 pairs of 90 practices).
SIMILAR_NAMES = 0.9
SIMILAR_PER_PRACTICE = 3


def similar_practices(store: Store, encoder, new_ids: set[str]) -> list[tuple[str, str, str, float, list]]:
    """similar_to relations between each new practice and the practices most like it, by name embedding."""
    practices = store.graph.list("practice")
    if not new_ids or len(practices) < 2:
        return []
    ids = [p.id for p in practices]
    matrix = encoder.encode([p.name for p in practices])
    out = []
    for i, pid in enumerate(ids):
        if pid not in new_ids:
            continue
        scores = matrix @ matrix[i]
        for j in np.argsort(-scores)[1 : SIMILAR_PER_PRACTICE + 1]:
            if scores[j] < SIMILAR_NAMES or ids[j] == pid:
                continue
            src, dst = sorted((pid, ids[j]))
            evidence = [e for e in (store.graph.first_mention(src), store.graph.first_mention(dst)) if e]
            out.append((src, dst, "similar_to", round(float(scores[j]), 4), evidence))
    return out
