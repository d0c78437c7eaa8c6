"""Split stage: a cleaned file → documents → sections (heading path, role) → sentence-aligned passages."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, replace

from ingest.clean import to_simplified
from ingest.headings import (
    Line,
    RoleCues,
    bracketed_place_item,
    classify_line,
    collection_marker_end,
    is_place_headline,
    is_title_line,
    numbered_place_item,
    run_on_place_headline,
)
from ingest.titles import (
    FULL_STOP,
    SUBTITLE,
    bare_marker,
    dated_headline,
    derive_title,
    exclaimed_headline,
    past_repeats,
    tidy_title,
)
from ingest.types import CleanText, Document, Passage, Section

MIN_CHARS = 80
MAX_CHARS = 230
SOFT_CHARS = 100
_SENTENCE = re.compile(r"[^。!?;！？；]*[。!?;！？；]+[”\"’)]*|[^。!?;！？；]+$")
_INTRO_LOOKBACK = 2
# A full stop with Chinese text after it: a heading that runs on into its section's text.
_TEXT_AFTER_STOP = re.compile(r"[。!?！？][^\u4e00-\u9fff]*[\u4e00-\u9fff]")
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


# Items of one shape that make a page a digest of items (see _digest_items).
_MIN_DIGEST_ITEMS = 2


def _digest_items(lines: list[Line]) -> set[int]:
    """The lines opening a digest's items, each a report of its own: paragraphs opening with a place-led headline
    run on into the item's text (某县:“…”点亮…。入冬以来,…), headlines numbered and led by a county or city
    (1. 青石县:“一表通”…) or led by a place in brackets (【某区】…). A shape counts from _MIN_DIGEST_ITEMS lines on:
    one such line in a report is its text or a heading."""
    run_on = {i for i, line in enumerate(lines) if line.number == 0 and run_on_place_headline(line.text)}
    headed = {i for i, line in enumerate(lines) if numbered_place_item(line.text) or bracketed_place_item(line.text)}
    return {i for found in (run_on, headed) if len(found) >= _MIN_DIGEST_ITEMS for i in found}


def _boundaries(lines: list[Line], cues: RoleCues, datelined: frozenset[int] = frozenset()) -> list[int]:
    """Indices of lines where a new report starts: title lines, headlines an article header followed (the
    indices in `datelined`), and restarts of 一、 numbering."""
    starts = [0]
    headed = numbered = read_body = False
    roles: set[str] = set()
    items = _digest_items(lines)
    for i, line in enumerate(lines):
        if i == starts[-1]:
            headed, numbered, roles, read_body = False, False, set(), False
            if line.number == 0:
                continue  # a report's first unnumbered line is its title or introduction
        if i == starts[-1] + 1 and bare_marker(lines[starts[-1]].text):
            continue  # the title below a collection's marker (【篇一】)
        # a place-led news title starts an item only where no numbered heading came before (a digest), not
        # inside a report that lists its towns' experience under 一、二、
        titled = is_title_line(line.text) or (not numbered and is_place_headline(line.text)) \
            or (i in datelined and dated_headline(line.text))
        titled = titled and not SUBTITLE.match(line.text)  # ——…纪实 goes with the headline above it
        marked = collection_marker_end(line.text) > 0  # 篇二: starts a report wherever it stands
        if (line.number == 0 and ((titled and i > starts[-1] + 1) or marked)) or (i in items and i > starts[-1]):
            starts.append(i)
            headed, numbered, roles, read_body = False, False, set(), False
            continue
        numbered = numbered or line.number > 0
        if FULL_STOP.search(line.text) and not exclaimed_headline(line.text):
            read_body = True  # a sentence, also one run on after its heading (一、强化班子建设。村党支部…)
        if line.level != 1:
            continue
        if not read_body:
            continue  # a line above the report's first sentence (a byline, 某某课题组) heads no section
        role = cues.role_of(line.text[: line.head_end])
        # 一、 right under an unnumbered heading (【主要做法】 then 一、…) opens that heading's items, not a new report
        opens_items = i > 0 and lines[i - 1].level == 1 and lines[i - 1].number == 0
        restart = line.number == 1 and headed and not opens_items
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
    spans = [(first, starts[n + 1] if n + 1 < len(starts) else len(lines)) for n, first in enumerate(starts)]
    # lines without a sentence (a page's header, a signature and its date under the last report) are no report:
    # they neither count as one nor take the page's title from the first report
    reports = [n for n, (a, b) in enumerate(spans) if any(FULL_STOP.search(line.text) for line in lines[a:b])]
    docs = []
    for n, (first, last) in enumerate(spans):
        fallback = page_title if n == (reports[0] if reports else 0) or len(reports) == 1 else ""
        dated = frozenset(i - first for i in datelined if first <= i < last)
        doc = _document(clean, lines[first:last], path, meta, config, fallback, len(reports) == 1, dated)
        if doc is not None:
            docs.append(doc)
    return docs


def _document(
    clean: CleanText, lines: list[Line], path: str, meta: dict, config: SplitConfig, page_title: str, only: bool,
    datelined: frozenset[int] = frozenset(),
) -> Document | None:
    text = "\n".join(line.text for line in lines)
    if len(re.sub(r"\W", "", text)) < 20 or not FULL_STOP.search(text):
        return None  # too short, or not one sentence: a page's header lines before its first report
    title, skip = derive_title(lines, datelined)
    if page_title:  # the page's own title, though not shaped like one (…,这个村是这样做的!), below a site's lines
        skip = max(skip, _past_page_title(lines, page_title))
    skip = past_repeats(lines, skip)
    from_text = not skip
    if page_title and (only or not skip):
        title, from_text = page_title, False
    title = tidy_title(title)
    sections = split_sections(clean, lines[skip:], config)
    if not sections:
        return None
    start, end = clean.span(lines[0].start, lines[-1].end)
    return Document(doc_id_of(text), title, path, start, end, text, tuple(sections), dict(meta), from_text)


# A page's title may stand on this many lines at a report's start (a headline, its ——subtitle).
_MAX_TITLE_LINES = 3


def _bare(text: str) -> str:
    """A line's or title's characters, without a label in brackets opening it (【党课讲稿】), punctuation, spaces."""
    text = re.sub(r"^\s*[【\[]\s*[^】\]]{1,8}\s*[】\]]", "", unicodedata.normalize("NFKC", text))
    return to_simplified(re.sub(r"[\W_]", "", text))


def _past_page_title(lines: list[Line], title: str) -> int:
    """Where the text starts after the page's title, when the title stands on the first lines or below at most
    _MAX_TITLE_LINES lines without a sentence (a site's name, a column); else 0."""
    for above in range(_MAX_TITLE_LINES + 1):
        if above and FULL_STOP.search(lines[above - 1].text):
            break
        used = _title_lines(lines[above:], title)
        if used:
            return above + used
    return 0


def _title_lines(lines: list[Line], title: str) -> int:
    """How many first lines read together as the page's title (punctuation, spaces and script aside), else 0.

    >>> from ingest.headings import classify_line
    >>> shaped = [classify_line(0, t, "") for t in ("以党建引领振兴", "——关于某村的调研报告", "近年来,某村…")]
    >>> _title_lines(shaped, "以党建引领振兴——关于某村的调研报告"), _title_lines(shaped, "以党建引领振兴")
    (2, 1)
    """
    want = _bare(title)
    read = ""
    for n, line in enumerate(lines[:_MAX_TITLE_LINES], start=1):
        read += _bare(line.text)
        if not want or not want.startswith(read):
            return 0
        if read == want:
            return n
    return 0


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
    elif not any(line.number for line in lines if line.level):
        # unnumbered headings only (a news feature's sub-headings): the text before the first is the item's
        # lead, which tells what was done, not a report's preamble
        sections = [replace(s, role="other") if not s.path and s.role == "background" else s for s in sections]
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
