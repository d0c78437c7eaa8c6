"""Citations: 《title》，section，第N段 and a GB/T 7714-2015 reference when metadata allows."""

from __future__ import annotations

import datetime as dt


def short_citation(title: str, section: str, paragraph: int) -> str:
    """The in-text citation a writer pastes after a quote.

    >>> short_citation("上海市基层党建工作调研报告", "一、主要做法", 3)
    '《上海市基层党建工作调研报告》，一、主要做法，第3段'
    """
    parts = [f"《{title}》"]
    if section:
        parts.append(section)
    parts.append(f"第{paragraph}段")
    return "，".join(parts)


def gbt7714(title: str, meta: dict, accessed: dt.date | None = None) -> str:
    """A GB/T 7714-2015 reference for an online document, or "" without author, date, source or URL.

    >>> gbt7714("关于加强村级组织建设的调研报告", {"author": "李明", "source": "青川县人民政府网",
    ...         "date": "2023-05-08", "url": "http://example.org/a.html"}, dt.date(2026, 11, 23))
    '李明. 关于加强村级组织建设的调研报告[EB/OL]. 青川县人民政府网, 2023-05-08[2026-11-23]. http://example.org/a.html.'
    """
    author, source = meta.get("author", "").strip(), meta.get("source", "").strip()
    date, url = meta.get("date", "").strip(), meta.get("url", "").strip()
    if not (author or source or date or url):
        return ""
    accessed = accessed or dt.date.today()
    head = f"{author}. " if author else ""
    published = ", ".join(p for p in (source, date) if p)
    ref = f"{head}{title}[EB/OL]. "
    if published:
        ref += f"{published}"
    ref += f"[{accessed.isoformat()}]."
    if url:
        ref += f" {url}."
    return ref
