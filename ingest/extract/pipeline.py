"""Extract stage: run every extractor over one passage's normalised text (pure; no store, no model)."""

from __future__ import annotations

from ..types import ROLES, Mention
from .indicators import extract_indicators
from .lexicon import Lexicon
from .measures import extract_measures
from .places import extract_places
from .practices import extract_practices
from .problems import extract_problems

TYPE_ORDER = ("place", "practice", "measure", "problem", "indicator")


def extract_mentions(text: str, role: str, lexicon: Lexicon, known: dict[str, str] | None = None) -> list[Mention]:
    """All mentions in a passage's normalised text, ordered by start; `role` is the section's role; `known`:
    places below the county that other passages of the document name (places.extract_places).

    Raises:
        ValueError: when `role` is not one of ingest.types.ROLES.
    """
    if role not in ROLES:
        raise ValueError(f"unknown section role {role!r}; valid roles: {', '.join(ROLES)}")
    if not text or not text.strip():
        return []
    tokens = lexicon.segmenter.tokens(text)
    places = extract_places(text, lexicon, tokens, known)
    practices = extract_practices(text, lexicon, tokens)
    mentions = [
        *places,
        *practices,
        *extract_measures(text, role, lexicon, practices, tokens),
        *extract_problems(text, lexicon),
        *extract_indicators(text, lexicon, role, places, tokens),
    ]
    rank = {kind: i for i, kind in enumerate(TYPE_ORDER)}
    return sorted(mentions, key=lambda m: (m.start, rank.get(m.type, len(rank)), -m.end))
