"""Exports of the graph: GraphML, GEXF, JSON Lines, and CSV files for `neo4j-admin database import`."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx

FORMATS = ("graphml", "gexf", "jsonl", "neo4j")


def _flat(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """GraphML and GEXF take scalar attributes only: evidence lists become comma-separated strings."""
    flat = nx.MultiDiGraph()
    flat.add_nodes_from(graph.nodes(data=True))
    for src, dst, key, data in graph.edges(keys=True, data=True):
        flat.add_edge(src, dst, key=key, **{k: ",".join(map(str, v)) if isinstance(v, list) else v
                                            for k, v in data.items()})
    return flat


def export_graph(graph: nx.MultiDiGraph, fmt: str, out: Path) -> list[Path]:
    """Write the graph in one of FORMATS; returns the files written (neo4j writes a folder of CSVs)."""
    out = Path(out)
    if fmt == "graphml":
        nx.write_graphml(_flat(graph), out)
        return [out]
    if fmt == "gexf":
        nx.write_gexf(_flat(graph), out)
        return [out]
    if fmt == "jsonl":
        with out.open("w", encoding="utf-8") as f:
            for node, data in graph.nodes(data=True):
                f.write(json.dumps({"kind": "node", "id": node, **data}, ensure_ascii=False) + "\n")
            for src, dst, data in graph.edges(data=True):
                f.write(json.dumps({"kind": "edge", "src": src, "dst": dst, **data}, ensure_ascii=False) + "\n")
        return [out]
    if fmt == "neo4j":
        return _neo4j(graph, out)
    raise ValueError(f"unknown export format {fmt!r}; valid formats: {', '.join(FORMATS)}")


def _neo4j(graph: nx.MultiDiGraph, folder: Path) -> list[Path]:
    """Node and relationship CSVs with the header syntax of neo4j-admin's import tool."""
    folder.mkdir(parents=True, exist_ok=True)
    nodes, rels = folder / "entities.csv", folder / "relations.csv"
    with nodes.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["id:ID", "name", "mentions:int", "documents:int", ":LABEL"])
        for node, data in graph.nodes(data=True):
            writer.writerow([node, data.get("name", ""), data.get("mentions", 0), data.get("documents", 0),
                             str(data.get("type", "entity")).capitalize()])
    with rels.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow([":START_ID", ":END_ID", ":TYPE", "weight:float", "evidence:int[]"])
        for src, dst, data in graph.edges(data=True):
            writer.writerow([src, dst, str(data["type"]).upper(), data.get("weight", 0.0),
                             ";".join(map(str, data.get("evidence", [])))])
    return [nodes, rels]
