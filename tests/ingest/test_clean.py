"""Cleaning: each rule, and the offset map that lets every quote point into the original."""

import unicodedata

import pytest

from ingest.clean import clean, load_clean_rules, to_simplified
from tests.conftest import CORPUS


@pytest.fixture(scope="module")
def rules():
    from api.settings import DEFAULT_LEXICON

    return load_clean_rules(DEFAULT_LEXICON)


def _corpus():
    return {p.name[:3]: p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))}


def test_offset_map_points_every_character_at_its_source(rules):
    for raw in _corpus().values():
        cleaned = clean(raw, rules)
        assert len(cleaned.offsets) == len(cleaned.text) + 1
        variants = {std for _, std in rules.variants for std in std}
        for i, ch in enumerate(cleaned.text):
            if ch == "\n" or ch in variants:
                continue
            source = to_simplified(unicodedata.normalize("NFKC", cleaned.original[cleaned.offsets[i]]))
            assert ch in source.translate(str.maketrans("「」", "“”")), (i, ch, source)


def test_site_boilerplate_is_dropped(rules):
    texts = [clean(raw, rules).text for raw in _corpus().values()]
    joined = "\n".join(texts)
    for chrome in ["位用户关注", "温馨提示", "由会员分享", "网站客服", "请放心下载"]:
        assert chrome not in joined
    assert not any(line.strip().isdigit() for text in texts for line in text.splitlines())


def test_docx_page_fragments_are_rejoined(rules):
    text = clean(_corpus()["002"], rules).text
    assert "针对任务不清" in text
    assert "\n3、对任务" not in text


def test_title_hint_from_download_site_header(rules):
    assert clean(_corpus()["002"], rules).title_hint == "在基层党建书记项目推进会上的讲话"


def test_placeholders_are_kept(rules):
    corpus = _corpus()
    assert "XX县" in clean(corpus["002"], rules).text
    assert "___" in clean(corpus["001"], rules).text or "__" in clean(corpus["001"], rules).text
    assert "xx市" in clean(corpus["003"], rules).text


def test_converter_artifacts_are_mapped_back_but_quotes_keep_them(rules):
    cleaned = clean(_corpus()["003"], rules)
    assert "效劳" not in cleaned.text and "服务" in cleaned.text
    at = cleaned.text.index("根底") if "根底" in cleaned.text else cleaned.text.index("执政基础")
    start, end = cleaned.span(at, at + 4)
    assert cleaned.original[start:end] in ("执政根底", "执政基础")


def test_nfkc_and_traditional_to_simplified(rules):
    cleaned = clean("（一）加強基層黨組織建設，推進「三會一課」規範化。\n", rules)
    assert cleaned.text == "(一)加强基层党组织建设,推进“三会一课”规范化。"


def test_pinyin_glosses_and_spaced_characters_are_removed(rules):
    raw = "推動經(jīng)濟(jì)發(fā)展和基層黨(dǎng)建工作。\n基 层 党 组 织 要 发 挥 战 斗 堡 垒 作 用 。\n"
    cleaned = clean(raw, rules)
    assert "推动经济发展和基层党建工作。" in cleaned.text
    assert "基层党组织要发挥战斗堡垒作用。" in cleaned.text
    start, end = cleaned.span(0, 5)
    assert cleaned.original[start:end] == "推動經(jīng)濟(jì)發"


def test_mojibake_is_marked_not_dropped(rules):
    cleaned = clean("建立县乡村三级联动机制,确??h级党委主体责任落到实处。\n", rules)
    assert "??" in cleaned.text
    assert cleaned.mojibake
    a, b = cleaned.mojibake[0]
    assert cleaned.text[a:b].startswith("??")


def test_to_simplified_keeps_length():
    text = "關於加強黨的建設與發展"
    assert len(to_simplified(text)) == len(text)


def test_paywall_note_stuck_to_a_line_is_removed(rules):
    raw = "一、主要做法\n全面推行“四议两公开”工作法,村级重大事项全部公开。未完,全文共1783字\n下一段正文继续。\n"
    cleaned = clean(raw, rules)
    assert "全文共" not in cleaned.text and "未完" not in cleaned.text
    assert "村级重大事项全部公开。" in cleaned.text


def test_ordinary_words_near_paywall_vocabulary_stay(rules):
    cleaned = clean("部分村级活动场所建设任务尚未完成。\n", rules)
    assert cleaned.text == "部分村级活动场所建设任务尚未完成。"


def test_a_page_written_with_half_width_stops_gets_its_sentences(rules):
    raw = "柳河镇党委推行积分制.全镇18个村参与,参与率达92.5%.\n1.建立台账.每月公示一次积分.\n"
    cleaned = clean(raw, rules)
    assert cleaned.text == "柳河镇党委推行积分制。全镇18个村参与,参与率达92.5%。\n1.建立台账。每月公示一次积分。"
    start, end = cleaned.span(0, cleaned.text.index("。") + 1)
    assert raw[start:end] == "柳河镇党委推行积分制."


def test_half_width_dots_stay_in_a_page_that_uses_full_stops(rules):
    raw = "柳河镇党委推行积分制。全镇参与率达92.5%.\n"
    assert clean(raw, rules).text == "柳河镇党委推行积分制。全镇参与率达92.5%."


def test_artifacts_are_mapped_back_only_where_the_converters_signature_shows(rules):
    # one or two 稳固 or 效劳 are words of the language; a page writing 效劳 again and again was converted
    assert "基础稳固" in clean("全村党组织基础稳固,党员作用发挥明显。", rules).text
    assert clean("基础稳固,成果稳固,全心全意为人民服务。", rules).text.count("稳固") == 2
    text = clean("党员志愿效劳队常年为群众效劳,设立效劳站,基础稳固。", rules).text
    assert "效劳" not in text and "志愿服务队" in text and "基础巩固" in text
