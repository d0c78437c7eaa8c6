"""RRF against a hand calculation."""

import pytest

from search.fusion import RRF_K, rrf


def test_rrf_hand_calculation():
    scores = rrf([["a", "b", "c"], ["c", "a"]])
    assert scores["a"] == pytest.approx(1 / (RRF_K + 1) + 1 / (RRF_K + 2))
    assert scores["b"] == pytest.approx(1 / (RRF_K + 2))
    assert scores["c"] == pytest.approx(1 / (RRF_K + 3) + 1 / (RRF_K + 1))
    assert max(scores, key=scores.get) == "a"


def test_rrf_weights_and_errors():
    scores = rrf([["a"], ["b"]], weights=[2.0, 1.0], k=1)
    assert scores == {"a": 1.0, "b": 0.5}
    with pytest.raises(ValueError, match="2 lists but 1 weights"):
        rrf([["a"], ["b"]], weights=[1.0])
