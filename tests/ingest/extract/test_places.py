"""Places: gazetteer names with their level and parent, aliases, places below the county, placeholders."""

from __future__ import annotations

import pytest

from ingest.extract import extract_places, main_place


def _places(text, lexicon):
    return [(m.name, m.attributes.get("level"), m.attributes.get("parent")) for m in extract_places(text, lexicon)]


def test_hierarchy_from_the_gazetteer(lexicon):
    assert _places("按照中央、河南省、南阳市关于基层党建的部署,邓州市委坚持问题导向。", lexicon) == [
        ("河南省", "province", None),
        ("南阳市", "city", "河南省"),
        ("邓州市", "county", "南阳市"),
    ]


def test_aliases_resolve_to_the_canonical_name(lexicon):
    mentions = extract_places("北京的实践表明,深圳经验值得学习。", lexicon)
    assert [(m.name, m.surface) for m in mentions] == [("北京市", "北京"), ("深圳市", "深圳")]


def test_places_below_the_county_take_the_preceding_place_as_parent(lexicon):
    assert _places("成都市郫都区唐昌街道和诸暨市枫桥镇都有好做法。", lexicon) == [
        ("成都市", "city", "四川省"),
        ("郫都区", "county", "成都市"),
        ("唐昌街道", "street", "郫都区"),
        ("诸暨市", "county", "绍兴市"),
        ("枫桥镇", "town", "诸暨市"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "XX县委高度重视,xx市委认真贯彻,**市和___县也在推进。",
        "各乡镇、全县、我市、本区的城市社区和城镇。",
        "在城区,新建改建扩建活动场所。",
        "大部分村屯街道还是土路,乡镇社区缺少活动场所。",  # kinds of place side by side
        "探索富有特色的能人治村模式,坚持产业兴村。",  # slogans: a word, then how it runs the village
        "打造美丽乡村示范区,推进智慧园区建设。",  # a common word before a zone's suffix names no zone
    ],
)
def test_placeholders_and_generic_words_are_not_places(lexicon, text):
    assert extract_places(text, lexicon) == []


def test_an_ambiguous_county_is_resolved_by_a_named_city(lexicon):
    mentions = extract_places("福州市鼓楼区", lexicon)
    assert mentions[1].attributes["parent"] == "福州市"
    lone = extract_places("鼓楼区", lexicon)
    assert lone[0].attributes.get("ambiguous") is True and "parent" not in lone[0].attributes


def test_main_place_is_the_most_mentioned_finer_place(lexicon):
    text = "湖南省常德市安乡县委认真落实。安乡县的做法是:安乡县各村推行积分制。"
    assert main_place(extract_places(text, lexicon)) == "安乡县"
    assert main_place(extract_places("XX县委认真落实。", lexicon)) is None


def test_every_place_knows_the_places_holding_it(lexicon):
    from ingest.extract import extract_places

    within = {m.name: m.attributes.get("within") for m in extract_places("安吉县湾甸子镇大溪村推行积分制", lexicon)}
    # the town as the text names it, then the gazetteer
    assert within["大溪村"] == ["湾甸子镇", "安吉县", "湖州市", "浙江省"]
    assert within["安吉县"] == ["湖州市", "浙江省"]


@pytest.mark.parametrize(("text", "name", "parent"), [
    ("成都高新区推行红色代办", "成都高新区", "成都市"),      # a bare zone suffix after a city's short name
    ("青川县经济开发区党工委建立驿站", "青川县经济开发区", "青川县"),
    ("武汉东湖新技术开发区党工委", "武汉东湖新技术开发区", "武汉市"),  # one word to jieba
    # a county whose suffix jieba glued to the zone's own name (双流/区金桐/开发区)
    ("总部位于四川省成都市双流区金桐开发区的企业", "双流区金桐开发区", "双流区"),
    # a zone's own proper name, no place before it, maybe with what the zone makes
    ("楚峰高新区内的一家快递分拨中心", "楚峰高新区", None),
    ("澄溪智能装备产业园党群服务中心", "澄溪智能装备产业园", None),
])
def test_development_zones_are_places_inside_the_place_named_before_them(lexicon, text, name, parent):
    from ingest.extract import extract_places

    zones = [(m.name, m.attributes.get("parent")) for m in extract_places(text, lexicon)
             if m.attributes["level"] == "zone"]
    assert zones == [(name, parent)]


