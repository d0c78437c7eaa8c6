"""From a document's passages to resolved mentions and evidenced relations, ready for the store."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ingest.extract.relations import Resolved, document_relations
from ingest.pipeline import extraction_lexicon
from ingest.types import Mention
from kg.entities import NewMention, NewRelation
from kg.records import EvidencedRelation
from kg.store import Store
from load.prepare import KeyedMention, PreparedDocument, keyed
from load.problems import ProblemMatcher
from search.encode import Encoder

log = logging.getLogger(__name__)

# Cosine of a problem passage to a category prototype (m3e) from which it is assigned to that category, and
# the lead it needs over the next category; passages on the demo corpus that no cue places score 0.76–0.86.
PROBLEM_SIMILARITY = 0.8
PROBLEM_MARGIN = 0.01


@dataclass(frozen=True)
class DocumentGraph:
    """What extraction adds to one document: mentions resolved to entity ids, and relations."""

    mentions: tuple[NewMention, ...]
    relations: tuple[NewRelation, ...]
    unextracted: int = 0  # passages left without extraction when the document's time budget ran out


class GraphBuilder:
    """The steps of extraction that need vectors or the store: placing problem passages by meaning,
    resolving mentions to stored entities, and relations weighted by passage similarity. (Extraction by
    rules runs before, in ingest/extract/document.py, possibly in worker processes.)"""

    def __init__(self, store: Store, lexicon_dir: Path, encoder: Callable[[], Encoder]):
        self.store = store
        self.lexicon_dir = Path(lexicon_dir)
        self._encoder = encoder
        self._problems: ProblemMatcher | None = None

    @property
    def lexicon(self):
        """The extraction lexicon, or None when the extractors cannot read it (ingest/pipeline.py)."""
        return extraction_lexicon(self.lexicon_dir)

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

    def _placed(self, doc: PreparedDocument, vectors: np.ndarray) -> list[tuple[int, str, list[KeyedMention]]]:
        """(passage index, role, mentions) of each passage, a problem passage without a problem mention
        placed by meaning."""
        found = [(p.ordinal, p.role, list(p.mentions)) for p in doc.passages]
        place = doc.record.place
        try:
            return [(i, role, ms if role != "problem" or any(k.mention.type == "problem" for k in ms)
                     else ms + [keyed(m, place) for m in self._problem_by_meaning(doc.passages[i].text, vectors[i])])
                    for i, role, ms in found]
        except Exception:  # like extraction, placing problems by meaning must never block ingestion
            log.exception("problem placement failed in document %s", doc.record.doc_id)
            return found

    def build(self, doc: PreparedDocument, vectors: np.ndarray) -> DocumentGraph:
        """Resolve a document's mentions to entity ids (a stored entity with the mention's key, else the
        mention's own id) and derive its relations.

        `vectors` holds the document's passage vectors in order (rows normalised), for `addresses`.
        """
        ids: dict[str, str] = {}
        rows: list[NewMention] = []
        resolved: list[Resolved] = []
        practice_ids: dict[str, str] = {}
        for index, role, mentions in self._placed(doc, vectors):
            for k in mentions:
                m = k.mention
                eid = ids.get(k.key) or self.store.graph.entity_for_key(k.key) or k.default_id
                ids[k.key] = eid
                if m.type == "practice":
                    practice_ids[m.name] = eid
                rows.append(NewMention(eid, m.type, m.name, k.key, index, m.start, m.end, m.surface,
                                       dict(m.attributes)))
                resolved.append(Resolved(index, role, eid, m.type, dict(m.attributes)))
        resolved = [_link_practice(r, practice_ids) for r in resolved]
        place_ids = {m.name: r.entity_id for r, m in zip(resolved, rows, strict=True) if r.type == "place"}
        main_id = place_ids.get(doc.record.place)

        def similarity(i: int, j: int) -> float:
            return float(vectors[i] @ vectors[j])

        edges = document_relations(resolved, main_id, place_ids, similarity)
        relations = tuple(NewRelation(e.src, e.dst, e.type, e.weight, e.evidence) for e in edges)
        return DocumentGraph(tuple(rows), relations, doc.unextracted)


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


def similar_practices(store: Store, encoder, new_ids: set[str]) -> list[EvidencedRelation]:
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
            evidence = tuple(e for e in (store.graph.first_mention(src), store.graph.first_mention(dst)) if e)
            out.append(EvidencedRelation(src, dst, "similar_to", round(float(scores[j]), 4), evidence))
    return out
