"""The HTTP API: validation in process, then a real `newsbot serve` over loopback."""

import httpx
import pytest
from conftest import BUNDLED, assert_offsets_valid, markers
from fastapi.testclient import TestClient

from bot.api import create_app
from bot.config import Settings

QUESTION = "Who heads Ukraine's delegation for the July 2025 round?"


@pytest.fixture(scope="module")
def client(bundled_bot, tmp_path_factory):
    settings = Settings(documents=BUNDLED, index_dir=tmp_path_factory.mktemp("api-index"))
    return TestClient(create_app(bundled_bot, settings))


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
        ({"question": "\x00\x01\x7f\u200b"}, 422, "empty"),
        ({"question": "Who? " * 2500}, 422, "too long"),
        ({"question": None}, 422, "question"),
        ({"question": {"text": "Who?"}}, 422, "question"),
        ([], 422, "body"),
        ("Who?", 422, "body"),
    ],
)
def test_bad_requests_get_4xx_with_error(client, body, status, message):
    response = client.post("/api/ask", json=body)
    assert response.status_code == status
    assert set(response.json()) == {"error"}
    assert message in response.json()["error"]


@pytest.mark.parametrize(
    ("path", "body", "accept", "said", "language"),
    [
        ("/api/ask", {"question": ""}, "uk-UA,uk;q=0.9,en;q=0.8", "Запитання порожнє.", "uk"),
        ("/api/check", {"claim": "?"}, "de-DE", "Die Behauptung enthält keine Wörter", "de"),
        ("/api/ask", {"question": "q" * 2001}, "es", "La pregunta es demasiado larga (2001 caracteres", "es"),
        ("/api/ask", {"question": ""}, "fr-FR", "the question is empty", "en"),
        ("/api/ask", {"question": ""}, "", "the question is empty", "en"),
    ],
)
def test_a_bad_question_is_told_in_the_language_the_client_accepts(client, path, body, accept, said, language):
    """As the chat words its note in the browser's language, the API words a bad question's
    error in the client's Accept-Language, where newsbot has it; English otherwise."""
    response = client.post(path, json=body, headers={"Accept-Language": accept} if accept else {})
    assert response.status_code == 422
    assert said in response.json()["error"]
    assert response.headers["content-language"] == language


@pytest.mark.parametrize(
    "question",
    [
        "Who heads Ukraine's delegation? 🇺🇦😀",
        "من يرأس الوفد الأوكراني؟ Who heads the delegation?",
        "Who\x07 heads\x1b the delegation?",
    ],
)
def test_odd_but_valid_questions_get_answers(client, question):
    response = client.post("/api/ask", json={"question": question})
    assert response.status_code == 200
    assert set(response.json()) == {"answer", "short_answer", "grounded", "citations", "mode"}


