-- tradescope schema, version 3.
--
-- Read by src/db/migrate.rs with include_str!; `PRAGMA user_version` records the version applied.
-- Conventions:
--   * dates are ISO-8601 text (YYYY-MM-DD); unknown dates are NULL, never ''.
--   * every imported row keeps `source_id` + `source_line` (1-based physical line of the record's
--     first line in the source file) so it can be traced back to the published file.
--   * `norm` columns hold the matcher's normalized key next to the original text.
--   * `synthetic` = 1 marks generated demo data (and the hand-built seed case); the UI shows it.

-- One row per imported file (or file set, for OFAC / AMS multi-file formats).
CREATE TABLE source (
    id           INTEGER PRIMARY KEY,
    dataset      TEXT NOT NULL,   -- csl | ofac_sdn | ofac_cons | dpl | patentsview | curated_patents | ams | shipments | demo | cet
    format       TEXT NOT NULL,   -- human-readable format name, e.g. "trade.gov CSL CSV"
    path         TEXT NOT NULL,   -- file name(s) as given, '; '-joined for file sets
    sha256       TEXT NOT NULL,   -- of the file (for sets: of the concatenated per-file hashes, in path order)
    imported_at  TEXT NOT NULL,   -- UTC timestamp
    row_count    INTEGER NOT NULL DEFAULT 0,
    as_of        TEXT,            -- date the publisher's data stood at (given or derived), if known
    current      INTEGER NOT NULL DEFAULT 1, -- 0 once a newer version of the same dataset replaced it
    synthetic    INTEGER NOT NULL DEFAULT 0,
    note         TEXT
);
CREATE INDEX source_dataset ON source(dataset, current);
CREATE UNIQUE INDEX source_sha ON source(dataset, sha256);

-- Added/removed report of a list version against the version it replaced.
CREATE TABLE list_change (
    source_id    INTEGER NOT NULL REFERENCES source(id),
    replaced_id  INTEGER REFERENCES source(id),
    change       TEXT NOT NULL CHECK (change IN ('added', 'removed')),
    listing_key  TEXT NOT NULL,
    name         TEXT NOT NULL,
    list_code    TEXT NOT NULL
);
CREATE INDEX list_change_source ON list_change(source_id);

-- A watch-list entry (one row per published record; Huawei affiliates appear once per address).
CREATE TABLE list_entry (
    id            INTEGER PRIMARY KEY,
    source_id     INTEGER NOT NULL REFERENCES source(id),
    source_line   INTEGER NOT NULL,
    current       INTEGER NOT NULL DEFAULT 1,  -- copy of source.current, for index use
    list_code     TEXT NOT NULL,   -- SDN, EL, DPL, UVL, MEU, ISN, DTC, SSI, CMIC, CAP, PLC, NS-MBS, FSE, NONSDN
    list_name     TEXT NOT NULL,   -- publisher's list name, e.g. "Entity List (EL) - Bureau of Industry and Security"
    source_uid    TEXT NOT NULL,   -- CSL _id, OFAC ent_num, DPL row hash
    entity_number TEXT,            -- OFAC ent_num where known (CSL SDN/non-SDN rows, OFAC files)
    listing_key   TEXT NOT NULL,   -- identity across datasets and versions: 'ofac:<ent_num>' or '<dataset>:<uid>'
    entity_type   TEXT NOT NULL,   -- entity | individual | vessel | aircraft | unknown
    name          TEXT NOT NULL,
    programs      TEXT,            -- '; '-joined
    title         TEXT,
    addresses     TEXT,            -- '; '-joined, as published
    country       TEXT,            -- ISO alpha-2 of the first address, if derivable
    countries     TEXT,            -- all ISO alpha-2 codes of the addresses, ','-joined
    start_date    TEXT,
    end_date      TEXT,
    federal_register_notice TEXT,
    license_requirement TEXT,
    license_policy TEXT,
    remarks       TEXT,
    source_list_url TEXT,
    source_information_url TEXT,
    vessel_flag   TEXT,
    call_sign     TEXT,
    dates_of_birth TEXT,
    nationalities TEXT,
    citizenships  TEXT,
    places_of_birth TEXT
);
CREATE INDEX list_entry_current ON list_entry(current, list_code);
CREATE INDEX list_entry_listing ON list_entry(listing_key);
CREATE INDEX list_entry_source ON list_entry(source_id);

