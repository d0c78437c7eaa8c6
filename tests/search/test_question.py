"""The topic of a spoken question: frames, first person and hedges removed, content kept."""

import pytest

from search.question import topic


@pytest.mark.parametrize(
    ("question", "kept", "dropped"),
    [
        ("我们村开会没人来怎么办?", ["村开会没人来"], ["我们", "怎么办"]),
        ("上级检查太频繁,镇里有没有好办法减下来?", ["上级检查太频繁", "镇里", "减下来"], ["有没有好办法"]),
        ("咱们社区到底该怎么做才能把老人照顾好呢", ["社区", "把老人照顾好"], ["咱们", "到底", "该怎么做", "呢"]),
        ("平时党员都干些啥,群众的事能不能收上来", ["党员", "群众的事", "收上来"], ["平时", "啥", "能不能"]),
    ],
)
def test_frames_are_dropped_and_the_topic_stays(question, kept, dropped):
    got = topic(question)
    assert all(k in got for k in kept), got
    assert not any(d in got for d in dropped), got


@pytest.mark.parametrize("words", ["就业创业", "了解民情", "我县党员", "还原", "首都", "党员积分制管理"])
def test_words_that_only_contain_a_particle_are_untouched(words):
    assert topic(words) == words
