"""Measurements of one corpus size, run in a process of its own so that its peak RSS is its own.

How ingest time is split (the engine has no stage hooks, so nothing inside it is patched):
- end-to-end: `Engine.ingest` on the corpus folder into a fresh store, wall clock;
- embed: time spent inside the encoder during that run (the engine takes the encoder as an argument;
  a timing wrapper is passed in); it covers passages and the practice names embedded for `similar_to`;
- extract: extraction by rules (`extract_document`, which ingest runs next to splitting, in worker
  processes with --workers) timed in the separate pure pass below, plus the time spent in
  `engine.ingester.graph_builder.build` during the run (problems by meaning, entity resolution, relations;
  a timing proxy is put on the attribute);
- read+clean+split: the public functions `read_file`, `clean` and `split_documents` on the same files,
  timed in a separate pass just before (pure functions: the same work the engine does), with
  `extract_document` on each document in the same pass;
- index: the rest, end-to-end − the three above: tokenizing, SimHash and near-duplicate lookups,
  SQLite writes, faiss updates and the final index save.
One-off loads (the model, the traditional→simplified table) happen before any timer starts.
"""

from __future__ import annotations

import hashlib
import os
import resource
import sqlite3
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from api.settings import load_settings
from ingest.clean import clean, load_clean_rules, to_simplified
from ingest.extract import load_lexicon
from ingest.extract.document import extract_document
from ingest.headings import load_role_cues
from ingest.read import iter_paths, read_file
from ingest.split import SplitConfig, split_documents
from ingest.types import FileError
from search.encode import SentenceEncoder
from search.engine import Engine, EngineConfig

CODE_FOLDERS = ("ingest", "kg", "search", "api", "data/lexicon")


class TimedEncoder:
    """Delegates to an encoder; adds up the seconds and keeps the texts of non-query calls (passages, and
    the practice names the engine embeds for `similar_to` relations)."""

    def __init__(self, encoder):
        self.inner = encoder
        self.name, self.dim = encoder.name, encoder.dim
        self.seconds = 0.0
        self.texts: list[str] = []

    def encode(self, texts: list[str], *, query: bool = False) -> np.ndarray:
        started = time.perf_counter()
        rows = self.inner.encode(texts, query=query)
        if not query:
            self.seconds += time.perf_counter() - started
            self.texts.extend(texts)
        return rows

    def __getattr__(self, name: str):
        return getattr(self.inner, name)


class TimedBuilder:
    """Delegates to the engine's graph builder, adding up the seconds spent in `build`."""

    def __init__(self, builder):
        self.inner = builder
        self.seconds = 0.0

    def build(self, *args, **kwargs):
        started = time.perf_counter()
        try:
            return self.inner.build(*args, **kwargs)
        finally:
            self.seconds += time.perf_counter() - started

    def __getattr__(self, name: str):
        return getattr(self.inner, name)


def percentiles(samples_ms: list[float]) -> dict:
    """p50/p95/p99/mean/max of latencies in milliseconds (inclusive quantiles).

    >>> percentiles([float(i) for i in range(1, 101)])["p50_ms"]
    50.5
    """
    if len(samples_ms) < 2:
        return {"n": len(samples_ms)}
    cuts = statistics.quantiles(samples_ms, n=100, method="inclusive")
    return {"n": len(samples_ms), "p50_ms": cuts[49], "p95_ms": cuts[94], "p99_ms": cuts[98],
            "mean_ms": statistics.fmean(samples_ms), "max_ms": max(samples_ms)}


def engine_config(db_dir: Path) -> EngineConfig:
    """The configuration `djkg` itself would use (DJKG_MODEL and friends), on the given store."""
    return load_settings(str(db_dir)).engine


def load_encoder(config: EngineConfig) -> tuple[SentenceEncoder, float]:
    """The model the CLI would load, warmed up once, and the seconds loading took."""
    started = time.perf_counter()
    encoder = SentenceEncoder(config.model, query_prefix=config.query_prefix, quantize=config.quantize,
                              onnx_cache=config.onnx_cache)
    encoder.encode(["预热：加强基层党组织建设"])
    encoder.encode(["预热：怎样加强基层党组织建设"], query=True)  # the questions' runtime, exported if new
    to_simplified("經")
    return encoder, time.perf_counter() - started


