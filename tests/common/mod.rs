//! Shared fixture for the workbench tests: the real CSL file imported into a fresh database,
//! plus — until the trade and patent importers land on main — the seed case (Hikvision's
//! shipments to its trade partners, the face-liveness patent) inserted with plain SQL.
//! Also a synchronous driver: run `update`'s commands on a `Worker` in this thread until
//! nothing is pending, so tests see exactly what the user would after loading settles.

#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::OnceLock;

use rusqlite::{params, Connection};
use tradescope::app::{update, Action, Command, Model, Worker};
use tradescope::db::import::{self, Format, ImportOptions, Input};
use tradescope::matching::normalize_key;
use tradescope::progress::NoProgress;

pub struct Fixture {
    pub path: PathBuf,
    /// The Entity List entry of Hangzhou Hikvision.
    pub hik_el: i64,
    pub hik_party: i64,
    pub phuong_viet: i64,
    pub face_patent: i64,
}

static FIXTURE: OnceLock<Fixture> = OnceLock::new();

pub fn fixture() -> &'static Fixture {
    FIXTURE.get_or_init(build)
}

fn build() -> Fixture {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let path = dir.join(format!("workbench-fixture-{}.db", std::process::id()));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let mut conn = tradescope::db::open_rw(&path).expect("fixture database");
    // Embedded under its repository path, so the "Source" shown does not depend on the checkout.
    let csl: &'static [u8] = include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/lists/csl_consolidated_2022-05.csv.gz"
    ));
    import::import(
        &mut conn,
        Format::Csl,
        &[Input::embedded(
            "data/lists/csl_consolidated_2022-05.csv.gz",
            csl,
        )],
        &ImportOptions::default(),
        &NoProgress,
    )
    .expect("import the real CSL file");
    let hik_el: i64 = conn
        .query_row(
            "SELECT id FROM list_entry WHERE list_code = 'EL' AND name LIKE 'Hangzhou Hikvision%'",
            [],
            |r| r.get(0),
        )
        .expect("Hikvision is on the Entity List in the CSL file");
    let f = seed(&conn, hik_el);
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .expect("checkpoint");
    drop(conn);
    Fixture { path, ..f }
}

