"""Extract stage: pure functions from a passage's normalised text to typed mentions."""

from .gazetteer import Gazetteer, Place, load_gazetteer
from .indicators import extract_indicators
from .lexicon import Lexicon, ProblemCategory, load_lexicon
from .measures import extract_measures
from .pipeline import extract_mentions
from .places import extract_places, main_place
from .practices import extract_practices
from .problems import extract_problems, problem_categories

__all__ = [
    "Gazetteer",
    "Lexicon",
    "Place",
    "ProblemCategory",
    "extract_indicators",
    "extract_measures",
    "extract_mentions",
    "extract_places",
    "extract_practices",
    "extract_problems",
    "load_gazetteer",
    "load_lexicon",
    "main_place",
    "problem_categories",
]
