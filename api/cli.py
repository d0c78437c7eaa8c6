"""The djkg command line: ingest, search, stats, remove, serve, init, migrate (see DESIGN.md's CLI contract)."""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys

from api.settings import load_settings
from kg.errors import StoreError
from load.types import FileReport
from search.engine import Engine
from search.errors import QueryError
from search.types import SearchResult

EXAMPLES = """examples:
  djkg ingest data/corpus
  djkg search 如何整顿软弱涣散的村党组织
  djkg search "组织生活流于形式" -k 5 --role problem
  echo 村干部报酬低 | djkg search - --json
  djkg experience 村集体经济薄弱 --exclude-place 颍上县
  djkg entities --type practice
  djkg entity practice:两学一做
  djkg export --format graphml graph.graphml
  djkg stats --json
  djkg init --db postgresql://djkg@localhost/djkg
  djkg migrate --from data/store --to postgresql://djkg@localhost/djkg
"""


def _workers(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"--workers takes a whole number of processes, 1 or more, not {value!r}")
    return int(value)


def _engine(args) -> Engine:
    return Engine(load_settings(args.db).engine)


def _dump(obj) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


def cmd_ingest(args) -> int:
    from tqdm import tqdm

    from ingest.read import iter_paths

    engine = _engine(args)
    items = list(iter_paths(args.paths))
    bar = tqdm(total=len(items), unit="file", desc="ingest", file=sys.stderr, disable=args.quiet)

    def tick(report: FileReport) -> None:
        bar.update(1)
        bar.set_postfix_str(report.path[-40:])

    reports = engine.ingest(args.paths, progress=tick, workers=args.workers)
    bar.close()
    if args.json:
        _dump([r.__dict__ for r in reports])
    else:
        for r in reports:
            if r.ok:
                print(
                    f"ok    {r.path}: {r.documents} documents, {r.passages} passages"
                    + (f", {r.unchanged} unchanged" if r.unchanged else "")
                    + (f"; warning: {r.warning}" if r.warning else "")
                )
            else:
                print(f"skip  {r.path}: {r.error}")
        landed = sum(r.documents for r in reports)
        failed = sum(1 for r in reports if not r.ok)
        print(f"{landed} documents added, {sum(r.passages for r in reports)} passages; {failed} files skipped")
    if not reports:
        return 1
    return 0 if all(r.ok for r in reports) else (1 if not any(r.ok for r in reports) else 2)


def _highlight(text: str, terms: list[str], tty: bool) -> str:
    if not tty or not terms:
        return text
    pattern = re.compile("|".join(re.escape(t) for t in sorted(set(terms), key=len, reverse=True)))
    return pattern.sub(lambda m: f"\033[1;31m{m.group()}\033[0m", text)


def _print_result(engine: Engine, result: SearchResult) -> None:
    tty = sys.stdout.isatty()
    terms = [t for t in engine.tokenizer.tokens(result.query) if len(t) > 1]
    print(f"{result.query}  ({len(result.hits)} hits, {result.took_ms:.0f} ms)")
    for hit in result.hits:
        print(f"\n[{hit.rank}] {hit.title} · {hit.section or '（正文）'} · {hit.role}")
        print("    " + _highlight(hit.text.replace("\n", " "), terms, tty))
        print(f"    —— {hit.citation}")
        if hit.reference:
            print(f"    {hit.reference}")


def _queries(args) -> list[str]:
    if args.query == "-":
        return [line.strip() for line in sys.stdin if line.strip()]
    return [args.query]


def _answer_each(args, verb: str, ask, show, empty: dict) -> int:
    """Answer each query (one, or one per stdin line with -): JSON lines or readable text; exit 2 on a bad one."""
    engine = _engine(args)
    engine.warm()
    status = 0
    for query in _queries(args):
        try:
            answer = ask(engine, query)
        except QueryError as exc:
            status = 2
            if args.json:
                _dump({"query": query, "took_ms": 0, **empty, "error": {"code": "bad_query", "message": str(exc)}})
            else:
                print(f"djkg {verb}: {exc}", file=sys.stderr)
            continue
        if args.json:
            _dump(answer.to_json())
        else:
            show(engine, answer)
    return status