def pure_stages(folder: Path, lexicon_dir: Path) -> dict:
    """Read, clean, split and extract every file with the ingest stage functions; time each and count the
    corpus."""
    rules = load_clean_rules(lexicon_dir)
    config = SplitConfig(cues=load_role_cues(lexicon_dir))
    lexicon = load_lexicon(lexicon_dir)
    seconds = {"read": 0.0, "clean": 0.0, "split": 0.0}
    extract_s = 0.0
    counts = {"files": 0, "documents": 0, "passages": 0, "chars": 0, "passage_chars": 0}
    for path in iter_paths([folder]):
        if isinstance(path, FileError):
            continue
        t0 = time.perf_counter()
        raw = read_file(path)
        t1 = time.perf_counter()
        if isinstance(raw, FileError):
            continue
        cleaned = clean(raw.text, rules)
        t2 = time.perf_counter()
        docs = split_documents(cleaned, raw.path, raw.meta, config)
        t3 = time.perf_counter()
        for stage, spent in zip(seconds, (t1 - t0, t2 - t1, t3 - t2), strict=True):
            seconds[stage] += spent
        counts["files"] += 1
        counts["documents"] += len(docs)
        counts["chars"] += len(raw.text)
        t4 = time.perf_counter()
        for doc in docs:
            extract_document(doc, lexicon)
        extract_s += time.perf_counter() - t4
        for doc in docs:
            counts["passages"] += len(doc.passages)
            counts["passage_chars"] += sum(len(p.text) for p in doc.passages)
    return {"seconds": seconds, "extract_s": extract_s, "counts": counts}


def run_ingest(folder: Path, config: EngineConfig, encoder: SentenceEncoder,
               profile: Callable[[Callable[[], object]], object] | None = None) -> dict:
    """Engine.ingest into a fresh store with timing wrappers on the encoder and the graph builder."""
    timed = TimedEncoder(encoder)
    engine = Engine(config, encoder=timed)
    builder = engine.ingester.graph_builder = TimedBuilder(engine.ingester.graph_builder)
    cpu0, started = time.process_time(), time.perf_counter()
    job = lambda: engine.ingest([folder])  # noqa: E731
    reports = profile(job) if profile else job()
    wall_s, cpu_s = time.perf_counter() - started, time.process_time() - cpu0
    failed = [r for r in reports if not r.ok]
    stats = engine.stats()
    engine.store.close()
    return {
        "wall_s": wall_s,
        "cpu_s": cpu_s,
        "embed_s": timed.seconds,
        "extract_s": builder.seconds if isinstance(builder, TimedBuilder) else None,
        "embedded_texts": timed.texts,
        "failed_files": len(failed),
        "documents_stored": stats["documents"],
        "passages_stored": stats["passages"],
        "entities": sum(stats.get("entities", {}).values()),
        "relations": sum(stats.get("relations", {}).values()),
    }


def measure_ceiling(encoder: SentenceEncoder, texts: list[str], sample: int) -> dict:
    """The model alone on the texts the engine embedded (all, or an evenly spaced sample), one call."""
    if sample and len(texts) > sample:
        step = len(texts) / sample
        texts = [texts[int(i * step)] for i in range(sample)]
    cpu0, started = time.process_time(), time.perf_counter()
    encoder.encode(texts)
    seconds, cpu_s = time.perf_counter() - started, time.process_time() - cpu0
    chars = sum(len(t) for t in texts)
    rate = 1.0 / seconds if seconds else 0.0
    return {"passages": len(texts), "chars": chars, "s": seconds, "cpu_s": cpu_s, "batch_size": encoder.batch_size,
            "passages_per_s": len(texts) * rate, "chars_per_s": chars * rate}


def time_queries(call: Callable[[str], object], queries: list[str]) -> list[float]:
    """Wall-clock milliseconds of `call` on each query, in order."""
    out = []
    for query in queries:
        started = time.perf_counter()
        call(query)
        out.append((time.perf_counter() - started) * 1000)
    return out


