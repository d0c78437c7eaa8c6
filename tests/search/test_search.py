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

    engine = Engine(EngineConfig(db=demo_copy, lexicon_dir=DEFAULT_LEXICON))
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


def test_a_question_with_a_space_between_every_character_is_read_as_typed_without(demo_engine):
    spaced = demo_engine.search("软 弱 涣 散 党 组 织 整 顿", k=5)
    plain = demo_engine.search("软弱涣散党组织整顿", k=5)
    assert [h.passage_id for h in spaced.hits] == [h.passage_id for h in plain.hits]
    assert spaced.hits


def test_query_embedding_is_cached(demo_engine):
    first = demo_engine.search("流动党员教育管理", k=10)
    cache = demo_engine.encoder._cache
    assert "流动党员教育管理" in cache
    row = cache["流动党员教育管理"]
    again = demo_engine.search("流动党员教育管理", k=10)
    assert demo_engine.encoder._cache["流动党员教育管理"] is row
    assert [h.passage_id for h in again.hits] == [h.passage_id for h in first.hits]


def test_store_built_with_another_model_is_refused(demo_copy, cli_env):
    import subprocess

    from kg.store import Store
    from tests.conftest import djkg_command

    store = Store(demo_copy)
    store.set_meta("model", "bge-small-zh")
    store.close()
    proc = subprocess.run(djkg_command() + ["search", "党建", "--db", str(demo_copy)], capture_output=True,
                          text=True, env=cli_env, timeout=300)
    assert proc.returncode == 1
    assert "bge-small-zh" in proc.stderr and "m3e-small" in proc.stderr


def test_vector_index_is_rebuilt_when_missing_or_stale(demo_copy):
    from api.settings import DEFAULT_LEXICON
    from search.engine import Engine, EngineConfig

    (demo_copy / "vectors.faiss").unlink(missing_ok=True)
    engine = Engine(EngineConfig(db=demo_copy, lexicon_dir=DEFAULT_LEXICON, index_kind="hnsw"))
    first = engine.search("选派第一书记到贫困村", k=5)
    assert (demo_copy / "vectors.faiss").exists()  # HNSW is kept on disk; flat is rebuilt in memory
    engine.store.set_meta("generation", str(engine.store.generation() + 7))  # as if another process wrote
    again = engine.search("选派第一书记到贫困村", k=5)
    assert [h.passage_id for h in again.hits] == [h.passage_id for h in first.hits]


def test_gbt7714_reference_from_sidecar(fake_engine, tmp_path):
    import json

    report = tmp_path / "qc.txt"
    report.write_text("关于青川县村级组织建设的调研报告\n为了解全县村级组织建设情况,县委组织部开展了专题调研。"
                      "全县共有村党组织二百一十个,其中软弱涣散村党组织十二个,已全部完成整顿转化。\n"
                      "一、主要做法\n推行村级事务“四议两公开”,村级重大事项全部经党员大会和村民代表会议讨论决定。\n",
                      encoding="utf-8")
    (tmp_path / "qc.meta.json").write_text(json.dumps({
        "title": "关于青川县村级组织建设的调研报告", "author": "青川县委组织部", "date": "2023-06-01",
        "source": "青川党建网", "url": "http://example.org/qc.html"}, ensure_ascii=False), encoding="utf-8")
    assert fake_engine.ingest([report])[0].ok
    hit = fake_engine.search("软弱涣散村党组织整顿", k=1).hits[0]
    assert hit.reference.startswith("青川县委组织部. 关于青川县村级组织建设的调研报告[EB/OL]. 青川党建网, 2023-06-01[")
    assert hit.reference.endswith("http://example.org/qc.html.")
    assert hit.citation.startswith("《关于青川县村级组织建设的调研报告》")


def test_quoted_names_grow_the_dictionary_and_persist(fake_engine, tmp_path):
    from search.engine import Engine

    text = ("关于推行“五联五帮”工作法的报告\n近年来,我镇推行“五联五帮”工作法,组织党员干部联系群众、"
            "帮扶困难户,全镇三十个村全部建立了帮扶台账,群众满意率明显提升,基层党组织凝聚力不断增强。\n")
    path = tmp_path / "r.txt"
    path.write_text(text, encoding="utf-8")
    assert "五联五帮" not in fake_engine.tokenizer.tokens("推行五联五帮")
    fake_engine.ingest([path])
    assert "五联五帮" in fake_engine.tokenizer.tokens("推行五联五帮")
    again = Engine(fake_engine.config, encoder=fake_engine.encoder)
    assert "五联五帮" in again.tokenizer.tokens("推行五联五帮")


def test_name_boost_lifts_passages_naming_the_question_name(fake_engine, tmp_path):
    from search.searcher import NAME_BOOST

    a = tmp_path / "a.txt"
    a.write_text("村务公开情况报告\n我村全面推行“四议两公开”工作法,村级重大事项均经党员大会审议后公开,群众满意度逐年提高,"
                 "村级事务管理更加规范透明。\n", encoding="utf-8")
    b = tmp_path / "b.txt"
    b.write_text("村务管理情况汇报\n我村坚持村级重大事项民主决策,村务财务按月公开,群众满意度逐年提高,村级事务管理"
                 "更加规范透明,干群关系明显改善。\n", encoding="utf-8")
    fake_engine.ingest([a, b])
    store = fake_engine.store
    nums = {p.doc_id: p.num for d in store.documents() for p in store.document_passages(d.doc_id)}
    fused = {num: 1.0 for num in nums.values()}
    boosted = fake_engine.searcher.boost_names(fused, "四议两公开如何落实")
    with_name = [n for n in nums.values() if "四议两公开" in fake_engine.store.passages([n])[n].text]
    assert with_name
    for num, score in boosted.items():
        assert score == pytest.approx(1.0 + NAME_BOOST if num in with_name else 1.0)
    assert fake_engine.searcher.boost_names(fused, "村务公开") == fused


