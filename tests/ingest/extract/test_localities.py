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
    assert below["桂花村"] == "石门镇"


@pytest.mark.parametrize(("text", "expected"), [
    ("城关镇青石村推行积分制", ["城关镇", "青石村"]),
    ("长岭镇东风社区组建志愿队", ["长岭镇", "东风社区"]),
    ("城关镇下庄村两委", ["城关镇", "下庄村"]),
    ("东风社区党委召开会议", ["东风社区"]),
    ("青石镇党委坚持服务群众", ["青石镇"]),
])
def test_a_common_noun_names_a_place_after_the_place_that_holds_it_or_before_its_organ(lexicon, text, expected):
    assert [name for name, _ in _found(text, lexicon)] == expected


@pytest.mark.parametrize("text", [
    "青石村推行积分制", "东风社区组建志愿队", "干部下村走访",
    "典型村党支部", "产业村党组织", "农场村两委", "移民村党支部",
])
def test_without_a_place_or_organ_beside_it_a_common_noun_names_nothing_nor_does_a_kind(lexicon, text):
    assert _found(text, lexicon) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("城关镇推进村集体经济发展", ["城关镇"]),       # a verb after a place is what the place does
    ("城关镇选举村两委班子", ["城关镇"]),
    ("个别村党组织软弱", []),                       # a quantity, not a name
    ("部分社区党组织", []),
    ("为每名新任村党组织书记配备导师", []),          # tenure qualifies the office that follows
    ("城关镇现任村党支部书记", ["城关镇"]),
    ("历届社区党委班子", []),
])
def test_verbs_and_quantities_do_not_name_places_even_after_one(lexicon, text, expected):
    assert [name for name, _ in _found(text, lexicon)] == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("长安街道推进网格化治理", "长安街道"),           # jieba: 长安街 / 道
    ("新华社区设立党群服务站", "新华社区"),           # jieba: 新华社 / 区
])
def test_a_suffix_that_jieba_splits_across_the_name_still_ends_it(lexicon, text, expected):
    assert _found(text, lexicon) == [(expected, "street" if expected.endswith("街道") else "village")]


def test_a_suffix_across_tokens_that_ends_inside_a_word_is_no_place(lexicon):
    assert _found("人民公社区域调整", lexicon) == []


@pytest.mark.parametrize(("text", "name"), [
    ("安吉县湾甸子镇推行积分制", "湾甸子镇"),     # jieba: 湾 / 甸子 / 镇
])
def test_a_first_character_jieba_cut_off_joins_the_name_after_its_parent(lexicon, text, name):
    from ingest.extract import extract_places

    below = {m.name: m.attributes.get("parent") for m in extract_places(text, lexicon)
             if m.attributes["level"] in ("town", "village")}
    assert below == {name: "安吉县"}


@pytest.mark.parametrize("text", ["安吉县在村里开展走访", "安吉县各乡镇", "湖州市和村里"])
def test_a_function_word_after_a_place_joins_no_name(lexicon, text):
    from ingest.extract import extract_places

    assert not [m for m in extract_places(text, lexicon) if m.attributes["level"] in ("town", "village")]


@pytest.mark.parametrize(("text", "name"), [
    ("帮助理清思路。东河湾村过去班子不团结。", "东河湾村"),     # jieba: 东 / 河湾 / 村, after a full stop
    ("带动农户2,046户。白水寨村党支部领办合作社。", "白水寨村"),  # 白 / 水寨 / 村
    ("桂花园社区党委书记说。", "桂花园社区"),                  # 桂 / 花园 / 社区, at the text's start
])
def test_a_first_character_jieba_cut_off_joins_the_name_at_a_clauses_start(lexicon, text, name):
    assert [n for n, _ in _found(text, lexicon)] == [name]


@pytest.mark.parametrize("text", ["让石桥村党支部带头", "在石桥村开会", "到石桥村调研"])
def test_a_verb_or_preposition_at_a_clauses_start_joins_no_name(lexicon, text):
    assert [n for n, _ in _found(text, lexicon)] == ["石桥村"]


