"""The djkg command line, run as a real subprocess: ingest reports, exit codes, the JSON contracts."""

import json
import subprocess

from tests.conftest import CORPUS, djkg_command


def run(args, env, stdin=None, timeout=600):
    return subprocess.run(djkg_command() + args, input=stdin, capture_output=True, text=True, env=env, timeout=timeout)


def test_ingest_reports_each_file_and_bad_inputs(tmp_path, cli_env):
    bad = tmp_path / "in"
    bad.mkdir()
    (bad / "empty.txt").write_text("", encoding="utf-8")
    (bad / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (bad / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (bad / "good.txt").write_text((CORPUS / "000_78f7f8700922f765.txt").read_text(encoding="utf-8"), encoding="utf-8")
    db = tmp_path / "store"
    proc = run(["ingest", str(bad), str(tmp_path / "missing.txt"), "--db", str(db), "--quiet"], cli_env)
    assert proc.returncode == 2, proc.stderr
    out = proc.stdout
    assert "skip" in out and "empty file" in out
    assert "binary" in out
    assert "corrupt .docx" in out
    assert "no such file" in out
    assert "ok    " in out and "good.txt" in out
    stats = json.loads(run(["stats", "--db", str(db), "--json"], cli_env).stdout)
    assert stats["documents"] == 1 and stats["passages"] > 5
    assert set(stats) >= {"documents", "passages", "entities", "relations", "model", "dim"}


def test_ingest_exit_code_when_nothing_lands(tmp_path, cli_env):
    proc = run(["ingest", str(tmp_path / "nothing-here"), "--db", str(tmp_path / "s"), "--quiet"], cli_env)
    assert proc.returncode == 1
    assert "no such file or directory" in proc.stdout


def test_search_batch_json_contract(demo_store, cli_env):
    queries = "三会一课流于形式\n\n选派第一书记到贫困村\n"
    proc = run(["search", "-", "--db", str(demo_store), "-k", "5", "--json"], cli_env, stdin=queries)
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["query"] for r in rows] == ["三会一课流于形式", "选派第一书记到贫困村"]
    for row in rows:
        assert isinstance(row["took_ms"], float | int)
        assert 1 <= len(row["hits"]) <= 5
        for hit in row["hits"]:
            assert set(hit) >= {
                "rank",
                "score",
                "passage_id",
                "doc_id",
                "title",
                "section",
                "role",
                "text",
                "quote",
                "start",
                "end",
                "citation",
                "entities",
            }


def test_search_terminal_output_has_citations(demo_store, cli_env):
    proc = run(["search", "街道社区与驻区单位共驻共建", "--db", str(demo_store), "-k", "3"], cli_env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("—— 《") == 3


def test_bad_queries_are_clear_errors(demo_store, cli_env):
    for query, message in [("   ", "empty"), ("？！。，", "no words"), ("党建" * 300, "limit is 500")]:
        proc = run(["search", query, "--db", str(demo_store)], cli_env)
        assert proc.returncode == 2
        assert message in proc.stderr
    proc = run(["search", "党建", "-k", "0", "--db", str(demo_store)], cli_env)
    assert proc.returncode == 2 and "k must be between 1 and 100" in proc.stderr
    proc = run(["search", "党建", "--role", "nonsense", "--db", str(demo_store)], cli_env)
    assert proc.returncode == 2 and "practice, problem, plan" in proc.stderr


def test_remove_unknown_document(demo_copy, cli_env):
    proc = run(["remove", "0000000000000000", "--db", str(demo_copy)], cli_env)
    assert proc.returncode == 1
    assert "no document" in proc.stderr


def test_entities_json_contract_and_entity_view(demo_store, cli_env, tmp_path):
    proc = run(["entities", "--db", str(demo_store), "--json"], cli_env)
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    assert rows and set(rows[0]) >= {"id", "name", "type", "aliases", "mentions", "documents", "places", "attributes"}
    indicator = next(r for r in rows if r["type"] == "indicator")
    assert isinstance(indicator["attributes"]["value"], float | int)
    proc = run(["entity", "practice:三会一课", "--db", str(demo_store)], cli_env)
    assert proc.returncode == 0 and "—— 《" in proc.stdout
    proc = run(["export", "--format", "graphml", str(tmp_path / "g.graphml"), "--db", str(demo_store)], cli_env)
    assert proc.returncode == 0 and (tmp_path / "g.graphml").stat().st_size > 1000
