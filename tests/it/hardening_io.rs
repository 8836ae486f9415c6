//! Issue 21, items 1, 3, 7 and 9, end to end on the real binary: batch screening reads CSV as
//! strictly as the importers (a malformed file screens nothing), hostile list names are inert
//! in every output (terminal, CSV, Markdown, clipboard), exports never follow a planted link nor
//! overwrite, every command fails with a message — never a panic — when stdout fails, and the
//! messages name what happened.
//!
//! The database: a DPL list of hostile names (escape sequences, 8-bit CSI, formula cells,
//! Markdown/HTML) imported with the real importer, and two shipments.

use crate::workbench;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use serde_json::Value;
use tradescope::text::spreadsheet::is_dangerous;

/// Names on the hostile list (DPL layout, tab-separated: a name may hold any byte but tab,
/// NUL and line breaks, which the importer refuses or joins).
const HOSTILE: &[&str] = &[
    // Ends a bracketed paste, then a command (the attack on `y`).
    "ACME PASTE\x1b[201~echo PWNED > /tmp/tradescope-pwned CO",
    "ACME TITLE\x1b]0;pwned\x07 CO",
    "ACME EIGHTBIT \u{9b}2J CO",
    "=HYPERLINK(\"http://evil.example\",\"ACME FORMULA\")",
    "+cmd|' /C calc'!A0 ACME",
    "-1+1 ACME MINUS",
    "@SUM(1) ACME AT",
    "[ACME LINK](javascript:alert(1))",
    "<img src=x onerror=alert(1)> ACME IMG",
    "<script>alert(1)</script> ACME SCRIPT",
];

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tradescope"))
}

/// The hostile database, built once; tests work on copies.
fn pristine() -> &'static PathBuf {
    static DB: OnceLock<PathBuf> = OnceLock::new();
    DB.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("hardening-io");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("hostile.db");
        let mut dpl = String::from(
            "\"Name\"\t\"Street_Address\"\t\"City\"\t\"Country\"\t\"Effective_Date\"\n",
        );
        for n in HOSTILE {
            dpl.push_str(&format!("{n}\t1 MAIN ST\tSHENZHEN\tCN\t01/02/2020\n"));
        }
        let list = dir.join("hostile_dpl.txt");
        std::fs::write(&list, dpl).unwrap();
        let ships = dir.join("ships.csv");
        std::fs::write(
            &ships,
            "record_id,date,shipper,shipper_country,consignee,consignee_country,description\n\
             S-1,2021-03-16,ACME EXPORT CO,CN,BETA IMPORTS LLC,US,NETWORK CAMERAS\n\
             S-2,2021-03-17,ACME EXPORT CO,CN,BETA IMPORTS LLC,US,VIDEO RECORDERS\n",
        )
        .unwrap();
        for (format, file) in [("dpl", &list), ("shipments", &ships)] {
            let out = run_at(&path, &["import", format, file.to_str().unwrap()]);
            assert!(out.status.success(), "{}", stderr(&out));
        }
        path
    })
}

/// A private copy of the hostile database, with its own state directories.
struct Db {
    dir: tempfile::TempDir,
    path: PathBuf,
}

fn copy() -> Db {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    std::fs::copy(pristine(), &path).unwrap();
    Db { dir, path }
}

fn run_at(db: &Path, args: &[&str]) -> Output {
    command_at(db, args).output().expect("run tradescope")
}

