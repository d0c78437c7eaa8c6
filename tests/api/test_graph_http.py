"""GET /entities, /entities/{id}, /entities/{id}/neighbors and /experience over a real server."""

from urllib.parse import quote


def _error(response, status):
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    return body["error"]


def test_entities_are_paginated_and_typed(client):
    first = client.get("/entities", params={"type": "practice", "limit": 5}).json()
    second = client.get("/entities", params={"type": "practice", "limit": 5, "offset": 5}).json()
    assert first["total"] == second["total"] > 10
    assert len(first["items"]) == 5 and {e["type"] for e in first["items"]} == {"practice"}
    assert not {e["id"] for e in first["items"]} & {e["id"] for e in second["items"]}
    _error(client.get("/entities", params={"type": "nonsense"}), 422)
    _error(client.get("/entities", params={"limit": 0}), 422)


def test_entity_with_evidence_and_neighbours(client):
    entity_id = client.get("/entities", params={"type": "problem", "limit": 1}).json()["items"][0]["id"]
    found = client.get(f"/entities/{quote(entity_id)}").json()
    assert found["id"] == entity_id and found["evidence"]
    assert all(hit["citation"].startswith("《") for hit in found["evidence"])
    neighbors = client.get(f"/entities/{quote(entity_id)}/neighbors").json()
    assert neighbors and {"id", "name", "type", "relation", "direction", "weight", "evidence"} <= set(neighbors[0])
    assert _error(client.get("/entities/practice:不存在"), 404)["code"] == "not_found"
    _error(client.get("/entities/practice:不存在/neighbors"), 404)


def test_experience_json_matches_the_cli_contract(client):
    data = client.get("/experience", params={"problem": "村集体经济收入低", "k": 5}).json()
    assert data["problems"][0]["name"] == "集体经济薄弱"
    assert data["problems"][0]["topics"] == ["集体经济"]
    assert len(data["results"]) == 5
    for result in data["results"]:
        assert {"rank", "score", "entity_id", "name", "type", "places", "evidence"} <= set(result)
        assert result["evidence"] and "quote" in result["evidence"][0]
        if not result["entity_id"].startswith("statement:"):  # a graph entity; a statement is a passage's lead
            assert client.get(f"/entities/{result['entity_id']}").status_code == 200
    explained = client.get("/experience", params={"problem": "村集体经济收入低", "k": 3, "explain": "true"}).json()
    for result in explained["results"]:
        assert {"relevance", "routes", "role", "outcomes", "generic", "case_score", "score"} <= set(result["explain"])
    assert "explain" not in data["results"][0] or data["results"][0]["explain"] is None
    empty = client.get("/experience", params={"problem": "如何提高小学生的数学考试成绩"}).json()
    assert empty["results"] == [] and "not about party-building" in empty["reason"]
    for params in ({"problem": ""}, {"problem": "党建", "k": 0}, {"problem": "党建\x01"}, {"problem": "党" * 501}):
        _error(client.get("/experience", params=params), 422)