def test_a_housing_estates_name_before_community_is_a_name_though_its_first_word_is_common(lexicon):
    # 百合 | 苑 | 社区: 百合 holds 百, a numeral's character, but jieba reads it as a noun
    assert _found("网格员上门。百合苑社区探索敲门行动。", lexicon) == [("百合苑社区", "village")]


def test_a_transliterated_name_cut_in_two_and_a_suffix_cut_in_characters(lexicon):
    # 巴音 | 塔拉 | 嘎 | 查: a Mongolian village's name and its suffix, each cut in two by jieba
    assert _found("巴音塔拉嘎查党支部建立流动党员之家。", lexicon) == [("巴音塔拉嘎查", "village")]
    # … of five characters, after its county (阿热 | 布拉克 | 乡), and one whose first syllable jieba reads as a verb
    # at a clause's start (托 | 格拉 | 克村)
    assert [n for n, _ in _found("温宿县阿热布拉克乡南部,距乡政府8公里。", lexicon)] == ["阿热布拉克乡"]
    assert [n for n, _ in _found("通过双语模式,托格拉克村党支部凝聚力增强。", lexicon)] == ["托格拉克村"]
    # a place of the gazetteer before a name is that place, not the name's first half
    from ingest.extract import extract_places

    assert [m.name for m in extract_places("北京石桥村党支部", lexicon)] == ["北京市", "石桥村"]


def test_a_town_suffix_jieba_glued_to_the_next_name_still_ends_the_town(lexicon):
    # 石盘 | 镇龙溪坝 | 村: the town and then its village, each inside the place named before it
    from ingest.extract import extract_places

    found = [(m.name, m.attributes.get("parent")) for m in extract_places("渝北区石盘镇龙溪坝村党支部书记", lexicon)]
    assert found == [("渝北区", "重庆市"), ("石盘镇", "渝北区"), ("龙溪坝村", "石盘镇")]


@pytest.mark.parametrize(("text", "expected"), [
    ("长春市朝阳区清和街道党工委", ["清和街道"]),  # 清 | 和 | 街道: 和 a conjunction to jieba
    ("朝阳区在全区各街道开展走访", []),
    ("朝阳区和村里", []),
])
def test_a_name_jieba_read_as_two_single_characters_after_its_place(lexicon, text, expected):
    from ingest.extract import extract_places

    below = [m.name for m in extract_places(text, lexicon) if m.attributes["level"] in ("street", "town", "village")]
    assert below == expected



@pytest.mark.parametrize(("text", "expected"), [
    ("全旗有6个苏木镇开展整顿", []),          # 苏木 and 镇: two kinds of township, no name
    ("牧区嘎查党组织建设现状", []),            # a pastoral area's villages
    ("库区村党组织建设", []),
])
def test_a_place_suffix_or_a_kind_of_area_before_a_suffix_is_no_name(lexicon, text, expected):
    assert [n for n, _ in _found(text, lexicon)] == expected


def test_a_name_listed_right_after_a_place_is_a_place_though_its_word_is_common(lexicon):
    # 水井 is a common noun to jieba: alone before 乡 it names nothing, but listed after a town it is the next town
    from ingest.extract import extract_places

    assert [m.name for m in extract_places("水井乡党委", lexicon)] == ["水井乡"]  # its organ vouches too
    assert [m.name for m in extract_places("调研组先后赴河口镇、水井乡、东湖街道走访", lexicon)] \
        == ["河口镇", "水井乡", "东湖街道"]
    assert [m.name for m in extract_places("水井乡的干部", lexicon)] == []


