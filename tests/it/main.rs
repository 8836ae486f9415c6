//! The one integration-test binary: every former tests/*.rs file is a module here, so the
//! workspace links one test executable instead of two dozen (disk and link time).

// Test code may unwrap: a panic is the failure report.
#![allow(clippy::unwrap_used)]

mod common;
mod tmux;
mod workbench;

mod asof_versions;
mod audit_tamper;
mod batch_report;
mod bounded_inputs;
mod cli;
mod db_lists;
mod db_opening;
mod db_safety;
mod decisions;
mod demo;
mod description_order;
mod drift;
mod e2e;
mod filters_search;
mod hardening_io;
mod hostile;
mod hostile_trade;
mod import_any_order;
mod import_patents;
mod import_trade;
mod import_vendor;
mod input_focus;
mod interrupted_import;
mod investigate;
mod investigate_cli;
mod investigate_tui;
mod lifecycle;
mod link_review;
mod linking_progress;
mod list_update_linking;
mod list_updates;
mod matching_devset;
mod matching_quality;
mod matching_screening;
mod migrations;
mod nav;
mod patents_query;
mod pg;
mod pg_answers;
mod pg_bench;
mod pg_cli;
mod pg_contract;
mod pg_views;
mod pg_writes;
mod record_view;
mod scale;
mod screening;
mod spreadsheet_exports;
mod text_safety;
mod ui;
mod ui_columns;
mod ui_invest;
mod views;
mod watch;
mod watch_check;
