"""Settings: the only place that reads the environment (DJKG_DB, DJKG_HOME, DJKG_MODEL, DJKG_API_TOKEN, …)."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from kg.backends import is_url
from search.engine import EngineConfig

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DB = REPO_ROOT / "data" / "store"
DEFAULT_LEXICON = REPO_ROOT / "data" / "lexicon"
QUERY_RUNTIMES = ("onnx", "torch")


@dataclass(frozen=True)
class Settings:
    engine: EngineConfig
    api_token: str | None
    max_upload_bytes: int


def load_settings(db: str | None = None) -> Settings:
    """Settings from arguments first, then the environment, then defaults."""
    env = os.environ
    where = db or env.get("DJKG_DB") or env.get("DJKG_HOME") or str(DEFAULT_DB)
    state = env.get("DJKG_STATE")
    cache = Path(env.get("DJKG_CACHE") or Path(env.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "djkg")
    if is_url(where) and not state:  # this machine's files for a server store: one folder per database
        state = str(cache / hashlib.sha256(where.encode("utf-8")).hexdigest()[:16])
    runtime = env.get("DJKG_QUERY_RUNTIME", "onnx")
    if runtime not in QUERY_RUNTIMES:
        raise ValueError(f"DJKG_QUERY_RUNTIME={runtime!r}: use one of {', '.join(QUERY_RUNTIMES)}")
    max_mb = float(env.get("DJKG_MAX_MB", "20"))
    max_inflated_mb = float(env.get("DJKG_MAX_INFLATED_MB", "16"))
    engine = EngineConfig(
        db=where if is_url(where) else Path(where),
        state_dir=Path(state) if state else None,
        lexicon_dir=Path(env.get("DJKG_LEXICON") or DEFAULT_LEXICON),
        model=env.get("DJKG_MODEL") or None,
        query_prefix=env.get("DJKG_QUERY_PREFIX", ""),
        index_kind=env.get("DJKG_INDEX", "auto"),
        quantize=env.get("DJKG_QUANTIZE", ""),
        onnx_cache=cache if runtime == "onnx" else None,
        max_bytes=int(max_mb * 1024 * 1024),
        max_inflated_bytes=int(max_inflated_mb * 1024 * 1024),
    )
    return Settings(
        engine=engine,
        api_token=env.get("DJKG_API_TOKEN") or None,
        max_upload_bytes=int(float(env.get("DJKG_MAX_UPLOAD_MB", "10")) * 1024 * 1024),
    )