def test_a_zone_of_its_own_name_in_a_city_written_in_full_leaves_the_city_named(lexicon):
    assert _places("位于江苏省柳澄市武岚高新技术产业开发区", lexicon) == [
        ("江苏省", "province", None), ("柳澄市", "city", "江苏省"), ("武岚高新技术产业开发区", "zone", "柳澄市")]
    assert _places("成都高新区", lexicon) == [("成都高新区", "zone", "成都市")]


@pytest.mark.parametrize("text", ["在高新区推行", "各开发区要抓好", "上海市新区建设", "成都推进开发区建设",
                                  "雄安新区推行", "国家级高新区建设", "推进工业园区建设", "建设智能装备产业园"])
def test_what_names_no_zone(lexicon, text):
    from ingest.extract import extract_places

    assert not [m for m in extract_places(text, lexicon) if m.attributes["level"] == "zone"]


@pytest.mark.parametrize(("text", "expected"), [
    # a county's short name is confirmed by the town named right after it
    ("安吉天荒坪镇推行积分制", [("安吉县", "county", "湖州市"), ("天荒坪镇", "town", "安吉县")]),
    # a division glued to its province's short name is that division, not a zone
    ("上海浦东新区陆家嘴街道", [("浦东新区", "county", "上海市"), ("陆家嘴街道", "street", "浦东新区")]),
    ("成都高新区石羊街道", [("成都高新区", "zone", "成都市"), ("石羊街道", "street", "成都高新区")]),
    ("在安吉开展调研", []),
])
def test_short_names_and_zones_hold_the_places_after_them(lexicon, text, expected):
    assert _places(text, lexicon) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a street named after the village it grew from is the street, not the village
    # (the county written before it is the one holding it, though no gazetteer lists it)
    ("柳湾县石桥村街道党工委推行积分制", [("柳湾县", "county", None), ("石桥村街道", "street", "柳湾县")]),
    # a village's own people or organs leave it a village; 村镇 is a word for villages and towns
    ("柳湾县石桥村村民代表", [("柳湾县", "county", None), ("石桥村", "village", "柳湾县")]),
    # a two-character name jieba would cut into a verb alone (丰/胜) is read in its context
    ("洮南市丰胜乡柳河村", [("洮南市", "county", "白城市"), ("丰胜乡", "town", "洮南市"),
                           ("柳河村", "village", "丰胜乡")]),
])
def test_a_place_named_after_a_village_is_the_larger_place(lexicon, text, expected):
    assert _places(text, lexicon) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a feature of the land ending the name, a character jieba leaves alone (湾, 畈)
    ("宜秀区栖霞湾社区结合辖区老年人多的特点", [("宜秀区", "county", "安庆市"), ("栖霞湾社区", "village", "宜秀区")]),
    ("全镇辖桃坳村、杨柳畈村、青岗岭村。", [("桃坳村", "village", None), ("杨柳畈村", "village", None),
                                          ("青岗岭村", "village", None)]),
    # alone, after a word that names nothing (这个, 有个), it names nothing
    ("这个湾社区", []),
    ("柳湾县有个湾村", []),
    # one jieba tags a verb (冲, 墩) still ends a name, not a slogan
    ("黄泥冲村党支部和王家墩村党支部", [("黄泥冲村", "village", None), ("王家墩村", "village", None)]),
    # a place jieba knows that opens with a suffix's character (镇南) is a name
    ("石桥镇镇南社区党委", [("石桥镇", "town", None), ("镇南社区", "village", "石桥镇")]),
])
def test_a_feature_of_the_land_before_the_suffix_is_part_of_the_name(lexicon, text, expected):
    assert _places(text, lexicon) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a village jieba's dictionary holds whole, vouched for by its organ or by the town before it
    ("竹园村党总支召开党员大会。", [("竹园村", "village", None)]),
    ("沙坪镇竹园村", [("沙坪镇", "town", None), ("竹园村", "village", "沙坪镇")]),
    # … but not a kind of village (民俗村, 度假村), a word the suffix closes (他乡, 家乡) or one not vouched for
    ("把民俗村党支部建起来,发展度假村。", []),
    ("他们远走他乡,思念家乡。", []),
    ("竹园村将废弃的村小改成了民宿。", []),
    # a village's first character that jieba took for a verb, right after the town holding it
    ("他被派到石门镇弄怀村担任第一书记。", [("石门镇", "town", None), ("弄怀村", "village", "石门镇")]),
    # … never a character saying where someone goes (驻, 进, 包)
    ("城关镇包村干部", [("城关镇", "town", None)]),
])
def test_a_village_named_by_a_dictionary_word_or_after_a_verb_where_the_text_vouches(lexicon, text, expected):
    assert _places(text, lexicon) == expected


