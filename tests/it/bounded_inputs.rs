//! Issue 21, item 5: inputs that are not regular files are refused or bounded in time and
//! memory, with a message naming the file; names too long to screen are refused naming line
//! and field. Every run has a timeout (it is killed and the test fails), so nothing here can
//! hang CI.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

struct Env {
    dir: tempfile::TempDir,
    db: PathBuf,
}

fn env() -> Env {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    drop(tradescope::db::open_rw(&db).unwrap());
    let e = Env { dir, db };
    // Screening needs a list: two entries.
    let list = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/hostile/csl/bom.csv");
    let (o, _) = e.run(&["import", "csl", list], LIMIT);
    assert!(o.status.success(), "{}", stderr(&o));
    e
}

impl Env {
    fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_tradescope"));
        c.arg("--db")
            .arg(&self.db)
            .args(args)
            .env("XDG_STATE_HOME", self.dir.path().join("state"))
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .env("TRADESCOPE_PIPE_IDLE_SECS", "2")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        c
    }

    /// Run with a deadline: a run that outlives it is killed and the test fails.
    fn run(&self, args: &[&str], limit: Duration) -> (Output, Duration) {
        run_bounded(self.command(args), limit)
    }

    fn fifo(&self, name: &str) -> PathBuf {
        let p = self.dir.path().join(name);
        let c = std::ffi::CString::new(p.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        p
    }

    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }
}

fn run_bounded(mut cmd: Command, limit: Duration) -> (Output, Duration) {
    let start = Instant::now();
    let mut child = cmd.spawn().expect("spawn tradescope");
    // Drain the pipes while waiting, so a chatty child cannot block on them.
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out_t = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = std::io::Read::read_to_end(&mut out, &mut v);
        v
    });
    let err_t = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = std::io::Read::read_to_end(&mut err, &mut v);
        v
    });
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let took = start.elapsed();
            return (
                Output {
                    status,
                    stdout: out_t.join().unwrap(),
                    stderr: err_t.join().unwrap(),
                },
                took,
            );
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{cmd:?} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Failed (exit 1 or 2, never a panic) and said `expect`, naming `file`.
fn refused(o: &Output, file: &Path, expect: &str) {
    let err = stderr(o);
    assert!(
        matches!(o.status.code(), Some(1 | 2)),
        "exit {:?}: {err}",
        o.status.code()
    );
    assert!(err.contains(&file.display().to_string()), "{err}");
    assert!(err.contains(expect), "{err}");
}

const LIMIT: Duration = Duration::from_secs(30);

#[test]
fn issue21_item5_import_dev_zero_and_urandom_are_refused_at_once() {
    let e = env();
    for dev in ["/dev/zero", "/dev/urandom"] {
        let (o, took) = e.run(&["import", "csl", dev], LIMIT);
        refused(&o, Path::new(dev), "not a regular file");
        assert!(took < Duration::from_secs(10), "{dev}: {took:?}");
    }
}

#[test]
fn issue21_item5_import_fifo_is_refused_without_opening_it() {
    let e = env();
    let fifo = e.fifo("list.csv");
    // Nobody writes to it: opening it would block forever.
    let (o, _) = e.run(&["import", "csl", fifo.to_str().unwrap()], LIMIT);
    refused(&o, &fifo, "is a pipe or FIFO");
}

#[test]
fn issue21_item5_import_directory_is_refused() {
    let e = env();
    let d = e.dir.path().join("adir");
    std::fs::create_dir(&d).unwrap();
    let (o, _) = e.run(&["import", "csl", d.to_str().unwrap()], LIMIT);
    refused(&o, &d, "is a directory");
}

#[test]
fn issue21_item5_screen_file_dev_zero_is_refused_and_memory_stays_flat() {
    let e = env();
    let (o, took) = e.run(&["screen", "--file", "/dev/zero"], LIMIT);
    refused(&o, Path::new("/dev/zero"), "is a device");
    assert!(took < Duration::from_secs(10), "{took:?}");
}

#[test]
fn issue21_item5_screen_file_fifo_without_writer_gives_up_after_the_idle_timeout() {
    let e = env();
    let fifo = e.fifo("names.csv");
    let (o, took) = e.run(&["screen", "--file", fifo.to_str().unwrap()], LIMIT);
    refused(&o, &fifo, "no data from this pipe for 2 s");
    assert!(took < Duration::from_secs(15), "{took:?}");
}

