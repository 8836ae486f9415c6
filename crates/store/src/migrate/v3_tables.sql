-- Screening decisions (issue 17, v3): an analyst's verdict on a hit of a screened name against
-- a listing. Keyed by the normalized name and the listing key, so a decision survives list
-- versions. Never deleted: an undo sets `undone_at`/`undone_by` (both audited). `state` is the
-- listing as it was decided (aliases, addresses, programs as JSON), so a material change of the
-- listing re-opens a false positive; `score` is the score it was decided at.
CREATE TABLE decision (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,    -- the screened name as given
    name_norm    TEXT NOT NULL,    -- the matcher's normalized key of it
    listing_key  TEXT NOT NULL,
    entry_id     INTEGER NOT NULL, -- the entry decided on (no FK: entries of old versions may go)
    verdict      TEXT NOT NULL CHECK (verdict IN ('match', 'false-positive', 'escalate')),
    reason       TEXT NOT NULL,
    score        REAL,             -- the hit's score when decided
    state        TEXT NOT NULL,    -- JSON {aliases, addresses, programs} of the listing then
    decided_at   TEXT NOT NULL,    -- UTC timestamp
    decided_by   TEXT NOT NULL,    -- OS account name
    undone_at    TEXT,
    undone_by    TEXT
);
CREATE INDEX decision_key ON decision(name_norm, listing_key);

-- Monitored sets (issue 17, v3): a vendor/party list re-screened when the lists change.
CREATE TABLE watch_set (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    path         TEXT NOT NULL,    -- the file it was read from
    sha256       TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    screened_at  TEXT,             -- the last (re)screen
    screened_versions TEXT         -- JSON list versions of the last (re)screen
);
CREATE UNIQUE INDEX watch_set_name ON watch_set(name);

CREATE TABLE watch_party (
    id           INTEGER PRIMARY KEY,
    set_id       INTEGER NOT NULL REFERENCES watch_set(id) ON DELETE CASCADE,
    line         INTEGER NOT NULL, -- physical line in the file
    name         TEXT NOT NULL,
    country      TEXT,             -- ISO alpha-2
    dob          TEXT
);
CREATE INDEX watch_party_set ON watch_party(set_id);

-- The hits of a set's last (re)screen, one per party and listing: what the next rescreen is
-- compared with.
CREATE TABLE watch_hit (
    party_id     INTEGER NOT NULL REFERENCES watch_party(id) ON DELETE CASCADE,
    listing_key  TEXT NOT NULL,
    entry_id     INTEGER NOT NULL,
    name         TEXT NOT NULL,    -- the listed name
    score        REAL NOT NULL,
    PRIMARY KEY (party_id, listing_key)
) WITHOUT ROWID;

-- Link reviews (issue 17, v3): who confirmed or rejected a link, when and why; the link row's
-- `status` holds the verdict, this the history (never deleted).
CREATE TABLE link_review (
    id           INTEGER PRIMARY KEY,
    listing_key  TEXT NOT NULL,
    target       TEXT NOT NULL CHECK (target IN ('party', 'assignee')),
    target_id    INTEGER NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('confirmed', 'rejected', 'auto')),
    reason       TEXT NOT NULL,
    at           TEXT NOT NULL,
    by_user      TEXT NOT NULL
);
CREATE INDEX link_review_target ON link_review(target, target_id);

-- Users' own shipment exports (issue 15, v3). Which column of a shipments CSV fills which
-- field: editable data, `tradescope columns export|import`; while empty, the bundled table
-- (data/reference/shipment_columns.tsv) is used. Row order is priority: of two columns that
-- fill one field, the one whose alias comes first is used.
CREATE TABLE shipment_column (
    id          INTEGER PRIMARY KEY,
    field       TEXT NOT NULL,     -- a field of the shipments format: date, shipper, weight_kg, …
    heading     TEXT NOT NULL,     -- the column name as written, e.g. ACTUAL_ARRIVAL_DATE
    heading_key TEXT NOT NULL,     -- lower-case, runs of other characters as one `_`
    layout      TEXT NOT NULL DEFAULT ''  -- '' = any file; else only a file of that layout
);
CREATE UNIQUE INDEX shipment_column_key ON shipment_column(layout, heading_key);

-- Port codes a shipments CSV gave with the port name (`53306, MUNDRA`: Schedule K 53306); the
-- name is in shipment.port_of_lading / port_of_unlading / place_of_receipt.
CREATE TABLE shipment_port_code (
    shipment_id INTEGER NOT NULL REFERENCES shipment(id) ON DELETE CASCADE,
    role        TEXT NOT NULL CHECK (role IN ('lading', 'unlading', 'receipt')),
    code        TEXT NOT NULL,
    PRIMARY KEY (shipment_id, role)
) WITHOUT ROWID;
