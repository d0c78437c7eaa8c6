"""Reranking: the fused candidates ordered again by a linear model of named, generic features.

The first stage (BM25 and vectors fused by RRF, `search/fusion.py`) finds the answer but orders it
poorly on real pages. This stage scores each of the fused candidates by one function, `score(features)`
= the dot product of `FEATURES` with weights fitted by logistic regression (relevant: the passage holds a
gold snippet) on the development questions, `tests/benchmarks/fit_rerank.py`, which writes
`data/lexicon/rerank_weights.tsv` and prints the figures cross-validated by page. Every feature is a
property of the question, the passage and the candidate lists, never of a page's wording.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

WEIGHTS_FILE = "rerank_weights.tsv"
_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
_ASKS_PROBLEMS = re.compile(r"(?:哪些|什么|主要|存在的?|面临的?)(?:困难|问题|难点|难题|短板|不足|挑战|障碍|瓶颈)"
                            r"|面临|成因|原因|为什么|为何")
_ASKS_REMEDY = re.compile(r"怎么办|怎样|如何|办法|对策|措施|经验|做法|解决")
# A repeated run of this many characters (a phrase of three or four words) counts fully.
LONGEST_MATCH_SCALE = 8
# Ranks deeper than this count as absent in the rank features (the fused lists are 100 deep).
RANK_DEPTH = 100

FEATURES: tuple[str, ...] = (
    "fused",            # RRF score / the best candidate's
    "keyword_rank",     # 1 - log(1 + rank) / log(1 + RANK_DEPTH) in the BM25 list, 0 when absent
    "vector_rank",      # the same in the vector list
    "keyword_score",    # BM25 / the best BM25
    "vector_score",     # cosine rescaled to [0, 1] between the list's last and first cosine
    "cosine",           # cosine of every candidate, standardised over the candidates (mean 0, sd 1)
    "longest_match",    # the longest run of the question's characters the passage repeats / 8, at most 1
    "both_lists",       # 1 when both lists found the passage
    "term_cover",       # idf-weighted share of the question's words the passage holds
    "pair_cover",       # share of the question's distinct character pairs the passage holds
    "title_cover",      # idf-weighted share of the question's words in the report's title
    "heading_cover",    # idf-weighted share of the question's words in the section heading
    "name_match",       # the passage holds a registered name (practice, place) the question holds
    "document_best",    # the best fused score among the same report's candidates / the best
    "problem_asked",    # a problem passage, and the question asks what is wrong (asks_problems)
    "problem_unasked",  # a problem passage, and the question does not ask what is wrong
    "length",           # log of the passage's characters, scaled: log(1 + chars) / log(1 + 1000)
)
# Left out, measured with tests/benchmarks/fit_rerank.py (cross-validated by page, devweb + dev questions):
# the section role (one indicator per role) and the passage's position in its section raised devweb search
# recall@10 by 0.007 but lowered dev search nDCG@10 from 0.778 to 0.766: how sites divide and label
# sections differs from source to source.


@dataclass(frozen=True)
class Candidate:
    """What the reranker reads of one fused candidate."""

    num: int
    text: str
    doc_id: str
    title: str
    heading: str
    role: str
    ordinal: int


@dataclass(frozen=True)
class Question:
    """A question's parts the features compare: its words with their idf, its character pairs, the
    registered names it holds."""

    text: str
    words: dict[str, float]
    pairs: frozenset[str]
    names: tuple[str, ...]
    asks_problems: bool = False


def asks_problems(question: str) -> bool:
    """True when a question asks what is wrong (its difficulties, problems, causes) rather than what to do.

    >>> asks_problems("边境地区基层党建面临哪些困难"), asks_problems("党员流动性大的原因")
    (True, True)
    >>> asks_problems("如何整顿软弱涣散的村党组织"), asks_problems("村集体经济薄弱怎么办")
    (False, False)
    """
    return bool(_ASKS_PROBLEMS.search(question)) and not _ASKS_REMEDY.search(question)


def char_pairs(text: str) -> frozenset[str]:
    """The distinct character pairs of a text's Chinese runs.

    >>> sorted(char_pairs("流动党员"))
    ['党员', '动党', '流动']
    """
    return frozenset(run[i : i + 2] for run in _CJK_RUN.findall(text) for i in range(len(run) - 1))


def _rank_feature(rank: int | None) -> float:
    if rank is None or rank > RANK_DEPTH:
        return 0.0
    return 1.0 - math.log1p(rank) / math.log1p(RANK_DEPTH)


def _cover(words: dict[str, float], text: str) -> float:
    total = sum(words.values())
    return sum(w for word, w in words.items() if word in text) / total if total else 0.0


def longest_run(question: str, text: str) -> int:
    """Characters in the longest run of `question` that `text` holds.

    >>> longest_run("如何整顿软弱涣散党组织", "集中整顿软弱涣散村党组织")
    6
    """
    best = 0
    for start in range(len(question)):
        end = start + best + 1
        while end <= len(question) and question[start:end] in text:
            best = end - start
            end += 1
    return best


def features(question: Question, candidates: Sequence[Candidate], fused: dict[int, float],
             keyword: list[tuple[int, float]], vector: list[tuple[int, float]],
             cosines: np.ndarray) -> np.ndarray:
    """The feature matrix, one row per candidate in order, columns as `FEATURES`; `cosines` holds each
    candidate's cosine to the question, in the same order."""
    kw_rank = {n: i for i, (n, _) in enumerate(keyword, start=1)}
    vec_rank = {n: i for i, (n, _) in enumerate(vector, start=1)}
    kw_score = dict(keyword)
    vec_score = dict(vector)
    best_kw = max(kw_score.values(), default=0.0) or 1.0
    listed = [s for _, s in vector]
    low, high = (min(listed), max(listed)) if listed else (0.0, 1.0)
    spread = (high - low) or 1.0
    best_fused = max(fused.values(), default=0.0) or 1.0
    doc_best: dict[str, float] = {}
    for c in candidates:
        doc_best[c.doc_id] = max(doc_best.get(c.doc_id, 0.0), fused.get(c.num, 0.0))
    pairs = question.pairs
    cosines = np.asarray(cosines, dtype=np.float64)
    cosine_z = (cosines - cosines.mean()) / (cosines.std() or 1.0) if len(cosines) else cosines
    rows = np.zeros((len(candidates), len(FEATURES)), dtype=np.float64)
    for i, c in enumerate(candidates):
        in_vec = c.num in vec_score
        row = rows[i]
        row[0] = fused.get(c.num, 0.0) / best_fused
        row[1] = _rank_feature(kw_rank.get(c.num))
        row[2] = _rank_feature(vec_rank.get(c.num))
        row[3] = kw_score.get(c.num, 0.0) / best_kw
        row[4] = (vec_score[c.num] - low) / spread if in_vec else 0.0
        row[5] = float(cosine_z[i])
        row[6] = min(longest_run(question.text, c.text) / LONGEST_MATCH_SCALE, 1.0)
        row[7] = 1.0 if in_vec and c.num in kw_score else 0.0
        row[8] = _cover(question.words, c.text)
        # a pair of Chinese characters in the text lies in one of its Chinese runs: the same count as
        # len(pairs & char_pairs(c.text)), without building the passage's pairs
        row[9] = sum(pair in c.text for pair in pairs) / len(pairs) if pairs else 0.0
        row[10] = _cover(question.words, c.title)
        row[11] = _cover(question.words, c.heading)
        row[12] = 1.0 if any(name in c.text for name in question.names) else 0.0
        row[13] = doc_best[c.doc_id] / best_fused
        problem = c.role == "problem"
        row[14] = 1.0 if problem and question.asks_problems else 0.0
        row[15] = 1.0 if problem and not question.asks_problems else 0.0
        row[16] = math.log1p(len(c.text)) / math.log1p(1000)
    return rows


