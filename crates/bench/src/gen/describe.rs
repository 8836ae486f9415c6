//! Cargo descriptions as manifests carry them: quantity, goods, model numbers, HS code, PO and
//! boilerplate, over one or more lines. Model numbers come from a fixed catalog per goods family
//! so the same model recurs across shipments (a model-number search finds a realistic handful).

use std::fmt::Write;

use fastrand::Rng;

use super::vocab::{Goods, BOILERPLATE, GOODS};
use super::Zipf;

/// A real camera model from the worked Hikvision case; placed in the catalog so the substring
/// benchmark's query "2CD7A46" hits a known, moderately common model.
pub const KNOWN_MODEL: &str = "DS-2CD7A46G0-IZS";

const MODELS_PER_FAMILY: usize = 1500;

pub struct Catalog {
    models: Vec<Vec<String>>,
    zipf: Zipf,
}

impl Catalog {
    pub fn new(rng: &mut Rng) -> Catalog {
        let models = GOODS
            .iter()
            .enumerate()
            .map(|(fi, g)| {
                let mut v: Vec<String> = (0..MODELS_PER_FAMILY)
                    .map(|_| {
                        let prefix = g.model_prefixes[rng.usize(..g.model_prefixes.len())];
                        model_number(rng, prefix)
                    })
                    .collect();
                if fi == 0 {
                    v[40] = KNOWN_MODEL.to_string();
                }
                v
            })
            .collect();
        Catalog {
            models,
            zipf: Zipf::new(MODELS_PER_FAMILY as u64, 5.0),
        }
    }

    fn model(&self, rng: &mut Rng, family: usize) -> &str {
        &self.models[family][self.zipf.sample(rng) as usize]
    }
}

fn model_number(rng: &mut Rng, prefix: &str) -> String {
    const ALNUM: &[u8] = b"0123456789ABCDEFGHJKLMNPRSTUVWXYZ";
    let mut s = String::with_capacity(prefix.len() + 10);
    s.push_str(prefix);
    s.push(char::from(b'0' + rng.u8(1..10)));
    s.push(char::from(ALNUM[rng.usize(..ALNUM.len())]));
    s.push(char::from(b'0' + rng.u8(..10)));
    s.push(char::from(b'0' + rng.u8(..10)));
    if rng.bool() {
        s.push(char::from(ALNUM[rng.usize(10..ALNUM.len())]));
        s.push(char::from(b'0' + rng.u8(..10)));
    }
    if rng.u8(..3) == 0 {
        s.push('-');
        for _ in 0..rng.usize(2..4) {
            s.push(char::from(ALNUM[rng.usize(10..ALNUM.len())]));
        }
    }
    s
}

/// Write a description of `qty` units of goods family `family` (HS codes `hs`) into `out`.
pub fn describe(
    rng: &mut Rng,
    catalog: &Catalog,
    family: usize,
    hs: &[&str],
    qty: u32,
    out: &mut String,
) {
    let g: &Goods = &GOODS[family];
    let item = g.items[rng.usize(..g.items.len())];
    // Writing to a String cannot fail.
    let _ = write!(out, "{qty} {} OF {item}", g.unit);
    let n_models = 1 + usize::from(rng.u8(..4) == 0) + usize::from(rng.u8(..8) == 0);
    out.push_str(" MODEL ");
    for k in 0..n_models {
        if k > 0 {
            out.push_str(", ");
        }
        out.push_str(catalog.model(rng, family));
    }
    if rng.u8(..3) != 0 {
        out.push_str("\nHS CODE ");
        for (k, code) in hs.iter().enumerate() {
            if k > 0 {
                out.push_str(", ");
            }
            let _ = write!(out, "{}.{}", &code[..4], &code[4..]);
        }
    }
    if rng.bool() {
        let _ = write!(out, "\nPO NO. {}", rng.u64(4_500_000_000..4_600_000_000));
    }
    if rng.u8(..3) == 0 {
        let _ = write!(
            out,
            " INVOICE NO. {:X}{}",
            rng.u16(..),
            rng.u32(10_000..99_999)
        );
    }
    for _ in 0..rng.usize(0..3) {
        out.push('\n');
        out.push_str(BOILERPLATE[rng.usize(..BOILERPLATE.len())]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_carry_model_numbers_and_the_known_model_recurs() {
        let mut rng = Rng::with_seed(3);
        let catalog = Catalog::new(&mut rng);
        let mut known = 0;
        let mut out = String::new();
        for _ in 0..20_000 {
            out.clear();
            describe(&mut rng, &catalog, 0, &["852589"], 100, &mut out);
            assert!(out.contains(" MODEL "), "{out}");
            if out.contains(KNOWN_MODEL) {
                known += 1;
            }
        }
        // Present, but selective: a substring search for it returns a handful, not everything.
        assert!(known > 5 && known < 1000, "{known}");
    }
}
