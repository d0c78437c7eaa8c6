"""Query latency on a store already built: `python -m tests.benchmarks.latency --db STORE [--queries N]`.

The same measurement as `make bench` makes after its ingest (measure.measure_queries: a fresh engine, each
of N distinct search questions and N distinct experience problems first with a new embedding, then with the
embedding cached), without ingesting again. Keep a benchmark's store with `tests.benchmarks.run --keep DIR`
(DIR/100-sqlite/store), or move it to PostgreSQL with `djkg migrate`, then time a code change on it.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tests.benchmarks import measure
from tests.benchmarks.queries import benchmark_queries
from tests.benchmarks.run import MIN_QUERIES


def table(latency: dict, db: str, stored: int) -> str:
    """The figures as Markdown rows, in the benchmark table's words."""
    rows = [f"Store: `{db}` ({stored:,} passages)", "", "| figure | p50 ms | p95 ms | p99 ms |", "|---|---:|---:|---:|"]
    for kind in ("search", "experience"):
        for mode, label in (("cold", "new query"), ("cached", "cached embedding")):
            p = latency[kind][mode]
            rows.append(f"| {kind}, {label} | {p['p50_ms']:.1f} | {p['p95_ms']:.1f} | {p['p99_ms']:.1f} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.latency", description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="a store folder or postgresql:// URL, already ingested")
    parser.add_argument("--queries", type=int, default=MIN_QUERIES,
                        help=f"distinct search and experience queries (default {MIN_QUERIES})")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args(argv)
    config = measure.engine_config(args.db)
    encoder, _ = measure.load_encoder(config)
    warm, search, problems = benchmark_queries(args.queries, args.seed)
    latency = measure.measure_queries(config, encoder, warm, search, problems)
    from kg.backends import open_store

    store = open_store(config.db)
    stored = store.counts().passages
    store.close()
    result = {"db": args.db, "passages": stored, "load_average": measure.load_average(), **latency}
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    sys.stdout.write(table(latency, args.db, stored) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
