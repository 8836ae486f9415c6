//! Progress bars on stderr (indicatif). Hidden automatically when stderr is not a terminal.

use std::sync::Mutex;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

use tradescope_core::progress::Progress;

pub struct Bar {
    bar: ProgressBar,
    label: Mutex<String>,
    /// When the current stage began (for its rows per second).
    started: Mutex<std::time::Instant>,
}

impl Bar {
    pub fn new(label: &str) -> Self {
        let bar = ProgressBar::new(0);
        bar.enable_steady_tick(Duration::from_millis(120));
        Bar {
            bar,
            label: Mutex::new(label.to_string()),
            started: Mutex::new(std::time::Instant::now()),
        }
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl Progress for Bar {
    fn stage(&self, name: &str, total: Option<u64>) {
        let label = self.label.lock().map(|l| l.clone()).unwrap_or_default();
        let prefix = if label.is_empty() {
            name.to_string()
        } else {
            format!("{label}: {name}")
        };
        self.bar.reset();
        self.bar.set_message("");
        if let Ok(mut s) = self.started.lock() {
            *s = std::time::Instant::now();
        }
        match total {
            Some(t) => {
                self.bar.set_length(t);
                self.bar.set_style(
                    ProgressStyle::with_template(
                        "{prefix:.bold} [{bar:30}] {percent:>3}% {binary_bytes}/{binary_total_bytes} {msg} eta {eta}",
                    )
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
                );
            }
            None => {
                self.bar.set_length(0);
                self.bar.set_style(
                    ProgressStyle::with_template("{prefix:.bold} {spinner} {elapsed}")
                        .unwrap_or_else(|_| ProgressStyle::default_spinner()),
                );
            }
        }
        self.bar.set_prefix(prefix);
    }

    fn inc(&self, n: u64) {
        self.bar.inc(n);
    }

    fn stage_items(&self, name: &str, total: u64) {
        self.stage(name, Some(total));
        self.bar.set_style(
            ProgressStyle::with_template(
                "{prefix:.bold} [{bar:30}] {human_pos}/{human_len} names eta {eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
    }

    fn rows(&self, rows: u64) {
        let secs = self
            .started
            .lock()
            .map(|s| s.elapsed().as_secs_f64())
            .unwrap_or(0.0);
        let rate = rows as f64 / secs.max(1e-3);
        self.bar.set_message(format!(
            "{} rows, {} rows/s",
            super::output::thousands(rows as i64),
            super::output::thousands(rate as i64)
        ));
    }
}

impl Bar {
    /// Change the label shown before each stage (e.g. the file being imported).
    pub fn set_label(&self, label: &str) {
        if let Ok(mut l) = self.label.lock() {
            *l = label.to_string();
        }
    }

    /// Count in rows rather than bytes.
    pub fn rows_style(&self) {
        self.bar.set_style(
            ProgressStyle::with_template("{prefix:.bold} [{bar:30}] {pos}/{len} rows eta {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
    }
}
