"""Paragraphs run together on one line are cut at their indents; a title's single spacing is not."""

from ingest.indents import paragraph_spans


def _pieces(text):
    return [text[a:b] for a, b in paragraph_spans(text, [(0, len(text))])]


def test_paragraphs_on_one_line_are_cut_at_their_indents():
    text = "石桥村推行积分制\u3000\u3000今年以来,全村推行积分制。\u3000\u3000一、主要做法\u3000 \u3000(一)建立台账。"
    assert _pieces(text) == ["石桥村推行积分制", "今年以来,全村推行积分制。", "一、主要做法", "(一)建立台账。"]


def test_one_indent_a_leading_indent_and_single_spaces_stay():
    for text in ["党建引领基层治理\u3000\u3000石桥村探索新路径", "\u3000\u3000今年以来,全村推行积分制。",
                 "石桥村 推行 积分制\u3000今年以来,全村推行积分制。"]:
        assert _pieces(text) == [text]
