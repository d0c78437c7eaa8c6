"""Titles of reports: the title line a page prints (below kicker lines, above its article header, with its
——subtitle), a title made of the opening when there is none, and the headline lines that are no text."""

from __future__ import annotations

import re

from ingest.headings import (
    Line,
    collection_marker_end,
    is_place_headline,
    is_title_line,
    names_report_kind,
    numbered_place_item,
    numbering_end,
    run_on_place_headline,
)

# A sentence's end, also a half-width dot between Chinese words (a converter's), in a report of any length.
FULL_STOP = re.compile(r"[。!?;！？；]|[\u4e00-\u9fff”]\.[\u4e00-\u9fff“]")
# Lines above a title that the title outranks (a column name and a date, each shorter than a title).
_MAX_KICKERS = 2
_MAX_KICKER = 20
# A subtitle: a line opening with a dash under the title ("——某县推行积分制纪实").
SUBTITLE = re.compile(r"^\s*(?:——|—|--|－－|─)+\s*[\u4e00-\u9fff“\"]")
_MAX_SUBTITLE = 40
# A headline: 8–40 characters, at least 70 % of them Chinese (a date and byline line is not one).
_MIN_HEADLINE = 8
# A headline above its article header line may be shorter (流动党员有了“网上家园”).
_MIN_DATED_HEADLINE = 6
_MAX_HEADLINE = 40
_HEADLINE_HANZI = 0.7
_HANZI = re.compile(r"[\u3400-\u9fff]")
# A news list prints an item's date after its headline: "…激活农村党员队伍 [2024-06-18]", "…(2024年6月18日)".
_TRAILING_DATE = re.compile(r"\s*[\[(【]?\s*\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?\s*[\])】]?\s*$")
# A label a reposted item puts before its title.
_TITLE_LABEL = re.compile(r"^\s*(?:原题|原标题|标题|题目)\s*[:：]\s*")
# A headline its article header follows may stand below this many lines of a page's header (a column name,
# a site's slogan, an injected spam line, a bulletin's name, issue and editor lines), none of them a sentence.
_MAX_ABOVE_HEADLINE = 4
# A line naming the organisation or site that publishes the page (某大学党委组织部(党校), 某县委组织部 · 某某网) is
# no first line of a two-line headline; nor is it as a bulletin's editor (某某工作部编).
_ORGAN_LINE = re.compile(r"(?:组织部|宣传部|工作部|委员会|党委|党工委|党组|办公室|政府|大学|学院|学校|网|报社|电视台)"
                         r"\s*(?:[(（][^)）]{1,8}[)）])?\s*(?:编|编印|主办|供稿|整理)?$")
# A person's name alone on a line: two or three Chinese characters (the usual length of a Chinese name).
_NAME = re.compile(r"[\u4e00-\u9fff]{2,3}")
# A report without a title line is titled by its opening: past a news dateline (某某网讯(记者…), 新华社…电)
_DATELINE_WORD = re.compile(r"讯|电")
_BYLINE_AFTER = re.compile(r"\s*[（(][^）)]{0,40}[）)]\s*[:：]?|\s*[:：]")  # (记者王五), :
_DATELINE_HEAD = re.compile(r"(?:\d\s*日|本[报刊台网])$")  # 3月5日电, 本报讯: a dateline with nothing after it
_MAX_DATELINE = 20
# and past a lead clause shorter than this (近年来, 日前, 2022年, 摘要:), which set a time or label the text;
_MIN_LEAD_CLAUSE = 6
# a clause shorter than _MIN_LEAD_TITLE takes the next one with it; the title is cut at _MAX_LEAD_TITLE.
_MIN_LEAD_TITLE = 6
_MAX_LEAD_TITLE = 30
# A first line shorter than this is a byline or a tag above the text (王五, 图片), not a title.
_MIN_TITLE = 4


def tidy_title(title: str) -> str:
    """A title without a label before it (原题:, 标题:) or the date a news list prints after it, its runs of
    spaces one space.

    >>> tidy_title("金溪县“三个一”机制激活农村党员队伍  [2024-06-18]"), tidy_title("青川县召开推进会(2024年6月18日)")
    ('金溪县“三个一”机制激活农村党员队伍', '青川县召开推进会')
    >>> tidy_title("2024年6月18日"), tidy_title("原题:柳湾县推行村级积分制")
    ('2024年6月18日', '柳湾县推行村级积分制')
    """
    tidy = re.sub(r"\s{2,}", " ", _TRAILING_DATE.sub("", _TITLE_LABEL.sub("", title))).strip()
    return tidy or title.strip()
