"""Extract stage: problems — spans that a category's cues match, named by the category (data/lexicon/problems.tsv)."""

from __future__ import annotations

from collections import Counter

from ..types import Mention
from .lexicon import Lexicon


def extract_problems(text: str, lexicon: Lexicon) -> list[Mention]:
    """Problem mentions: the longest non-overlapping cue matches, each named by its category."""
    if not text:
        return []
    matches = []
    for order, category in enumerate(lexicon.problems):
        for match in category.pattern.finditer(text):
            if match.end() > match.start():
                matches.append((match.start(), match.end(), order, category.name))
    kept: list[tuple[int, int, int, str]] = []
    for match in sorted(matches, key=lambda m: (m[0] - m[1], m[2], m[0])):
        if all(match[1] <= k[0] or k[1] <= match[0] for k in kept):
            kept.append(match)
    return [
        Mention("problem", name, text[start:end], start, end, {"category": name})
        for start, end, _, name in sorted(kept)
    ]


def problem_categories(text: str, lexicon: Lexicon) -> list[str]:
    """The categories a problem passage belongs to, most cue matches first; [] when no cue matches."""
    counts = Counter(m.name for m in extract_problems(text, lexicon))
    order = {c.name: i for i, c in enumerate(lexicon.problems)}
    return sorted(counts, key=lambda name: (-counts[name], order[name]))
