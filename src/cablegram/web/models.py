"""The HTTP API's response models: what the OpenAPI document promises, field for field.

`Cable` mirrors ``docs/cable.schema.json`` (the JSON of `cablegram.jsonio.cable_to_dict`:
every key always present, ``null`` or ``[]`` when the cable does not say; levels as
`cablegram.model.Level` names, precedences as their labels); a test checks the two
describe the same keys. FastAPI validates every response against these models, so a
drift between the services and the document shows up as a failing request, not as a
silently wrong document — but for `SearchPage`, the hot route's answer, which
`cablegram.web.api` writes as JSON itself (tests validate those answers against it).
Models forbid unknown keys (``additionalProperties: false``), like the JSON Schema.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


LevelName = Literal["UNCLASSIFIED", "SBU", "LOU", "CONFIDENTIAL", "SECRET", "TOP_SECRET"]
PrecedenceName = Literal["FLASH", "NIACT IMMEDIATE", "IMMEDIATE", "PRIORITY", "ROUTINE"]


# --- the cable (docs/cable.schema.json) --------------------------------------------------


class Source(Strict):
    path: str
    index: int = Field(ge=0)


class Marking(Strict):
    level: LevelName
    caveats: list[str]
    rel_to: list[str]
    portion: str = Field(description="The portion mark: (S//NF).")


class Classification(Marking):
    banner: str = Field(description="The banner line: SECRET//NOFORN.")


class Envelope(Strict):
    transmission_id: str | None
    routing_precedence: PrecedenceName | None
    delivering_stations: list[str]
    originating_station: str | None
    station_serial: int | None
    section: int | None
    filing_time: str | None
    security_line: str | None
    precedences: list[PrecedenceName]


class Addressee(Strict):
    address: str
    routing_indicator: str | None
    precedence: PrecedenceName | None
    mcn: int | None
    exempted: list[str]


class Recipients(Strict):
    to: list[Addressee]
    info: list[Addressee]


class Sections(Strict):
    number: int
    total: int


class Declassify(Strict):
    order: str | None
    kind: Literal["date", "exemption", "event", "n/a"]
    date: str | None = Field(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
    exemption: str | None
    event: str | None


class CableTag(Strict):
    code: str
    kind: Literal["subject", "program", "geographic", "organization", "person", "unknown"]
    era: Literal["1974", "fips", "current"] | None


class Reference(Strict):
    id: str | None
    kind: Literal["cable", "email", "message", "document", "other"]
    text: str
    letter: str | None
    notal: bool


class ClassifiedBy(Strict):
    name: str | None
    title: str | None
    reasons: list[str]
    section: str | None


class Paragraph(Strict):
    number: int | None
    marking: Marking | None
    heading: str | None
    text: str = Field(description="The text, or the placeholder of a withheld paragraph.")


class Block(Strict):
    kind: Literal["summary", "comment", "note"]
    text: str
    paragraph: int | None


class Participant(Strict):
    name: str
    title: str | None
    affiliation: str | None
    side: str | None


class Part(Strict):
    number: int
    total: int | None
    other: list[str]


class Diagnostic(Strict):
    code: str
    message: str
    line: int | None = Field(ge=1)
    end_line: int | None = Field(ge=1)


class Cable(Strict):
    """One cable as `cablegram.jsonio.cable_to_dict` writes it (docs/cable.schema.json)."""

    source: Source | None
    id: str | None
    date: str | None = Field(
        description="The DTG as ISO 8601 UTC.",
        pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
    )
    dtg: str | None = Field(pattern=r"^[0-9]{6}Z [A-Z]{3} [0-9]{2}$")
    origin: str | None
    serial: int | None
    classification: Classification | None
    precedence: PrecedenceName | None
    envelope: Envelope
    originator: Addressee | None
    recipients: Recipients
    sections: Sections | None
    captions: list[str]
    passing: list[str]
    declassify: Declassify | None
    tags: list[CableTag]
    subject: str | None
    subject_marking: Marking | None
    references: list[Reference]
    classified_by: ClassifiedBy | None
    paragraphs: list[Paragraph]
    blocks: list[Block]
    participants: list[Participant]
    part: Part | None
    signature: str | None
    partial: bool
    diagnostics: list[Diagnostic]


# --- responses ---------------------------------------------------------------------------


class Problem(BaseModel):
    """An error (RFC 9457, ``application/problem+json``)."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    position: int | None = Field(
        default=None, description="For a malformed query: the 0-based offset of the problem."
    )


class Me(Strict):
    name: str
    clearance: LevelName
    roles: list[str]
    us_person: bool
    country: str | None
    caveats: list[str]
    channels: list[str]
    offices: list[str]
    as_of: str = Field(description="The day reads are judged on (YYYY-MM-DD).")
    as_of_pinned: bool
    may_set_as_of: bool
    authenticated_by: Literal["session", "token"]


class Hit(Strict):
    id: str
    version: int
    date: str | None
    origin: str | None
    classification: str | None
    subject: str = Field(description="As the reader's view shows it (a placeholder if withheld).")
    score: float | None = Field(description="BM25; null when sorted by date.")
    snippet: str | None = Field(
        description="HTML: the reader's text around the matches, each in <b>…</b>, the rest "
        "escaped."
    )


class Bucket(Strict):
    value: str
    count: int


class Facets(Strict):
    tags: list[Bucket]
    origins: list[Bucket]
    classifications: list[Bucket]
    captions: list[Bucket]
    years: list[Bucket]
    months: list[Bucket]


class SearchPage(Strict):
    query: str
    total: int = Field(description="Cables matching, for this reader on this day.")
    offset: int
    limit: int
    sort: Literal["relevance", "date", "-date"]
    as_of: str
    hits: list[Hit]
    facets: Facets | None
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page.")


class Version(Strict):
    version: int
    released: str | None
    ingested_at: str
    current: bool


class Withheld(Strict):
    portion: str = Field(description="The portion's key: paragraph:12, subject …")
    label: str
    marking: str


class CableReading(Strict):
    """One version of a cable as the reader may see it."""

    id: str
    version: int
    as_of: str
    complete: bool = Field(description="Nothing is withheld.")
    declassified_on: str | None
    withheld: list[Withheld]
    declassified: list[str] = Field(
        description="Keys of portions readable because their classification has lapsed."
    )
    versions: list[Version]
    cable: Cable = Field(description="The cable, each withheld portion a placeholder.")


class RefNode(Strict):
    id: str
    date: str | None
    origin: str | None
    subject: str | None
    classification: str | None


class RefLink(Strict):
    source: str
    target: str | None
    letter: str | None
    kind: str
    text: str
    notal: bool
    resolved: bool = Field(description="The target is a cable of the archive the reader sees.")
    part: bool
    depth: int


class ThreadMember(Strict):
    id: str
    part: int | None
    parts: int | None
    sections: int
    cable: RefNode | None = Field(description="Null for a part the reader cannot see.")


class References(Strict):
    cable: RefNode
    nodes: list[RefNode]
    cites: list[RefLink]
    cited_by: list[RefLink]
    unresolved: list[RefLink]
    thread: list[ThreadMember]


class Person(Strict):
    key: str
    name: str
    titles: list[str]
    roles: list[str]
    cables: list[str]
    mentions: int


class People(Strict):
    query: str
    total: int
    people: list[Person]
