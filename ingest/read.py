"""Read stage: find input files, decode them (UTF-8, GB18030, Big5) and extract text from txt, md, html, docx, pdf."""

from __future__ import annotations

import codecs
import json
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import PreformattedString

from ingest.containers import Unreadable, check_text_size, one_line, read_docx, read_pdf, utf8_size
from ingest.types import FileError, RawFile

SUPPORTED = (".txt", ".md", ".html", ".htm", ".docx", ".pdf")
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# Bounds what a file may inflate to: the .docx parts together, each PDF stream, and the extracted text (in
# UTF-8 bytes) of any format. python-docx parses XML parts whole with lxml, at 10–45 bytes per XML byte: a
# .docx whose parts total 16 MB (document.xml 15.2 MB) peaked at 210 MB RSS in read_file in a fresh process
# (paragraphs of text), 330 MB (one character per run), 646 MB and 30 s (empty paragraphs) and 686 MB (the
# densest markup tried: attributes); the process itself starts at 40 MB.
DEFAULT_MAX_INFLATED_BYTES = 16 * 1024 * 1024
META_KEYS = ("title", "author", "organization", "date", "source", "url")

_MB = 1024 * 1024
_SNIFF_BYTES = 8192
# UTF-32 first: its little-endian mark starts with the UTF-16 one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Order breaks ties: a text that is equally plausible in several codecs is most likely UTF-8, then GB.
_CANDIDATES = ("utf-8", "gb18030", "big5", "cp950")
_CONTROL_BYTES = frozenset(range(32)) - {0x09, 0x0A, 0x0C, 0x0D, 0x1B}
_SCORE_CHARS = 20_000
_HTML_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# Pages declare gb2312 or gbk but routinely contain characters only their supersets have.
_CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "big5": "cp950"}
_HTML_DROP = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "template")
_HTML_BLOCKS = frozenset(
    "address article blockquote body dd div dl dt figcaption figure h1 h2 h3 h4 h5 h6 hr li main ol p pre "
    "section table tbody td tfoot th thead tr ul".split()
)
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
# Blocks that templates name for what they are: navigation, breadcrumbs, sharing bars, lists of related
# articles, comments, footers. A class or id word (split at - and _) starting with one of these marks a block
# as page furniture, unless it holds most of the page's text (a template that names its whole body so).
_HTML_FURNITURE = re.compile(
    r"^(nav|menu|crumb|bread|share|relate|recommend|sidebar|comment|foot|copyright|toolbar|banner|advert)",
    re.IGNORECASE)
_FURNITURE_MAX_SHARE = 0.5
# A block that is mostly links is a list of other pages (a side column of titles, a menu) whatever its name:
# at least this many links, making up at least this share of its text. A table-laid page keeps its side
# column in a <td> with no name at all.
_LINK_LIST_MIN_LINKS = 3
_LINK_LIST_SHARE = 0.7
_LINK_LIST_TAGS = ("div", "td", "th", "ul", "ol", "dl", "table", "section", "p", "span")
# "标题_栏目_网站" or "标题 - 网站": a page title's site part after its first separator.
_TITLE_SEPARATOR = re.compile(r"\s*(?:_|\||｜|\s-\s|——|--|–)\s*")
_MIN_TITLE = 6




def iter_paths(paths: Iterable[str | Path]) -> Iterator[Path | FileError]:
    """Yield the readable files named in `paths`, walking folders recursively in sorted order.

    Files found in folders are skipped silently when hidden, unsupported or `*.meta.json` sidecars;
    a file named directly is read even if hidden, and is an error if it is missing or unsupported.
    """
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = _walk(path)
        elif path.name.endswith(".meta.json"):
            continue
        elif problem := _path_problem(path):
            found = [FileError(str(path), problem)]
        else:
            found = [path]
        for item in found:
            if isinstance(item, Path):
                key = item.resolve()
                if key in seen:
                    continue
                seen.add(key)
            yield item


def _walk(folder: Path) -> list[Path | FileError]:
    errors: list[FileError] = []
    files: list[Path] = []

    def on_error(error: OSError) -> None:
        errors.append(FileError(str(error.filename or folder), _os_reason(error)))

    for root, dirs, names in os.walk(folder, onerror=on_error):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            if name.startswith(".") or name.endswith(".meta.json"):
                continue
            if Path(name).suffix.lower() in SUPPORTED:
                files.append(Path(root, name))
    return [*errors, *sorted(files)]


