"""Synthetic corpus, ONLY for benchmarks: demo-corpus paragraphs recombined with perturbed numbers and places.

Every file starts with MARK (its first line is MARK + title: a line of its own would make the split
stage take the title for a one-line report) and has a sidecar naming it synthetic; nothing here is real
reporting and none of it may be used as data. Sizes are multiples of the demo corpus's passage count.

How a synthetic report is made from a real one (a template: the cleaned text of one demo report):
- headings stay in their order; the body paragraphs under each heading are shuffled;
- each paragraph (and the body run on after an inline heading, "1、标题。正文…") keeps its first sentence
  and swaps each later one, with probability RECOMBINE and at least once, for a sentence from a
  paragraph of the same section role elsewhere in the corpus; a one-sentence paragraph gains such a
  sentence instead. Shuffling alone would not do: the store keeps exact and near-duplicate passages
  once (SimHash, distance ≤ 3), so 100 shuffled copies would collapse to little more than 1×;
- Arabic numbers change by up to ±30 % (units, years, dates and list numbers stay);
- place names from PLACES are swapped, consistently within a report, for others of the same kind.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

from ingest.clean import clean, load_clean_rules
from ingest.headings import RoleCues, classify_line, load_role_cues
from ingest.read import read_files
from ingest.split import SplitConfig, split_documents
from ingest.types import Document, FileError

REPO_ROOT = Path(__file__).resolve().parents[2]
CORPUS_DIR = REPO_ROOT / "data" / "corpus"
LEXICON_DIR = REPO_ROOT / "data" / "lexicon"
MARK = "【合成语料，仅用于基准测试】"
SOURCE_NOTE = "合成语料（基准测试）：由演示语料段落重组，数字与地名已扰动，不是真实报告"
RECOMBINE = 0.5
MAX_CHANGE = 0.3

# Real provinces, prefecture- and county-level divisions and districts, grouped by kind so a county
# becomes a county; every place the demo corpus names (上海市, 桃源县, 颍上县, 政和县, 襄阳市, …) is here.
PLACES: dict[str, tuple[str, ...]] = {
    "县": (
        "桃源县 颍上县 正定县 安吉县 德清县 长兴县 浦江县 武义县 磐安县 龙游县 开化县 遂昌县 松阳县 庆元县 "
        "云和县 政和县 平江县 湘阴县 汉寿县 安化县 桃江县 石门县 慈利县 桑植县 泸溪县 兰考县 固始县 息县 淮滨县 "
        "商城县 光山县 新县 罗山县 潢川县 阜南县 临泉县 太和县 霍邱县 舒城县 金寨县 岳西县 宿松县 望江县 "
        "怀宁县 沛县 丰县 睢宁县 沭阳县 泗阳县 泗洪县 涟水县 盱眙县 金湖县 费县 沂水县 沂南县 蒙阴县 平邑县 "
        "莒县 五莲县 阳谷县 莘县 冠县 东阿县 高唐县 阜平县 涞源县 易县 曲阳县 顺平县 唐县 望都县 蠡县 "
        "博野县 平山县 赞皇县 灵寿县 行唐县 井陉县 元氏县"
    ).split(),
    "市": (
        "上海市 杭州市 湖州市 嘉兴市 绍兴市 金华市 衢州市 丽水市 温州市 台州市 常德市 岳阳市 益阳市 株洲市 "
        "湘潭市 衡阳市 邵阳市 阜阳市 六安市 安庆市 蚌埠市 淮南市 宿州市 徐州市 宿迁市 淮安市 连云港市 "
        "临沂市 日照市 聊城市 保定市 石家庄市 邢台市 邯郸市 信阳市 驻马店市 周口市 南阳市 义乌市 诸暨市 "
        "余姚市 慈溪市 瑞安市 乐清市 昆山市 江阴市 张家港市 常熟市 浏阳市 醴陵市 韶山市 襄阳市 枣阳市"
    ).split(),
    "省": (
        "湖北省 湖南省 云南省 安徽省 浙江省 江苏省 山东省 河北省 河南省 江西省 四川省 广东省 福建省 贵州省 "
        "山西省 陕西省 甘肃省 吉林省 辽宁省 海南省 青海省"
    ).split(),
    "区": (
        "浦东新区 徐汇区 长宁区 静安区 普陀区 虹口区 杨浦区 闵行区 宝山区 嘉定区 金山区 松江区 青浦区 "
        "奉贤区 崇明区 西湖区 拱墅区 上城区 滨江区 萧山区 余杭区 武陵区 鼎城区 颍州区 颍东区 颍泉区 "
        "玄武区 秦淮区 建邺区 栖霞区 江宁区 浦口区"
    ).split(),
}
_KIND_OF = {name: kind for kind, names in PLACES.items() for name in names}
_PLACE = re.compile("|".join(sorted(map(re.escape, _KIND_OF), key=len, reverse=True)))
_SENTENCE = re.compile(r"[^。!?;！？；]*[。!?;！？；]+[”\"’)]*|[^。!?;！？；]+$")
# A number not inside a longer one; years (1949年), dates (6月18日) and list numbers (1、 2.) are kept.
_NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.]?\d)")
_KEEP_AFTER = re.compile(r"^(?:\s*[月日号时点、]|\.(?!\d))")


@dataclass(frozen=True)
class Block:
    """A heading (None before the first one), the body run on after it in its line, and the paragraphs under it."""

    heading: str | None
    lead: str
    role: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Template:
    """One cleaned demo report as generation material."""

    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Material:
    """Templates plus sentence pools by section role, and the demo corpus's size for scaling."""

    templates: tuple[Template, ...]
    pools: dict[str, tuple[str, ...]]
    passages: int
    passage_chars: int


