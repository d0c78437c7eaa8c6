"""The gazetteer read from the packaged division table: levels, parents, aliases."""

from __future__ import annotations

import pytest

from ingest.extract import load_gazetteer


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


def test_levels_and_parents(gazetteer):
    (county,) = gazetteer.by_name["邓州市"]
    assert (county.level, county.parent, county.code) == ("county", "南阳市", "411381")
    assert gazetteer.ancestors(county) == ["南阳市", "河南省"]


def test_a_municipality_is_one_province_level_place(gazetteer):
    assert [(p.level, p.parent) for p in gazetteer.by_name["上海市"]] == [("province", None)]
    assert [p.name for p in gazetteer.by_alias["上海"]] == ["上海市"]


@pytest.mark.parametrize(
    ("alias", "name"),
    [("内蒙古", "内蒙古自治区"), ("广西", "广西壮族自治区"), ("延边", "延边朝鲜族自治州"), ("南阳", "南阳市")],
)
def test_aliases_drop_suffixes_and_nationalities(gazetteer, alias, name):
    assert gazetteer.by_alias[alias][0].name == name


def test_missing_data_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_gazetteer(tmp_path)


@pytest.mark.parametrize(
    ("written", "name"),
    [("恩施州", "恩施土家族苗族自治州"), ("黔东南州", "黔东南苗族侗族自治州"), ("化隆县", "化隆回族自治县"),
     ("延边州", "延边朝鲜族自治州")],
)
def test_autonomous_divisions_are_found_as_commonly_written(gazetteer, written, name):
    assert [p.name for p in gazetteer.by_name[written]] == [name]


def test_places_as_commonly_written_resolve_to_the_full_name(lexicon):
    from ingest.extract import extract_places

    found = {m.name: m.surface for m in extract_places("恩施州委组织部在化隆县开展调研", lexicon)}
    assert found == {"恩施土家族苗族自治州": "恩施州", "化隆回族自治县": "化隆县"}


def test_divisions_the_table_leaves_out_come_from_the_lexicons_extra_file():
    from api.settings import DEFAULT_LEXICON
    from ingest.extract.lexicon import DIVISIONS_EXTRA_FILE

    assert "渝北区" not in load_gazetteer().by_name
    merged = load_gazetteer(extra=DEFAULT_LEXICON / DIVISIONS_EXTRA_FILE)
    assert [(p.level, p.parent, p.code) for p in merged.by_name["渝北区"]] == [("county", "重庆市", "500112")]
    # a division the table has keeps its own entry (宁波's 江北区 beside Chongqing's)
    assert {p.parent for p in merged.by_name["江北区"]} == {"宁波市", "重庆市"}
