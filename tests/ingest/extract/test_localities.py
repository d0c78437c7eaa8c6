"""Places below the county: a name before 村/社区/街道/镇/乡, guarded by what a name is not."""

from __future__ import annotations

import pytest

from ingest.extract.localities import localities


def _found(text, lexicon):
    return [(p.name, p.level) for p in localities(text, lexicon.segmenter.tokens(text), lexicon)]


@pytest.mark.parametrize(("text", "expected"), [
    ("桂花村党支部书记带头干", [("桂花村", "village")]),
    ("石门镇党委召开会议", [("石门镇", "town")]),
    ("柳营社区居委会组织志愿者", [("柳营社区", "village")]),
    ("王家岭镇推行积分制", [("王家岭镇", "town")]),
    ("刘家坪村党支部", [("刘家坪村", "village")]),
    ("张庄村两委班子", [("张庄村", "village")]),
    ("在枫林社区开展活动", [("枫林社区", "village")]),
    ("湖南省长沙市岳麓区望岳街道", [("望岳街道", "street")]),
    ("镇双河村党员", [("双河村", "village")]),
    ("在十八洞村驻村帮扶", [("十八洞村", "village")]),
    ("三坊七巷社区推行网格化管理", [("三坊七巷社区", "village")]),
    ("三河村和九龙村结对共建", [("三河村", "village"), ("九龙村", "village")]),
])
def test_named_places_are_found_whole(lexicon, text, expected):
    assert _found(text, lexicon) == expected


@pytest.mark.parametrize("text", [
    "全村党员都来了", "该镇的做法", "各街道要落实", "本社区居民", "一个村一个样", "每个社区都有", "我们村",
    "贫困村和示范社区", "空壳村的集体经济", "驻村工作队", "回村任职", "选派到村任职", "新农村建设",
    "城乡一体", "富民强村", "能人治村", "城市社区和农村社区", "乡村振兴", "小城镇建设", "XX村和**镇",
    "建立健全村级组织", "明年村集体收入翻番", "党支部下社区", "党工委街道",
    "两个村", "十多个村", "全县十个乡镇", "三个社区", "五村联创", "一村一品",
])
def test_words_that_only_end_like_a_place_are_not_places(lexicon, text):
    assert _found(text, lexicon) == []


def test_places_keep_their_parent_in_the_text(lexicon):
    from ingest.extract import extract_places

    mentions = extract_places("浙江省湖州市安吉县石门镇桂花村", lexicon)
    below = {m.name: m.attributes.get("parent") for m in mentions if m.attributes["level"] in ("town", "village")}
    assert below["石门镇"] == "安吉县"
    assert "桂花村" in below
