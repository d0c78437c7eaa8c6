"""Split stage: a cleaned file → documents → sections (heading path, role) → sentence-aligned passages."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace

from ingest.headings import (
    Line,
    RoleCues,
    classify_line,
    collection_marker_end,
    is_place_headline,
    is_title_line,
    numbering_end,
)
from ingest.types import CleanText, Document, Passage, Section

MIN_CHARS = 80
MAX_CHARS = 230
SOFT_CHARS = 100
_SENTENCE = re.compile(r"[^。!?;！？；]*[。!?;！？；]+[”\"’)]*|[^。!?;！？；]+$")
_INTRO_LOOKBACK = 2
# A sentence's end, also a half-width dot between Chinese words (a converter's), in a report of any length.
_FULL_STOP = re.compile(r"[。!?;！？；]|[\u4e00-\u9fff”]\.[\u4e00-\u9fff“]")
# A full stop with Chinese text after it: a heading that runs on into its section's text.
_TEXT_AFTER_STOP = re.compile(r"[。!?！？][^\u4e00-\u9fff]*[\u4e00-\u9fff]")
# Lines above a title that the title outranks (a column name and a date, each shorter than a title).
_MAX_KICKERS = 2
_MAX_KICKER = 20
# A subtitle: a line opening with a dash under the title ("——某县推行积分制纪实").
_SUBTITLE = re.compile(r"^\s*(?:——|—|--|－－|─)+\s*[\u4e00-\u9fff“\"]")
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
# a site's slogan, an injected spam line), none of them a sentence.
_MAX_ABOVE_HEADLINE = 3
# A report without a title line is titled by its opening: past a news dateline (某某网讯(记者…), 新华社…电)
_DATELINE_WORD = re.compile(r"讯|电")
_BYLINE_AFTER = re.compile(r"\s*[（(][^）)]{0,40}[）)]\s*[:：]?|\s*[:：]")  # (记者王五), :
_DATELINE_HEAD = re.compile(r"(?:\d\s*日|本[报刊台网])$")  # 3月5日电, 本报讯: a dateline with nothing after it
_MAX_DATELINE = 20
# and past a lead clause shorter than this (近年来, 日前, 2022年, 摘要:), which set a time or label the text;
_MIN_LEAD_CLAUSE = 6
# a clause shorter than _MIN_DATED_HEADLINE takes the next one with it; the title is cut at this length.
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
# How the opening sentence of a survey states its purpose: "为深入了解…", "根据…要求,笔者对…进行了调研".
_INTRO_OPENER = re.compile(r"^(为了?|根据|按照|受)[^。]{0,40}(了解|掌握|摸清|分析|调研|调查|要求|委托|部署)")


@dataclass(frozen=True)
class SplitConfig:
    """Passage sizes and role cues; the defaults follow DESIGN.md (about 80–400 characters)."""

    cues: RoleCues
    min_chars: int = MIN_CHARS
    max_chars: int = MAX_CHARS
    soft_chars: int = SOFT_CHARS


def doc_id_of(text: str) -> str:
    """First 16 hex digits of the SHA-256 of a document's normalised text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


_NUM = "一二三四五六七八九十"
# A heading that a page-by-page rendering ran into the previous sentence: "…意见:一、前期工作(一)压紧…"
_INLINE_BREAK = re.compile(
    rf"(?<=[。:;!?])(?=[{_NUM}]{{1,3}}、|\([{_NUM}]{{1,3}}\))|(?<=[^\d\s(])(?=\([{_NUM}]{{1,3}}\))"
)


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """Physical lines, further broken before headings that run on inside a line."""
    out, pos = [], 0
    for piece in text.split("\n"):
        cuts = [0] + [m.start() for m in _INLINE_BREAK.finditer(piece) if _heading_run_on(piece, m.start())]
        cuts.append(len(piece))
        out.extend((pos + a, piece[a:b]) for a, b in zip(cuts, cuts[1:], strict=False) if b > a)
        pos += len(piece) + 1
    return out


