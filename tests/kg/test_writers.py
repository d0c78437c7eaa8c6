"""Concurrent writers on one store: a writer that looked before another one wrote still stores each document,
near-duplicate passage and entity once (the checks run again inside the write transaction)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from kg.backends import open_store
from kg.entities import NewMention, NewRelation
from kg.errors import DocumentExistsError
from kg.records import (
    DocumentSummary,
    Evidence,
    EvidencedRelation,
    NewDocument,
    NewPassage,
    NewSection,
    PassageSource,
    StoreCounts,
    StoredDocument,
)

FINGERPRINT = 0x5A5A_1234_ABCD_0F0F
SECTIONS = [NewSection("一、主要做法", "practice")]


def _doc(doc_id: str) -> NewDocument:
    return NewDocument(doc_id, "s" + doc_id, "关于" + doc_id + "的调研报告", doc_id + ".txt", "原文" * 50, 0, 100)


def _passage(passage_id: str, text: str, simhash: int | None) -> NewPassage:
    return NewPassage(passage_id, text, ("推行", "三级联动"), b"\0" * 4, simhash, 0, 0, 0, 40)


@pytest.fixture
def writers(store_db):
    """Two stores on one database or folder, as two processes would open it."""
    first, second = open_store(store_db), open_store(store_db)
    yield first, second
    first.close(), second.close()


def test_a_document_stored_meanwhile_is_refused_not_doubled(writers):
    first, second = writers
    first.add_document(_doc("d1"), SECTIONS, [_passage("p1", "推行三级联动机制", FINGERPRINT)])
    with pytest.raises(DocumentExistsError):
        second.add_document(_doc("d1"), SECTIONS, [_passage("p1", "推行三级联动机制", FINGERPRINT)])
    assert second.counts() == StoreCounts(documents=1, passages=1)


def test_a_near_duplicate_stored_meanwhile_is_shared(writers):
    """The second writer's passage differs by one bit of SimHash from one the first writer stored after the
    second looked: it is stored once and points at both documents."""
    first, second = writers
    first.add_document(_doc("d1"), SECTIONS, [_passage("p1", "推行三级联动机制。", FINGERPRINT)])
    new = second.add_document(_doc("d2"), SECTIONS, [_passage("p2", "推行“三级联动”机制", FINGERPRINT ^ 1)])
    assert new == [] and second.counts() == StoreCounts(documents=2, passages=1)
    assert [p.passage_id for p in second.document_passages("d2")] == ["p1"]
    assert {s.doc_id for s in first.sources_of(first.passage_by_id("p1").num)} == {"d1", "d2"}


def test_an_entity_stored_meanwhile_takes_the_later_mentions(writers):
    """Both writers resolved the same alias key to an entity of their own naming before either wrote; the
    second one's mentions and relations join the entity the first one stored."""
    first, second = writers
    key = "practice:三级联动"

    def mention(entity_id: str, name: str) -> NewMention:
        return NewMention(entity_id, "practice", name, key, 0, 2, 6, name)

    place = NewMention("place:桃源县", "place", "桃源县", "place:桃源县", 0, 0, 2, "桃源县")
    first.add_document(_doc("d1"), SECTIONS, [_passage("p1", "推行三级联动机制", None)],
                       [mention("practice:三级联动", "三级联动")])
    second.add_document(_doc("d2"), SECTIONS, [_passage("p2", "桃源县推行三级联动工作法", None)],
                        [mention("practice:三级联动工作法", "三级联动工作法"), place],
                        [NewRelation("practice:三级联动工作法", "place:桃源县", "applied_in", 1.0, (0,))])
    entities, relations = second.graph.counts()
    assert entities == {"practice": 1, "place": 1} and relations == {"applied_in": 1}
    assert second.graph.get("practice:三级联动工作法") is None
    assert {m.doc_id for m in second.graph.mentions("practice:三级联动")} == {"d1", "d2"}
    assert [(r.src, r.dst) for r in second.graph.relations("practice:三级联动")] == [
        ("practice:三级联动", "place:桃源县")]


def test_the_write_and_read_sides_take_and_give_records(writers):
    """add_relations takes EvidencedRelation; documents, document, sources_of and counts give records, on
    both backends, the second store reading what the first wrote."""
    first, second = writers
    place = NewMention("place:桃源县", "place", "桃源县", "place:桃源县", 0, 0, 3, "桃源县")
    practice = NewMention("practice:三级联动", "practice", "三级联动", "practice:三级联动", 0, 5, 9, "三级联动")
    first.add_document(_doc("d1"), SECTIONS, [_passage("p1", "桃源县推行三级联动机制", FINGERPRINT)], [place, practice])
    first.add_document(replace(_doc("d2"), meta={"author": "县委组织部"}), SECTIONS,
                       [_passage("p1", "桃源县推行三级联动机制", FINGERPRINT)])
    num = first.passage_by_id("p1").num
    first.add_relations([EvidencedRelation("practice:三级联动", "place:桃源县", "applied_in", 0.5,
                                           (Evidence(num, "d1"),))])
    assert second.counts() == StoreCounts(documents=2, passages=1)
    assert second.documents() == [DocumentSummary("d1", "关于d1的调研报告", "d1.txt", ""),
                                  DocumentSummary("d2", "关于d2的调研报告", "d2.txt", "")]
    assert second.document("d2") == StoredDocument("d2", "关于d2的调研报告", "d2.txt", 0, 100,
                                                   {"author": "县委组织部"}, "原文" * 50, "")
    assert second.document("d3") is None
    assert second.sources_of(num) == [PassageSource("d1", "关于d1的调研报告", 0, 40),
                                       PassageSource("d2", "关于d2的调研报告", 0, 40)]
    assert [(r.src, r.dst, r.type, r.weight, r.evidence) for r in second.graph.relations("place:桃源县")] == [
        ("practice:三级联动", "place:桃源县", "applied_in", 0.5, (num,))]
    assert second.graph.first_mention("practice:三级联动") == Evidence(num, "d1")
