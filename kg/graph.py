"""A networkx view of the store's graph, and the graph queries built on it."""

from __future__ import annotations

import networkx as nx

from kg.store import Store


def build_graph(store: Store) -> nx.MultiDiGraph:
    """Entities as nodes (type, name, counts), relations as edges (type, weight, evidence passage ids)."""
    graph = nx.MultiDiGraph()
    for entity in store.graph.list():
        graph.add_node(entity.id, type=entity.type, name=entity.name, mentions=entity.mentions,
                       documents=entity.documents)
    for r in store.graph.relations():
        if r.src in graph and r.dst in graph:
            graph.add_edge(r.src, r.dst, key=r.type, type=r.type, weight=r.weight, evidence=list(r.evidence))
    return graph


def neighbourhood(graph: nx.MultiDiGraph, entity_id: str, depth: int = 1, limit: int = 60) -> nx.MultiDiGraph:
    """The entity and its neighbours up to `depth` hops, strongest edges first, at most `limit` nodes.

    Raises:
        KeyError: when the entity is not in the graph.
    """
    if entity_id not in graph:
        raise KeyError(entity_id)
    keep = {entity_id}
    frontier = [entity_id]
    for _ in range(depth):
        nxt = []
        for node in frontier:
            edges = [(d.get("weight", 0.0), other) for _, other, d in graph.out_edges(node, data=True)]
            edges += [(d.get("weight", 0.0), other) for other, _, d in graph.in_edges(node, data=True)]
            for _, other in sorted(edges, key=lambda e: -e[0]):
                if len(keep) >= limit:
                    break
                if other not in keep:
                    keep.add(other)
                    nxt.append(other)
        frontier = nxt
    return graph.subgraph(keep).copy()
