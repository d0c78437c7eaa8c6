"""The memoised part-of-speech tagger gives exactly jieba's own output, only faster."""

from __future__ import annotations

from pathlib import Path

import jieba
import jieba.posseg

from ingest.extract.segment import Segmenter

CORPUS = Path(__file__).resolve().parents[3] / "data" / "corpus"


def corpus_lines() -> list[str]:
    lines = []
    for path in sorted(CORPUS.glob("*.txt")):
        lines += [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return lines


def test_memoised_tagger_matches_plain_jieba_on_the_demo_corpus():
    lines = corpus_lines()
    assert len(lines) > 100
    plain = jieba.posseg.POSTokenizer(jieba.Tokenizer())
    segmenter = Segmenter()
    for line in lines:
        expected = [(p.word, p.flag) for p in plain.cut(line)]
        tokens = segmenter.tokens(line)
        assert [(t.word, t.flag) for t in tokens] == expected, line
        # a second pass is served from memory and is still the same
        assert [(t.word, t.flag) for t in segmenter.tokens(line)] == expected
        for token in tokens:
            assert line[token.start:token.end] == token.word


def test_unknown_runs_are_tagged_once():
    segmenter = Segmenter()
    text = "某县谢桥镇党委书记邵伟华说"  # 谢桥镇 and 邵伟华 are not in jieba's dictionary
    first = segmenter.tokens(text)
    runs = segmenter._ensure().hmm_runs
    assert runs, "the HMM saw no unknown run; pick a text with an out-of-vocabulary name"
    remembered = dict(runs)
    assert segmenter.tokens(text) == first
    assert segmenter._ensure().hmm_runs == remembered



def random_hanzi(n: int, seed: int = 1) -> str:
    import random

    rng = random.Random(seed)
    return "".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(n))


def test_text_that_is_not_language_skips_the_hmm():
    segmenter = Segmenter()
    noise = random_hanzi(2000)
    assert not segmenter.is_language(noise)
    tokens = segmenter.tokens(noise)
    assert segmenter._ensure().hmm_runs == {}, "random characters went through the HMM"
    assert "".join(t.word for t in tokens) == noise
    assert all(noise[t.start:t.end] == t.word for t in tokens)
    for line in corpus_lines():
        assert segmenter.is_language(line), line


def test_a_long_uncovered_run_is_tagged_character_by_character():
    from ingest.extract.segment import MAX_HMM_RUN

    segmenter = Segmenter()
    run = random_hanzi(MAX_HMM_RUN + 8, seed=3)
    text = "村党支部建立了党员联系户制度，全面推进基层组织建设工作。" * 3 + run
    assert segmenter.is_language(text)
    tokens = segmenter.tokens(text)
    assert all(len(run) < len(key) or key not in run for key in segmenter._ensure().hmm_runs)
    assert "".join(t.word for t in tokens) == text
