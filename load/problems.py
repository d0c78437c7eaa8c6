"""Problem understanding: which categories of the lexicon's taxonomy a text is about, by cue and by meaning."""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np

from ingest.extract import load_lexicon
from ingest.extract.lexicon import ProblemCategory
from search.encode import Encoder

_REGEX_SYNTAX = re.compile(r"[()?|.{}*+\[\]\\^$]|\d")
# A cue written as a word and then what is wrong with it ("集体经济(薄弱|空虚)", "覆盖(面)?(不全|不到位)")
# names its topic first: the thing a remedy works on (发展壮大集体经济, 推进楼宇党建覆盖). Topics shorter
# than this are too vague to tell a remedy by.
MIN_TOPIC_CHARS = 2


def cue_topic(cue: str) -> str:
    """The literal word a cue starts with when a group follows it, else "" (a plain label has no topic).

    >>> cue_topic("集体经济(实力)?(薄弱|空虚)"), cue_topic("空壳村"), cue_topic("(无|没有)活动场所")
    ('集体经济', '', '')
    """
    match = _REGEX_SYNTAX.search(cue)
    if match is None or cue[match.start()] != "(":
        return ""
    head = cue[: match.start()]
    return head if len(head) >= MIN_TOPIC_CHARS else ""


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

    def topics(self, text: str, categories: Iterable[str] = ()) -> dict[str, ProblemCategory]:
        """Topics (see `cue_topic`) that `text` names, of the categories it states by cue and of
        `categories` (those it was matched to by meaning), each with its category: its pattern tells a
        passage naming the topic as a goal ("扩大覆盖面") from one reporting the problem ("覆盖面窄").

        >>> from pathlib import Path
        >>> matcher = ProblemMatcher(None, None, load_lexicon(Path(__file__).parents[1] / "data" / "lexicon"))
        >>> list(matcher.topics("城市新兴领域党的组织覆盖不到位")), list(matcher.topics("流动党员教育管理"))
        (['覆盖'], [])
        >>> list(matcher.topics("流动党员教育管理", ["流动党员管理难"]))
        ['流动党员']
        """
        wanted = set(categories)
        found: dict[str, ProblemCategory] = {}
        for category in self.lexicon.problems:
            if category.name not in wanted and not category.pattern.search(text):
                continue
            for cue in category.cues:
                topic = cue_topic(cue)
                if topic and topic in text:
                    found.setdefault(topic, category)
        return found

    def by_meaning(self, vector: np.ndarray) -> dict[str, float]:
        """Cosine similarity of a (normalised) text vector to every category prototype."""
        names, matrix = self._prototypes()
        scores = matrix @ vector
        return {name: float(s) for name, s in zip(names, scores, strict=True)}
