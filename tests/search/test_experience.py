"""Comparable experience on the demo corpus with the real model: understanding, cases, diversity, filters."""

import pytest

from search.errors import QueryError
from search.experience import Candidate, Case, diversify, lead_end, pick_entity


def test_problem_is_understood_as_categories(demo_engine):
    answer = demo_engine.experience("我们这里村集体经济薄弱，别的地方是怎么做的？", k=10)
    assert answer.problems[0]["name"] == "集体经济薄弱"
    assert answer.problems[0]["id"] == "problem:集体经济薄弱"


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


def test_outcomes_rank_cases_higher(demo_engine):
    answer = demo_engine.experience("村集体经济收入低", k=10, explain=True)
    with_outcome = [r for r in answer.results if r.indicators]
    assert with_outcome
    for result in with_outcome:
        assert result.explain["outcomes"] == len(result.indicators) or result.explain["outcomes"] >= 5
        assert result.explain["strength"] > 1.0


def test_exclude_place(demo_engine):
    excluded = demo_engine.place_passages("颍上县")
    answer = demo_engine.experience("村集体经济收入低", k=10, exclude_place="颍上县")
    assert answer.results
    for result in answer.results:
        for hit in result.evidence:
            assert demo_engine.store.passage_by_id(hit.passage_id).num not in excluded


def test_unrelated_problem_gets_an_empty_answer_with_the_reason(demo_engine):
    answer = demo_engine.experience("如何提高小学生的数学考试成绩", k=10)
    assert answer.results == () and answer.problems == ()
    assert "no problem category" in answer.reason


def test_question_naming_a_practice_is_understood_by_its_words(demo_engine):
    # no problem category, and m3e puts no passage within the cosine threshold of a short question;
    # passages holding most of its words still make it a question the store can answer
    answer = demo_engine.experience("网格化管理，支部建在网格上", k=5)
    assert answer.problems == ()
    assert answer.results, answer.reason
    assert any("网格" in hit.quote for result in answer.results for hit in result.evidence)


def test_bad_input(demo_engine):
    with pytest.raises(QueryError):
        demo_engine.experience("   ", k=10)
    with pytest.raises(QueryError):
        demo_engine.experience("集体经济", k=0)


def _candidate(num, doc, score):
    from kg.store import StoredPassage

    passage = StoredPassage(num, f"p{num}", "t", doc, "title", "s", "practice", 0, 0, 1, "path", "")
    return Candidate(passage, score, "similar")


def test_diversify_discounts_repeated_documents():
    candidates = [_candidate(1, "a", 1.0), _candidate(2, "a", 0.95), _candidate(3, "b", 0.9)]

    def case_of(c, used):
        eid = f"measure:{c.passage.num}"
        name = {1: "选派第一书记", 2: "集中整顿软弱涣散党组织", 3: "发展村级集体经济"}[c.passage.num]
        return None if eid in used else Case(eid, name, "measure", c.score, (c,), (), (), {})

    picked = diversify(candidates, 3, case_of)
    assert [c.entity_id for c in picked] == ["measure:1", "measure:3", "measure:2"]


def test_pick_entity_prefers_named_practices():
    mentions = [("measure:x", "x", "measure", 0), ("practice:y", "y", "practice", 3), ("place:z", "z", "place", 5)]
    assert pick_entity(mentions, 10, set(), lambda e: 1)[0] == "practice:y"
    assert pick_entity(mentions, 10, {"practice:y"}, lambda e: 1)[0] == "measure:x"


def test_pick_entity_prefers_a_practice_on_topic_over_a_more_documented_one_in_passing():
    mentions = [("practice:lead", "l", "practice", 2), ("practice:passing", "p", "practice", 80)]
    documents = {"practice:lead": 1, "practice:passing": 9}.get
    assert pick_entity(mentions, 20, set(), documents)[0] == "practice:lead"
    # outside the lead, the one that addresses the question's problem
    assert pick_entity(mentions, 1, set(), documents, frozenset({"practice:lead"}))[0] == "practice:lead"
    # with neither, the most documented
    assert pick_entity(mentions, 1, set(), documents)[0] == "practice:passing"


