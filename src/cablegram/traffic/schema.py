"""The tables of ``traffic.sqlite`` (`cablegram.traffic.store` has what each is for).

The schema's version is ``PRAGMA user_version``; a database of another version is refused.
Keys that make repeats harmless: an outbox row per (cable, kind, recipient); a queue row
per (cable, kind, recipient); a notification per (cable, kind, recipient, event); a
released cable per (origin, year, serial).
"""

SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE drafts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    origin TEXT NOT NULL,
    drafter TEXT NOT NULL,
    state TEXT NOT NULL,
    content TEXT NOT NULL,
    findings TEXT NOT NULL,
    revision INTEGER NOT NULL,
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    cable_id TEXT
);
CREATE TABLE clearances (
    draft_id INTEGER NOT NULL REFERENCES drafts (id),
    clearer TEXT NOT NULL,
    position INTEGER NOT NULL,
    status TEXT NOT NULL,
    comment TEXT,
    at TEXT,
    PRIMARY KEY (draft_id, clearer)
) WITHOUT ROWID;
CREATE TABLE events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    draft_id INTEGER NOT NULL REFERENCES drafts (id),
    at TEXT NOT NULL,
    who TEXT NOT NULL,
    action TEXT NOT NULL,
    comment TEXT
);
CREATE INDEX events_by_draft ON events (draft_id, seq);
CREATE TABLE serials (
    origin TEXT NOT NULL,
    year INTEGER NOT NULL,
    last INTEGER NOT NULL,
    PRIMARY KEY (origin, year)
) WITHOUT ROWID;
CREATE TABLE mcns (
    origin TEXT NOT NULL,
    addressee TEXT NOT NULL,
    last INTEGER NOT NULL,
    PRIMARY KEY (origin, addressee)
) WITHOUT ROWID;
CREATE TABLE released (
    cable_id TEXT PRIMARY KEY,
    draft_id INTEGER NOT NULL UNIQUE REFERENCES drafts (id),
    origin TEXT NOT NULL,
    year INTEGER NOT NULL,
    serial INTEGER NOT NULL,
    dtg TEXT NOT NULL,
    urgency INTEGER NOT NULL,
    text TEXT NOT NULL,
    cable TEXT NOT NULL,
    distribution TEXT NOT NULL,
    released_by TEXT NOT NULL,
    UNIQUE (origin, year, serial)
) WITHOUT ROWID;
CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    cable_id TEXT NOT NULL REFERENCES released (cable_id),
    kind TEXT NOT NULL,
    recipient TEXT NOT NULL,
    precedence TEXT NOT NULL,
    urgency INTEGER NOT NULL,
    done_at TEXT,
    UNIQUE (cable_id, kind, recipient)
);
CREATE INDEX outbox_pending ON outbox (urgency DESC, seq) WHERE done_at IS NULL;
CREATE TABLE deliveries (
    cable_id TEXT NOT NULL REFERENCES released (cable_id),
    kind TEXT NOT NULL,
    recipient TEXT NOT NULL,
    precedence TEXT NOT NULL,
    urgency INTEGER NOT NULL,
    delivered_at TEXT NOT NULL,
    acked_by TEXT,
    acked_at TEXT,
    escalated_at TEXT,
    PRIMARY KEY (cable_id, kind, recipient)
) WITHOUT ROWID;
CREATE INDEX deliveries_by_recipient ON deliveries (kind, recipient, urgency DESC, delivered_at);
CREATE INDEX deliveries_unacknowledged ON deliveries (urgency, delivered_at)
    WHERE acked_at IS NULL;
CREATE TABLE notifications (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    cable_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    recipient TEXT NOT NULL,
    event TEXT NOT NULL,
    at TEXT NOT NULL,
    UNIQUE (cable_id, kind, recipient, event)
);
CREATE TABLE cursors (
    subscriber TEXT PRIMARY KEY,
    seq INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE audit_outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    principal TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    detail TEXT NOT NULL
);
"""