def _heading_run_on(piece: str, at: int) -> bool:
    """A break before "(一)" without punctuation only counts right after a short 一、 heading."""
    if at and piece[at - 1] in "。:;!?":
        return True
    head = re.search(rf"(?:^|[。:;!?])[{_NUM}]{{1,3}}、[^。:;!?]{{2,30}}$", piece[:at])
    return head is not None


def _lines(text: str) -> list[Line]:
    raw = _logical_lines(text)
    out = []
    for i, (start, piece) in enumerate(raw):
        nxt = raw[i + 1][1] if i + 1 < len(raw) else ""
        out.append(classify_line(start, piece, nxt))
    return [line for line in out if line.text.strip()]


def _bigrams(lines: list[Line]) -> set[str]:
    text = "".join(line.text for line in lines)
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _intro_start(lines: list[Line], at: int, floor: int) -> int:
    """Walk back over body lines that read like the next report's introduction."""
    start = at
    for back in range(1, _INTRO_LOOKBACK + 1):
        i = at - back
        if i <= floor or lines[i].level:
            break
        own = _bigrams([lines[i]])
        after = _bigrams(lines[at : at + 3])
        before = _bigrams(lines[max(floor, i - 3) : i])
        # Compare only the words each side has alone: shared report vocabulary says nothing.
        opens = _INTRO_OPENER.match(lines[i].text) is not None
        if not opens and len(own & (after - before)) < len(own & (before - after)):
            break
        start = i
    return start


def _boundaries(lines: list[Line], cues: RoleCues, datelined: frozenset[int] = frozenset()) -> list[int]:
    """Indices of lines where a new report starts: title lines, headlines an article header followed (the
    indices in `datelined`), and restarts of 一、 numbering."""
    starts = [0]
    headed = numbered = False
    roles: set[str] = set()
    for i, line in enumerate(lines):
        if i == starts[-1]:
            headed, numbered, roles = False, False, set()
            if line.number == 0:
                continue  # a report's first unnumbered line is its title or introduction
        if i == starts[-1] + 1 and _bare_marker(lines[starts[-1]].text):
            continue  # the title below a collection's marker (【篇一】)
        # a place-led news title starts an item only where no numbered heading came before (a digest), not
        # inside a report that lists its towns' experience under 一、二、
        titled = is_title_line(line.text) or (not numbered and is_place_headline(line.text)) \
            or (i in datelined and _dated_headline(line.text))
        titled = titled and not _SUBTITLE.match(line.text)  # ——…纪实 goes with the headline above it
        marked = collection_marker_end(line.text) > 0  # 篇二: starts a report wherever it stands
        if line.number == 0 and ((titled and i > starts[-1] + 1) or marked):
            starts.append(i)
            headed, numbered, roles = False, False, set()
            continue
        numbered = numbered or line.number > 0
        if line.level != 1:
            continue
        role = cues.role_of(line.text[: line.head_end])
        restart = line.number == 1 and headed
        regress = line.number == 0 and role == "background" and bool(roles - {"background"})
        if (restart or regress) and i > starts[-1]:
            starts.append(_intro_start(lines, i, starts[-1]))
            roles = set()
        headed = True
        roles.add(role or "other")
    return starts


def split_documents(clean: CleanText, path: str, meta: dict, config: SplitConfig) -> list[Document]:
    """Split one cleaned file into documents, each with its sections and passages."""
    lines = _lines(clean.text)
    if not lines:
        return []
    datelined = frozenset(i for i, line in enumerate(lines) if clean.offsets[line.start] in clean.datelined)
    starts = _boundaries(lines, config.cues, datelined)
    # The page's title (sidecar, or the file a download site names) titles a report that has no title
    # line of its own, or the only report of the page; metadata such as the URL belongs to every report.
    page_title = str(meta.get("title") or clean.title_hint or "")
    docs = []
    for n, first in enumerate(starts):
        last = starts[n + 1] if n + 1 < len(starts) else len(lines)
        fallback = page_title if n == 0 or len(starts) == 1 else ""
        dated = frozenset(i - first for i in datelined if first <= i < last)
        doc = _document(clean, lines[first:last], path, meta, config, fallback, len(starts) == 1, dated)
        if doc is not None:
            docs.append(doc)
    return docs


