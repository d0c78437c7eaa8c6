"""Indicators: value, unit, subject, comparator, kind, year and place of numbers with units."""

from __future__ import annotations

import pytest

from ingest.extract import extract_indicators, extract_places


def _by_value(text, lexicon, role="other"):
    places = extract_places(text, lexicon)
    return {m.attributes["value"]: m.attributes for m in extract_indicators(text, lexicon, role, places)}


def test_share_with_a_qualified_subject(lexicon):
    found = _by_value("全镇党员平均年龄58.6岁,35岁以下党员占比仅为8.2%。", lexicon)
    assert sorted(found) == [8.2, 58.6]
    assert found[58.6]["subject"] == "党员平均年龄" and found[58.6]["unit"] == "岁"
    assert found[8.2]["subject"] == "35岁以下党员占比" and found[8.2]["comparator"] == "为"


def test_occupying_share_keeps_the_qualifier_in_the_subject(lexicon):
    found = _by_value("全县村干部中年龄55岁及以上的占42.5%。", lexicon)
    assert list(found) == [42.5]
    assert found[42.5]["subject"] == "村干部中年龄55岁及以上的"
    assert found[42.5]["comparator"] == "占" and found[42.5]["unit"] == "%"


def test_rate_takes_its_subject_from_the_previous_clause(lexicon):
    found = _by_value("全市建立党组织的社会组织321个,覆盖率65.4%。", lexicon)
    assert found[65.4]["subject"] == "建立党组织的社会组织覆盖率"
    assert found[321.0]["unit"] == "个"


def test_money_per_month_and_comparators(lexicon):
    found = _by_value("村党组织书记报酬每人每月提高到3500元,办公经费不少于2万元。", lexicon)
    assert found[3500.0]["unit"] == "元/月" and found[3500.0]["comparator"] == "提高到"
    assert found[3500.0]["subject"] == "村党组织书记报酬"
    assert found[2.0]["unit"] == "万元" and found[2.0]["comparator"] == "不少于"


def test_count_subject_follows_the_unit(lexicon):
    found = _by_value("从市直机关抽调35名干部。", lexicon)
    assert found[35.0]["subject"].endswith("干部") and found[35.0]["unit"] == "名"


def test_counted_noun_phrase_takes_its_modifiers_and_stops_before_the_verb(lexicon):
    found = _by_value("全乡300个老旧院落分批改造,90余位外卖骑手加入协会,15个后进支部已经整顿。", lexicon)
    assert "老旧院落" in found[300.0]["subject"] and "改造" not in found[300.0]["subject"]
    assert found[90.0]["subject"].endswith("外卖骑手") and found[90.0]["unit"] == "位"
    assert found[15.0]["subject"].endswith("后进支部")


def test_a_count_before_a_verb_takes_no_noun_after_it(lexicon):
    found = _by_value("今年新增8个到村任职的岗位。", lexicon)
    assert "到村" not in found.get(8.0, {}).get("subject", "")


def test_target_year_and_place(lexicon):
    found = _by_value("下一步,力争到2026年南阳市村集体经济收入全部达到10万元以上。", lexicon)
    attributes = found[10.0]
    assert attributes["kind"] == "target" and attributes["year"] == 2026
    assert attributes["place"] == "南阳市" and attributes["comparator"] == "达到"
    status = _by_value("2023年全县发展党员120名。", lexicon)[120.0]
    assert status["kind"] == "status" and status["year"] == 2023


def test_years_dates_ordinals_and_placeholders_are_not_indicators(lexicon):
    assert _by_value("2024年6月18日召开第17次会议,投入XXX万元,20xx年完成。", lexicon) == {}


def test_a_one_character_noun_counted_is_named_by_what_was_done_there(lexicon):
    found = _by_value("推行“四议两公开”工作法,在128个村建立村民议事会,对46户开展结对帮扶。", lexicon)
    assert found[128.0]["subject"] == "建立村民议事会的村"
    assert "四议两公开" not in found[128.0]["subject"]  # not the clause before
    assert "四议两公开" not in found[46.0]["subject"]


def test_counts_in_chinese_numerals(lexicon):
    found = _by_value("全镇共有两千余名党员,其中十二名在外务工,每年为集体创收六万元。", lexicon)
    assert sorted(found) == [6.0, 12.0, 2000.0]
    assert found[2000.0]["unit"] == "名" and "党员" in found[2000.0]["subject"]
    assert found[6.0]["unit"] == "万元"           # 万 stays the unit's multiplier, as with digits
    assert found[12.0]["unit"] == "名"


def test_chinese_numerals_that_count_no_measurement_are_not_indicators(lexicon):
    for text in ("一名党员就是一面旗帜。", "开展五个一活动。", "村里来了五六个年轻人。", "二〇二五年建成服务站。"):
        assert _by_value(text, lexicon) == {}, text
    found = _by_value("十四五期间建成服务站二十个。", lexicon)
    assert list(found) == [20.0] and found[20.0]["subject"].endswith("建成服务站")