def test_a_place_below_the_county_named_once_where_the_text_vouched_is_found_again_in_the_document(lexicon):
    # one sense per discourse: 水井乡, listed after a town in one passage, is that town where another passage writes
    # it with nothing before it, and so the village named right after it is found too
    from ingest.extract.document import extract_document
    from ingest.types import Document, Passage, Section

    texts = ["调研组先后赴河口镇、水井乡、东湖街道走访。", "水井乡石桥村78岁的老党员说不会用手机。"]
    passages = tuple(Passage(t, 0, len(t), i) for i, t in enumerate(texts))
    text = "\n".join(texts)
    doc = Document("d", "调研报告", "p.txt", 0, len(text), text, (Section(("调研报告",), "background", passages),))
    found = extract_document(doc, lexicon)
    second = [(m.name, m.attributes.get("parent")) for m in found.passages[1].mentions if m.type == "place"]
    assert second == [("水井乡", None), ("石桥村", "水井乡")]


@pytest.mark.parametrize(("text", "expected"), [
    # 青 | 岚县: an unknown county (the town after it vouches for it), not 岚县
    ("来到四川省青岚县城关镇石门村", ["四川省", "青岚县", "城关镇", "石门村"]),
    ("山西省岚县推行积分制", ["山西省", "岚县"]),
    ("在岚县调研", ["岚县"]),
    ("陕西省礼泉县、乾县", ["陕西省", "礼泉县", "乾县"]),
])
def test_a_two_character_county_ending_a_longer_name_is_not_that_county(lexicon, text, expected):
    from ingest.extract import extract_places

    assert [m.name for m in extract_places(text, lexicon)] == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a county or city no gazetteer lists, written right under the division holding it
    ("近年来,贵州省遵义市柳岚县累计投入资金1.36亿元", [("贵州省", "province", None), ("遵义市", "city", "贵州省"),
                                                       ("柳岚县", "county", "遵义市")]),
    ("地处湖南省青屏市西部山区", [("湖南省", "province", None), ("青屏市", "city", "湖南省")]),
    ("内蒙古自治区锡林郭勒盟柳拉图旗", [("内蒙古自治区", "province", None), ("锡林郭勒盟", "city", "内蒙古自治区"),
                                        ("柳拉图旗", "county", "锡林郭勒盟")]),
    ("河南省周口市柳川县石营乡", [("河南省", "province", None), ("周口市", "city", "河南省"),
                                  ("柳川县", "county", "周口市"), ("石营乡", "town", "柳川县")]),
    # or as the place of its party committee or government
    ("中共柳岚县委组织部印发通知", [("柳岚县", "county", None)]),
    ("柳岚县人民政府办公室", [("柳岚县", "county", None)]),
    # what follows a city without naming a division
    ("江西省赣州市城区", [("江西省", "province", None), ("赣州市", "city", "江西省")]),
    ("江西省赣州市县两级", [("江西省", "province", None), ("赣州市", "city", "江西省")]),
    ("江西省赣州市区域协调发展", [("江西省", "province", None), ("赣州市", "city", "江西省")]),
    ("江西省赣州市辖区内", [("江西省", "province", None), ("赣州市", "city", "江西省")]),
    ("中共XX县委组织部", []),
    # or as one of three or more names of that shape listed together
    ("现将柳岭县、石坪县、凤川区的做法摘编如下", [("柳岭县", "county", None), ("石坪县", "county", None),
                                                 ("凤川区", "county", None)]),
    ("柳岭县、石坪县和XX县作了交流发言", [("柳岭县", "county", None), ("石坪县", "county", None)]),
    ("据统计,浙江省宁波市明柳区现有快递企业", [("浙江省", "province", None), ("宁波市", "city", "浙江省"),
                                               ("明柳区", "county", "宁波市")]),
    ("浙江省宁波市主城区", [("浙江省", "province", None), ("宁波市", "city", "浙江省")]),
    ("中共江西省赣州市岚溪县委", [("江西省", "province", None), ("赣州市", "city", "江西省"),
                                  ("岚溪县", "county", "赣州市")]),
    ("江西省柳岚市委组织部", [("江西省", "province", None), ("柳岚市", "city", "江西省")]),
    # jieba glues the holder's suffix to the next name (某市东|礁县 as 市东|礁|县): the chain still goes on
    ("浙江省柳澄市东蓼县石门镇", [("浙江省", "province", None), ("柳澄市", "city", "浙江省"),
                                  ("东蓼县", "county", "柳澄市"), ("石门镇", "town", "东蓼县")]),
    ("内蒙古自治区柳塔拉盟查岚淖尔旗", [("内蒙古自治区", "province", None), ("柳塔拉盟", "city", "内蒙古自治区"),
                                        ("查岚淖尔旗", "county", "柳塔拉盟")]),
    # a city the text named once holds the division written after it where it is written again
    ("柳峰林场隶属吉林省青岚市林业局,位于青岚市东柳县境内",
     [("吉林省", "province", None), ("青岚市", "city", "吉林省"), ("东柳县", "county", "青岚市")]),
    # an anonymised city still holds the division after it
    ("××村位于**市柳湖区石岗街道", [("柳湖区", "county", None), ("石岗街道", "street", "柳湖区")]),
    ("XX市XX区", []),
    ("XX县柳石镇退役军人服务站", [("柳石镇", "town", None)]),  # the anonymised county's suffix is not the town's
    # a committee's department after 委 names the committee of a place, as 中共 before it does
    ("武柳区委组织部有关负责人表示", [("武柳区", "county", None)]),
    ("将结果每月书面报告市委组织部", []),
    ("向当地县委组织部报告", []),
    # 州 ends a city's own name (某州市); a division's people's institutions name it as its government does
    ("近期,柳州市委组织部调研", [("柳州市", "city", "广西壮族自治区")]),
    ("近期,岚州市委组织部调研", [("岚州市", "city", None)]),
    ("对柳丰县人民医院进行调研", [("柳丰县", "county", None)]),
    # a city and a county written together, neither listed: the address vouches for both
    ("伏岚市嵩柳县石门乡党委副书记",
     [("伏岚市", "city", None), ("嵩柳县", "county", "伏岚市"), ("石门乡", "town", "嵩柳县")]),
    ("全市各县", []),
    # an autonomous division by the peoples it is for, and the division it holds
    ("湖北省柳江土家族苗族自治州柳台县", [("湖北省", "province", None), ("柳江土家族苗族自治州", "city", "湖北省"),
                                       ("柳台县", "county", "柳江土家族苗族自治州")]),
    ("新疆维吾尔自治区柳音郭楞蒙古自治州", [("新疆维吾尔自治区", "province", None),
                                           ("柳音郭楞蒙古自治州", "city", "新疆维吾尔自治区")]),
    ("全省各族自治县", []),
    # found by the review: words of the language after a city are no counties, an autonomous division's name starts
    # after the province written before it, a person's name before a post names no county
    ("柳岚市老旧小区", []),
    ("杭州市老旧小区", [("杭州市", "city", "浙江省")]),
    ("柳岚市农贸市场", []),
    ("XX市老旧小区", []),
    ("浙江省柳澄市中心区", [("浙江省", "province", None), ("柳澄市", "city", "浙江省")]),
    ("新疆伊犁哈萨克自治州伊宁县", [("伊宁县", "county", "伊犁哈萨克自治州")]),
    ("云南柳岚彝族自治州", [("云南省", "province", None), ("柳岚彝族自治州", "city", "云南省")]),
    ("中国柳岚土家族自治县", [("柳岚土家族自治县", "county", None)]),
    ("陪同王建国县委书记调研", []),
    ("XX乡柳石村", [("柳石村", "village", None)]),
    ("XX镇各村", []),
    # a county listed beside one found is a county too; slogans listed are not
    ("山西省岚县、柳台县", [("山西省", "province", None), ("岚县", "county", "吕梁市"), ("柳台县", "county", None)]),
    ("柳台县、岚县", [("柳台县", "county", None), ("岚县", "county", "吕梁市")]),
    ("经济强县、工业大县", []),
    # a county written right before the town it holds: the address vouches for it
    ("柳屿县沙头镇北澳村探索推行船头议事", [("柳屿县", "county", None), ("沙头镇", "town", "柳屿县"),
                                           ("北澳村", "village", "沙头镇")]),
    ("在山区农村", []),
    ("沁县、柳台县、岚县", [("沁县", "county", "长治市"), ("柳台县", "county", None), ("岚县", "county", "吕梁市")]),
    ("工程在陕西省秦岚市凤柳县开工,途经凤柳县、麟岭县两个县",
     [("陕西省", "province", None), ("秦岚市", "city", "陕西省"), ("凤柳县", "county", "秦岚市"),
      ("麟岭县", "county", None)]),
    ("全省各县、市、区", []),
    ("全省各县、市和区", []),
    ("本县、该县、各县区", []),
])
def test_a_county_or_city_the_gazetteer_lacks_is_named_where_the_text_says_it_is_a_division(lexicon, text, expected):
    assert _places(text, lexicon) == expected


