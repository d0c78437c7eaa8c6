"""Measures: action clauses of practice and plan sections, with counts and the practice they name."""

from __future__ import annotations

from ingest.extract import extract_measures, extract_practices


def names(mentions, kind: str) -> list[str]:
    """Names of the mentions of one type, in text order."""
    return [m.name for m in mentions if m.type == kind]


def test_action_clauses_become_measures(lexicon):
    text = "我市对18个软弱涣散村党组织进行集中整顿,并从市直机关选派了30名干部到村任第一书记。"
    mentions = extract_measures(text, "practice", lexicon)
    assert names(mentions, "measure") == [
        "对18个软弱涣散村党组织进行集中整顿",
        "从市直机关选派30名干部到村任第一书记",
    ]
    assert mentions[1].attributes["count"] == 30.0 and mentions[1].attributes["count_unit"] == "名"
    assert all(text[m.start : m.end] == m.surface for m in mentions)


def test_listed_actions_are_split(lexicon):
    text = "通过建立联合党支部、开展区域共建,整合各类资源。"
    assert names(extract_measures(text, "plan", lexicon), "measure") == [
        "建立联合党支部",
        "开展区域共建",
        "整合各类资源",
    ]


def test_measures_link_the_practice_they_name(lexicon):
    text = "一是全面推行“马上就办”工作法,二是建立党员积分管理台账。"
    practices = extract_practices(text, lexicon)
    mentions = extract_measures(text, "practice", lexicon, practices)
    assert mentions[0].name == "推行马上就办工作法" and mentions[0].attributes["practice"] == "马上就办工作法"
    assert "practice" not in mentions[1].attributes


def test_only_practice_and_plan_sections_have_measures(lexicon):
    text = "从市直机关选派了30名干部到村任第一书记。"
    assert extract_measures(text, "problem", lexicon) == []
    assert extract_measures(text, "background", lexicon) == []


def test_statements_and_topics_are_not_measures(lexicon):
    text = "加强基层党建是新形势下的必然要求,推进党建规范化建设的关键。"
    assert extract_measures(text, "plan", lexicon) == []
