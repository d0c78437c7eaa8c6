"""What an engine is built from: the store, the lexicon, the model and the limits, as explicit settings."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ingest.read import DEFAULT_MAX_BYTES, DEFAULT_MAX_INFLATED_BYTES
from kg.backends import is_url


@dataclass(frozen=True)
class EngineConfig:
    """Everything the engine needs, read from the environment by api/settings.py only."""

    db: str | Path           # a store folder (SQLite) or a postgresql:// URL
    lexicon_dir: Path
    model: str | None = None
    query_prefix: str = ""
    index_kind: str = "auto"
    quantize: str = ""
    onnx_cache: Path | None = None  # a folder for the ONNX graph questions run in; None: PyTorch (search/encode.py)
    max_bytes: int = DEFAULT_MAX_BYTES
    max_inflated_bytes: int = DEFAULT_MAX_INFLATED_BYTES
    state_dir: Path | None = None  # this machine's files (job log, saved vector index); default: the store folder

    @property
    def local_dir(self) -> Path:
        """Where this process keeps files of its own: the store folder, or `state_dir` for a server store."""
        if self.state_dir is not None:
            return Path(self.state_dir)
        if is_url(self.db):
            raise ValueError("a PostgreSQL store needs a state_dir for this machine's files")
        return Path(self.db)
