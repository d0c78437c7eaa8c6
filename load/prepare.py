"""Preparing: split and extracted files → records ready to write (passages with keys, fingerprints and
vectors; mentions with their resolution keys), given only an encoder and the lexicon: no store, no index."""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Container, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from ingest.clean import as_published
from ingest.extract import Lexicon, main_place
from ingest.extract.document import extract_document
from ingest.fingerprint import simhash
from ingest.pipeline import SplitFile
from ingest.types import Document, Mention, Passage, RawFile
from kg.records import NewDocument, NewSection
from kg.resolve import entity_id, is_ambiguous, resolution_key
from kg.vectors import to_blob
from search.encode import Encoder


@lru_cache(maxsize=8192)  # ingest asks for each passage's key several times (fingerprints, embedding, writing)
def passage_key(text: str) -> str:
    """Id of a passage's content: the same words in two files give the same id (stored once)."""
    bare = "".join(ch for ch in text if unicodedata.category(ch)[0] not in "PZSC")
    return hashlib.sha256(bare.encode("utf-8")).hexdigest()[:16]


@lru_cache(maxsize=8192)  # asked for once before preparing (near-duplicates in the store) and once inside
def fingerprint(text: str) -> int | None:
    """A passage's SimHash (ingest/fingerprint.py), or None when it is too short to compare."""
    return simhash(text)


def index_text(doc: Document, passage: Passage) -> str:
    """What the keyword index sees of a passage: its text, and for a report's first passage its title line
    before it (a headline sums up the lead under it). The vector index embeds the text alone.

    Measured on devweb + seeds (k = 10): the title before the first passage in the keyword index only, search
    0.890 / 0.559 → 0.890 / 0.558 (cross-validated by page 0.740 / 0.498 → 0.744 / 0.502) and experience
    0.595 / 1.18 → 0.613 / 1.21; in both indexes 0.883 / 0.559 and 0.613; in what is embedded only, experience
    unchanged. Dev unchanged in all three. The title and heading path before every passage measured worse.
    A title made of the first clause is in that passage already."""
    first = doc.sections[0].passages[0] if doc.sections and doc.sections[0].passages else None
    if passage is first and not doc.title_from_text and doc.title.strip():
        return f"{doc.title}\n{passage.text}"
    return passage.text


def passage_identity(doc: Document, passage: Passage, text: str | None = None) -> tuple[str, int | None]:
    """The id a passage is stored under and its SimHash for near-duplicate matching (None: never matched).

    The same words in two files are stored once, under one id. A passage indexed with its report's title
    (`index_text`) is one with that title: the same lead under another title is another passage, each with its
    own title's terms, and it is never merged with a near-duplicate, whose terms would hold another title.
    Removing a report then removes its title's terms with it. `text`, when the caller has it, is
    index_text(doc, passage)."""
    text = index_text(doc, passage) if text is None else text
    if text == passage.text:
        return passage_key(text), fingerprint(text)
    return passage_key(text), None


@dataclass(frozen=True)
class KeyedMention:
    """An extracted mention with the key that resolves it to an entity and the id it gets when no stored
    entity has that key."""

    mention: Mention
    key: str
    default_id: str


@dataclass(frozen=True)
class PreparedPassage:
    """One passage of a document: its content key, SimHash, where it lies, its role and mentions, and its
    vector (float32 bytes), which is None when the caller said the store holds it (`reuse`)."""

    key: str
    text: str
    index_text: str
    simhash: int | None
    section_index: int
    ordinal: int
    start: int
    end: int
    role: str
    mentions: tuple[KeyedMention, ...]
    vector: bytes | None


@dataclass(frozen=True)
class PreparedDocument:
    """A document ready to be written: its record (with the place it is about), sections and passages."""

    record: NewDocument
    sections: tuple[NewSection, ...]
    passages: tuple[PreparedPassage, ...]
    unextracted: int  # passages left without extraction when the document's time budget ran out


@dataclass(frozen=True)
class PreparedFile:
    """A file's documents ready to be written; `skipped` counts the documents the caller said are stored."""

    path: str
    raw: RawFile
    documents: tuple[PreparedDocument, ...]
    skipped: int = 0


def source_id(raw: RawFile) -> str:
    """Id of a file's text, stored once for all the documents it holds."""
    return hashlib.sha256(raw.text.encode("utf-8")).hexdigest()[:16]


def keyed(mention: Mention, place: str) -> KeyedMention:
    """A mention with its resolution key; an ambiguous practice name (“一线工作法”) is scoped to `place`."""
    scope = place if mention.type == "practice" and is_ambiguous(mention.name) else ""
    return KeyedMention(mention, resolution_key(mention.type, mention.name, scope),
                        entity_id(mention.type, mention.name, scope))


