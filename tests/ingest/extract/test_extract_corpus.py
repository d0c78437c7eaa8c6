"""Precision over the real shared corpus: no generic words, problem labels or placeholders as entities."""

from __future__ import annotations

import re
import unicodedata

import pytest

from ingest.extract import extract_mentions

GENERIC = {"工作", "党建", "问题"}
PROBLEM_LABELS = {"空壳村", "负债村", "两张皮", "跳板", "空白村"}


def _passages(text: str, max_chars: int = 300):
    for line in unicodedata.normalize("NFKC", text).splitlines():
        buffer = ""
        for sentence in re.split(r"(?<=[。;!?])", line):
            if buffer and len(buffer) + len(sentence) > max_chars:
                yield buffer
                buffer = ""
            buffer += sentence
        if buffer.strip():
            yield buffer


@pytest.fixture(scope="module")
def corpus_mentions(lexicon, shared_corpus):
    files = sorted(shared_corpus.glob("*.txt"))
    if not files:
        pytest.skip(f"the shared corpus is not at {shared_corpus}")
    mentions = []
    for path in files:
        for passage in _passages(path.read_text(encoding="utf-8")):
            mentions += extract_mentions(passage, "practice", lexicon)
    return mentions


def test_no_generic_word_or_problem_label_is_a_practice(corpus_mentions):
    practices = {m.name for m in corpus_mentions if m.type == "practice"}
    assert practices, "the corpus names practices"
    assert not practices & GENERIC
    assert not practices & PROBLEM_LABELS


def test_problem_labels_are_problems(corpus_mentions):
    problems = {m.surface for m in corpus_mentions if m.type == "problem"}
    assert {"空壳村", "负债村", "两张皮", "跳板"} <= problems


def test_placeholders_never_become_places(corpus_mentions):
    places = [m for m in corpus_mentions if m.type == "place"]
    assert places
    assert not [m for m in places if re.search(r"[Xx*_]", m.surface + m.name)]
    assert {m.name for m in places} >= {"上海市", "湖北省"}
