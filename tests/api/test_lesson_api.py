"""/api/graph speaks the learner's language and sends each step's parts as data."""

from __future__ import annotations

from typing import Any

from .conftest import SIGMOID, AppClient, strict_json


def _graph(client: AppClient, **body: Any) -> tuple[int, Any]:
    response = client.post("/api/graph", json={**SIGMOID, **body})
    return response.status_code, strict_json(response.text)


def test_steps_in_chinese_and_english(client: AppClient) -> None:
    status, zh = _graph(client, lang="zh-CN")
    assert status == 200
    assert zh["steps"][0]["text"] == "输入 w0 = 2"
    _, en = _graph(client)
    assert en["steps"][0]["text"] == "input w0 = 2"
    # Only the words differ: the same numbers, parts and LaTeX structure.
    worded = ("text", "latex", "words")
    for a, b in zip(zh["steps"], en["steps"], strict=True):
        assert {k: v for k, v in a.items() if k not in worded} == {
            k: v for k, v in b.items() if k not in worded}
        assert _keys(a.get("words")) == _keys(b.get("words"))


def _keys(words: Any) -> Any:
    """The shape of a step's `words`: its keys, nested, without the words."""
    if isinstance(words, dict):
        return {key: _keys(value) for key, value in words.items()}
    return type(words).__name__


def test_an_unknown_language_is_a_422(client: AppClient) -> None:
    for lang in ("fr", "zh", "", None, 1):
        status, body = _graph(client, lang=lang)
        assert status == 422, lang
        assert body["detail"]["errors"][0]["loc"] == ["body", "lang"]


def test_step_parts(client: AppClient) -> None:
    _, body = _graph(client)
    edges = {e["id"]: e for e in body["edges"]}
    nodes = {n["id"]: n for n in body["nodes"]}
    forward = [s for s in body["steps"] if s["phase"] == "forward"]
    backward = [s for s in body["steps"] if s["phase"] == "backward"]
    for step in forward:
        node = nodes[step["node"]]
        assert step["result"] == node["value"] and step["latex"]
        assert sorted(step["operands"]) == sorted(e for e in edges
                                                  if edges[e]["target"] == node["id"])
        assert all(edges[w]["value"] == v for w, v in step["operands"].items())
    for step in backward:
        node = nodes[step["node"]]
        assert step["upstream"] == node["grad"]
        for wire, local in step["locals"].items():
            assert edges[wire]["target"] == node["id"]
            assert abs(local * step["upstream"] - edges[wire]["grad"]) < 1e-12
    sigmoid = next(s for s in backward if nodes[s["node"]]["op"] == "sigmoid")
    assert sigmoid["upstream"] == 1.0 and list(sigmoid["locals"].values()) == [
        0.19661193324148185]
    assert r"\sigma" in sigmoid["latex"] and "0.2689" in sigmoid["latex"]


def test_the_openapi_document_names_lang(client: AppClient) -> None:
    schema = client.get("/openapi.json").json()["components"]["schemas"]
    assert schema["GraphRequest"]["properties"]["lang"]["enum"] == ["en", "zh-CN"]
    assert {"latex", "upstream", "locals"} <= set(schema["StepOut"]["properties"])


def test_examples_in_both_languages(client: AppClient) -> None:
    english = client.get("/api/examples").json()
    chinese = client.get("/api/examples?lang=zh-CN").json()
    assert [e["id"] for e in english] == [e["id"] for e in chinese]
    for en, zh in zip(english, chinese, strict=True):
        assert {k: v for k, v in en.items() if k not in ("title", "lesson")} == {
            k: v for k, v in zh.items() if k not in ("title", "lesson")}
        assert any("\u4e00" <= ch <= "\u9fff" for ch in zh["lesson"]), zh["id"]
    assert client.get("/api/examples?lang=fr").status_code == 422
