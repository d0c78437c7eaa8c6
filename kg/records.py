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


@dataclass(frozen=True)
class EntityInfo:
    """An entity as stored: its names, how often and in how many documents it is mentioned, where applied."""

    id: str
    type: str
    name: str
    aliases: tuple[str, ...]
    mentions: int
    documents: int
    places: tuple[str, ...]
    attributes: dict = field(default_factory=dict, hash=False)

    def to_json(self) -> dict:
        """The DESIGN.md entity object (keys in this order)."""
        return {"id": self.id, "type": self.type, "name": self.name, "aliases": list(self.aliases),
                "mentions": self.mentions, "documents": self.documents, "places": list(self.places),
                "attributes": dict(self.attributes)}


@dataclass(frozen=True)
class StoredMention:
    """One mention of an entity: the passage (by number) and document it is in, where, and as written."""

    num: int
    doc_id: str
    start: int
    end: int
    surface: str


@dataclass(frozen=True)
class NamedEntity:
    """An entity named in a passage, with the offset of its first mention there."""

    id: str
    name: str
    type: str
    start: int


@dataclass(frozen=True)
class StoredRelation:
    """A relation between two entities with the passage numbers that evidence it."""

    src: str
    dst: str
    type: str
    weight: float
    evidence: tuple[int, ...]


@dataclass(frozen=True)
class StoreCounts:
    """How many documents and passages a store holds."""

    documents: int
    passages: int


@dataclass(frozen=True)
class DocumentSummary:
    """A stored document as listed: id, title, file and the place it is about."""

    doc_id: str
    title: str
    path: str
    place: str

    def to_json(self) -> dict:
        return {"doc_id": self.doc_id, "title": self.title, "path": self.path, "place": self.place}


@dataclass(frozen=True)
class StoredDocument:
    """A stored document with its file's whole text (`original`; `start`/`end` locate the document in it)."""

    doc_id: str
    title: str
    path: str
    start: int
    end: int
    meta: dict = field(hash=False)
    original: str
    place: str


@dataclass(frozen=True)
class PassageSource:
    """One occurrence of a passage: the document it is in, and where."""

    doc_id: str
    title: str
    start: int
    end: int

    def to_json(self) -> dict:
        return {"doc_id": self.doc_id, "title": self.title, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class Evidence:
    """A passage (by number) of a document that evidences a relation."""

    num: int
    doc_id: str


@dataclass(frozen=True)
class EvidencedRelation:
    """A relation to write between stored entities, with the stored passages that evidence it."""

    src: str
    dst: str
    type: str
    weight: float
    evidence: tuple[Evidence, ...]
