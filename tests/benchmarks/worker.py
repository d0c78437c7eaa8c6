"""One benchmark size, start to finish, in the current process: corpus, ingest, ceiling, queries, store, server."""

from __future__ import annotations

import cProfile
import io
import pstats
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from tests.benchmarks import measure
from tests.benchmarks.queries import benchmark_queries
from tests.benchmarks.server import measure_server
from tests.benchmarks.synth import CORPUS_DIR, REPO_ROOT, generate

DEMO = "demo"


def log(message: str) -> None:
    """Progress on stderr, so that stdout carries only the table."""
    sys.stderr.write(f"[bench {time.strftime('%H:%M:%S')}] {message}\n")
    sys.stderr.flush()


def corpus_for(size: str, folder: Path, seed: int) -> dict:
    """The corpus of a size: the real demo corpus for "demo", else synthetic files written to `folder`."""
    if size == DEMO:
        return {"folder": CORPUS_DIR, "multiple": 1.0, "synthetic": False, "generate_s": 0.0}
    started = time.perf_counter()
    generate(folder, float(size), seed=seed)
    return {"folder": folder, "multiple": float(size), "synthetic": True, "generate_s": time.perf_counter() - started}


def profiler(out_dir: Path | None, size: str):
    """A function running a job under cProfile and writing its report, or None without --profile."""
    if out_dir is None:
        return None

    def run(job):
        profile = cProfile.Profile()
        result = profile.runcall(job)
        out_dir.mkdir(parents=True, exist_ok=True)
        profile.dump_stats(str(out_dir / f"profile-{size}.prof"))
        text = io.StringIO()
        for key in ("cumulative", "tottime"):
            pstats.Stats(profile, stream=text).sort_stats(key).print_stats(40)
        (out_dir / f"profile-{size}.txt").write_text(text.getvalue(), encoding="utf-8")
        return result

    return run


def stage_table(pure: dict, ingest: dict) -> dict:
    """Seconds and input characters per second for read+clean+split, extract, embed and index."""
    chars = pure["counts"]["chars"]
    rcs = sum(pure["seconds"].values())
    extract = (ingest["extract_s"] or 0.0) + pure.get("extract_s", 0.0)
    index = max(0.0, ingest["wall_s"] - rcs - extract - ingest["embed_s"])
    stages = {"read_clean_split": rcs, "extract": extract, "embed": ingest["embed_s"], "index": index}
    return {name: {"s": s, "chars_per_s": chars / s if s else None, "share": s / ingest["wall_s"]}
            for name, s in stages.items()}


def fresh_folder(folder: Path) -> Path:
    """An empty folder to keep a size's corpus and store in; refuses to reuse a non-empty one."""
    if folder.exists() and any(folder.iterdir()):
        raise SystemExit(f"{folder} is not empty; remove it or pass another --keep folder")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def with_ratios(ceiling: dict, ingest: dict, embedded: int) -> dict:
    """End-to-end ingest ÷ raw encode over the same texts: (texts embedded / ingest seconds) ÷ (texts / encode
    seconds), in wall seconds and in CPU seconds (the CPU view is less sensitive to other processes)."""
    if not embedded or not ceiling["passages"] or not ceiling["s"]:
        return {**ceiling, "ratio": None, "ratio_cpu": None}
    ratio = (embedded / ingest["wall_s"]) / (ceiling["passages"] / ceiling["s"])
    ratio_cpu = (embedded / ingest["cpu_s"]) / (ceiling["passages"] / ceiling["cpu_s"])
    return {**ceiling, "ratio": ratio, "ratio_cpu": ratio_cpu}


