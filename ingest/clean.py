"""Clean stage: drop site chrome, repair layout, normalise script, keep an offset map to the original."""

from __future__ import annotations

import difflib
import html
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ingest import columns, indents, inline, interleave, noise, wrapping
from ingest.types import CHAR_REF, CleanText

_CJK = r"\u3400-\u9fff\uf900-\ufaff"
# A run of "?" or U+FFFD next to CJK text is what a lossy GBK→UTF-8 round trip leaves behind.
_MOJIBAKE = re.compile(rf"(?<=[{_CJK}])[?\ufffd]+[A-Za-z]{{0,2}}(?=[{_CJK}])|\ufffd+")
_DROP = re.compile(r"[\r\u200b-\u200f\u2028\u2029\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SHORT_LINE = 60
# Corner brackets are the traditional-script quotation marks; match them as the mainland ones.
_QUOTES = str.maketrans({"「": "“", "」": "”", "『": "‘", "』": "’"})


@dataclass(frozen=True)
class CleanRules:
    """What the cleaner needs from the lexicon: chrome patterns and converter artifacts."""

    noise: noise.NoiseRules
    variants: tuple[tuple[str, str], ...]


def load_clean_rules(lexicon_dir: Path) -> CleanRules:
    """Read boilerplate patterns and converter-artifact pairs from the lexicon folder."""
    pairs = []
    path = Path(lexicon_dir) / "variants.tsv"
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        artifact, standard = line.split("\t")[:2]
        if len(artifact) != len(standard):
            raise ValueError(f"{path}: variant pair {artifact}/{standard} must have equal length")
        pairs.append((artifact, standard))
    return CleanRules(noise=noise.load_rules(Path(lexicon_dir)), variants=tuple(pairs))


class _T2S:
    """Character-for-character traditional→simplified map built from zhconv's tables."""

    _table: dict[int, str] | None = None

    @classmethod
    def table(cls) -> dict[int, str]:
        if cls._table is None:
            from zhconv import zhconv

            zhconv.loaddict()
            pairs = zhconv.zhcdicts["zh2Hans"]
            cls._table = {ord(k): v for k, v in pairs.items() if len(k) == 1 and len(v) == 1}
        return cls._table


def to_simplified(text: str) -> str:
    """Map traditional characters to simplified ones, one for one, so offsets stay valid.

    >>> to_simplified("經濟發展與基層黨組織")
    '经济发展与基层党组织'
    """
    return text.translate(_T2S.table())


def _line_spans(original: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in original.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _interleaved_blocks(lines: list[str], order: list[int]) -> list[int]:
    """Reorder runs of short lines that two PDF columns interleaved."""
    out: list[int] = []
    run: list[int] = []

    def flush() -> None:
        if len(run) >= 4:
            fixed = interleave.interleaved_order([lines[i] for i in run])
            if fixed is not None:
                out.extend(run[j] for j in fixed)
                run.clear()
                return
        out.extend(run)
        run.clear()

    for i in order:
        if 0 < len(lines[i].strip()) <= _SHORT_LINE:
            run.append(i)
        else:
            flush()
            out.append(i)
    flush()
    return out


# Download sites name the file they host: "《在…上的讲话.docx》由会员分享" gives the report's title.
_HOSTED_FILE = re.compile(r"《([^《》]{4,60}?)\.(?:docx?|pdf|wps|pptx?|txt)》")


def title_hint(lines: list[str], dropped: dict[int, str]) -> str:
    """A title named by a dropped download-site line, if any."""
    for i in sorted(dropped):
        match = _HOSTED_FILE.search(lines[i])
        if match:
            return to_simplified(unicodedata.normalize("NFKC", match.group(1))).strip()
    return ""


def _datelined(lines: list[str], dropped: dict[int, str], spans: list[tuple[int, int]]) -> frozenset[int]:
    """Original offsets of the kept lines that a dropped article header follows (a headline above its
    "发布时间:… 来源:…" line): where a page listing several news items starts each one."""
    out = set()
    for i, line in enumerate(lines):
        if i in dropped or not line.strip():
            continue
        j = next((k for k in range(i + 1, len(lines)) if lines[k].strip()), None)
        if j is not None and dropped.get(j) == "counter":
            out.add(spans[i][0] + len(line) - len(line.lstrip()))
    return frozenset(out)


def _layout(original: str, rules: CleanRules) -> tuple[list[str], list[int], str, frozenset[int]]:
    """Characters and their original indices after dropping chrome lines and repairing layout, the title
    hint, and where the kept lines that an article header follows start (see `_datelined`)."""
    spans = indents.paragraph_spans(original, columns.reading_spans(original, _line_spans(original)))
    lines = [original[a:b] for a, b in spans]
    dropped = noise.boilerplate_lines([html.unescape(line) for line in lines], rules.noise)
    hint = title_hint(lines, dropped)
    datelined = _datelined(lines, dropped, spans)
    kept = [i for i in range(len(lines)) if i not in dropped]
    fragments = noise.page_fragment_lines([lines[i] for i in kept])
    kept_order = _interleaved_blocks(lines, kept)
    wrapped = wrapping.wrapped_breaks([lines[i] for i in kept_order])
    chars: list[str] = []
    index: list[int] = []
    joins = {kept[k]: cut for k, cut in fragments.items()}
    for n, i in enumerate(kept_order):
        a, b = spans[i]
        cut = joins.get(i)
        if n and cut is None and n - 1 not in wrapped:
            chars.append("\n")
            index.append(a - 1 if a else 0)
        a += cut or 0
        chars.extend(original[a:b])
        index.extend(range(a, b))
    return chars, index, hint, datelined


# Pay sites cut an article and append their note to its last line: "…。未完,全文共1783字".
_INLINE_CHROME = re.compile(
    r"[.…]*\s*[(（]?未完[,，]?\s*(?:待续|全文共\s*\d+\s*字)[)）]?[^\n]{0,12}$"
    r"|[(（]?全文共\s*\d+\s*字[^\n]{0,20}$|(?:点击)?(?:展开|继续)阅读全文[^\n]{0,10}$",
    re.MULTILINE,
)


def inline_chrome_spans(text: str) -> list[tuple[int, int]]:
    """Spans of paywall notes stuck to the end of a content line.

    >>> text = "全面推行“村务五公开”工作法。未完,全文共1783字"
    >>> [text[a:b] for a, b in inline_chrome_spans(text)]
    ['未完,全文共1783字']
    """
    return [(m.start(), m.end()) for m in _INLINE_CHROME.finditer(text) if m.group().strip(" .…")]


# Markdown's marks around a line: a heading's "#" and a whole line set in bold ("**一、主要做法**"). A mark inside
# a line is left alone: "**市**区" is a redaction.
_MARKDOWN_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(?=\S)", re.MULTILINE)
_MARKDOWN_BOLD_LINE = re.compile(r"^([ \t]*)(\*\*|__)(?=\S)([^\n]*?\S)\2[ \t]*$", re.MULTILINE)


def markdown_spans(text: str) -> list[tuple[int, int]]:
    r"""Spans of Markdown marks around a line, to delete.

    >>> text = "# 关于推行积分制的报告\n**一、主要做法**\n**市**区推行积分制"
    >>> "".join(ch for i, ch in enumerate(text) if not any(a <= i < b for a, b in markdown_spans(text)))
    '关于推行积分制的报告\n一、主要做法\n**市**区推行积分制'
    """
    spans = [(m.start(), m.end()) for m in _MARKDOWN_HEADING.finditer(text)]
    for m in _MARKDOWN_BOLD_LINE.finditer(text):
        if "**" in m.group(3) or "__" in m.group(3):
            continue  # several bold runs on the line, or a redaction inside it
        spans += [(m.start(2), m.end(2)), (m.end(3), m.end(3) + len(m.group(2)))]
    return spans


# Marks a page sets before a line's text (▍, ■, ●, ◆, ▶, ★, •, ※, ❖): decoration, not text; without them a numbered
# heading (▍1. 某县:…) reads as one. Geometric shapes, block elements, arrows, stars, bullets and dingbats.
_LINE_MARKS = re.compile(r"^[ \t\u3000]*([\u2022\u203b\u2190-\u21ff\u2580-\u259f\u25a0-\u25ff\u2605\u2606"
                         r"\u2700-\u27bf]+[ \t\u3000]*)(?=[^\s\u2022\u203b\u2190-\u21ff\u2580-\u259f\u25a0-\u25ff])",
                         re.MULTILINE)


def line_mark_spans(text: str) -> list[tuple[int, int]]:
    r"""Spans of the decorative marks opening a line, to delete.

    >>> text = "▍1. 青石县:“一表通”减负\n★ 党员先锋岗\n获评★★★支部"
    >>> "".join(ch for i, ch in enumerate(text) if not any(a <= i < b for a, b in line_mark_spans(text)))
    '1. 青石县:“一表通”减负\n党员先锋岗\n获评★★★支部'
    """
    return [m.span(1) for m in _LINE_MARKS.finditer(text)]


def _unescape(chars: list[str], index: list[int]) -> tuple[list[str], list[int]]:
    """Character references (&ldquo;三个一&rdquo;, &nbsp;) read as the characters they stand for, each
    pointing at its reference's first character; an unknown name stays as written.

    >>> chars, index = _unescape(list("推行&ldquo;积分制&rdquo;"), list(range(19)))
    >>> "".join(chars), index[2], index[6]
    ('推行“积分制”', 2, 12)
    """
    text = "".join(chars)
    out_chars: list[str] = []
    out_index: list[int] = []
    pos = 0
    for match in CHAR_REF.finditer(text):
        decoded = html.unescape(match.group())
        if decoded == match.group():
            continue
        out_chars.extend(chars[pos:match.start()])
        out_index.extend(index[pos:match.start()])
        out_chars.extend(decoded)
        out_index.extend([index[match.start()]] * len(decoded))
        pos = match.end()
    if not pos:
        return chars, index
    return out_chars + chars[pos:], out_index + index[pos:]


def _delete(chars: list[str], index: list[int], spans: list[tuple[int, int]]) -> tuple[list[str], list[int]]:
    if not spans:
        return chars, index
    gone = set()
    for a, b in spans:
        gone.update(range(a, b))
    keep = [i for i in range(len(chars)) if i not in gone]
    return [chars[i] for i in keep], [index[i] for i in keep]


def _normalise(chars: list[str], index: list[int]) -> tuple[list[str], list[int]]:
    """NFKC each character (expansions keep the source index), drop control and zero-width ones."""
    out_chars: list[str] = []
    out_index: list[int] = []
    for ch, src in zip(chars, index, strict=True):
        if _DROP.match(ch):
            continue
        norm = unicodedata.normalize("NFKC", ch) if ord(ch) > 127 else ch
        for piece in norm:
            out_chars.append(piece)
            out_index.append(src)
    return out_chars, out_index


def clean(original: str, rules: CleanRules) -> CleanText:
    """Clean one file's original text into normalised simplified text with an offset map.

    Chrome lines are dropped, page fragments and hard-wrapped lines re-joined, interleaved columns re-ordered, character
    references (&ldquo;) decoded, Markdown marks around lines removed, pinyin
    glosses and spaces inside Chinese removed, NFKC applied, traditional mapped to simplified,
    converter artifacts mapped back; placeholders (XX县, ___) are kept and mojibake is marked.
    """
    chars, index, hint, datelined = _layout(original, rules)
    chars, index = _unescape(chars, index)
    joined = "".join(chars)
    chars, index = _delete(chars, index, inline.pinyin_spans(joined) + inline_chrome_spans(joined)
                           + markdown_spans(joined) + line_mark_spans(joined))
    chars, index = _delete(chars, index, inline.spacing_spans("".join(chars)))
    chars, index = _normalise(chars, index)
    converted = converter_signed(to_simplified("".join(chars)), rules)
    text = half_width_full_stops(_standard_script("".join(chars), rules, converted))
    text, index = _squeeze_blank_lines(text, index)
    marks = tuple((m.start(), m.end()) for m in _MOJIBAKE.finditer(text))
    return CleanText(
        original=original, text=text, offsets=tuple(index) + (len(original),), mojibake=marks, title_hint=hint,
        datelined=datelined, converted=converted,
    )


# How far ahead in a quote a passage's next character is looked for (inline chrome or spaces the clean stage
# dropped lie between): a character not found within it gets no gloss, and the search resumes after it.
_GLOSS_LOOKAHEAD = 40


# The longest run of characters a cleaned text may write for the same number of the page's characters and still
# be shown as the page wrote it: a converter's word mapped back (服务 for 效劳), never a phrase.
MAX_PUBLISHED_RUN = 4


def as_published(text: str, quote: str) -> str:
    """A passage's cleaned `text` with the page's words as published: where cleaning wrote other characters of the
    same number for the original's (a converter's 效劳 mapped back to 服务), the original's, and the pinyin glosses
    put back (`with_glosses`). Matching reads the cleaned text; a sentence copied from the page must be found in
    what djkg shows. Script, punctuation and spacing stay as cleaned.

    >>> as_published("党员志愿服务队为群众服务", "黨員志願效勞隊為群眾效勞")
    '党员志愿效劳队为群众效劳'
    >>> as_published("发展党员,经济建设", "發(fā)展黨員，經濟建設")
    '发(fā)展党员,经济建设'
    """
    chars = "".join(_quote_chars(quote)[0])
    matcher = difflib.SequenceMatcher(None, text, chars, autojunk=False)
    out = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "replace" and i2 - i1 == j2 - j1 <= MAX_PUBLISHED_RUN \
                and all(_CJK_CHAR.match(ch) for ch in text[i1:i2] + chars[j1:j2]):
            out.append(chars[j1:j2])
        else:
            out.append(text[i1:i2])
    return with_glosses("".join(out), quote)


_CJK_CHAR = re.compile(r"[\u3400-\u9fff]")


def _quote_chars(quote: str) -> tuple[list[str], dict[int, str]]:
    """The original's characters without pinyin glosses, each normalised as clean() normalises it, and the gloss
    following each glossed character (index in those characters → gloss)."""
    gloss_at = {start: end for start, end in inline.pinyin_spans(quote)}
    chars: list[str] = []
    glosses: dict[int, str] = {}
    pos = 0
    while pos < len(quote):
        if pos in gloss_at:
            if chars:
                glosses[len(chars) - 1] = unicodedata.normalize("NFKC", quote[pos : gloss_at[pos]])
            pos = gloss_at[pos]
            continue
        chars.extend(to_simplified(unicodedata.normalize("NFKC", quote[pos])).translate(_QUOTES))
        pos += 1
    return chars, glosses


def with_glosses(text: str, quote: str) -> str:
    """A passage's cleaned `text` with the pinyin glosses of its original `quote` put back after the characters
    they gloss (经(jīng)济). Matching and extraction read a passage without them (clean drops them), but
    they are the page's words as published: a sentence copied from the page must be found in what djkg shows.
    A quote without glosses gives `text` back unchanged.

    >>> with_glosses("发展党员,经济建设", "發(fā)展黨員，經(jīng)濟(jì)建設")
    '发(fā)展党员,经(jīng)济(jì)建设'
    >>> with_glosses("经济发展", "經濟發展")
    '经济发展'
    """
    if not inline.pinyin_spans(quote):
        return text
    chars, glosses = _quote_chars(quote)
    out: list[str] = []
    at = 0
    for ch in text:
        found = next((i for i in range(at, min(at + _GLOSS_LOOKAHEAD, len(chars))) if chars[i] == ch), None)
        out.append(ch)
        if found is not None:
            out.append(glosses.get(found, ""))
            at = found + 1
    return "".join(out)


# A half-width full stop ending a Chinese sentence: after a Chinese character, a closing quote or a percentage,
# before Chinese text, a number, an opening quote, the line's end or the text's end (not 1.5, not 1.建立).
_HALF_STOP = re.compile(rf"(?<=[{_CJK}”’)%])\.(?=[{_CJK}\d“‘(]|\n|$)")
# How many such stops make a text one that a converter wrote with half-width stops throughout.
_MIN_HALF_STOPS = 2


def clean_title(title: str, rules: CleanRules, signed: bool | None = None) -> str:
    """A page's title from outside its text (a sidecar's `title`) written as the cleaned text is: simplified
    script, the converter's artifacts mapped back (志愿效劳 → 志愿服务) when its page shows the converter's
    signature (`signed`; by default the title's own words decide), so that a report's title reads like its body
    and matches the same words.

    >>> rules = CleanRules(noise=None, variants=(("效劳", "服务"),))
    >>> clean_title("堅持“四就近” 激活志愿效劳", rules, signed=True), clean_title("激活志愿效劳", rules)
    ('坚持“四就近” 激活志愿服务', '激活志愿效劳')
    """
    return _standard_script(unicodedata.normalize("NFKC", title).strip(), rules, signed)


# A text shows a converter's signature when it holds this many of its artifacts: one or two 稳固 or 效劳 are words
# of the language where they stand (基础稳固, 为人民效劳), a converter writes them throughout (效劳 for 服务 in every
# paragraph; the converted pages seen so far hold 3 to 40).
MIN_CONVERTER_ARTIFACTS = 3


def converter_signed(text: str, rules: CleanRules) -> bool:
    """Whether a text (in simplified script) shows the signature of the converter whose artifacts `rules` map back.

    >>> rules = CleanRules(noise=None, variants=(("效劳", "服务"), ("稳固", "巩固")))
    >>> converter_signed("为群众效劳,志愿效劳队,效劳站", rules), converter_signed("基础稳固,成果稳固", rules)
    (True, False)
    """
    return sum(text.count(artifact) for artifact, _ in rules.variants) >= MIN_CONVERTER_ARTIFACTS


def _standard_script(text: str, rules: CleanRules, signed: bool | None = None) -> str:
    """Simplified script, one style of quotation marks, and the converter's artifacts mapped back where the text
    (or, given `signed`, the page it comes from) shows the converter's signature."""
    text = to_simplified(text).translate(_QUOTES)
    if converter_signed(text, rules) if signed is None else signed:
        for artifact, standard in rules.variants:
            text = text.replace(artifact, standard)
    return text


def half_width_full_stops(text: str) -> str:
    r"""A text without a single "。" whose Chinese sentences end in "." (a converter or an editor wrote the
    punctuation half-width) gets "。" there, so that its sentences, passages and leads are found. A text that
    uses "。" keeps its half-width dots: there they are decimals, numbering and abbreviations.

    >>> half_width_full_stops("镇党委推行积分制.2025年全镇18个村参与.\n1.建立台账,覆盖率达98.5%.")
    '镇党委推行积分制。2025年全镇18个村参与。\n1.建立台账,覆盖率达98.5%。'
    >>> half_width_full_stops("镇党委推行积分制。全镇18个村参与.")
    '镇党委推行积分制。全镇18个村参与.'
    """
    if "。" in text or len(_HALF_STOP.findall(text)) < _MIN_HALF_STOPS:
        return text
    return _HALF_STOP.sub("。", text)


def _squeeze_blank_lines(text: str, index: list[int]) -> tuple[str, list[int]]:
    """Strip spaces around lines and collapse blank lines, keeping the offset map aligned."""
    keep: list[int] = []
    for match in re.finditer(r"[^\n]*\n?", text):
        line = match.group()
        body = line.rstrip("\n")
        stripped = body.strip(" \t\u3000\xa0")
        if not stripped:
            continue
        lead = len(body) - len(body.lstrip(" \t\u3000\xa0"))
        start = match.start() + lead
        keep.extend(range(start, start + len(stripped)))
        if line.endswith("\n"):
            keep.append(match.start() + len(body))
    while keep and text[keep[-1]] == "\n":
        keep.pop()
    return "".join(text[i] for i in keep), [index[i] for i in keep]
