"""The lexicon files: every cue kind known, problem cues valid regexes, misuse reported clearly."""

from __future__ import annotations

import pytest

from ingest.extract import load_lexicon
from ingest.extract.lexicon import CUE_KINDS, read_cues


def test_every_cue_kind_has_words(lexicon):
    assert [kind for kind in CUE_KINDS if not lexicon.words(kind)] == []


def test_unknown_kind_names_the_valid_ones(lexicon, tmp_path):
    with pytest.raises(ValueError, match="valid kinds: practice_verb"):
        lexicon.words("verbs")
    bad = tmp_path / "cues.tsv"
    bad.write_text("verbs\t开展\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown cue kind 'verbs'"):
        read_cues(bad)


def test_missing_directory_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="data/lexicon"):
        load_lexicon(tmp_path)


def test_the_jieba_tokenizer_is_built_on_first_use_only(lexicon_dir):
    fresh = load_lexicon(lexicon_dir)
    assert fresh.segmenter._tagger is None
    fresh.segmenter.tokens("基层党建")
    assert fresh.segmenter._tagger is not None
