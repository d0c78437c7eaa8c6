"""The benchmark's Markdown table, its growth column and the issue's targets, from the per-size results."""

from __future__ import annotations

import math
import os
import platform
import subprocess
import sys
from collections.abc import Callable

from tests.benchmarks.synth import REPO_ROOT

GIB = 1024**3
# The benchmark issue's targets; sizes other than 100× are checked against them for information.
MIN_CEILING_RATIO = 0.75
MAX_SEARCH_P95_MS = 50.0
MAX_EXPERIENCE_P95_MS = 150.0
MAX_PEAK_RSS_BYTES = 2 * GIB
MAX_STORE_BYTES_PER_PASSAGE = 3 * 1024


def machine() -> dict:
    """CPU, cores, memory, OS, Python and torch versions, and the commit measured."""
    info = {"cpu": platform.processor() or platform.machine(), "cores": os.cpu_count(), "os": platform.platform(),
            "python": sys.version.split()[0]}
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        with open("/proc/meminfo", encoding="utf-8") as meminfo:
            info["memory_gib"] = round(int(meminfo.readline().split()[1]) / 1024**2, 1)
    except OSError:
        pass
    try:
        import torch

        info["torch"] = torch.__version__
        info["torch_threads"] = torch.get_num_threads()
    except ImportError:
        pass
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain"], cwd=REPO_ROOT, capture_output=True, text=True)
    info["commit"] = commit.stdout.strip() + (" (with uncommitted changes)" if dirty.stdout.strip() else "")
    return info


def _get(result: dict, path: str):
    value = result
    for key in path.split("."):
        if not isinstance(value, dict) or value.get(key) is None:
            return None
        value = value[key]
    return value


def _fmt(value, unit: str) -> str:
    if value is None:
        return "n/a"
    if unit == "MiB":
        return f"{value / 1024**2:,.0f}"
    if unit == "%":
        return f"{100 * value:.0f} %"
    if unit == "KiB":
        return f"{value / 1024:.1f}"
    if isinstance(value, float):
        return f"{value:,.0f}" if value >= 100 else f"{value:.2f}" if value < 10 else f"{value:.1f}"
    return f"{value:,}"


# (label, unit, path into a size's result); "growth" compares the first and last sizes.
ROWS: tuple[tuple[str, str, str], ...] = (
    ("documents", "", "corpus.documents"),
    ("passages (split)", "", "corpus.passages"),
    ("passages stored (after de-duplication)", "", "corpus.passages_stored"),
    ("characters (input files)", "", "corpus.chars"),
    ("texts embedded (new passages + practice names)", "", "corpus.texts_embedded"),
    ("ingest wall time", "s", "ingest.wall_s"),
    ("ingest rate", "chars/s", "ingest.chars_per_s"),
    ("ingest rate", "stored passages/s", "ingest.passages_per_s"),
    ("· read+clean+split", "s", "ingest.stages.read_clean_split.s"),
    ("· extract (entities, relations)", "s", "ingest.stages.extract.s"),
    ("· embed (inside Engine.ingest)", "s", "ingest.stages.embed.s"),
    ("· index (tokens, dedup, SQLite, faiss)", "s", "ingest.stages.index.s"),
    ("· read+clean+split rate", "chars/s", "ingest.stages.read_clean_split.chars_per_s"),
    ("· extract rate", "chars/s", "ingest.stages.extract.chars_per_s"),
    ("· embed rate", "chars/s", "ingest.stages.embed.chars_per_s"),
    ("· index rate", "chars/s", "ingest.stages.index.chars_per_s"),
    ("ceiling: raw encode", "passages/s", "ceiling.passages_per_s"),
    ("ceiling: raw encode", "chars/s", "ceiling.chars_per_s"),
    ("ingest ÷ ceiling (target ≥ 75 %)", "%", "ceiling.ratio"),
    ("ingest ÷ ceiling, in CPU seconds", "%", "ceiling.ratio_cpu"),
    ("search p50, new query", "ms", "search.cold.p50_ms"),
    ("search p95, new query (target ≤ 50)", "ms", "search.cold.p95_ms"),
    ("search p99, new query", "ms", "search.cold.p99_ms"),
    ("search p50, cached embedding", "ms", "search.cached.p50_ms"),
    ("search p95, cached embedding", "ms", "search.cached.p95_ms"),
    ("search p99, cached embedding", "ms", "search.cached.p99_ms"),
    ("experience p50, new query", "ms", "experience.cold.p50_ms"),
    ("experience p95, new query (target ≤ 150)", "ms", "experience.cold.p95_ms"),
    ("experience p99, new query", "ms", "experience.cold.p99_ms"),
    ("peak RSS, benchmark process (target ≤ 2 GiB)", "MiB", "memory.peak_rss_bytes"),
    ("peak RSS, server after its first search", "MiB", "memory.server_peak_rss_bytes"),
    ("store size on disk", "MiB", "store.bytes"),
    ("store beyond text, per passage (target ≤ 3)", "KiB", "store.bytes_per_passage_beyond_text"),
    ("server start-up to /health 200", "s", "server.startup_s"),
    ("server: first /search after start-up", "s", "server.first_search_s"),
    ("model load", "s", "model.load_s"),
)
_SIZE_FREE = {label for label, _, path in ROWS if path.startswith("corpus.")}


