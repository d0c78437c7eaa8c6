"""Settings read from the environment: where the question runtime's graph is cached, and which runtime."""

from pathlib import Path

import pytest

from api.settings import load_settings


def test_questions_run_in_onnx_with_the_graph_in_the_cache_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("DJKG_QUERY_RUNTIME", raising=False)
    monkeypatch.setenv("DJKG_CACHE", str(tmp_path / "cache"))
    engine = load_settings(str(tmp_path / "store")).engine
    assert engine.onnx_cache == tmp_path / "cache"
    monkeypatch.delenv("DJKG_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert load_settings(str(tmp_path / "store")).engine.onnx_cache == tmp_path / "xdg" / "djkg"


def test_a_postgresql_store_keeps_its_state_under_the_same_cache(monkeypatch, tmp_path):
    monkeypatch.delenv("DJKG_STATE", raising=False)
    monkeypatch.setenv("DJKG_CACHE", str(tmp_path / "cache"))
    engine = load_settings("postgresql://djkg@db.example/djkg").engine
    assert Path(engine.state_dir).parent == tmp_path / "cache"


def test_the_torch_runtime_turns_onnx_off_and_an_unknown_one_is_refused(monkeypatch, tmp_path):
    monkeypatch.setenv("DJKG_QUERY_RUNTIME", "torch")
    assert load_settings(str(tmp_path / "store")).engine.onnx_cache is None
    monkeypatch.setenv("DJKG_QUERY_RUNTIME", "tensorrt")
    with pytest.raises(ValueError, match="onnx, torch"):
        load_settings(str(tmp_path / "store"))
