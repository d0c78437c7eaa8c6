"""Comparable experience on the demo corpus with the real model, and each piece of it on a tiny store."""

import re
from dataclasses import replace

import numpy as np
import pytest

from kg.records import NamedEntity, StoredPassage
from search.errors import QueryError
from search.experience import Candidate, CaseBuilder, lead_end, pick_entity
from search.experience import routes as R
from search.experience.finder import choose
from search.experience.score import CaseFeatures, case_score, passage_score
from search.experience.select import mmr
from search.experience.text import lead_statement
from search.experience.understand import read_background, word_lift
from tests.conftest import DEFAULT_LEXICON

# Questions about anything but party-building work: school maths, hospital queues, weather, football, cooking…
OFF_DOMAIN = [
    "如何提高小学生的数学考试成绩",
    "医院门诊挂号难，排队时间太长怎么办",
    "明天北京的天气怎么样，会下雨吗",
    "国足为什么总是踢不进世界杯",
    "怎样做一道好吃的红烧肉",
    "笔记本电脑开机很慢怎么解决",
    "股票大跌应该割肉还是补仓",
    "孩子晚上不睡觉总哭闹怎么办",
    "去云南旅游有哪些景点推荐",
    "英超联赛本赛季谁能夺冠",
    "新能源汽车冬天续航掉得厉害",
    "手机电池不耐用如何更换",
]


# -- the whole answer, real model, demo corpus -------------------------------------------------------------
def test_problem_is_understood_as_categories(demo_engine):
    answer = demo_engine.experience("我们这里村集体经济薄弱，别的地方是怎么做的？", k=10)
    assert answer.problems[0]["name"] == "集体经济薄弱"
    assert answer.problems[0]["id"] == "problem:集体经济薄弱"
    assert answer.problems[0]["by"] == "cue"


def test_results_are_cases_with_evidence_and_citations(demo_engine):
    answer = demo_engine.experience("村集体经济收入低", k=10)
    assert len(answer.results) == 10
    for result in answer.results:
        assert result.type in ("practice", "measure")
        assert 1 <= len(result.evidence) <= 3
        for hit in result.evidence:
            assert hit.quote == demo_engine.store.original_text(hit.doc_id)[hit.start : hit.end]
            assert hit.citation.startswith("《")
            assert hit.role != "problem"
    documents = {h.doc_id for r in answer.results for h in r.evidence}
    assert len(documents) >= 3


def test_results_come_from_several_documents(demo_engine):
    answer = demo_engine.experience("城市新兴领域党的组织覆盖不到位", k=10)
    first_docs = [r.evidence[0].doc_id for r in answer.results]
    assert len(set(first_docs)) >= 3
    assert max(first_docs.count(d) for d in set(first_docs)) <= 6


def test_results_are_ordered_by_their_final_score_and_explain_every_feature(demo_engine):
    answer = demo_engine.experience("村集体经济收入低", k=10, explain=True)
    scores = [r.score for r in answer.results]
    assert scores == sorted(scores, reverse=True)
    for result in answer.results:
        why = result.explain
        for feature in ("relevance", "routes", "role", "outcomes", "evidence_reports", "reports", "generic",
                        "case_score", "redundancy", "score"):
            assert feature in why, why
        assert why["score"] == pytest.approx(why["case_score"] - 0.15 * why["redundancy"], abs=1e-5)
        assert why["outcomes"] == len(result.indicators) or why["outcomes"] >= 5
    assert any(r.explain["outcomes"] for r in answer.results)


def test_exclude_place(demo_engine):
    excluded = demo_engine.searcher.place_passages("颍上县")
    answer = demo_engine.experience("村集体经济收入低", k=10, exclude_place="颍上县")
    assert answer.results
    for result in answer.results:
        for hit in result.evidence:
            assert demo_engine.store.passage_by_id(hit.passage_id).num not in excluded


@pytest.mark.parametrize("question", OFF_DOMAIN)
def test_a_question_outside_party_building_gets_an_empty_answer_with_the_reason(demo_engine, question):
    answer = demo_engine.experience(question, k=10)
    assert answer.results == () and answer.problems == ()
    assert "not about party-building work" in answer.reason


def _random_hanzi(n: int) -> str:
    import random

    rng = random.Random(11)
    return "".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(n))


