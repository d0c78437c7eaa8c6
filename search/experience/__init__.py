"""Comparable experience: from a problem in plain Chinese to what other places did about it, with evidence.

understand (is it party-building work; which problem categories) → routes (candidate passages, typed hits)
→ cases (the entity each passage states, evidence) → score (one function of named features) → select (MMR).
"""

from search.experience.cases import Candidate, Case, CaseBuilder
from search.experience.finder import Answer, ExperienceFinder
from search.experience.text import lead_end, name_similarity, pick_entity

__all__ = ["Answer", "Candidate", "Case", "CaseBuilder", "ExperienceFinder", "lead_end", "name_similarity",
           "pick_entity"]
