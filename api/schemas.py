"""HTTP edge: pydantic models of every request and response body, with Chinese examples for the docs."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ingest.types import ROLES

# Subscripting Literal with the tuple makes one Literal of its items, so the values stay those of ROLES.
ROLE_NAMES = Literal[ROLES]
JOB_STATES = Literal["queued", "running", "done", "failed"]

_TITLE = "上海市基层党建工作调研报告"
_SECTION = "二、存在的主要问题 / (三)村级班子关系不够协调"
_TEXT = "部分村“两学一做”制度落实不到位，组织生活流于形式，党员教育管理存在薄弱环节。"


def _example(example: dict) -> ConfigDict:
    return ConfigDict(json_schema_extra={"examples": [example]})


class ErrorDetail(BaseModel):
    """What went wrong."""

    code: str = Field(description="machine-readable code: bad_query, bad_request, not_found, unauthorized, …")
    message: str = Field(description="what was wrong and how to fix it")


class ErrorOut(BaseModel):
    """The one error body of every 4xx (and of a 5xx, which would be a bug)."""

    model_config = _example({"error": {"code": "bad_query", "message": "k must be between 1 and 100, got 0"}})
    error: ErrorDetail


class EntityRef(BaseModel):
    """An entity named in a passage."""

    id: str
    name: str
    type: str


class SourceRef(BaseModel):
    """Another document holding the same passage (near-duplicates are stored once)."""

    doc_id: str
    title: str
    start: int
    end: int


class PassageOut(BaseModel):
    """A passage with everything needed to quote and cite it."""

    passage_id: str
    doc_id: str
    title: str
    section: str = Field(description="heading path of the section")
    role: str = Field(description="section role: practice, problem, plan, background or other")
    text: str = Field(description="normalised simplified text, used for matching")
    quote: str = Field(description="exact original text: original[start:end]")
    start: int = Field(description="offset of the quote in the original file text")
    end: int
    citation: str
    reference: str = Field("", description="GB/T 7714-2015 reference when the document's metadata allows")
    entities: list[EntityRef] = []
    sources: list[SourceRef] = []


class HitOut(PassageOut):
    """One search hit: a passage with its rank and fused score."""

    model_config = _example(
        {
            "rank": 1, "score": 0.0917, "passage_id": "9c1e2d3f4a5b6c7d", "doc_id": "5725b9a551e1bab5",
            "title": _TITLE, "section": _SECTION, "role": "problem", "text": _TEXT, "quote": _TEXT,
            "start": 1520, "end": 1561, "citation": f"《{_TITLE}》，{_SECTION}，第12段", "reference": "",
            "entities": [], "sources": [{"doc_id": "5725b9a551e1bab5", "title": _TITLE, "start": 1520, "end": 1561}],
        }
    )
    rank: int
    score: float


class SearchOut(BaseModel):
    """The answer to GET /search: the same JSON as `djkg search --json`."""

    query: str
    took_ms: float
    hits: list[HitOut]


class HealthOut(BaseModel):
    """The server is up and its model and indexes are loaded."""

    status: Literal["ok"] = "ok"


class StatsOut(BaseModel):
    """Counts of the store, the same JSON as `djkg stats --json`."""

    model_config = _example(
        {"documents": 15, "passages": 309, "entities": {}, "relations": {}, "model": "m3e-small", "dim": 512}
    )
    documents: int
    passages: int
    entities: dict[str, int]
    relations: dict[str, int]
    model: str | None
    dim: int


class DocumentSummary(BaseModel):
    """A document in a list."""

    doc_id: str
    title: str
    path: str
    place: str | None = None


class DocumentPage(BaseModel):
    """One page of a list: `total` items in all, `items` from `offset`, at most `limit` of them."""

    model_config = _example(
        {"total": 15, "limit": 20, "offset": 0,
         "items": [{"doc_id": "5725b9a551e1bab5", "title": _TITLE, "path": "data/corpus/001.txt", "place": "上海市"}]}
    )
    total: int
    limit: int
    offset: int
    items: list[DocumentSummary]


class DocumentPassage(BaseModel):
    """A passage as it occurs in one document; `start`/`end` index the original file text."""

    passage_id: str
    text: str
    quote: str
    section: str
    role: str
    start: int
    end: int
    citation: str


class DocumentOut(BaseModel):
    """A document with its passages; `context` is original[start:end], so a passage sits at start - document start."""

    model_config = _example(
        {"doc_id": "5725b9a551e1bab5", "title": _TITLE, "path": "data/corpus/001.txt", "place": "上海市",
         "meta": {"author": "李明"}, "reference": "", "start": 0, "end": 4200,
         "context": "上海市基层党建工作调研报告\n一、基本情况……", "passages": []}
    )
    doc_id: str
    title: str
    path: str
    place: str | None = None
    meta: dict[str, Any]
    reference: str
    start: int
    end: int
    context: str
    passages: list[DocumentPassage]


class PassageContext(BaseModel):
    """A passage with up to `window` neighbouring passages of its document on each side."""

    passage: PassageOut
    before: list[DocumentPassage]
    after: list[DocumentPassage]


class DocumentMeta(BaseModel):
    """Bibliographic metadata of an uploaded report, used for its GB/T 7714 reference."""

    model_config = ConfigDict(extra="forbid")
    title: str | None = Field(None, max_length=300)
    author: str | None = Field(None, max_length=200)
    organization: str | None = Field(None, max_length=200)
    date: str | None = Field(None, max_length=40, examples=["2023-05-08"])
    source: str | None = Field(None, max_length=200, examples=["青川县人民政府网"])
    url: str | None = Field(None, max_length=2000)


class DocumentText(BaseModel):
    """A report given as text (JSON); a file is uploaded as multipart/form-data instead."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"text": "关于加强村级组织建设的调研报告\n一、基本情况\n全县共有行政村215个……",
                 "name": "村级组织建设调研.txt", "meta": {"author": "李明", "date": "2023-05-08"}}
            ]
        },
    )
    text: str = Field(min_length=1, description="the report's full text")
    name: str = Field("upload.txt", min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f/\\]+$")
    meta: DocumentMeta = DocumentMeta()


