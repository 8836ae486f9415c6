-- Indexes of the PostgreSQL schema (version 1), created after a bulk copy's rows are in.
-- The same drill paths as SQLite's (newest first within a party / port / HS code), created
-- on the partitioned parent so every year's partition gets its own. The date sorts with NULLS
-- FIRST (version 4): a backward scan then reads `ship_date DESC NULLS LAST`, a forward one
-- `ASC NULLS FIRST` — SQLite's orders — so a page stops after its rows instead of sorting.
CREATE INDEX source_dataset ON source(dataset, current);
CREATE UNIQUE INDEX source_sha ON source(dataset, sha256);
CREATE INDEX list_change_source ON list_change(source_id);
CREATE INDEX list_change_listing ON list_change(listing_key);
CREATE INDEX list_entry_current ON list_entry(current, list_code);
CREATE INDEX list_entry_listing ON list_entry(listing_key);
CREATE INDEX list_entry_source ON list_entry(source_id);
CREATE INDEX entry_name_entry ON entry_name(entry_id);
CREATE INDEX entry_name_norm ON entry_name(norm);
CREATE INDEX entry_ident_entry ON entry_ident(entry_id);
CREATE INDEX entry_ident_value ON entry_ident(value);
CREATE UNIQUE INDEX party_key ON party(norm, COALESCE(country, ''));
CREATE INDEX shipment_id ON shipment(id);
CREATE INDEX shipment_shipper ON shipment(shipper_id, ship_date NULLS FIRST, id);
CREATE INDEX shipment_consignee ON shipment(consignee_id, ship_date NULLS FIRST, id);
CREATE INDEX shipment_notify ON shipment(notify_id, ship_date NULLS FIRST, id);
CREATE INDEX shipment_date ON shipment(ship_date NULLS FIRST, id);
CREATE INDEX shipment_hs_date ON shipment(hs_code, ship_date NULLS FIRST, id);
CREATE INDEX shipment_hs_code ON shipment_hs(hs_code, ship_date NULLS FIRST, shipment_id);
CREATE INDEX shipment_lading ON shipment(port_of_lading, ship_date NULLS FIRST, id);
CREATE INDEX shipment_unlading ON shipment(port_of_unlading, ship_date NULLS FIRST, id);
CREATE INDEX shipment_dest ON shipment(dest_country, ship_date NULLS FIRST, id);
CREATE INDEX shipment_origin ON shipment(origin_country, ship_date NULLS FIRST, id);
CREATE INDEX shipment_identifier ON shipment(identifier);
-- Substring search over descriptions (model numbers such as "2CD7A46"), SQLite's trigram
-- FTS5 table's counterpart.
CREATE INDEX shipment_description_trgm ON shipment USING gin (description gin_trgm_ops);
CREATE UNIQUE INDEX patent_number ON patent(number_key);
CREATE INDEX patent_application ON patent(application_number);
CREATE INDEX patent_date ON patent(publication_date, id);
CREATE UNIQUE INDEX assignee_pv ON assignee(pv_id) WHERE pv_id IS NOT NULL;
CREATE INDEX assignee_norm ON assignee(norm);
CREATE INDEX patent_assignee_assignee ON patent_assignee(assignee_id, patent_id);
CREATE INDEX patent_cpc_code ON patent_cpc(cpc, patent_id);
CREATE INDEX assignee_pv_id_assignee ON assignee_pv_id(assignee_id);
-- Word search over patents (version 2): SQLite's patent_fts counterpart.
CREATE INDEX patent_word_gin ON patent_word USING gin (words);
CREATE INDEX link_party_party ON link_party(party_id, entry_id);
CREATE INDEX link_assignee_assignee ON link_assignee(assignee_id, entry_id);
CREATE INDEX shipment_product_pattern ON shipment_product(pattern_id, shipment_id);
CREATE UNIQUE INDEX case_file_name ON case_file(name);
CREATE UNIQUE INDEX case_item_record ON case_item(case_id, kind, record_id);
CREATE INDEX decision_key ON decision(name_norm, listing_key);
CREATE UNIQUE INDEX watch_set_name ON watch_set(name);
CREATE INDEX watch_party_set ON watch_party(set_id);
CREATE INDEX link_review_target ON link_review(target, target_id);
CREATE UNIQUE INDEX shipment_column_key ON shipment_column(layout, heading_key);
CREATE INDEX list_edit_source ON list_edit(source_id);
