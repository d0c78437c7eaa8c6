"""The one scoring function of comparable experience: every candidate case gets the same named features,
combined here and nowhere else.

    passage score = relevance + Σ over extra routes ROUTE_WEIGHT[route] · FUSION_K / (FUSION_K + rank − 1)
    case score    = (passage score of its lead passage
                     + OUTCOME_WEIGHT · [it reports outcome indicators]
                     + SPREAD_WEIGHT · (reports among its evidence − 1))
                    × ROLE_WEIGHT[role of its lead passage]
                    × GENERIC_WEIGHT when the practice is generic in the store and the question does not name it

`relevance` is the main route's (hybrid retrieval) score relative to its best passage, in [0, 1]; an extra
route's rank counts like a reciprocal-rank-fusion list, 1 at its first passage. Weights were chosen on the
devweb experience questions (recall@10 and documents per answer) with the dev questions as a check; the
figures are in the README's ablation table.
"""

from __future__ import annotations

from dataclasses import dataclass

from search.experience.routes import ADDRESSES, SIMILAR_PROBLEM, TOPIC

# An extra route's first passage counts this much next to the main route's best (1.0). Devweb experience
# recall@10 0.34 at 0.2–0.3 each (they outvote retrieval), 0.43 at 0.05, 0.43 at 0.1; dev 0.90 at all.
ROUTE_WEIGHT = {SIMILAR_PROBLEM: 0.05, ADDRESSES: 0.05, TOPIC: 0.5}
# Rank damping of the extra routes, as in reciprocal-rank fusion (the engine's FUSION_K).
FUSION_K = 15
# A measure reporting outcomes (indicators in its evidence: 增收20万元) is what a reader can copy with
# confidence; one also applied in other reports shows where else it worked.
OUTCOME_WEIGHT = 0.1
SPREAD_WEIGHT = 0.05
# What a report did (practice) over what it plans (plan) over unlabelled text (other).
ROLE_WEIGHT = {"practice": 1.0, "plan": 0.95, "other": 0.95}
# A practice named by at least this share of the store's reports (a routine meeting system every branch keeps) is
# generic: it leads a result only when the question names it. Below GENERIC_MIN_REPORTS reports, nothing is.
GENERIC_SHARE = 0.2
GENERIC_MIN_REPORTS = 3
GENERIC_WEIGHT = 0.5


@dataclass(frozen=True)
class CaseFeatures:
    """Everything the score of a case depends on."""

    relevance: float
    routes: tuple[tuple[str, int], ...]  # (extra route, rank there) of each extra route reaching its lead
    role: str
    outcomes: int
    evidence_reports: int
    reports: int  # reports of the store naming the entity
    report_share: float  # … as a share of all reports
    named_in_question: bool

    @property
    def generic(self) -> bool:
        return is_generic(self.reports, self.report_share, self.named_in_question)


def is_generic(reports: int, report_share: float, named_in_question: bool) -> bool:
    """A practice routine in the store's reports, that the question does not ask about.

    >>> is_generic(12, 0.4, False), is_generic(12, 0.4, True), is_generic(2, 0.5, False)
    (True, False, False)
    """
    return reports >= GENERIC_MIN_REPORTS and report_share >= GENERIC_SHARE and not named_in_question


def passage_score(relevance: float, routes: tuple[tuple[str, int], ...]) -> float:
    """How strongly the routes point at one passage (the first line of the formula above)."""
    return relevance + sum(ROUTE_WEIGHT.get(route, 0.0) * FUSION_K / (FUSION_K + rank - 1) for route, rank in routes)


def case_score(f: CaseFeatures) -> float:
    """The score of a case (the formula above).

    >>> plain = CaseFeatures(0.8, (), "practice", 0, 1, 1, 0.02, False)
    >>> round(case_score(plain), 3)
    0.8
    >>> from dataclasses import replace
    >>> round(case_score(replace(plain, outcomes=2, evidence_reports=3)), 3)
    1.0
    >>> round(case_score(replace(plain, reports=20, report_share=0.4)), 3)
    0.4
    """
    score = passage_score(f.relevance, f.routes) + OUTCOME_WEIGHT * (f.outcomes > 0)
    score += SPREAD_WEIGHT * max(f.evidence_reports - 1, 0)
    score *= ROLE_WEIGHT.get(f.role, ROLE_WEIGHT["other"])
    return score * (GENERIC_WEIGHT if f.generic else 1.0)
