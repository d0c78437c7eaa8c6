"""Problems: lexicon categories assigned to problem spans and passages."""

from __future__ import annotations

from ingest.extract import extract_problems, problem_categories


def test_problem_labels_map_to_categories(lexicon):
    text = "个别村成为“空壳村”,党建和业务“两张皮”,村干部待遇偏低、后继乏人。"
    found = [(m.name, m.surface) for m in extract_problems(text, lexicon)]
    assert found == [
        ("集体经济薄弱", "空壳村"),
        ("党建业务两张皮", "两张皮"),
        ("待遇保障不足", "待遇偏低"),
        ("带头人后继乏人", "后继乏人"),
    ]


def test_longest_cue_wins(lexicon):
    found = extract_problems("一些党组织软弱涣散,组织生活流于形式。", lexicon)
    assert [m.surface for m in found] == ["软弱涣散", "组织生活流于形式"]


def test_passage_categories_are_ranked_by_cue_count(lexicon):
    text = "党员老龄化严重,年龄偏大,文化程度偏低;流动党员管理难。"
    assert problem_categories(text, lexicon) == ["党员队伍老化", "流动党员管理难"]
    assert problem_categories("开展主题党日活动。", lexicon) == []


def test_every_category_has_a_name_and_cues(lexicon):
    assert len(lexicon.problems) >= 14
    assert all(c.name and c.cues for c in lexicon.problems)
