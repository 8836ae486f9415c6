//! Patent importers on the real bundled files (PatentsView assignees, curated patent records)
//! and on PatentsView g_* files in the real layout; the CET reference table.

use crate::common;

use common::*;
use tradescope::db::cet;
use tradescope::db::import::Format;

const HIK_PV: &str = "org_1hv1xew28RQO51jewIn0";

#[test]
fn patentsview_assignee_slice_imports_every_row() {
    let mut t = new_db();
    let r = import(
        &mut t.conn,
        Format::Patentsview,
        &[repo("data/patents/patentsview_assignee.tsv")],
    )
    .expect("assignee slice");
    assert_eq!(r.rows, 47_011);
    // PatentsView gave some organisations several ids (same normalized name and type): one
    // assignee each, every id kept (issue 15 item 6).
    let merged = count(&t.conn, "SELECT count(*) FROM assignee_pv_id");
    assert!(merged > 0 && merged < 1_000, "{merged}");
    assert!(
        r.warnings
            .iter()
            .any(|w| w.starts_with(&format!("{merged} PatentsView assignee id(s)"))),
        "{:?}",
        r.warnings
    );
    assert_eq!(
        count(&t.conn, "SELECT count(*) FROM assignee") + merged,
        47_011
    );
    assert_eq!(
        count(&t.conn, "SELECT count(*) FROM patent"),
        0,
        "assignees only"
    );
    let (name, kind): (String, String) = t
        .conn
        .query_row(
            "SELECT name, assignee_type FROM assignee WHERE pv_id = ?1",
            [HIK_PV],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("Hikvision assignee");
    assert_eq!(name, "Hangzhou Hikvision Digital Technology Co., Ltd.");
    assert_eq!(kind, "3", "foreign company");
}

#[test]
fn curated_patents_import_with_shared_application() {
    let mut t = new_db();
    let r = import(
        &mut t.conn,
        Format::Patents,
        &[repo("data/patents/curated_us_patents.tsv")],
    )
    .expect("curated patents");
    assert_eq!(r.rows, 72);
    assert_eq!(count(&t.conn, "SELECT count(*) FROM patent"), 72);
    let rows: Vec<(String, String, String, Option<String>, String)> = t
        .conn
        .prepare(
            "SELECT number, number_key, doc_type, kind, title FROM patent
             WHERE application_number = 'US16/959,419' ORDER BY number",
        )
        .unwrap()
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        rows.len(),
        2,
        "grant and application share the application: {rows:?}"
    );
    assert_eq!(rows[0].0, "US11321963B2");
    assert_eq!(rows[0].1, "US11321963");
    assert_eq!(rows[0].2, "grant");
    assert_eq!(rows[1].0, "US20200334450A1");
    assert_eq!(rows[1].1, "US20200334450");
    assert_eq!(rows[1].2, "application");
    assert_eq!(rows[1].3.as_deref(), Some("A1"));
    assert_eq!(
        rows[1].4,
        "FACE LIVENESS DETECTION BASED ON NEURAL NETWORK MODEL"
    );
    // A number without a kind code keeps its number and gets no kind.
    let (key, kind): (String, Option<String>) = t
        .conn
        .query_row(
            "SELECT number_key, kind FROM patent WHERE number = 'US11584510'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((key.as_str(), kind), ("US11584510", None));
    // CPC symbols are stored without spaces; several assignees are kept in order.
    assert!(
        count(
            &t.conn,
            "SELECT count(*) FROM patent_cpc WHERE cpc = 'G06V40/16'"
        ) >= 1
    );
    assert_eq!(
        count(
            &t.conn,
            "SELECT count(*) FROM patent_assignee pa JOIN patent p ON p.id = pa.patent_id
             WHERE p.number = 'US12463049'"
        ),
        2
    );
}

#[test]
fn curated_hikvision_patents_attach_to_the_patentsview_assignee() {
    let mut t = new_db();
    import(
        &mut t.conn,
        Format::Patentsview,
        &[repo("data/patents/patentsview_assignee.tsv")],
    )
    .unwrap();
    import(
        &mut t.conn,
        Format::Patents,
        &[repo("data/patents/curated_us_patents.tsv")],
    )
    .unwrap();
    let attached: Vec<(String, String)> = t
        .conn
        .prepare(
            "SELECT p.number, pa.name_as_published FROM patent_assignee pa
             JOIN patent p ON p.id = pa.patent_id
             JOIN assignee a ON a.id = pa.assignee_id WHERE a.pv_id = ?1 ORDER BY p.number",
        )
        .unwrap()
        .query_map([HIK_PV], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let numbers: Vec<&str> = attached.iter().map(|(n, _)| n.as_str()).collect();
    assert!(numbers.contains(&"US11321963B2"), "{numbers:?}");
    assert!(numbers.contains(&"US20200334450A1"), "{numbers:?}");
    assert!(
        attached
            .iter()
            .any(|(_, n)| n == "HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO., LTD."),
        "the spelling of the record is kept: {attached:?}"
    );
    assert_eq!(
        count(
            &t.conn,
            &format!("SELECT n_patents FROM assignee WHERE pv_id = '{HIK_PV}'")
        ),
        attached.len() as i64
    );
    // No second Hikvision Digital assignee was created for those spellings.
    assert_eq!(
        count(
            &t.conn,
            "SELECT count(*) FROM assignee WHERE norm = (SELECT norm FROM assignee WHERE pv_id = 'org_1hv1xew28RQO51jewIn0')"
        ),
        1
    );
}

#[test]
fn same_patent_from_a_new_source_is_updated_not_duplicated() {
    let mut t = new_db();
    import(
        &mut t.conn,
        Format::Patents,
        &[repo("data/patents/curated_us_patents.tsv")],
    )
    .unwrap();
    let newer = t.dir.path().join("newer.tsv");
    std::fs::write(
        &newer,
        "publication_number\tkind\ttitle\tassignee\tcpc\n\
         US 11,321,963 B2\tgrant\tFace liveness detection based on neural network model (corrected)\tHangzhou Hikvision Digital Technology Co Ltd\tG06N 3/08\n",
    )
    .unwrap();
    let r = import(&mut t.conn, Format::Patents, &[newer]).expect("update");
    assert_eq!(r.rows, 1);
    assert_eq!(count(&t.conn, "SELECT count(*) FROM patent"), 72);
    let (title, source, app): (String, i64, String) = t
        .conn
        .query_row(
            "SELECT title, source_id, application_number FROM patent WHERE number_key = 'US11321963'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert!(title.ends_with("(corrected)"));
    assert_eq!(source, r.source_id.unwrap());
    assert_eq!(
        app, "US16/959,419",
        "what the new record leaves out is kept"
    );
    let codes: Vec<String> = t
        .conn
        .prepare(
            "SELECT c.cpc FROM patent_cpc c JOIN patent p ON p.id = c.patent_id
             WHERE p.number_key = 'US11321963' ORDER BY c.seq",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(codes, vec!["G06V40/16", "G06V30/194", "G06N3/08"]);
}

#[test]
fn patentsview_g_tables_are_recognised_by_their_headers() {
    let mut t = new_db();
    // Renamed and given in reverse order: the importer must look at the headers.
    let mut paths = Vec::new();
    for (i, f) in [
        "g_cpc_current.tsv",
        "g_assignee_disambiguated.tsv",
        "g_patent.tsv",
    ]
    .iter()
    .enumerate()
    {
        let p = t.dir.path().join(format!("part{i}.tsv"));
        std::fs::copy(repo(&format!("tests/fixtures/patentsview/{f}")), &p).unwrap();
        paths.push(p);
    }
    let r = import(&mut t.conn, Format::Patentsview, &paths).expect("g_* set");
    assert!(
        r.warnings.iter().any(|w| w.contains("1 withdrawn")),
        "{:?}",
        r.warnings
    );
    assert_eq!(count(&t.conn, "SELECT count(*) FROM patent"), 2);
    let (number, title, date): (String, String, String) = t
        .conn
        .query_row(
            "SELECT number, title, publication_date FROM patent WHERE number_key = 'US11321963'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(number, "US11321963B2");
    assert_eq!(
        title,
        "Face liveness detection based on neural network model"
    );
    assert_eq!(date, "2022-05-03");
    let cpcs = count(
        &t.conn,
        "SELECT count(*) FROM patent_cpc WHERE cpc IN ('G06V40/16', 'G06V30/194', 'G08B13/196')",
    );
    assert_eq!(cpcs, 3, "symbols normalized without spaces");
    assert_eq!(
        count(
            &t.conn,
            &format!("SELECT n_patents FROM assignee WHERE pv_id = '{HIK_PV}'")
        ),
        1
    );
    assert_eq!(
        count(
            &t.conn,
            "SELECT n_patents FROM assignee WHERE name = 'Axis AB'"
        ),
        1,
        "the withdrawn patent's assignment is skipped"
    );
}

#[test]
fn hikvision_assignee_links_to_its_list_entries() {
    let mut t = new_db();
    import(
        &mut t.conn,
        Format::Csl,
        &[repo("data/lists/csl_consolidated_2022-05.csv.gz")],
    )
    .unwrap();
    // The real rows that name Hikvision (linking all 47,011 is the matcher's benchmark, not
    // this test's job).
    let full = std::fs::read_to_string(repo("data/patents/patentsview_assignee.tsv")).unwrap();
    let slice: Vec<&str> = full
        .lines()
        .enumerate()
        .filter(|(i, l)| *i == 0 || l.to_lowercase().contains("hikvision"))
        .map(|(_, l)| l)
        .collect();
    assert!(slice.len() >= 3, "{slice:?}");
    let path = t.dir.path().join("assignee_hikvision.tsv");
    std::fs::write(&path, slice.join("\n") + "\n").unwrap();
    let r = import(&mut t.conn, Format::Patentsview, &[path]).unwrap();
    assert!(r.links.assignee_links > 0);
    let lists: Vec<String> = t
        .conn
        .prepare(
            "SELECT DISTINCT e.list_code FROM link_assignee l
             JOIN list_entry e ON e.id = l.entry_id JOIN assignee a ON a.id = l.assignee_id
             WHERE a.pv_id = ?1 ORDER BY 1",
        )
        .unwrap()
        .query_map([HIK_PV], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    // Uses the provisional matcher (src/matching) as it stands.
    assert_eq!(lists, vec!["CMIC", "EL"]);
}

#[test]
fn cet_mapping_loads_exports_and_reloads() {
    let mut t = new_db();
    let tx = t.conn.transaction().unwrap();
    let r = cet::load_tsv(&tx, "cet_cpc.tsv", cet::DEFAULT_TSV).expect("bundled CET table");
    tx.commit().unwrap();
    assert_eq!(r.areas, 8);
    assert_eq!(r.prefixes, 22);
    assert_eq!(
        count(
            &t.conn,
            "SELECT count(*) FROM cet_cpc WHERE area_code = 'BIOMETRICS' AND cpc_prefix = 'G06V40'"
        ),
        1
    );
    let exported = cet::export_tsv(&t.conn).unwrap();
    assert!(
        exported.contains("no official"),
        "the export says what it is"
    );
    // An edited copy replaces the table.
    let edited = exported.replace("H04N7/18\t", "H04N 7/18\t")
        + "AI\tArtificial intelligence\tG06K 9\tadded\n";
    let tx = t.conn.transaction().unwrap();
    let r = cet::load_tsv(&tx, "edited.tsv", &edited).unwrap();
    tx.commit().unwrap();
    assert_eq!(r.prefixes, 23);
    assert_eq!(
        count(
            &t.conn,
            "SELECT count(*) FROM cet_cpc WHERE cpc_prefix IN ('H04N7/18', 'G06K9')"
        ),
        2
    );
    let bad =
        "area_code\tarea_name\tcpc_prefix\tnote\nAI\tArtificial intelligence\tneural nets\t\n";
    let tx = t.conn.transaction().unwrap();
    let err = cet::load_tsv(&tx, "bad.tsv", bad)
        .expect_err("not a CPC prefix")
        .to_string();
    assert!(err.contains("bad.tsv:2: field `cpc_prefix`"), "{err}");
}
