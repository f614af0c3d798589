#!/usr/bin/env python3
"""Write the package data in ``src/cablegram/data`` from ``../shared`` (run by hand only).

Nothing runs this at install or test time: the TSV files it writes are committed, and the
package reads only them. Run it again when ``../shared/reference`` changes::

    .venv/bin/python scripts/build_reference_data.py [--shared ../shared]

Copied reference tables (facts; each keeps its ``#`` provenance lines, followed by a
``# Package copy:`` line naming the columns kept):

* ``tags_subject.tsv``, ``tags_program_k.tsv``, ``tags_organization.tsv``
* ``tags_geo_1974.tsv``, ``tags_geo_current.tsv``, ``tags_geo_fips.tsv`` (the FIPS table
  gains the 1974 handbook's region codes, which Cablegate-era cables still use)
* ``routing_indicators.tsv`` (one decode name per RI instead of three)

Tables of our own, each with a provenance header:

* ``posts.tsv``: State posts, their FM address, routing indicator and id origin, from the
  sample corpus (FM + DE + reference id seen together) and the ACP 117 State subset.
* ``observed_addressees.tsv``: ``RI/ADDRESS`` pairs of TO/INFO lines in the sample corpus,
  with how many carried a message continuity number (MCN).
* ``origin_aliases.tsv``: written origin spellings whose id origin is not the spelling
  without spaces (spec §2.6).
* ``tags_organization_observed.tsv``: organisation/treaty TAGS missing from every table.
* ``tag_eras.tsv``: the date ranges of the three geographic code tables.

The corpus contributes counts only; no cable text is copied.
"""

from __future__ import annotations

import argparse
import collections
import csv
import gzip
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "src" / "cablegram" / "data"

Row = dict[str, str]

#: Designators that open the address of a State post (spec §1.8); the rest of the address is
#: the place the id origin is written from. ``USMISSIN`` is the ACP 117 decode's spelling.
POST_DESIGNATORS = (
    "AMEMBASSY",
    "AMCONSUL",
    "USMISSION",
    "US MISSION",
    "USMISSIN",
    "USINT",
    "USEU",
    "USOFFICE",
    "AIT",
)

#: Misspelt place names in the ACP 117 decode, corrected from the sample corpus's addresses.
DECODE_TYPOS = {
    "PARAMIARBO": "PARAMARIBO",
    "PRINSTINA": "PRISTINA",
    "QUINTO": "QUITO",
    "VAOUNDE": "YAOUNDE",
    "VIENTIENE": "VIENTIANE",
    "COLUMBO": "COLOMBO",
    "USMISSIN": "USMISSION",
}

#: (written, origin, evidence): spellings whose id origin differs from the squashed spelling.
ORIGIN_ALIASES = (
    ("SECSTATE", "STATE", "spec §2.6 (cablemap c14n); REF 'SECSTATE 74879' -> 08STATE74879"),
    ("WASHDC", "STATE", "spec §2.6 (cablemap c14n)"),
    ("SECSTATE WASHDC", "STATE", "FM/TO address of the Department; DE RUEHC cables are STATE"),
    ("HAGUE", "THEHAGUE", "spec §2.6 (cablemap c14n); TO line 'AMEMBASSY HAGUE' in the sample"),
    ("USUN", "USUNNEWYORK", "spec §2.6 (cablemap c14n); REF lines 'USUN nnn' in the sample"),
    ("USUN NEW YORK NY", "USUNNEWYORK", "ACP 117 decode PLA of RUCNDT"),
    ("UNVIE", "UNVIEVIENNA", "spec §2.6 (cablemap c14n); REF lines 'UNVIE nnn' in the sample"),
    ("USNATO", "USNATO", "spec §2.6: stays USNATO (FM 'USMISSION USNATO', 10 cables)"),
    ("USNATO BRUSSELS", "USNATO", "ACP 117 decode PLA of RUEHNO 'US MISSION USNATO BRUSSELS BE'"),
    ("PARISFR", "UNESCOPARISFR", "spec §2.6 (cablemap c14n)"),
    ("UNESCO PARIS", "UNESCOPARISFR", "ACP 117 PLA of RUEHFRE; id origin per PARISFR above"),
    ("NATO BRUSSELS", "USNATO", "TO line 'RUEHNO/US MISSION NATO BRUSSELS' in the sample"),
    ("RIO DE JAN", "RIODEJANEIRO", "spec §2.6: REF 'RIO DE JAN 138' -> 08RIODEJANEIRO138"),
    ("RIO", "RIODEJANEIRO", "REF lines 'RIO 329', 'RIO 346' in the sample"),
    ("LA PAZ", "LAPAZ", "spec §2.6: REF 'LA PAZ 2974' -> 07LAPAZ2974"),
    ("GUATEMALA CITY", "GUATEMALA", "ACP 117 PLA of RUEHGT; ids and FM lines say GUATEMALA"),
    ("PANAMA CITY", "PANAMA", "ACP 117 PLA of RUEHZP; ids and FM lines say PANAMA"),
    ("VATICAN CITY", "VATICAN", "ACP 117 PLA of RUEHROV; ids and FM lines say VATICAN"),
)