def _path_problem(path: Path) -> str | None:
    if not path.exists():
        return "no such file or directory"
    if path.is_dir():
        return "is a directory (read_files walks folders)"
    if not path.is_file():
        return "not a regular file"
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        kind = suffix or "(no extension)"
        return f"unsupported file type {kind} (supported: {', '.join(SUPPORTED)})"
    return None


def read_files(paths: Iterable[str | Path], max_bytes: int = DEFAULT_MAX_BYTES,
               max_inflated_bytes: int = DEFAULT_MAX_INFLATED_BYTES) -> Iterator[RawFile | FileError]:
    """Read every file `iter_paths` finds; a file that cannot be read becomes a FileError and reading goes on."""
    for item in iter_paths(paths):
        yield item if isinstance(item, FileError) else read_file(item, max_bytes, max_inflated_bytes)


def read_file(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES,
              max_inflated_bytes: int = DEFAULT_MAX_INFLATED_BYTES) -> RawFile | FileError:
    """Read one file into a RawFile with "\\n" newlines and sidecar metadata; never raises for a bad file."""
    if max_inflated_bytes < 1:  # pypdf reads 0 as "no limit"
        raise ValueError(f"max_inflated_bytes must be a positive number of bytes, got {max_inflated_bytes}")
    path = Path(path)
    try:
        return _read(path, max_bytes, max_inflated_bytes)
    except Unreadable as error:
        return FileError(str(path), str(error))
    except OSError as error:
        return FileError(str(path), _os_reason(error))
    except Exception as error:
        return FileError(str(path), one_line(f"cannot read: {type(error).__name__}: {error}"))


def _read(path: Path, max_bytes: int, max_inflated_bytes: int) -> RawFile:
    if problem := _path_problem(path):
        raise Unreadable(problem)
    size = path.stat().st_size
    if size > max_bytes:
        raise Unreadable(f"file too large: {size / _MB:.1f} MB > {max_bytes / _MB:g} MB limit (set DJKG_MAX_MB)")
    if size == 0:
        raise Unreadable("empty file")
    fmt = path.suffix.lower().lstrip(".")
    meta: dict = {}
    if fmt in ("txt", "md"):
        data = path.read_bytes()
        if fmt == "txt" and _markup(data):
            text, encoding, title = _read_html(data)  # a page's source saved as text
            if title:
                meta["title"] = title
        else:
            text, encoding = _decode_text(data)
    elif fmt in ("html", "htm"):
        text, encoding, title = _read_html(path.read_bytes())
        fmt = "html"
        if title:
            meta["title"] = title
    elif fmt == "docx":
        text, encoding = read_docx(path, max_inflated_bytes), "utf-8"
    else:
        text, encoding = read_pdf(path, max_inflated_bytes), ""
    check_text_size(utf8_size(text), max_inflated_bytes)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise Unreadable("empty file")
    meta.update(_read_sidecar(path))
    return RawFile(path=str(path), text=text, encoding=encoding, fmt=fmt, meta=meta)


# Block tags of a page's source; a .txt file holding this many is the page's source saved as text (<br> alone,
# a line break some editors write into text, does not count). Looked for in the file's first MiB, where a
# page's source shows its markup.
_BLOCK_TAG = re.compile(rb"<(?:p|div|li|td|tr|h[1-6]|table|section|article)\b[^<>]{0,200}>", re.IGNORECASE)
MIN_BLOCK_TAGS = 3
_MARKUP_SNIFF = 1 << 20


def _markup(data: bytes) -> bool:
    """Whether a .txt file is a page's source (three or more block tags: <p>, <div>, <li>…), to be read as HTML
    rather than have its tags land in passages.

    >>> _markup("<p>石桥村推行积分制</p><p>全村参与</p><div>党员</div>".encode())
    True
    >>> _markup("石桥村<推行>积分制".encode())
    False
    >>> _markup("第一段<br>第二段<br>第三段<br>".encode())
    False
    """
    return len(_BLOCK_TAG.findall(data[:_MARKUP_SNIFF])) >= MIN_BLOCK_TAGS


def _decode_text(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode file bytes and name the codec: byte-order mark, strict UTF-8, `declared`, else the likeliest guess.

    >>> _decode_text("党建".encode("gbk"))
    ('党建', 'gb18030')
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec), codec
            except UnicodeDecodeError as error:
                raise Unreadable(f"cannot decode: invalid {codec} after its byte-order mark") from error
    if _looks_binary(data[:_SNIFF_BYTES]):
        raise Unreadable("binary file, not text")
    # Valid UTF-8 beats a declaration: converted pages often keep their old gb2312 meta tag.
    for codec in ("utf-8", declared):
        if codec:
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                pass
    return _guess_decode(data)