def ingest_section(size: str, work: Path, config, encoder, args) -> tuple[dict, dict, list[str]]:
    """Corpus, pure-stage pass and end-to-end ingest: (corpus figures, ingest figures, embedded texts)."""
    corpus = corpus_for(size, work / "corpus", args.seed)
    log(f"size {size}: corpus in {corpus['folder']} ({corpus['generate_s']:.1f} s to generate)")
    pure = measure.pure_stages(corpus["folder"], config.lexicon_dir)
    log(f"size {size}: read+clean+split {sum(pure['seconds'].values()):.1f} s, {pure['counts']}")
    ingest = measure.run_ingest(corpus["folder"], config, encoder, profiler(args.profile, size))
    texts = ingest.pop("embedded_texts")
    log(f"size {size}: ingest {ingest['wall_s']:.1f} s (embed {ingest['embed_s']:.1f} s), "
        f"{ingest['passages_stored']} passages stored")
    counts = pure["counts"]
    wall = ingest["wall_s"]
    corpus_out = {"synthetic": corpus["synthetic"], "multiple": corpus["multiple"], "generate_s": corpus["generate_s"],
                  **counts, "documents_stored": ingest["documents_stored"],
                  "passages_stored": ingest["passages_stored"], "texts_embedded": len(texts)}
    ingest_out = {**ingest, "pure_seconds": pure["seconds"], "stages": stage_table(pure, ingest),
                  "chars_per_s": counts["chars"] / wall, "passages_per_s": ingest["passages_stored"] / wall,
                  "embedded_chars_per_s": sum(map(len, texts)) / wall, "profiled": args.profile is not None}
    return corpus_out, ingest_out, texts


@contextmanager
def store_of(backend: str, work: Path) -> Iterator[Path | str]:
    """A new, empty store on `backend`: a folder, or a database on a PostgreSQL with pgvector that this
    process starts in a temporary folder (tests/pg.py; DJKG_TEST_PG names a server of one's own instead)."""
    if backend == "sqlite":
        yield work / "store"
        return
    from kg.backends import open_store
    from tests.pg import PostgresForTests

    server = PostgresForTests()
    try:
        url = server.database()
        open_store(url, create=True).close()
        yield url
    finally:
        server.close()


def run_size(size: str, args) -> dict:
    """Every figure of one size on one backend; the store lives in a temporary folder or database removed at
    the end, or with --keep (SQLite) in KEEP/SIZE-BACKEND/store beside its corpus."""
    import torch

    if args.torch_threads:
        torch.set_num_threads(args.torch_threads)
    started = time.perf_counter()
    load_start = measure.load_average()
    code = measure.code_fingerprint(REPO_ROOT)
    with tempfile.TemporaryDirectory(prefix=f"djkg-bench-{size}-") as tmp:
        work = Path(tmp) if args.keep is None else fresh_folder(args.keep / f"{size}-{args.backend}")
        with store_of(args.backend, work) as db:
            return _measure_size(size, args, work, db, started, load_start, code)


def _measure_size(size: str, args, work: Path, db: Path | str, started: float, load_start, code: str) -> dict:
    """run_size's figures over the store `db`, with the corpus and state in `work`."""
    import torch

    config = replace(measure.engine_config(db), state_dir=work / "state")
    encoder, load_s = measure.load_encoder(config)
    phases = {"after_model_load": measure.memory_now()}
    corpus, ingest, texts = ingest_section(size, work, config, encoder, args)
    phases["after_ingest"] = measure.memory_now()
    ceiling = with_ratios(measure.measure_ceiling(encoder, texts, args.ceiling_sample), ingest, len(texts))
    phases["after_ceiling"] = measure.memory_now()
    log(f"size {size}: ceiling {ceiling['passages_per_s']:.1f} passages/s, ratio {ceiling['ratio'] or 0:.2f}")
    warm, search, problems = benchmark_queries(args.queries, args.seed)
    latency = measure.measure_queries(config, encoder, warm, search, problems)
    phases["after_queries"] = measure.memory_now()
    log(f"size {size}: search p95 cold {latency['search']['cold'].get('p95_ms', 0):.1f} ms")
    rss = measure.peak_rss_bytes()
    store = measure.store_size(config.db)
    server = measure_server(config.db, search[0], args.torch_threads, state_dir=work / "state")
    log(f"size {size}: server up in {server['startup_s']:.2f} s")
    return {
        "size": size, "backend": args.backend, "corpus": corpus, "ingest": ingest, "ceiling": ceiling,
        "model": {"name": encoder.name, "dim": encoder.dim, "load_s": load_s, "batch_size": encoder.batch_size,
                  "torch_threads": torch.get_num_threads()},
        "search": latency["search"], "experience": latency["experience"],
        "memory": {"peak_rss_bytes": rss, "server_peak_rss_bytes": server.pop("peak_rss_bytes"), "phases_mib": phases},
        "store": store, "server": server,
        "load_average": {"start": load_start, "end": measure.load_average()},
        "total_s": time.perf_counter() - started,
        "code": {"start": code, "end": measure.code_fingerprint(REPO_ROOT)},
    }