def _bare_marker(text: str) -> bool:
    """A collection's report marker alone on its line (【篇一】), its report's title on the next line."""
    end = collection_marker_end(text)
    return end > 0 and not text[end:].strip()


def _kicker(text: str) -> bool:
    """A short line above a title that is not a sentence: a site's column name, a date ("党建动态 2025-06-01")."""
    t = text.strip().rstrip("!")  # a site's greeting or slogan above the title ends in one (欢迎…!)
    return len(t) <= _MAX_KICKER and not re.search(r"[。;!?,:]", t) and not is_title_line(t)


def _headline_shaped(t: str, min_chars: int, stops: str) -> bool:
    """min_chars to _MAX_HEADLINE characters, mostly Chinese, none of `stops` (sentence punctuation)."""
    return (min_chars <= len(t) <= _MAX_HEADLINE and not re.search(f"[{stops}]", t)
            and len(_HANZI.findall(t)) >= _HEADLINE_HANZI * len(t))


def _dated_headline(text: str) -> bool:
    """A line shaped like a news headline (6–40 characters, mostly Chinese, no sentence punctuation), not a
    ——subtitle."""
    t = text.strip()
    return _headline_shaped(t, _MIN_DATED_HEADLINE, "。;!?") and not _SUBTITLE.match(t)


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
    return (j + 1 < len(lines) and lines[j].number == 0 and bool(_SUBTITLE.match(lines[j + 1].text))
            and _headline_shaped(lines[j].text.strip(), _MIN_HEADLINE, "。;!?,:"))


def _with_subtitle(lines: list[Line], title: str, used: int) -> tuple[str, int]:
    """A title and the subtitle line that follows it, if one does ("——某县推行积分制纪实"), as one title."""
    if used < len(lines) - 1:
        line = lines[used].text.strip()
        if _SUBTITLE.match(line) and len(line) <= _MAX_SUBTITLE and not re.search(r"[。;!?]", line):
            return title + line, used + 1
    return title, used


def _derive_title(lines: list[Line], datelined: frozenset[int] = frozenset()) -> tuple[str, int]:
    """The title line if the report has one (and how many lines it takes, with the kicker lines above it and
    a subtitle below it), else a title made of its opening (`lead_title`). A collection's marker (篇二:) is
    no part of the title: the title follows it on its line or on the next. A headline that an article header
    follows (the indices in `datelined`) is the title below up to three lines of the page's header."""
    marker = collection_marker_end(lines[0].text)
    if marker:
        rest = lines[0].text[marker:].strip().strip("《》")
        if not _bare_marker(lines[0].text):
            return _with_subtitle(lines, rest, 1)
        if len(lines) > 2 and _headline_shaped(lines[1].text.strip(), 4, "。;!?"):
            return _with_subtitle(lines, lines[1].text.strip().strip("《》"), 2)
        title, used = _derive_title(lines[1:])  # the marker alone, then the report's text
        return title, used + 1
    for j in range(min(_MAX_ABOVE_HEADLINE + 1, len(lines) - 1)):
        if j in datelined and lines[j].number == 0 and _dated_headline(lines[j].text) \
                and not any(x.number or _FULL_STOP.search(x.text) for x in lines[:j]):
            title = lines[j].text.strip().strip("《》")
            main = lines[j - 1].text.strip() if j else ""
            if main and _headline_shaped(main, _MIN_HEADLINE, "。;!?,:"):
                title = f"{main.strip('《》')} {title}"  # a headline on two lines: the main line, then this one
            return _with_subtitle(lines, title, j + 1)
    for j in range(1, min(_MAX_KICKERS + 1, len(lines) - 1)):
        title_like = is_title_line(lines[j].text) or is_place_headline(lines[j].text) \
            or _headline(lines[j], lines[:j]) or _subtitled(lines, j)
        if lines[j].number == 0 and title_like and not _SUBTITLE.match(lines[j].text) \
                and all(_kicker(x.text) for x in lines[:j]):
            return _with_subtitle(lines, lines[j].text.strip().strip("《》"), j + 1)
    first = lines[0].text.strip()
    titled = lines[0].number == 0 and (lines[0].level == 0 or len(first) >= 8 or is_title_line(first))
    if titled and _MIN_TITLE <= len(first) <= 40 and not re.search(r"[。;!?,]", first) and len(lines) > 1:
        return _with_subtitle(lines, first.strip("《》"), 1)
    if len(first) < _MIN_TITLE and lines[0].number == 0 and len(lines) > 1:
        first = lines[1].text.strip()  # a byline or a tag above the text (王五), no title of its own
    elif lines[0].level:
        heading = first[: lines[0].head_end]
        first = heading[numbering_end(heading):].strip() or first
    return lead_title(first), 0


