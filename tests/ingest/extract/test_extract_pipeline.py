"""The pipeline: every extractor over one passage, ordered, never raising on odd text."""

from __future__ import annotations

import pytest

from ingest.extract import extract_mentions
from ingest.types import ENTITY_TYPES, ROLES


def test_one_passage_gives_every_kind(lexicon):
    text = (
        "近年来,河南省邓州市全面推行“四议两审”工作法,从县直机关选派了45名第一书记到后进村任职,"
        "着力解决村级班子软弱涣散问题,村集体经济收入10万元以上的村占比达到65%。"
    )
    mentions = extract_mentions(text, "practice", lexicon)
    kinds = {m.type for m in mentions}
    assert kinds == {"place", "practice", "measure", "problem", "indicator"}
    assert kinds <= set(ENTITY_TYPES)
    assert [m.start for m in mentions] == sorted(m.start for m in mentions)
    assert all(text[m.start : m.end] == m.surface for m in mentions)
    practice = next(m for m in mentions if m.type == "practice")
    assert practice.name == "四议两审工作法"


@pytest.mark.parametrize(
    "text", ["", "   ", "12345", "2024年", "“”", "“三", "XX县", "——————", "(一)", "%%%", "1.2.3%", "\n\n“\n”"]
)
def test_odd_text_gives_no_error(lexicon, text):
    for role in ROLES:
        assert isinstance(extract_mentions(text, role, lexicon), list)


def test_unknown_role_is_an_error_naming_the_valid_roles(lexicon):
    with pytest.raises(ValueError, match="valid roles: practice, problem, plan"):
        extract_mentions("开展活动", "method", lexicon)
