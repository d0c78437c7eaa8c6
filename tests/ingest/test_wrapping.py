"""Hard-wrapped lines are joined again; lines that end sentences, headings, titles and short lines are not."""

from ingest.wrapping import wrapped_breaks

PARAGRAPH = ("今年以来,白果镇针对农村党员居住分散、组织生活难以开展的问题,创新推行“网格党小组”工作法,"
             "在全镇21个行政村划分网格126个,每个网格建立一个党小组。")


def _wrap(text, width):
    return [text[i:i + width] for i in range(0, len(text), width)]


def test_a_paragraph_wrapped_at_a_fixed_width_is_one_line_again():
    lines = _wrap(PARAGRAPH, 24)
    assert wrapped_breaks(lines) == set(range(len(lines) - 1))


def test_a_heading_a_title_and_the_next_paragraph_stay_apart():
    lines = ["关于白果镇推行网格党小组工作法的调研报告", *_wrap(PARAGRAPH, 20), "一、主要做法", *_wrap(PARAGRAPH, 20)]
    breaks = wrapped_breaks(lines)
    assert 0 not in breaks                                   # the title
    heading = lines.index("一、主要做法")
    assert heading - 1 not in breaks and heading not in breaks
    assert heading - 2 in breaks                             # inside the first paragraph


def test_one_paragraph_a_line_is_left_as_it_is():
    lines = ["白果镇推行网格党小组工作法,在全镇21个行政村划分网格126个。", "党员参加组织生活的比例由63%提高到95%。",
             "每个网格联系农户30至50户,做到网格全覆盖、责任无盲区。", "议定事项张榜公示,接受群众监督。"]
    assert wrapped_breaks(lines) == set()


def test_short_lines_of_one_width_are_no_paragraph():
    assert wrapped_breaks(["首页新闻中心", "党建工作动态", "基层组织建设", "通知公告栏目"]) == set()


def test_one_long_line_without_a_full_stop_among_paragraphs_stays():
    lines = ["白果镇推行网格党小组工作法取得明显成效得到群众普遍好评", "党员参加组织生活的比例由63%提高到95%。",
             "议定事项张榜公示。"]
    assert wrapped_breaks(lines) == set()


def test_lines_ending_in_full_width_punctuation_end_their_sentence():
    lines = ["\u3000\u3000一是强化组织领导,成立由书记任组长的工作专班；",
             "\u3000\u3000二是压实工作责任,建立问题清单和整改台账；",
             "\u3000\u3000三是严格督促检查,每季度通报一次工作进展！",
             "\u3000\u3000四是注重总结提炼,形成可复制的经验做法："]
    assert wrapped_breaks(lines) == set()
