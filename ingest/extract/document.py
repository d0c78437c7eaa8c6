"""Extract stage over a whole document: every passage's mentions within a time budget (pure; no store, no
model), so that worker processes can run it next to reading and splitting (`djkg ingest --workers N`)."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, replace

from ..headings import names_report_kind
from ..types import Document, Mention
from .lexicon import Lexicon
from .localities import recurring_localities
from .pipeline import extract_mentions
from .places import LOCAL_LEVELS, UNLISTED, known_forms

log = logging.getLogger(__name__)

# Extraction time allowed per document: a base plus a share per passage, about ten times what report text
# costs (4–9 ms a passage on this machine). Past it the rest of the document is stored and searchable but not
# extracted, and the report says so: a page of unforeseen text never holds the writer for long.
EXTRACTION_BASE_S = 10.0
EXTRACTION_PER_PASSAGE_S = 0.05
# What a report's title names, often nowhere else in it: its practice or what it did (打造“红色驿站”服务品牌…)
# and its place (…县人民医院完成党支部换届). Problems and figures are left to the text, where their context is.
TITLE_TYPES = ("practice", "measure", "place")


@dataclass(frozen=True)
class PassageMentions:
    """The mentions found in passage `index` of a document, whose section has `role`."""

    index: int
    role: str
    mentions: tuple[Mention, ...]


@dataclass(frozen=True)
class DocumentMentions:
    """What extraction found in one document, passage by passage, and how many passages it left unread
    when the document's time budget ran out."""

    doc_id: str
    passages: tuple[PassageMentions, ...]
    unextracted: int = 0


def extraction_budget(passages: int) -> float:
    """Seconds of extraction allowed for a document of this many passages.

    >>> extraction_budget(0), extraction_budget(200)
    (10.0, 20.0)
    """
    return EXTRACTION_BASE_S + EXTRACTION_PER_PASSAGE_S * passages


def extract_document(doc: Document, lexicon: Lexicon | None, budget_s: float | None = None) -> DocumentMentions:
    """The mentions of each passage of `doc`, in order; passages past `budget_s` (default:
    extraction_budget) get none and are counted, and a passage whose extraction fails gets none, as does
    every passage when there is no lexicon (one the extractors could not read)."""
    if lexicon is None:
        log.error("extraction failed in document %s: no lexicon to extract with", doc.doc_id)
        return DocumentMentions(doc.doc_id, tuple(PassageMentions(i, role, ()) for i, role in
                                                  enumerate(s.role for s in doc.sections for _ in s.passages)))
    budget_s = extraction_budget(len(doc.passages)) if budget_s is None else budget_s
    deadline = time.monotonic() + budget_s
    out = []
    skipped = 0
    for section in doc.sections:
        for passage in section.passages:
            index = len(out)
            if time.monotonic() > deadline:
                out.append(PassageMentions(index, section.role, ()))
                skipped += 1
                continue
            try:
                mentions = tuple(extract_mentions(passage.text, section.role, lexicon))
            except Exception:  # extraction must never block ingestion of the document
                log.exception("extraction failed in document %s, passage %d", doc.doc_id, index)
                mentions = ()
            out.append(PassageMentions(index, section.role, mentions))
    if out and not skipped:
        out = _known_again(doc, out, lexicon, deadline)
        out[0] = _with_title(doc, out, lexicon)
    if skipped:
        log.warning("document %s: extraction budget of %.0f s spent, %d passages not extracted",
                    doc.doc_id, budget_s, skipped)
    return DocumentMentions(doc.doc_id, tuple(out), skipped)


def _known_again(doc: Document, found: list[PassageMentions], lexicon: Lexicon,
                 deadline: float) -> list[PassageMentions]:
    """The passages that write a place below the county another passage found (石板乡 of 青杠镇、石板乡) without
    naming it themselves, extracted again knowing the document's places (places.extract_places' `known`): the
    text that vouched for a name once vouches for it throughout the document, and so does the text's own
    repetition of a name jieba cut apart (localities.recurring_localities: 同|心苑|社区 written again and again)."""
    texts = [passage.text for section in doc.sections for passage in section.passages]
    known = recurring_localities(texts, lexicon)
    known.update({m.name: m.attributes["level"] for p in found for m in p.mentions
                  if m.type == "place" and (m.attributes.get("level") in LOCAL_LEVELS or m.attributes.get(UNLISTED))})
    if not known:
        return found
    out = list(found)
    for i, passage in enumerate(found):
        named = {m.name for m in passage.mentions if m.type == "place"}
        if not any(form in texts[i] and name not in named for name in known for form in known_forms(name, lexicon)):
            continue
        if time.monotonic() > deadline:
            break
        try:
            out[i] = replace(passage, mentions=tuple(extract_mentions(texts[i], passage.role, lexicon, known)))
        except Exception:  # extraction must never block ingestion of the document
            log.exception("extraction failed in document %s, passage %d", doc.doc_id, i)
    return out


def _head_lines(doc: Document) -> list[str]:
    """The lines above the report's first passage that are no passage and not its title (its subtitle, a
    speaker's post and place: ——某区某镇某村党支部书记 王五)."""
    opening = doc.passages[0].text.strip()[:12]
    at = doc.text.find(opening) if opening else -1
    lines = [line.strip() for line in (doc.text[:at] if at > 0 else "").splitlines()]
    return [line for line in dict.fromkeys(lines) if line and line != doc.title.strip()]


def _with_title(doc: Document, found: list[PassageMentions], lexicon: Lexicon) -> PassageMentions:
    """The first passage's mentions, and those of TITLE_TYPES that the title names, and the places the lines above
    the first passage name (`_head_lines`), that no passage does. They are
    placed at the first passage's end, an empty span there (the title is no passage): the report is their
    evidence, and its opening is where a reader meets them; they do not count as named in its lead."""
    first = found[0]
    if doc.title_from_text or not doc.title.strip() or not doc.passages:
        return first  # a title made of the first clause names what the first passage names
    try:
        titled = extract_mentions(doc.title, "other", lexicon)
        # the places the lines above the first passage name (a speech's ——某区某镇某村党支部书记 王五)
        titled += [m for line in _head_lines(doc) for m in extract_mentions(line, "other", lexicon)
                   if m.type == "place"]
    except Exception:  # extraction must never block ingestion of the document
        log.exception("extraction failed in the title of document %s", doc.doc_id)
        return first
    named = {(m.type, m.name) for p in found for m in p.mentions}
    at = len(doc.passages[0].text)
    extra = []
    for m in titled:
        if m.type == "measure" and names_report_kind(m.name):
            continue  # 在…推进会上的讲话: what the text is, not what was done
        if m.type in TITLE_TYPES and (m.type, m.name) not in named:
            named.add((m.type, m.name))
            extra.append(replace(m, start=at, end=at))
    return replace(first, mentions=first.mentions + tuple(extra)) if extra else first
