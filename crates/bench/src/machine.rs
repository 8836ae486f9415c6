//! Facts about the machine and the run, printed above the results.

use std::path::Path;
use std::process::Command;

/// Lines for the "Machine" section.
pub fn facts(db: &Path) -> Vec<(String, String)> {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mut out = vec![
        ("cores".into(), cores.to_string()),
        (
            "RAM".into(),
            mem_total().unwrap_or_else(|| "unknown".into()),
        ),
        (
            "CPU".into(),
            cpu_model().unwrap_or_else(|| "unknown".into()),
        ),
        ("date (UTC)".into(), tradescope_store::now_utc()),
        (
            "git commit".into(),
            git_commit().unwrap_or_else(|| "unknown".into()),
        ),
        ("SQLite".into(), rusqlite::version().to_string()),
        ("load average at start".into(), load_average()),
    ];
    out.push(("database".into(), db.display().to_string()));
    out.push(("database size".into(), db_size(db)));
    out
}

pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

fn mem_total() -> Option<String> {
    let s = std::fs::read_to_string("/proc/meminfo").ok()?;
    let kb: f64 = s
        .lines()
        .find(|l| l.starts_with("MemTotal:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some(format!("{:.1} GiB", kb / 1024.0 / 1024.0))
}

fn cpu_model() -> Option<String> {
    let s = std::fs::read_to_string("/proc/cpuinfo").ok()?;
    let line = s.lines().find(|l| l.starts_with("model name"))?;
    Some(line.split(':').nth(1)?.trim().to_string())
}

fn git_commit() -> Option<String> {
    let out = Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Size of the database file and its WAL, in MiB.
pub fn db_size(db: &Path) -> String {
    let mut total = 0u64;
    for suffix in ["", "-wal"] {
        let mut p = db.as_os_str().to_os_string();
        p.push(suffix);
        total += std::fs::metadata(&p).map_or(0, |m| m.len());
    }
    format!("{:.0} MiB", total as f64 / 1024.0 / 1024.0)
}

/// Evict the database file (and its WAL) from the OS page cache, and nothing else:
/// `posix_fadvise(POSIX_FADV_DONTNEED)` on each file, after flushing it. A cold read of this
/// database without dropping the whole machine's cache (which other jobs on a shared machine
/// depend on) and without root. True if it worked.
pub fn evict(db: &Path) -> bool {
    use std::os::fd::AsRawFd;
    let mut ok = false;
    for suffix in ["", "-wal"] {
        let mut p = db.as_os_str().to_os_string();
        p.push(suffix);
        let Ok(file) = std::fs::File::open(&p) else {
            continue;
        };
        // Dirty pages are not dropped: write them first.
        let _ = file.sync_data();
        // SAFETY: a valid open descriptor; offset 0 and length 0 mean the whole file.
        let rc = unsafe { libc::posix_fadvise(file.as_raw_fd(), 0, 0, libc::POSIX_FADV_DONTNEED) };
        ok |= suffix.is_empty() && rc == 0;
    }
    ok
}

/// Peak and current resident set size of this process, in MiB.
pub fn rss_mib() -> Option<(f64, f64)> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb = |key: &str| -> Option<f64> {
        s.lines()
            .find(|l| l.starts_with(key))?
            .split_whitespace()
            .nth(1)?
            .parse()
            .ok()
    };
    Some((kb("VmHWM:")? / 1024.0, kb("VmRSS:")? / 1024.0))
}

/// Latency of random 4 KiB reads from `path` with the file evicted from the page cache (ms, as
/// a Stat), so cold figures can be judged against what the disk itself delivers.
pub fn random_read_ms(path: &Path, n: usize) -> Option<super::timing::Stat> {
    use std::os::unix::fs::FileExt;
    let file = std::fs::File::open(path).ok()?;
    let pages = file.metadata().ok()?.len() / 4096;
    if pages == 0 || !evict(path) {
        return None;
    }
    let mut rng = fastrand::Rng::with_seed(9);
    let mut buf = vec![0u8; 4096];
    let mut xs = Vec::with_capacity(n);
    for _ in 0..n {
        let off = rng.u64(..pages) * 4096;
        let t = std::time::Instant::now();
        file.read_at(&mut buf, off).ok()?;
        xs.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    Some(super::timing::Stat::of(xs))
}
