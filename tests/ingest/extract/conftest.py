"""Fixtures for the extract tests: the real lexicon (with its jieba tokenizer) loaded once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.extract import Lexicon, load_lexicon

REPO_ROOT = Path(__file__).resolve().parents[3]
LEXICON_DIR = REPO_ROOT / "data" / "lexicon"
SHARED_CORPUS = REPO_ROOT.parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def lexicon() -> Lexicon:
    return load_lexicon(LEXICON_DIR)


@pytest.fixture(scope="session")
def shared_corpus() -> Path:
    return SHARED_CORPUS
