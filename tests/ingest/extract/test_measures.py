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


def test_a_purpose_clause_is_no_measure_the_action_after_it_is(lexicon):
    text = "为适应组织构成的多样化趋势,应加大在两新组织中组建党组织的力度。为党员发挥作用搭建平台。"
    assert names(extract_measures(text, "plan", lexicon), "measure") == [
        "加大在两新组织中组建党组织的力度",
        "为党员发挥作用搭建平台",
    ]


def test_a_count_of_things_that_did_an_action_is_no_measure(lexicon):
    # "建立党组织的企业56家" counts enterprises that have a party organisation; "建立…站点62个" is done
    text = "全区建立党组织的企业56家,覆盖率80%;建立楼宇党建服务站点62个。"
    assert names(extract_measures(text, "practice", lexicon), "measure") == ["建立楼宇党建服务站点62个"]


def test_a_clause_led_by_who_acts_is_a_measure(lexicon):
    # news pages open clauses with the actor, not with the action: the actor is skipped when an action follows
    text = ("今年以来,某村党支部把党员参加组织生活的情况量化为积分,每月公示一次。"
            "村党支部还建立了党员联户制度,每名党员联系5至10户群众。"
            "XX公司党委开展党员先锋岗创建活动。")
    assert names(extract_measures(text, "other", lexicon), "measure") == [
        "把党员参加组织生活的情况量化为积分",
        "建立党员联户制度",
        "开展党员先锋岗创建活动",
    ]


def test_an_actor_before_a_noun_phrase_is_no_measure(lexicon):
    # "部署的任务" is a thing, not an action; a place is not an actor ("…社区发展新形势")
    text = "某单位党委部署的各项任务,全区社区发展新形势、新要求。"
    assert extract_measures(text, "other", lexicon) == []


def test_a_clause_led_by_a_named_place_is_a_measure(lexicon):
    # a place acts through its organs: 柳湾村建立了…, 城关镇实施…, 化隆县…, and colloquially 镇里…
    text = "柳湾村建立了党员积分制度。城关镇实施头雁工程。化隆县推行村民说事制度。镇里建立了初心驿站。"
    assert names(extract_measures(text, "other", lexicon), "measure") == [
        "建立党员积分制度", "实施头雁工程", "推行村民说事制度", "建立初心驿站"]


def test_a_word_that_only_ends_like_a_place_leads_no_measure(lexicon):
    text = "在美丽乡村建设中发挥先锋模范作用。城市社区建设工作带来了生机。"
    assert extract_measures(text, "other", lexicon) == []


def test_a_clause_stating_the_basis_of_an_action_is_no_measure(lexicon):
    text = "柳湾县按照县委统一部署,组建工作专班。城关镇按照配强班子、加强帮扶的思路,开展集中整顿。"
    assert names(extract_measures(text, "other", lexicon), "measure") == ["组建工作专班", "开展集中整顿"]
    # a basis inside the action's own clause stays part of it
    assert names(extract_measures("按照就近就便原则组建联合党支部17个。", "other", lexicon), "measure") == [
        "按照就近就便原则组建联合党支部17个"]


def test_a_clause_stating_a_shortfall_is_no_measure(lexicon):
    # the action verb leads, the predicate after it says it is not done well: a problem, not a measure
    text = ("一些支部组织活动不经常,建设推动不够,组织业务培训及能力素质培养坚持不好,开展学习流于形式,"
            "组织党员难以集中学习。我们建立党员积分管理制度,着力解决党员难以集中的问题。")
    # before the rule, the five shortfalls were measures too
    assert names(extract_measures(text, "practice", lexicon), "measure") == ["建立党员积分管理制度"]


