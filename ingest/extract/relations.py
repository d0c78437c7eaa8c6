"""Relations between a document's resolved entities, each backed by the passages that evidence it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

ACTIONS = ("practice", "measure")
ACTION_ROLES = ("practice", "plan")
# Two passages of one report whose m3e vectors are this close treat the same matter; below it a practice
# section is not taken to answer a problem section (m3e cosines of unrelated report passages sit near 0.6–0.7).
ANSWER_SIMILARITY = 0.8
ANSWERS_PER_PASSAGE = 2


@dataclass(frozen=True)
class Resolved:
    """An entity named in passage `index` (of its document), with the role of that passage's section."""

    index: int
    role: str
    entity_id: str
    type: str
    attributes: dict


@dataclass(frozen=True)
class Edge:
    src: str
    dst: str
    type: str
    weight: float
    evidence: tuple[int, ...]


def _collect(edges: dict, src: str, dst: str, kind: str, weight: float, index: int) -> None:
    if src == dst:
        return
    key = (src, dst, kind)
    old_weight, evidence = edges.get(key, (0.0, set()))
    evidence.add(index)
    edges[key] = (max(old_weight, weight), evidence)


def document_relations(
    found: list[Resolved],
    main_place: str | None,
    place_ids: dict[str, str],
    similarity: Callable[[int, int], float],
) -> list[Edge]:
    """Relations of one document (DESIGN.md): applied_in, part_of, measures, addresses.

    `place_ids` maps place names named in the document to their entity ids (for parents and indicator
    places); `similarity(i, j)` compares passages i and j of the document.
    """
    edges: dict[tuple[str, str, str], tuple[float, set[int]]] = {}
    by_passage: dict[int, list[Resolved]] = {}
    for item in found:
        by_passage.setdefault(item.index, []).append(item)
    for index, items in by_passage.items():
        places = [i.entity_id for i in items if i.type == "place"]
        for item in items:
            _passage_edges(edges, item, items, places, main_place, place_ids, index)
    _answers(edges, by_passage, similarity)
    return [Edge(s, d, k, round(w, 4), tuple(sorted(ev))) for (s, d, k), (w, ev) in sorted(edges.items())]


def _passage_edges(
    edges,
    item: Resolved,
    items: list[Resolved],
    places: list[str],
    main_place: str | None,
    place_ids: dict[str, str],
    index: int,
) -> None:
    if item.type in ACTIONS:
        for place in places or ([main_place] if main_place else []):
            _collect(edges, item.entity_id, place, "applied_in", 1.0 if places else 0.5, index)
        for other in items:
            if other.type == "problem":
                _collect(edges, item.entity_id, other.entity_id, "addresses", 1.0, index)
        practice = item.attributes.get("practice_id")
        if item.type == "measure" and practice:
            _collect(edges, item.entity_id, practice, "part_of", 1.0, index)
    elif item.type == "place":
        parent = place_ids.get(item.attributes.get("parent", ""))
        if parent:
            _collect(edges, item.entity_id, parent, "part_of", 1.0, index)
    elif item.type == "indicator":
        place = place_ids.get(item.attributes.get("place") or "") or (places[0] if places else main_place)
        if place:
            _collect(edges, item.entity_id, place, "measures", 1.0, index)
        for other in items:
            if other.type in ("practice", "problem"):
                _collect(edges, item.entity_id, other.entity_id, "measures", 0.8, index)


def _answers(edges, by_passage: dict[int, list[Resolved]], similarity: Callable[[int, int], float]) -> None:
    """A practice or plan passage answers the most similar problem passages of the same report."""
    problems = {i: [x for x in items if x.type == "problem"] for i, items in by_passage.items()}
    problem_passages = [i for i, items in problems.items() if items and items[0].role == "problem"]
    for index, items in by_passage.items():
        actions = [x for x in items if x.type in ACTIONS and x.role in ACTION_ROLES]
        if not actions or not problem_passages:
            continue
        scored = sorted(((similarity(index, j), j) for j in problem_passages if j != index), reverse=True)
        for score, j in scored[:ANSWERS_PER_PASSAGE]:
            if score < ANSWER_SIMILARITY:
                break
            for action in actions:
                for problem in problems[j]:
                    _collect(edges, action.entity_id, problem.entity_id, "addresses", score, index)
                    edges[(action.entity_id, problem.entity_id, "addresses")][1].add(j)
