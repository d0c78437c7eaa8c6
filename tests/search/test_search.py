"""Search on the demo corpus with the real model: citations, offsets, script, filters, bad input."""

import pytest

from search.errors import QueryError
from tests.conftest import FIXTURES


def test_every_hit_quotes_the_original_exactly(demo_engine):
    for query in ["三会一课流于形式", "村干部报酬低、后继乏人", "网格化管理，支部建在网格上"]:
        result = demo_engine.search(query, k=10)
        assert len(result.hits) == 10
        for hit in result.hits:
            original = demo_engine.store.original_text(hit.doc_id)
            assert hit.quote == original[hit.start : hit.end]
            assert hit.citation.startswith(f"《{hit.title}》")
            assert hit.citation.endswith("段")


def test_hits_are_ranked_and_relevant(demo_engine):
    result = demo_engine.search("为民服务全程代理", k=5)
    assert [h.rank for h in result.hits] == [1, 2, 3, 4, 5]
    assert "为民服务全程代理" in result.hits[0].text
    scores = [h.score for h in result.hits]
    assert scores == sorted(scores, reverse=True)


def test_simplified_query_finds_traditional_document(demo_copy):
    from api.settings import DEFAULT_LEXICON
    from search.engine import Engine, EngineConfig

    engine = Engine(EngineConfig(db_dir=demo_copy, lexicon_dir=DEFAULT_LEXICON))
    reports = engine.ingest([FIXTURES / "traditional"])
    assert all(r.ok for r in reports), reports
    result = engine.search("网格党支部 双报到", k=3)
    top = result.hits[0]
    assert "网格党支部" in top.text  # normalised, simplified
    assert "網格黨支部" in top.quote  # the original script, for citing
    assert top.quote == engine.store.original_text(top.doc_id)[top.start : top.end]


def test_role_filter(demo_engine):
    result = demo_engine.search("村集体经济薄弱", k=10, role="problem")
    assert result.hits and all(h.role == "problem" for h in result.hits)


def test_place_filter(demo_engine):
    result = demo_engine.search("社区党组织书记", k=5, place="上海")
    assert result.hits
    assert all("上海" in h.title or "上海" in h.text for h in result.hits)


@pytest.mark.parametrize(
    ("query", "k", "message"),
    [
        ("", 10, "empty"),
        ("  \t ", 10, "empty"),
        ("。，！？……", 10, "no words"),
        ("a" * 501, 10, "limit is 500"),
        ("党建\x07工作", 10, "control characters"),
        ("党建", 0, "between 1 and 100"),
        ("党建", 101, "between 1 and 100"),
    ],
)
def test_bad_queries(demo_engine, query, k, message):
    with pytest.raises(QueryError, match=message):
        demo_engine.search(query, k=k)


def test_warm_query_is_cached(demo_engine):
    demo_engine.search("流动党员教育管理", k=10)
    result = demo_engine.search("流动党员教育管理", k=10)
    assert result.took_ms < 200