def cmd_search(args) -> int:
    return _answer_each(
        args, "search",
        lambda engine, q: engine.search(q, k=args.k, place=args.place, role=args.role, explain=args.explain),
        _print_result, {"hits": []})


def _print_experience(answer) -> None:
    def problem(p: dict) -> str:
        topics = f"; 针对: {'、'.join(p['topics'])}" if p.get("topics") else ""
        return f"{p['name']}({p['score']:.2f}{topics})"

    understood = "、".join(problem(p) for p in answer.problems) or "（未匹配到问题类别）"
    print(f"{answer.query}\n  理解为: {understood}  ({len(answer.results)} results, {answer.took_ms:.0f} ms)")
    if answer.reason:
        print(f"  {answer.reason}")
    for r in answer.results:
        places = "、".join(r.places[:4])
        print(f"\n[{r.rank}] {r.name}  ({r.type}{'; ' + places if places else ''})")
        for ind in r.indicators[:3]:
            print(f"    成效: {ind['name']}")
        for hit in r.evidence:
            print(f"    “{hit.quote.strip()[:120]}”\n      —— {hit.citation}")
        if r.explain:
            print(f"    why: {r.explain}")


def cmd_experience(args) -> int:
    return _answer_each(
        args, "experience",
        lambda engine, q: engine.experience(q, k=args.k, place=args.place, exclude_place=args.exclude_place,
                                            explain=args.explain),
        lambda engine, answer: _print_experience(answer), {"problems": [], "results": []})


def cmd_entities(args) -> int:
    engine = _engine(args)
    try:
        rows = engine.entities(args.type, limit=args.limit)
    except QueryError as exc:
        print(f"djkg entities: {exc}", file=sys.stderr)
        return 2
    if args.json:
        _dump([row.to_json() for row in rows])
        return 0
    for row in rows:
        places = "、".join(row.places[:3])
        print(f"{row.type:10s} {row.name}  ({row.documents} 篇, {row.mentions} 处)"
              + (f"  @ {places}" if places else "") + f"  [{row.id}]")
    return 0


def cmd_entity(args) -> int:
    engine = _engine(args)
    try:
        found = engine.entity(args.entity_id)
    except QueryError as exc:
        print(f"djkg entity: {exc}", file=sys.stderr)
        return 1
    if args.json:
        _dump(found.to_json())
        return 0
    entity = found.entity
    print(f"{entity.name}  ({entity.type}; {entity.documents} 篇, {entity.mentions} 处)")
    if entity.aliases:
        print("  又称: " + "、".join(entity.aliases))
    for hit in found.evidence:
        print(f"\n  “{hit.quote.strip()[:160]}”\n    —— {hit.citation}")
    if found.neighbors:
        print("\n  相关:")
        for n in found.neighbors[:20]:
            arrow = "→" if n.direction == "out" else "←"
            print(f"    {arrow} {n.relation:10s} {n.name} ({n.type}, {n.weight:.2f})")
    return 0


def cmd_export(args) -> int:
    from kg.backends import open_store
    from kg.export import export_graph
    from kg.graph import build_graph

    written = export_graph(build_graph(open_store(load_settings(args.db).engine.db)), args.format, args.out)
    for path in written:
        print(f"wrote {path}")
    return 0


def cmd_init(args) -> int:
    from kg.backends import open_store
    from kg.schema import SCHEMA_VERSION

    store = open_store(load_settings(args.db).engine.db, create=True)
    counts = store.counts()
    print(f"store {store.location}: schema {SCHEMA_VERSION}, {counts.documents} documents, "
          f"{counts.passages} passages")
    return 0


def cmd_migrate(args) -> int:
    from kg.backends import open_store
    from kg.migrate import copy_store

    source = open_store(load_settings(args.source).engine.db)
    target = open_store(load_settings(args.target).engine.db, create=True)
    copied = copy_store(source, target)
    print(f"copied {source.location} → {target.location}: "
          + ", ".join(f"{n} {table}" for table, n in copied.items() if n))
    return 0


def cmd_stats(args) -> int:
    stats = _engine(args).stats()
    if args.json:
        _dump(stats)
    else:
        print(
            f"documents {stats['documents']}, passages {stats['passages']}, model {stats['model']} ({stats['dim']}-d)"
        )
    return 0