def test_a_change_from_one_figure_to_another_names_both_by_one_subject(lexicon):
    found = _by_value("今年以来,党员参加组织生活的比例由63%提高到95%,服务队从12支增加至30支。", lexicon)
    assert found[63]["subject"] == found[95]["subject"] == "党员参加组织生活的比例"
    assert (found[63]["comparator"], found[95]["comparator"]) == ("由", "提高到")
    text = "今年以来,党员参加组织生活的比例由63%提高到95%,服务队从12支增加至30支。"
    names = sorted(m.name for m in extract_indicators(text, lexicon, "other", []))
    assert "党员参加组织生活的比例由63%提高到95%" in names and "服务队从12支增加至30支" in names
    names = [m.name for m in extract_indicators("去年以来,出海党员参学率由41%提高到了93%。", lexicon, "other", [])]
    assert "出海党员参学率由41%提高到93%" in names, names
    assert found[12]["comparator"] == "从"
    found = _by_value("今年以来,居民满意度由58%提升至93%。", lexicon)   # a change written with 至
    assert found[93]["subject"] == "居民满意度" and found[93]["comparator"] == "提升至"


def test_by_before_a_figure_without_a_change_is_no_comparator(lexicon):
    found = _by_value("服务队由85名党员骨干组成。", lexicon)
    assert found[85]["comparator"] is None and found[85]["subject"].endswith("党员骨干")
    found = _by_value("今年由10名党员到村开展走访。", lexicon)
    assert found[10]["comparator"] is None
    found = _by_value("村集体收入由5万元增至20万元。", lexicon)
    assert (found[5]["comparator"], found[20]["comparator"]) == ("由", "增至")
    assert found[5]["subject"] == found[20]["subject"] == "村集体收入"


def test_a_change_from_a_time_named_between_by_and_the_figure(lexicon):
    # 由原来的… / 从去年的…: the change starts at the first figure all the same
    found = _by_value("一年来,党员的出勤率由原来的不足60%提高到93%。", lexicon)
    assert found[60]["subject"] == found[93]["subject"] == "党员的出勤率"
    assert (found[60]["comparator"], found[93]["comparator"]) == ("不足", "提高到")
    found = _by_value("志愿服务队从去年的12支增加到30支。", lexicon)
    assert found[12]["subject"] == found[30]["subject"] == "志愿服务队"


def test_points_sheets_and_books_are_units(lexicon):
    found = _by_value("群众满意度较去年提高9.6个百分点,审核财务票据426张,村级台账精简到12本。", lexicon)
    assert (found[9.6]["unit"], found[426]["unit"], found[12]["unit"]) == ("个百分点", "张", "本")


def test_thousands_set_apart_by_commas(lexicon):
    found = _by_value("全区共有党员12,045名,其中流动党员2,318名,帮扶资金1,250.5万元。", lexicon)
    assert sorted(found) == [1250.5, 2318.0, 12045.0]
    assert found[2318.0]["subject"] == "流动党员" and found[2318.0]["unit"] == "名"


def test_a_comma_between_two_figures_is_no_thousands_separator(lexicon):
    # half-width punctuation: two counts in a row, neither of three digits after the comma
    found = _by_value("新建党支部12个,3个村实现集体经济破零。", lexicon)
    assert sorted(found) == [3.0, 12.0]


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("建设课程思政示范课程46门。", 46.0, "门"),
    ("村级组织平均挂牌数量减少到4块。", 4.0, "块"),
    ("每名党员每年参加集中培训不少于32学时。", 32.0, "学时"),
])
def test_courses_signs_and_class_hours_are_units(lexicon, text, value, unit):
    found = [(a["value"], a["unit"]) for a in _by_value(text, lexicon).values()]
    assert any(v == value and u.startswith(unit) for v, u in found), found


def test_an_approximate_count_is_named_as_written(lexicon):
    text = "据统计,该镇1万多名党员与贫困户结对,300余名干部下沉一线,培训8千余人次。"
    places = extract_places(text, lexicon)
    names = {m.attributes["value"]: m.name for m in extract_indicators(text, lexicon, "other", places)}
    assert "1万多名党员" in names[1.0] and "300余名干部" in names[300.0]
    assert names[8.0].endswith("8千余人次")
    found = _by_value(text, lexicon)
    assert found[1.0]["unit"] == "万名" and found[1.0]["comparator"] == "超过"


