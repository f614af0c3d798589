"""Schemathesis against the API's own OpenAPI document, over real HTTP (issue 5
acceptance: no 5xx responses and no schema violations).

The document is fetched from the live server (it needs a login, like every route), and
each operation gets generated requests, valid and invalid, sent with the SECRET
reviewer's token (a reviewer, so that generated ``as_of`` values are honoured rather than
refused). Every response is checked: no server error, a documented status code and
content type, a body that matches the documented schema, and the documented headers.
Bounded: `EXAMPLES` generated requests per operation, plus schemathesis's coverage
phase (boundary and invalid values): about 400 requests, 15-20 s in all, most of it in
the person index and the export, which read every cable they select.
"""

from __future__ import annotations

from pathlib import Path

import httpx2
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from web_support import SECRET, WebArchive, bearer

from cablegram.web import create_app

EXAMPLES = 15
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


# The document as the application builds it (no archive needed for that); the first test
# checks that the live server serves exactly this one.
DOCUMENT = create_app(Path("never-opened")).openapi()
schema = schemathesis.openapi.from_dict(DOCUMENT)


def test_the_server_serves_the_tested_document(live_server: str, web_archive: WebArchive) -> None:
    served = httpx2.get(f"{live_server}/api/v1/openapi.json", headers=bearer(web_archive, SECRET))
    assert served.status_code == 200
    assert served.json() == DOCUMENT


@pytest.mark.slow
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_the_api_keeps_its_document(
    case: schemathesis.Case, live_server: str, web_archive: WebArchive
) -> None:
    headers = bearer(web_archive, SECRET)
    response = case.call(base_url=live_server, headers=headers, timeout=30)
    case.validate_response(response, checks=CHECKS, headers=headers)
