//! A throwaway PostgreSQL server for tests and CI: `initdb` in a temporary directory, started
//! on a free loopback port with its socket in that directory, stopped (and deleted) on drop.
//! PostgreSQL refuses to run as root, so as root the server runs as an unprivileged account
//! (`TRADESCOPE_PG_USER`, default `nobody`). The server binaries are found through
//! `PG_BINDIR`, then the newest `/usr/lib/postgresql/*/bin`, then `PATH`.

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::error::{Error, Result};

/// A running throwaway server.
pub struct TempCluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
    run_as: Option<(u32, u32)>,
    port: u16,
}

/// The superuser of a throwaway cluster (trust authentication on loopback only).
const SUPERUSER: &str = "tradescope";

impl TempCluster {
    /// Create and start a cluster.
    pub fn start() -> Result<TempCluster> {
        let bin = bindir()?;
        let dir = tempfile::Builder::new()
            .prefix("tradescope-pg-")
            .tempdir()?;
        let run_as = if unsafe { libc::geteuid() } == 0 {
            let name = std::env::var("TRADESCOPE_PG_USER").unwrap_or_else(|_| "nobody".into());
            let ids = account(&name).ok_or_else(|| {
                Error::Server(format!(
                    "PostgreSQL refuses to run as root and there is no account {name:?} to run \
                     it as (set TRADESCOPE_PG_USER to an unprivileged account)"
                ))
            })?;
            std::os::unix::fs::chown(dir.path(), Some(ids.0), Some(ids.1))?;
            Some(ids)
        } else {
            None
        };
        let mut cluster = TempCluster {
            dir,
            bin,
            run_as,
            port: 0,
        };
        let data = cluster.data_dir();
        cluster.run(
            "initdb",
            &[
                "-D",
                &data.to_string_lossy(),
                "-U",
                SUPERUSER,
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ],
        )?;
        // A free port can be taken by someone else between asking and binding: try a few.
        let mut last = String::new();
        for _ in 0..5 {
            cluster.port = free_port()?;
            let opts = format!(
                "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c \
                 synchronous_commit=off -c full_page_writes=off",
                cluster.port,
                cluster.dir.path().display()
            );
            let log = cluster.dir.path().join("server.log");
            match cluster.run(
                "pg_ctl",
                &[
                    "-D",
                    &data.to_string_lossy(),
                    "-l",
                    &log.to_string_lossy(),
                    "-o",
                    &opts,
                    "-w",
                    "-t",
                    "60",
                    "start",
                ],
            ) {
                Ok(_) => return Ok(cluster),
                Err(e) => {
                    last = format!(
                        "{e}; server log: {}",
                        std::fs::read_to_string(&log).unwrap_or_default()
                    )
                }
            }
        }
        Err(Error::Server(format!("the server did not start: {last}")))
    }

    /// The URL of database `db` on this server.
    pub fn url(&self, db: &str) -> String {
        format!("postgresql://{SUPERUSER}@127.0.0.1:{}/{db}", self.port)
    }

    /// Create a new empty database; its URL.
    pub fn create_database(&self, name: &str) -> Result<String> {
        create_database(&self.url("postgres"), name)
    }

    fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn run(&self, tool: &str, args: &[&str]) -> Result<Output> {
        let mut cmd = Command::new(self.bin.join(tool));
        cmd.args(args)
            .current_dir(self.dir.path())
            .env("LC_ALL", "C")
            .env_remove("PGDATA");
        if let Some((uid, gid)) = self.run_as {
            cmd.uid(uid).gid(gid).env("HOME", self.dir.path());
        }
        let out = cmd
            .output()
            .map_err(|e| Error::Server(format!("{}: {e}", self.bin.join(tool).display())))?;
        if !out.status.success() {
            return Err(Error::Server(format!(
                "{tool} failed ({}): {}{}",
                out.status,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )));
        }
        Ok(out)
    }
}

impl Drop for TempCluster {
    fn drop(&mut self) {
        let data = self.data_dir();
        let _ = self.run(
            "pg_ctl",
            &[
                "-D",
                &data.to_string_lossy(),
                "-m",
                "immediate",
                "-w",
                "stop",
            ],
        );
    }
}

/// Create database `name` through the server `admin_url` points at; the new database's URL.
pub fn create_database(admin_url: &str, name: &str) -> Result<String> {
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(Error::Database(format!(
            "{name:?} is not a plain database name"
        )));
    }
    let mut client = crate::connect(admin_url)?;
    client.batch_execute(&format!(
        "CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'"
    ))?;
    let base = admin_url
        .rsplit_once('/')
        .map(|(b, _)| b)
        .unwrap_or(admin_url);
    Ok(format!("{base}/{name}"))
}

fn bindir() -> Result<PathBuf> {
    if let Ok(d) = std::env::var("PG_BINDIR") {
        return Ok(PathBuf::from(d));
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v = e.file_name().to_string_lossy().parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((v, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return Ok(bin);
    }
    let on_path = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .find(|d| Path::new(d).join("initdb").exists());
    on_path.ok_or_else(|| {
        Error::Server(
            "no PostgreSQL server binaries (initdb) found: install the `postgresql` package or \
             set PG_BINDIR"
                .into(),
        )
    })
}

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// The uid and gid of account `name`.
fn account(name: &str) -> Option<(u32, u32)> {
    let c = std::ffi::CString::new(name).ok()?;
    // SAFETY: getpwnam returns a pointer to static storage or null; read at once.
    let pw = unsafe { libc::getpwnam(c.as_ptr()) };
    if pw.is_null() {
        return None;
    }
    // SAFETY: non-null, points at a valid passwd record.
    let (uid, gid) = unsafe { ((*pw).pw_uid, (*pw).pw_gid) };
    Some((uid, gid))
}
