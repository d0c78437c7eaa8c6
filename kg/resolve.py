"""Entity resolution: one entity per thing named, whatever its script, quotes, punctuation or suffix."""

from __future__ import annotations

import re
import unicodedata

# Suffixes that name the kind of thing rather than the thing: "两级联动体系" is "两级联动".
_KIND_SUFFIXES = ("体系", "机制", "制度", "活动", "模式", "工作")
# Joining words a writer may add or drop inside a slogan: "两学和一做" is "两学一做".
_CONNECTIVES = re.compile(r"[和与及同、·•]")
_NUMERALS = re.compile(r"[0-9零〇一二两三四五六七八九十百千万]")
_UNSAFE = re.compile(r"[/?#%\\\s]")
_MIN_BASE = 3
_SHORT = 3


def name_key(name: str) -> str:
    """Matching key of a name: NFKC, no quotes, punctuation, spaces or joining words.

    >>> name_key("“两学和一做”") == name_key("两学一做")
    True
    >>> name_key("两级联动") == name_key("两级联创")
    False
    """
    text = unicodedata.normalize("NFKC", name)
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] not in "PZSC")
    return _CONNECTIVES.sub("", text).lower()


def base_key(name: str) -> str:
    """Key without a kind suffix, kept only when enough of the name is left.

    >>> base_key("两级联动体系") == base_key("两级联动")
    True
    >>> base_key("工作机制")
    '工作机制'
    """
    key = name_key(name)
    for suffix in _KIND_SUFFIXES:
        if key.endswith(suffix) and len(key) - len(suffix) >= _MIN_BASE:
            return key[: -len(suffix)]
    return key


def numerals(name: str) -> str:
    """The numbers a name carries; two names with different numbers are never one entity.

    >>> numerals("五个一"), numerals("六个一"), numerals("“7+X”模式")
    ('五一', '六一', '7')
    """
    return "".join(_NUMERALS.findall(name))


def is_ambiguous(name: str) -> bool:
    """A short name without numbers may mean different things in different places (“一张网”)."""
    key = name_key(name)
    return len(key) <= _SHORT and not numerals(key)


def entity_id(entity_type: str, name: str, scope: str = "") -> str:
    """Readable, stable id: `type:name`, or `type:name@scope` for an ambiguous short name; URL-safe once
    quoted (characters that would break a URL path are replaced).

    >>> entity_id("practice", "两学一做")
    'practice:两学一做'
    >>> entity_id("practice", "一张网", "上海市")
    'practice:一张网@上海市'
    """
    ident = f"{entity_type}:{name}" + (f"@{scope}" if scope else "")
    return _UNSAFE.sub("_", ident)


def resolution_key(entity_type: str, name: str, scope: str = "") -> str:
    """The key under which mentions of the same thing meet, across documents."""
    key = base_key(name) if entity_type in ("practice", "measure") else name_key(name)
    return f"{entity_type}|{key}|{scope}"
