"""The HTTP API on a real uvicorn server over the demo store: JSON shapes, errors, uploads, jobs, start-up."""

from __future__ import annotations

import random
import subprocess
import time

import httpx
import pytest

from tests.api.conftest import TOKEN, UPLOAD_LIMIT, free_port
from tests.conftest import djkg_command, serve_process

HIT_KEYS = {"rank", "score", "passage_id", "doc_id", "title", "section", "role", "text", "quote", "start", "end",
            "citation", "entities"}
AUTH = {"Authorization": f"Bearer {TOKEN}"}
PLACES = ["青川县", "桃源县", "浦东新区", "城关镇", "石桥村", "河西街道", "红星社区", "东湖村", "柳林乡", "南山镇"]
ORGS = ["村党支部", "社区党委", "机关党总支", "非公企业党组织", "街道党工委", "乡镇党委"]
TOPICS = ["党员积分管理", "村级议事协商", "集体经济发展", "流动党员教育", "网格化服务", "党群服务中心建设",
          "后备干部培养", "党风廉政建设", "志愿服务队伍", "红色教育基地", "主题党日活动"]
ACTIONS = ["建立了月度例会制度", "推行了清单化管理", "开展了结对帮扶", "组建了专业合作社", "设立了党员先锋岗",
           "实行了挂图作战", "引入了第三方评估", "落实了包片联户", "完善了考核激励", "搭建了线上议事平台"]
RESULTS = ["群众满意度明显提升", "村集体收入稳步增长", "党员参与率显著提高", "矛盾纠纷就地化解",
           "基层组织凝聚力增强", "服务效率大幅提高", "干群关系更加融洽", "治理短板逐步补齐"]


def report_text(seed: int, title: str, marker: str, paragraphs: int = 4) -> str:
    """A new report (not in the demo store): four sections of generated paragraphs, one naming `marker`."""
    rnd = random.Random(seed)
    lines = [title, "一、基本情况", f"全县共有行政村{rnd.randint(100, 300)}个，党员{rnd.randint(3000, 9000)}名。"]
    for head in ("二、主要做法", "三、存在的主要问题", "四、下一步工作打算"):
        lines.append(head)
        for j in range(paragraphs):
            sentences = "".join(
                f"{rnd.choice(PLACES)}{rnd.choice(ORGS)}围绕{rnd.choice(TOPICS)}，{rnd.choice(ACTIONS)}，"
                f"累计{rnd.randint(12, 980)}名党员参与，{rnd.choice(RESULTS)}。" for _ in range(3))
            lead = f"推行“{marker}”机制，" if head == "二、主要做法" and j == 0 else ""
            lines.append(f"（{j + 1}）{lead}{sentences}")
    return "\n".join(lines)


def assert_error(response: httpx.Response, status: int) -> dict:
    """The one error body of DESIGN.md: {"error": {"code", "message"}} and nothing else."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, body
    assert body["error"]["code"] and body["error"]["message"]
    return body["error"]


def wait_for(http: httpx.Client, job_id: str, timeout_s: float = 240) -> dict:
    """Poll a job until it is done or failed."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        job = http.get(f"/jobs/{job_id}").json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} still running after {timeout_s} s")


def test_health_and_stats(client):
    assert client.get("/health").json() == {"status": "ok"}
    stats = client.get("/stats").json()
    assert set(stats) == {"documents", "passages", "entities", "relations", "model", "dim"}
    assert stats["documents"] >= 4 and stats["passages"] > 100 and stats["dim"] == 512


def test_search_hits_have_the_cli_shape(client):
    body = client.get("/search", params={"q": "三会一课流于形式", "k": 5}).json()
    assert body["query"] == "三会一课流于形式" and isinstance(body["took_ms"], float)
    assert 1 <= len(body["hits"]) <= 5
    for rank, hit in enumerate(body["hits"], start=1):
        assert set(hit) >= HIT_KEYS
        assert hit["rank"] == rank and hit["citation"].startswith(f"《{hit['title']}》")
    problems = client.get("/search", params={"q": "组织生活流于形式", "role": "problem"}).json()["hits"]
    assert problems and {h["role"] for h in problems} == {"problem"}


def test_place_filter_covers_the_places_inside(client):
    """湖南省 holds 常德市, which holds 桃源县: the place filter follows part_of down to the county's report."""
    hits = client.get("/search", params={"q": "党组织建设", "place": "湖南省", "k": 10}).json()["hits"]
    assert len(hits) == 10 and all("桃源县" in h["title"] for h in hits), [h["title"] for h in hits]
    unfiltered = client.get("/search", params={"q": "党组织建设", "k": 10}).json()["hits"]
    assert not any("桃源县" in h["title"] for h in unfiltered)


