"""Splitting the real corpus into documents, sections with roles, and passages with exact offsets."""

import re

import pytest

from api.settings import DEFAULT_LEXICON
from ingest.clean import clean, load_clean_rules, to_simplified
from ingest.headings import load_role_cues
from ingest.split import MAX_CHARS, SplitConfig, split_documents
from tests.conftest import CORPUS


@pytest.fixture(scope="module")
def corpus_docs():
    rules = load_clean_rules(DEFAULT_LEXICON)
    config = SplitConfig(cues=load_role_cues(DEFAULT_LEXICON))
    out = {}
    for path in sorted(CORPUS.glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        out[path.name[:3]] = (raw, split_documents(clean(raw, rules), str(path), {}, config))
    return out


def test_corpus_yields_enough_documents_and_passages(corpus_docs):
    docs = [d for _, ds in corpus_docs.values() for d in ds]
    assert len(docs) >= 15
    assert sum(len(d.passages) for d in docs) >= 300
    assert len({d.doc_id for d in docs}) == len(docs)


def test_concatenated_reports_are_split_on_titles_and_numbering(corpus_docs):
    titles = [d.title for d in corpus_docs["001"][1]]
    assert len(titles) >= 11
    for title in ["上海市基层党建工作调研报告", "做好转型期广电基层党建工作的思考", "农村基层党建工作调研报告"]:
        assert title in titles
    starts = [d.start for d in corpus_docs["001"][1]]
    assert starts == sorted(starts)


def _subsequence(needle: str, hay: str) -> bool:
    it = iter(hay)
    return all(ch in it for ch in needle)


def test_passages_quote_the_original_exactly(corpus_docs):
    variants = load_clean_rules(DEFAULT_LEXICON).variants
    for raw, docs in corpus_docs.values():
        for doc in docs:
            for p in doc.passages:
                quote = raw[p.start : p.end]
                assert quote.strip()
                bare = re.sub(r"[^\u4e00-\u9fff]", "", p.text)
                source = to_simplified(quote)
                for artifact, standard in variants:
                    source = source.replace(artifact, standard)
                assert _subsequence(bare, source), (p.text[:40], quote[:40])


def test_passage_sizes(corpus_docs):
    sizes = [len(p.text) for _, docs in corpus_docs.values() for d in docs for p in d.passages]
    assert max(sizes) <= MAX_CHARS + 80
    in_range = sum(60 <= s <= MAX_CHARS + 80 for s in sizes)
    assert in_range / len(sizes) >= 0.9


def test_sections_get_roles_from_cue_words(corpus_docs):
    doc = corpus_docs["000"][1][0]
    roles = {s.path: s.role for s in doc.sections}
    assert any(role == "practice" for role in roles.values())
    assert any("问题" in path and role == "problem" for path, role in roles.items())
    assert any(role == "plan" for role in roles.values())
    for _, docs in corpus_docs.values():
        for d in docs:
            for s in d.sections:
                assert s.role in ("practice", "problem", "plan", "background", "other")


def test_title_from_download_header(corpus_docs):
    assert corpus_docs["002"][1][0].title == "在基层党建书记项目推进会上的讲话"


def test_headings_run_into_a_line_are_found(corpus_docs):
    paths = [s.path for s in corpus_docs["002"][1][0].sections]
    assert any(p.startswith("一、前期工作开展情况") for p in paths)


def test_a_page_without_headings_is_of_unknown_role_not_background(corpus_docs):
    rules = load_clean_rules(DEFAULT_LEXICON)
    config = SplitConfig(cues=load_role_cues(DEFAULT_LEXICON))
    news = ("某村党支部探索“积分制”管理\n"
            "今年以来，某村党支部把党员参加组织生活、联系服务群众的情况量化为积分，每月公示一次，年底评星定级。"
            "支部书记带头领办合作社，吸纳32户群众入社，村集体年收入增加到15万元。\n"
            "村党支部还建立了党员联户制度，每名党员联系5至10户群众，定期走访，及时帮助解决实际困难。\n")
    docs = split_documents(clean(news, rules), "news.txt", {}, config)
    assert docs and all(s.role == "other" for d in docs for s in d.sections)
    # a report with numbered headings keeps its preamble as background
    numbered = [s for _, ds in corpus_docs.values() for d in ds if any(
        re.match(r"[一二三四五六七八九十]+、", x.path) for x in d.sections) for s in d.sections if not s.path]
    assert numbered and {s.role for s in numbered} == {"background"}


def test_a_news_features_lead_above_its_sub_headings_tells_what_was_done():
    # sub-headings in two halves (…,…) are headings; with no numbered heading, the text above the first is the
    # item's lead ("other"), not a report's preamble ("background")
    page = ("石桥村:一片荒山的“共富账本”\n"
            "今年以来,石桥村党支部领办林果专业合作社,村民以荒山经营权入股,合作社统一管护、统一销售。\n"
            "支部领办合作社,把荒山“盘”起来\n"
            "转机出现在新一届村“两委”班子上任后,支部班子逐户上门算账,动员村民入社,当年分红12万元。\n"
            "发展中也有烦恼\n"
            "合作社缺少懂经营的人才,支部正在从外出务工人员中物色回乡创业的能人,充实经营团队。\n")
    (doc,) = _split(page)
    assert [(s.path, s.role) for s in doc.sections] == [
        ("", "other"), ("支部领办合作社,把荒山“盘”起来", "other"), ("发展中也有烦恼", "other")]


def test_a_posts_parts_numbered_with_a_leading_zero_head_sections():
    # a post's parts 01, 02… with the heading run on (no 、) head sections; a year's two digits (08年) do not
    page = ("柳湾村的“新管家”\n"
            "编者按:今天我们走近柳湾村驻村第一书记王五,听听他和村民的故事。\n"
            "01刚到村里,谁也不认识\n"
            "王五到村第一天,村民看他都是一脸陌生,他说的话老人们也听不懂,心里很着急。\n"
            "02 先当学生,把村里走个遍\n"
            "他给自己定了个规矩,先不急着上项目,先把全村每一户都走一遍,晚上记民情日记。\n"
            "08年那场大雪压垮了村里的老房子,大家至今记得,村里的路也是那年冲坏的。\n")
    (doc,) = _split(page)
    assert [s.path for s in doc.sections] == ["", "01刚到村里,谁也不认识", "02先当学生,把村里走个遍"]
    # a numbered row or item that is a sentence heads nothing and starts no report
    page = ("柳湾村工作总结\n一、主要做法\n"
            "01 村党支部推行积分制管理,每月公示一次,党员参与明显增多。\n"
            "02 村里建起议事长廊,每月议事一次,群众有事当面说。\n"
            "二、下步打算\n继续完善积分细则,扩大议事范围,让更多群众参与进来。\n")
    (doc,) = _split(page)
    assert [s.path for s in doc.sections] == ["一、主要做法", "二、下步打算"]


@pytest.mark.parametrize(("heading", "role"), [
    ("二、存在的主要问题", "problem"),
    ("（一）着力破解流动人员管理难题", "practice"),
    ("三、补齐阵地建设短板", "practice"),
    ("四、存在问题及整改措施", "plan"),
])
def test_a_problem_acted_on_heads_a_practice_section(heading, role):
    assert load_role_cues(DEFAULT_LEXICON).role_of(heading) == role


def _split(text: str):
    rules = load_clean_rules(DEFAULT_LEXICON)
    return split_documents(clean(text, rules), "page.txt", {}, SplitConfig(cues=load_role_cues(DEFAULT_LEXICON)))


HALF_WIDTH_REPORT = (
    "关于城南区推进商务楼宇党建工作的调研报告\n"
    "一,基本情况\n全区共有商务楼宇48栋,入驻企业2,150家,其中建立党组织的企业占比为61.5%.\n"
    "二,主要做法\n(一)推行楼宇联合党支部.按照地域相近、行业相关的原则组建联合党支部17个,覆盖企业830家.\n"
    "三,存在问题\n部分企业负责人对党建工作认识不足,党组织活动开展不经常.\n"
)


def test_headings_whose_enumeration_comma_became_half_width_still_head_sections():
    (doc,) = _split(HALF_WIDTH_REPORT)
    roles = {s.heading[0]: s.role for s in doc.sections}
    assert roles == {"一,基本情况": "background", "二,主要做法": "practice", "三,存在问题": "problem"}
    # a number with a thousands comma opens no heading
    assert not any(part.startswith("2,150") for s in doc.sections for part in s.heading)


@pytest.mark.parametrize("kicker", ["党建动态 2025-06-01", "基层风采", "2025年06月01日\n党建动态"])
def test_a_title_below_a_column_name_or_date_titles_the_report(kicker):
    (doc,) = _split(kicker + "\n" + HALF_WIDTH_REPORT)
    assert doc.title == "关于城南区推进商务楼宇党建工作的调研报告"
    assert {s.role for s in doc.sections} >= {"background", "practice", "problem"}


def test_a_sentence_above_a_title_is_not_a_kicker():
    lead = "为深入了解全区商务楼宇党建工作情况,区委组织部近期开展了专题调研。"
    (doc,) = _split(lead + "\n" + HALF_WIDTH_REPORT)
    assert doc.title != "关于城南区推进商务楼宇党建工作的调研报告"


DIGEST = (
    "基层党建动态(第12期)\n"
    "青石镇:“红色管家”打通服务群众最后一米\n"
    "青石镇在12个小区组建“红色管家”队伍,由党员楼栋长牵头,收集解决居民诉求320余件。\n"
    "柳河街道:“党建+网格”织密基层治理网\n"
    "柳河街道将辖区划分为46个网格,每个网格配备1名专职网格员和2名党员志愿者。\n"
    "白杨村:“强村公司”带领群众增收致富\n"
    "白杨村党支部领办强村公司,发展民宿和农产品加工,村集体经营性收入达到85万元。\n"
)


def test_a_digest_of_place_led_news_items_becomes_one_document_each():
    docs = _split(DIGEST)
    assert [d.title for d in docs] == ["青石镇:“红色管家”打通服务群众最后一米", "柳河街道:“党建+网格”织密基层治理网",
                                       "白杨村:“强村公司”带领群众增收致富"]


def test_place_led_lines_under_numbered_headings_stay_in_their_report():
    report = ("关于全县推进基层党建工作的调研报告\n一、主要做法\n"
              + "".join(line + "\n" for line in DIGEST.splitlines()[1:]) + "二、存在问题\n部分村党组织软弱涣散。\n")
    (doc,) = _split(report)
    assert doc.title == "关于全县推进基层党建工作的调研报告"


def test_a_short_last_section_stands_when_text_follows_its_heading():
    text = ("柳湾镇推行党员联络户制度\n今年以来,柳湾镇党委推行党员联络户制度,每名党员联系10户群众,定期走访收集诉求。\n"
            "一、聚焦选得准。按照威信高的标准选出联络户,全镇共选出联络户218户。\n"
            "二、聚焦联得紧。联络户每月走访联系户。\n")
    (doc,) = _split(text)
    assert [s.heading for s in doc.sections][-1] == ("二、聚焦联得紧",)
    assert doc.sections[-1].passages[0].text.endswith("联络户每月走访联系户。")


@pytest.mark.parametrize("tail", ["三、下步打算", "4.在服务发"])
def test_a_short_last_line_without_a_sentence_is_dropped(tail):
    text = ("柳湾镇推行党员联络户制度\n今年以来,柳湾镇党委推行党员联络户制度,每名党员联系10户群众,定期走访收集诉求。\n"
            "一、聚焦选得准。按照威信高的标准选出联络户,全镇共选出联络户218户,每户联系群众10至15户。\n" + tail + "\n")
    (doc,) = _split(text)
    assert not any(tail in p.text for s in doc.sections for p in s.passages)


def test_a_subtitle_under_the_title_joins_it():
    text = ("以“小积分”撬动“大治理”\n——柳湾县推行村级积分制管理纪实\n"
            "今年以来,柳湾县在全县156个村推行积分制管理,将村民参与环境整治、志愿服务等行为量化积分。\n")
    (doc,) = _split(text)
    assert doc.title == "以“小积分”撬动“大治理”——柳湾县推行村级积分制管理纪实"
    assert not any("纪实" in p.text for s in doc.sections for p in s.passages)


BODY_LINE = "今年以来,柳湾县在全县156个村推行积分制管理,将村民参与环境整治、志愿服务等行为量化积分,每月公示一次。\n"


def test_a_headline_below_a_far_shorter_line_titles_the_report():
    (doc,) = _split("手机版\n打造有温度的楼宇党建服务站\n" + BODY_LINE)
    assert doc.title == "打造有温度的楼宇党建服务站"
    assert not any("服务站" in p.text and len(p.text) < 20 for s in doc.sections for p in s.passages)


def test_a_headline_with_a_subtitle_titles_the_report_below_a_greeting():
    (doc,) = _split("柳湾党建网欢迎您!\n让党旗在车间高高飘扬\n——柳湾县机械厂抓党建促生产见闻\n" + BODY_LINE)
    assert doc.title == "让党旗在车间高高飘扬——柳湾县机械厂抓党建促生产见闻"


def test_a_headline_in_two_halves_below_a_far_shorter_line_titles_the_report():
    (doc,) = _split("党建动态\n建强村级红色堡垒,激活乡村振兴动能\n" + BODY_LINE)
    assert doc.title == "建强村级红色堡垒,激活乡村振兴动能"
    (doc,) = _split("党建动态\n今年以来,柳湾县推行积分制,\n" + BODY_LINE)   # a line ending in a comma goes on
    assert doc.title != "今年以来,柳湾县推行积分制,"


@pytest.mark.parametrize("second", ["2026-03-18 王五", "村民的事村民说"])
def test_a_title_above_a_date_line_or_a_short_line_stays_the_title(second):
    (doc,) = _split("柳湾县推行村级积分制\n" + second + "\n" + BODY_LINE)
    assert doc.title == "柳湾县推行村级积分制"


def test_a_line_under_a_numbered_heading_is_text_not_a_title():
    text = "柳湾县党建简报\n一、典型经验\n石桥村党支部探索院坝说事机制\n" + BODY_LINE
    docs = _split(text)
    assert "石桥村党支部探索院坝说事机制" in "".join(p.text for d in docs for s in d.sections for p in s.passages)


DATED_DIGEST = """党建引领让老旧小区焕发新颜
发布时间:2026-01-05 来源:某某日报
今年以来,柳湾街道针对老旧小区无物业管理的问题,组建红色物业服务队12支,解决居民诉求320余件。
“小积分”激发村民参与热情
发布时间:2026-01-06 来源:某某日报
石桥村党支部推行积分制管理,村民参与环境整治可获得积分,参与率达到85%。
流动党员有了“网上家园”
发布时间:2026-01-07 来源:某某日报
青川县建立流动党员网络党支部,通过微信群开展组织生活,覆盖在外务工党员860名。
"""


def test_a_page_of_news_items_each_under_its_dateline_becomes_one_document_per_item():
    docs = _split(DATED_DIGEST)
    assert [d.title for d in docs] == [
        "党建引领让老旧小区焕发新颜", "“小积分”激发村民参与热情", "流动党员有了“网上家园”"]
    assert all(len(d.sections) == 1 for d in docs)


def test_a_subtitle_above_a_dateline_stays_with_its_title():
    text = ("党建动态\n让红色服务走进千家万户\n——柳湾县推行党员联络户制度纪实\n"
            "发布时间:2026-01-04 来源:柳湾日报\n" + BODY_LINE)
    (doc,) = _split(text)
    assert doc.title == "让红色服务走进千家万户——柳湾县推行党员联络户制度纪实"


def test_header_lines_above_a_dated_headline_without_a_sentence_make_no_document():
    text = "山西频道信息\n砥砺奋进的五年\n特殊的网格图\n发布时间:2022-05-16 19:21 来源:融媒体中心\n" + BODY_LINE
    (doc,) = _split(text)
    assert doc.title == "特殊的网格图"


def test_news_items_under_date_only_lines_become_one_document_each():
    text = DATED_DIGEST.replace("发布时间:2026-01-05 来源:某某日报", "2026-01-05 10:21").replace(
        "发布时间:2026-01-06 来源:某某日报", "2026年1月6日").replace("发布时间:2026-01-07 来源:某某日报", "2026-01-07")
    assert len(_split(text)) == 3


def test_parts_of_one_report_numbered_by_pian_stay_one_report():
    text = ("关于柳湾县推行村级积分制管理的调研报告\n第一篇 基本情况\n" + BODY_LINE + "第二篇 主要做法\n" + BODY_LINE
            + "第三篇 存在问题\n部分村积分标准不统一,评分流于形式,群众参与不够。\n")
    (doc,) = _split(text)
    assert doc.title == "关于柳湾县推行村级积分制管理的调研报告"


@pytest.mark.parametrize("above", ["高清影视大全,手机在线看片,最新热播剧场", "党建动态\n柳湾新闻网欢迎您"])
def test_a_headline_its_article_header_follows_titles_the_report_below_the_pages_header(above):
    text = above + "\n柳湾县推行村级积分制,激发村民参与热情\n发布时间:2026-03-18 来源:柳湾日报\n" + BODY_LINE
    (doc,) = _split(text)
    assert doc.title == "柳湾县推行村级积分制,激发村民参与热情"
    assert not any("影视" in p.text for s in doc.sections for p in s.passages)


def test_a_sentence_above_a_dated_headline_keeps_its_report():
    text = ("今年以来,柳湾县推进积分制管理,成效明显。\n柳湾县推行村级积分制,激发村民参与热情\n"
            "发布时间:2026-03-18 来源:柳湾日报\n" + BODY_LINE)
    docs = _split(text)
    assert "柳湾县推行村级积分制,激发村民参与热情" != docs[0].title
    assert "推进积分制管理,成效明显" in "".join(p.text for d in docs for s in d.sections for p in s.passages)


def test_a_headline_on_two_lines_above_its_article_header_keeps_both():
    text = "柳湾县推行村级积分制\n激发村民参与热情\n发布时间:2026-03-18 来源:柳湾日报\n" + BODY_LINE
    (doc,) = _split(text)
    assert doc.title == "柳湾县推行村级积分制 激发村民参与热情"


@pytest.mark.parametrize("publisher", [
    "中共柳湾县委组织部 · 柳湾先锋网",    # an organ and its site: chrome, not a headline's first line
    "柳湾新闻网 — 柳湾县融媒体中心主办",
    "柳湾职业技术学院党委组织部(党校)",  # the organisation publishing the page
])
def test_a_publishers_line_above_the_headline_is_no_part_of_the_title(publisher):
    text = f"{publisher}\n首页 | 组工动态 | 基层党建\n柳湾县推行村级积分制 激发村民参与热情\n" \
           "发布时间:2026-03-18 来源:柳湾日报\n" + BODY_LINE
    (doc,) = _split(text)
    assert doc.title == "柳湾县推行村级积分制 激发村民参与热情"


def test_a_headline_with_its_subtitle_on_one_line_above_its_article_header_titles_the_report():
    headline = "凝心铸魂强支部 双向提升育先锋——柳湾学院党委推进教师党支部书记“双带头人”培育工作综述"
    text = f"柳湾学院党委组织部\n{headline}\n作者:党委组织部 发布日期:2024-01-09 点击:586\n" + BODY_LINE
    (doc,) = _split(text)
    assert doc.title == headline


def test_lines_above_a_reports_first_sentence_head_no_section_that_a_numbering_could_restart():
    # a form's field (联系电话:…) and a byline (某某课题组) above the text are no headings: 一、 after them goes on
    # the same report, under its title
    for header in ("报送单位:中共石桥镇委员会\n联系电话:XXXXXXXX", "柳湾县委党校基层党建课题组"):
        text = (f"柳湾县石桥镇2023年度基层党建工作总结\n{header}\n" + BODY_LINE
                + "一、主要做法\n" + BODY_LINE + "二、存在问题\n部分村党组织活动开展不经常,党员参与不多。\n")
        (doc,) = _split(text)
        assert doc.title == "柳湾县石桥镇2023年度基层党建工作总结"
        assert [s.heading for s in doc.sections][-2:] == [("一、主要做法",), ("二、存在问题",)]


def _shaped(texts: list[str]) -> list:
    from ingest.headings import classify_line

    return [classify_line(0, t, texts[i + 1] if i + 1 < len(texts) else "") for i, t in enumerate(texts)]


def test_a_name_alone_under_the_title_is_its_byline_not_text():
    from ingest.titles import past_repeats

    # the report's text starts after the title line and a person's name alone under it
    lines = _shaped(["柳湾县推行村级积分制的调查与思考", "王五", BODY_LINE.strip(), BODY_LINE.strip()])
    assert past_repeats(lines, 1) == 2
    # a heading under the title is a word of the language (前言, 摘要), not a name: the text starts there
    lines = _shaped(["柳湾县推行村级积分制的调查与思考", "前言", BODY_LINE.strip(), BODY_LINE.strip()])
    assert past_repeats(lines, 1) == 1
    # end to end: the page keeps its title and its text, without the name
    (doc,) = _split("柳湾县推行村级积分制的调查与思考\n王五\n" + BODY_LINE + BODY_LINE)
    assert doc.title == "柳湾县推行村级积分制的调查与思考"
    texts = [p.text for s in doc.sections for p in s.passages]
    assert texts and not any("王五" in t for t in texts) and BODY_LINE.strip()[:20] in texts[0]


@pytest.mark.parametrize("byline", ["中共柳湾县委书记 王建国", "村党支部书记、村委会主任 周大明"])
def test_a_speakers_post_and_name_under_a_speech_is_its_byline(byline):
    # a speech: headline, ——subtitle, who gives it, the date; one report, titled by its headline, without the byline
    page = (f"柳湾县委书记2025年度抓基层党建工作\n述职报告\n{byline}\n(2026年1月20日)\n" + BODY_LINE
            + "一、履职情况\n" + BODY_LINE + "二、存在问题\n部分村党组织活动开展不经常,党员参与不多。\n")
    (doc,) = _split(page)
    assert doc.title == "柳湾县委书记2025年度抓基层党建工作述职报告"
    assert not any(byline.split()[-1] in p.text for s in doc.sections for p in s.passages)


@pytest.mark.parametrize(("page", "title"), [
    ("近年来,柳湾县针对外出务工党员联系难的问题,推行“三张清单”管理。", "柳湾县针对外出务工党员联系难的问题"),
    ("2025年,柳湾县直机关党委围绕服务群众,开展“微党课”活动。", "柳湾县直机关党委围绕服务群众"),
    ("柳湾在线3月5日讯(通讯员王五)石桥村党支部近日推行积分制,村民参与热情高涨。", "石桥村党支部近日推行积分制"),
    ("王五\n2026-01-06 02:10\n走进石桥村党群服务中心,墙上挂满了议事记录。", "走进石桥村党群服务中心"),
    ("“村里开会没人来,现在大家抢着发言。”石桥村党支部书记说。", "村里开会没人来"),
    ("每逢节日电话问候困难党员,石桥村党支部坚持了十年。", "每逢节日电话问候困难党员"),  # 节日电 is no dateline
])
def test_a_report_without_a_title_line_is_titled_by_its_opening_past_time_and_dateline(page, title):
    (doc,) = _split(page + "\n" + BODY_LINE)
    assert doc.title == title
    assert doc.title_from_text


def test_a_headline_in_two_halves_set_apart_by_a_space_keeps_the_space():
    (doc,) = _split("柳湾县推行村级积分制 激发村民参与热情\n" + BODY_LINE)
    assert doc.title == "柳湾县推行村级积分制 激发村民参与热情"
    (doc,) = _split("柳湾县推行 积分制\n" + BODY_LINE)  # a short half is a word set apart, joined again
    assert doc.title == "柳湾县推行积分制"


def test_a_headline_printed_again_under_itself_is_no_text():
    text = ("柳湾县推行村级积分制\n柳湾县推行村级积分制\n柳湾县推行村级积分制柳湾日报记者王五\n" + BODY_LINE
            + "柳湾县推行村级积分制以来,全县党员参加组织生活的比例明显提高,村级事务有人管、有人干。\n")
    (doc,) = _split(text)
    assert doc.title == "柳湾县推行村级积分制"
    texts = [p.text for s in doc.sections for p in s.passages]
    assert not any("记者王五" in t for t in texts)
    assert any("积分制以来" in t for t in texts)  # a sentence opening with the title's words is text
    # so is a line opening with them without a full stop, when what follows is no byline
    (doc,) = _split("柳湾县推行村级积分制\n柳湾县推行村级积分制的主要做法:\n" + BODY_LINE)
    assert "的主要做法" in "".join(p.text for s in doc.sections for p in s.passages)


def test_a_running_header_that_repeats_the_title_leaves_the_title():
    title = "关于柳湾县推行村级积分制的调研报告"
    text = (f"{title}\n一、基本情况\n{BODY_LINE}- 1 -\n{title}\n二、主要做法\n{BODY_LINE}- 2 -\n{title}\n"
            "三、存在问题\n部分村积分标准不统一。\n")
    (doc,) = _split(text)
    assert doc.title == title
    assert [s.role for s in doc.sections] == ["background", "practice", "problem"]


def test_a_line_wrapped_inside_a_sentence_loses_its_spaces():
    (doc,) = _split("柳湾县推行村级积分制\n近年来,柳湾县坚持把抓基层 打基础作为长远之计,\n推动基层党建全面进步。\n")
    assert "抓基层打基础" in "".join(p.text for s in doc.sections for p in s.passages)


def test_the_pages_title_as_its_first_line_is_no_text_though_not_shaped_like_a_title():
    # a post's headline with a comma and an exclamation mark, the same as the sidecar's title
    page = "党员积分制管理，这个村是这样做的！\n" + BODY_LINE + BODY_LINE
    rules = load_clean_rules(DEFAULT_LEXICON)
    meta = {"title": "党员积分制管理,这个村是这样做的!"}
    (doc,) = split_documents(clean(page, rules), "post.txt", meta, SplitConfig(cues=load_role_cues(DEFAULT_LEXICON)))
    assert doc.title == meta["title"]
    texts = [p.text for s in doc.sections for p in s.passages]
    assert texts and not any("这个村是这样做的" in t for t in texts)
    # without a sidecar the line stays the report's text (nothing says it is the title)
    (doc,) = _split(page)
    assert "这个村是这样做的" in doc.sections[0].passages[0].text


def test_the_pages_title_below_a_sites_line_and_a_signature_under_the_report():
    # a site's line above the headline and its subtitle, a signature and its date in Chinese numerals below:
    # one report, titled by the sidecar, its text from the first sentence, the signature no report of its own
    page = ("柳湾县人民政府 | 乡村振兴专栏\n以党建引领乡村振兴 合作社蹚出共富路\n——关于石桥村发展情况的调研报告\n"
            + BODY_LINE + "一、主要做法\n" + BODY_LINE + "县委农办调研组\n二〇二四年三月\n")
    rules = load_clean_rules(DEFAULT_LEXICON)
    meta = {"title": "以党建引领乡村振兴 合作社蹚出共富路——关于石桥村发展情况的调研报告"}
    docs = split_documents(clean(page, rules), "page.txt", meta, SplitConfig(cues=load_role_cues(DEFAULT_LEXICON)))
    assert [d.title for d in docs] == [meta["title"]]
    texts = [p.text for s in docs[0].sections for p in s.passages]
    assert texts[0].startswith(BODY_LINE.strip()[:10])
    assert not any("乡村振兴专栏" in t or "共富路" in t or "二〇二四" in t for t in texts)


def test_a_digests_items_with_their_headlines_run_on_are_reports_of_their_own():
    items = ["石桥县:“冬闲夜校”点亮黑土地。入冬以来,石桥县利用农闲时节在各村开办夜校,培训党员群众2.8万人次。",
             "柳湾旗:“马背宣讲队”走进草原深处。柳湾旗组建宣讲队47支,骑马进牧户宣讲政策。",
             "青川县:“红色家访”架起干群连心桥。青川县组织干部2,930名开展家访,收集意见建议1,200余条。"]
    docs = _split("基层党建动态(第19期)\n【编者按】本期介绍各地党员教育的新做法。\n" + "\n".join(items) + "\n")
    assert [d.title for d in docs] == ["基层党建动态(第19期)", "石桥县:“冬闲夜校”点亮黑土地",
                                       "柳湾旗:“马背宣讲队”走进草原深处", "青川县:“红色家访”架起干群连心桥"]
    # one such paragraph in a report is its text, not an item
    (doc,) = _split("柳湾县推行积分制的调查与思考\n" + BODY_LINE + items[0] + "\n" + BODY_LINE)
    assert doc.title == "柳湾县推行积分制的调查与思考"


def test_a_collection_of_cases_and_a_documents_running_header_at_each_pages_top():
    cases = ("柳湾县典型案例汇编\n编印说明:现将各地好做法汇编如下。\n"
             "案例一:石桥村“积分超市”激活乡村治理\n" + BODY_LINE +
             "案例二:青川社区“红色管家”破解小区治理难题\n" + BODY_LINE)
    assert [d.title for d in _split(cases)] == ["柳湾县典型案例汇编", "石桥村“积分超市”激活乡村治理",
                                                "青川社区“红色管家”破解小区治理难题"]
    # a Word export: the short title printed at every page's top and bottom, a footnote between
    page = ("柳湾县党员教育调研报告\n" + BODY_LINE + "柳湾县党员教育调研报告\n第 1 页 共 3 页\n"
            "① 数据来源:县党员信息系统。\n"
            "柳湾县党员教育调研报告\n二、存在的问题\n" + BODY_LINE + "柳湾县党员教育调研报告\n第 2 页 共 3 页\n"
            "柳湾县党员教育调研报告\n三、对策建议\n" + BODY_LINE)
    (doc,) = _split(page)
    assert doc.title == "柳湾县党员教育调研报告"
    assert not any("柳湾县党员教育调研报告" in p.text for s in doc.sections for p in s.passages)


def test_a_labelled_title_and_a_speakers_byline_after_a_dash_are_no_text():
    page = "【党课讲稿】咱们村的党员,要让群众看得见\n——柳湾县石桥村党支部书记 王建国\n" + BODY_LINE + BODY_LINE
    rules = load_clean_rules(DEFAULT_LEXICON)
    meta = {"title": "咱们村的党员，要让群众看得见"}
    (doc,) = split_documents(clean(page, rules), "talk.txt", meta, SplitConfig(cues=load_role_cues(DEFAULT_LEXICON)))
    texts = [p.text for s in doc.sections for p in s.passages]
    assert doc.title == meta["title"]
    assert texts[0].startswith(BODY_LINE.strip()[:10]) and not any("王建国" in t for t in texts)


def test_a_notice_and_the_work_points_it_issues_are_two_reports_titled_by_their_own_titles():
    page = ("中共柳湾镇委员会\n关于印发《柳湾镇2024年党建工作要点》的通知\n柳党发〔2024〕3号\n各村党支部:\n"
            "现将《柳湾镇2024年党建工作要点》印发给你们,请认真贯彻落实。\n中共柳湾镇委员会\n2024年2月20日\n"
            "柳湾镇2024年党建工作要点\n" + BODY_LINE + "一、着力加强政治建设\n" + BODY_LINE)
    assert [d.title for d in _split(page)] == ["关于印发《柳湾镇2024年党建工作要点》的通知", "柳湾镇2024年党建工作要点"]


def test_a_papers_numbered_sections_are_headings_with_their_depth():
    page = ("柳湾县推行网格党小组的实践与思考\n1引言\n" + BODY_LINE + "2 主要做法\n2.1以网格为单元重构组织体系\n"
            + BODY_LINE + "3存在的问题\n3.1网格员待遇偏低\n部分网格员补贴偏低,流动性大。\n"
            "12个村建立了党小组,覆盖全部网格\n")
    (doc,) = _split(page)
    paths = [s.heading for s in doc.sections]
    assert ("2主要做法", "2.1以网格为单元重构组织体系") in paths  # the space goes with cleaning
    roles = {s.heading: s.role for s in doc.sections}
    assert roles[("3存在的问题", "3.1网格员待遇偏低")] == "problem"
    # a count opening a line (12个村…) is no section
    assert not any(h[-1].startswith("12个") for h in paths)


def test_a_digests_numbered_items_headed_by_their_county_or_city_are_reports_of_their_own():
    # the items' numbers behind a page's decorative marks (▍), between rule lines; one headline has a comma
    page = ("基层党建动态(第20期)\n编者按:本期介绍各地为基层减负的新做法。\n━━━━━━━━\n"
            "▍1. 石桥县:“一表通”让村干部从表格里解脱出来\n━━━━━━━━\n"
            "石桥县对县直部门要求村级填报的表格逐项梳理,合并重复内容,精简为23张。\n"
            "■ 2. 柳湾市:机关党员“下网格”,服务群众“零距离”\n"
            "柳湾市组织机关党员到居住地社区认领服务岗位,解决群众急难愁盼问题3400余件。\n")
    docs = _split(page)
    assert [d.title for d in docs] == ["基层党建动态(第20期)", "石桥县:“一表通”让村干部从表格里解脱出来",
                                       "柳湾市:机关党员“下网格”,服务群众“零距离”"]
    assert docs[2].passages[0].text.startswith("柳湾市组织机关党员")
    # a report numbering what its towns did (一、城关镇:…) stays one report
    towns = ("柳湾县推行积分制的经验做法\n" + BODY_LINE + "一、城关镇:积分超市激活治理\n" + BODY_LINE
             + "二、石桥镇:党员联户暖民心\n" + BODY_LINE)
    assert len(_split(towns)) == 1


def test_numbered_items_under_a_bracketed_label_are_no_new_report():
    # a case study's labels (【案例背景】, 【主要做法】) with the practice's items numbered under one of them
    page = ("【典型案例】石桥街道:“红色管家”破解老旧小区“无人管”难题\n【案例背景】\n"
            "石桥街道是典型的老城区街道,辖区面积2.8平方公里,常住人口4.6万人,老旧小区有37个,无物业的21个。\n"
            "“垃圾堆在楼道口没人清,楼道灯坏了半年没人修。”在小区住了三十多年的退休职工说,居民反映强烈。\n"
            "【主要做法】\n一、把支部建到小区里,让群众有“主心骨”\n" + BODY_LINE
            + "二、引入“准物业”兜底,让小区有人管\n" + BODY_LINE)
    (doc,) = _split(page)
    assert doc.title == "【典型案例】石桥街道:“红色管家”破解老旧小区“无人管”难题"


def test_a_bulletins_masthead_of_four_lines_stands_above_its_first_headline():
    # the bulletin's publisher and name, then its issue, editor and date set apart by wide spaces, then the first
    # item's headline and its article header
    page = ("柳湾经开区党群工作部\n柳湾经开区党建工作动态\n"
            "2024年第6期(总第58期)\u3000\u3000柳湾经开区党群工作部编\u3000\u30002024年6月20日\n"
            "石桥科技:党建“红芯”赋能科技“强芯”\n发布时间:2024-06-18\u3000来源:经开区党群工作部\u3000点击:1402\n"
            + BODY_LINE + BODY_LINE)
    assert _split(page)[0].title == "石桥科技:党建“红芯”赋能科技“强芯”"


def test_a_digests_items_headed_by_their_place_in_brackets_are_reports_of_their_own():
    page = ("新就业群体党建动态(第9期)\n编者按:本期介绍各地骑手党建的新做法。\n"
            "【石桥区】全市首个外卖骑手联合党支部成立\n"
            "石桥区在骑手站点集中的商圈成立外卖骑手联合党支部,吸纳流动党员42名。\n"
            "【市直】“红色骑手先锋队”变身城市治理“移动探头”\n"
            "市直机关工委组建骑手先锋队,累计上报各类问题2.3万条。\n")
    assert [d.title for d in _split(page)] == ["新就业群体党建动态(第9期)", "【石桥区】全市首个外卖骑手联合党支部成立",
                                               "【市直】“红色骑手先锋队”变身城市治理“移动探头”"]
    # a case study's bracketed labels are its sections
    (doc,) = _split("柳湾村“积分超市”激活乡村治理\n【基本情况】\n" + BODY_LINE + "【主要做法】\n" + BODY_LINE)
    assert doc.title == "柳湾村“积分超市”激活乡村治理"


def test_a_posts_exclaimed_headline_above_its_lead_is_no_text_that_restarts_the_report():
    # a WeChat post: the account's line, its headline with an exclamation mark, a 导语 label, the lead, then 一、二、
    page = ("点击上方蓝字 关注柳湾发布\n汛期就是命令!柳湾村32名党员守在堤上\n导语\n" + BODY_LINE
            + "一、闻汛而动,党员包户\n" + BODY_LINE + "二、守堤护岸,日夜坚守\n" + BODY_LINE)
    rules = load_clean_rules(DEFAULT_LEXICON)
    meta = {"title": "汛期就是命令!柳湾村32名党员守在堤上"}
    docs = split_documents(clean(page, rules), "post.txt", meta, SplitConfig(cues=load_role_cues(DEFAULT_LEXICON)))
    assert [d.title for d in docs] == [meta["title"]]
    assert len(docs[0].sections) >= 3


def test_rules_printed_under_the_notice_issuing_them_are_a_report_titled_by_their_own_line():
    notice, rules = "关于印发《柳湾镇党员积分管理办法(试行)》的通知", "柳湾镇党员积分管理办法(试行)"
    page = (notice + "\n各村党支部:\n现将《" + rules + "》印发给你们,请认真贯彻执行。\n中共柳湾镇委员会\n"
            + rules + "\n第一章 总则\n" + BODY_LINE + "第二章 积分内容\n" + BODY_LINE)
    assert [d.title for d in _split(page)] == [notice, rules]
