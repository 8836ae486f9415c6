//! Repeated timings and their summary (median, p99).

use std::time::Instant;

use serde::Serialize;

use tradescope_store::error::Result;

/// A summary of repeated measurements of one quantity.
#[derive(Debug, Clone, Copy, Serialize, Default)]
pub struct Stat {
    pub n: usize,
    pub median: f64,
    pub p99: f64,
}

impl Stat {
    pub fn of(mut xs: Vec<f64>) -> Stat {
        if xs.is_empty() {
            return Stat::default();
        }
        xs.sort_by(f64::total_cmp);
        let at = |q: f64| xs[((xs.len() - 1) as f64 * q).round() as usize];
        Stat {
            n: xs.len(),
            median: at(0.5),
            p99: at(0.99),
        }
    }

    /// A single value (sizes, rates measured once).
    pub fn one(x: f64) -> Stat {
        Stat {
            n: 1,
            median: x,
            p99: x,
        }
    }
}

/// Milliseconds taken by each of `n` calls of `f` (which gets the repetition number).
pub fn time_ms(n: usize, mut f: impl FnMut(usize) -> Result<()>) -> Result<Stat> {
    let mut xs = Vec::with_capacity(n);
    for i in 0..n {
        let t = Instant::now();
        f(i)?;
        xs.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    Ok(Stat::of(xs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_p99_of_a_known_series() {
        let s = Stat::of((1..=100).map(f64::from).collect());
        assert_eq!(s.n, 100);
        assert_eq!(s.median, 51.0); // index round(99 * 0.5) = 50 → 51
        assert_eq!(s.p99, 99.0);
    }
}