-- Names of an entry: the primary name and every alias, original and normalized.
CREATE TABLE entry_name (
    id         INTEGER PRIMARY KEY,
    entry_id   INTEGER NOT NULL REFERENCES list_entry(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    norm       TEXT NOT NULL,
    name_type  TEXT NOT NULL   -- primary | aka | fka | nka | weak
);
CREATE INDEX entry_name_entry ON entry_name(entry_id);
CREATE INDEX entry_name_norm ON entry_name(norm);

-- Identifiers such as USCC, ISIN, passport numbers: CSL `ids` triples / OFAC remarks.
CREATE TABLE entry_ident (
    entry_id   INTEGER NOT NULL REFERENCES list_entry(id) ON DELETE CASCADE,
    id_type    TEXT NOT NULL,
    value      TEXT NOT NULL,
    country    TEXT
);
CREATE INDEX entry_ident_entry ON entry_ident(entry_id);
CREATE INDEX entry_ident_value ON entry_ident(value);

-- A trade party as it appears in shipment data (shipper / consignee / notify party). Parties are
-- deduplicated on (norm, country): the same spelling in the same country is one party.
CREATE TABLE party (
    id          INTEGER PRIMARY KEY,
    source_id   INTEGER NOT NULL REFERENCES source(id),
    source_line INTEGER NOT NULL,
    name        TEXT NOT NULL,
    norm        TEXT NOT NULL,
    address     TEXT,
    city        TEXT,
    country     TEXT,            -- ISO alpha-2 if known
    synthetic   INTEGER NOT NULL DEFAULT 0,
    -- Precomputed counts, so drill-down link counts never scan shipments.
    n_shipped   INTEGER NOT NULL DEFAULT 0,
    n_received  INTEGER NOT NULL DEFAULT 0,
    n_notified  INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX party_key ON party(norm, COALESCE(country, ''));

-- One bill of lading (master or house) or one export shipment record.
CREATE TABLE shipment (
    id                 INTEGER PRIMARY KEY,
    source_id          INTEGER NOT NULL REFERENCES source(id),
    source_line        INTEGER NOT NULL,
    identifier         TEXT,     -- AMS `identifier`, or the user's own record id
    master_bol         TEXT,
    house_bol          TEXT,
    bill_type          TEXT,     -- Master Bill | House Bill | Regular Bill
    ship_date          TEXT,     -- arrival (actual, else estimated) for imports; departure for exports
    estimated_arrival_date TEXT,
    shipper_id         INTEGER REFERENCES party(id),
    consignee_id       INTEGER REFERENCES party(id),
    notify_id          INTEGER REFERENCES party(id),
    origin_country     TEXT,     -- country of the port of lading / shipper, ISO alpha-2
    dest_country       TEXT,     -- country of the port of unlading / consignee, ISO alpha-2
    port_of_lading     TEXT,
    port_of_unlading   TEXT,
    place_of_receipt   TEXT,
    foreign_port_of_destination TEXT,
    carrier_code       TEXT,
    vessel_name        TEXT,
    vessel_country     TEXT,
    mode               TEXT,
    weight_kg          REAL,
    weight             REAL,     -- as published
    weight_unit        TEXT,
    quantity           INTEGER,
    quantity_unit      TEXT,
    containers         TEXT,     -- '; '-joined container numbers
    hs_code            TEXT,     -- first HS code (digits only), for the HS-prefix drill path
    description        TEXT,     -- description lines joined with newlines, in sequence order
    record_status      TEXT,     -- AMS record_status_indicator (e.g. Deleted)
    synthetic          INTEGER NOT NULL DEFAULT 0
);
-- Composite indexes for every drill path: newest first within a party / port / HS prefix.
CREATE INDEX shipment_shipper ON shipment(shipper_id, ship_date, id);
CREATE INDEX shipment_consignee ON shipment(consignee_id, ship_date, id);
CREATE INDEX shipment_notify ON shipment(notify_id, ship_date, id);
CREATE INDEX shipment_date ON shipment(ship_date, id);
CREATE INDEX shipment_hs_date ON shipment(hs_code, ship_date, id);
CREATE INDEX shipment_lading ON shipment(port_of_lading, ship_date, id);
CREATE INDEX shipment_unlading ON shipment(port_of_unlading, ship_date, id);
CREATE INDEX shipment_dest ON shipment(dest_country, ship_date, id);
CREATE INDEX shipment_origin ON shipment(origin_country, ship_date, id);
CREATE INDEX shipment_identifier ON shipment(identifier);

-- All HS codes of a bill (AMS tariff rows can carry several). `ship_date` repeats the bill's
-- date (v3) so that `hs:` reads any code's bills newest first through shipment_hs_code.
CREATE TABLE shipment_hs (
    shipment_id INTEGER NOT NULL REFERENCES shipment(id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    hs_code     TEXT NOT NULL,
    ship_date   TEXT,
    PRIMARY KEY (shipment_id, seq)
) WITHOUT ROWID;
CREATE INDEX shipment_hs_code ON shipment_hs(hs_code, ship_date, shipment_id);

-- Substring search over descriptions (model numbers such as "2CD7A46"). Contentless: the
-- rowid is not the shipment id but its date key, (day number of ship_date << 32) | id (see
-- src/db/fts.rs), so the index's own rowid order is newest-first order and a first page of
-- matches stops after 50 rows instead of reading every match's date. Shipments are never
-- deleted, so no delete support is needed.
CREATE VIRTUAL TABLE shipment_fts USING fts5(
    description, content='', tokenize='trigram'
);

-- A patent document: a grant or a published application.
CREATE TABLE patent (
    id                 INTEGER PRIMARY KEY,
    source_id          INTEGER NOT NULL REFERENCES source(id),
    source_line        INTEGER NOT NULL,
    number             TEXT NOT NULL,  -- as published, e.g. US11321963B2, US20200334450A1, US11584510
    number_key         TEXT NOT NULL,  -- country + digits, no kind code: US11321963, US20200334450
    kind               TEXT,           -- kind code (B2, A1, …) if known
    doc_type           TEXT,           -- grant | application
    title              TEXT,
    abstract           TEXT,
    application_number TEXT,
    filing_date        TEXT,
    publication_date   TEXT,
    source_url         TEXT,
    synthetic          INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX patent_number ON patent(number_key);
CREATE INDEX patent_application ON patent(application_number);
CREATE INDEX patent_date ON patent(publication_date, id);

-- A patent assignee (PatentsView disambiguated organization, or a name from a patent record).
CREATE TABLE assignee (
    id            INTEGER PRIMARY KEY,
    source_id     INTEGER NOT NULL REFERENCES source(id),
    source_line   INTEGER NOT NULL,
    pv_id         TEXT,            -- PatentsView assignee_id
    name          TEXT NOT NULL,
    norm          TEXT NOT NULL,
    assignee_type TEXT,            -- PatentsView type code (2 US company, 3 foreign company, …)
    n_patents     INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX assignee_pv ON assignee(pv_id) WHERE pv_id IS NOT NULL;
CREATE INDEX assignee_norm ON assignee(norm);

CREATE TABLE patent_assignee (
    patent_id   INTEGER NOT NULL REFERENCES patent(id) ON DELETE CASCADE,
    assignee_id INTEGER NOT NULL REFERENCES assignee(id),
    seq         INTEGER NOT NULL,
    name_as_published TEXT NOT NULL,
    PRIMARY KEY (patent_id, assignee_id)
) WITHOUT ROWID;
CREATE INDEX patent_assignee_assignee ON patent_assignee(assignee_id, patent_id);

CREATE TABLE patent_cpc (
    patent_id  INTEGER NOT NULL REFERENCES patent(id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    cpc        TEXT NOT NULL,      -- normalized symbol without spaces, e.g. G06V40/16
    PRIMARY KEY (patent_id, seq)
) WITHOUT ROWID;
CREATE INDEX patent_cpc_code ON patent_cpc(cpc, patent_id);

-- Full-text search over patents (issue 16, v3): titles, abstracts and the assignee names as
-- published, by word or word prefix (`neur*`), diacritics folded. Contentless and keyed like
-- shipment_fts by a date key, (day number of publication_date << 32) | patent id
-- (src/patents/index.rs), so newest-first is the index's own rowid order and a first page
-- stops after one page. A patent imported again has its row deleted and written anew.
CREATE VIRTUAL TABLE patent_fts USING fts5(
    title, abstract, assignees, content='', contentless_delete=1,
    tokenize='unicode61 remove_diacritics 2', prefix='2 3'
);

-- The CET areas of each patent (issue 16, v3): derived from its CPC codes and cet_cpc at
-- import, recomputed by `cet import`. Keyed by the patent's date key, so an area's patents
-- newest first are one index range.
CREATE TABLE patent_cet (
    area_code   TEXT NOT NULL,
    patent_key  INTEGER NOT NULL,  -- (day number of publication_date << 32) | patent id
    PRIMARY KEY (area_code, patent_key)
) WITHOUT ROWID;

-- Each assignee's patents by date key (issue 16, v5): derived from patent_assignee and the
-- patents' dates when an import finishes, like patent_cet. An assignee's patents newest first
-- are one index range, so the first page of a giant's drill reads one page, not every patent.
CREATE TABLE assignee_patent (
    assignee_id INTEGER NOT NULL,
    patent_key  INTEGER NOT NULL,  -- (day number of publication_date << 32) | patent id
    PRIMARY KEY (assignee_id, patent_key)
) WITHOUT ROWID;

-- Every PatentsView id an assignee was published under (issue 15 item 6, v3): the legacy
-- `org_…` ids and the current UUIDs of one organisation (same normalized name and type) are
-- one assignee, and each id still finds it.
CREATE TABLE assignee_pv_id (
    pv_id       TEXT PRIMARY KEY,
    assignee_id INTEGER NOT NULL REFERENCES assignee(id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX assignee_pv_id_assignee ON assignee_pv_id(assignee_id);

-- Critical and emerging technology areas and the CPC prefixes that stand for them. Editable data:
-- `tradescope cet export|import`. There is no official concordance; see data/reference/cet_cpc.tsv.
CREATE TABLE cet_area (
    code        TEXT PRIMARY KEY,  -- e.g. AI, BIOMETRICS, QUANTUM
    name        TEXT NOT NULL,
    description TEXT
);
CREATE TABLE cet_cpc (
    area_code   TEXT NOT NULL REFERENCES cet_area(code) ON DELETE CASCADE,
    cpc_prefix  TEXT NOT NULL,
    note        TEXT,
    PRIMARY KEY (area_code, cpc_prefix)
) WITHOUT ROWID;

-- Links between a list entry and a trade party / patent assignee, computed at import by the
-- matcher and reviewable: status auto → confirmed | rejected.
CREATE TABLE link_party (
    entry_id     INTEGER NOT NULL REFERENCES list_entry(id) ON DELETE CASCADE,
    party_id     INTEGER NOT NULL REFERENCES party(id) ON DELETE CASCADE,
    score        REAL NOT NULL,
    method       TEXT NOT NULL,    -- e.g. 'name:v1' (matcher id and version)
    matched_name TEXT NOT NULL,    -- which name/alias of the entry matched
    explanation  TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'auto' CHECK (status IN ('auto', 'confirmed', 'rejected')),
    PRIMARY KEY (entry_id, party_id)
) WITHOUT ROWID;
CREATE INDEX link_party_party ON link_party(party_id, entry_id);

CREATE TABLE link_assignee (
    entry_id     INTEGER NOT NULL REFERENCES list_entry(id) ON DELETE CASCADE,
    assignee_id  INTEGER NOT NULL REFERENCES assignee(id) ON DELETE CASCADE,
    score        REAL NOT NULL,
    method       TEXT NOT NULL,
    matched_name TEXT NOT NULL,
    explanation  TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'auto' CHECK (status IN ('auto', 'confirmed', 'rejected')),
    PRIMARY KEY (entry_id, assignee_id)
) WITHOUT ROWID;
CREATE INDEX link_assignee_assignee ON link_assignee(assignee_id, entry_id);

-- Key/value facts about the database itself (e.g. when linking last ran, matcher version).
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- Append-only audit log of searches, screenings and exports. Each row's `hash` is the SHA-256 of
-- the previous row's hash and this row's canonical content, so editing or deleting a row breaks
-- the chain (`tradescope audit verify`). Truncating the tail is detectable only against a head
-- hash recorded elsewhere, which `audit verify` prints.
CREATE TABLE audit_log (
    id               INTEGER PRIMARY KEY,
    at               TEXT NOT NULL,       -- UTC timestamp
    user             TEXT NOT NULL,
    action           TEXT NOT NULL,       -- search | screen | batch_screen | export | ...
    query            TEXT,
    normalized_query TEXT,
    list_versions    TEXT NOT NULL,       -- JSON: [{dataset, source_id, sha256, as_of}] current at the time
    matcher_version  TEXT,
    threshold        REAL,
    results          TEXT NOT NULL,       -- JSON summary of what was shown or written
    prev_hash        TEXT NOT NULL,
    hash             TEXT NOT NULL
);

-- Investigations (issue 8): product patterns, covered equipment, cases.

-- Finding a listing's history by key (as-of screening reads the added/removed rows of a listing).
CREATE INDEX list_change_listing ON list_change(listing_key);

-- Brand names and model-number patterns of listed or covered makers. Editable data:
-- `tradescope patterns export|import`; the bundled table is data/reference/product_patterns.tsv.
CREATE TABLE product_pattern (
    id          INTEGER PRIMARY KEY,
    maker_group TEXT NOT NULL,     -- e.g. Hikvision (a maker and its affiliates)
    maker       TEXT NOT NULL,     -- the maker's legal name, matched to list entries by name
    kind        TEXT NOT NULL CHECK (kind IN ('brand', 'model')),
    pattern     TEXT NOT NULL,     -- Rust regex, matched case-insensitively
    example     TEXT
);

-- Brands and model numbers found in a shipment's description by the patterns above; written
-- for new shipments at import and rebuilt for all shipments after a pattern import.
CREATE TABLE shipment_product (
    shipment_id INTEGER NOT NULL REFERENCES shipment(id) ON DELETE CASCADE,
    pattern_id  INTEGER NOT NULL REFERENCES product_pattern(id) ON DELETE CASCADE,
    matched     TEXT NOT NULL,     -- the text as written in the description
    model_key   TEXT NOT NULL,     -- upper-case letters and digits of `matched`: "IDS2CD7A46G0IZHS"
    PRIMARY KEY (shipment_id, pattern_id, matched)
) WITHOUT ROWID;
CREATE INDEX shipment_product_pattern ON shipment_product(pattern_id, shipment_id);

-- Which list entries a product maker is: matcher links by name (maker → entry), refreshed when
-- patterns or lists are imported.
CREATE TABLE maker_entry (
    maker        TEXT NOT NULL,
    entry_id     INTEGER NOT NULL REFERENCES list_entry(id) ON DELETE CASCADE,
    score        REAL NOT NULL,
    explanation  TEXT NOT NULL,
    PRIMARY KEY (maker, entry_id)
) WITHOUT ROWID;

-- Covered telecommunications and video-surveillance equipment makers (NDAA FY2019 §889, FCC
-- Covered List) for procurement audits. Editable data: `tradescope covered export|import`; the
-- bundled table is data/reference/covered_equipment.tsv.
CREATE TABLE covered_maker (
    id          INTEGER PRIMARY KEY,
    maker_group TEXT NOT NULL,     -- Huawei | ZTE | Hytera | Hikvision | Dahua
    maker       TEXT NOT NULL,
    relation    TEXT NOT NULL,     -- named | subsidiary | affiliate
    basis       TEXT NOT NULL,     -- the legal basis, e.g. "NDAA FY2019 §889(f)(3)(B); FCC Covered List 2021-03-12"
    source_url  TEXT
);

-- A case: a named set of records an analyst marked during an investigation, exported with
-- provenance (`tradescope case add|list|export`).
CREATE TABLE case_file (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL,     -- UTC timestamp
    created_by  TEXT NOT NULL
);
CREATE UNIQUE INDEX case_file_name ON case_file(name);

-- The records of a case; `id` keeps the order they were added in.
CREATE TABLE case_item (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES case_file(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('entity', 'party', 'shipment', 'patent', 'assignee')),
    record_id   INTEGER NOT NULL,
    note        TEXT,
    added_at    TEXT NOT NULL,     -- UTC timestamp
    added_by    TEXT NOT NULL
);
CREATE UNIQUE INDEX case_item_record ON case_item(case_id, kind, record_id);

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
    screened_versions TEXT,        -- JSON list versions of the last (re)screen
    threshold    REAL NOT NULL,    -- lowest score that counts as a hit
    alert_count  INTEGER NOT NULL DEFAULT 0, -- new potential matches the last list import found (0 after a rescreen)
    alert_at     TEXT              -- when that import's check ran
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

-- How a list version's as-of date (`source.as_of`) was found (issue 15, v3): from the file's
-- own metadata (DPL Last_Update, an OFAC download name), given with --as-of, or derived from
-- the data (the newest start date: a lower bound) and then shown as derived.
CREATE TABLE source_as_of (
    source_id   INTEGER PRIMARY KEY REFERENCES source(id),
    basis       TEXT NOT NULL,     -- "Last_Update column", "given (--as-of)", "newest start date", …
    derived     INTEGER NOT NULL   -- 1: read off the data, not stated by the file or the user
);

-- Entries of a list version matched to an entry of the version it replaced (by the stable
-- listing key, or by list + name + addresses when the publisher's ids changed) but published
-- differently (issue 15, v3): the changed third of the added/removed/changed report.
CREATE TABLE list_edit (
    source_id    INTEGER NOT NULL REFERENCES source(id),
    replaced_id  INTEGER NOT NULL REFERENCES source(id),
    listing_key  TEXT NOT NULL,
    entry_id     INTEGER NOT NULL, -- the entry in this version
    old_entry_id INTEGER NOT NULL, -- the same listing in the replaced version
    name         TEXT NOT NULL,
    list_code    TEXT NOT NULL,
    fields       TEXT NOT NULL     -- what changed, comma-separated: name, aliases, addresses, programs, dates, ids, notice
);
CREATE INDEX list_edit_source ON list_edit(source_id);