#: Organisation and treaty TAGS seen on TAGS lines but missing from every table.
OBSERVED_ORGANIZATIONS = ("START", "FTAA", "NPT", "OPCW", "IWC", "LTTE")

#: (era, table, from, until, rationale) for tag_eras.tsv; see cablegram.reference.eras.
TAG_ERAS = (
    (
        "1974",
        "tags_geo_1974.tsv",
        "",
        "1980-01-01",
        "TAGS handbook TL:TAGS-1 (1974) is documented for the 1973-1979 Central Foreign Policy"
        " File (NARA FAQ, S15/S16); sample 73TEHRAN2077, 75TEHRAN2069 use codes of both tables",
    ),
    (
        "fips",
        "tags_geo_fips.tsv",
        "1980-01-01",
        "2016-01-01",
        "INFERENCE: FIPS 10-4 codes; first FIPS-only code in the sample is PM (Panama) in"
        " 89PANAMA8545 (1989-12-13); RS=Russia through 2010 (10MOSCOW cables); the sample ends"
        " 2010-02",
    ),
    (
        "current",
        "tags_geo_current.tsv",
        "2016-01-01",
        "",
        "INFERENCE: 5 FAH-3 H-414 GENC/ISO table (CT:TAGS-96, 2024); FIPS 10-4 was withdrawn"
        " in 2008 and replaced by GENC [RECALLED]; no sample cable after 2010 fixes the cut-over",
    ),
)


@dataclass
class Table:
    comments: list[str]
    columns: list[str]
    rows: list[Row]


def read_table(path: Path) -> Table:
    comments: list[str] = []
    lines: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") and not lines:
            comments.append(line)
        elif line.strip():
            lines.append(line)
    reader = csv.reader(lines, delimiter="\t")
    columns = next(reader)
    rows = [
        dict(zip(columns, values + [""] * (len(columns) - len(values)), strict=True))
        for values in reader
    ]
    return Table(comments, columns, rows)