def growth(first: dict, last: dict, path: str) -> str:
    """Log-log slope of a figure against stored passages: 1 = linear, < 1 sub-linear, > 1 super-linear."""
    a, b = _get(first, path), _get(last, path)
    n_a, n_b = _get(first, "corpus.passages_stored"), _get(last, "corpus.passages_stored")
    if not all(isinstance(x, int | float) and x > 0 for x in (a, b, n_a, n_b)) or n_a == n_b:
        return ""
    return f"{math.log(b / a) / math.log(n_b / n_a):.2f}"


def _label(size: str) -> str:
    return "demo (real)" if size == "demo" else f"{size}×"


def _column(result: dict) -> str:
    """A size and its store backend (results from before backends were measured are SQLite)."""
    return f"{_label(result['size'])} {result.get('backend', 'sqlite')}"


def markdown_table(results: list[dict]) -> str:
    """Metrics as rows, sizes and backends as columns, and the growth exponent between the first and last size
    (when every column is one backend)."""
    with_growth = len(results) > 1 and len({r.get("backend", "sqlite") for r in results}) == 1
    head = ["figure", "unit", *(_column(r) for r in results)] + (["growth exp."] if with_growth else [])
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(["---", "---"] + ["---:"] * (len(head) - 2)) + "|"]
    for label, unit, path in ROWS:
        cells = [label, unit, *(_fmt(_get(r, path), unit) for r in results)]
        if with_growth:
            cells.append("" if label in _SIZE_FREE else growth(results[0], results[-1], path))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _check(name: str, value, limit: float, ok: Callable[[float, float], bool]) -> str:
    if value is None:
        return f"- {name}: n/a"
    return f"- {name}: {'PASS' if ok(value, limit) else 'FAIL'} ({value:,.2f} vs {limit:,.2f})"


def targets(result: dict) -> list[str]:
    """The issue's targets checked on one size (they are defined at 100×)."""
    le, ge = (lambda v, lim: v <= lim), (lambda v, lim: v >= lim)
    return [
        _check("ingest ÷ raw encode ≥ 0.75", _get(result, "ceiling.ratio"), MIN_CEILING_RATIO, ge),
        _check("search p95 ≤ 50 ms (new query)", _get(result, "search.cold.p95_ms"), MAX_SEARCH_P95_MS, le),
        _check("experience p95 ≤ 150 ms", _get(result, "experience.cold.p95_ms"), MAX_EXPERIENCE_P95_MS, le),
        _check("peak RSS ≤ 2 GiB (GiB)", (_get(result, "memory.peak_rss_bytes") or 0) / GIB, 2.0, le),
        _check("store beyond text ≤ 3 KiB/passage (KiB)",
               (_get(result, "store.bytes_per_passage_beyond_text") or 0) / 1024, 3.0, le),
    ]


def machine_line(info: dict) -> str:
    """One line naming the machine, for the README."""
    return (f"{info.get('cpu')}, {info.get('cores')} cores, {info.get('memory_gib', '?')} GiB RAM, {info.get('os')}, "
            f"Python {info.get('python')}, torch {info.get('torch', '?')} ({info.get('torch_threads', '?')} threads), "
            f"commit {info.get('commit')}")


def render(results: list[dict], info: dict, command: str) -> str:
    """The whole Markdown report: command, machine, table, targets at the largest size, noise note."""
    loads = [r["load_average"]["start"][0] for r in results] + [r["load_average"]["end"][0] for r in results]
    codes = {c for r in results for c in r.get("code", {}).values()}
    changed = ["", f"WARNING: the code changed during the runs (fingerprints {', '.join(sorted(codes))}); "
               "sizes did not all measure the same code."] if len(codes) > 1 else []
    parts = [
        f"Command: `{command}`", "", f"Machine: {machine_line(info)}", "",
        markdown_table(results), "",
        *(line for r in results if r["size"] == results[-1]["size"]
          for line in (f"Targets at {_column(r)} (the issue sets them at 100×):", *targets(r), "")),
        f"1-minute load average during the runs: {min(loads):.1f}–{max(loads):.1f} on {info.get('cores')} cores "
        "(other work shares the machine; timings are noisy). Growth exp. = log-log slope against stored "
        "passages between the first and last size: 1 linear, < 1 sub-linear.",
        *changed,
    ]
    return "\n".join(parts)
