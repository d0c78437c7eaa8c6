"""Side-by-side columns: a two-column page dumped as text is read column by column; tables, spaced-out
letters and single lines stay as they are."""

import pytest

from ingest.clean import clean, load_clean_rules
from ingest.columns import reading_spans


def _lines(text):
    spans, pos = [], 0
    for line in text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return [text[a:b] for a, b in reading_spans(text, spans)]


ARTICLE = ["白果村党支部推行积分制管理,", "村民参与环境整治可获得积分,", "全村参与率达到百分之八十五。"]
SIDEBAR = ["热点排行", "1.全县召开组织工作会议", "2.干部培训班开班"]


def test_two_columns_read_left_then_right():
    text = "\n".join(f"{a}{' ' * 8}{b}" for a, b in zip(ARTICLE, SIDEBAR, strict=True))
    assert _lines(text) == ARTICLE + SIDEBAR


def test_tabs_set_columns_apart_but_two_ideographic_spaces_are_an_indent():
    text = "\n".join(f"{a}\t{b}" for a, b in zip(ARTICLE, SIDEBAR, strict=True))
    assert _lines(text) == ARTICLE + SIDEBAR
    text = "\n".join(f"{a}\u3000\u3000{b}" for a, b in zip(ARTICLE, SIDEBAR, strict=True))
    assert _lines(text) == text.split("\n")


def test_lines_around_the_columns_keep_their_place():
    body = "\n".join(f"{a}     {b}" for a, b in zip(ARTICLE, SIDEBAR, strict=True))
    text = f"石桥村推行积分制\n{body}\n下一步将继续推广。"
    assert _lines(text) == ["石桥村推行积分制", *ARTICLE, *SIDEBAR, "下一步将继续推广。"]


@pytest.mark.parametrize("text", [
    # a table of labels and values: the values are short
    "党员人数      36人\n村民小组      8个\n集体收入      52万元",
    # a space between every character: no run of spaces
    "白 果 村 党 支 部 推 行 积 分 制\n村 民 参 与 环 境 整 治\n全 村 参 与 率 达 到 八 成",
    # two lines only
    f"{ARTICLE[0]}        {SIDEBAR[0]}\n{ARTICLE[1]}        {SIDEBAR[1]}",
    # a line with two gaps is a table row, not two columns
    "\n".join(f"{a}    {b}    {b}" for a, b in zip(ARTICLE, SIDEBAR, strict=True)),
    # a table of units and what they did: the first column is no prose
    "石桥村党支部      推行院坝议事工作法\n白果村党支部      推行积分制管理办法\n城东街道党工委      推行楼栋长制度",
    # a bold lead sentence before each paragraph
    "一、加强组织领导,压实工作责任。      成立工作专班,每月召开一次推进会议。\n"
    "二、强化督促检查,确保取得实效。      采取明察暗访方式,每季度通报一次。\n"
    "三、注重宣传引导,营造良好氛围。      总结推广典型经验,评选一批示范点。",
])
def test_what_is_not_two_columns_stays_in_line_order(text):
    assert _lines(text) == text.split("\n")


def test_cleaning_reads_the_columns_apart_and_quotes_stay_exact():
    from api.settings import DEFAULT_LEXICON

    text = "\n".join(f"{a}{' ' * 8}{b}" for a, b in zip(ARTICLE, SIDEBAR, strict=True))
    cleaned = clean(text, load_clean_rules(DEFAULT_LEXICON))
    assert cleaned.text.split("\n")[:3] == ARTICLE
    start = cleaned.text.index("全村")
    assert text[cleaned.offsets[start]: cleaned.offsets[start] + 2] == "全村"