def cmd_remove(args) -> int:
    engine = _engine(args)
    try:
        removed = engine.remove(args.doc_id)
    except QueryError as exc:
        print(f"djkg remove: {exc}", file=sys.stderr)
        return 1
    print(f"removed {args.doc_id} ({removed} passages no longer supported by any document)")
    return 0


def cmd_serve(args) -> int:
    import uvicorn

    from api.app import create_app
    from api.protocol import HttpProtocol

    settings = load_settings(args.db)
    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level="warning", http=HttpProtocol)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="djkg",
        description="Knowledge graph and search over 基层党建 reports.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", help="store: a folder (SQLite) or postgresql://user@host/db "
                        "(default $DJKG_DB, $DJKG_HOME or data/store)")

    p = sub.add_parser("ingest", parents=[common], help="ingest files or folders (.txt .md .html .docx .pdf)")
    p.add_argument("paths", nargs="+")
    p.add_argument("--json", action="store_true", help="per-file report as JSON")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--workers", type=_workers, default=1,
                   help="processes that read, clean and split files (default 1; the model and the writes stay in "
                        "this process, and the store is the same for any number)")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("search", parents=[common], help="passages for a question, e.g. 组织生活流于形式")
    p.add_argument("query", help="the question, or - to read one query per line from stdin")
    p.add_argument("-k", type=int, default=10, help="number of hits, 1–100 (default 10)")
    p.add_argument("--json", action="store_true", help="one JSON object per query")
    p.add_argument("--place", help="only passages about a place, e.g. 上海市")
    p.add_argument("--role", help="only sections of this role: practice, problem, plan, background, other")
    p.add_argument("--explain", action="store_true", help="show keyword and vector ranks of each hit")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("experience", parents=[common], help="what others did about a problem, e.g. 村集体经济薄弱")
    p.add_argument("query", help="the problem in plain Chinese, or - to read one per line from stdin")
    p.add_argument("-k", type=int, default=10, help="number of results, 1–100 (default 10)")
    p.add_argument("--json", action="store_true", help="one JSON object per query")
    p.add_argument("--place", help="only experience from this place (and places inside it)")
    p.add_argument("--exclude-place", help="experience from elsewhere than this place, e.g. 颍上县")
    p.add_argument("--explain", action="store_true", help="say why each result ranks where it does")
    p.set_defaults(func=cmd_experience)

    p = sub.add_parser("entities", parents=[common], help="practices, measures, problems, places, indicators")
    p.add_argument("--type", help="practice, measure, problem, place, indicator or organization")
    p.add_argument("--limit", type=int, help="at most this many, most documented first")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_entities)

    p = sub.add_parser("entity", parents=[common], help="one entity with evidence quotes, e.g. practice:两学一做")
    p.add_argument("entity_id")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_entity)

    p = sub.add_parser("export", parents=[common], help="export the graph: graphml, gexf, jsonl or neo4j CSVs")
    p.add_argument("--format", required=True, choices=["graphml", "gexf", "jsonl", "neo4j"])
    p.add_argument("out", help="output file (a folder for neo4j)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("init", parents=[common], help="create the store's tables (a PostgreSQL database needs "
                       "this once), or check an existing store's schema")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("migrate", help="copy a whole store into an empty one, e.g. "
                       "--from data/store --to postgresql://djkg@db.example/djkg")
    p.add_argument("--from", dest="source", required=True, help="the store to copy (folder or URL)")
    p.add_argument("--to", dest="target", required=True, help="the empty store to fill (folder or URL)")
    p.set_defaults(func=cmd_migrate)

    p = sub.add_parser("stats", parents=[common], help="counts of documents, passages, entities")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("remove", parents=[common], help="remove a document and what only it supported")
    p.add_argument("doc_id")
    p.set_defaults(func=cmd_remove)

    p = sub.add_parser("serve", parents=[common], help="serve the web page and HTTP API")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.set_defaults(func=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="djkg: %(levelname)s %(message)s")
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (ValueError, FileNotFoundError, StoreError) as exc:
        print(f"djkg {args.command}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