def _looks_binary(head: bytes) -> bool:
    if b"\x00" in head:
        return True
    control = sum(1 for byte in head if byte in _CONTROL_BYTES)
    return control > len(head) * 0.1


def _guess_decode(data: bytes) -> tuple[str, str]:
    # A handful of bad bytes (a truncated download, one damaged character) should not lose a report;
    # they become U+FFFD, which the clean stage flags as mojibake.
    tolerated = len(data) // 1000 + 1
    best: tuple[float, str, str] | None = None
    for codec in _CANDIDATES:
        text = data.decode(codec, errors="replace")
        if text.count("\ufffd") > tolerated:
            continue
        score = _plausibility(text[:_SCORE_CHARS])
        if best is None or score > best[0]:
            best = (score, text, codec)
    if best is None:
        raise Unreadable("cannot decode: not UTF-8, GB18030 or Big5 text")
    return best[1], best[2]


def _plausibility(text: str) -> float:
    """Share of characters a Chinese report plausibly contains; a wrong codec yields rare characters.

    Commonness comes from the codecs themselves: GB2312 level 1 (lead bytes B0–D7) and Big5's
    frequently used characters (lead bytes A4–C6) are each their standard's most frequent hanzi.
    """
    if not text:
        return 0.0
    good = 0
    for char in text:
        point = ord(char)
        if point < 0x80:
            good += char.isprintable() or char in "\t\n\r\f"
        elif 0x3000 <= point <= 0x303F or 0xFF01 <= point <= 0xFF5E or char in "“”‘’…—·":
            good += 1
        elif 0x4E00 <= point <= 0x9FFF:
            good += _is_common_hanzi(char)
    return good / len(text)


def _is_common_hanzi(char: str) -> bool:
    for codec, low, high in (("gb2312", 0xB0, 0xD7), ("big5", 0xA4, 0xC6)):
        try:
            if low <= char.encode(codec)[0] <= high:
                return True
        except UnicodeEncodeError:
            continue
    return False


def _read_html(data: bytes) -> tuple[str, str, str]:
    text, encoding = _decode_text(data, declared=_html_charset(data[:4096]))
    soup = BeautifulSoup(text, "lxml")
    for tag in soup.find_all(_HTML_DROP):
        tag.decompose()
    _drop_furniture(soup.body or soup)
    return _html_lines(soup.body or soup), encoding, _html_title(soup)


def _furniture(tag: Tag) -> bool:
    names = [*tag.get("class", ()), tag.get("id") or ""]
    return any(_HTML_FURNITURE.match(word) for name in names for word in re.split(r"[-_\s]+", str(name)) if word)


def _drop_furniture(root: Tag) -> None:
    """Remove the blocks named as page furniture (_HTML_FURNITURE) and the blocks that are lists of links
    (_link_list), when they hold less than half of the text."""
    total = len(root.get_text(strip=True))
    for tag in [*root.find_all(_furniture), *root.find_all(_LINK_LIST_TAGS)]:
        if tag.decomposed or tag is root:
            continue
        size = len(tag.get_text(strip=True))
        if size < _FURNITURE_MAX_SHARE * total and (_furniture(tag) or _link_list(tag, size)):
            tag.decompose()


def _link_list(tag: Tag, size: int) -> bool:
    """A block of at least _LINK_LIST_MIN_LINKS links whose text is mostly theirs."""
    links = tag.find_all("a")
    if len(links) < _LINK_LIST_MIN_LINKS or not size:
        return False
    return sum(len(a.get_text(strip=True)) for a in links) >= _LINK_LIST_SHARE * size


def _html_title(soup: BeautifulSoup) -> str:
    """The page's first <h1> when the <title> holds it (the title then adds the site's name), else the
    <title> without the site part after its first separator (when what is left is still a title), else
    the <h1>."""
    def text_of(tag) -> str:
        return _HTML_SPACE.sub(" ", tag.get_text()).strip() if tag is not None else ""

    title, h1 = text_of(soup.title), text_of(soup.find("h1"))
    if h1 and h1 in title:
        return h1
    return without_site(title) if title else h1


