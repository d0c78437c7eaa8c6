"""The import rule of STYLE.md: ingest ← kg ← load ← search ← api, and who may import heavy libraries."""

import ast
from pathlib import Path

from api.settings import REPO_ROOT

ORDER = ["ingest", "kg", "load", "search", "api"]
# The one arrow against the order: loading embeds passages through the encoder interface, which lives with
# the model in search/encode.py; nothing else of search may be imported below it.
EXCEPTIONS = {"load": {"search.encode"}}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _modules():
    for package in ORDER:
        for path in (REPO_ROOT / package).rglob("*.py"):
            yield package, path, _imports(path)


def test_arrows_point_one_way():
    for package, path, names in _modules():
        allowed = set(ORDER[: ORDER.index(package) + 1])
        for name in names:
            top = name.split(".")[0]
            if top in ORDER and name not in EXCEPTIONS.get(package, set()):
                assert top in allowed, f"{path} imports {name}: {package} may import only {sorted(allowed)}"


def test_only_api_imports_fastapi_and_only_encode_imports_sentence_transformers():
    for package, path, names in _modules():
        tops = {n.split(".")[0] for n in names}
        if package != "api":
            assert not tops & {"fastapi", "starlette", "uvicorn"}, path
        if path != REPO_ROOT / "search" / "encode.py":
            assert "sentence_transformers" not in tops, path


def test_only_settings_reads_the_environment():
    for _, path, _ in _modules():
        if path.name == "settings.py":
            continue
        assert "os.environ" not in path.read_text(encoding="utf-8"), path
