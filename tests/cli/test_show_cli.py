"""`cablegram show`, `cablegram refs` and `cablegram people` on an archive of the seed and
its part I: text and JSON output, a reader's view with ``--as``, not-found errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cablegram.access.users import SqliteUserStore, User
from cablegram.cli import app
from cablegram.model import Level
from seed_archive import PART_ONE_ID, SEED_ID, SEED_PARAGRAPH_12, build

runner = CliRunner()


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory, seed_text: str) -> Path:
    path = build(tmp_path_factory.mktemp("cli"), seed_text)
    store = SqliteUserStore(path)
    try:
        store.add(User("carol", Level.CONFIDENTIAL))
    finally:
        store.close()
    return path


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_show_prints_the_original_telegram(archive: Path, seed_text: str) -> None:
    code, out, _ = run("show", SEED_ID, "--archive", str(archive))
    assert code == 0
    assert out == seed_text


def test_show_as_a_confidential_user_hides_paragraphs_12_and_18(archive: Path) -> None:
    code, out, _ = run(
        "show", SEED_ID, "--archive", str(archive), "--as", "carol", "--as-of", "2010-01-01"
    )
    assert code == 0
    assert "[paragraph 12 withheld — S]" in out
    assert "[paragraph 18 withheld — S]" in out
    assert SEED_PARAGRAPH_12 not in out


def test_show_json_lists_versions_and_withheld_portions(archive: Path) -> None:
    code, out, _ = run(
        "show", SEED_ID, "--json", "--archive", str(archive), "--as", "carol", "--as-of", "2010-01-01"
    )  # fmt: skip
    assert code == 0
    data = json.loads(out)
    assert data["id"] == SEED_ID
    assert [v["version"] for v in data["versions"]] == [1]
    assert {"paragraph:12", "paragraph:18"} <= {w["portion"] for w in data["withheld"]}
    assert data["as_of"] == "2010-01-01"


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(("show", "07MOSCOW9999"), id="missing"),
        pytest.param(("show", SEED_ID, "--version", "2"), id="missing-version"),
        pytest.param(("show", PART_ONE_ID, "--as", "carol", "--as-of", "2010-01-01"), id="hidden"),
        pytest.param(("refs", PART_ONE_ID, "--as", "carol", "--as-of", "2010-01-01"), id="refs"),
    ],
)
def test_missing_or_invisible_cables_are_not_found(archive: Path, args: tuple[str, ...]) -> None:
    code, out, err = run(*args, "--archive", str(archive))
    assert code == 1
    assert out == ""
    assert err.startswith(f"error: no cable {args[1]}")


def test_refs_json_gives_references_thread_and_unresolved(archive: Path) -> None:
    code, out, _ = run("refs", SEED_ID, "--json", "--archive", str(archive))
    assert code == 0
    data = json.loads(out)
    assert data["cable"]["id"] == SEED_ID
    assert [m["id"] for m in data["thread"]] == [PART_ONE_ID, SEED_ID]
    assert [(link["letter"], link["resolved"]) for link in data["cites"]][-1] == ("G", True)
    assert len(data["unresolved"]) == 6
    assert data["cited_by"] == []


def test_refs_table_names_the_thread_and_the_unresolved(archive: Path) -> None:
    code, out, _ = run("refs", PART_ONE_ID, "--archive", str(archive))
    assert code == 0
    assert "Thread" in out and "Cited by" in out
    assert SEED_ID in out


def test_people_json_lists_the_participants(archive: Path) -> None:
    code, out, _ = run("people", "--json", "--archive", str(archive))
    assert code == 0
    data = json.loads(out)
    by_key = {p["key"]: p for p in data["people"]}
    assert by_key["kislyak, sergey"]["titles"][0] == "DFM"
    assert "benkert, joseph" in by_key
    assert {e["code"] for e in data["organisations"]} >= {"RS", "IR", "IAEA"}


def test_people_of_a_query_as_a_table(archive: Path) -> None:
    code, out, _ = run("people", f"id:{SEED_ID}", "--limit", "5", "--archive", str(archive))
    assert code == 0
    assert "Robert Joseph" in out
    assert "Organisations and countries" in out


def test_people_with_a_bad_query_points_at_it(archive: Path) -> None:
    code, _, err = run("people", "tag:(", "--archive", str(archive))
    assert code == 2
    assert "^" in err