def bare_marker(text: str) -> bool:
    """A collection's report marker alone on its line (【篇一】), its report's title on the next line."""
    end = collection_marker_end(text)
    return end > 0 and not text[end:].strip()


def _kicker(text: str) -> bool:
    """A short line above a title that is not a sentence: a site's column name, a date ("党建动态 2025-06-01")."""
    t = text.strip().rstrip("!")  # a site's greeting or slogan above the title ends in one (欢迎…!)
    return len(t) <= _MAX_KICKER and not re.search(r"[。;!?,:]", t) and not is_title_line(t)


# A speech's or a report's byline: who speaks, by post, then the name (中共某某县委书记 张三, 村党支部书记、
# 村委会主任 李四): the line ends in a post and a name of two or three characters.
_POST = ("书记|主任|委员|部长|局长|处长|科长|县长|市长|区长|州长|镇长|乡长|主席|校长|院长|厂长|所长|站长|社长|"
         "队长|组长|会长|经理|董事长|理事长|秘书长|政委|主任委员")
# jieba holds some personal names, all rare in its counts (王建国 12); the words that end a headline after a post
# are common ones (讲话 2555, 报告 16715).
_NAME_MAX_FREQ = 100
_BYLINE = re.compile(rf"^[^。;!?,:]{{0,40}}?(?:{_POST})\s*(?P<name>[\u4e00-\u9fff]{{2,3}})$")


def is_byline(text: str) -> bool:
    """A line naming who wrote or gave the report: posts ending in a person's name, a name that is no word of
    jieba's dictionary counts as rare (the line may not be a headline ending in a word: …书记讲话).

    >>> is_byline("中共某某县委书记 张三"), is_byline("村党支部书记、村委会主任王大明"), is_byline("党委书记 王建国")
    (True, True, True)
    >>> is_byline("在全县组织部长会议上的讲话"), is_byline("某某县委书记抓基层党建工作述职报告")
    (False, False)
    """
    match = _BYLINE.match(text.strip())
    if not match:
        return False
    return _frequency(match.group("name")) < _NAME_MAX_FREQ


def _headline_shaped(t: str, min_chars: int, stops: str) -> bool:
    """min_chars to _MAX_HEADLINE characters, mostly Chinese, none of `stops` (sentence punctuation)."""
    return (min_chars <= len(t) <= _MAX_HEADLINE and not re.search(f"[{stops}]", t)
            and len(_HANZI.findall(t)) >= _HEADLINE_HANZI * len(t))


def exclaimed_headline(text: str) -> bool:
    """A headline cried out rather than a sentence: 8–40 characters, mostly Chinese, an exclamation or question mark
    and no other sentence punctuation, no comma (汛情就是命令!某村32名党员守在堤上). A post's headline reads so;
    the report's text does not.

    >>> exclaimed_headline("汛情就是命令!柳湾村32名党员守在堤上"), exclaimed_headline("关键时刻,党员不上谁上?")
    (True, False)
    >>> exclaimed_headline("柳湾村32名党员守在堤上"), exclaimed_headline("大家都说好!")
    (False, False)
    """
    t = text.strip()
    return bool(re.search(r"[!?]", t)) and _headline_shaped(t, _MIN_HEADLINE, "。;,:")


def dated_headline(text: str) -> bool:
    """A line shaped like a news headline (6–40 characters, mostly Chinese, no sentence punctuation), maybe
    with its ——subtitle on the same line (up to _MAX_SUBTITLE more), not a ——subtitle itself.

    >>> dated_headline("凝心铸魂强支部 双向提升育先锋——柳湾学院党委推进教师党支部书记“双带头人”培育工作综述")
    True
    >>> dated_headline("——柳湾学院党委推进教师党支部书记培育工作综述"), dated_headline("学校党委把政治标准放在首位。")
    (False, False)
    >>> dated_headline("中共柳湾镇委员会"), dated_headline("柳湾经开区党群工作部编")
    (False, False)
    """
    t = text.strip()
    if SUBTITLE.match(t) or is_byline(t) or _ORGAN_LINE.search(t):
        return False  # a subtitle, a byline, an organisation's name signing a notice (中共某某镇委员会)
    main, dash, sub = t.partition("——")
    if dash and sub.strip():
        return (_headline_shaped(main.strip(), _MIN_DATED_HEADLINE, "。;!?") and len(sub) <= _MAX_SUBTITLE
                and not re.search(r"[。;!?]", sub))
    return _headline_shaped(t, _MIN_DATED_HEADLINE, "。;!?")


