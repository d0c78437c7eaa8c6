"""Clean stage detectors of whole lines: site chrome and page fragments (pinyin glosses and stray spaces are
inline.py's, columns interleaved line by line interleave.py's)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from ingest.headings import numbering_end

LEXICON_FILE = "boilerplate.txt"
# Reasons whose rules live in the lexicon, in the order that breaks a tie between them.
VOCAB_REASONS = ("breadcrumb", "download-notice", "paywall", "spam", "counter", "footer", "menu")
SHAPE_REASONS = ("page-number", "separator", "tag-cloud", "file-name", "comments")
REASONS = VOCAB_REASONS + SHAPE_REASONS

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_IS_CJK = re.compile(f"[{_CJK}]")
_MAX_CHROME_CHARS = 60  # chrome lines are short; a longer one must be almost all chrome words
_MAX_NOTICE_CHARS = 200  # download-site notices are whole sentences
_PAGE_NUMBER = re.compile(
    r"^(?:[-—–]+\s*)?(?:\d{1,4}|第\s*\d{1,4}\s*页(?:\s*[,/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}|[Pp]age\s*\d{1,4}(?:\s*of\s*\d{1,4})?)(?:\s*[-—–]+)?$"
)
# A running header or footer, a short line that is no sentence, stands next to a page number at least this many
# times.
_MIN_RUNNING = 2
_SENTENCE_END_CHAR = re.compile(r"[。！？!?；;]")
_DATE = re.compile(r"\d{2,4}\s*[年./-]\s*\d{1,2}\s*[月./-]\s*(?:\d{1,2}\s*日?)?|\d{1,2}:\d{2}(?::\d{2})?")
_MENU_SEPARATOR = re.compile(r"[|·•/>»›→]")
_ARROW = re.compile(r"[>»›→]")
_MAX_MENU_ITEM = 10  # characters of a menu's item (工作动态, 党建要闻)
_QUOTE_MARK = re.compile(r"^>\s+")
_MAX_SITE_NAME = 16  # … and of a site's name opening a breadcrumb or listed in a footer
_MIN_LINK_BARS = 3  # bars between the items of a footer's links
_SENTENCE_PUNCT = re.compile(r"[。，,；;！!？?：:、“”\"]")
# An image's file name or a template's placeholder left as a line: content_cover_img, IMG_2031.JPG.
_FILE_NAME = re.compile(
    r"^(?=[^A-Za-z]*[A-Za-z])[A-Za-z0-9]+(?:[_-][A-Za-z0-9]+)*(?:_[A-Za-z0-9]+|\.(?:jpe?g|png|gif|webp|bmp))$", re.I)
_TAG = re.compile(f"^[{_CJK}A-Za-z0-9]{{1,4}}$")
# The label of a list of other articles under the text ("相关阅读", "【推荐文章】", "猜你喜欢", a download
# site's "最新文档"), and the lines of such a list: other articles' titles (short, no sentence's end), at most
# _MAX_LISTED of them.
_LIST_LABEL = re.compile(r"^[【\[(]?\s*(?:(?:相关|推荐|延伸|热门|精彩|更多|最新|合集)"
                         r"(?:阅读|文章|新闻|资讯|链接|推荐|文档|下载)|猜你喜欢"
                         r"|往期(?:推荐|回顾|精选|精彩|文章)|(?:热点|热门|点击|阅读|浏览|今日|本周|本月)?排行榜?)\s*[】\])]?\s*[:：]?$")
# A ranked list (热点排行) numbers its titles 1. 2. 3.; a page whose columns were read line by line interleaves
# them with the article's own lines, so its items are found by their running number, not by adjacency.
_RANKED_LABEL = re.compile(r"排行榜?\s*[】\])]?\s*[:：]?$")
_RANKED_ITEM = re.compile(r"^\s*(\d{1,2})\s*[.．、]\s*[^。；;！!？?]{4,40}$")
_LISTED_TITLE = re.compile(r"^[^。；;！!？?]{4,40}$")
# … or a bulleted title, which may ask a question (· “飞地抱团”收益如何分配？专家解读)
_BULLETED_TITLE = re.compile(r"^[·•▪◆◇●○■□►▶\-]\s*[^。；;]{4,40}$")
_MAX_LISTED = 20
# Lines of the article a ranked list's next item may come after (two columns read line by line put one or two
# there; more means the list has ended).
_MAX_RANKED_GAP = 3
# The label of readers' comments under an article ("网友评论(23条)", "热门评论", "精选留言", "全部评论 12"): what
# follows it is readers' talk to the page's end, unless a paragraph as long as a report's (a next report) comes.
_COMMENTS_LABEL = re.compile(r"^[【\[]?\s*(?:网友|读者|用户|热门|最新|全部|精选)(?:评论|留言)区?\s*[】\]]?\s*"
                             r"(?:[(（]\s*\d+\s*条?\s*[)）]|\d+\s*条?)?\s*[:：]?$")
_MAX_COMMENT_CHARS = 150
_COMMENT_LOOKAHEAD = 3
SENTENCE_END = tuple("。！？!?；;：:…")
CLOSERS = "”’」』)）】》\"' \t\u3000"
_FRAGMENT_PREFIX = re.compile(r"^\s*(\d{1,3})、")
_NUMERAL = r"[一二三四五六七八九十\d]+"
ENUMERATED = re.compile(rf"^(?:{_NUMERAL}[、.]|[(（]{_NUMERAL}[)）]|第{_NUMERAL})")
_HEADING_CHARS = 30
_LINE_RULE = ("^", "(?#line)")


@dataclass(frozen=True)
class NoiseRules:
    """Chrome patterns by reason, and the one-for-one traditional→simplified map lines are matched through."""

    patterns: Mapping[str, tuple[re.Pattern[str], ...]]
    simplified: Mapping[int, str]


def load_rules(lexicon_dir: Path) -> NoiseRules:
    """Read the `[reason]` groups of regexes in `boilerplate.txt` of the lexicon folder.

    Raises:
        ValueError: an unknown `[reason]` header, a rule before any header, or a regex that does not compile.
    """
    path = Path(lexicon_dir) / LEXICON_FILE
    valid = ", ".join(VOCAB_REASONS)
    groups: dict[str, list[re.Pattern[str]]] = {reason: [] for reason in VOCAB_REASONS}
    reason = ""
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            reason = line[1:-1]
            if reason not in groups:
                raise ValueError(f"{path}:{number}: unknown reason [{reason}]; use one of {valid}")
        elif not reason:
            raise ValueError(f"{path}:{number}: rule before any [reason] header; start a group with one of {valid}")
        else:
            try:
                groups[reason].append(re.compile(line))
            except re.error as exc:
                raise ValueError(f"{path}:{number}: bad regex {line!r} ({exc}); fix or escape it") from exc
    patterns = {name: tuple(found) for name, found in groups.items()}
    return NoiseRules(patterns=MappingProxyType(patterns), simplified=MappingProxyType(_simplified_table()))


def _simplified_table() -> dict[int, str]:
    from zhconv import zhconv

    zhconv.loaddict()
    return {ord(k): v for k, v in zhconv.zhcdicts["zh2Hans"].items() if len(k) == 1 and len(v) == 1}


def boilerplate_lines(lines: list[str], rules: NoiseRules) -> dict[int, str]:
    """Index → reason (one of REASONS) for the lines that are site chrome rather than report text.

    >>> rules = NoiseRules(patterns={}, simplified={})
    >>> boilerplate_lines(["一、基本情况", "- 3 -", "——", "首页 | 党建动态 | 联系我们", "IMG_2031.JPG"], rules)
    {1: 'page-number', 2: 'separator', 3: 'menu', 4: 'file-name'}
    """
    norm = [unicodedata.normalize("NFKC", line).translate(rules.simplified).strip() for line in lines]
    norm = [_QUOTE_MARK.sub("", text) for text in norm]  # a Markdown quote's "> " (> 来源:… | 更新于…)
    flagged: dict[int, str] = {}
    for i, text in enumerate(norm):
        reason = _shape_reason(text) or _vocab_reason(text, rules)
        if reason:
            flagged[i] = reason
    _extend_notices(norm, rules, flagged)
    _mark_article_lists(norm, flagged)
    _mark_tag_clouds(norm, flagged)
    _mark_running_lines(norm, flagged)
    _mark_comments(norm, flagged)
    return dict(sorted(flagged.items()))


def _mark_comments(norm: list[str], flagged: dict[int, str]) -> None:
    """Readers' comments: the comment area's label and every line after it, up to a paragraph longer than a
    comment (_MAX_COMMENT_CHARS: a report that follows) or the page's end. The label must stand below some text
    of the page, and among the next _COMMENT_LOOKAHEAD lines one must be chrome already (a comment's header
    with its time and likes, 热门评论): a heading that happens to read 全部评论 is left alone."""
    seen_text = False
    inside = False
    for i, text in enumerate(norm):
        if inside:
            if len(text) > _MAX_COMMENT_CHARS:
                inside = False
            elif text:
                flagged.setdefault(i, "comments")
            continue
        if _COMMENTS_LABEL.match(text) and seen_text:
            ahead = [j for j in range(i + 1, len(norm)) if norm[j]][:_COMMENT_LOOKAHEAD]
            if any(j in flagged for j in ahead):
                flagged.setdefault(i, "comments")
                inside = True
        elif i not in flagged and _SENTENCE_END_CHAR.search(text):
            seen_text = True


def _mark_running_lines(norm: list[str], flagged: dict[int, str]) -> None:
    """A document's running header or footer, printed on every page of a PDF or a .docx rendering: a short line
    without a sentence's end that at least twice stands next to a page number (blank lines between do not count).

    >>> flagged = {2: "page-number", 5: "page-number"}
    >>> lines = ["正文第一段。", "某县委组织部内部资料", "第 1 页", "正文第二段。", "某县委组织部内部资料", "第 2 页"]
    >>> _mark_running_lines(lines, flagged)
    >>> sorted(flagged)
    [1, 2, 4, 5]
    >>> lines = ["某县调研报告", "正文。", "某县调研报告", "第 1 页", "①注释", "某县调研报告", "正文。", "某县调研报告",
    ...          "第 2 页"]
    >>> flagged = {3: "page-number", 8: "page-number"}
    >>> _mark_running_lines(lines, flagged)
    >>> sorted(flagged)
    [2, 3, 5, 7, 8]
    """
    numbers = {i for i, reason in flagged.items() if reason == "page-number"}
    if len(numbers) < 2:
        return
    kept = [i for i, text in enumerate(norm) if text]
    beside: dict[str, list[int]] = {}
    for k, i in enumerate(kept):
        neighbours = {kept[k - 1] if k else -1, kept[k + 1] if k + 1 < len(kept) else -1}
        if i not in flagged and neighbours & numbers and len(norm[i]) <= _MAX_CHROME_CHARS \
                and not _SENTENCE_END_CHAR.search(norm[i]):
            beside.setdefault(norm[i], []).append(i)
    first_number = min(numbers)
    for text, found in beside.items():
        if len(found) >= _MIN_RUNNING:
            # every time it stands after the first page's end, also at a page's top away from the number (a
            # footnote between); before that, where it is the document's title, it stays
            found = sorted(set(found) | {i for i in kept if norm[i] == text and i > first_number and i not in flagged})
            flagged.update((i, "page-number") for i in found)


_NAMED_SEPARATOR = re.compile(r"\s*[-—–=_*·]{3,}\s*(?:分隔线|分割线|华丽的分割线)\s*[-—–=_*·]*\s*")


def _shape_reason(text: str) -> str | None:
    if _PAGE_NUMBER.match(text):
        return "page-number"
    if text and not any(ch.isalnum() for ch in text) and set(text) - {"_", " "}:
        return "separator"  # a line of only "___" is a redaction, kept
    if _NAMED_SEPARATOR.fullmatch(text):
        return "separator"  # ------分隔线------ : a rule that names itself
    if _FILE_NAME.match(text):
        return "file-name"
    return _menu_reason(text)


def _menu_reason(text: str) -> str | None:
    """Navigation bars and breadcrumbs: several short items between separators, no sentence punctuation."""
    if len(text) > _MAX_CHROME_CHARS or _SENTENCE_PUNCT.search(text):
        return None
    items = [item for item in re.split(r"\s*[|·•/>»›→]\s*|\s+", text) if item]
    separators = len(_MENU_SEPARATOR.findall(text))
    arrows = separators >= 2 and separators == len(_ARROW.findall(text))
    # a breadcrumb may open with the site's full name (某某市某某区人民政府网 > 街道动态 > …)
    longest = _MAX_SITE_NAME if arrows else _MAX_MENU_ITEM
    bars = text.count("|")
    if bars >= _MIN_LINK_BARS and len(items) > bars and max(len(item) for item in items) <= _MAX_SITE_NAME:
        return "menu"  # a footer's links to other sites: "中国政府网 | 某省人民政府 | 某县各乡镇(街道)网站"
    if len(items) < 3 or max(len(item) for item in items[1:]) > _MAX_MENU_ITEM or len(items[0]) > longest:
        return None
    if sum(1 for item in items if len(item) >= 2 and not item.isdigit()) < 0.8 * len(items):
        return None  # "基 层 党 建" is spaced-out text and "2023/01/01" a date, not a menu
    if arrows:
        return "breadcrumb"
    if separators >= 2 or len(items) >= 5:
        return "menu"
    # four column names apart: "政务公开 工作动态 部门动态 乡镇动态" (a title keeps at most a space or two)
    return "menu" if len(items) >= 4 and all(2 <= len(item) <= 6 for item in items) else None


def _chrome_share(text: str, spans: list[tuple[int, int]]) -> tuple[int, int]:
    """Chinese characters left once chrome words and dates are masked, and Chinese characters in all."""
    masked = [False] * len(text)
    for match in _DATE.finditer(text):
        masked[match.start() : match.end()] = [True] * (match.end() - match.start())
    total = sum(1 for ch, gone in zip(text, masked, strict=True) if not gone and _IS_CJK.match(ch))
    for start, end in spans:
        masked[start:end] = [True] * (end - start)
    left = sum(1 for ch, gone in zip(text, masked, strict=True) if not gone and _IS_CJK.match(ch))
    return left, total


# Paywall words enough to make a line chrome whatever else it holds (a teaser names the product sold).
_MIN_PAYWALL_WORDS = 3


def _vocab_reason(text: str, rules: NoiseRules, near_notice: bool = False) -> str | None:
    """The reason whose chrome words make up this line, when the line is mostly chrome words.

    A line rule (starting with "^" or "(?#line)") makes a short line it matches chrome; other rules
    only mark words, and the line must be left with little Chinese text without them.
    """
    if not text or len(text) > _MAX_NOTICE_CHARS:
        return None
    found = {
        reason: [
            (m.start(), m.end(), p.pattern.startswith(_LINE_RULE)) for p in pats for m in p.finditer(text) if m.group()
        ]
        for reason, pats in rules.patterns.items()
    }
    left, total = _chrome_share(text, [(a, b) for spans in found.values() for a, b, _ in spans])
    short = len(text) <= _MAX_CHROME_CHARS
    mostly_chrome = left <= 0.4 * total if short else left <= min(8, 0.3 * total)
    best: tuple[int, int, str] | None = None
    for reason in VOCAB_REASONS:
        spans = found.get(reason)
        if not spans:
            continue
        line_rule = short and any(anchor for _, _, anchor in spans)
        ok = line_rule or mostly_chrome
        if reason == "download-notice":
            ok = ok or len(spans) >= 2 or near_notice or left <= 0.6 * total
        if reason == "paywall":  # 剩余30%内容,登录后可阅读全文,开通VIP会员可下载《某某汇编》: the product's name stays
            ok = ok or len(spans) >= _MIN_PAYWALL_WORDS
        score = (int(line_rule), sum(end - start for start, end, _ in spans))
        if ok and (best is None or score > best[:2]):
            best = (*score, reason)
    return best[2] if best else None


def _extend_notices(norm: list[str], rules: NoiseRules, flagged: dict[int, str]) -> None:
    """A line with one download-site word next to a download notice belongs to the notice."""
    grown = True
    while grown:
        grown = False
        for i, text in enumerate(norm):
            near = any(flagged.get(j) == "download-notice" for j in (i - 1, i + 1))
            if i not in flagged and near and _vocab_reason(text, rules, near_notice=True) == "download-notice":
                flagged[i] = "download-notice"
                grown = True


def _mark_article_lists(norm: list[str], flagged: dict[int, str]) -> None:
    """A list label and the titles of other articles that follow it are a menu (their places and practices
    belong to other pages). The list ends at the first line that reads as a sentence or a numbered heading.

    >>> flagged = {}
    >>> _mark_article_lists(["积分一亮,一目了然。", "相关阅读", "北湖社区召开议事会", "南坪镇举办培训班"], flagged)
    >>> flagged
    {1: 'menu', 2: 'menu', 3: 'menu'}
    >>> flagged = {}
    >>> _mark_article_lists(["相关阅读:", "· 收益如何分配?专家解读", "· 某部:持续推进集体经济发展"], flagged)
    >>> flagged
    {0: 'menu', 1: 'menu', 2: 'menu'}
    """
    for i, text in enumerate(norm):
        if not _LIST_LABEL.match(text):
            continue
        flagged[i] = "menu"
        if _RANKED_LABEL.search(text):
            _mark_ranked_items(norm, i + 1, flagged)
            continue
        listed = 0
        for j in range(i + 1, len(norm)):
            line = norm[j]
            if not line:
                continue
            titled = _LISTED_TITLE.match(line) or _BULLETED_TITLE.match(line)
            if listed >= _MAX_LISTED or not titled or numbering_end(line, levels=2):
                break
            flagged.setdefault(j, "menu")
            listed += 1


def _mark_ranked_items(norm: list[str], start: int, flagged: dict[int, str]) -> None:
    """The items of a ranked list from `start` on: lines numbered 1, 2, 3… in turn, other lines between them
    kept (a page read across its columns puts the article's lines between the items). The list ends where
    its next number does not come within a few lines.

    >>> flagged = {}
    >>> _mark_ranked_items(["北湖社区议事会有新招", "1. 全市召开组织工作会议", "北湖社区有党员46名。",
    ...                     "2. 干部培训班开班", "议事会每月召开一次。", "3、党员教育视频展播", "5. 其他"], 0, flagged)
    >>> flagged
    {1: 'menu', 3: 'menu', 5: 'menu'}
    """
    expected, gap = 1, 0
    for j in range(start, len(norm)):
        if expected > _MAX_LISTED or gap > _MAX_RANKED_GAP:
            break
        item = _RANKED_ITEM.match(norm[j])
        if item and int(item.group(1)) == expected:
            flagged.setdefault(j, "menu")
            expected, gap = expected + 1, 0
        elif norm[j]:
            gap += 1


def _mark_tag_clouds(norm: list[str], flagged: dict[int, str]) -> None:
    """Runs of three or more very short punctuation-free lines: keyword lists, a title cut into words.

    When such a run holds a menu word ("首页", "联系我们") it is a menu written one item per line.
    """
    run: list[int] = []
    for i, text in enumerate([*norm, "。"]):
        if not text:
            continue  # blank lines do not break a run
        if i < len(norm) and (i in flagged or _TAG.match(text)):
            run.append(i)
            continue
        tags = [j for j in run if j not in flagged]
        shaped = [j for j in run if _TAG.match(norm[j])]
        if tags and len(shaped) >= 3 and any(flagged.get(j) == "menu" for j in shaped):
            flagged.update(dict.fromkeys(tags, "menu"))
        elif len(tags) >= 3:
            flagged.update(dict.fromkeys(tags, "tag-cloud"))
        run = []


def page_fragment_lines(lines: list[str]) -> dict[int, int]:
    """Index → length of the `N、` page-number prefix on lines a page break cut off from the line before.

    Page numbers run 1, 2, 3 … over at least three lines and most lines before them stop
    mid-sentence; a numbered list after full sentences or headings is left alone.

    >>> page_fragment_lines(["1、会议要求,抓好基层党建工作,针", "2、对问题,制定清单,落实各项措", "3、施,确保实效。"])
    {0: 2, 1: 2, 2: 2}
    >>> page_fragment_lines(["主要做法如下:", "1、分类指导。", "2、加强领导。", "3、强化保障。"])
    {}
    """
    chains: list[list[tuple[int, int, int]]] = []  # (line index, page number, prefix length)
    for i, line in enumerate(lines):
        match = _FRAGMENT_PREFIX.match(line)
        if match:
            number = int(match.group(1))
            chain = next((c for c in reversed(chains) if c[-1][1] == number - 1), None)
            if chain is None:
                chains.append([])
                chain = chains[-1]
            chain.append((i, number, match.end()))
    fragments: dict[int, int] = {}
    for chain in chains:
        judged = [cut for cut in (_cut_before(lines, i) for i, _, _ in chain) if cut is not None]
        if len(chain) >= 3 and judged and sum(judged) > len(judged) / 2:
            fragments.update({i: prefix for i, _, prefix in chain})
    return fragments


def _cut_before(lines: list[str], i: int) -> bool | None:
    """Whether the last non-empty line before `i` stops mid-sentence; None when there is none."""
    before = [line for line in lines[:i] if line.strip()]
    if not before:
        return None
    text = unicodedata.normalize("NFKC", before[-1]).strip()
    if text.endswith(SENTENCE_END) or text.rstrip(CLOSERS).endswith(SENTENCE_END):
        return False
    heading = ENUMERATED.sub("", text, count=1)
    return len(heading) > _HEADING_CHARS or bool(_SENTENCE_PUNCT.search(heading))  # a heading is no cut