def test_documents_are_paginated(client):
    first = client.get("/documents", params={"limit": 100}).json()
    total = first["total"]
    assert total == len(first["items"]) >= 4
    pages = [client.get("/documents", params={"limit": 4, "offset": o}).json() for o in range(0, total, 4)]
    assert all(p["total"] == total and p["limit"] == 4 for p in pages)
    assert [d["doc_id"] for p in pages for d in p["items"]] == [d["doc_id"] for d in first["items"]]
    assert client.get("/documents", params={"offset": total}).json()["items"] == []


def test_document_shows_every_passage_in_its_context(client):
    hit = client.get("/search", params={"q": "选派第一书记到贫困村", "k": 1}).json()["hits"][0]
    doc = client.get(f"/documents/{hit['doc_id']}").json()
    assert doc["doc_id"] == hit["doc_id"] and doc["title"] == hit["title"]
    assert len(doc["context"]) == doc["end"] - doc["start"]
    for p in doc["passages"]:
        assert p["quote"] == doc["context"][p["start"] - doc["start"] : p["end"] - doc["start"]]
    starts = [p["start"] for p in doc["passages"]]
    assert starts == sorted(starts)
    found = [p for p in doc["passages"] if p["passage_id"] == hit["passage_id"]]
    assert found and found[0]["quote"] == hit["quote"] and found[0]["citation"] == hit["citation"]


def test_passage_comes_with_its_neighbours(client):
    hit = client.get("/search", params={"q": "村集体经济薄弱", "k": 1}).json()["hits"][0]
    body = client.get(f"/passages/{hit['passage_id']}", params={"window": 2}).json()
    passage = body["passage"]
    assert {k: passage[k] for k in HIT_KEYS - {"rank", "score"}} == {k: hit[k] for k in HIT_KEYS - {"rank", "score"}}
    doc = client.get(f"/documents/{hit['doc_id']}").json()
    ids = [p["passage_id"] for p in doc["passages"]]
    at = ids.index(hit["passage_id"])
    assert [p["passage_id"] for p in body["before"]] == ids[max(0, at - 2) : at]
    assert [p["passage_id"] for p in body["after"]] == ids[at + 1 : at + 3]


@pytest.mark.parametrize(
    ("path", "params", "status"),
    [
        ("/search", {"q": ""}, 422),
        ("/search", {"q": "   "}, 422),
        ("/search", {"q": "党建" * 251}, 422),
        ("/search", {"q": "党建\x00工作"}, 422),
        ("/search", {"q": "党建\x1b工作"}, 422),
        ("/search", {"q": "？！。，"}, 422),
        ("/search", {}, 422),
        ("/search", {"q": "党建", "k": 0}, 422),
        ("/search", {"q": "党建", "k": 101}, 422),
        ("/search", {"q": "党建", "k": "十"}, 422),
        ("/search", {"q": "党建", "role": "nonsense"}, 422),
        ("/search", {"q": "党建", "place": "县" * 51}, 422),
        ("/documents", {"limit": 0}, 422),
        ("/documents", {"limit": 101}, 422),
        ("/documents", {"offset": -1}, 422),
        ("/documents", {"limit": "all"}, 422),
        ("/passages/abc", {"window": 11}, 422),
        ("/documents/0000000000000000", {}, 404),
        ("/passages/0000000000000000", {}, 404),
        ("/jobs/0000000000000000", {}, 404),
        ("/no/such/page", {}, 404),
    ],
)
def test_bad_reads_get_the_one_error_body(client, path, params, status):
    assert_error(client.get(path, params=params), status)


def test_writes_are_disabled_without_a_configured_token(client):
    for response in (client.post("/documents", json={"text": "党建"}, headers=AUTH),
                     client.delete("/documents/0000000000000000", headers=AUTH)):
        assert "DJKG_API_TOKEN" in assert_error(response, 403)["message"]


def test_writes_need_the_right_token(writer):
    for headers in ({}, {"Authorization": f"Basic {TOKEN}"}):
        response = writer.post("/documents", json={"text": "党建"}, headers=headers)
        assert_error(response, 401)
        assert response.headers["www-authenticate"] == "Bearer"
        assert_error(writer.delete("/documents/0000000000000000", headers=headers), 401)
    wrong = {"Authorization": "Bearer not-the-token"}
    assert_error(writer.post("/documents", json={"text": "党建"}, headers=wrong), 403)
    assert_error(writer.delete("/documents/0000000000000000", headers=wrong), 403)
    assert_error(writer.delete("/documents/0000000000000000", headers=AUTH), 404)


