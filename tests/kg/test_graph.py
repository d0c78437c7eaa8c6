"""The graph: entities with evidence, resolution, removal, the networkx view and every export format."""

import csv
import json

import networkx as nx
import pytest

from api.settings import DEFAULT_LEXICON
from kg.export import FORMATS, export_graph
from kg.graph import build_graph, neighbourhood
from kg.resolve import base_key, name_key, numerals, resolution_key
from search.engine import Engine, EngineConfig
from search.errors import QueryError


def test_resolution_guards():
    assert name_key("“三会和一课”") == name_key("三会一课")
    assert base_key("三级联动体系") == base_key("三级联动")
    assert base_key("三级联动") != base_key("三级联创")
    assert numerals("五个一") != numerals("六个一")
    assert resolution_key("practice", "一张网", "上海市") != resolution_key("practice", "一张网", "颍上县")
    assert resolution_key("practice", "三会一课") == resolution_key("practice", "“三会一课”")


def test_every_entity_has_evidence(demo_engine):
    stats = demo_engine.stats()
    assert stats["entities"].get("practice", 0) >= 20 and stats["entities"].get("place", 0) >= 5
    for entity in demo_engine.entities(limit=40):
        assert entity.mentions >= 1 and entity.documents >= 1
        found = demo_engine.entity(entity.id)
        assert found.evidence, entity
        for hit in found.evidence:
            assert hit.quote == demo_engine.store.original_text(hit.doc_id)[hit.start : hit.end]


def test_no_generic_words_or_problem_labels_as_practices(demo_engine):
    names = {e.name for e in demo_engine.entities("practice")}
    assert not names & {"工作", "党建", "问题", "空壳村", "负债村", "两张皮", "空白村", "跳板"}


def test_hits_carry_their_entities(demo_engine):
    hit = demo_engine.search("三会一课流于形式", k=5).hits[0]
    assert any(e["type"] in ("practice", "problem", "measure") for e in hit.entities)


def test_removing_a_document_removes_what_only_it_supported(demo_copy):
    engine = Engine(EngineConfig(db=demo_copy, lexicon_dir=DEFAULT_LEXICON))
    before = {e.id: e.documents for e in engine.entities()}
    doc_id = next(d.doc_id for d in engine.store.documents() if "桃源县" in d.title)
    own = [p.num for p in engine.store.document_passages(doc_id)]
    engine.remove(doc_id)
    after = {e.id: e.documents for e in engine.entities()}
    assert "place:桃源县" in before and "place:桃源县" not in after
    assert all(after[i] <= before[i] for i in after)
    conn = engine.store.conn
    assert conn.execute("SELECT count(*) FROM mentions WHERE doc_id = ?", (doc_id,)).fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM relations r WHERE NOT EXISTS (SELECT 1 FROM relation_evidence e"
                        " WHERE e.rid = r.rid)").fetchone()[0] == 0
    marks = ",".join("?" * len(own))
    assert conn.execute(f"SELECT count(*) FROM relation_evidence WHERE num IN ({marks})", own).fetchone()[0] == 0
    assert conn.execute("PRAGMA page_size").fetchone()[0] == 16384


def test_unknown_entity_and_type(demo_engine):
    with pytest.raises(QueryError, match="no entity"):
        demo_engine.entity("practice:不存在的做法")
    with pytest.raises(QueryError, match="practice, measure"):
        demo_engine.entities("nonsense")


def test_networkx_view_and_neighbourhood(demo_engine):
    graph = build_graph(demo_engine.store)
    assert graph.number_of_nodes() == sum(demo_engine.stats()["entities"].values())
    assert graph.number_of_edges() == sum(demo_engine.stats()["relations"].values())
    sub = neighbourhood(graph, "practice:三会一课")
    assert "practice:三会一课" in sub and sub.number_of_nodes() > 1


