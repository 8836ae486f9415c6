//! An import killed mid-way (kill -9, a dropped SSH session, a power cut) leaves the data that
//! was there before intact and no trace of the partial import.

use crate::common;

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{content_digest, count_at, data, import_files};
use tradescope::db::import::{Format, ImportOptions};
use tradescope::db::{self, Integrity};

/// A CSL file large enough that its import is still running when the test kills it.
fn big_csl(path: &std::path::Path, rows: usize) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(
        f,
        "_id,source,entity_number,type,programs,name,title,addresses,federal_register_notice,\
         start_date,end_date,standard_order,license_requirement,license_policy,call_sign,\
         vessel_type,gross_tonnage,gross_registered_tonnage,vessel_flag,vessel_owner,remarks,\
         source_list_url,alt_names,citizenships,dates_of_birth,nationalities,places_of_birth,\
         source_information_url,ids"
    )
    .unwrap();
    for i in 0..rows {
        writeln!(
            f,
            "gen{i},Entity List (EL) - Bureau of Industry and Security,,Entity,,GENERATED ENTITY \
             {i} TRADING CO,,\"No. {i} Road, Hangzhou, CN\",,2019-10-09,,,,,,,,,,,,,ALIAS {i},,,,,,"
        )
        .unwrap();
    }
    f.flush().unwrap();
}

#[test]
fn an_import_killed_midway_leaves_the_previous_data_intact() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    import_files(
        &db,
        Format::Dpl,
        &[data("lists/bis_dpl.txt")],
        &ImportOptions::default(),
    )
    .unwrap();
    let before = content_digest(&db);
    let sources_before = count_at(&db, "SELECT count(*) FROM source");
    let big = dir.path().join("big.csv");
    big_csl(&big, 100_000);

    let mut child = Command::new(env!("CARGO_BIN_EXE_tradescope"))
        .arg("--db")
        .arg(&db)
        .args(["import", "csl"])
        .arg(&big)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Kill once the import has written a good part of its transaction to the WAL.
    let wal = dir.path().join("t.db-wal");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let grown = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0) > 2 << 20;
        if grown || Instant::now() > deadline {
            break;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "the import finished before it could be interrupted: make the file bigger"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        child.try_wait().unwrap().is_none(),
        "still importing when killed"
    );
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    assert!(
        std::fs::metadata(&wal).unwrap().len() > 2 << 20,
        "the import wrote to the WAL"
    );

    // The program opens it again, verified page by page.
    db::open_ro_with(&db, Integrity::Always).expect("the database opens and passes quick_check");
    assert_eq!(
        content_digest(&db),
        before,
        "the previous content is intact"
    );
    assert_eq!(count_at(&db, "SELECT count(*) FROM source"), sources_before);
    assert_eq!(
        count_at(
            &db,
            "SELECT count(*) FROM list_entry WHERE source_id NOT IN (SELECT id FROM source)"
        ),
        0,
        "no rows of the killed import"
    );
    // And the database takes the next import as usual.
    let cons: Vec<_> = ["cons_prim.csv", "cons_add.csv", "cons_alt.csv"]
        .iter()
        .map(|f| data(&format!("lists/ofac_consolidated/{f}")))
        .collect();
    let report = import_files(&db, Format::Ofac, &cons, &ImportOptions::default()).unwrap();
    assert!(report.rows > 0);
    assert_eq!(
        count_at(&db, "SELECT count(*) FROM source"),
        sources_before + 1
    );
}