fn command_at(db: &Path, args: &[&str]) -> Command {
    let mut c = bin();
    let state = db.parent().unwrap_or(Path::new("."));
    c.arg("--db")
        .arg(db)
        .args(args)
        .env("XDG_CONFIG_HOME", state.join("config"))
        .env("XDG_STATE_HOME", state.join("state"))
        .env("XDG_DATA_HOME", state.join("data"))
        .env_remove("TRADESCOPE_DB")
        .stdin(Stdio::null());
    c
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

impl Db {
    fn run(&self, args: &[&str]) -> Output {
        run_at(&self.path, args)
    }

    fn command(&self, args: &[&str]) -> Command {
        command_at(&self.path, args)
    }

    fn ok(&self, args: &[&str]) -> Vec<u8> {
        let out = self.run(args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        out.stdout
    }

    fn json(&self, args: &[&str]) -> Value {
        serde_json::from_slice(&self.ok(args)).expect("JSON on stdout")
    }

    fn file(&self, name: &str, text: &[u8]) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    /// Batch screenings on the audit log.
    fn batch_screens(&self) -> usize {
        self.audit_actions()
            .iter()
            .filter(|a| *a == "batch_screen")
            .count()
    }

    fn audit_actions(&self) -> Vec<String> {
        self.json(&["audit", "export", "--format", "json"])
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r["action"].as_str().map(str::to_string))
            .collect()
    }

    /// The id of the list entry named exactly `name`.
    fn entity(&self, name: &str) -> i64 {
        let hits = self.json(&["search", "--json", "--limit", "50", "--", name]);
        hits.as_array()
            .unwrap()
            .iter()
            .find(|h| h["name"] == name)
            .and_then(|h| h["id"].as_i64())
            .unwrap_or_else(|| panic!("{name:?} is listed: {hits}"))
    }
}

/// No ESC, no C0 control but tab and line breaks, no C1 control, no bidi override.
fn assert_terminal_safe(bytes: &[u8], what: &str) {
    let text = String::from_utf8_lossy(bytes);
    for c in text.chars() {
        let bad = (c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
            || ('\u{80}'..='\u{9f}').contains(&c)
            || ('\u{202a}'..='\u{202e}').contains(&c);
        assert!(!bad, "{what}: {c:?} reached the output:\n{text}");
    }
}

/// Every cell of a CSV is safe to open in a spreadsheet.
fn assert_spreadsheet_safe(csv_bytes: &[u8], what: &str) -> Vec<csv::StringRecord> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(csv_bytes);
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.expect("CSV")).collect();
    for r in &rows {
        for cell in r {
            assert!(
                !is_dangerous(cell),
                "{what}: formula cell {cell:?} in {r:?}"
            );
        }
    }
    rows
}

// ---------------------------------------------------------------- item 1: strict batch CSV