def published_surfaces(text: str, quote: str, mentions: Sequence[Mention]) -> list[Mention]:
    """Mentions with the surface the page wrote: where cleaning put other characters of the same number for the
    page's (a converter's 效劳 mapped back to 服务, `ingest.clean.as_published`), the page's form is the surface,
    so that the entity is found under it too (its alias), as a hit shows the page's words.

    >>> m = Mention("practice", "游客服务驿站", "游客服务驿站", 2, 8)
    >>> [x.surface for x in published_surfaces("设立游客服务驿站", "設立遊客效勞驛站", [m])]
    ['游客效劳驿站']
    """
    if not mentions:
        return list(mentions)
    shown = as_published(text, quote)
    if shown == text or len(shown) != len(text):  # nothing written otherwise, or glosses put back (lengths differ)
        return list(mentions)
    return [replace(m, surface=shown[m.start : m.end]) if text[m.start : m.end] == m.surface else m
            for m in mentions]


def _document(doc: Document, raw: RawFile, source: str, lexicon: Lexicon | None, split: SplitFile,
              index: int) -> tuple[PreparedDocument, dict[str, str]]:
    """A document's records without vectors, and the text to embed for each of its passage keys."""
    found = split.mentions_of(index) or extract_document(doc, lexicon)
    place = main_place(m for p in found.passages for m in p.mentions) or ""
    texts: dict[str, str] = {}
    passages = []
    for section_index, section in enumerate(doc.sections):
        for p in section.passages:
            ordinal = len(passages)
            text = index_text(doc, p)
            key, simhash = passage_identity(doc, p, text)
            texts.setdefault(key, p.text)
            named = published_surfaces(p.text, raw.text[p.start : p.end], found.passages[ordinal].mentions)
            mentions = tuple(keyed(m, place) for m in named)
            passages.append(PreparedPassage(key, p.text, text, simhash, section_index, ordinal,
                                            p.start, p.end, section.role, mentions, None))
    record = NewDocument(doc.doc_id, source, doc.title, raw.path, raw.text, doc.start, doc.end, place,
                         dict(raw.meta))
    sections = tuple(NewSection(s.path, s.role) for s in doc.sections)
    return PreparedDocument(record, sections, tuple(passages), found.unextracted), texts


def prepare_files(files: Sequence[SplitFile], encoder: Encoder, lexicon: Lexicon | None, stored: Container[str] = (),
                  reuse: Container[str] = ()) -> list[PreparedFile]:
    """Prepare split files, embedding their passages in one call of the encoder (it runs far faster on
    large, length-sorted batches). Pure: it reads no store.

    Documents whose ids are in `stored` are left out (counted in `skipped`); passages whose keys are in
    `reuse` (stored, or near-duplicates of stored ones) are not embedded: the writer takes their vectors
    from the store. A document that extraction did not run on (a file only split) is extracted here (with
    no lexicon, it gets no mentions).
    """
    out: list[tuple[SplitFile, list[PreparedDocument]]] = []
    texts: dict[str, str] = {}
    for split in files:
        if split.raw is None or split.error:
            raise ValueError(f"{split.path} has no documents to prepare: {split.error or 'not read'}")
        source = source_id(split.raw)
        docs = []
        for index, doc in enumerate(split.documents):
            if doc.doc_id in stored:
                continue
            prepared, doc_texts = _document(doc, split.raw, source, lexicon, split, index)
            docs.append(prepared)
            for key, text in doc_texts.items():
                texts.setdefault(key, text)
        out.append((split, docs))
    todo = [(key, text) for key, text in texts.items() if key not in reuse]
    matrix = encoder.encode([text for _, text in todo]) if todo else []
    vectors = {key: to_blob(matrix[i]) for i, (key, _) in enumerate(todo)}
    return [PreparedFile(split.path, split.raw, tuple(_with_vectors(d, vectors) for d in docs),
                         len(split.documents) - len(docs)) for split, docs in out]


def prepare(split: SplitFile, encoder: Encoder, lexicon: Lexicon | None, stored: Container[str] = (),
            reuse: Container[str] = ()) -> PreparedFile:
    """Prepare one split file (prepare_files of one)."""
    return prepare_files([split], encoder, lexicon, stored, reuse)[0]


def _with_vectors(doc: PreparedDocument, vectors: dict[str, bytes]) -> PreparedDocument:
    return replace(doc, passages=tuple(replace(p, vector=vectors.get(p.key)) for p in doc.passages))
