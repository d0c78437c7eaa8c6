"""Extract stage: the domain lexicon (cue words, problem taxonomy, gazetteer) loaded from `data/lexicon/`."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .gazetteer import Gazetteer, load_gazetteer
from .segment import Segmenter

CUES_FILE = "cues.tsv"
PROBLEMS_FILE = "problems.tsv"
DIVISIONS_EXTRA_FILE = "divisions_extra.csv"
CUE_KINDS = (
    "practice_verb",
    "practice_head",
    "generic_head",
    "generic_term",
    "negative_head",
    "problem_verb",
    "stuck_verb",
    "naming_verb",
    "problem_noun",
    "remedy_verb",
    "adverb",
    "action_verb",
    "preposition",
    "measure_lead",
    "actor_head",
    "unit",
    "digit_unit",
    "count_unit",
    "unit_multiplier",
    "comparator_before",
    "comparator_after",
    "target_cue",
    "status_cue",
    "scope",
    "place_street",
    "place_town",
    "place_village",
    "place_zone",
    "place_zone_bare",
    "admin_tail",
    "place_determiner",
    "place_organ",
    "organ_department",
    "area_word",
    "place_kind",
)


@dataclass(frozen=True)
class ProblemCategory:
    """A problem category and the regular expression built from its cue fragments."""

    name: str
    cues: tuple[str, ...]
    pattern: re.Pattern


@dataclass(frozen=True, eq=False)
class Lexicon:
    """Everything the extractors know about the domain; build it with `load_lexicon`."""

    cues: Mapping[str, tuple[str, ...]]
    problems: tuple[ProblemCategory, ...]
    gazetteer: Gazetteer
    segmenter: Segmenter = field(default_factory=Segmenter, compare=False, repr=False)
    _patterns: dict = field(default_factory=dict, compare=False, repr=False)
    _sets: dict = field(default_factory=dict, compare=False, repr=False)

    def words(self, kind: str) -> tuple[str, ...]:
        """The cue words of one kind, longest first."""
        if kind not in CUE_KINDS:
            raise ValueError(f"unknown cue kind {kind!r}; valid kinds: {', '.join(CUE_KINDS)}")
        return self.cues.get(kind, ())

    def alternation(self, kind: str) -> str:
        """A regex alternation `(?:a|b|…)` of the cue words of one kind, longest first."""
        words = self.words(kind)
        return "(?:" + "|".join(re.escape(w) for w in words) + ")" if words else "(?!)"

    def word_set(self, kind: str) -> frozenset[str]:
        """The cue words of one kind as a set, for membership tests (built once per lexicon)."""
        found = self._sets.get(kind)
        if found is None:
            found = self._sets[kind] = frozenset(self.words(kind))
        return found

    def starter(self, kind: str) -> re.Pattern:
        """A regex whose `.match(text, pos)` finds the cue word of one kind that starts at `pos`: the
        longest one, as `next(w for w in words(kind) if text.startswith(w, pos))` would, in one step."""
        return self.pattern(f"start:{kind}", lambda: self.alternation(kind))

    def memo(self, key: str, build: Callable[[], object]):
        """Any value derived from the lexicon, built once and kept under `key`."""
        value = self._patterns.get(key)
        if value is None:
            value = self._patterns[key] = build()
        return value

    def pattern(self, key: str, build: Callable[[], str]) -> re.Pattern:
        """The regex `build()` returns, compiled once per lexicon and kept under `key`."""
        compiled = self._patterns.get(key)
        if compiled is None:
            compiled = self._patterns[key] = re.compile(build())
        return compiled

    @property
    def problem_pattern(self) -> re.Pattern:
        """One regex matching any problem cue of any category."""
        return self.pattern(
            "problem:any", lambda: "|".join(f"(?:{cue})" for c in self.problems for cue in c.cues) or "(?!)"
        )


def _rows(path: Path) -> list[tuple[str, list[str]]]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, rest = line.partition("\t")
        if not sep or not key.strip():
            raise ValueError(f"{path}:{number}: expected 'key<TAB>words separated by spaces', got {line!r}")
        rows.append((key.strip(), rest.split()))
    return rows


def read_cues(path: Path) -> dict[str, tuple[str, ...]]:
    """Cue words by kind from a `kind<TAB>words` file; unknown kinds are an error naming the valid ones."""
    merged: dict[str, list[str]] = {}
    for kind, words in _rows(path):
        if kind not in CUE_KINDS:
            raise ValueError(f"{path}: unknown cue kind {kind!r}; valid kinds: {', '.join(CUE_KINDS)}")
        merged.setdefault(kind, []).extend(words)
    return {k: tuple(sorted(dict.fromkeys(v), key=len, reverse=True)) for k, v in merged.items()}


def read_problems(path: Path) -> tuple[ProblemCategory, ...]:
    """Problem categories from a `category<TAB>cue regexes` file, in file order."""
    merged: dict[str, list[str]] = {}
    for name, cues in _rows(path):
        merged.setdefault(name, []).extend(cues)
    categories = []
    for name, cues in merged.items():
        unique = tuple(dict.fromkeys(cues))
        try:
            pattern = re.compile("|".join(f"(?:{c})" for c in unique))
        except re.error as exc:
            raise ValueError(f"{path}: category {name!r} has a cue that is not a valid regex: {exc}") from exc
        categories.append(ProblemCategory(name, unique, pattern))
    return tuple(categories)


def load_lexicon(lexicon_dir: Path, gazetteer: Gazetteer | None = None) -> Lexicon:
    """Read `cues.tsv` and `problems.tsv` from `lexicon_dir` and the packaged gazetteer."""
    lexicon_dir = Path(lexicon_dir)
    for name in (CUES_FILE, PROBLEMS_FILE):
        if not (lexicon_dir / name).is_file():
            raise FileNotFoundError(f"lexicon file {lexicon_dir / name} is missing; pass the data/lexicon directory")
    return Lexicon(
        cues=read_cues(lexicon_dir / CUES_FILE),
        problems=read_problems(lexicon_dir / PROBLEMS_FILE),
        gazetteer=gazetteer or load_gazetteer(extra=lexicon_dir / DIVISIONS_EXTRA_FILE),
    )