@dataclass(frozen=True)
class SynthCorpus:
    """What generate() wrote: files, reports, characters and the passage count it aimed at."""

    folder: Path
    files: tuple[Path, ...]
    reports: int
    chars: int
    target_passages: int


def perturb_number(token: str, rng: random.Random) -> str:
    """Scale a number by a factor in [0.7, 1.3], keeping its decimals; integers ≥ 4 always change.

    >>> perturb_number("0", random.Random(1))
    '0'
    >>> 70 <= float(perturb_number("100", random.Random(1))) <= 130
    True
    """
    value = float(token)
    decimals = len(token.split(".")[1]) if "." in token else 0
    scaled = value * rng.uniform(1 - MAX_CHANGE, 1 + MAX_CHANGE)
    if decimals:
        return f"{scaled:.{decimals}f}"
    number = round(scaled)
    if number == value and value >= 4:
        number += rng.choice((-1, 1))
    return str(number)


def perturb_numbers(text: str, rng: random.Random) -> str:
    """Perturb every Arabic number that is not a year, a date, a list number or part of a code.

    >>> perturb_numbers("2015年6月18日,第1、共建", random.Random(0))
    '2015年6月18日,第1、共建'
    """
    out, pos = [], 0
    for match in _NUMBER.finditer(text):
        token, after = match.group(), text[match.end() : match.end() + 2]
        is_year = len(token) == 4 and token[:2] in ("19", "20") and after[:1] in ("年", "")
        if is_year or _KEEP_AFTER.match(after):
            continue
        new = perturb_number(token, rng)
        if after[:1] == "%" and float(new) > 100:
            new = token
        out.append(text[pos : match.start()] + new)
        pos = match.end()
    out.append(text[pos:])
    return "".join(out)


def swap_places(text: str, mapping: dict[str, str]) -> str:
    """Replace place names (and their short forms, 上海 for 上海市) as `mapping` says.

    >>> swap_places("上海市和上海的经验", {"上海市": "杭州市"})
    '杭州市和杭州的经验'
    """
    if not mapping:
        return text
    pairs = dict(mapping)
    for old, new in mapping.items():
        kind = _KIND_OF.get(old, old[-1])
        stem_old, stem_new = old.removesuffix(kind), new.removesuffix(_KIND_OF.get(new, new[-1]))
        if len(stem_old) >= 2 and len(stem_new) >= 2:
            pairs.setdefault(stem_old, stem_new)
    pattern = re.compile("|".join(sorted(map(re.escape, pairs), key=len, reverse=True)))
    return pattern.sub(lambda m: pairs[m.group()], text)


def place_mapping(texts: list[str], rng: random.Random) -> dict[str, str]:
    """A new place, of the same kind, for each listed place the texts name."""
    found = dict.fromkeys(m.group() for text in texts for m in _PLACE.finditer(text))
    mapping = {}
    for name in found:
        others = [p for p in PLACES[_KIND_OF[name]] if p != name]
        mapping[name] = rng.choice(others)
    return mapping


def sentences(paragraph: str) -> list[str]:
    """Sentences of a normalised paragraph, punctuation kept.

    >>> sentences("一是抓班子。二是强队伍;三是促发展")
    ['一是抓班子。', '二是强队伍;', '三是促发展']
    """
    return [m.group() for m in _SENTENCE.finditer(paragraph) if m.group().strip()]


def _heading_parts(text: str, head_end: int) -> tuple[str, str]:
    """Split a heading line into the heading (with its closing punctuation) and the body run on after it."""
    cut = head_end
    while cut < len(text) and text[cut] in "。:;!?,":
        cut += 1
    return text[:cut], text[cut:]


