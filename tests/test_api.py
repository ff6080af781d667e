"""The HTTP API: validation in process, then a real `newsbot serve` over loopback."""

import httpx
import pytest
from conftest import BUNDLED, assert_offsets_valid, markers
from fastapi.testclient import TestClient

from bot.api import create_app

QUESTION = "Who heads Ukraine's delegation for the July 2025 round?"


@pytest.fixture(scope="module")
def client(bundled_bot):
    return TestClient(create_app(bundled_bot, BUNDLED))


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"question": ""}, 422, "empty"),
        ({"question": " \t\n "}, 422, "empty"),
        ({"question": "q" * 2001}, 422, "too long"),
        ({"question": 12}, 422, "question: Input should be a valid string"),
        ({"question": ["a"]}, 422, "question"),
        ({}, 422, "question: Field required"),
        ({"question": "Who?", "history": [{"role": "system", "content": "x"}]}, 422, "history.0.role"),
        ({"question": "Who?", "colour": "red"}, 422, "colour: Extra inputs are not permitted"),
    ],
)
def test_bad_requests_get_4xx_with_error(client, body, status, message):
    response = client.post("/api/ask", json=body)
    assert response.status_code == status
    assert set(response.json()) == {"error"}
    assert message in response.json()["error"]


def test_invalid_json_is_400(client):
    response = client.post("/api/ask", content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json() == {"error": "the request body is not valid JSON"}


def test_openapi_documents_the_api(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/ask", "/api/health"} <= set(paths)
    assert client.get("/docs").status_code == 200


@pytest.mark.slow
def test_served_api_answers_over_http(server, bundled_bot):
    health = httpx.get(f"{server.url}/api/health", timeout=10).json()
    assert health == {"status": "ok", "documents": 5, "passages": len(bundled_bot.index.passages)}
    response = httpx.post(f"{server.url}/api/ask", json={"question": QUESTION, "history": []}, timeout=30)
    assert response.status_code == 200
    answer = response.json()
    assert answer["grounded"] and "Umierov" in answer["answer"]
    assert answer["citations"][0]["date"] == "2025-07-23"
    assert markers(answer["answer"]) == {c["id"] for c in answer["citations"]}
    assert_offsets_valid(answer, bundled_bot.index.documents)


@pytest.mark.slow
def test_served_chat_works_through_gradio_client(server):
    from gradio_client import Client

    client = Client(server.url + "/", verbose=False)
    as_json = client.predict(QUESTION, api_name="/answer")
    assert as_json["grounded"] and "Umierov" in as_json["answer"]
    _, history, sources = client.predict(QUESTION, [], api_name="/ask")
    assert history[-1]["role"] == "assistant" and "Umierov" in str(history[-1]["content"])
    assert "<mark>" in sources and "Ukrainska Pravda, 23 July 2025" in sources


@pytest.mark.slow
def test_served_page_loads(server):
    page = httpx.get(server.url + "/", timeout=30)
    assert page.status_code == 200 and "newsbot" in page.text
