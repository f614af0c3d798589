"""The package data files: provenance, shape, and the invariants the lookups rely on."""

from __future__ import annotations

import itertools
import re
from datetime import date

import pytest

from cablegram.model import TagEra
from cablegram.reference._tsv import data_files, table
from cablegram.reference.eras import era_spans

#: Every table the reference package reads; a missing or renamed file fails here first.
EXPECTED_FILES = (
    "observed_addressees.tsv",
    "origin_aliases.tsv",
    "posts.tsv",
    "routing_indicators.tsv",
    "tag_eras.tsv",
    "tags_geo_1974.tsv",
    "tags_geo_current.tsv",
    "tags_geo_fips.tsv",
    "tags_organization.tsv",
    "tags_organization_observed.tsv",
    "tags_program_k.tsv",
    "tags_subject.tsv",
)

#: Words that name where facts come from: a source of the spec, the shared tables, the corpus.
SOURCE_WORDS = re.compile(r"ACP 117|5 FAH|TL:TAGS|shared/|corpus|spec §|cablemap|GeoNames|NARA")


def test_every_expected_file_is_shipped() -> None:
    assert set(EXPECTED_FILES) <= set(data_files())


@pytest.mark.parametrize("name", sorted(data_files()))
def test_every_data_file_has_a_provenance_header(name: str) -> None:
    provenance = " ".join(table(name).provenance)
    assert provenance, f"{name} has no '#' provenance lines"
    assert SOURCE_WORDS.search(provenance), f"{name}: provenance names no source"


@pytest.mark.parametrize("name", sorted(data_files()))
def test_every_data_file_has_rows_and_a_code_column(name: str) -> None:
    data = table(name)
    assert data.rows
    assert len(set(data.columns)) == len(data.columns)
    first = data.columns[0]
    assert all(row[first] for row in data.rows), f"{name}: a row without {first}"


COPIED_FILES = (
    "routing_indicators.tsv",
    "tags_geo_1974.tsv",
    "tags_geo_current.tsv",
    "tags_geo_fips.tsv",
    "tags_organization.tsv",
    "tags_program_k.tsv",
    "tags_subject.tsv",
)


@pytest.mark.parametrize("name", COPIED_FILES)
def test_copied_tables_name_the_columns_they_kept(name: str) -> None:
    provenance = table(name).provenance
    kept = [line for line in provenance if line.startswith("Package copy of shared/reference/")]
    assert kept, f"{name} does not say what it copied"
    for column in table(name).columns:
        assert column in kept[0]


def test_era_spans_cover_every_date_once() -> None:
    spans = era_spans()
    assert spans[0].start is None
    assert spans[-1].until is None
    for earlier, later in itertools.pairwise(spans):
        assert earlier.until == later.start
    assert [span.era for span in spans] == [TagEra.TAGS_1974, TagEra.FIPS, TagEra.CURRENT]
    assert all(span.rationale for span in spans)


def test_posts_rows_are_well_formed() -> None:
    for row in table("posts.tsv").rows:
        assert re.fullmatch(r"[A-Z]+", row["origin"]), row
        assert row["evidence"] in {"id", "addressee", "acp117"}, row
        assert int(row["cables"]) >= 0
        assert row["ri"] == "" or re.fullmatch(r"R[A-Z]{3,7}", row["ri"]), row


def test_post_rows_observed_with_ids_counted_cables() -> None:
    assert all(int(row["cables"]) > 0 for row in table("posts.tsv").rows if row["evidence"] == "id")


def test_aliases_do_not_chain() -> None:
    rows = table("origin_aliases.tsv").rows
    targets = {re.sub(r"[\s.\-']", "", row["written"]): row["origin"] for row in rows}
    for row in rows:
        assert row["evidence"]
        # A target that is itself an alias key must map to itself (USNATO stays USNATO).
        assert targets.get(row["origin"], row["origin"]) == row["origin"]


def test_observed_addressees_count_mcns_within_lines() -> None:
    for row in table("observed_addressees.tsv").rows:
        assert 0 <= int(row["with_mcn"]) <= int(row["lines"]), row
        assert int(row["lines"]) >= 2, row


def test_observed_organizations_are_in_no_copied_table() -> None:
    copied = {row["code"] for row in table("tags_organization.tsv").rows}
    copied |= {row["code"] for row in table("tags_subject.tsv").rows}
    observed = {row["code"] for row in table("tags_organization_observed.tsv").rows}
    assert "START" in observed  # the seed 07MOSCOW1002 (spec §2.5)
    assert not observed & copied


def test_fips_table_holds_the_1974_regions() -> None:
    fips = {row["code"]: row for row in table("tags_geo_fips.tsv").rows}
    regions = [row for row in table("tags_geo_1974.tsv").rows if row["kind"] == "region"]
    assert regions
    for region in regions:
        assert fips[region["code"]]["name"] == region["name"]
        assert fips[region["code"]]["kind"] == "region"


def test_era_boundaries_are_dates() -> None:
    for row in table("tag_eras.tsv").rows:
        for column in ("from", "until"):
            if row[column]:
                assert isinstance(date.fromisoformat(row[column]), date)