@dataclass(frozen=True)
class Reranker:
    """A linear model over `FEATURES`: score = bias + Σ weight · feature."""

    weights: tuple[float, ...]
    bias: float = 0.0

    def score(self, rows: np.ndarray) -> np.ndarray:
        """One score per row of a feature matrix; higher is more likely relevant."""
        return rows @ np.asarray(self.weights) + self.bias

    def rank(self, candidates: Sequence[Candidate], rows: np.ndarray) -> dict[int, float]:
        """Candidate number → score."""
        return {c.num: float(s) for c, s in zip(candidates, self.score(rows), strict=True)}

    def to_tsv(self) -> str:
        lines = ["# feature\tweight (written by tests/benchmarks/fit_rerank.py)", f"bias\t{self.bias:.6f}"]
        lines += [f"{name}\t{w:.6f}" for name, w in zip(FEATURES, self.weights, strict=True)]
        return "\n".join(lines) + "\n"


def parse_weights(lines: Iterable[str]) -> Reranker:
    """A reranker from `feature<TAB>weight` lines; every feature of FEATURES must be given once.

    >>> r = parse_weights(["bias\\t-1"] + [f"{n}\\t0.5" for n in FEATURES])
    >>> r.bias, r.weights[0]
    (-1.0, 0.5)
    """
    found: dict[str, float] = {}
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, _, value = line.partition("\t")
        if name != "bias" and name not in FEATURES:
            raise ValueError(f"unknown rerank feature {name!r}; the features are: bias, {', '.join(FEATURES)}")
        found[name] = float(value)
    missing = [n for n in FEATURES if n not in found]
    if missing:
        raise ValueError(f"rerank weights lack {', '.join(missing)}; refit with tests/benchmarks/fit_rerank.py")
    return Reranker(tuple(found[n] for n in FEATURES), found.get("bias", 0.0))


def load_reranker(lexicon_dir: Path) -> Reranker | None:
    """The fitted reranker of a lexicon folder, or None when it has none (the fused order stands)."""
    path = lexicon_dir / WEIGHTS_FILE
    if not path.exists():
        return None
    return parse_weights(path.read_text(encoding="utf-8").splitlines())