/// The worked case from CONTEXT.md, as synthetic records.
fn seed(conn: &Connection, hik_el: i64) -> Fixture {
    conn.execute(
        "INSERT INTO source (id, dataset, format, path, sha256, imported_at, as_of, synthetic)
         VALUES (900, 'demo', 'test fixture', 'tests/common/mod.rs', 'fixture', '2026-01-01T00:00:00Z',
                 '2026-01-01', 1)",
        [],
    )
    .unwrap();
    let party = |name: &str, country: &str| -> i64 {
        conn.execute(
            "INSERT INTO party (source_id, source_line, name, norm, country, synthetic)
             VALUES (900, 1, ?1, ?2, ?3, 1)",
            params![name, normalize_key(name), country],
        )
        .unwrap();
        conn.last_insert_rowid()
    };
    let hik = party("HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO LTD", "CN");
    let phuong = party("PHUONG VIET DISTRIBUTION", "VN");
    let macroquil = party("MACROQUIL", "EC");
    let jabil = party("JABIL CIRCUIT INDIA PRIVATE", "IN");
    let linaco = party("LINACO VIET NAM TECHNOLOGY DEVELOPMENT COMPANY", "VN");
    let secure = party("SECURE VIEW SYSTEMS LLC", "US");
    let ship = |date: &str,
                from: i64,
                to: i64,
                ports: (&str, &str),
                cc: (&str, &str),
                hs: &str,
                desc: &str| {
        conn.execute(
            "INSERT INTO shipment (source_id, source_line, ship_date, shipper_id, consignee_id,
               origin_country, dest_country, port_of_lading, port_of_unlading, hs_code, description,
               synthetic) VALUES (900, 1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 1)",
            params![date, from, to, cc.0, cc.1, ports.0, ports.1, hs, desc],
        )
        .unwrap();
        let id = conn.last_insert_rowid();
        conn.execute(
            "INSERT INTO shipment_fts (rowid, description) VALUES (?1, ?2)",
            params![id, desc],
        )
        .unwrap();
    };
    ship(
        "2020-03-14",
        hik,
        phuong,
        ("Shanghai", "Haiphong"),
        ("CN", "VN"),
        "852580",
        "Camera recorder image CCTV IDS 2CD7A46G0 IZHS 28 12MM Brand Hikvision New100",
    );
    ship(
        "2020-05-02",
        hik,
        linaco,
        ("Shanghai", "Haiphong"),
        ("CN", "VN"),
        "852580",
        "Webcam Hikvision DS UC8 no memory card slot 1080p HD resolution 3 6mm lens",
    );
    ship(
        "2020-06-21",
        hik,
        macroquil,
        ("Ningbo", "Guayaquil"),
        ("CN", "EC"),
        "852190",
        "NVR 16 CH",
    );
    ship(
        "2020-08-09",
        hik,
        jabil,
        ("Shanghai", "Chennai"),
        ("CN", "IN"),
        "852990",
        "497-0532015 3.7MM CAMERA MODULE (IGCRD SR NO.13)",
    );
    ship(
        "2021-02-11",
        phuong,
        secure,
        ("Haiphong", "Los Angeles, California"),
        ("VN", "US"),
        "852580",
        "CCTV CAMERA RECORDER IDS 7208HUHI M2 S 8 CHANNELS",
    );
    // Enough unrelated traffic for keyset paging (pages of 50), dated before the seed case.
    let acme = party("ACME TRADING CO", "CN");
    let beta = party("BETA IMPORTS INC", "US");
    for i in 0..120 {
        let date = format!("2019-{:02}-{:02}", 1 + i % 12, 1 + i % 28);
        ship(
            &date,
            acme,
            beta,
            ("Yantian", "Long Beach, California"),
            ("CN", "US"),
            "940360",
            &format!("WOODEN FURNITURE LOT {i:03}"),
        );
    }
    conn.execute_batch(
        "UPDATE party SET n_shipped = (SELECT count(*) FROM shipment WHERE shipper_id = party.id),
                          n_received = (SELECT count(*) FROM shipment WHERE consignee_id = party.id);",
    )
    .unwrap();
    conn.execute(
        "INSERT INTO link_party (entry_id, party_id, score, method, matched_name, explanation)
         VALUES (?1, ?2, 0.97, 'name:0', 'Hangzhou Hikvision Digital Technology Co., Ltd.',
                 'same name, legal form ignored')",
        params![hik_el, hik],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO assignee (id, source_id, source_line, name, norm, n_patents)
         VALUES (1, 900, 1, 'Hangzhou Hikvision Digital Technology Co., Ltd.', ?1, 2)",
        params![normalize_key(
            "Hangzhou Hikvision Digital Technology Co., Ltd."
        )],
    )
    .unwrap();
    let patent = |number: &str, key: &str, doc: &str, date: &str, cpc: &[&str]| -> i64 {
        conn.execute(
            "INSERT INTO patent (source_id, source_line, number, number_key, doc_type, title,
               publication_date, synthetic)
             VALUES (900, 1, ?1, ?2, ?3, 'Face liveness detection based on neural network model', ?4, 1)",
            params![number, key, doc, date],
        )
        .unwrap();
        let id = conn.last_insert_rowid();
        conn.execute(
            "INSERT INTO patent_assignee (patent_id, assignee_id, seq, name_as_published)
             VALUES (?1, 1, 1, 'Hangzhou Hikvision Digital Technology Co., Ltd.')",
            params![id],
        )
        .unwrap();
        for (i, c) in cpc.iter().enumerate() {
            conn.execute(
                "INSERT INTO patent_cpc (patent_id, seq, cpc) VALUES (?1, ?2, ?3)",
                params![id, i as i64 + 1, c],
            )
            .unwrap();
        }
        id
    };
    let face = patent(
        "US20200334450A1",
        "US20200334450",
        "application",
        "2020-10-22",
        &["G06V40/45", "G06N3/08"],
    );
    patent(
        "US11321963B2",
        "US11321963",
        "grant",
        "2022-05-03",
        &["G06V40/45"],
    );
    conn.execute_batch(
        "INSERT INTO cet_area (code, name) VALUES ('AI', 'Artificial intelligence'),
                                                  ('BIOMETRICS', 'Biometrics and face recognition');
         INSERT INTO cet_cpc (area_code, cpc_prefix) VALUES ('AI', 'G06N'), ('AI', 'G06V'),
                                                            ('BIOMETRICS', 'G06V40');",
    )
    .unwrap();
    conn.execute(
        "INSERT INTO link_assignee (entry_id, assignee_id, score, method, matched_name, explanation)
         VALUES (?1, 1, 0.98, 'name:0', 'Hangzhou Hikvision Digital Technology Co., Ltd.', 'same name')",
        params![hik_el],
    )
    .unwrap();
    Fixture {
        path: PathBuf::new(),
        hik_el,
        hik_party: hik,
        phuong_viet: phuong,
        face_patent: face,
    }
}

/// A model and a worker over the fixture, started and settled (names loaded).
pub fn start(width: u16, height: u16) -> (Model, Worker) {
    let mut m = Model::new("fixture.db", width, height, true);
    let mut w = Worker::new(&fixture().path);
    let cmds = update(&mut m, Action::Start);
    settle(&mut m, &mut w, cmds);
    (m, w)
}

/// Run commands (and the commands their answers lead to) until nothing is pending.
pub fn settle(m: &mut Model, w: &mut Worker, cmds: Vec<Command>) {
    let mut queue: std::collections::VecDeque<Command> = cmds.into();
    let mut steps = 0;
    while let Some(cmd) = queue.pop_front() {
        steps += 1;
        assert!(steps < 1000, "commands keep coming: {cmd:?}");
        if let Some(a) = w.run(cmd, &|| false) {
            queue.extend(update(m, a));
        }
    }
}

/// Apply a user action and settle.
pub fn press(m: &mut Model, w: &mut Worker, a: Action) {
    let cmds = update(m, a);
    settle(m, w, cmds);
}

/// Type text into the current input line.
pub fn type_text(m: &mut Model, w: &mut Worker, s: &str) {
    for c in s.chars() {
        press(m, w, Action::Insert(c));
    }
}