@pytest.mark.parametrize("fmt", FORMATS)
def test_exports_round_trip(demo_engine, tmp_path, fmt):
    graph = build_graph(demo_engine.store)
    written = export_graph(graph, fmt, tmp_path / f"graph.{fmt}")
    if fmt == "graphml":
        back = nx.read_graphml(written[0])
        assert back.number_of_nodes() == graph.number_of_nodes()
    elif fmt == "gexf":
        back = nx.read_gexf(written[0])
        assert back.number_of_nodes() == graph.number_of_nodes()
    elif fmt == "jsonl":
        rows = [json.loads(line) for line in written[0].read_text(encoding="utf-8").splitlines()]
        assert sum(r["kind"] == "node" for r in rows) == graph.number_of_nodes()
        assert sum(r["kind"] == "edge" for r in rows) == graph.number_of_edges()
    else:
        nodes, rels = written
        with nodes.open(encoding="utf-8") as f:
            header = next(csv.reader(f))
        assert header[0] == "id:ID" and header[-1] == ":LABEL"
        with rels.open(encoding="utf-8") as f:
            assert next(csv.reader(f))[:3] == [":START_ID", ":END_ID", ":TYPE"]
    with pytest.raises(ValueError, match="graphml, gexf, jsonl, neo4j"):
        export_graph(graph, "dot", tmp_path / "x")


def test_similar_practices_are_linked_with_evidence(demo_engine):
    similar = [r for r in demo_engine.store.graph.relations() if r.type == "similar_to"]
    assert similar
    for r in similar:
        assert r.src != r.dst and r.weight >= 0.9 and r.evidence


def test_problem_passages_without_cues_are_placed_by_meaning(demo_engine):
    builder = demo_engine.graph_builder
    text = "村里年轻人大多外出,留下来的党员平均年龄接近六十五岁,已经多年没有吸收新党员,支部开会常常凑不齐人。"
    assert "党员队伍老化" not in builder.problems.by_cue(text)
    vector = demo_engine.encoder.encode([text])[0]
    found = builder._problem_by_meaning(text, vector)
    assert found and found[0].name in {"党员队伍老化", "带头人后继乏人"}
    assert found[0].attributes["by"] == "meaning"
    weather = demo_engine.encoder.encode(["今天天气晴朗,适合外出游玩。"])[0]
    assert builder._problem_by_meaning("今天天气晴朗,适合外出游玩。", weather) == []


def test_documents_without_structure_places_or_words_still_ingest(fake_engine, tmp_path):
    numbers = tmp_path / "numbers.txt"
    numbers.write_text("2023年 12 34.5% 600 18.9% 1,200 3000 45 67 89 1024 2048 4096 8192 16384 32768\n" * 3,
                       encoding="utf-8")
    flat = tmp_path / "flat.txt"
    flat.write_text("支部每月组织党员学习一次,大家轮流发言,谈学习体会,会后整理记录并上墙公示,群众可以随时查看。" * 4,
                    encoding="utf-8")
    reports = {r.path.rsplit("/", 1)[-1]: r for r in fake_engine.ingest([numbers, flat])}
    assert reports["flat.txt"].ok and reports["flat.txt"].passages >= 1
    assert reports["numbers.txt"].ok or "no report text" in reports["numbers.txt"].error
    hit = fake_engine.search("党员学习 上墙公示", k=1).hits[0]
    assert "上墙公示" in hit.text


def test_extraction_failure_does_not_block_ingest(tmp_path, caplog):
    """A lexicon the extractors cannot read: every document still lands and stays searchable."""
    import shutil

    from tests.conftest import FakeEncoder

    lexicon = tmp_path / "lexicon"
    shutil.copytree(DEFAULT_LEXICON, lexicon)
    (lexicon / "cues.tsv").unlink()
    engine = Engine(EngineConfig(db=tmp_path / "store", lexicon_dir=lexicon), encoder=FakeEncoder())
    path = tmp_path / "r.txt"
    path.write_text("关于推行村务公开的报告\n一、存在的问题\n村务公开不及时,群众意见较大。" * 2 + "\n二、主要做法\n"
                    + "我村推行“四议两公开”工作法,村级重大事项全部公开,群众满意度明显提高。" * 2, encoding="utf-8")
    report = engine.ingest([path])[0]
    assert report.ok and report.passages >= 1
    assert "extraction failed in document" in caplog.text
    assert engine.search("村务公开", k=1).hits
    assert engine.stats()["entities"] == {}


