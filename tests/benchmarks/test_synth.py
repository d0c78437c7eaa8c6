"""The synthetic benchmark corpus: deterministic, marked, perturbed, and of the size asked for (no model)."""

import random
import re

import pytest

from ingest.clean import clean, load_clean_rules
from ingest.headings import load_role_cues
from ingest.read import read_files
from ingest.split import SplitConfig, split_documents
from tests.benchmarks.synth import LEXICON_DIR, MARK, PLACES, generate, load_material, perturb_numbers, swap_places

NUMBER = re.compile(r"\d+(?:\.\d+)?")


@pytest.fixture(scope="module")
def material():
    return load_material()


def _texts(folder) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))}


def _passages(folder) -> int:
    rules = load_clean_rules(LEXICON_DIR)
    config = SplitConfig(cues=load_role_cues(LEXICON_DIR))
    return sum(len(d.passages) for raw in read_files([folder])
               for d in split_documents(clean(raw.text, rules), raw.path, raw.meta, config))


def test_same_seed_same_files_other_seed_other_files(tmp_path, material):
    first = _texts(generate(tmp_path / "a", 1, seed=7, material=material).folder)
    again = _texts(generate(tmp_path / "b", 1, seed=7, material=material).folder)
    other = _texts(generate(tmp_path / "c", 1, seed=8, material=material).folder)
    assert first == again
    assert first != other


def test_every_file_is_marked_synthetic(tmp_path, material):
    corpus = generate(tmp_path, 1, material=material)
    for path in corpus.files:
        assert path.read_text(encoding="utf-8").startswith(MARK)
        assert "合成语料" in path.with_suffix(".meta.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("multiple", [1, 3])
def test_size_is_the_multiple_of_the_demo_passages_within_20_percent(tmp_path, material, multiple):
    corpus = generate(tmp_path, multiple, material=material)
    wanted = multiple * material.passages
    assert corpus.target_passages == wanted
    assert 0.8 * wanted <= _passages(tmp_path) <= 1.2 * wanted


def test_a_larger_corpus_starts_with_the_smaller_one(tmp_path, material):
    small = _texts(generate(tmp_path / "small", 1, material=material).folder)
    large = _texts(generate(tmp_path / "large", 2, material=material).folder)
    assert all(large[name] == text for name, text in small.items())


def test_numbers_change_within_30_percent_and_units_stay():
    text = "党员1030多名,企业500多家,覆盖1.3万户,平均年龄48.1岁,占总数的36%。"
    out = perturb_numbers(text, random.Random(3))
    assert NUMBER.sub("#", out) == NUMBER.sub("#", text)
    for old, new in zip(NUMBER.findall(text), NUMBER.findall(out), strict=True):
        assert abs(float(new) - float(old)) <= 0.3 * float(old) + 0.5 * 10 ** -len(old.partition(".")[2])
    assert out != text


def test_years_dates_and_list_numbers_stay():
    text = "2015年6月18日,召开会议。\n1、加强领导"
    assert perturb_numbers(text, random.Random(0)) == text


def test_places_are_swapped_for_real_places_of_the_same_kind():
    out = swap_places("桃源县和上海市的做法", {"桃源县": "沛县", "上海市": "杭州市"})
    assert out == "沛县和杭州市的做法"


def test_generated_reports_change_numbers_and_places(tmp_path, material):
    source = "\n".join(p for t in material.templates for b in t.blocks for p in b.paragraphs)
    synthetic = "\n".join(_texts(generate(tmp_path, 1, material=material).folder).values())
    places = [p for names in PLACES.values() for p in names]
    assert {p for p in places if p in synthetic} - {p for p in places if p in source}
    assert "桃源县" in source
    numbers = NUMBER.findall(synthetic)
    assert len(set(numbers) - set(NUMBER.findall(source))) > 0.1 * len(set(numbers))