#[test]
fn issue21_item5_screen_file_stalled_writer_gives_up() {
    let e = env();
    let fifo = e.fifo("names.csv");
    let path = fifo.clone();
    // Writes a header and one name, then holds the pipe open without writing.
    let writer = std::thread::spawn(move || {
        let mut f = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
        f.write_all(b"name\nACME TRADING CO\n").unwrap();
        std::thread::sleep(Duration::from_secs(6));
    });
    let (o, took) = e.run(&["screen", "--file", fifo.to_str().unwrap()], LIMIT);
    refused(&o, &fifo, "after 21 bytes");
    assert!(took < Duration::from_secs(6), "{took:?}");
    writer.join().unwrap();
}

#[test]
fn issue21_item5_screen_file_fifo_with_real_data_still_works() {
    let e = env();
    let fifo = e.fifo("names.csv");
    let path = fifo.clone();
    let writer = std::thread::spawn(move || {
        let mut f = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
        f.write_all(b"name\nACME TRADING CO\nBETA LLC\n").unwrap();
    });
    let (o, _) = e.run(&["screen", "--file", fifo.to_str().unwrap()], LIMIT);
    writer.join().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("screened 2 names"), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("ACME TRADING CO") && out.contains("BETA LLC"),
        "{out}"
    );
}

#[test]
fn issue21_item5_screen_file_process_substitution_works() {
    let e = env();
    let mut cmd = Command::new("bash");
    cmd.arg("-c")
        .arg(format!(
            "exec {} --db {} screen --file <(printf 'name\\nACME TRADING CO\\n')",
            env!("CARGO_BIN_EXE_tradescope"),
            e.db.display()
        ))
        .env("XDG_STATE_HOME", e.dir.path().join("state"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let (o, _) = run_bounded(cmd, LIMIT);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("screened 1 names"), "{}", stderr(&o));
}

#[test]
fn issue21_item5_a_50_mb_name_is_refused_at_once_naming_line_and_field() {
    let e = env();
    // 50 MB: past the record reader's 16 MiB line bound; 10 MB: past its 64 KiB field bound;
    // 60 KB: within both, stopped by the screening name cap.
    for (bytes, expect) in [
        (50 << 20, "longer than 16 MiB"),
        (10 << 20, "over the limit of 65536"),
        (60_000, "longer than 1000 characters"),
    ] {
        let mut text = b"id,name\n1,ACME TRADING CO\n2,".to_vec();
        text.extend(std::iter::repeat_n(b'A', bytes));
        text.extend(b"\n");
        let f = e.file("huge.csv", &text);
        let (o, took) = e.run(&["screen", "--file", f.to_str().unwrap()], LIMIT);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(
            err.contains(&format!("{}:3: field `name`", f.display())),
            "{err}"
        );
        assert!(err.contains(expect), "{bytes} bytes: {err}");
        assert!(took < Duration::from_secs(20), "{bytes} bytes: {took:?}");
        // Nothing was screened, so nothing was answered.
        assert!(o.stdout.is_empty());
    }
}

#[test]
fn issue21_item5_name_length_cap_is_exact() {
    let e = env();
    let ok = format!("name\n{}\n", "B".repeat(1000));
    let f = e.file("ok.csv", ok.as_bytes());
    let (o, _) = e.run(&["screen", "--file", f.to_str().unwrap()], LIMIT);
    assert!(o.status.success(), "{}", stderr(&o));
    let long = format!("name\n{}\n", "B".repeat(1001));
    let f = e.file("long.csv", long.as_bytes());
    let (o, _) = e.run(&["screen", "--file", f.to_str().unwrap()], LIMIT);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains(":2: field `name`"), "{}", stderr(&o));
    // The single-name forms refuse it too.
    let name = "C".repeat(5000);
    for args in [vec!["screen", name.as_str()], vec!["search", name.as_str()]] {
        let (o, _) = e.run(&args, LIMIT);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("longer than 1000 characters"),
            "{}",
            stderr(&o)
        );
    }
}

#[test]
fn issue21_item5_reference_table_import_from_a_device_is_refused() {
    let e = env();
    let (o, took) = e.run(&["patterns", "import", "/dev/zero"], LIMIT);
    refused(&o, Path::new("/dev/zero"), "is a device");
    assert!(took < Duration::from_secs(10), "{took:?}");
}
