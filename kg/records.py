"""Records the store takes and returns: passages as ingest hands them over and as they are stored."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class StoredPassage:
    """A passage as stored, with its first source (document, section, offsets) for citing."""

    num: int
    passage_id: str
    text: str
    doc_id: str
    title: str
    section: str
    role: str
    ordinal: int
    start: int
    end: int
    path: str
    place: str


@dataclass(frozen=True)
class NewPassage:
    """What ingest hands the store for one passage occurrence; `vector` is float32 bytes or None."""

    passage_id: str
    text: str
    tokens: tuple[str, ...]
    vector: bytes | None
    simhash: int | None
    section_index: int
    ordinal: int
    start: int
    end: int


@dataclass(frozen=True)
class NewSection:
    """A section of a document to store: its heading path and role."""

    heading: str
    role: str


@dataclass(frozen=True)
class NewDocument:
    """What ingest hands the store for one document: where it comes from and where it lies in its file."""

    doc_id: str
    source_id: str  # the file's text, stored once for all the documents it holds
    title: str
    path: str
    original: str   # the whole file's text (offsets of documents and passages point into it)
    start: int
    end: int
    place: str = ""
    meta: dict = field(default_factory=dict, hash=False)