def _headline(line: Line, above: list[Line]) -> bool:
    """A news headline below kicker lines far shorter than itself (a column name or a tool link of four or
    five characters above a headline of twelve): unnumbered, mostly Chinese, without sentence punctuation."""
    t = line.text.strip()
    if line.number or any(x.number for x in above):
        return False  # under a heading (一、典型经验) the line is the report's text, not its title
    two_part = t.count(",") == 1 and not t.endswith(",")  # 建强红色堡垒,激活发展动能: a headline in two halves
    return (_headline_shaped(t.replace(",", " ", 1) if two_part else t, _MIN_HEADLINE, "。;!?,:")
            and all(2 * len(x.text.strip()) < len(t) for x in above))


def _subtitled(lines: list[Line], j: int) -> bool:
    """A headline-shaped line with a ——subtitle below it: a title, whatever stands above it."""
    return (j + 1 < len(lines) and lines[j].number == 0 and bool(SUBTITLE.match(lines[j + 1].text))
            and _headline_shaped(lines[j].text.strip(), _MIN_HEADLINE, "。;!?,:"))


# A title's last line naming only the kind of report (述职报告, 工作总结): at most this many characters.
_MAX_KIND_LINE = 8


def _with_subtitle(lines: list[Line], title: str, used: int) -> tuple[str, int]:
    """A title and the subtitle line that follows it, if one does ("——某县推行积分制纪实"), as one title; or
    the line naming the kind of report that a headline broken in two leaves alone (…抓基层党建工作 / 述职报告)."""
    if used < len(lines) - 1:
        line = lines[used].text.strip()
        if SUBTITLE.match(line) and len(line) <= _MAX_SUBTITLE and not re.search(r"[。;!?]", line):
            return title + line, used + 1
        if (lines[used].number == 0 and len(line) <= _MAX_KIND_LINE and names_report_kind(line)
                and not re.search(r"[。;!?,:]", line) and not names_report_kind(title)):
            return title + line, used + 1
    return title, used


def derive_title(lines: list[Line], datelined: frozenset[int] = frozenset()) -> tuple[str, int]:
    """The title line if the report has one (and how many lines it takes, with the kicker lines above it and
    a subtitle below it), else a title made of its opening (`lead_title`). A collection's marker (篇二:) is
    no part of the title: the title follows it on its line or on the next. A headline that an article header
    follows (the indices in `datelined`) is the title below up to three lines of the page's header."""
    marker = collection_marker_end(lines[0].text)
    if marker:
        rest = lines[0].text[marker:].strip().strip("《》")
        if not bare_marker(lines[0].text):
            return _with_subtitle(lines, rest, 1)
        if len(lines) > 2 and _headline_shaped(lines[1].text.strip(), 4, "。;!?"):
            return _with_subtitle(lines, lines[1].text.strip().strip("《》"), 2)
        title, used = derive_title(lines[1:])  # the marker alone, then the report's text
        return title, used + 1
    for j in range(min(_MAX_ABOVE_HEADLINE + 1, len(lines) - 1)):
        if j in datelined and lines[j].number == 0 and dated_headline(lines[j].text) \
                and not any(x.number or FULL_STOP.search(x.text) for x in lines[:j]):
            title = lines[j].text.strip().strip("《》")
            main = lines[j - 1].text.strip() if j else ""
            if main and _headline_shaped(main, _MIN_HEADLINE, "。;!?,:") and not _ORGAN_LINE.search(main):
                title = f"{main.strip('《》')} {title}"  # a headline on two lines: the main line, then this one
            return _with_subtitle(lines, title, j + 1)
    for j in range(1, min(_MAX_KICKERS + 1, len(lines) - 1)):
        title_like = is_title_line(lines[j].text) or is_place_headline(lines[j].text) \
            or _headline(lines[j], lines[:j]) or _subtitled(lines, j)
        if lines[j].number == 0 and title_like and not SUBTITLE.match(lines[j].text) \
                and all(_kicker(x.text) for x in lines[:j]):
            return _with_subtitle(lines, lines[j].text.strip().strip("《》"), j + 1)
    first = lines[0].text.strip()
    titled = lines[0].number == 0 and (lines[0].level == 0 or len(first) >= 8 or is_title_line(first))
    if titled and _MIN_TITLE <= len(first) <= 40 and not re.search(r"[。;!?,]", first) and len(lines) > 1:
        return _with_subtitle(lines, first.strip("《》"), 1)
    if lines[0].number == 0 and (headline := run_on_place_headline(first)):
        return headline, 0  # a digest's item: its headline runs on into its text
    if numbered_place_item(first) and len(lines) > 1:
        return first[numbering_end(first):].strip(), 1  # a digest's numbered item: its headline, place and all
    if len(first) < _MIN_TITLE and lines[0].number == 0 and len(lines) > 1:
        first = lines[1].text.strip()  # a byline or a tag above the text (王五), no title of its own
    elif lines[0].level:
        heading = first[: lines[0].head_end]
        first = heading[numbering_end(heading):].strip() or first
    return lead_title(first), 0