@pytest.mark.parametrize("question", ["党" * 500, _random_hanzi(500), "支部" * 200])
def test_random_or_repeated_characters_get_an_empty_answer_with_the_reason(demo_engine, question):
    answer = demo_engine.experience(question, k=100)
    assert answer.results == () and answer.problems == ()
    assert answer.reason.startswith("the question is not Chinese words")


@pytest.mark.parametrize("question", [
    "网格化管理，支部建在网格上",  # names a practice, no problem category
    "快递小哥和外卖骑手怎么吸收进党组织",  # a problem no category of the lexicon holds
    "机关里表格太多、证明太多，基层干部疲于应付",
    "新来的第一书记不熟悉村里情况",
    "村集体经济收入低",
])
def test_a_party_building_question_is_never_refused(demo_engine, question):
    answer = demo_engine.experience(question, k=5)
    assert answer.results, answer.reason


def test_question_naming_a_practice_finds_it(demo_engine):
    answer = demo_engine.experience("网格化管理，支部建在网格上", k=5)
    assert any("网格" in hit.quote for result in answer.results for hit in result.evidence)


def test_no_result_is_a_shortfall_or_a_generic_practice_the_question_does_not_ask_about(demo_engine):
    answer = demo_engine.experience("城市新兴领域党的组织覆盖不到位", k=10, explain=True)
    for result in answer.results:
        assert not result.name.endswith(("不够", "不到位", "不经常", "流于形式")), result.name
        assert not result.explain["generic"] or result.explain["named_in_question"]


def test_bad_input(demo_engine):
    with pytest.raises(QueryError):
        demo_engine.experience("   ", k=10)
    with pytest.raises(QueryError):
        demo_engine.experience("集体经济", k=0)


def test_experience_finds_at_least_what_search_finds_in_its_first_ten(demo_engine):
    # the main route is search's hybrid retrieval: its first passages are in the answer's evidence
    question = "村集体经济收入低"
    hits = demo_engine.search(question, k=10).hits
    answer = demo_engine.experience(question, k=10)
    evidence = {h.passage_id for r in answer.results for h in r.evidence}
    actions = [h for h in hits if h.role != "problem"]
    assert sum(h.passage_id in evidence for h in actions) >= len(actions) // 2


# -- understand ----------------------------------------------------------------------------------------------
def test_word_lift_needs_the_word_to_be_seen_in_the_store():
    assert word_lift(30, 10_000, 100, 60_000_000) > 1000
    assert word_lift(2, 10_000, 0, 60_000_000) == 0.0


def test_the_background_is_everyday_text_not_party_building():
    lines = read_background(DEFAULT_LEXICON)
    assert len(lines) >= 40
    assert not any(word in line for line in lines for word in ("党", "支部", "书记", "社区", "村"))