def test_place_filter_includes_places_inside(demo_engine):
    province = demo_engine.searcher.place_passages("湖北")
    city = demo_engine.searcher.place_passages("襄阳市")
    county = demo_engine.searcher.place_passages("枣阳市")
    assert county and county <= city <= province
    result = demo_engine.search("抓党建促脱贫", k=5, place="湖北省")
    assert result.hits and all(h.doc_id in {p.doc_id for p in demo_engine.store.passages(province).values()}
                               for h in result.hits)


def test_a_document_past_its_extraction_budget_is_stored_searchable_and_flagged(tmp_path, monkeypatch):
    from api.settings import DEFAULT_LEXICON
    from ingest.extract import document as extraction
    from search.engine import Engine, EngineConfig

    text = "\n".join(["关于星火议事厅建设的调研报告", "一、主要做法",
                              "推行“星火议事厅”机制，村党支部每月召集党员群众议事，累计解决问题46件。",
                              "建立党员联系户制度，每名党员联系5户群众，全年走访1200余次。"])
    monkeypatch.setattr(extraction, "EXTRACTION_BASE_S", 0.0)
    monkeypatch.setattr(extraction, "EXTRACTION_PER_PASSAGE_S", 0.0)
    engine = Engine(EngineConfig(db=tmp_path / "store", lexicon_dir=DEFAULT_LEXICON))
    report = engine.ingest_text(text, "budget.txt")
    assert report.ok and report.passages > 0
    assert report.warning.startswith("partly extracted") and f"{report.passages} of {report.passages}" in report.warning
    assert engine.store.graph.entities_in(list(engine.store.passages(range(1, 100)))) == {}
    assert engine.search("星火议事厅 党员联系户", k=1).hits


def test_place_filter_reaches_places_whose_province_no_report_names(fake_engine, tmp_path):
    page = tmp_path / "zone.txt"
    page.write_text("成都高新区推行“红色代办”服务,为企业职工办理事项1200余件,群众满意度明显提高。\n", encoding="utf-8")
    fake_engine.ingest([page])
    assert fake_engine.search("红色代办", k=3, place="四川省").hits
    assert fake_engine.search("红色代办", k=3, place="四川").hits
    assert not fake_engine.search("红色代办", k=3, place="浙江省").hits


def test_a_reports_title_is_matched_with_its_first_passage_only(fake_engine):
    page = ("石桥村“板凳会”让村民的事村民议\n"
            "今年以来,石桥村每月在院坝里召开一次议事会,由村党组织书记主持,党员和群众围坐一起商量村里的大事小情。\n"
            "议定的事项张榜公示,群众满意度由62%提升至95%,村里修通了三条产业路,新建了两处停车场和一个文化广场。"
            "村党支部还把议事会搬到了田间地头和农户家中,让在外务工的党员通过视频连线参加,一年来共商议事项86件。\n"
            "下一步,石桥村将总结议事会的经验做法,建立议事台账,明确专人跟踪落实,做到件件有着落、事事有回音,"
            "并邀请县乡两级干部定期列席议事会,听取群众意见,及时回应群众关切,推动村级治理水平不断提升。\n")
    fake_engine.ingest_text(page, "yuanba.txt")
    (doc,) = fake_engine.store.documents()
    first, second = fake_engine.store.document_passages(doc.doc_id)[:2]
    # 板凳会 is in the title and in no passage's text: the keyword index finds the first passage by it
    assert "板凳" not in first.text + second.text
    found = [n for n, _ in fake_engine.searcher.keyword_list("板凳会", 10, None)]
    assert found == [first.num]


def test_the_same_lead_under_two_titles_keeps_each_title_until_its_report_goes(fake_engine):
    lead = ("今年以来,石桥村每月在院坝里召开一次议事会,由村党组织书记主持,党员和群众围坐一起商量村里的大事小情,"
            "议定的事项张榜公示,一年来共商议事项86件,群众满意度明显提高。\n")
    rest = ("村党支部还把议事会搬到了田间地头和农户家中,让在外务工的党员通过视频连线参加,"
            "并邀请县乡两级干部定期列席议事会,听取群众意见,及时回应群众关切,推动村级治理水平不断提升。\n")
    fake_engine.ingest_text("石桥村“板凳会”让村民的事村民议\n" + lead + rest, "a.txt")
    fake_engine.ingest_text("白果镇推行“坝坝茶”议事法\n" + lead + rest.replace("石桥村", "白果镇"), "b.txt")
    docs = {d.path.rsplit("/", 1)[-1]: d for d in fake_engine.store.documents()}
    first = {name: fake_engine.store.document_passages(d.doc_id)[0].num for name, d in docs.items()}
    assert first["a.txt"] != first["b.txt"]  # one lead, two titles: stored twice
    assert [n for n, _ in fake_engine.searcher.keyword_list("坝坝茶", 10, None)] == [first["b.txt"]]
    fake_engine.remove(docs["a.txt"].doc_id)
    assert fake_engine.searcher.keyword_list("板凳会", 10, None) == []
