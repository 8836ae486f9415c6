//! Today's published files read right (issue 15 items 2–4): lapsed entries, stable identity
//! across list versions, and as-of dates from the files' own metadata.

mod lapsed;

use std::path::Path;
use std::process::{Command, Output};

pub(super) fn cli(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tradescope"))
        .arg("--db")
        .arg(dir.join("t.db"))
        .args(args)
        .env("XDG_DATA_HOME", dir.join("xdg-data"))
        .env("XDG_CONFIG_HOME", dir.join("xdg-config"))
        .env("XDG_STATE_HOME", dir.join("xdg-state"))
        .env("NO_COLOR", "1")
        .output()
        .expect("run tradescope")
}

pub(super) fn ok(dir: &Path, args: &[&str]) -> String {
    let out = cli(dir, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub(super) fn json(dir: &Path, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&ok(dir, args)).expect("json")
}