def test_domain_is_decided_against_the_store(fake_engine, tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    for i in range(4):
        (corpus / f"r{i}.txt").write_text(
            f"第{i}社区党建工作汇报\n一、主要做法\n（一）党支部书记带领党员开展志愿服务，社区党支部每月召开党员大会。"
            f"党员志愿服务队走访困难群众，党支部书记定期听取居民意见。\n", encoding="utf-8")
    assert all(r.ok for r in fake_engine.ingest([corpus]))
    understander = fake_engine.experience_finder.understander
    assert "党支部" in understander.domain_words("党支部书记怎么带好党员")
    assert understander.domain_words("明天的天气怎么样") == ()


# -- routes ----------------------------------------------------------------------------------------------------
def _ingest_reports(engine, tmp_path, *reports: str) -> None:
    """Ingest one file per report text into the engine's store."""
    corpus = tmp_path / "c"
    corpus.mkdir()
    for i, text in enumerate(reports):
        (corpus / f"r{i}.txt").write_text(text, encoding="utf-8")
    assert all(r.ok for r in engine.ingest([corpus]))


def test_the_main_route_ranks_action_passages_with_feedback(fake_engine, tmp_path):
    _ingest_reports(
        fake_engine, tmp_path,
        "某县工作总结\n一、主要做法\n（一）发展村级集体经济。盘活闲置资产，发展光伏产业，村集体年增收五万元。"
        "全县统一规划光伏项目，由县农投公司代建，乡镇党委牵头协调用地，村党组织负责光伏电站的日常管护和收益分配。\n"
        "（二）建设屋顶光伏电站。利用学校、村部等公共屋顶建设光伏电站，发电收益按月结算，由县里统一建设、"
        "统一运维，扣除成本以后全部归项目所在地使用，账目每季度张榜公布，接受群众监督。\n",
        "某街道汇报\n一、主要做法\n（一）加强楼宇党建。依托物业建立联合党支部，每月开展一次主题党日活动，"
        "组织楼宇党员亮身份、作承诺，为入驻企业提供政策咨询、人才招聘和法律援助等服务，扩大党的工作覆盖。\n")
    question = "村集体经济收入低"
    vector = fake_engine.encoder.encode([question], query=True)[0]
    actions = set(fake_engine.searcher.role_passages("practice"))
    hits = R.retrieve(fake_engine.searcher, question, vector, actions)
    assert hits and all(isinstance(h, R.RouteHit) and h.route == R.MAIN for h in hits)
    assert [h.rank for h in hits] == list(range(1, len(hits) + 1))
    assert hits[0].relevance == 1.0 and all(0 < h.relevance <= 1.0 for h in hits)
    texts = [fake_engine.store.passages([h.num])[h.num].text for h in hits]
    assert len(texts) == 3 and "集体经济" in texts[0]
    # the 屋顶光伏 passage shares almost no word with the question: the first passage's words (光伏) come by
    # feedback, so it ranks above the other report's
    terms = R.feedback_terms(fake_engine.searcher, [hits[0].num], set(fake_engine.tokenizer.terms(question)))
    assert "光伏" in terms and "集体" not in terms
    assert "屋顶光伏" in texts[1], texts


def test_a_report_whose_situation_is_like_the_question_lends_its_measures(fake_engine, tmp_path):
    # a report tells the problem it faced in its background (基本情况) as often as in a problem section: the
    # similar-problem route reads both, and returns that report's practice passages
    _ingest_reports(
        fake_engine, tmp_path,
        "柳湾村党建工作总结\n一、基本情况\n全村党员四十名，六十岁以上的占一半，外出务工的多，"
        "党员大会经常凑不齐人，有的党员多年不参加组织生活。\n"
        "二、主要做法\n（一）推行积分制管理。每名党员年初记一百分，参加活动加分，缺席扣分，"
        "每季度公示一次，年底评出红榜，积分作为评先评优的依据。\n",
        "某街道汇报\n一、主要做法\n（一）加强楼宇党建。依托物业建立联合党支部，每月开展一次主题党日活动，"
        "帮助入驻企业办理证照、对接银行贷款。\n")
    question = "党员年纪大，开会凑不齐人"
    vector = fake_engine.encoder.encode([question], query=True)[0]
    searcher = fake_engine.searcher
    assert searcher.role_passages("background") and not searcher.role_passages("problem")
    actions = set(searcher.role_passages("practice"))
    hits = R.similar_problems(searcher, question, vector, actions)
    texts = [fake_engine.store.passages([h.num])[h.num].text for h in hits]
    assert hits and all(h.route == R.SIMILAR_PROBLEM for h in hits)
    assert "积分制" in texts[0] and not any("楼宇" in t for t in texts)


def test_a_measure_whose_lead_names_the_problems_topic_is_a_candidate(fake_engine, tmp_path):
    # the problem "覆盖不到位" has the topic 覆盖: a passage that sets out to extend coverage is aimed at it
    # even when it shares little else with the question; one that reports the same problem is not
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(
        "某区党建工作总结\n一、主要做法\n"
        "（一）推进商务楼宇党建全覆盖。由街道党工委统一领导，依托物业公司建立楼宇联合党支部。\n"
        "（二）覆盖面窄的问题依然存在。部分楼宇尚无党员，组建工作推进缓慢，需要继续努力。\n"
        "（三）加强党员教育培训。每季度举办一期培训班，邀请党校教师授课。\n",
        encoding="utf-8",
    )
    # other reports, so that 覆盖 is a rare word in the store as it is in real ones (see TOPIC_MAX_SHARE)
    works = ["党员教育", "阵地建设", "村务公开", "志愿服务", "结对帮扶", "民主评议", "党费收缴", "档案管理",
             "廉政教育", "主题党日", "党员积分", "矛盾调解", "便民服务", "技能培训", "产业发展", "文明创建",
             "网格巡查", "安全生产", "环境整治", "法律宣传"]
    for i, work in enumerate(works):
        (corpus / f"other{i}.txt").write_text(
            f"第{i + 1}街道工作汇报\n一、主要做法\n（一）抓好{work}工作。每月召开一次例会，研究部署{work}。\n",
            encoding="utf-8")
    assert all(r.ok for r in fake_engine.ingest([corpus]))
    question = "新兴领域党建工作覆盖不到位"
    vector = fake_engine.encoder.encode([question], query=True)[0]
    actions = set(fake_engine.searcher.role_passages("practice"))
    topics = R.goal_topics(fake_engine.searcher, fake_engine.graph_builder.problems, question, [])
    assert list(topics) == ["覆盖"]
    hits = R.topic(fake_engine.searcher, vector, actions, topics)
    texts = [p.text for p in fake_engine.store.passages(sorted(h.num for h in hits)).values()]
    assert len(texts) == 1 and "推进商务楼宇党建全覆盖" in texts[0] and "覆盖面窄" not in texts[0], texts
    assert R.goal_topics(fake_engine.searcher, fake_engine.graph_builder.problems, "如何提高党员教育质量", []) == {}


# -- score and select ------------------------------------------------------------------------------------------
def test_every_feature_moves_the_score_the_documented_way():
    base = CaseFeatures(0.6, (), "practice", 0, 1, 1, 0.05, False)
    assert case_score(replace(base, relevance=0.8)) > case_score(base)
    assert case_score(replace(base, outcomes=2)) > case_score(base)
    assert case_score(replace(base, evidence_reports=3)) > case_score(base)
    assert case_score(replace(base, routes=((R.SIMILAR_PROBLEM, 1),))) > case_score(base)
    assert case_score(replace(base, role="other")) < case_score(base)
    generic = replace(base, reports=10, report_share=0.5)
    assert generic.generic and case_score(generic) < case_score(base)
    assert case_score(replace(generic, named_in_question=True)) == case_score(base)
    # an extra route counts less the lower its rank
    assert passage_score(0.0, ((R.TOPIC, 1),)) > passage_score(0.0, ((R.TOPIC, 9),)) > 0


def test_mmr_spreads_the_answer_over_documents_and_places():
    items = [("a", "上海市", 1.0), ("a", "上海市", 0.97), ("b", "上海市", 0.9), ("c", "颍上县", 0.85)]
    picked = mmr(items, 4, lambda i: i[2], lambda i: (i[0], i[1]))
    assert [i[0] for i, _, _ in picked] == ["a", "c", "b", "a"]
    values = [v for _, v, _ in picked]
    assert values == sorted(values, reverse=True)


# -- cases -------------------------------------------------------------------------------------------------------
def _passage(num, doc, text="建立党员积分制度。", role="practice"):
    return StoredPassage(num, f"p{num}", text, doc, "title", "s", role, 0, 0, len(text), "path", "")


def test_pick_entity_prefers_named_practices():
    mentions = [NamedEntity("measure:x", "x", "measure", 0), NamedEntity("practice:y", "y", "practice", 3),
                NamedEntity("place:z", "z", "place", 5)]
    assert pick_entity(mentions, 10, set(), lambda e: 1).id == "practice:y"
    assert pick_entity(mentions, 10, {"practice:y"}, lambda e: 1).id == "measure:x"


def test_pick_entity_prefers_a_practice_on_topic_over_a_more_documented_one_in_passing():
    mentions = [NamedEntity("practice:lead", "l", "practice", 2), NamedEntity("practice:passing", "p", "practice", 80)]
    documents = {"practice:lead": 1, "practice:passing": 9}.get
    assert pick_entity(mentions, 20, set(), documents).id == "practice:lead"
    assert pick_entity(mentions, 1, set(), documents, frozenset({"practice:lead"})).id == "practice:lead"
    assert pick_entity(mentions, 1, set(), documents).id == "practice:passing"


def test_pick_entity_prefers_the_lead_measure_over_a_practice_only_this_report_names_in_passing():
    mentions = [NamedEntity("measure:lead", "m", "measure", 0), NamedEntity("practice:passing", "p", "practice", 60)]
    assert pick_entity(mentions, 11, set(), {"practice:passing": 1}.get).id == "measure:lead"
    assert pick_entity(mentions, 11, set(), {"practice:passing": 3}.get).id == "practice:passing"
    assert pick_entity(mentions, 11, {"measure:lead"}, {"practice:passing": 1}.get).id == "practice:passing"


def test_a_practice_several_candidates_state_is_one_case_with_their_passages(fake_engine, tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    for i, place in enumerate(["甲县", "乙县", "丙县"]):
        (corpus / f"r{i}.txt").write_text(
            f"{place}党建工作总结\n一、主要做法\n（一）推行“党员积分制”管理。{place}为每名党员建立积分档案，"
            f"每季度公开积分。\n（二）开展结对帮扶。每名党员联系{i + 2}户群众。\n", encoding="utf-8")
    assert all(r.ok for r in fake_engine.ingest([corpus]))
    nums = sorted(fake_engine.searcher.role_passages("practice"))
    found = fake_engine.store.passages(nums)
    pool = [Candidate(found[n], 1.0 - 0.01 * i, R.MAIN, 1.0 - 0.01 * i) for i, n in enumerate(nums)]
    cases = CaseBuilder(fake_engine.store, "党员管理松散").build(pool)
    shared = [c for c in cases if c.name == "党员积分制"]
    assert len(shared) == 1, [c.name for c in cases]
    assert len({e.passage.doc_id for e in shared[0].evidence}) == 3
    # the other reports' passages stay free to lead cases of their own, should this one not be chosen …
    assert {c.lead.passage.num for c in cases} > {shared[0].lead.passage.num}
    # … but in the answer each passage backs one case
    chosen = [case for case, _, _ in choose(cases, 10)]
    assert len({e.passage.doc_id for c in chosen for e in c.evidence}) == 3
    used = [e.passage.num for c in chosen for e in c.evidence]
    assert len(used) == len(set(used))


def test_a_passage_naming_no_entity_is_a_case_of_the_measure_its_lead_states():
    assert lead_statement("（二）建立流动党员网络党支部，通过微信群开展组织生活。") == "建立流动党员网络党支部"
    assert lead_statement("改革开放以来，非公经济迅速发展。") == ""
    assert lead_statement("组织活动不经常，党员参与不多。") == ""


def test_an_outcome_a_stiffened_mechanism_and_a_tables_row_name_no_case():
    # what the work brought is passed over for the action after it; a shortfall ends the lead
    assert lead_statement("组织力明显增强,村党委推行党员示范田制度。") == "村党委推行党员示范田制度"
    assert lead_statement("其次,响应机制僵化,问题解决停留在被动应付层面。") == ""
    # a question asked of the listeners, a state of dirt or of an empty account
    told = lead_statement("大家还记得2020年8月那场大水不?那天晚上村党支部组织党员转移群众。")
    assert told == "那天晚上村党支部组织党员转移群众"
    assert lead_statement("村里环境卫生“脏乱差”,群众意见大。") == ""
    assert lead_statement("村集体账上没得一分钱,办事都要向上伸手。") == ""
    # a table's row flattened into a line (cells apart by a tab or figures apart by spaces)
    assert lead_statement("1柳湾物流行业协会党支部23\t2023年3月快递小哥服务站") == ""
    assert lead_statement("1柳湾物流行业协会党支部23 2023年3月快递小哥服务站2柳湾养老中心党支部16 2019年6月") == ""


def test_a_clause_stating_only_the_basis_of_an_action_names_no_case():
    assert lead_statement("柳湾市按照省委组织部要求,逐村制定整改方案,建立整改台账。") == "逐村制定整改方案"
    assert lead_statement("根据县委统一部署,全县推行积分制管理。") == "全县推行积分制管理"
    assert lead_statement("按照“四邻联动”建立整改台账。") == "按照“四邻联动”建立整改台账"


def test_quoted_speech_opening_a_lead_names_no_case():
    text = "“积分又加了5分，排名第一！”上周，双河村评出了党员积分榜，每月公示一次。"
    assert lead_statement(text) == "双河村评出了党员积分榜"
    assert lead_statement("“赶快下楼占车位，没占到就打电话。”") == ""


def test_a_statement_prefers_the_clause_that_says_what_was_done(demo_engine):
    action = demo_engine.experience_finder.action_verbs()
    story = "那一年冬天，老王站在村口发愁。村里很穷，大家都着急。后来，村党支部建立了村民议事会，每月召开一次。"
    assert lead_statement(story) == "那一年冬天"
    assert lead_statement(story, action) == "村党支部建立了村民议事会"
    # a verb ending a noun (党组织) is no action; without an action clause the first statement stands
    assert lead_statement("来自三家党组织推荐的商户。", action) == "来自三家党组织推荐的商户"
    assert lead_statement("随着城镇化的推进，村里人口外流。", action) == ""


def test_lead_ends_at_a_half_width_full_stop_between_chinese_words_not_in_a_number():
    text = "2. 构建全覆盖工作格局.在建立健全街道党组织的同时,坚持3.5个百分点"
    assert text[: lead_end(text)] == "2. 构建全覆盖工作格局."


def test_understanding_carries_the_question_vector(demo_engine):
    understanding = demo_engine.experience_finder.understander.understand("村集体经济收入低")
    assert understanding.domain.in_domain
    assert np.isclose(np.linalg.norm(understanding.vector), 1.0, atol=1e-3)


def test_a_preamble_naming_a_practice_is_an_action_passage_and_a_scene_setting_one_is_not(fake_engine, tmp_path):
    _ingest(fake_engine, tmp_path, {
        "a.txt": "某区推行党员积分管理\n某区在全区农村推行“红色积分”工作法，党员参加志愿服务、调解纠纷都能挣积分，"
        "积分每月张榜公布，年底评星定级，党员干多干少不再一个样。\n"
        "一、主要做法\n（一）细化积分标准。按照基础分、奖励分、扣减分三类设置积分项目，由支部委员会逐月核定，"
        "党员大会公开评议，确保积分公平公正。\n",
        "b.txt": "某街道楼宇党建工作情况汇报\n近年来，某街道地处老城区，辖区面积三平方公里，常住人口四万余人，"
        "驻有机关企事业单位六十余家，商务楼宇十二栋。\n"
        "一、主要做法\n（一）加强楼宇党建。依托物业建立联合党支部，每月开展一次主题党日活动，组织楼宇党员"
        "亮身份、作承诺，为入驻企业提供政策咨询和法律援助等服务。\n"})
    preamble = sorted(fake_engine.searcher.role_passages("background"))
    texts = fake_engine.store.passages(preamble)
    stating = [n for n in preamble if "红色积分" in texts[n].text]
    scene = [n for n in preamble if "近年来" in texts[n].text]
    assert stating and scene, [p.text for p in texts.values()]
    finder = fake_engine.experience_finder
    assert set(stating) <= finder.stating_preambles() and not set(scene) & finder.stating_preambles()
    actions = finder.actions(None)
    assert set(stating) <= actions and not set(scene) & actions
    assert set(fake_engine.searcher.role_passages("practice")) <= actions
    # a place filter still holds: no passage outside `allowed` comes back
    assert finder.actions({stating[0]}) == {stating[0]}


def _ingest(engine, tmp_path, texts: dict[str, str]) -> None:
    """Write each text as a file of a new folder and ingest the folder."""
    corpus = tmp_path / "c"
    corpus.mkdir()
    for name, text in texts.items():
        (corpus / name).write_text(text, encoding="utf-8")
    assert all(r.ok for r in engine.ingest([corpus]))


def test_a_clause_describing_a_place_or_an_occasion_names_no_case():
    # what something is or where it lies is no measure; the action after an occasion is
    assert lead_statement("石桥社区作为全县最老的社区,居民多为退休职工。") == ""
    assert lead_statement("石桥社区作为全县最老的社区,通过院坝议事商量大事小情。") == "通过院坝议事商量大事小情"
    # 把/将/以…作为… is an action
    assert lead_statement("柳湾县把村级积分制作为重要抓手,在全县推行。") == "柳湾县把村级积分制作为重要抓手"
    assert lead_statement("白果村地处城郊,全村有党员46名。") == ""
    assert lead_statement("在白果村每月的党员大会上,村监委会主任公开上月账目。") == "村监委会主任公开上月账目"
    assert lead_statement("石桥村党支部教育引导党员听党的话,推行积分管理。") == "石桥村党支部教育引导党员听党的话"


def test_a_narration_names_no_case_and_a_count_in_an_action_stays():
    # bringing something up (说起…, 谈起…) narrates
    assert lead_statement("谈起往事,石桥村党支部建立了议事会。") == "石桥村党支部建立了议事会"
    assert lead_statement("说起这件事,柳湾县开展了集中整顿。") == "柳湾县开展了集中整顿"
    assert lead_statement("石桥村老党员王五说起几年前的情形直摇头。村里建立了议事会。") == "村里建立了议事会"
    # a number in an action stays
    assert lead_statement("新建党支部12个,选派党建指导员30名。") == "新建党支部12个"
    # a shortfall that has worn away states a problem
    assert lead_statement("其次,党员队伍老化,活动无人组织。") == ""


def test_a_clause_introducing_a_finding_names_no_case():
    # what follows 实践证明, 调研发现, 数据显示 is a judgement or a fact found, not what was done
    assert lead_statement("实践证明,网格化管理是服务群众的有效办法。") == ""
    assert lead_statement("调研发现,村级台账资料过多,村干部疲于应付。") == ""
    # an action that finds something is an action
    assert lead_statement("楼长每天巡查发现问题,及时报告社区。") == "楼长每天巡查发现问题"


def test_a_long_statement_is_cut_before_a_title_it_would_leave_open():
    text = "县委组织部、县委宣传部、县民政局、县财政局联合印发《关于加强社区工作者队伍建设的意见》,明确了待遇。"
    assert lead_statement(text) == "县委组织部、县委宣传部、县民政局、县财政局联合印发"


def test_an_interview_answer_and_a_stated_method_name_the_case():
    # the interviewer's question says nothing done; the answer, past its speaker label, does, and a clause
    # naming the way it was done (我们的办法是…) names the case even without a lexicon verb
    text = ("记者:近年来,石桥社区在老旧小区改造方面也做了不少工作。\n"
            "王书记:老旧小区改造是居民最盼望的事。加装电梯协调起来特别难。我们的办法是党员带头、每栋楼单独商量方案。")
    assert lead_statement(text, re.compile("建立|召开")) == "党员带头、每栋楼单独商量方案"
    text = "问:村里怎样管好集体资产?\n答:村党支部建立了资产台账,每季度公开一次。"
    assert lead_statement(text) == "村党支部建立了资产台账"


def test_a_change_is_read_as_one_outcome():
    from search.experience.cases import Indicator, joined_changes
    share = {"subject": "参会比例", "unit": "%"}
    start = Indicator("i1", "参会比例由80%", {**share, "comparator": "由", "value": 80.0})
    end = Indicator("i2", "参会比例提高到98%", {**share, "comparator": "提高到", "value": 98.0})
    other = Indicator("i3", "服务队12支", {"subject": "服务队", "unit": "支", "comparator": None, "value": 12.0})
    joined = joined_changes((start, other, end))
    assert [i.name for i in joined] == ["服务队12支", "参会比例由80%提高到98%"]
    assert joined[1].id == "i2" and joined[1].attributes["value_from"] == 80.0
    # another subject or unit is no change of this figure
    income = {"subject": "收入", "unit": "万元", "comparator": "提高到", "value": 98.0}
    alone = Indicator("i4", "收入提高到98万元", income)
    assert joined_changes((start, alone)) == (start, alone)
    whole = Indicator("i5", "参会比例由80%提高到98%", {**share, "comparator": "提高到", "value": 98.0})
    assert [i.name for i in joined_changes((start, whole))] == [whole.name]   # named whole at ingest: shown once
    assert joined_changes((start, whole))[0].attributes["value_from"] == 80.0
    # two changes of one subject: each start goes to its own end
    other_start = Indicator("i6", "参会比例由50%", {**share, "comparator": "由", "value": 50.0})
    other_end = Indicator("i7", "参会比例提高到99%", {**share, "comparator": "提高到", "value": 99.0})
    names = [i.name for i in joined_changes((start, whole, other_start, other_end))]
    assert names == ["参会比例由80%提高到98%", "参会比例由50%提高到99%"]