def test_a_transliterated_name_opening_with_a_countys_short_name_is_one_name(lexicon):
    # 巴彦 | 乌拉 | 镇: 巴彦 is also 巴彦县's short name, but before a transliteration it is the name's first word
    from ingest.extract import extract_places

    found = [(m.name, m.attributes["level"]) for m in extract_places("深入宝力根苏木、巴彦乌拉镇走访", lexicon)]
    assert found == [("宝力根苏木", "town"), ("巴彦乌拉镇", "town")]


@pytest.mark.parametrize(("text", "expected"), [
    ("龙潭镇高坡村村医、90后党员王俊", ["高坡村"]),   # 高坡 | 村村 | 医: 村村 (every village) is a word to jieba
    ("全县村村建起服务站", []),                      # … and stays one where no name stands before it
])
def test_a_suffix_jieba_read_doubled_with_the_next_words_first_character_still_ends_the_name(lexicon, text, expected):
    assert [n for n, level in _found(text, lexicon) if level == "village"] == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("前宋村从后进村变成了先进村", [("前宋村", "village")]),   # a dictionary word whose stem is no word
    ("去年尧子营村修了路", [("尧子营村", "village")]),
    ("民俗村和度假村越来越多", []),                          # kinds of village are made of words
    ("侨乡是华侨之乡,有人客死他乡", []),
])
def test_a_dictionary_place_name_whose_stem_is_no_word_needs_no_voucher(lexicon, text, expected):
    assert _found(text, lexicon) == expected


def test_a_name_the_text_writes_again_and_again_is_a_place_though_jieba_cuts_it_apart(lexicon):
    from ingest.extract.localities import recurring_localities

    texts = ["以东县同乐苑社区为例。", "同乐苑社区于2019年建成,共有安置楼36栋。", "同乐苑社区党委书记介绍说,",
             "在同乐苑社区,安置社区的党员多。安置社区难管,城市社区也难管,安置社区要多想办法。"]
    assert recurring_localities(texts, lexicon) == {"同乐苑社区": "village"}   # not 乐苑社区, not 安置社区
    # words and phrases before a suffix name no place, however often the text writes them
    texts = ["推进农村改革,发展农村经济,繁荣农村文化。", "党建引领社区治理,党建引领社区服务,党建引领社区发展。",
             "平均每村3人,平均每村5户,平均每村2名。", "特色小镇,文旅小镇,康养小镇。"]
    assert recurring_localities(texts, lexicon) == {}
    # twice is not again and again
    assert recurring_localities(["柳荷村修了路。", "柳荷村建了站。"], lexicon) == {}
    # what comes before a name is no part of it, however the text varies before that
    texts = ["如今的营盘村变了样。", "昔日的营盘村很穷。", "美丽的营盘村迎来游客。", "走进岚垭村。", "我们走进岚垭村,",
             "记者走进岚垭村看到"]
    assert recurring_localities(texts, lexicon) == {}


def test_a_recurring_name_is_found_in_every_passage_of_its_document(lexicon):
    from ingest.extract.document import extract_document
    from ingest.types import Document, Passage, Section

    lines = ["以东县同心苑社区为例。", "同心苑社区于2019年建成。", "同心苑社区党委书记介绍说,居民很满意。"]
    passages = tuple(Passage(text, 0, len(text), i) for i, text in enumerate(lines))
    text = "\n".join(lines)
    doc = Document("d1", "t", "", 0, len(text), text, (Section(("",), "other", passages),))
    found = extract_document(doc, lexicon)
    names = [[m.name for m in p.mentions if m.type == "place"] for p in found.passages]
    assert all("同心苑社区" in n for n in names), names


def test_a_rare_noun_before_a_doubled_suffix_names_the_village(lexicon):
    assert _found("去年,岭头村村监委审核了账目。", lexicon) == [("岭头村", "village")]
    assert _found("推进村村通公路,村村都有服务站。", lexicon) == []   # 村村, every village
    for text in ("实现电商村村全覆盖。", "做到垃圾桶村村有。", "实现公厕村村建。", "健身器材村村配备。"):
        assert _found(text, lexicon) == [], text   # a facility in every village