def test_a_division_named_by_the_text_is_marked_and_found_again_in_the_document(lexicon):
    from ingest.extract.document import extract_document
    from ingest.types import Document, Passage, Section

    texts = ["6月以来,江西省赣州市柳岚县遭遇强降雨。", "柳岚县召开防汛调度会,部署转移群众。"]
    first = {m.name: m.attributes for m in extract_places(texts[0], lexicon)}
    assert first["柳岚县"].get("unlisted") is True and "unlisted" not in first["赣州市"]
    passages = tuple(Passage(t, 0, len(t), i) for i, t in enumerate(texts))
    text = "\n".join(texts)
    doc = Document("d", "防汛纪实", "p.txt", 0, len(text), text, (Section(("防汛纪实",), "other", passages),))
    found = extract_document(doc, lexicon)
    assert [m.name for m in found.passages[1].mentions if m.type == "place"] == ["柳岚县"]


@pytest.mark.parametrize(("text", "expected"), [
    # the first item of a list whose next item is a village: a common word names a village too
    ("选派到石门村、杨柳坪村、双河口村等14个村", ["石门村", "杨柳坪村", "双河口村"]),
    # a community is a village's level too; an item of another level vouches for nothing; a class is no name
    ("石门社区、杨柳坪村", ["石门社区", "杨柳坪村"]),
    ("石门街道、杨柳坪村", ["杨柳坪村"]),
    ("贫困村、杨柳坪村", ["杨柳坪村"]),
])
def test_a_lists_items_are_places_of_one_kind(lexicon, text, expected):
    assert [m.name for m in extract_places(text, lexicon)] == expected