def test_bad_uploads(writer):
    big = "党" * (UPLOAD_LIMIT // 3 + 10)
    assert_error(writer.post("/documents", json={"text": big}, headers=AUTH), 413)
    assert_error(writer.post("/documents", files={"file": ("big.txt", big.encode())}, headers=AUTH), 413)
    chunks = (b'{"text": "' + b"a" * 65536 for _ in range(8))
    chunked = {**AUTH, "Content-Type": "application/json"}
    assert_error(writer.post("/documents", content=chunks, headers=chunked), 413)
    assert_error(writer.post("/documents", content="党建", headers={**AUTH, "Content-Type": "text/plain"}), 415)
    assert_error(writer.post("/documents", files={"file": ("a.exe", b"MZ")}, headers=AUTH), 415)
    assert_error(writer.post("/documents", content=b"{not json", headers=chunked), 422)
    assert_error(writer.post("/documents", json={"name": "a.txt"}, headers=AUTH), 422)
    assert_error(writer.post("/documents", json={"text": " \n "}, headers=AUTH), 422)
    assert_error(writer.post("/documents", json={"text": "党建", "meta": {"color": "red"}}, headers=AUTH), 422)
    assert_error(writer.post("/documents", data={"meta": "{}"}, files={"other": ("a.txt", b"x")}, headers=AUTH), 422)


def _ingested(writer: httpx.Client, response: httpx.Response) -> str:
    assert response.status_code == 202, response.text
    job = wait_for(writer, response.json()["job_id"])
    assert job["status"] == "done" and job["documents"] == 1 and job["passages"] > 5, job
    return job["doc_ids"][0]


def test_text_upload_is_searchable_then_removed(writer):
    text = report_text(7, "关于星火议事厅建设情况的调研报告", "星火议事厅")
    meta = {"author": "李明", "date": "2024-03-01", "source": "青川县人民政府网"}
    doc_id = _ingested(writer, writer.post("/documents", json={"text": text, "name": "星火.txt", "meta": meta},
                                           headers=AUTH))
    hits = writer.get("/search", params={"q": "星火议事厅", "k": 3}).json()["hits"]
    assert hits[0]["doc_id"] == doc_id and "星火议事厅" in hits[0]["quote"]
    reference = "李明. 关于星火议事厅建设情况的调研报告[EB/OL]. 青川县人民政府网, 2024-03-01"
    assert hits[0]["reference"].startswith(reference)
    doc = writer.get(f"/documents/{doc_id}").json()
    assert doc["path"] == "upload/星火.txt" and doc["context"] in text
    removed = writer.delete(f"/documents/{doc_id}", headers=AUTH).json()
    assert removed["doc_id"] == doc_id and removed["removed_passages"] > 0
    assert all(h["doc_id"] != doc_id for h in writer.get("/search", params={"q": "星火议事厅"}).json()["hits"])
    assert_error(writer.get(f"/documents/{doc_id}"), 404)
    assert_error(writer.delete(f"/documents/{doc_id}", headers=AUTH), 404)


def test_file_upload_in_gbk_is_read_like_djkg_ingest(writer):
    text = report_text(11, "红旗渠精神教育基地建设调研报告", "红旗夜话")
    files = {"file": ("红旗.txt", text.encode("gb18030"), "text/plain")}
    doc_id = _ingested(writer, writer.post("/documents", files=files, data={"meta": '{"author": "王芳"}'},
                                           headers=AUTH))
    hit = writer.get("/search", params={"q": "红旗夜话", "k": 1}).json()["hits"][0]
    assert hit["doc_id"] == doc_id and hit["title"] == "红旗渠精神教育基地建设调研报告"
    again = writer.post("/documents", files=files, headers=AUTH)
    assert wait_for(writer, again.json()["job_id"])["unchanged"] == 1
    assert writer.delete(f"/documents/{doc_id}", headers=AUTH).status_code == 200


def test_a_long_file_name_keeps_its_suffix(writer):
    name = "关于" + "村级组织建设" * 50 + "的调研报告.txt"
    assert len(name) > 300
    files = {"file": (name, report_text(61, "关于长名字的调研报告", "长名").encode(), "text/plain")}
    doc_id = _ingested(writer, writer.post("/documents", files=files, headers=AUTH))
    path = writer.get(f"/documents/{doc_id}").json()["path"]
    assert path.startswith("upload/关于村级组织建设") and path.endswith(".txt")
    assert len(path) == len("upload/") + 200


def test_reads_keep_working_while_an_ingest_job_runs(writer):
    text = report_text(23, "关于党建引领基层治理的调研报告", "红色管家", paragraphs=14)
    job = writer.post("/documents", json={"text": text}, headers=AUTH).json()
    during, slowest_ms, i = 0, 0.0, 0
    while writer.get(f"/jobs/{job['job_id']}").json()["status"] in ("queued", "running"):
        started = time.perf_counter()
        response = writer.get("/search", params={"q": f"第{i}个村党组织软弱涣散怎么整顿", "k": 5})
        slowest_ms = max(slowest_ms, (time.perf_counter() - started) * 1000)
        assert response.status_code == 200 and response.json()["hits"]
        assert writer.get("/documents", params={"limit": 1}).status_code == 200
        during, i = during + 1, i + 1
    assert wait_for(writer, job["job_id"])["status"] == "done"
    assert during >= 3, "the job ended before reads could overlap it"


def test_removals_wait_for_one_document_not_for_the_whole_job(writer):
    """A job of several reports takes the write lock per document: a DELETE during it answers in seconds."""
    reports = [report_text(40 + i, f"关于第{i + 1}批村级组织建设情况的调研报告", f"先锋{i}号", paragraphs=12)
               for i in range(10)]
    keep = writer.get("/documents", params={"limit": 1}).json()["items"][0]["doc_id"]
    job = writer.post("/documents", json={"text": "\n".join(reports), "name": "六份报告.txt"}, headers=AUTH).json()
    while writer.get(f"/jobs/{job['job_id']}").json()["status"] == "queued":
        time.sleep(0.05)
    timings = []
    for doc_id in ("0123456789abcdef", keep):
        started = time.perf_counter()
        response = writer.delete(f"/documents/{doc_id}", headers=AUTH)
        timings.append(time.perf_counter() - started)
        assert response.status_code == (404 if doc_id.startswith("0123") else 200), response.text
    running = writer.get(f"/jobs/{job['job_id']}").json()["status"]
    done = wait_for(writer, job["job_id"])
    assert done["status"] == "done" and done["documents"] == 10, done
    assert running == "running", "the job ended before the removals could overlap it"
    assert max(timings) < 5.0, timings
    assert writer.get(f"/documents/{keep}").status_code == 404


def test_djkg_serve_starts_and_answers(demo_db, cli_env, tmp_path):
    """`djkg serve` comes up and answers; its start-up time is measured by the benchmark, not asserted here."""
    port = free_port()
    started = time.monotonic()
    proc = subprocess.Popen(djkg_command() + ["serve", "--db", str(demo_db), "--port", str(port)],
                            env={**cli_env, "DJKG_STATE": str(tmp_path / "state")},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        ready_s = None
        while time.monotonic() - started < 60 and proc.poll() is None:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                    ready_s = time.monotonic() - started
                    break
            except httpx.TransportError:
                time.sleep(0.05)
        assert ready_s is not None, proc.stderr.read().decode() if proc.poll() is not None else "no answer"
        assert httpx.get(f"http://127.0.0.1:{port}/search", params={"q": "党建"}).status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_a_job_killed_with_its_server_is_reported_failed_after_a_restart(write_db, cli_env, tmp_path):
    import signal

    state = tmp_path / "state"
    env = {**cli_env, "DJKG_API_TOKEN": TOKEN, "TMPDIR": str(tmp_path), "DJKG_STATE": str(state)}
    port = free_port()
    proc = serve_process(write_db, port, env)
    base = f"http://127.0.0.1:{port}"
    try:
        text = "\n".join(report_text(80 + i, f"关于第{i + 1}批党员教育情况的调研报告", f"灯塔{i}号", paragraphs=12)
                         for i in range(12))
        job = httpx.post(f"{base}/documents", json={"text": text}, headers=AUTH, timeout=60).json()
        deadline = time.monotonic() + 60
        while httpx.get(f"{base}/jobs/{job['job_id']}").json()["status"] != "running":
            assert time.monotonic() < deadline, "the job never started"
            time.sleep(0.05)
        leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith("djkg-writer-")]
        assert leftovers, "the writer's scratch folder should exist while the job runs"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    assert all((tmp_path / name).exists() for name in leftovers)
    proc = serve_process(write_db, port, env)
    try:
        after = httpx.get(f"{base}/jobs/{job['job_id']}").json()
        assert after["status"] == "failed" and after["error"].startswith("interrupted"), after
        assert not any((tmp_path / name).exists() for name in leftovers)
        assert httpx.get(f"{base}/search", params={"q": "党员教育"}).status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert (state / "jobs.sqlite").exists()