def test_a_figure_told_as_low_is_no_measure(lexicon):
    text = "过去,组织生活参加率只有61%,能按时交纳党费的仅占七成。村党支部推行党员积分管理。"
    assert names(extract_measures(text, "other", lexicon), "measure") == ["推行党员积分管理"]
    # a low figure naming whom an action is for leaves the action a measure
    text = "对集体经济收入不足5万元的村实施结对帮扶。"
    assert names(extract_measures(text, "practice", lexicon), "measure") == ["对集体经济收入不足5万元的村实施结对帮扶"]


def test_things_hard_to_do_and_results_not_reached_are_no_measures(lexicon):
    text = "开展物业服务缺位、业委会组建难、停车难。组织党员却找不到组织。村党支部推行错时停车。"
    assert names(extract_measures(text, "practice", lexicon), "measure") == ["推行错时停车"]


def test_an_outcome_is_no_measure(lexicon):
    text = "推行“党建+业务”双融合,抓好党建促业务的良好局面,营造比学赶超的浓厚氛围,组织力明显增强。"
    assert names(extract_measures(text, "practice", lexicon), "measure") == ["推行党建+业务双融合"]


def test_a_clause_telling_when_or_what_follows_names_the_action_only(lexicon):
    # 实行…后,…: the action is what precedes 后; 从而使…: a consequence; …的: a clause cut from its noun
    text = "推行院坝议事以后,村民参与热情明显提高。"
    assert names(extract_measures(text, "practice", lexicon), "measure") == ["推行院坝议事"]
    text = "建立四邻联动机制,从而使党群联系更加紧密。"
    assert names(extract_measures(text, "practice", lexicon), "measure") == ["建立四邻联动机制"]
    text = "需要镇里统一组织实施的,由镇党委研究决定。"
    assert not any(name.endswith("的") for name in names(extract_measures(text, "practice", lexicon), "measure"))
    # 后 ending a word, or a clause that ends the sentence, is no time
    text = "组织党员做好搬迁群众的安置善后。"
    assert names(extract_measures(text, "practice", lexicon), "measure") == ["组织党员做好搬迁群众的安置善后"]
    # 落后 at a clause's end is no time
    text = "推动转化提升后进村落后"
    assert names(extract_measures(text, "practice", lexicon), "measure") == [text]


def test_a_difficulty_that_occurs_is_no_measure(lexicon):
    # 推行 leads the clause, but the clause says what happened
    assert names(extract_measures("推行新办法后一度出现了议事难的现象。", "practice", lexicon), "measure") == []
    # an action on the difficulty before the occurrence verb keeps the measure
    found = names(extract_measures("召开专题会议研究解决存在问题。", "practice", lexicon), "measure")
    assert found == ["召开专题会议研究解决存在问题"]
    # a difficulty named as the object of an action is no occurrence
    assert names(extract_measures("整改存在的突出问题。", "practice", lexicon), "measure") == ["整改存在的突出问题"]


def test_a_state_that_has_worn_away_is_no_measure_and_its_remedy_is(lexicon):
    # 弱化, 淡薄, 老化 end a clause stating a shortfall, whatever verb leads it
    text = "部分村党组织弱化,部分党员宗旨意识淡薄,党员队伍老化。"
    assert names(extract_measures(text, "practice", lexicon), "measure") == []
    # an action remedying the shortfall is a measure, even when the shortfall ends it
    text = "采取措施防止村党组织弱化虚化边缘化,有效遏制农村空心化。"
    found = names(extract_measures(text, "practice", lexicon), "measure")
    assert found == ["采取措施防止村党组织弱化虚化边缘化"]
    # … and so is one correcting it
    found = names(extract_measures("着力整治服务群众不到位。", "practice", lexicon), "measure")
    assert found == ["整治服务群众不到位"]
    # a remedy is no prevention: what it falls short in is a shortfall
    text = "邻里矛盾化解不及时,环境整治工作滞后,治理能力不强。"
    assert names(extract_measures(text, "practice", lexicon), "measure") == []
    # 适老化 is a kind of work, not a shortfall
    assert names(extract_measures("推进老旧小区适老化。", "practice", lexicon), "measure") == ["推进老旧小区适老化"]


