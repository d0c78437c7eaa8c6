"""The per-generation memo: a value is computed once until the store's next committed write."""

from kg.store import Store
from search.memo import GenerationMemo


def test_values_are_kept_until_a_write_and_dropped_together(tmp_path):
    store = Store(tmp_path)
    memo = GenerationMemo(store)
    calls = []

    def compute(name):
        return lambda: calls.append(name) or f"{name}@{store.generation()}"

    first = memo.get("roles", compute("roles"))
    assert memo.get("roles", compute("roles")) == first and calls == ["roles"]
    memo.get(("role", "practice"), compute("practice"))
    with store.transaction():
        pass  # a committed write moves the generation
    assert memo.get("roles", compute("roles")) != first
    memo.get(("role", "practice"), compute("practice"))
    assert calls == ["roles", "practice", "roles", "practice"]


def test_a_failed_write_keeps_the_values(tmp_path):
    store = Store(tmp_path)
    memo = GenerationMemo(store)
    memo.get("x", lambda: 1)
    try:
        with store.transaction():
            raise RuntimeError("rolled back")
    except RuntimeError:
        pass
    assert memo.get("x", lambda: 2) == 1