def test_pick_entity_prefers_the_lead_measure_over_a_practice_only_this_report_names_in_passing():
    # "推进网络媒体党建覆盖。…上海经验表明…": the case is the measure, not the report's own "经验"
    mentions = [("measure:lead", "m", "measure", 0), ("practice:passing", "p", "practice", 60)]
    assert pick_entity(mentions, 11, set(), {"practice:passing": 1}.get)[0] == "measure:lead"
    # a practice other reports name too is what the passage is a case of: its mentions show where else
    assert pick_entity(mentions, 11, set(), {"practice:passing": 3}.get)[0] == "practice:passing"
    # a lead measure already used leaves the practice
    assert pick_entity(mentions, 11, {"measure:lead"}, {"practice:passing": 1}.get)[0] == "practice:passing"


def test_the_same_measure_worded_twice_is_one_case_with_both_passages():
    candidates = [_candidate(1, "a", 1.0), _candidate(2, "b", 0.9), _candidate(3, "c", 0.8)]
    names = {1: "建设素质优良的专业化社区工作者队伍", 2: "建设一支素质优良的专业化社区工作者队伍",
             3: "选优配强社区党组织书记"}

    def case_of(c, used):
        eid = f"measure:{c.passage.num}"
        return None if eid in used else Case(eid, names[c.passage.num], "measure", c.score, (c,), (), (), {})

    picked = diversify(candidates, 3, case_of)
    assert [c.name for c in picked] == [names[1], names[3]]
    assert [e.passage.num for e in picked[0].evidence] == [1, 2]
    assert picked[0].explain["same_measure_worded_again"] is True


def test_a_measure_whose_lead_names_the_problems_topic_is_a_candidate(fake_engine, tmp_path):
    # the problem "覆盖不到位" has the topic 覆盖: a passage that sets out to extend coverage is aimed at it
    # even when it shares little else with the question; one that reports the same problem is not
    from search.experience import ExperienceFinder

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
    reports = fake_engine.ingest([corpus])
    assert all(r.ok for r in reports), reports
    finder = ExperienceFinder(fake_engine)
    question = "新兴领域党建工作覆盖不到位"
    vector = fake_engine.encoder.encode([question], query=True)[0]
    actions = set(fake_engine.role_passages("practice"))
    topics = finder.topics(question, [])
    assert list(topics) == ["覆盖"]
    aimed = finder._aimed_at_topic(question, vector, actions, {t: c.pattern for t, c in topics.items()})
    texts = [p.text for p in fake_engine.store.passages(sorted(aimed)).values()]
    assert len(texts) == 1 and "推进商务楼宇党建全覆盖" in texts[0] and "覆盖面窄" not in texts[0], texts
    assert all(0 < score <= 0.8 for score in aimed.values())
    assert finder.topics("如何提高党员教育质量", []) == {}


def test_experience_reaches_measures_aimed_at_the_problems_topic(demo_engine):
    # a question matched by meaning names 覆盖 and 党组织: only the rare one tells a goal
    question = "非公企业党组织覆盖率低，党建工作难开展"
    answer = demo_engine.experience(question, k=10)
    topics = [t for p in answer.problems for t in p["topics"]]
    assert "覆盖" in topics and "党组织" not in topics, answer.problems
    answer = demo_engine.experience("城市新兴领域党的组织覆盖不到位", k=10, explain=True)
    aimed = [r for r in answer.results if r.explain["found_by"] == "aims at the problem's topic"]
    assert aimed
    on_topic_docs = {r.evidence[0].doc_id for r in answer.results
                     if "覆盖" in r.evidence[0].text[: lead_end(r.evidence[0].text)]}
    assert len(on_topic_docs) >= 2


def test_lead_ends_at_a_half_width_full_stop_between_chinese_words_not_in_a_number():
    text = "2. 构建全覆盖工作格局.在建立健全街道党组织的同时,坚持3.5个百分点"
    assert text[: lead_end(text)] == "2. 构建全覆盖工作格局."
