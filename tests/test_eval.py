"""The shared evaluation, run against the demo store on both backends: fails below the targets of the search issue."""

import json
import subprocess
import sys

import pytest

from tests.conftest import SHARED, djkg_command

EVALUATE = SHARED / "eval" / "evaluate.py"
QUERIES = SHARED / "eval" / "dev_queries.jsonl"
# The search issue's targets.
MIN_RECALL, MIN_NDCG = "0.90", "0.85"

pytestmark = pytest.mark.skipif(
    not EVALUATE.exists(), reason="../shared/eval is absent (a user's checkout): nothing to judge against"
)


def _search_queries(tmp_path):
    rows = [json.loads(line) for line in QUERIES.read_text(encoding="utf-8").splitlines() if line.strip()]
    path = tmp_path / "search_queries.jsonl"
    path.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in rows if r["kind"] == "search"), encoding="utf-8"
    )
    return path


def test_search_retrieval_meets_targets(demo_db, tmp_path):
    cmd = [
        sys.executable,
        str(EVALUATE),
        "retrieval",
        "--queries",
        str(_search_queries(tmp_path)),
        "--db",
        str(demo_db),
        "--djkg",
        " ".join(djkg_command()),
        "-k",
        "10",
        "--min-recall",
        MIN_RECALL,
        "--min-ndcg",
        MIN_NDCG,
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    print(proc.stdout)
    assert proc.returncode == 0, proc.stdout + proc.stderr


# Experience: the targets, recall@10 >= 0.85 and relevant results drawn from >= 3 documents on average.
MIN_EXPERIENCE_RECALL = "0.85"
MIN_RELEVANT_DOCUMENTS = 3.0


def test_experience_retrieval_meets_targets(demo_db, tmp_path):
    rows = [json.loads(line) for line in QUERIES.read_text(encoding="utf-8").splitlines() if line.strip()]
    path = tmp_path / "experience_queries.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows if r["kind"] == "experience"),
                    encoding="utf-8")
    cmd = [sys.executable, str(EVALUATE), "retrieval", "--queries", str(path), "--db", str(demo_db),
           "--djkg", " ".join(djkg_command()), "-k", "10", "--min-recall", MIN_EXPERIENCE_RECALL]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    print(proc.stdout)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = json.loads(proc.stdout.splitlines()[0])["experience"]
    assert report["mean_relevant_docs"] >= MIN_RELEVANT_DOCUMENTS, report