def test_a_circumstance_or_basis_of_the_action_is_no_measure(lexicon):
    # …的标准中, …的基础上: where something stands, not what was done
    text = "选拔村干部的标准中,首先是要熟悉农村工作。"
    assert names(extract_measures(text, "practice", lexicon), "measure") == []
    # 在…方面: the field the action after it is in
    text = "在规范组织生活方面,石桥村党支部按时召开支部党员大会。"
    assert names(extract_measures(text, "practice", lexicon), "measure") == ["召开支部党员大会"]
    # 结合…实际: what the action takes into account; the action after it is the measure
    text = "结合本村实际,确定一批党员中心户。"
    assert names(extract_measures(text, "practice", lexicon), "measure") == ["确定一批党员中心户"]
    # a verb putting something in a place keeps its measure
    text = "把责任落实到每个党员的岗位上,将整改情况纳入年度考核中。"
    assert names(extract_measures(text, "practice", lexicon), "measure") == [
        "把责任落实到每个党员的岗位上", "将整改情况纳入年度考核中"]
    # … but a word merely holding such a character does not (推进, 收入)
    text = "在推进乡村振兴的进程中,在提高收入的基础上。"
    assert names(extract_measures(text, "practice", lexicon), "measure") == []
    # 结合 leading an action stays part of it
    text = "结合主题党日开展志愿服务。"
    assert names(extract_measures(text, "practice", lexicon), "measure") == ["结合主题党日开展志愿服务"]
    # 在…的情况下 / 前提下: the circumstance the action after it is taken in
    text = "在原有组织架构不变的情况下,从驻区单位选拔负责人进入街道大工委。"
    assert names(extract_measures(text, "practice", lexicon), "measure") == ["从驻区单位选拔负责人进入街道大工委"]
    # a long field (在党费收缴、党徽佩戴、组织关系转接等日常工作中) is still only the field, never cut into a measure
    text = "在党费收缴、党徽佩戴、不合格党员处置、组织关系转接等日常工作中,更加注重提升党员身份意识。"
    assert not any(n.startswith("在") for n in names(extract_measures(text, "practice", lexicon), "measure"))


def test_who_takes_the_lead_opens_the_action_it_leads(lexicon):
    # 牵头: the organ leads the action after it; the action is the measure
    text = "街道党工委牵头建立网格物业联席会,由社区党委书记担任召集人。"
    assert "建立网格物业联席会" in names(extract_measures(text, "practice", lexicon), "measure")
    found = names(extract_measures("由村党支部牵头,组建志愿服务队。", "practice", lexicon), "measure")
    assert found == ["组建志愿服务队"]


def test_a_narrative_time_word_opens_the_action_after_it(lexicon):
    assert names(extract_measures("后来我们建立了三方议事会,每月开会。", "practice", lexicon), "measure") == [
        "建立三方议事会"]


def test_a_time_word_opening_the_clause_is_no_part_of_the_measure(lexicon):
    text = "以后实行村民代表履职积分,每季度公示一次。现在推行党员积分制。"
    assert names(extract_measures(text, "practice", lexicon), "measure") == ["实行村民代表履职积分", "推行党员积分制"]


def test_a_long_action_is_cut_where_a_next_action_starts_not_inside_what_it_acts_on(lexicon):
    # the list after 在 is what the action reaches: one measure, kept whole
    text = "行业党委推动在美团、饿了么等平台的区域站点建立党支部或联合党支部14个。"
    assert names(extract_measures(text, "practice", lexicon), "measure") == [
        "推动在美团、饿了么等平台的区域站点建立党支部或联合党支部14个"]
    # a long clause of two actions is cut where the second starts
    text = "对全县流动党员逐一建立联系台账、纸质档案并定期开展电话回访和走访慰问活动。"
    assert names(extract_measures(text, "practice", lexicon), "measure") == [
        "对全县流动党员逐一建立联系台账、纸质档案并定期开展电话回访"]