def write_table(name: str, comments: list[str], columns: list[str], rows: list[list[str]]) -> None:
    lines = [*comments, "\t".join(columns)]
    for values in rows:
        for value in values:
            if "\t" in value or "\n" in value:
                raise ValueError(f"{name}: a value holds a tab or newline: {value!r}")
        lines.append("\t".join(values))
    (DATA / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {name}: {len(rows)} rows")


def copy_table(
    shared: Path,
    source: str,
    target: str,
    columns: dict[str, Callable[[Row], str]],
    extra_rows: Iterable[list[str]] = (),
    note: str = "",
) -> None:
    table = read_table(shared / "reference" / source)
    kept = ", ".join(columns)
    comments = [*table.comments, f"# Package copy of shared/reference/{source}: columns {kept}."]
    if note:
        comments.append(f"# {note}")
    rows = [[get(row) for get in columns.values()] for row in table.rows]
    write_table(target, comments, list(columns), [*rows, *extra_rows])


def column(name: str) -> Callable[[Row], str]:
    return lambda row: row[name].strip()


def squash(text: str) -> str:
    return re.sub(r"[\s.\-']", "", text.upper())


def place_of(address: str) -> tuple[str | None, str]:
    """Split ``AMEMBASSY LA PAZ`` into designator and place; strip a trailing country code."""
    for designator in POST_DESIGNATORS:
        if address.startswith(designator + " "):
            place = address[len(designator) + 1 :].split()
            if len(place) > 1 and len(place[-1]) == 2:
                place = place[:-1]  # ACP 117 PLAs end in a country code: AIT TAIPEI TW
            return designator, " ".join(DECODE_TYPOS.get(word, word) for word in place)
    return None, address


def origin_of(place: str) -> str:
    aliases = {squash(written): origin for written, origin, _ in ORIGIN_ALIASES}
    key = squash(place)
    return aliases.get(key, key)


# --- the sample corpus: FM/DE/id triples and TO/INFO address lines ---------------------------

_FM = re.compile(r"^FM (.+)$", re.MULTILINE)
_DE = re.compile(r"^DE ([A-Z]{4,8}) #", re.MULTILINE)
_ID = re.compile(r"^[0-9]{2}([A-Z]+?)[0-9]+$")
_ADDRESS_BLOCK = re.compile(r"^FM .*?\n(.*?)\n\s*\n", re.MULTILINE | re.DOTALL)
_ADDRESS_LINE = re.compile(
    r"^([A-Z]{4,8})/(.+?)(?:\s+(?:FLASH|NIACT IMMEDIATE|IMMEDIATE|PRIORITY|ROUTINE))?(\s+\d+)?$"
)
_MONTH = re.compile(r"\b(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)\b")


def normal_address(text: str) -> str:
    return " ".join(text.split("//")[0].split())


def cables(shared: Path) -> Iterator[dict[str, str]]:
    with gzip.open(shared / "corpus" / "cablegate-sample.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            yield json.loads(line)


@dataclass
class Observations:
    triples: collections.Counter[tuple[str, str, str]]
    """(FM address, DE routing indicator or '', id origin) -> cables."""
    addressees: dict[tuple[str, str], list[int]]
    """(address, RI) -> [lines, lines with an MCN]."""


def observe(shared: Path) -> Observations:
    triples: collections.Counter[tuple[str, str, str]] = collections.Counter()
    addressees: dict[tuple[str, str], list[int]] = collections.defaultdict(lambda: [0, 0])
    for cable in cables(shared):
        text = cable["text"]
        id_match = _ID.match(cable["reference_id"])
        fm = _FM.search(text)
        if id_match and fm:
            origin = id_match.group(1)
            address = normal_address(fm.group(1))
            # Publisher noise: EFTO glued to the origin, or body text read as an FM line.
            if not origin.startswith("EFTO") and address == address.upper():
                de = _DE.search(text)
                triples[(address, de.group(1) if de else "", origin)] += 1
        block = _ADDRESS_BLOCK.search(text)
        for raw in block.group(1).split("\n") if block else ():
            line = re.sub(r"^(TO|INFO|XMT)\s+", "", raw.strip())
            match = _ADDRESS_LINE.match(line)
            if match:
                counts = addressees[(normal_address(match.group(2)), match.group(1))]
                counts[0] += 1
                counts[1] += bool(match.group(3))
    return Observations(triples, dict(addressees))


def write_posts(shared: Path, seen: Observations) -> None:
    rows: dict[tuple[str, str, str], list[str]] = {}
    for (address, ri, origin), count in seen.triples.items():
        if ri:
            rows[(origin, address, ri)] = [origin, address, ri, "id", str(count)]
    id_origins_by_ri: dict[str, set[str]] = collections.defaultdict(set)
    for origin, _, ri in rows:
        id_origins_by_ri[ri].add(origin)
    known_addresses = {address for _, address, _ in rows}
    for (address, ri), (lines, _) in sorted(seen.addressees.items()):
        designator, place = place_of(address)
        if designator is None or lines < 2 or address in known_addresses or _MONTH.search(place):
            continue
        origin = origin_of(place)
        same = [o for o in id_origins_by_ri.get(ri, ()) if origin.startswith(o)]
        origin = same[0] if same else origin
        rows.setdefault((origin, address, ri), [origin, address, ri, "addressee", str(lines)])
    decode = read_table(shared / "reference" / "state_post_routing_indicators.tsv")
    covered = {ri for _, _, ri in rows}
    for row in decode.rows:
        designator, place = place_of(row["pla"])
        if designator is None or row["ri"] in covered or "(" in place:
            continue
        address = f"{DECODE_TYPOS.get(designator, designator)} {place}"
        origin = origin_of(place)
        rows.setdefault((origin, address, row["ri"]), [origin, address, row["ri"], "acp117", "0"])
    comments = [
        "# State posts: id origin (as in canonical cable ids, 07MOSCOW1002) | address as written"
        " on FM/TO lines | routing indicator | evidence | cables.",
        "# evidence=id: FM address and reference-id origin seen together in"
        " shared/corpus/cablegate-sample.jsonl.gz (2,979 Cablegate cables), cables = count; the"
        " RI is the one on those cables' DE line (or the decode's when they had none)."
        " Noise left out: EFTO glued to the origin (EFTOLONDON), body text read as FM.",
        "# evidence=addressee: RI/ADDRESS pair on TO/INFO lines of the same sample (>= 2 lines);"
        " origin derived from the address (designator and country code dropped, spaces removed).",
        "# evidence=acp117: shared/reference/state_post_routing_indicators.tsv (ACP 117 decode"
        " 2010/2015) for RIs the sample does not show; origin derived as above, decode typos"
        " corrected (PARAMIARBO, QUINTO, VAOUNDE ...). Observations override the decode, which"
        " is later than the cables (RUEHDIR: decode AMCONSUL NAGOYA, cables RPO DUBAI).",
    ]
    # Cables without a DE line count for the post's row with the most cables.
    for (address, ri, origin), count in seen.triples.items():
        if ri:
            continue
        matching = [r for key, r in rows.items() if key[:2] == (origin, address)]
        if matching:
            best = max(matching, key=lambda r: int(r[4]))
            best[3], best[4] = "id", str(int(best[4]) + count)
        else:
            rows[(origin, address, ri)] = [origin, address, ri, "id", str(count)]
    ordered = sorted(rows.values(), key=lambda r: (r[0], r[3] != "id", -int(r[4]), r[1], r[2]))
    write_table("posts.tsv", comments, ["origin", "address", "ri", "evidence", "cables"], ordered)


def write_addressees(seen: Observations) -> None:
    comments = [
        "# TO/INFO address lines 'RI/ADDRESS [PRECEDENCE] [MCN]' observed in"
        " shared/corpus/cablegate-sample.jsonl.gz (2,979 Cablegate cables): address (whitespace"
        " collapsed) | routing indicator | lines | lines that carried a message continuity"
        " number (MCN: State activities only, spec §1.8).",
        "# Counts, not rules. Pairs seen once and addresses with a month word (header page"
        " residue: 'AMEMBASSY LA PAZ MAR LIMA') are left out.",
    ]
    rows = [
        [address, ri, str(lines), str(mcn)]
        for (address, ri), (lines, mcn) in seen.addressees.items()
        if lines >= 2 and not _MONTH.search(address) and re.fullmatch(r"[A-Z0-9 ./&()-]+", address)
    ]
    rows.sort(key=lambda r: (r[0], -int(r[2]), r[1]))
    write_table("observed_addressees.tsv", comments, ["address", "ri", "lines", "with_mcn"], rows)


def write_copies(shared: Path) -> None:
    copy_table(
        shared,
        "tags_subject.tsv",
        "tags_subject.tsv",
        {
            "code": column("code"),
            "category_letter": column("category_letter"),
            "category_name": column("category_name"),
            "meaning_5fah3_2022": column("meaning_5fah3_2022"),
            "meaning_1974": column("meaning_1974"),
            "meaning_nara": column("meaning_nara"),
            "in_cablegate_list": column("in_cablegate_list"),
            "meaning_plusd_sample": column("meaning_plusd_sample"),
        },
    )
    copy_table(
        shared,
        "tags_program_k.tsv",
        "tags_program_k.tsv",
        {
            "code": column("code"),
            "meaning_plusd_sample": column("meaning_plusd_sample"),
            "meaning_informal_unverified": column("meaning_informal_unverified"),
        },
    )
    copy_table(
        shared,
        "tags_organization.tsv",
        "tags_organization.tsv",
        {
            "code": column("code"),
            "in_cablegate_list": column("in_cablegate_list"),
            "meaning_1974": column("meaning_1974"),
        },
    )
    geo = {"code": column("code"), "name": column("name"), "kind": column("kind")}
    copy_table(shared, "tags_geo_1974.tsv", "tags_geo_1974.tsv", geo)
    copy_table(shared, "tags_geo_current_5fah3.tsv", "tags_geo_current.tsv", geo)
    regions = [
        [r["code"], r["name"], "region"]
        for r in read_table(shared / "reference" / "tags_geo_1974.tsv").rows
        if r["kind"] == "region"
    ]
    copy_table(
        shared,
        "tags_geo_fips_cablegate_era.tsv",
        "tags_geo_fips.tsv",
        {"code": column("fips_code"), "name": column("name"), "kind": lambda _: "country"},
        extra_rows=regions,
        note="Rows of kind 'region' are the 1974 handbook's region TAGS (XA..XZ), still used in"
        " Cablegate-era cables (OBSERVED in the sample, 2005-2010: XA XF XK XL XM XR XW XZ ...).",
    )

    def decode_name(row: Row) -> str:
        for name in ("name_acp117_2015", "name_acp117_2010", "name_cable2graph"):
            if row[name].strip():
                return row[name].strip()
        return ""

    copy_table(
        shared,
        "routing_indicators.tsv",
        "routing_indicators.tsv",
        {
            "ri": column("ri"),
            "pla": decode_name,
            "note_observed": column("note_observed"),
            "state_post": column("state_post"),
        },
        note="pla = the first non-empty of name_acp117_2015, name_acp117_2010, name_cable2graph.",
    )


def write_own_tables(shared: Path) -> None:
    write_table(
        "origin_aliases.tsv",
        [
            "# Written origin spellings -> origin as written in canonical cable ids (spec §2.6)."
            " Only spellings that removing spaces, hyphens, dots and apostrophes does not already"
            " turn into the id origin. Evidence per row (sample = shared/corpus).",
        ],
        ["written", "origin", "evidence"],
        [list(alias) for alias in ORIGIN_ALIASES],
    )
    tag_counts: collections.Counter[str] = collections.Counter()
    for cable in cables(shared):
        tag_counts.update(cable.get("tags") or ())
    tag_counts["START"] += 1  # the seed, 07MOSCOW1002
    write_table(
        "tags_organization_observed.tsv",
        [
            "# Organisation and treaty TAGS on Cablegate-era TAGS lines that no table in"
            " shared/reference lists (spec §2.5: 'IAEA, START = organization/other tags').",
            "# cables = cables of shared/corpus/cablegate-sample.jsonl.gz carrying the tag (+1 for"
            " START: the seed 07MOSCOW1002). Kind assigned by hand (INFERENCE); no meanings.",
        ],
        ["code", "cables"],
        [[code, str(tag_counts[code])] for code in OBSERVED_ORGANIZATIONS],
    )
    write_table(
        "tag_eras.tsv",
        [
            "# Date ranges in which each geographic TAGS code table applies (spec §2.5: the"
            " geographic code set changed; RS is Russia in FIPS and Serbia in GENC).",
            "# from inclusive, until exclusive (ISO dates; empty = open). The cut-overs are"
            " INFERENCE; see cablegram.reference.eras for the reasoning.",
        ],
        ["era", "table", "from", "until", "rationale"],
        [list(era) for era in TAG_ERAS],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    shared = parser.parse_args().shared
    DATA.mkdir(parents=True, exist_ok=True)
    seen = observe(shared)
    write_copies(shared)
    write_posts(shared, seen)
    write_addressees(seen)
    write_own_tables(shared)


if __name__ == "__main__":
    main()
