"""Fuzzing: schemathesis generates requests from the app's own OpenAPI schema; no input may get a 5xx.

Besides "no 5xx", the responses must match the schema: documented status codes, content types and bodies.
"""

from __future__ import annotations

import shutil

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.conftest import TOKEN, Server
from tests.conftest import BACKENDS, pg_copy

MAX_EXAMPLES = 40


@pytest.fixture(scope="module", params=BACKENDS)
def fuzz_server(request, demo_store, tmp_path_factory):
    """A private copy of the demo store on each backend with writes allowed, since fuzzed uploads and deletes
    do land."""
    folder = tmp_path_factory.mktemp("fuzz")
    if request.param == "sqlite":
        db = folder / "store"
        shutil.copytree(demo_store, db)
    else:
        db = pg_copy(request.getfixturevalue("postgres"), demo_store)
    with Server(db, token=TOKEN, state_dir=folder / "state") as server:
        yield server


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def fuzz(operation, mode: GenerationMode) -> None:
    """Run MAX_EXAMPLES generated requests of one mode against one operation."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def run(case) -> None:
        case.call_and_validate(headers={"Authorization": f"Bearer {TOKEN}"}, checks=CHECKS, timeout=60)

    run()


def has_inputs(operation) -> bool:
    """Whether a request of this operation has anything that invalid data could be put in."""
    return any(len(part) for part in (operation.path_parameters, operation.query, operation.body))


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_input_gets_a_server_error(fuzz_server, mode):
    schema = schemathesis.openapi.from_url(f"{fuzz_server.url}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 7
    for operation in operations:
        if mode is GenerationMode.NEGATIVE and not has_inputs(operation):
            continue
        try:
            fuzz(operation, mode)
        except Exception as exc:
            exc.add_note(f"while fuzzing {operation.label} with {mode} data")
            raise