def test_an_autonomous_division_is_found_again_under_its_short_name(lexicon):
    from ingest.extract.document import extract_document
    from ingest.types import Document, Passage, Section

    texts = ["云雾村地处湖北省西南部的柳江土家族苗族自治州。", "柳江州柳台县云雾村党支部推行“头雁工程”。"]
    passages = tuple(Passage(t, 0, len(t), i) for i, t in enumerate(texts))
    text = "\n".join(texts)
    doc = Document("d", "纪实", "p.txt", 0, len(text), text, (Section(("纪实",), "other", passages),))
    second = [m for m in extract_document(doc, lexicon).passages[1].mentions if m.type == "place"]
    assert [(m.name, m.surface) for m in second][:2] == [("柳江土家族苗族自治州", "柳江州"), ("柳台县", "柳台县")]
    assert second[1].attributes["parent"] == "柳江土家族苗族自治州"


def test_a_county_the_document_named_vouches_for_the_one_listed_beside_it(lexicon):
    from ingest.extract.document import extract_document
    from ingest.types import Document, Passage, Section

    texts = ["这项工程在陕西省秦川市凤鸣县柳湾镇开工。", "线路途经凤鸣县、麟岭县两个县的11个乡镇。"]
    passages = tuple(Passage(t, 0, len(t), i) for i, t in enumerate(texts))
    text = "\n".join(texts)
    doc = Document("d", "纪实", "p.txt", 0, len(text), text, (Section(("纪实",), "other", passages),))
    second = [m.name for m in extract_document(doc, lexicon).passages[1].mentions if m.type == "place"]
    assert second == ["凤鸣县", "麟岭县"]


def test_a_towns_suffix_glued_to_the_village_after_it_still_ends_the_town(lexicon):
    # jieba reads 柳园|镇高|坎村: the town's suffix opens a token whose second character opens the village
    expected = [("柳园镇", "town", None), ("高坎村", "village", "柳园镇")]
    assert _places("柳园镇高坎村把闲置的二楼改造成食堂", lexicon) == expected
    assert _places("全镇高坎村有党员30名", lexicon) == [("高坎村", "village", None)]
