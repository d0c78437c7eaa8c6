"""Benchmark queries: the shared dev queries plus deterministic variants, all distinct strings.

Distinct strings matter: the encoder caches query embeddings, so repeating a string would time a
cache hit. The benchmark times every string once cold (embedding included) and once cached.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from tests.benchmarks.synth import PLACES, REPO_ROOT

DEV_QUERIES = REPO_ROOT.parent / "shared" / "eval" / "dev_queries.jsonl"
# Used when ../shared/eval is absent (a user's checkout): topics of the demo corpus.
FALLBACK_SEARCH = (
    "如何整顿软弱涣散的村党组织",
    "村集体经济薄弱，出现空壳村怎么办",
    "非公企业党组织覆盖率低",
    "三会一课流于形式",
    "村干部报酬低、后继乏人",
    "街道社区与驻区单位共驻共建",
    "选派第一书记到贫困村",
    "流动党员教育管理",
)
FALLBACK_PROBLEMS = ("村集体经济收入低", "城市新兴领域党的组织覆盖不到位", "党员老化，发展党员难")
SEARCH_FORMS = (
    "{q}",
    "{place}{q}",
    "{q}的经验做法",
    "关于{q}的对策建议",
    "{q}有哪些好办法",
    "{place}在{q}方面的做法",
    "基层党建中{q}",
    "{q}的原因分析",
)
PROBLEM_FORMS = (
    "{q}",
    "{place}{q}",
    "{q}怎么办",
    "{q}，有什么可借鉴的经验",
    "针对{q}的措施",
    "{place}面临{q}的问题",
)


def dev_queries(path: Path = DEV_QUERIES) -> tuple[list[str], list[str]]:
    """(search queries, experience problems) of the shared dev set, or the fallback lists without it."""
    if not path.is_file():
        return list(FALLBACK_SEARCH), list(FALLBACK_PROBLEMS)
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    search = [r["query"] for r in rows if r.get("kind") == "search"]
    problems = [r["query"] for r in rows if r.get("kind") == "experience"]
    return search or list(FALLBACK_SEARCH), problems or list(FALLBACK_PROBLEMS)


def variants(bases: list[str], forms: tuple[str, ...], n: int, seed: int = 0) -> list[str]:
    """`n` distinct queries: every base in every form, with places drawn in a seeded order.

    >>> qs = variants(["三会一课流于形式"], ("{q}", "{place}{q}"), 5)
    >>> len(qs), len(set(qs)), qs[0]
    (5, 5, '三会一课流于形式')
    """
    rng = random.Random(f"djkg-bench-queries:{seed}")
    places = [p for kind in ("县", "市") for p in PLACES[kind]]
    rng.shuffle(places)
    out: dict[str, None] = {}
    round_ = 0
    while len(out) < n:
        before = len(out)
        for form in forms:
            for base in bases:
                place = places[(round_ * len(bases) + len(out)) % len(places)]
                out.setdefault(form.format(q=base, place=place))
                if len(out) == n:
                    return list(out)
        round_ += 1
        if len(out) == before and round_ > len(places):
            raise ValueError(f"cannot make {n} distinct queries from {len(bases)} bases; lower --queries")
    return list(out)


def benchmark_queries(n: int, seed: int = 0) -> tuple[list[str], list[str], list[str]]:
    """(warm-up queries, `n` search queries, `n` experience problems), no string in two lists."""
    search, problems = dev_queries()
    warm = [f"预热查询{i}：{q}" for i, q in enumerate(search[:5])]
    return warm, variants(search, SEARCH_FORMS, n, seed), variants(problems, PROBLEM_FORMS, n, seed)
