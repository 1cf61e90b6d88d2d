"""The running service fuzzed from its own OpenAPI schema (schemathesis): no 5xx, no dropped connection.

A real ``newsbrief serve`` process on loopback, so the whole stack (uvicorn, middleware, worker
processes) is under test; every endpoint gets at least 200 generated requests, valid and
invalid. Marked ``slow``; ``pytest -m 'not slow'`` leaves it out.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
schemathesis = pytest.importorskip("schemathesis")
httpx = pytest.importorskip("httpx")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis.errors import Unsatisfiable  # noqa: E402

from test_service_process import Server  # noqa: E402

pytestmark = pytest.mark.slow
EXAMPLES = 200  # per endpoint: half valid requests, half invalid


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server = Server(tmp_path_factory.mktemp("fuzz") / "fuzz.db")  # drains the server's stderr
    yield server.url
    server.stop()


@pytest.fixture(scope="module")
def api_schema(server_url: str) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_url(server_url + "/openapi.json")


def _endpoints() -> list[tuple[str, str]]:
    """Every operation of the schema (read from the app itself, so collection needs no server)."""
    from newsbrief.service.app import create_app
    from newsbrief.service.config import ServiceConfig

    app = create_app(ServiceConfig(db_path=Path(tempfile.mkdtemp(prefix="newsbrief-schema-")) / "s.db"))
    return sorted((m.upper(), p) for p, ops in app.openapi()["paths"].items() for m in ops)


@pytest.mark.parametrize("mode", ["positive", "negative"])
@pytest.mark.parametrize(("method", "path"), _endpoints())
def test_no_server_error_and_no_dropped_connection(
    api_schema: schemathesis.BaseSchema, server_url: str, method: str, path: str, mode: str
) -> None:
    operation = api_schema[path][method]
    strategy = operation.as_strategy(schemathesis.GenerationMode(mode))

    @given(case=strategy)
    @settings(max_examples=EXAMPLES // 2, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def one(case: schemathesis.Case) -> None:
        response = case.call(base_url=server_url, timeout=60)  # a dropped connection raises here
        assert response.status_code < 500, (case.method, case.path, response.status_code, response.text[:500])
        if response.status_code >= 400:  # every error is the one JSON error shape
            body = response.json()
            assert set(body) == {"error"} and body["error"]["code"], response.text[:500]

    try:
        one()
    except Unsatisfiable:
        assert mode == "negative"
        pytest.skip(f"{method} {path} has no parameters or body to make invalid")


def test_healthz_answers_after_the_fuzzing(server_url: str) -> None:
    assert httpx.get(server_url + "/healthz", timeout=5).status_code == 200
