"""Problem understanding: which categories of the lexicon's taxonomy a text is about, by cue and by meaning."""

from __future__ import annotations

import re

import numpy as np

from ingest.extract import load_lexicon
from search.encode import Encoder

_REGEX_SYNTAX = re.compile(r"[()?|.{}*+\[\]\\^$]|\d")


def prototype_text(name: str, cues: tuple[str, ...]) -> str:
    """A category as plain words for the encoder: its name and its cue fragments without regex syntax.

    >>> prototype_text("集体经济薄弱", ("集体经济(薄弱|空虚)", "空壳村"))
    '集体经济薄弱 集体经济 薄弱 空虚 空壳村'
    """
    words = [w for cue in cues for w in _REGEX_SYNTAX.sub(" ", cue).split()]
    return " ".join([name, *dict.fromkeys(words)])


class ProblemMatcher:
    """Matches texts to problem categories by lexicon cues and by similarity to category prototypes."""

    def __init__(self, lexicon_dir, encoder: Encoder, lexicon=None):
        self.lexicon = lexicon or load_lexicon(lexicon_dir)
        self.encoder = encoder
        self._names: list[str] = []
        self._matrix: np.ndarray | None = None

    def _prototypes(self) -> tuple[list[str], np.ndarray]:
        if self._matrix is None:
            groups: dict[str, list[str]] = {}
            for category in self.lexicon.problems:
                groups.setdefault(category.name, []).extend(category.cues)
            self._names = list(groups)
            self._matrix = self.encoder.encode([prototype_text(n, tuple(c)) for n, c in groups.items()])
        return self._names, self._matrix

    def by_cue(self, text: str) -> dict[str, float]:
        return {c.name: 1.0 for c in self.lexicon.problems if c.pattern.search(text)}

    def by_meaning(self, vector: np.ndarray) -> dict[str, float]:
        """Cosine similarity of a (normalised) text vector to every category prototype."""
        names, matrix = self._prototypes()
        scores = matrix @ vector
        return {name: float(s) for name, s in zip(names, scores, strict=True)}