def test_invalid_json_is_400(client):
    response = client.post("/api/ask", content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json() == {"error": "the request body is not valid JSON"}


def test_a_body_sent_as_a_form_is_told_to_send_json(client):
    response = client.post("/api/ask", data={"question": "Who?"})
    assert response.status_code == 422
    assert "Content-Type: application/json" in response.json()["error"]


@pytest.mark.parametrize(
    ("method", "path", "status", "message"),
    [
        ("GET", "/api/ask", 405, "/api/ask takes POST, not GET"),
        ("DELETE", "/api/health", 405, "/api/health takes GET"),
        ("GET", "/api/answer", 404, "no such API path: /api/answer"),
        ("POST", "/api/", 404, "/api/ask"),
    ],
)
def test_an_unknown_api_path_or_method_gets_the_api_error_shape(client, method, path, status, message):
    response = client.request(method, path, json={"question": "Who?"})
    assert response.status_code == status
    assert set(response.json()) == {"error"} and message in response.json()["error"]
    assert "/embed" not in response.json()["error"]  # a page of the chat, not of the API
    assert client.get("/").status_code == 200  # the chat mounted at / still answers


def test_openapi_documents_the_api(client):
    schema = client.get("/openapi.json").json()
    assert {"/api/ask", "/api/health"} <= set(schema["paths"])
    short = schema["components"]["schemas"]["AskResponse"]["properties"]["short_answer"]
    assert {"type": "null"} in short["anyOf"] and "as written" in short["description"]
    assert client.get("/docs").status_code == 200


@pytest.mark.slow
def test_served_api_answers_over_http(server, bundled_bot):
    health = httpx.get(f"{server.url}/api/health", timeout=10).json()
    passages = len(bundled_bot.index.passages)
    assert health == {"status": "ok", "documents": 5, "passages": passages, "languages": ["English"]}
    response = httpx.post(f"{server.url}/api/ask", json={"question": QUESTION, "history": []}, timeout=30)
    assert response.status_code == 200
    answer = response.json()
    short = answer["short_answer"]
    assert answer["grounded"] and short and answer["answer"].startswith(short[:1].upper() + short[1:])
    assert short in answer["citations"][0]["text"], "the short answer is quoted from the first cited passage"
    assert answer["citations"][0]["date"] == "2025-07-23"
    assert markers(answer["answer"]) == {c["id"] for c in answer["citations"]}
    assert_offsets_valid(answer, bundled_bot.index.documents)


@pytest.mark.slow
def test_served_chat_works_through_gradio_client(server):
    from gradio_client import Client

    client = Client(server.url + "/", verbose=False)
    as_json = client.predict(QUESTION, api_name="/answer")
    assert as_json["grounded"] and as_json["short_answer"] and as_json["short_answer"] in as_json["answer"]
    _, history, sources, note = client.predict(QUESTION, [], api_name="/ask")
    assert history[-1]["role"] == "assistant" and as_json["short_answer"] in str(history[-1]["content"])
    assert "<mark>" in sources and "Ukrainska Pravda, 23 July 2025" in sources and note == ""


@pytest.mark.slow
def test_served_page_loads(server):
    page = httpx.get(server.url + "/", timeout=30)
    assert page.status_code == 200 and "newsbot" in page.text


def guarded_client(bot, tmp_path, **settings) -> TestClient:
    return TestClient(create_app(bot, Settings(documents=BUNDLED, index_dir=tmp_path, **settings)))


def test_no_cross_origin_access_by_default(client):
    response = client.post("/api/ask", json={"question": QUESTION}, headers={"origin": "https://wiki.example"})
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers


def test_cors_allow_list(bundled_bot, tmp_path):
    client = guarded_client(bundled_bot, tmp_path, cors_origins=("https://wiki.example",))
    preflight = {"access-control-request-method": "POST", "access-control-request-headers": "content-type"}
    allowed = client.options("/api/ask", headers={"origin": "https://wiki.example", **preflight})
    assert allowed.headers["access-control-allow-origin"] == "https://wiki.example"
    other = client.options("/api/ask", headers={"origin": "https://elsewhere.example", **preflight})
    assert "access-control-allow-origin" not in other.headers


def test_bearer_token_guards_the_api_but_not_health(bundled_bot, tmp_path):
    client = guarded_client(bundled_bot, tmp_path, api_token="s3cret")
    body = {"question": QUESTION}
    for headers in ({}, {"authorization": "Bearer wrong"}, {"authorization": "Basic s3cret"}):
        refused = client.post("/api/ask", json=body, headers=headers)
        assert refused.status_code == 401 and "bearer token" in refused.json()["error"]
        assert refused.headers["www-authenticate"] == "Bearer"
    assert client.post("/api/ask", json=body, headers={"authorization": "Bearer s3cret"}).status_code == 200
    assert client.post("/api/check", json={"claim": QUESTION}).status_code == 401
    assert client.get("/api/health").status_code == 200


def test_rate_limit_answers_429_with_a_message(bundled_bot, tmp_path):
    client = guarded_client(bundled_bot, tmp_path, rate_limit="3/minute")
    statuses = [client.post("/api/ask", json={"question": QUESTION}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.post("/api/check", json={"claim": QUESTION})
    assert refused.status_code == 429 and "too many requests" in refused.json()["error"]
    assert client.get("/api/health").status_code == 200, "reads are not counted"


def test_oversized_bodies_get_413(bundled_bot, tmp_path):
    client = guarded_client(bundled_bot, tmp_path, max_request_bytes=2048)
    big = {"question": "x" * 5000}
    response = client.post("/api/ask", json=big)
    assert response.status_code == 413 and "larger than 2048 bytes" in response.json()["error"]

    def chunks():  # no content-length: counted as it arrives
        yield b'{"question": "'
        for _ in range(10):
            yield b"y" * 500
        yield b'"}'

    streamed = client.post("/api/ask", content=chunks(), headers={"content-type": "application/json"})
    assert streamed.status_code == 413


def test_feedback_is_recorded(bundled_bot, tmp_path):
    from bot.feedback import FILE_NAME, FeedbackStore

    client = guarded_client(bundled_bot, tmp_path)
    body = {"question": QUESTION, "answer": "Rustem Umierov. [1]", "helpful": False}
    assert client.post("/api/feedback", json=body).json() == {"status": "recorded"}
    assert client.post("/api/feedback", json={**body, "helpful": "no"}).status_code == 422
    rows = FeedbackStore(tmp_path / FILE_NAME).all()
    assert [(r["question"], r["helpful"], r["page"]) for r in rows] == [(QUESTION, 0, "api")]


def test_ui_login_when_set(bundled_bot, tmp_path):
    client = guarded_client(bundled_bot, tmp_path, ui_login="ann:pw1")
    assert client.get("/config").status_code == 401
    assert client.get("/embed/config").status_code == 401
    assert client.post("/login", data={"username": "ann", "password": "nope"}).status_code == 400
    assert client.post("/login", data={"username": "ann", "password": "pw1"}).status_code == 200
    assert client.get("/config").status_code == 200
    assert guarded_client(bundled_bot, tmp_path).get("/config").status_code == 200, "open by default"