def dateline_end(sentence: str) -> int:
    """Where a news dateline opening a sentence ends (本报讯(记者王五), 新华社北京3月5日电:), else 0."""
    for word in _DATELINE_WORD.finditer(sentence, 0, _MAX_DATELINE + 1):
        if re.search(r"[,，。:：]", sentence[: word.start()]):
            break
        after = _BYLINE_AFTER.match(sentence, word.end())
        if after:
            return after.end()
        if _DATELINE_HEAD.search(sentence[: word.start()]):
            return word.end()
    return 0


def lead_title(text: str) -> str:
    """A title made of a report's opening when it has no title line: its first clause, past a news dateline
    and past a short lead clause that only sets a time or a label; a short clause takes the next one with it.

    >>> lead_title("近年来,青川县针对外出务工党员联系难的问题,推行“三张清单”。")
    '青川县针对外出务工党员联系难的问题'
    >>> lead_title("柳湾在线3月5日讯(通讯员王五)石桥村党支部近日推行积分制,村民参与热情高涨。")
    '石桥村党支部近日推行积分制'
    >>> lead_title("摘要:院坝议事,贵在坚持。"), lead_title("按照会议要求,现将情况报告如下。")
    ('院坝议事,贵在坚持', '按照会议要求')
    """
    sentence = re.split(r"[。;!?！？；]", text.strip())[0]
    sentence = sentence[dateline_end(sentence):]
    clauses = [c.strip() for c in re.split(r"[,，:：]", sentence) if c.strip()] or [text.strip()]
    if len(clauses) > 1 and len(clauses[0]) < _MIN_LEAD_CLAUSE:
        clauses.pop(0)
    title = clauses[0]
    if title.startswith("“") and "”" not in title:
        title = title[1:]  # the opening of a quoted speech (“村里开会没人来…)
    if len(title) < _MIN_LEAD_TITLE and len(clauses) > 1:
        title = f"{title},{clauses[1]}"
    return (title[:_MAX_LEAD_TITLE] + "…") if len(title) > _MAX_LEAD_TITLE else title


# A page may print its headline again under it, the last time with a byline run on (…让议事会开进院坝某某日报记者王五):
# a line that starts with the title line and adds nothing, or a byline of at most this many characters.
_MAX_REPEAT_EXTRA = 20
_BYLINE_WORDS = re.compile(r"记者|通讯员|日报|晚报|时报|新闻|网|讯|编辑|作者|来源|\d{4}")


def past_repeats(lines: list[Line], used: int) -> int:
    """Where the report's text starts: after the `used` title lines and the lines repeating the title line."""
    if not used:
        return used
    title = re.sub(r"\s", "", lines[used - 1].text)
    while used < len(lines) - 1:
        line = re.sub(r"\s", "", lines[used].text)
        extra = line[len(title):]
        if not line.startswith(title) or len(extra) > _MAX_REPEAT_EXTRA or FULL_STOP.search(extra) \
                or (extra and not _BYLINE_WORDS.search(extra)):
            break
        used += 1
    byline = re.sub(r"^\s*(?:——|—|--|－－|─)+\s*", "", lines[used].text) if used < len(lines) else ""
    if used < len(lines) - 1 and (_name_alone(lines[used].text) or is_byline(byline)):
        used += 1  # the author's name under the title (王五), or with the author's post (——某某村党支部书记 王五)
    return used


def _name_alone(text: str) -> bool:
    """A line holding only a person's name, as a byline under a title prints it (王五): two or three
    Chinese characters that are no word of jieba's dictionary (a heading is one: 前言, 摘要, 结束语).

    >>> _name_alone("王 五"), _name_alone("前言"), _name_alone("一、总结")
    (True, False, False)
    """
    name = re.sub(r"\s", "", text)
    if not _NAME.fullmatch(name):
        return False
    return not _frequency(name)


def _frequency(word: str) -> int:
    """How often jieba's dictionary counts `word` (0 for a word it does not hold)."""
    import jieba

    jieba.dt.check_initialized()
    return jieba.dt.FREQ.get(word) or 0