def test_a_counted_noun_stays_after_its_count_in_the_name(lexicon):
    text = "村党支部将27艘渔船划分为6个渔船党小组,全县辖11个乡镇、218个行政村。"
    found = {m.attributes["value"]: m for m in extract_indicators(text, lexicon, "other", [])}
    assert found[6.0].name.endswith("划分为6个渔船党小组")
    assert found[6.0].attributes["subject"].endswith("渔船党小组")   # the subject still names what is counted
    assert found[218.0].name.endswith("218个行政村")
    found = {m.attributes["value"]: m for m in extract_indicators("全镇317名党员分布在23个村。", lexicon, "other", [])}
    assert found[23.0].name.endswith("23个村")
    text = "全县80%的示范点建成了党群服务站。"
    assert [m.name for m in extract_indicators(text, lexicon, "other", [])] == ["全县80%的示范点"]


def test_cases_and_scores_are_counted_after_digits_only(lexicon):
    found = _by_value("共调解矛盾纠纷146起,日均进出货车6800余辆次,满意度测评由91.2分提高到96.8分。", lexicon)
    assert found[146.0]["unit"] == "起" and found[6800.0]["unit"] == "辆次" and found[96.8]["unit"] == "分"
    found = _by_value("全村累计兑换积分3.2万分,协商周期由过去的14个月缩短到5个月。", lexicon)
    assert found[3.2]["unit"] == "万分" and found[14.0]["unit"] == "个月" and found[5.0]["unit"] == "个月"
    # 一起 (together), 十分 (very) and a time of day are no figures
    assert _by_value("大家一起干,十分重要,万分感谢,会议于8时30分召开。", lexicon) == {}
    for text in ("会议于8:30分召开。", "收益按3:7分成。", "本办法自2024起施行。"):
        assert _by_value(text, lexicon) == {}, text


def test_an_example_marker_opens_no_subject(lexicon):
    text = "对积分进行兑换,如积分800分以上可优先评先,比如服务时长50小时以上的给予表彰。"
    found = _by_value(text, lexicon)
    assert found[800.0]["subject"] == "积分" and not found[50.0]["subject"].startswith("比如")
    # a place whose name opens with 如 keeps it
    assert _by_value("如皋市共有党员1200名。", lexicon)[1200.0]["subject"].startswith("如皋市")


def test_bags_pairs_joined_nouns_and_a_measure_with_nothing_before_it(lexicon):
    found = _by_value("装填沙袋1.3万余袋,共结成师徒对子96对,开展1对1帮扶。", lexicon)
    assert found[1.3]["unit"] == "万袋" and found[96.0]["unit"] == "对" and 1.0 not in found
    # one count of two nouns joined by 和
    text = "全乡1046名党员和公职人员逐一签订承诺书。"
    names = [m.name for m in extract_indicators(text, lexicon, "other", [])]
    assert names == ["全乡1046名党员和公职人员"]
    # what is measured follows the figure when nothing stands before it
    assert _by_value("针对1860亩农田受淹的情况,开展帮扶。", lexicon)[1860.0]["subject"].startswith("农田")
    # … but a time limit is no count of what follows it
    assert _by_value("2小时内响应群众诉求。", lexicon) == {}


def test_a_quoted_name_after_a_count_is_what_is_counted(lexicon):
    found = _by_value("在主要游线上建成8个“游客服务红色驿站”,由党员轮流值守。", lexicon)
    assert found[8.0]["subject"].endswith("游客服务红色驿站")


def test_cases_sessions_and_a_change_between_years(lexicon):
    found = _by_value("累计开展远程会诊1860例,全年召开说事会312场次,举例说明。", lexicon)
    assert found[1860.0]["unit"] == "例" and found[312.0]["unit"] == "场次" and len(found) == 2
    text = "家长对学校工作满意度由2021年的86%提高到2023年的97.3%。"
    found = {m.attributes["value"]: m for m in extract_indicators(text, lexicon, "other", [])}
    assert found[97.3].attributes["subject"] == "家长对学校工作满意度" and "由2021年的86%" in found[97.3].name


def test_area_weight_power_and_volume_are_units(lexicon):
    text = "林场经营总面积4.37万公顷,年产茶叶120吨,建成光伏电站装机容量500千瓦,蓄水池容量200立方米。"
    found = _by_value(text, lexicon)
    assert {v: a["unit"] for v, a in found.items()} == {4.37: "万公顷", 120.0: "吨", 500.0: "千瓦", 200.0: "立方米"}
    assert found[4.37]["subject"] == "林场经营总面积"
    assert _by_value("全年发电量86万千瓦时。", lexicon)[86.0]["unit"] == "万千瓦时"


def test_a_cut_from_one_figure_to_another_is_a_change_of_one_subject(lexicon):
    found = _by_value("村级报表由126张精简到31张,工作群由57个压减到9个。", lexicon)
    assert found[31.0]["subject"] == "村级报表" and found[31.0]["comparator"] == "精简到"
    assert found[9.0]["subject"] == "工作群" and found[9.0]["comparator"] == "压减到"
