-- tradescope on PostgreSQL, schema version 1: the tables of the SQLite schema v3
-- (crates/store/schema.sql), column for column, so a database moves between the engines
-- unchanged (`tradescope copy`); tests/it/pg.rs asserts the two agree. Differences, and why:
--   * INTEGER → BIGINT, REAL → DOUBLE PRECISION; the 0/1 flags stay integers (same values).
--   * `id` columns take their default from a sequence (set past the copied ids after a copy).
--   * shipment is partitioned by ship-date year (RANGE on the ISO text date; NULL dates go to
--     the default partition), so a year loads and indexes on its own. PostgreSQL cannot hold
--     a unique key on a partitioned table without the partition key, so shipment.id is unique
--     by construction (one sequence) rather than by constraint, and the tables that point at
--     shipments carry no foreign key.
--   * no FTS tables: description search is a pg_trgm GIN index (indexes.sql).
-- Indexes are in indexes.sql: a bulk copy creates them after the rows are in.

CREATE TABLE source (
    id           BIGSERIAL PRIMARY KEY,
    dataset      TEXT NOT NULL,
    format       TEXT NOT NULL,
    path         TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    imported_at  TEXT NOT NULL,
    row_count    BIGINT NOT NULL DEFAULT 0,
    as_of        TEXT,
    current      BIGINT NOT NULL DEFAULT 1,
    synthetic    BIGINT NOT NULL DEFAULT 0,
    note         TEXT
);

CREATE TABLE list_change (
    source_id    BIGINT NOT NULL REFERENCES source(id),
    replaced_id  BIGINT REFERENCES source(id),
    change       TEXT NOT NULL CHECK (change IN ('added', 'removed')),
    listing_key  TEXT NOT NULL,
    name         TEXT NOT NULL,
    list_code    TEXT NOT NULL
);