class JobOut(BaseModel):
    """A background ingest job; poll GET /jobs/{job_id} until `status` is done or failed."""

    model_config = _example(
        {"job_id": "3b9f0c1e2d4a4f6b8c7d9e0f1a2b3c4d", "status": "done", "name": "村级组织建设调研.txt",
         "created_at": 1763900000.0, "finished_at": 1763900003.2, "documents": 1, "unchanged": 0,
         "passages": 24, "doc_ids": ["a1b2c3d4e5f60718"], "error": ""}
    )
    job_id: str
    status: JOB_STATES
    name: str
    created_at: float
    finished_at: float | None = None
    documents: int = 0
    unchanged: int = 0
    passages: int = 0
    doc_ids: list[str] = []
    error: str = ""
    warning: str = Field("", description="set when the job stored its text with a caveat, e.g. partly extracted")


class RemovedOut(BaseModel):
    """What DELETE /documents/{doc_id} removed."""

    model_config = _example({"doc_id": "a1b2c3d4e5f60718", "removed_passages": 24})
    doc_id: str
    removed_passages: int = Field(description="passages no longer supported by any document")


class EntityOut(BaseModel):
    """An entity of the graph (DESIGN.md): practice, measure, problem, place, indicator or organization."""

    model_config = _example({"id": "practice:两学一做", "name": "两学一做", "type": "practice", "aliases": [],
                             "mentions": 3, "documents": 2, "places": ["上海市"], "attributes": {}})
    id: str
    name: str
    type: str
    aliases: list[str] = []
    mentions: int
    documents: int
    places: list[str] = []
    attributes: dict = {}


class EntityPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[EntityOut]


class NeighborOut(BaseModel):
    """A related entity: relation type, direction, weight and the passages that evidence it."""

    id: str
    name: str
    type: str
    relation: str = Field(description="addresses, applied_in, measures, part_of or similar_to")
    direction: str = Field(description="out: this entity → neighbour; in: neighbour → this entity")
    weight: float
    evidence: list[str] = Field(description="passage ids")


class EntityDetail(EntityOut):
    evidence: list[HitOut]
    neighbors: list[NeighborOut]


class ProblemRef(BaseModel):
    id: str
    name: str
    score: float
    by: str = Field("", description="how the question states it: `cue` (a lexicon cue, score 1) or `meaning`")
    topics: list[str] = Field(default_factory=list, description="what a remedy works on, named in the question "
                              "(覆盖 for 覆盖不到位); measures whose lead names it join the candidates")


class ExperienceItem(BaseModel):
    """One comparable experience: a practice or measure, where it was applied, outcomes, evidence hits."""

    rank: int
    score: float
    entity_id: str
    name: str
    type: str = Field(description="practice or measure; a measure whose entity_id starts with `statement:` is "
                      "the lead of a passage that extraction named nothing in, not a graph entity")
    places: list[str]
    indicators: list[dict] = []
    evidence: list[HitOut]
    explain: dict | None = Field(None, description="with explain=true: each feature of the score and the score")


class ExperienceOut(BaseModel):
    """The answer to GET /experience: the same JSON as `djkg experience --json`."""

    query: str
    took_ms: float
    problems: list[ProblemRef]
    results: list[ExperienceItem]
    reason: str = Field("", description="why there are no results, when there are none")