/// `screen --file` with `bytes`: the output, after checking it screened nothing (exit 1, no
/// report, no audit record) and that stderr has each of `expect`.
fn refused(db: &Db, name: &str, bytes: &[u8], expect: &[&str]) -> String {
    let f = db.file(name, bytes);
    let before = db.batch_screens();
    let out = db.run(&["screen", "--file", f.to_str().unwrap()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{name}: {err}");
    assert!(out.stdout.is_empty(), "{name}: a report was written");
    assert!(!err.contains("screened"), "{name}: {err}");
    for e in expect {
        assert!(err.contains(e), "{name}: {e:?} not in: {err}");
    }
    assert_eq!(db.batch_screens(), before, "{name}: nothing recorded");
    err
}

#[test]
fn item1_unclosed_quote_in_batch_file_screens_nothing() {
    let db = copy();
    // The issue's file: before, one merged name, "no match", "screened 1 names", exit 0.
    let err = refused(
        &db,
        "vendors.csv",
        b"name\n\"ACME TRADING CO\nHUAWEI TECHNOLOGIES CO LTD\nZHEJIANG DAHUA TECHNOLOGY CO LTD\n\"BETA\" LLC\n",
        &["vendors.csv:2: field `name`", "quote"],
    );
    assert!(err.contains("closes on line 5"), "{err}");
    refused(
        &db,
        "open_to_end.csv",
        b"name\nACME\n\"NEVER CLOSED\nZTE\n",
        &["open_to_end.csv:3: field `name`", "never closed"],
    );
}

#[test]
fn item1_nul_ragged_rows_utf16_and_binary_batch_files_screen_nothing() {
    let db = copy();
    refused(
        &db,
        "nul.csv",
        b"name,city\nACME,X\nHUA\0WEI,Y\n",
        &["nul.csv:3: field `name`", "NUL"],
    );
    refused(
        &db,
        "extra.csv",
        b"name,city\nACME,X,EXTRA\n",
        &[
            "extra.csv:2: field `(column 3)`",
            "3 fields where the header has 2",
        ],
    );
    refused(
        &db,
        "short.csv",
        b"name,city\nACME,X\nZTE\n",
        &[
            "short.csv:3: field `city`",
            "1 fields where the header has 2",
        ],
    );
    let utf16 = |big: bool, bom: bool| -> Vec<u8> {
        let mut out = Vec::new();
        if bom {
            out.extend(if big { [0xfe, 0xff] } else { [0xff, 0xfe] });
        }
        for u in "name\nHUAWEI\nZTE\n".encode_utf16() {
            out.extend(if big {
                u.to_be_bytes()
            } else {
                u.to_le_bytes()
            });
        }
        out
    };
    refused(
        &db,
        "u16le_bom.csv",
        &utf16(false, true),
        &["u16le_bom.csv: the file is UTF-16"],
    );
    // Item 9: without a byte-order mark, named from the NUL pattern (before: "NUL bytes").
    refused(
        &db,
        "u16le.csv",
        &utf16(false, false),
        &["u16le.csv: the file is UTF-16 text (little-endian, without a byte-order mark"],
    );
    refused(
        &db,
        "u16be.csv",
        &utf16(true, false),
        &["the file is UTF-16 text (big-endian"],
    );
    refused(
        &db,
        "zeros.csv",
        &[0u8; 4096],
        &["zeros.csv: the file is not text"],
    );
}

#[test]
fn item1_gzip_batch_files_are_read_and_damaged_ones_screen_nothing() {
    use flate2::write::GzEncoder;
    let db = copy();
    let mut text = String::from("name,city\n");
    for i in 0..20_000 {
        text.push_str(&format!(
            "ACME SUPPLIER {i} {},CITY {}\n",
            i * 7919 % 10007,
            i % 97
        ));
    }
    let mut gz = GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(text.as_bytes()).unwrap();
    let gz = gz.finish().unwrap();
    // A .csv.gz is read through gzip, as the importers read one.
    let small = {
        let mut g = GzEncoder::new(Vec::new(), flate2::Compression::default());
        g.write_all(b"name\nACME MINUS\n").unwrap();
        g.finish().unwrap()
    };
    let f = db.file("ok.csv.gz", &small);
    let out = db.ok(&["screen", "--file", f.to_str().unwrap()]);
    assert_eq!(assert_spreadsheet_safe(&out, "gz report").len(), 2);
    // Item 9: bytes overwritten mid-stream decode to garbage that breaks some row; only the
    // checksum at the end says why. Before: "ragged row".
    let mut damaged = gz.clone();
    let mid = damaged.len() / 2;
    damaged[mid..mid + 16].copy_from_slice(b"XXXXXXXXXXXXXXXX");
    refused(
        &db,
        "damaged.csv.gz",
        &damaged,
        &[
            "damaged.csv.gz: the gzip data is corrupt",
            "download it again",
        ],
    );
    refused(
        &db,
        "truncated.csv.gz",
        &gz[..gz.len() * 2 / 3],
        &["truncated.csv.gz: the gzip stream ends early", "truncated"],
    );
}

#[test]
fn item1_empty_names_missing_files_and_header_only_files_are_errors() {
    let db = copy();
    refused(
        &db,
        "empty_name.csv",
        b"name,city\nACME,X\n  ,Y\n",
        &["empty_name.csv:3: field `name`: empty name"],
    );
    refused(
        &db,
        "header_only.csv",
        b"name,city\n",
        &["header_only.csv: no rows"],
    );
    refused(&db, "empty.csv", b"", &["empty.csv: the file is empty"]);
    let out = db.run(&["screen", "--file", "/nonexistent/vendors.csv"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("/nonexistent/vendors.csv: cannot read it"));
    let out = db.run(&["screen", "--file", db.dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("is a directory"), "{}", stderr(&out));
}

#[test]
fn item9_a_pipe_is_read_as_a_stream_not_reported_empty() {
    let db = copy();
    let mut child = db
        .command(&["screen", "--file", "/dev/stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all(b"name\nACME MINUS\nNOBODY AT ALL\n")
        .unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let rows = assert_spreadsheet_safe(&out.stdout, "piped report");
    assert_eq!(rows.len(), 3, "header + 2 rows");
    assert!(
        stderr(&out).contains("screened 2 names"),
        "{}",
        stderr(&out)
    );
    // The audit record names the stream and the SHA-256 of what was read.
    let log = db.json(&["audit", "export", "--format", "json"]);
    let rec = log
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .find(|r| r["action"] == "batch_screen")
        .expect("recorded");
    let want = {
        use sha2::Digest;
        let d = sha2::Sha256::digest(b"name\nACME MINUS\nNOBODY AT ALL\n");
        d.iter().map(|b| format!("{b:02x}")).collect::<String>()
    };
    assert!(rec["query"].as_str().unwrap().contains(&want), "{rec}");
}

// ---------------------------------------------------------------- item 3: injection

#[test]
fn item3_every_csv_writer_is_spreadsheet_safe_with_hostile_list_names() {
    let db = copy();
    // Batch screening: input names (echoed) and matched list names.
    let mut input = String::from("name,note\n");
    for n in HOSTILE {
        input.push_str(&format!("\"{}\",\"\r=CR\"\n", n.replace('"', "\"\"")));
    }
    input.push_str("\"\r=CR CORP\",\"@SUM(1)\"\n");
    let f = db.file("hostile.csv", input.as_bytes());
    let report = db.ok(&["screen", "--file", f.to_str().unwrap()]);
    let rows = assert_spreadsheet_safe(&report, "screen --file");
    assert_eq!(rows.len(), HOSTILE.len() + 2);
    // The values are all there, behind the quote.
    let formula = rows
        .iter()
        .find(|r| r[0].contains("HYPERLINK"))
        .expect("the formula row");
    assert!(formula[0].starts_with("'=HYPERLINK"), "{formula:?}");
    assert!(
        formula
            .iter()
            .any(|c| c.starts_with("'=HYPERLINK") && c.contains("ACME FORMULA")),
        "the matched list name: {formula:?}"
    );
    // Screenings of hostile names go on the audit log, which is exported as CSV.
    db.ok(&[
        "screen",
        "=HYPERLINK(\"http://evil.example\",\"ACME FORMULA\")",
    ]);
    db.ok(&["screen", "\r=CR ACME"]);
    let audit = db.ok(&["audit", "export"]);
    let rows = assert_spreadsheet_safe(&audit, "audit export");
    assert!(
        rows.iter().any(|r| r.iter().any(|c| c == "'\r=CR ACME")),
        "{rows:?}"
    );
    // Case export as CSV.
    for n in HOSTILE {
        let id = db.entity(n).to_string();
        db.ok(&["case", "add", "hostile", "entity", &id, "--note=-2+3"]);
    }
    let csv = db.ok(&["case", "export", "hostile", "--format", "csv"]);
    let rows = assert_spreadsheet_safe(&csv, "case export csv");
    assert_eq!(rows.len(), HOSTILE.len() + 1);
    // match --pairs.
    let pairs = db.file("pairs.csv", b"name1,name2\n=1+1,@SUM(1)\n\"\r=CR\",-1\n");
    let out = db.ok(&["match", "--pairs", pairs.to_str().unwrap()]);
    assert_spreadsheet_safe(&out, "match --pairs");
    // JSON stays faithful: the exact published bytes.
    let j = db.json(&["case", "export", "hostile", "--format", "json"]);
    let labels: Vec<&str> = j["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["label"].as_str())
        .collect();
    assert!(labels.iter().any(|l| l.contains(HOSTILE[0])), "{labels:?}");
}

#[test]
fn item3_text_output_is_sanitized_in_a_pipe_and_json_stays_faithful() {
    let db = copy();
    let out = db.ok(&["search", "ACME", "--limit", "50"]);
    assert_terminal_safe(&out, "search");
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("ACME EIGHTBIT"), "{text}");
    assert!(!text.contains('\r'));
    // One line per hit: no name can forge a line of its own.
    let id = db.entity(HOSTILE[0]);
    let show = db.ok(&["show", "entity", &id.to_string()]);
    assert_terminal_safe(&show, "show");
    let screen = db.ok(&["screen", "ACME TITLE CO"]);
    assert_terminal_safe(&screen, "screen");
    // JSON: the same value, with C1 and bidi controls escaped (`\u009b`), never raw.
    let raw = db.ok(&["search", "ACME EIGHTBIT", "--json"]);
    assert!(
        !raw.windows(2).any(|w| w == [0xc2, 0x9b]),
        "raw CSI in JSON"
    );
    let hits: Value = serde_json::from_slice(&raw).unwrap();
    assert_eq!(hits[0]["name"], HOSTILE[2]);
}

#[test]
fn item3_messages_quoting_arguments_or_files_are_sanitized() {
    let db = copy();
    // A usage error quotes the argument; an input error quotes the file name.
    let out = db.run(&["show", "entity", "\x1b]0;pwned\x07\u{9b}2J"]);
    assert_eq!(out.status.code(), Some(1));
    assert_terminal_safe(&out.stderr, "usage error");
    let name = "evil\x1b]0;pwned\x07.csv";
    let f = db.file(name, b"name\n\"OPEN\n");
    let out = db.run(&["screen", "--file", f.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert_terminal_safe(&out.stderr, "input error");
    assert!(stderr(&out).contains("never closed"), "{}", stderr(&out));
}

/// Run the binary with stdout on a pseudo-terminal; all it wrote there.
fn on_a_terminal(mut cmd: Command) -> (i32, Vec<u8>) {
    use std::os::fd::{FromRawFd, OwnedFd};
    // SAFETY: plain libc calls on descriptors this function owns; checked for errors.
    let (master, slave) = unsafe {
        let m = libc::posix_openpt(libc::O_RDWR | libc::O_NOCTTY);
        assert!(m >= 0, "posix_openpt");
        assert_eq!(libc::grantpt(m), 0);
        assert_eq!(libc::unlockpt(m), 0);
        let name = std::ffi::CStr::from_ptr(libc::ptsname(m)).to_owned();
        let s = libc::open(name.as_ptr(), libc::O_RDWR | libc::O_NOCTTY);
        assert!(s >= 0, "open the pty slave");
        (OwnedFd::from_raw_fd(m), OwnedFd::from_raw_fd(s))
    };
    cmd.stdout(Stdio::from(slave)).stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn");
    // The parent's copy of the slave went into the Command, which is dropped with `cmd` only
    // at the end: drop it now so the master sees EOF (EIO) when the child exits.
    drop(cmd);
    let mut master = std::fs::File::from(master);
    let mut out = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        match master.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => out.extend_from_slice(&buf[..n]),
        }
    }
    let status = child.wait().unwrap();
    (status.code().unwrap_or(-1), out)
}

#[test]
fn item3_data_written_to_a_terminal_is_sanitized() {
    let db = copy();
    let mut input = String::from("name\n");
    for n in HOSTILE {
        input.push_str(&format!("\"{}\"\n", n.replace('"', "\"\"")));
    }
    let f = db.file("hostile.csv", input.as_bytes());
    // Input names echoed by the report (before: `ESC]0;pwned BEL` retitled the pane).
    let (code, out) = on_a_terminal(db.command(&["screen", "--file", f.to_str().unwrap()]));
    assert_eq!(code, 0);
    assert_terminal_safe(&out, "screen --file on a terminal");
    assert!(String::from_utf8_lossy(&out).contains("ACME TITLE"));
    for n in HOSTILE {
        let id = db.entity(n).to_string();
        db.ok(&["case", "add", "hostile", "entity", &id]);
    }
    for args in [
        &["case", "export", "hostile", "--format", "md"][..],
        &["case", "export", "hostile", "--format", "csv"],
        &["audit", "export"],
        &["search", "ACME", "--json", "--limit", "50"],
    ] {
        let (code, out) = on_a_terminal(db.command(args));
        assert_eq!(code, 0, "{args:?}");
        assert_terminal_safe(&out, &format!("{args:?} on a terminal"));
    }
}

#[test]
fn item3_markdown_exports_are_inert() {
    let db = copy();
    for n in HOSTILE {
        let id = db.entity(n).to_string();
        db.ok(&[
            "case",
            "add",
            "hostile",
            "entity",
            &id,
            "--note",
            "<b>note</b> [x](javascript:1)",
        ]);
    }
    let md = String::from_utf8(db.ok(&["case", "export", "hostile", "--format", "md"])).unwrap();
    assert_terminal_safe(md.as_bytes(), "case export md");
    for bad in ["<img", "<script", "<b>", "](javascript", "[ACME LINK]"] {
        assert!(!md.contains(bad), "{bad:?} in the Markdown:\n{md}");
    }
    assert!(
        md.contains("&lt;img src=x onerror=alert\\(1\\)&gt; ACME IMG"),
        "{md}"
    );
    assert!(
        md.contains("\\[ACME LINK\\]\\(javascript:alert\\(1\\)\\)"),
        "{md}"
    );
    // Each record is one table row: no line break or pipe from a name splits it.
    let rows = md
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| #"))
        .count();
    assert_eq!(rows, HOSTILE.len(), "{md}");
}

#[test]
fn item3_exports_are_created_exclusively_and_never_follow_links() {
    let db = copy();
    let id = db.entity(HOSTILE[3]).to_string();
    db.ok(&["case", "add", "c1", "entity", &id]);
    let victim = db.file("victim.txt", b"precious");
    let link = db.dir.path().join("export.md");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    let out = db.run(&["case", "export", "c1", "-o", link.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("already exists"), "{}", stderr(&out));
    assert_eq!(std::fs::read(&victim).unwrap(), b"precious");
    // A dangling link: not created through either.
    let dangling = db.dir.path().join("dangling.md");
    let target = db.dir.path().join("created-through-link.txt");
    std::os::unix::fs::symlink(&target, &dangling).unwrap();
    let out = db.run(&["case", "export", "c1", "-o", dangling.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!target.exists());
    // An existing file is not overwritten.
    let existing = db.file("existing.md", b"old");
    let out = db.run(&["case", "export", "c1", "-o", existing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read(&existing).unwrap(), b"old");
    // A new name works, and the export is recorded.
    let fresh = db.dir.path().join("fresh.md");
    db.ok(&["case", "export", "c1", "-o", fresh.to_str().unwrap()]);
    assert!(std::fs::read_to_string(&fresh)
        .unwrap()
        .contains("# Case: c1"));

    // The workbench's `x`: a link planted at the predictable name is left alone, and two
    // exports in the same second get two files. It runs in this process, whose audit state
    // directory is not the CLI runs' (their XDG_STATE_HOME): a database of its own, whose
    // keyed audit log starts here.
    let db = copy();
    db.ok(&["case", "add", "c1", "entity", &id]);
    let dir = tempfile::tempdir().unwrap();
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ").to_string();
    let planted = dir.path().join(format!("case-c1-{stamp}.md"));
    std::os::unix::fs::symlink(&victim, &planted).unwrap();
    let mut written = Vec::new();
    for _ in 0..3 {
        let msg = tradescope::app::write::run(
            &tradescope::db::SqliteStore::lazy(&db.path),
            tradescope::app::write::Write::Export {
                case: "c1".into(),
                dir: dir.path().to_path_buf(),
            },
        )
        .expect("export");
        written.push(msg);
    }
    assert_eq!(std::fs::read(&victim).unwrap(), b"precious");
    let mut files: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files.len(),
        3,
        "three exports, three files: {files:?} ({written:?})"
    );
}

#[test]
fn item3_copy_carries_the_sanitized_text_only() {
    use tradescope::app::{update, Action, Model, Worker};
    let db = copy();
    let mut m = Model::new("hostile.db", 100, 30, true);
    let mut w = Worker::new(&db.path);
    let cmds = update(&mut m, Action::Start);
    workbench::settle(&mut m, &mut w, cmds);
    workbench::type_text(&mut m, &mut w, "ACME PASTE");
    workbench::press(&mut m, &mut w, Action::Escape);
    workbench::press(&mut m, &mut w, Action::Copy);
    let text = m.clipboard.clone().expect("copied");
    assert!(text.starts_with("ACME PASTE"), "{text:?}");
    assert!(
        !text.chars().any(|c| c.is_control()),
        "a control reached the clipboard: {text:?}"
    );
    assert!(!text.contains("\x1b[201~"));
    // What goes to the terminal: one OSC 52 sequence, its ESC and BEL only.
    let seq = tradescope::osc52::encode(&text, false);
    assert_eq!(seq.matches('\x1b').count(), 1);
}

// ---------------------------------------------------------------- item 7: stdout fails

#[test]
fn item7_every_command_exits_2_with_a_message_when_stdout_is_full() {
    let db = copy();
    let id = db.entity(HOSTILE[3]).to_string();
    db.ok(&["case", "add", "c1", "entity", &id]);
    let batch = db.file("b.csv", b"name\nACME MINUS\n");
    let cmds: Vec<Vec<&str>> = vec![
        vec!["search", "ACME"],
        vec!["search", "ACME", "--json"],
        vec!["stats"],
        vec!["stats", "--json"],
        vec!["show", "entity", &id],
        vec!["screen", "ACME MINUS"],
        vec!["screen", "--file", batch.to_str().unwrap()],
        vec!["match", "--pairs", batch.to_str().unwrap()],
        vec!["shipments"],
        vec!["shipments", "--json"],
        vec!["case", "list"],
        vec!["case", "show", "c1"],
        vec!["case", "export", "c1"],
        vec!["case", "export", "c1", "--format", "csv"],
        vec!["audit", "show"],
        vec!["audit", "verify"],
        vec!["audit", "export"],
        vec!["audit", "export", "--format", "json"],
        vec!["patterns", "export"],
        vec!["--help"],
    ];
    for args in cmds {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full");
        let out = db
            .command(&args)
            .stdout(Stdio::from(full))
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        let err = stderr(&out);
        // `match` fails on its input (no name1 column) before writing: still not a panic.
        if args[0] == "match" {
            assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
            continue;
        }
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(
            err.contains("No space left on device") && err.contains("disk is full"),
            "{args:?}: {err}"
        );
        assert_eq!(err.matches("error:").count(), 1, "one message: {err}");
    }
}

#[test]
fn item7_a_closed_pipe_ends_quietly() {
    let db = copy();
    let mut child = db
        .command(&["audit", "export"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = stderr(&out);
    assert!(!err.contains("panicked") && !err.contains("error"), "{err}");
    use std::os::unix::process::ExitStatusExt;
    // Ended by SIGPIPE (the Unix filter convention), or 141 if it noticed first; never 101.
    assert!(
        out.status.signal() == Some(libc::SIGPIPE)
            || out.status.code() == Some(141)
            || out.status.success(),
        "{:?}: {err}",
        out.status
    );
}

// ---------------------------------------------------------------- item 9: messages

#[test]
fn item9_cr_only_line_endings_are_named() {
    let db = copy();
    // Before: "this column name appears twice" (every row read as part of the header).
    refused(
        &db,
        "mac.csv",
        b"name,city\rACME,X\rACME,X\r",
        &["mac.csv: line endings are CR only (old Mac)"],
    );
    // The importers say the same.
    let f = db.file(
        "mac_dpl.txt",
        b"\"Name\"\t\"City\"\r\"ACME\"\t\"X\"\r\"ACME\"\t\"X\"\r",
    );
    let out = db.run(&["import", "dpl", f.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("line endings are CR only"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn item9_a_damaged_gzip_import_is_named_as_such_not_as_a_ragged_row() {
    use flate2::write::GzEncoder;
    let db = copy();
    let mut text = String::from("\"Name\"\t\"City\"\t\"Country\"\n");
    for i in 0..30_000 {
        text.push_str(&format!(
            "\"PERSON {i} {}\"\t\"CITY {}\"\t\"US\"\n",
            i * 7919 % 10007,
            i % 91
        ));
    }
    let mut gz = GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(text.as_bytes()).unwrap();
    let mut gz = gz.finish().unwrap();
    let mid = gz.len() / 2;
    gz[mid..mid + 16].copy_from_slice(b"XXXXXXXXXXXXXXXX");
    let f = db.file("dpl.txt.gz", &gz);
    let out = db.run(&["import", "dpl", f.to_str().unwrap(), "--allow-shrink"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("dpl.txt.gz: the gzip data is corrupt"),
        "{err}"
    );
    assert!(err.contains("the database is unchanged"), "{err}");
}

#[test]
fn item9_long_names_in_the_import_report_are_cut_with_an_ellipsis() {
    let db = copy();
    let long = "A".repeat(10_000);
    let mut dpl = String::from("\"Name\"\t\"Country\"\n");
    for n in HOSTILE.iter().skip(1) {
        dpl.push_str(&format!("{n}\tCN\n"));
    }
    dpl.push_str(&format!("{long}\tCN\n"));
    let f = db.file("dpl2.txt", dpl.as_bytes());
    let out = db.ok(&["import", "dpl", f.to_str().unwrap(), "--allow-shrink"]);
    let text = String::from_utf8(out).unwrap();
    let added = text
        .lines()
        .find(|l| l.starts_with("  + AAAA"))
        .unwrap_or_else(|| panic!("the long name is reported: {text}"));
    assert!(
        added.chars().count() < 200,
        "{} characters",
        added.chars().count()
    );
    assert!(added.ends_with('\u{2026}'), "{added}");
    assert_terminal_safe(text.as_bytes(), "import report");
}

#[test]
fn item9_database_is_locked_is_said_once_with_what_to_do() {
    let db = copy();
    // Hold the write lock from another connection while an import runs.
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    conn.execute_batch("BEGIN IMMEDIATE").unwrap();
    let f = db.file("one.txt", b"\"Name\"\t\"Country\"\nSOMEONE\tUS\n");
    let out = db
        .command(&["import", "dpl", f.to_str().unwrap(), "--allow-shrink"])
        .output()
        .unwrap();
    conn.execute_batch("ROLLBACK").unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_eq!(err.matches("locked").count(), 1, "{err}");
    assert!(err.contains("wait for it to finish"), "{err}");
}