CREATE TABLE list_entry (
    id            BIGSERIAL PRIMARY KEY,
    source_id     BIGINT NOT NULL REFERENCES source(id),
    source_line   BIGINT NOT NULL,
    current       BIGINT NOT NULL DEFAULT 1,
    list_code     TEXT NOT NULL,
    list_name     TEXT NOT NULL,
    source_uid    TEXT NOT NULL,
    entity_number TEXT,
    listing_key   TEXT NOT NULL,
    entity_type   TEXT NOT NULL,
    name          TEXT NOT NULL,
    programs      TEXT,
    title         TEXT,
    addresses     TEXT,
    country       TEXT,
    countries     TEXT,
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

CREATE TABLE entry_name (
    id         BIGSERIAL PRIMARY KEY,
    entry_id   BIGINT NOT NULL REFERENCES list_entry(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    norm       TEXT NOT NULL,
    name_type  TEXT NOT NULL
);

CREATE TABLE entry_ident (
    entry_id   BIGINT NOT NULL REFERENCES list_entry(id) ON DELETE CASCADE,
    id_type    TEXT NOT NULL,
    value      TEXT NOT NULL,
    country    TEXT
);

CREATE TABLE party (
    id          BIGSERIAL PRIMARY KEY,
    source_id   BIGINT NOT NULL REFERENCES source(id),
    source_line BIGINT NOT NULL,
    name        TEXT NOT NULL,
    norm        TEXT NOT NULL,
    address     TEXT,
    city        TEXT,
    country     TEXT,
    synthetic   BIGINT NOT NULL DEFAULT 0,
    n_shipped   BIGINT NOT NULL DEFAULT 0,
    n_received  BIGINT NOT NULL DEFAULT 0,
    n_notified  BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE shipment (
    id                 BIGSERIAL NOT NULL,
    source_id          BIGINT NOT NULL REFERENCES source(id),
    source_line        BIGINT NOT NULL,
    identifier         TEXT,
    master_bol         TEXT,
    house_bol          TEXT,
    bill_type          TEXT,
    ship_date          TEXT,
    estimated_arrival_date TEXT,
    shipper_id         BIGINT REFERENCES party(id),
    consignee_id       BIGINT REFERENCES party(id),
    notify_id          BIGINT REFERENCES party(id),
    origin_country     TEXT,
    dest_country       TEXT,
    port_of_lading     TEXT,
    port_of_unlading   TEXT,
    place_of_receipt   TEXT,
    foreign_port_of_destination TEXT,
    carrier_code       TEXT,
    vessel_name        TEXT,
    vessel_country     TEXT,
    mode               TEXT,
    weight_kg          DOUBLE PRECISION,
    weight             DOUBLE PRECISION,
    weight_unit        TEXT,
    quantity           BIGINT,
    quantity_unit      TEXT,
    containers         TEXT,
    hs_code            TEXT,
    description        TEXT,
    record_status      TEXT,
    synthetic          BIGINT NOT NULL DEFAULT 0
) PARTITION BY RANGE (ship_date);
CREATE TABLE shipment_undated PARTITION OF shipment DEFAULT;

CREATE TABLE shipment_hs (
    shipment_id BIGINT NOT NULL,
    seq         BIGINT NOT NULL,
    hs_code     TEXT NOT NULL,
    ship_date   TEXT,
    PRIMARY KEY (shipment_id, seq)
);

CREATE TABLE patent (
    id                 BIGSERIAL PRIMARY KEY,
    source_id          BIGINT NOT NULL REFERENCES source(id),
    source_line        BIGINT NOT NULL,
    number             TEXT NOT NULL,
    number_key         TEXT NOT NULL,
    kind               TEXT,
    doc_type           TEXT,
    title              TEXT,
    abstract           TEXT,
    application_number TEXT,
    filing_date        TEXT,
    publication_date   TEXT,
    source_url         TEXT,
    synthetic          BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE assignee (
    id            BIGSERIAL PRIMARY KEY,
    source_id     BIGINT NOT NULL REFERENCES source(id),
    source_line   BIGINT NOT NULL,
    pv_id         TEXT,
    name          TEXT NOT NULL,
    norm          TEXT NOT NULL,
    assignee_type TEXT,
    n_patents     BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE patent_assignee (
    patent_id   BIGINT NOT NULL REFERENCES patent(id) ON DELETE CASCADE,
    assignee_id BIGINT NOT NULL REFERENCES assignee(id),
    seq         BIGINT NOT NULL,
    name_as_published TEXT NOT NULL,
    PRIMARY KEY (patent_id, assignee_id)
);

CREATE TABLE patent_cpc (
    patent_id  BIGINT NOT NULL REFERENCES patent(id) ON DELETE CASCADE,
    seq        BIGINT NOT NULL,
    cpc        TEXT NOT NULL,
    PRIMARY KEY (patent_id, seq)
);

-- Word search over patents (version 2), SQLite's patent_fts counterpart: each patent's
-- title, abstract and assignee names as the exact words FTS5's tokenizer reads
-- (tradescope_store::patents::words), with positions for phrases. Derived: written by
-- `copy` (crates/pg/src/words.rs) and by the upgrade from version 1; not copied back
-- (SQLite rebuilds patent_fts itself).
CREATE TABLE patent_word (
    patent_id BIGINT PRIMARY KEY REFERENCES patent(id) ON DELETE CASCADE,
    words     tsvector NOT NULL
);

CREATE TABLE patent_cet (
    area_code   TEXT NOT NULL,
    patent_key  BIGINT NOT NULL,
    PRIMARY KEY (area_code, patent_key)
);

-- SQLite schema v5 (PostgreSQL schema v2): each assignee's patents by date key.
CREATE TABLE assignee_patent (
    assignee_id BIGINT NOT NULL,
    patent_key  BIGINT NOT NULL,
    PRIMARY KEY (assignee_id, patent_key)
);

CREATE TABLE assignee_pv_id (
    pv_id       TEXT PRIMARY KEY,
    assignee_id BIGINT NOT NULL REFERENCES assignee(id) ON DELETE CASCADE
);

CREATE TABLE cet_area (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    description TEXT
);
CREATE TABLE cet_cpc (
    area_code   TEXT NOT NULL REFERENCES cet_area(code) ON DELETE CASCADE,
    cpc_prefix  TEXT NOT NULL,
    note        TEXT,
    PRIMARY KEY (area_code, cpc_prefix)
);

CREATE TABLE link_party (
    entry_id     BIGINT NOT NULL REFERENCES list_entry(id) ON DELETE CASCADE,
    party_id     BIGINT NOT NULL REFERENCES party(id) ON DELETE CASCADE,
    score        DOUBLE PRECISION NOT NULL,
    method       TEXT NOT NULL,
    matched_name TEXT NOT NULL,
    explanation  TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'auto' CHECK (status IN ('auto', 'confirmed', 'rejected')),
    PRIMARY KEY (entry_id, party_id)
);

CREATE TABLE link_assignee (
    entry_id     BIGINT NOT NULL REFERENCES list_entry(id) ON DELETE CASCADE,
    assignee_id  BIGINT NOT NULL REFERENCES assignee(id) ON DELETE CASCADE,
    score        DOUBLE PRECISION NOT NULL,
    method       TEXT NOT NULL,
    matched_name TEXT NOT NULL,
    explanation  TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'auto' CHECK (status IN ('auto', 'confirmed', 'rejected')),
    PRIMARY KEY (entry_id, assignee_id)
);

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- `user` is a reserved word in PostgreSQL: always quoted.
CREATE TABLE audit_log (
    id               BIGSERIAL PRIMARY KEY,
    at               TEXT NOT NULL,
    "user"           TEXT NOT NULL,
    action           TEXT NOT NULL,
    query            TEXT,
    normalized_query TEXT,
    list_versions    TEXT NOT NULL,
    matcher_version  TEXT,
    threshold        DOUBLE PRECISION,
    results          TEXT NOT NULL,
    prev_hash        TEXT NOT NULL,
    hash             TEXT NOT NULL
);

CREATE TABLE product_pattern (
    id          BIGSERIAL PRIMARY KEY,
    maker_group TEXT NOT NULL,
    maker       TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('brand', 'model')),
    pattern     TEXT NOT NULL,
    example     TEXT
);

CREATE TABLE shipment_product (
    shipment_id BIGINT NOT NULL,
    pattern_id  BIGINT NOT NULL REFERENCES product_pattern(id) ON DELETE CASCADE,
    matched     TEXT NOT NULL,
    model_key   TEXT NOT NULL,
    PRIMARY KEY (shipment_id, pattern_id, matched)
);

CREATE TABLE maker_entry (
    maker        TEXT NOT NULL,
    entry_id     BIGINT NOT NULL REFERENCES list_entry(id) ON DELETE CASCADE,
    score        DOUBLE PRECISION NOT NULL,
    explanation  TEXT NOT NULL,
    PRIMARY KEY (maker, entry_id)
);

CREATE TABLE covered_maker (
    id          BIGSERIAL PRIMARY KEY,
    maker_group TEXT NOT NULL,
    maker       TEXT NOT NULL,
    relation    TEXT NOT NULL,
    basis       TEXT NOT NULL,
    source_url  TEXT
);

CREATE TABLE case_file (
    id          BIGSERIAL PRIMARY KEY,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL
);

CREATE TABLE case_item (
    id          BIGSERIAL PRIMARY KEY,
    case_id     BIGINT NOT NULL REFERENCES case_file(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('entity', 'party', 'shipment', 'patent', 'assignee')),
    record_id   BIGINT NOT NULL,
    note        TEXT,
    added_at    TEXT NOT NULL,
    added_by    TEXT NOT NULL
);

CREATE TABLE decision (
    id           BIGSERIAL PRIMARY KEY,
    name         TEXT NOT NULL,
    name_norm    TEXT NOT NULL,
    listing_key  TEXT NOT NULL,
    entry_id     BIGINT NOT NULL,
    verdict      TEXT NOT NULL CHECK (verdict IN ('match', 'false-positive', 'escalate')),
    reason       TEXT NOT NULL,
    score        DOUBLE PRECISION,
    state        TEXT NOT NULL,
    decided_at   TEXT NOT NULL,
    decided_by   TEXT NOT NULL,
    undone_at    TEXT,
    undone_by    TEXT
);

CREATE TABLE watch_set (
    id           BIGSERIAL PRIMARY KEY,
    name         TEXT NOT NULL,
    path         TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    screened_at  TEXT,
    screened_versions TEXT,
    threshold    DOUBLE PRECISION NOT NULL,
    alert_count  BIGINT NOT NULL DEFAULT 0,
    alert_at     TEXT
);

CREATE TABLE watch_party (
    id           BIGSERIAL PRIMARY KEY,
    set_id       BIGINT NOT NULL REFERENCES watch_set(id) ON DELETE CASCADE,
    line         BIGINT NOT NULL,
    name         TEXT NOT NULL,
    country      TEXT,
    dob          TEXT
);

CREATE TABLE watch_hit (
    party_id     BIGINT NOT NULL REFERENCES watch_party(id) ON DELETE CASCADE,
    listing_key  TEXT NOT NULL,
    entry_id     BIGINT NOT NULL,
    name         TEXT NOT NULL,
    score        DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (party_id, listing_key)
);

CREATE TABLE link_review (
    id           BIGSERIAL PRIMARY KEY,
    listing_key  TEXT NOT NULL,
    target       TEXT NOT NULL CHECK (target IN ('party', 'assignee')),
    target_id    BIGINT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('confirmed', 'rejected', 'auto')),
    reason       TEXT NOT NULL,
    at           TEXT NOT NULL,
    by_user      TEXT NOT NULL
);

CREATE TABLE shipment_column (
    id          BIGSERIAL PRIMARY KEY,
    field       TEXT NOT NULL,
    heading     TEXT NOT NULL,
    heading_key TEXT NOT NULL,
    layout      TEXT NOT NULL DEFAULT ''
);

CREATE TABLE shipment_port_code (
    shipment_id BIGINT NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('lading', 'unlading', 'receipt')),
    code        TEXT NOT NULL,
    PRIMARY KEY (shipment_id, role)
);

CREATE TABLE source_as_of (
    source_id   BIGINT PRIMARY KEY REFERENCES source(id),
    basis       TEXT NOT NULL,
    derived     BIGINT NOT NULL
);

CREATE TABLE list_edit (
    source_id    BIGINT NOT NULL REFERENCES source(id),
    replaced_id  BIGINT NOT NULL REFERENCES source(id),
    listing_key  TEXT NOT NULL,
    entry_id     BIGINT NOT NULL,
    old_entry_id BIGINT NOT NULL,
    name         TEXT NOT NULL,
    list_code    TEXT NOT NULL,
    fields       TEXT NOT NULL
);
