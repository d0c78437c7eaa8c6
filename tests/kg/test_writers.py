"""Concurrent writers on one store: a writer that looked before another one wrote still stores each document,
near-duplicate passage and entity once (the checks run again inside the write transaction)."""

from __future__ import annotations

import pytest

from kg.backends import open_store
from kg.entities import NewMention, NewRelation
from kg.errors import DocumentExistsError
from kg.records import NewDocument, NewPassage, NewSection, StoreCounts

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
