//! Progress reporting, decoupled from any terminal: the library reports, the CLI draws
//! (indicatif on stderr), tests pass `&NoProgress`.

/// Receives progress of a long job. Stages run one after another; positions are per stage.
pub trait Progress: Sync {
    /// A new stage begins, with its total in units (bytes or rows) if known.
    fn stage(&self, name: &str, total: Option<u64>);
    /// `n` more units of the current stage are done.
    fn inc(&self, n: u64);
    /// Rows read so far in the current stage (when its units are bytes): shown with a rate.
    fn rows(&self, _rows: u64) {}
    /// A new stage counted in items (names linked, not bytes), `total` of them.
    fn stage_items(&self, name: &str, total: u64) {
        self.stage(name, Some(total));
    }
}

/// Progress that goes nowhere.
pub struct NoProgress;

impl Progress for NoProgress {
    fn stage(&self, _name: &str, _total: Option<u64>) {}
    fn inc(&self, _n: u64) {}
}