def measure_queries(config: EngineConfig, encoder: SentenceEncoder, warm: list[str], search: list[str],
                    problems: list[str]) -> dict:
    """Warm latencies on a fresh engine over the store: each string first cold, then from the query cache."""
    engine = Engine(config, encoder=encoder)
    out: dict = {}
    try:
        for query in warm:
            engine.search(query, k=10)
        out["search"] = {"cold": percentiles(time_queries(lambda q: engine.search(q, k=10), search)),
                         "cached": percentiles(time_queries(lambda q: engine.search(q, k=10), search))}
        experience = getattr(engine, "experience", None)
        if callable(experience):
            experience(warm[0], k=10)
            out["experience"] = {"cold": percentiles(time_queries(lambda q: experience(q, k=10), problems)),
                                 "cached": percentiles(time_queries(lambda q: experience(q, k=10), problems))}
        else:
            out["experience"] = None
    finally:
        engine.store.close()
    return out


def store_size(db: Path | str) -> dict:
    """Bytes on disk, bytes of text the store must hold (originals and passage texts), and bytes by table."""
    if isinstance(db, str) and db.startswith("postgresql://"):
        return pg_store_size(db)
    db_dir = Path(db)
    files = {p.name: p.stat().st_size for p in db_dir.iterdir() if p.is_file()}
    conn = sqlite3.connect(f"file:{db_dir / 'djkg.sqlite'}?mode=ro", uri=True)
    try:
        passage_text = conn.execute("SELECT coalesce(sum(length(CAST(text AS BLOB))), 0) FROM passages").fetchone()[0]
        originals = conn.execute("SELECT coalesce(sum(length(CAST(original AS BLOB))), 0) FROM sources").fetchone()[0]
        passages = conn.execute("SELECT count(*) FROM passages").fetchone()[0]
        try:
            tables = dict(conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC"))
        except sqlite3.OperationalError:  # SQLite built without the dbstat table
            tables = {}
    finally:
        conn.close()
    total = sum(files.values())
    text = passage_text + originals
    return {"bytes": total, "files": files, "text_bytes": text, "passage_text_bytes": passage_text,
            "original_bytes": originals, "passages": passages,
            "bytes_per_passage_beyond_text": (total - text) / passages if passages else 0.0, "tables": tables}


def pg_store_size(url: str) -> dict:
    """store_size of a PostgreSQL store: the database's size (tables, indexes with the HNSW one, TOAST)."""
    import psycopg

    with psycopg.connect(url) as conn:
        total = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
        passage_text = conn.execute("SELECT coalesce(sum(octet_length(text)), 0) FROM passages").fetchone()[0]
        originals = conn.execute("SELECT coalesce(sum(octet_length(original)), 0) FROM sources").fetchone()[0]
        passages = conn.execute("SELECT count(*) FROM passages").fetchone()[0]
        tables = dict(conn.execute("SELECT relname, pg_total_relation_size(oid) FROM pg_class"
                                   " WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace ORDER BY 2 DESC"))
    text = int(passage_text) + int(originals)
    return {"bytes": total, "files": {}, "text_bytes": text, "passage_text_bytes": int(passage_text),
            "original_bytes": int(originals), "passages": passages,
            "bytes_per_passage_beyond_text": (total - text) / passages if passages else 0.0, "tables": tables}


def code_fingerprint(root: Path) -> str:
    """Hash of the code and lexicon measured: other people edit them, and sizes should see the same code."""
    digest = hashlib.sha256()
    for path in sorted(p for folder in CODE_FOLDERS for p in (root / folder).rglob("*") if p.is_file()):
        if path.suffix in (".py", ".tsv", ".txt"):
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def memory_now() -> dict:
    """This process's current and peak resident set size in MiB (VmRSS, VmHWM), to see which phase grows it."""
    out = {}
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(("VmRSS:", "VmHWM:")):
                out[line[:5].lower()] = int(line.split()[1]) // 1024
    except OSError:
        pass
    return out


def peak_rss_bytes() -> int:
    """Peak resident set size of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def load_average() -> list[float]:
    """1/5/15-minute load averages: other work on the machine makes timings noisy."""
    return [round(x, 2) for x in os.getloadavg()]
