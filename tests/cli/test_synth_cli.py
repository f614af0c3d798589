"""`cablegram synth`: N cables as JSON Lines, byte-identical for a seed; `--stats` beside a
sample corpus, as tables or JSON; errors for arguments that ask for nothing."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cablegram.cli import app
from cablegram.read import parse

runner = CliRunner()

# A sample corpus of one cable, written by hand: three TAGS, two paragraphs (C and U).
SAMPLE_TEXT = """\
P 041820Z JAN 10
FM SECSTATE WASHDC
TO AMEMBASSY BERN PRIORITY 0042
BT
C O N F I D E N T I A L STATE 000284

SIPDIS

E.O. 12958: DECL: 01/04/2020
TAGS: PREL SZ IR
SUBJECT: SWISS VIEWS ON IRAN SANCTIONS

Classified By: A/S Philip H. Gordon for reasons 1.4 (b) and (d).

1. (C) Swiss officials told the embassy on January 3 that they would
support the new sanctions proposal.

2. (U) Please report the results of the demarche.

CLINTON
BT
NNNN
"""


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    path = tmp_path / "sample.jsonl"
    record = {"reference_id": "10STATE284", "text": SAMPLE_TEXT}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    return path


def _lines(path: Path) -> list[dict[str, str]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_writes_n_cables_as_json_lines(tmp_path: Path) -> None:
    output = tmp_path / "corpus.jsonl"
    result = runner.invoke(app, ["synth", "25", "--output", str(output), "--seed", "3"])
    assert result.exit_code == 0, result.output
    records = _lines(output)
    assert len(records) == 25
    assert {tuple(sorted(r)) for r in records} == {("reference_id", "released", "text")}
    assert len({r["reference_id"] for r in records}) == 25
    for record in records:
        assert parse(record["text"]).id == record["reference_id"]
        assert len(record["released"]) == 10


def test_same_seed_same_bytes_and_other_seeds_differ(tmp_path: Path) -> None:
    paths = {name: tmp_path / f"{name}.jsonl" for name in ("a", "b", "c")}
    for name, seed in (("a", "7"), ("b", "7"), ("c", "8")):
        result = runner.invoke(app, ["synth", "12", "-o", str(paths[name]), "--seed", seed])
        assert result.exit_code == 0, result.output
    assert paths["a"].read_bytes() == paths["b"].read_bytes()
    assert paths["a"].read_bytes() != paths["c"].read_bytes()


def test_gzip_output_is_deterministic_and_holds_the_same_records(tmp_path: Path) -> None:
    plain, first, second = tmp_path / "p.jsonl", tmp_path / "1.jsonl.gz", tmp_path / "2.jsonl.gz"
    for path in (plain, first, second):
        assert runner.invoke(app, ["synth", "8", "-o", str(path)]).exit_code == 0
    assert first.read_bytes() == second.read_bytes()
    assert gzip.decompress(first.read_bytes()) == plain.read_bytes()


def test_writes_to_stdout() -> None:
    result = runner.invoke(app, ["synth", "3", "-o", "-", "--seed", "2"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [parse(r["text"]).id for r in records] == [r["reference_id"] for r in records]
    assert len(records) == 3


def test_date_range_option(tmp_path: Path) -> None:
    output = tmp_path / "range.jsonl"
    args = ["synth", "10", "-o", str(output), "--start", "2008-02-01", "--end", "2008-02-29"]
    assert runner.invoke(app, args).exit_code == 0
    for record in _lines(output):
        dtg = parse(record["text"]).dtg
        assert dtg is not None and (dtg.year, dtg.month) in ((2008, 2), (2008, 3))


def test_stats_beside_the_sample_as_json(sample: Path) -> None:
    result = runner.invoke(app, ["synth", "30", "--stats", "--sample", str(sample), "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["corpora"] == {"synthetic": 30, "sample (sample.jsonl)": 1}
    tags = document["tables"]["TAGS per cable"]
    assert tags["3"]["sample (sample.jsonl)"] == "100.0 %"
    assert tags["mean"]["sample (sample.jsonl)"] == "3.0"
    portions = document["tables"]["portion markings (share of paragraphs)"]
    assert portions["C"]["sample (sample.jsonl)"] == "50.0 %"
    assert portions["U"]["sample (sample.jsonl)"] == "50.0 %"
    assert float(tags["mean"]["synthetic"]) > 1


def test_stats_tables_name_both_corpora(sample: Path) -> None:
    result = runner.invoke(app, ["synth", "10", "--stats", "--sample", str(sample)])
    assert result.exit_code == 0, result.output
    for title in ("TAGS per cable", "paragraphs per cable", "sections per cable",
                  "references per cable", "length in lines", "banner", "portion markings",
                  "top TAGS"):  # fmt: skip
        assert title in result.stdout
    assert "synthetic" in result.stdout and "sample.jsonl" in result.stdout


def test_stats_of_a_written_file(tmp_path: Path, sample: Path) -> None:
    output = tmp_path / "corpus.jsonl"
    assert runner.invoke(app, ["synth", "6", "-o", str(output)]).exit_code == 0
    args = ["synth", "--stats", "--input", str(output), "--sample", str(sample), "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["corpora"]["synthetic"] == 6


def test_stats_while_writing(tmp_path: Path, sample: Path) -> None:
    output = tmp_path / "corpus.jsonl"
    args = ["synth", "9", "-o", str(output), "--stats", "--sample", str(sample), "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert len(_lines(output)) == 9
    assert json.loads(result.stdout)["corpora"]["synthetic"] == 9


def test_stats_without_the_sample_print_the_synthetic_side(tmp_path: Path) -> None:
    missing = tmp_path / "absent.jsonl.gz"
    result = runner.invoke(app, ["synth", "5", "--stats", "--sample", str(missing), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["corpora"] == {"synthetic": 5}
    assert "not found" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        pytest.param([], id="nothing-asked"),
        pytest.param(["--output", "x.jsonl"], id="output-without-n"),
        pytest.param(["5", "-o", "x.jsonl", "--start", "2008-13-01"], id="bad-date"),
        pytest.param(
            ["5", "-o", "x.jsonl", "--start", "2009-01-01", "--end", "2008-01-01"],
            id="end-before-start",
        ),
        pytest.param(["--stats", "--input", "absent.jsonl"], id="missing-input"),
        pytest.param(["5", "-o", "x.jsonl", "--input", "y.jsonl"], id="input-without-stats"),
    ],
)
def test_usage_errors(args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["synth", *args])
    assert result.exit_code == 2
    assert not (tmp_path / "x.jsonl").exists()