def test_aliases_keep_their_quotation_marks_balanced(fake_engine, tmp_path):
    page = tmp_path / "quotes.txt"
    page.write_text("青川县推行“三联三帮”机制,党员每月走访联系户,村里推行“积分制”管理,群众满意度明显提高。\n",
                    encoding="utf-8")
    fake_engine.ingest([page])
    aliases = {a for e in fake_engine.entities("practice") for a in e.aliases}
    assert "“三联三帮”机制" in aliases
    assert all(a.count("“") == a.count("”") for a in aliases), aliases


def test_what_only_the_title_names_is_found_with_the_report_as_evidence(fake_engine, tmp_path):
    page = tmp_path / "titled.txt"
    page.write_text("安吉县推行“院坝议事”工作法\n"
                    "今年以来,全县各村每月召开一次议事会,由党员主持、村民发言、当场记录、限期回复,群众满意度明显提高。\n"
                    "下一步,将总结经验,在更多村推广。\n", encoding="utf-8")
    fake_engine.ingest([page])
    doc = next(d for d in fake_engine.store.documents() if d.path.endswith("titled.txt"))
    assert doc.title == "安吉县推行“院坝议事”工作法"
    first = fake_engine.store.document_passages(doc.doc_id)[0]
    practices = {e.name: e for e in fake_engine.entities("practice")}
    assert "院坝议事工作法" in practices
    evidence = fake_engine.entity(practices["院坝议事工作法"].id).evidence
    assert [h.text for h in evidence] == [first.text]
    assert "安吉县" in {e.name for e in fake_engine.entities("place")}


def test_the_places_of_a_speakers_byline_are_found_with_the_report_as_evidence(fake_engine, tmp_path):
    # the byline under the title is no text of the report, but where the speaker works is its place
    page = tmp_path / "talk.txt"
    page.write_text("咱们村的党员要让群众看得见\n——重庆市渝北区石盘镇龙溪坝村党支部书记 王建国\n"
                    "同志们:今天召开党员大会,村党支部推行党员积分制管理,每月公示一次积分。\n", encoding="utf-8")
    fake_engine.ingest([page])
    doc = next(d for d in fake_engine.store.documents() if d.path.endswith("talk.txt"))
    assert all("王建国" not in p.text for p in fake_engine.store.document_passages(doc.doc_id))
    places = {e.name for e in fake_engine.entities("place")}
    assert {"渝北区", "石盘镇", "龙溪坝村"} <= places


def test_a_speech_title_names_no_measure(fake_engine, tmp_path):
    page = tmp_path / "speech.txt"
    page.write_text("在全县基层党建工作推进会上的讲话\n"
                    "同志们:今年以来,全县各级党组织认真落实党建工作责任制,推行积分制管理,取得了明显成效。\n",
                    encoding="utf-8")
    fake_engine.ingest([page])
    assert not [e for e in fake_engine.entities("measure") if e.name.endswith("讲话")]


def test_a_title_made_of_the_first_clause_adds_no_entity(fake_engine, tmp_path):
    page = tmp_path / "untitled.txt"
    page.write_text("今年以来全县各村党组织按照上级部署要求集中开展软弱涣散村党组织整顿工作并建立台账,"
                    "全县已有12个村完成整顿,群众满意度明显提高。\n", encoding="utf-8")
    fake_engine.ingest([page])
    doc = next(d for d in fake_engine.store.documents() if d.path.endswith("untitled.txt"))
    assert doc.title.endswith("…")
    assert not [e for e in fake_engine.entities() if e.name.endswith("…")]