def _template(doc: Document, cues: RoleCues) -> Template:
    lines = [line for line in doc.text.split("\n") if line.strip()]
    if lines and lines[0].strip().strip("《》") == doc.title:
        lines = lines[1:]
    blocks: list[Block] = []
    stack: list[tuple[int, str]] = []
    heading: str | None = None
    lead = ""
    body: list[str] = []

    def flush() -> None:
        path = [h for _, h in stack]
        role = next((r for h in path if (r := cues.role_of(h))), "background" if not stack else "other")
        if heading is not None or body:
            blocks.append(Block(heading, lead, role, tuple(body)))

    for i, text in enumerate(lines):
        line = classify_line(0, text, lines[i + 1] if i + 1 < len(lines) else "")
        if not line.level:
            body.append(text)
            continue
        flush()
        while stack and stack[-1][0] >= line.level:
            stack.pop()
        stack.append((line.level, text[: line.head_end]))
        (heading, lead), body = _heading_parts(text, line.head_end), []
    flush()
    return Template(doc.title, tuple(blocks))


def load_material(corpus_dir: Path = CORPUS_DIR, lexicon_dir: Path = LEXICON_DIR) -> Material:
    """Clean and split the demo corpus with the ingest stages; collect templates and sentence pools."""
    rules = load_clean_rules(lexicon_dir)
    config = SplitConfig(cues=load_role_cues(lexicon_dir))
    templates: list[Template] = []
    passages = passage_chars = 0
    for raw in read_files([corpus_dir]):
        if isinstance(raw, FileError):
            continue
        for doc in split_documents(clean(raw.text, rules), raw.path, raw.meta, config):
            templates.append(_template(doc, config.cues))
            passages += len(doc.passages)
            passage_chars += sum(len(p.text) for p in doc.passages)
    if not templates:
        raise ValueError(f"no reports found in {corpus_dir}; pass the demo corpus folder (data/corpus)")
    pools: dict[str, list[str]] = {}
    for template in templates:
        for block in template.blocks:
            pool = pools.setdefault(block.role, [])
            pool.extend(s for p in (block.lead, *block.paragraphs) for s in sentences(p))
    return Material(tuple(templates), {r: tuple(s) for r, s in pools.items()}, passages, passage_chars)


def _paragraph(paragraph: str, pool: tuple[str, ...], rng: random.Random) -> str:
    """Keep the first sentence; swap later ones for pool sentences (at least one), or add one to a lone sentence."""
    parts = sentences(paragraph) or [paragraph]
    if not pool:
        return paragraph
    if len(parts) == 1:
        return parts[0] + rng.choice(pool)
    swap = [rng.random() < RECOMBINE for _ in parts[1:]]
    if not any(swap):
        swap[rng.randrange(len(swap))] = True
    return parts[0] + "".join(rng.choice(pool) if s else p for s, p in zip(swap, parts[1:], strict=True))


def synthesize(template: Template, material: Material, rng: random.Random) -> tuple[str, str]:
    """One synthetic report from a template: (title, text without the marker line)."""
    lines: list[str] = []
    for block in template.blocks:
        pool = material.pools.get(block.role, ())
        if block.heading is not None:
            lead = perturb_numbers(_paragraph(block.lead, pool, rng), rng) if block.lead else ""
            lines.append(block.heading + lead)
        paragraphs = list(block.paragraphs)
        rng.shuffle(paragraphs)
        lines.extend(perturb_numbers(_paragraph(p, pool, rng), rng) for p in paragraphs)
    mapping = place_mapping([template.title, *lines], rng)
    return swap_places(template.title, mapping), swap_places("\n".join(lines), mapping)


def generate(out_dir: Path, multiple: float, *, seed: int = 0, material: Material | None = None) -> SynthCorpus:
    """Write synthetic reports into `out_dir` until they hold about `multiple` × the demo passages.

    Report i depends only on (seed, i), so a larger corpus starts with the files of a smaller one.
    """
    if multiple <= 0:
        raise ValueError(f"multiple must be positive (1 = the demo corpus's size), got {multiple}")
    material = material or load_material()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = round(multiple * material.passages)
    chars_per_passage = material.passage_chars / material.passages
    files: list[Path] = []
    written, estimate = 0, 0.0
    while estimate < target:
        i = len(files)
        rng = random.Random(f"djkg-synth:{seed}:{i}")
        title, body = synthesize(material.templates[i % len(material.templates)], material, rng)
        text = f"{MARK}{title}\n{body}\n"
        path = out_dir / f"synth_{i:05d}.txt"
        path.write_text(text, encoding="utf-8")
        meta = {"title": title, "source": SOURCE_NOTE}
        path.with_suffix(".meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        files.append(path)
        written += len(text)
        estimate += len(body) / chars_per_passage
    return SynthCorpus(out_dir, tuple(files), len(files), int(written), target)
