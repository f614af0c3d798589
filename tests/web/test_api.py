"""The HTTP API (/api/v1): what each route answers, for whom, and what it records.

The archive is `conftest.web_archive` (about 200 synthetic cables, the seed 07MOSCOW1002
and a generated part I, 07MOSCOW1001); the application's clock says 2010-01-01, before
the seed's declassification (2017-03-01).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from fastapi.testclient import TestClient
from web_support import (
    CONFIDENTIAL,
    SECRET,
    SERVER_DAY,
    UNCLEARED,
    WebArchive,
    WebUser,
    bearer,
    login,
)

from cablegram.access.audit import AuditEntry, AuditLog
from cablegram.access.users import SqliteUserStore
from cablegram.archive import Archive
from cablegram.archive.export import export
from cablegram.web.models import Cable, SearchPage
from cablegram.web.problems import PROBLEM_MEDIA_TYPE
from seed_archive import PART_ONE_ID, SEED_ID, SEED_PARAGRAPH_12, SEED_PARAGRAPH_18

REPO = Path(__file__).resolve().parents[2]
CABLE_SCHEMA = json.loads((REPO / "docs" / "cable.schema.json").read_text(encoding="utf-8"))


def get(
    client: TestClient, web_archive: WebArchive, user: WebUser, path: str, **params: Any
) -> Any:
    response = client.get(f"/api/v1{path}", params=params, headers=bearer(web_archive, user))
    assert response.status_code == 200, response.text
    return response.json()


def problem_of(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    return body


def audit_since(web_archive: WebArchive, seq: int) -> list[AuditEntry]:
    with AuditLog(web_archive.path, web_archive.key_dir) as log:
        return [entry for entry in log.entries() if entry.seq > seq]


def last_seq(web_archive: WebArchive) -> int:
    with AuditLog(web_archive.path, web_archive.key_dir) as log:
        entries = log.entries()
    return entries[-1].seq if entries else 0


needs_seed = pytest.mark.usefixtures("shared_dir")


# --- /me ---------------------------------------------------------------------------------


@pytest.mark.parametrize("user", [UNCLEARED, CONFIDENTIAL, SECRET], ids=lambda u: u.name)
def test_me_describes_the_token_holder(
    client: TestClient, web_archive: WebArchive, user: WebUser
) -> None:
    me = get(client, web_archive, user, "/me")
    assert me["name"] == user.name
    assert me["clearance"] == user.clearance.name
    assert me["as_of"] == SERVER_DAY.isoformat()
    assert me["authenticated_by"] == "token"
    assert me["may_set_as_of"] == (user is SECRET)


def test_me_through_a_session(client: TestClient) -> None:
    login(client, CONFIDENTIAL)
    me = client.get("/api/v1/me").json()
    assert (me["name"], me["authenticated_by"]) == (CONFIDENTIAL.name, "session")


# --- search ------------------------------------------------------------------------------


def test_cursor_pages_visit_every_hit_once(client: TestClient, web_archive: WebArchive) -> None:
    whole = get(client, web_archive, SECRET, "/search", q="", sort="date", limit=100)
    assert whole["total"] > 100  # so that the walk below takes several pages
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"q": "", "sort": "date", "limit": 30}
        if cursor:
            params["cursor"] = cursor
        page = get(client, web_archive, SECRET, "/search", **params)
        assert page["total"] == whole["total"]
        assert page["offset"] == len(seen)
        seen += [hit["id"] for hit in page["hits"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == whole["total"]
    assert seen[:100] == [hit["id"] for hit in whole["hits"]]


def test_a_cursor_belongs_to_its_query(client: TestClient, web_archive: WebArchive) -> None:
    first = get(client, web_archive, SECRET, "/search", q="", limit=5)
    other = client.get(
        "/api/v1/search",
        params={"q": "tag:PREL", "cursor": first["next_cursor"]},
        headers=bearer(web_archive, SECRET),
    )
    assert "another query" in problem_of(other, 400)["detail"]
    resorted = client.get(
        "/api/v1/search",
        params={"q": "", "sort": "-date", "cursor": first["next_cursor"]},
        headers=bearer(web_archive, SECRET),
    )
    problem_of(resorted, 400)


@pytest.mark.parametrize(
    "cursor", ["%%%", "bm9jb2xvbg", "LTE6MA"], ids=["not-base64", "no-colon", "negative"]
)
def test_malformed_cursors_are_refused(
    client: TestClient, web_archive: WebArchive, cursor: str
) -> None:
    response = client.get(
        "/api/v1/search", params={"q": "", "cursor": cursor}, headers=bearer(web_archive, SECRET)
    )
    problem_of(response, 400)


@pytest.mark.parametrize(
    ("query", "position"),
    [
        pytest.param("(a b", 0, id="unclosed-group"),
        pytest.param("a )", 2, id="unmatched-close"),
        pytest.param("tag:", 4, id="missing-value"),
        pytest.param("x note:y", 2, id="unknown-field"),
    ],
)
def test_a_malformed_query_is_a_problem_with_its_position(
    client: TestClient, web_archive: WebArchive, query: str, position: int
) -> None:
    for path in ("/search", "/people", "/export"):
        response = client.get(
            f"/api/v1{path}", params={"q": query}, headers=bearer(web_archive, SECRET)
        )
        assert problem_of(response, 400)["position"] == position


@pytest.mark.parametrize(
    "params",
    [{"limit": 0}, {"limit": 101}, {"sort": "score"}, {"facets": "perhaps"}, {"q": "x" * 1001}],
    ids=["limit-0", "limit-101", "bad-sort", "bad-facets", "long-query"],
)
def test_bad_parameters_are_problems(
    client: TestClient, web_archive: WebArchive, params: dict[str, Any]
) -> None:
    response = client.get("/api/v1/search", params=params, headers=bearer(web_archive, SECRET))
    problem_of(response, 422)


@needs_seed
def test_search_counts_only_what_the_reader_may_read(
    client: TestClient, web_archive: WebArchive
) -> None:
    # "Iskander-E" is written only in the seed's SECRET paragraph 18.
    assert get(client, web_archive, SECRET, "/search", q="Iskander")["total"] == 1
    assert get(client, web_archive, CONFIDENTIAL, "/search", q="Iskander")["total"] == 0
    # Part I (all of its text SECRET or withheld) exists for C but not for U.
    found = {
        u.name: get(client, web_archive, u, "/search", q=f"id:{PART_ONE_ID}")["total"]
        for u in (UNCLEARED, CONFIDENTIAL)
    }
    assert found == {UNCLEARED.name: 0, CONFIDENTIAL.name: 1}


@pytest.mark.parametrize(
    "params",
    [
        {"q": "", "facets": "true"},
        {"q": "tag:PREL", "sort": "-date", "limit": 3},
        {"q": "embassy", "sort": "date"},
        {"q": "zzzz-no-such-word"},
    ],
    ids=["facets", "by-date", "oldest-first", "nothing"],
)
def test_search_pages_are_what_the_document_says(
    client: TestClient, web_archive: WebArchive, params: dict[str, Any]
) -> None:
    """The search route writes its JSON itself (not through `SearchPage`, for speed):
    its answers must still be exactly that model."""
    response = client.get("/api/v1/search", params=params, headers=bearer(web_archive, SECRET))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    page = SearchPage.model_validate_json(response.text, strict=True)
    assert page.model_dump(mode="json") == response.json()


def test_facets_count_the_hits(client: TestClient, web_archive: WebArchive) -> None:
    page = get(client, web_archive, CONFIDENTIAL, "/search", q="", facets=True, limit=1)
    facets = page["facets"]
    assert sum(b["count"] for b in facets["years"]) == page["total"]
    assert sum(b["count"] for b in facets["classifications"]) == page["total"]
    tag, count = facets["tags"][0]["value"], facets["tags"][0]["count"]
    assert get(client, web_archive, CONFIDENTIAL, "/search", q=f"tag:{tag}")["total"] == count
    assert get(client, web_archive, CONFIDENTIAL, "/search", q="")["facets"] is None


# --- cables ------------------------------------------------------------------------------


@needs_seed
def test_a_confidential_reader_gets_placeholders_for_secret_paragraphs(
    client: TestClient, web_archive: WebArchive
) -> None:
    shown = get(client, web_archive, CONFIDENTIAL, f"/cables/{SEED_ID}")
    jsonschema.validate(shown["cable"], CABLE_SCHEMA)
    assert not shown["complete"]
    withheld = {w["portion"]: w["marking"] for w in shown["withheld"]}
    assert withheld["paragraph:12"] == withheld["paragraph:18"] == "S"
    paragraphs = {p["number"]: p["text"] for p in shown["cable"]["paragraphs"]}
    assert paragraphs[12] == "[paragraph 12 withheld — S]"
    assert paragraphs[18] == "[paragraph 18 withheld — S]"
    assert shown["declassified_on"] == "2017-03-01"
    assert shown["as_of"] == SERVER_DAY.isoformat()


@needs_seed
def test_a_secret_reader_reads_the_whole_seed(client: TestClient, web_archive: WebArchive) -> None:
    shown = get(client, web_archive, SECRET, f"/cables/{SEED_ID}")
    jsonschema.validate(shown["cable"], CABLE_SCHEMA)
    assert shown["complete"] and shown["withheld"] == []
    paragraphs = {p["number"]: p["text"] for p in shown["cable"]["paragraphs"]}
    assert SEED_PARAGRAPH_12 in paragraphs[12]
    assert SEED_PARAGRAPH_18 in paragraphs[18]
    assert shown["versions"] == [
        {
            "version": 1,
            "released": None,
            "ingested_at": shown["versions"][0]["ingested_at"],
            "current": True,
        }
    ]


@needs_seed
def test_a_reviewer_reads_as_of_another_day(client: TestClient, web_archive: WebArchive) -> None:
    before = get(client, web_archive, SECRET, f"/cables/{SEED_ID}")
    after = get(client, web_archive, SECRET, f"/cables/{SEED_ID}", as_of="2020-01-01")
    assert before["declassified"] == []
    assert "paragraph:12" in after["declassified"] and after["as_of"] == "2020-01-01"


@needs_seed
def test_an_invisible_cable_is_not_found_exactly_like_a_missing_one(
    client: TestClient, web_archive: WebArchive
) -> None:
    for suffix in ("", "/versions", "/references"):
        invisible = client.get(
            f"/api/v1/cables/{PART_ONE_ID}{suffix}", headers=bearer(web_archive, UNCLEARED)
        )
        missing = client.get(
            f"/api/v1/cables/07MOSCOW9999{suffix}", headers=bearer(web_archive, UNCLEARED)
        )
        invisible_body = problem_of(invisible, 404)
        missing_body = problem_of(missing, 404)
        assert invisible_body["detail"].replace(PART_ONE_ID, "ID") == missing_body[
            "detail"
        ].replace("07MOSCOW9999", "ID")
        assert {**invisible_body, "detail": ""} == {**missing_body, "detail": ""}


def test_an_unknown_version_is_not_found(client: TestClient, web_archive: WebArchive) -> None:
    some_id = get(client, web_archive, SECRET, "/search", q="", limit=1)["hits"][0]["id"]
    assert get(client, web_archive, SECRET, f"/cables/{some_id}", version=1)["version"] == 1
    response = client.get(
        f"/api/v1/cables/{some_id}", params={"version": 2}, headers=bearer(web_archive, SECRET)
    )
    problem_of(response, 404)


def test_versions_list_numbers_not_texts(client: TestClient, web_archive: WebArchive) -> None:
    some_id = get(client, web_archive, SECRET, "/search", q="", limit=1)["hits"][0]["id"]
    versions = get(client, web_archive, SECRET, f"/cables/{some_id}/versions")
    assert [(v["version"], v["current"]) for v in versions] == [(1, True)]
    assert set(versions[0]) == {"version", "released", "ingested_at", "current"}


@needs_seed
def test_references_resolve_part_one_and_thread_the_parts(
    client: TestClient, web_archive: WebArchive
) -> None:
    graph = get(client, web_archive, SECRET, f"/cables/{SEED_ID}/references")
    ref_g = next(link for link in graph["cites"] if link["letter"] == "G")
    assert (ref_g["target"], ref_g["resolved"], ref_g["part"]) == (PART_ONE_ID, True, True)
    assert [(m["id"], m["part"]) for m in graph["thread"]] == [(PART_ONE_ID, 1), (SEED_ID, 2)]
    # REF A (STATE 003773) is not in the archive.
    assert "07STATE3773" in {link["target"] for link in graph["unresolved"]}


@needs_seed
def test_a_reader_who_cannot_see_part_one_gets_only_its_id(
    client: TestClient, web_archive: WebArchive
) -> None:
    graph = get(client, web_archive, UNCLEARED, f"/cables/{SEED_ID}/references")
    ref_g = next(link for link in graph["cites"] if link["letter"] == "G")
    assert (ref_g["target"], ref_g["resolved"]) == (PART_ONE_ID, False)
    assert PART_ONE_ID not in {node["id"] for node in graph["nodes"]}


def test_reference_depth_is_bounded(client: TestClient, web_archive: WebArchive) -> None:
    some_id = get(client, web_archive, SECRET, "/search", q="", limit=1)["hits"][0]["id"]
    response = client.get(
        f"/api/v1/cables/{some_id}/references",
        params={"depth": 4},
        headers=bearer(web_archive, SECRET),
    )
    problem_of(response, 422)


# --- people ------------------------------------------------------------------------------


def test_people_of_a_query_are_named_in_its_cables(
    client: TestClient, web_archive: WebArchive
) -> None:
    everyone = get(client, web_archive, SECRET, "/people", limit=1000)
    assert everyone["total"] == len(everyone["people"]) > 0
    person = everyone["people"][0]
    chosen = person["cables"][0]
    of_one = get(client, web_archive, SECRET, "/people", q=f"id:{chosen}")
    assert person["key"] in {p["key"] for p in of_one["people"]}
    assert all(p["cables"] == [chosen] for p in of_one["people"])
    assert len(get(client, web_archive, SECRET, "/people", limit=3)["people"]) == 3


# --- export ------------------------------------------------------------------------------


@pytest.mark.parametrize("user", [CONFIDENTIAL, SECRET], ids=lambda u: u.name)
@pytest.mark.parametrize("export_format", ["jsonl", "csv"])
def test_export_streams_what_the_export_service_writes(
    client: TestClient, web_archive: WebArchive, tmp_path: Path, user: WebUser, export_format: str
) -> None:
    query = "tag:PREL"
    response = client.get(
        "/api/v1/export",
        params={"q": query, "format": export_format},
        headers=bearer(web_archive, user),
    )
    assert response.status_code == 200
    assert (
        response.headers["content-disposition"]
        == f'attachment; filename="cablegram-export.{export_format}"'
    )
    expected = tmp_path / f"expected.{export_format}"
    users = SqliteUserStore(web_archive.path)
    try:
        found = users.get(user.name)
    finally:
        users.close()
    assert found is not None
    with Archive.open(web_archive.path) as archive:
        summary = export(archive, query, expected, export_format, found.principal(), SERVER_DAY)
    assert summary.written > 1
    assert response.content == expected.read_bytes()
    if export_format == "csv":
        rows = list(csv.reader(io.StringIO(response.text)))
        assert len(rows) == summary.written + 1
    else:
        assert len(response.text.splitlines()) == summary.written


def test_export_formats_are_checked(client: TestClient, web_archive: WebArchive) -> None:
    response = client.get(
        "/api/v1/export", params={"format": "parquet"}, headers=bearer(web_archive, SECRET)
    )
    problem_of(response, 422)


# --- audit -------------------------------------------------------------------------------


@needs_seed
def test_reads_searches_and_exports_are_audited_without_text(
    client: TestClient, web_archive: WebArchive
) -> None:
    start = last_seq(web_archive)
    get(client, web_archive, CONFIDENTIAL, f"/cables/{SEED_ID}")
    get(client, web_archive, CONFIDENTIAL, "/search", q="missile")
    client.get("/api/v1/export", params={"q": "missile"}, headers=bearer(web_archive, CONFIDENTIAL))
    get(client, web_archive, CONFIDENTIAL, f"/cables/{SEED_ID}/references")
    get(client, web_archive, CONFIDENTIAL, "/people", q="missile")
    client.get("/api/v1/cables/07MOSCOW9999", headers=bearer(web_archive, CONFIDENTIAL))
    entries = audit_since(web_archive, start)
    assert [(e.principal, e.action, e.target) for e in entries] == [
        (CONFIDENTIAL.name, "read", SEED_ID),
        (CONFIDENTIAL.name, "search", "missile"),
        (CONFIDENTIAL.name, "export", "missile"),
        (CONFIDENTIAL.name, "refs", SEED_ID),
        (CONFIDENTIAL.name, "people", "missile"),
        (CONFIDENTIAL.name, "read", "07MOSCOW9999"),
    ]
    read = json.loads(entries[0].detail)
    assert {"paragraph 12 S", "paragraph 18 S"} <= set(read["withheld"])
    assert read["as_of"] == SERVER_DAY.isoformat() and read["via"] == "token"
    assert json.loads(entries[-1].detail)["found"] is False
    for entry in entries:
        assert SEED_PARAGRAPH_12 not in entry.detail and SEED_PARAGRAPH_18 not in entry.detail


# --- the OpenAPI document ----------------------------------------------------------------


def test_the_openapi_document_needs_a_login(client: TestClient, web_archive: WebArchive) -> None:
    problem_of(client.get("/api/v1/openapi.json"), 401)
    document = get(client, web_archive, UNCLEARED, "/openapi.json")
    assert set(document["paths"]) == {
        "/api/v1/me",
        "/api/v1/search",
        "/api/v1/cables/{cable_id}",
        "/api/v1/cables/{cable_id}/versions",
        "/api/v1/cables/{cable_id}/references",
        "/api/v1/people",
        "/api/v1/export",
    }
    for operations in document["paths"].values():
        for operation in operations.values():
            for code, response in operation["responses"].items():
                if int(code) >= 400:
                    assert set(response["content"]) == {PROBLEM_MEDIA_TYPE}, (code, response)
    schemes = document["components"]["securitySchemes"]
    assert schemes["token"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schemes["token"]["description"],
    }


def _shape(schema: dict[str, Any], definitions: dict[str, Any]) -> Any:
    """The keys of a JSON Schema object, recursively (through $ref and nullable anyOf)."""
    if "$ref" in schema:
        return _shape(definitions[schema["$ref"].rsplit("/", 1)[-1]], definitions)
    if "anyOf" in schema:
        shapes = [_shape(s, definitions) for s in schema["anyOf"] if s.get("type") != "null"]
        return shapes[0] if len(shapes) == 1 else shapes
    if schema.get("type") == "array" or "items" in schema:
        return [_shape(schema.get("items", {}), definitions)]
    if "properties" in schema:
        return {key: _shape(value, definitions) for key, value in schema["properties"].items()} | {
            "required": sorted(schema.get("required", []))
        }
    return None


def test_the_cable_model_has_the_keys_of_the_cable_schema() -> None:
    model = Cable.model_json_schema(ref_template="#/$defs/{model}")
    assert _shape(model, model.get("$defs", {})) == _shape(CABLE_SCHEMA, CABLE_SCHEMA["$defs"])


def test_unknown_api_paths_are_problems(client: TestClient, web_archive: WebArchive) -> None:
    response = client.get("/api/v1/nothing", headers=bearer(web_archive, SECRET))
    problem_of(response, 404)