def _dateline_end(sentence: str) -> int:
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
    sentence = sentence[_dateline_end(sentence):]
    clauses = [c.strip() for c in re.split(r"[,，:：]", sentence) if c.strip()] or [text.strip()]
    if len(clauses) > 1 and len(clauses[0]) < _MIN_LEAD_CLAUSE:
        clauses.pop(0)
    title = clauses[0]
    if title.startswith("“") and "”" not in title:
        title = title[1:]  # the opening of a quoted speech (“村里开会没人来…)
    if len(title) < _MIN_DATED_HEADLINE and len(clauses) > 1:
        title = f"{title},{clauses[1]}"
    return (title[:_MAX_LEAD_TITLE] + "…") if len(title) > _MAX_LEAD_TITLE else title


# A page may print its headline again under it, the last time with a byline run on (…让议事会开进院坝某某日报记者王五):
# a line that starts with the title line and adds nothing, or a byline of at most this many characters.
_MAX_REPEAT_EXTRA = 20
_BYLINE_WORDS = re.compile(r"记者|通讯员|日报|晚报|时报|新闻|网|讯|编辑|作者|来源|\d{4}")


def _past_repeats(lines: list[Line], used: int) -> int:
    """Where the report's text starts: after the `used` title lines and the lines repeating the title line."""
    if not used:
        return used
    title = re.sub(r"\s", "", lines[used - 1].text)
    while used < len(lines) - 1:
        line = re.sub(r"\s", "", lines[used].text)
        extra = line[len(title):]
        if not line.startswith(title) or len(extra) > _MAX_REPEAT_EXTRA or _FULL_STOP.search(extra) \
                or (extra and not _BYLINE_WORDS.search(extra)):
            break
        used += 1
    return used


def _document(
    clean: CleanText, lines: list[Line], path: str, meta: dict, config: SplitConfig, page_title: str, only: bool,
    datelined: frozenset[int] = frozenset(),
) -> Document | None:
    text = "\n".join(line.text for line in lines)
    if len(re.sub(r"\W", "", text)) < 20 or not _FULL_STOP.search(text):
        return None  # too short, or not one sentence: a page's header lines before its first report
    title, skip = _derive_title(lines, datelined)
    skip = _past_repeats(lines, skip)
    from_text = not skip
    if page_title and (only or not skip):
        title, from_text = page_title, False
    title = tidy_title(title)
    sections = split_sections(clean, lines[skip:], config)
    if not sections:
        return None
    start, end = clean.span(lines[0].start, lines[-1].end)
    return Document(doc_id_of(text), title, path, start, end, text, tuple(sections), dict(meta), from_text)


def _role(path: list[str], cues: RoleCues, default: str) -> str:
    for heading in path:
        role = cues.role_of(heading)
        if role:
            return role
    return default