def without_site(title: str, separator: re.Pattern = _TITLE_SEPARATOR) -> str:
    """A page title without its site part after its first separator, when what is left is still a title.

    >>> without_site("某村：把支部建在渔船上_工作动态_某县人民政府"), without_site("某县激活“老兵力量” - 某党建网")
    ('某村：把支部建在渔船上', '某县激活“老兵力量”')
    >>> without_site("2023-2024 学年党建工作总结"), without_site("党建 | 某网")
    ('2023-2024 学年党建工作总结', '党建 | 某网')
    """
    head = separator.split(title, maxsplit=1)[0].strip()
    return head if len(head) >= _MIN_TITLE else title


# A sidecar copies the page's <title> as often as not, but its dashes more often set a subtitle apart
# (窑洞里的“红色讲堂”——某区推动党员教育的探索) than a site: only _, | and " - " cut it.
# A first part shorter than this may be a column's name before the title.
_MIN_COLUMN_TITLE = 8
_SIDECAR_SEPARATOR = re.compile(r"\s*(?:_|\||｜|\s-\s)\s*")
# … and a dash before a site's name (…纪实-某某大学新闻网) ends it too.
_SITE_TAIL = re.compile(r"\s*[-–]\s*[^-—–\s]{2,20}(?:网|网站|门户|官网|政府|频道|新闻中心)$")  # one hyphen, not ——


def _html_charset(head: bytes) -> str | None:
    match = _HTML_CHARSET.search(head)
    if match is None:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii")).name
    except LookupError:
        return None
    # Without a byte-order mark (checked first) a page declaring UTF-16 or UTF-32 is mislabelled.
    if name.startswith(("utf-16", "utf-32")):
        return None
    return _CHARSET_ALIASES.get(name, name)


def _html_lines(root: Tag) -> str:
    """Visible text with one line per block element; spaces inside a line collapse as a browser would."""
    breaks = set()
    for tag in root.find_all(True):
        if tag.name == "br" or tag.name in _HTML_BLOCKS:
            marker = NavigableString("\n")
            tag.insert_before(marker)
            breaks.add(id(marker))
        if tag.name in _HTML_BLOCKS:
            marker = NavigableString("\n")
            tag.insert_after(marker)
            breaks.add(id(marker))
    pieces = []
    for node in root.descendants:
        if id(node) in breaks:
            pieces.append("\n")
        elif isinstance(node, NavigableString) and not isinstance(node, PreformattedString):
            pieces.append(_HTML_SPACE.sub(" ", node))
    lines = (line.strip(" ") for line in "".join(pieces).split("\n"))
    return "\n".join(line for line in lines if line.strip())


def _read_sidecar(path: Path) -> dict:
    """Metadata from `NAME.ext.meta.json` or else `NAME.meta.json`: the known string keys, or `meta_error`."""
    for sidecar in (path.with_name(path.name + ".meta.json"), path.with_name(path.stem + ".meta.json")):
        if not sidecar.is_file():
            continue
        try:
            loaded = json.loads(_decode_text(sidecar.read_bytes())[0])
        except (Unreadable, OSError, ValueError) as error:
            return {"meta_error": one_line(f"ignored {sidecar.name}: {error}")}
        if not isinstance(loaded, dict):
            return {"meta_error": f"ignored {sidecar.name}: expected a JSON object, got {type(loaded).__name__}"}
        meta = {key: loaded[key] for key in META_KEYS if isinstance(loaded.get(key), str) and loaded[key].strip()}
        if "title" in meta:
            meta["title"] = _sidecar_title(meta["title"].strip())
        return meta
    return {}


def _sidecar_title(title: str) -> str:
    """A sidecar's title without the site's or column's parts around it: the first part, or the longest when
    the first is only a column's name (组织工作动态｜某村把支部建在渔船上).

    >>> _sidecar_title("组织工作动态｜某村把支部建在渔船上"), _sidecar_title("某村把支部建在渔船上_工作动态_某县政府")
    ('某村把支部建在渔船上', '某村把支部建在渔船上')
    """
    trimmed = _SITE_TAIL.sub("", title)
    base = trimmed if len(trimmed) >= _MIN_TITLE else title
    parts = [p.strip() for p in _SIDECAR_SEPARATOR.split(base)]
    longest = max(parts, key=len)
    if len(parts[0]) < _MIN_COLUMN_TITLE and len(longest) > len(parts[0]):
        return longest
    return without_site(base, _SIDECAR_SEPARATOR)


def _os_reason(error: OSError) -> str:
    return (error.strerror or str(error)).lower()