def split_sections(clean: CleanText, lines: list[Line], config: SplitConfig) -> list[Section]:
    """Group lines under their heading path; each section gets a role from the outermost cue."""
    sections: list[Section] = []
    stack: list[tuple[int, str]] = []
    body: list[tuple[int, int]] = []
    carry: tuple[int, int] | None = None

    def flush(last: bool = False) -> None:
        """Close the section under the current path. A one-line section too short to stand alone is carried
        into the next one; the `last` one, with nothing after it, stands alone when text follows its heading's
        full stop (二、联得紧。党员每月走访…) and is dropped when not (a bare heading, a signature, a cut-off line)."""
        nonlocal carry
        if not body:
            return
        path = [h for _, h in stack]
        role = _role(path, config.cues, "background" if not stack else "other")
        spans = ([carry] if carry else []) + body
        short = carry is None and stack and sum(b - a for a, b in body) < config.min_chars // 2 and len(body) == 1
        if short and not (last and _TEXT_AFTER_STOP.search(clean.text, *body[0])):
            if not last:
                carry = body[0]
            body.clear()
            return
        carry = None
        passages = split_passages(clean, spans, config)
        if passages:
            sections.append(Section(tuple(path), role, tuple(passages)))
        body.clear()

    for line in lines:
        if line.level:
            flush()
            while stack and stack[-1][0] >= line.level:
                stack.pop()
            stack.append((line.level, line.text[: line.head_end].strip(" 。:;")))
        body.append((line.start, line.end))
    flush(last=True)
    if sections and not any(s.path for s in sections):
        # no heading at all (a news item, a speech, a short web page): there is no preamble to be background
        # of anything; what the text is about is unknown, so it is "other" like an unrecognised section
        sections = [replace(s, role="other") for s in sections]
    return sections


def _sentences(text: str, start: int) -> list[tuple[int, int]]:
    return [(start + m.start(), start + m.end()) for m in _SENTENCE.finditer(text) if m.group().strip()]


def _cut_long(a: int, b: int, text: str, limit: int) -> list[tuple[int, int]]:
    """Split a sentence longer than the limit at commas, else at the limit."""
    out = []
    while b - a > limit:
        window = text[a : a + limit]
        cut = max(window.rfind(","), window.rfind("、"), window.rfind(","))
        cut = a + cut + 1 if cut > limit // 3 else a + limit
        out.append((a, cut))
        a = cut
    out.append((a, b))
    return out


def split_passages(clean: CleanText, spans: list[tuple[int, int]], config: SplitConfig) -> list[Passage]:
    """Pack sentences of consecutive lines into passages of about min..max characters.

    A passage ends at a paragraph end once it has `soft_chars`, and before it would pass `max_chars`.
    """
    text = clean.text
    units: list[tuple[int, int, bool]] = []
    for a, b in spans:
        sentences = [piece for s in _sentences(text[a:b], a) for piece in _cut_long(*s, text, config.max_chars)]
        units.extend((s, e, k == len(sentences) - 1) for k, (s, e) in enumerate(sentences))
    groups: list[tuple[int, int]] = []
    cur: tuple[int, int] | None = None
    for s, e, para_end in units:
        if cur and e - cur[0] > config.max_chars and cur[1] - cur[0] >= config.min_chars:
            groups.append(cur)
            cur = None
        cur = (cur[0], e) if cur else (s, e)
        if para_end and cur[1] - cur[0] >= config.soft_chars:
            groups.append(cur)
            cur = None
    if cur:
        if groups and cur[1] - cur[0] < config.min_chars and cur[1] - groups[-1][0] <= config.max_chars + 60:
            groups[-1] = (groups[-1][0], cur[1])
        else:
            groups.append(cur)
    passages = []
    for n, (s, e) in enumerate(groups):
        start, end = clean.span(s, e)
        passages.append(Passage(text=text[s:e], start=start, end=end, ordinal=n))
    return passages
