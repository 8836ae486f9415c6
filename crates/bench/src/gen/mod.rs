//! Synthetic trade data at scale for `tradescope-bench gen` and the benchmark: trade parties with the
//! spelling variants real manifests have, Zipf-like activity (a few importers receive a large
//! share of all freight), stable buyer–supplier relationships, transshipment through hub
//! countries, long descriptions with model numbers, realistic HS codes, ports and carriers, dates
//! over several years. Pure and deterministic for a seed: no I/O; the rows go to
//! `db::bulk::load`.

pub mod describe;
pub mod lists;
pub mod names;
pub mod patents;
mod run;
mod shipments;
pub mod vocab;

pub use run::{generate, GenReport, LinkScope, META_KEY};
pub use shipments::{spawn_shipments, Shipments};

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::OnceLock;

use chrono::Datelike;

use fastrand::Rng;

use crate::bulk::BulkParty;
use names::Company;
use tradescope_matching::normalize_key;

/// First day of generated shipments, and how many years they span.
pub const FIRST_YEAR: i32 = 2019;
pub const YEARS: i32 = 6;

/// Shipments per batch handed from the generator thread to the writer.
pub const BATCH: usize = 4096;

#[derive(Debug, Clone, Copy)]
pub struct GenConfig {
    pub shipments: u64,
    pub parties: u64,
    pub seed: u64,
}

/// Zipf-like ranks in `0..n`: rank r has probability ∝ ln((r+q+1)/(r+q)) ≈ 1/(r+q). The shift
/// `q` flattens the head so the busiest party holds a percent or two of all rows, as the
/// largest importers do, rather than a fifth of them.
#[derive(Debug, Clone, Copy)]
pub struct Zipf {
    n: u64,
    q: f64,
    ln_span: f64,
}

impl Zipf {
    pub fn new(n: u64, q: f64) -> Zipf {
        let n = n.max(1);
        Zipf {
            n,
            q,
            ln_span: ((n as f64 + q) / q).ln(),
        }
    }

    /// The rank for a uniform `u` in [0, 1).
    pub fn rank(&self, u: f64) -> u64 {
        let r = (self.q * (u * self.ln_span).exp() - self.q) as u64;
        r.min(self.n - 1)
    }

    pub fn sample(&self, rng: &mut Rng) -> u64 {
        self.rank(rng.f64())
    }
}

/// Pick from (item, weight) pairs.
struct Weighted<T: Copy> {
    items: Vec<T>,
    cumulative: Vec<u32>,
}

impl<T: Copy> Weighted<T> {
    fn new(pairs: impl IntoIterator<Item = (T, u32)>) -> Weighted<T> {
        let mut items = Vec::new();
        let mut cumulative = Vec::new();
        let mut total = 0;
        for (t, w) in pairs {
            total += w;
            items.push(t);
            cumulative.push(total);
        }
        Weighted { items, cumulative }
    }

    fn pick(&self, rng: &mut Rng) -> T {
        let total = self.cumulative.last().copied().unwrap_or(1);
        let x = rng.u32(..total.max(1));
        let i = self.cumulative.partition_point(|&c| c <= x);
        self.items[i.min(self.items.len() - 1)]
    }
}

/// ISO dates of every day generated shipments can fall on.
fn dates() -> &'static [String] {
    static DATES: OnceLock<Vec<String>> = OnceLock::new();
    DATES.get_or_init(|| {
        let mut out = Vec::new();
        let mut d = chrono::NaiveDate::from_ymd_opt(FIRST_YEAR, 1, 1);
        while let Some(day) = d {
            if day.year() >= FIRST_YEAR + YEARS {
                break;
            }
            out.push(day.format("%Y-%m-%d").to_string());
            d = day.succ_opt();
        }
        out
    })
}

/// Which generated parties play which role (indices into the party vector).
#[derive(Debug, Default)]
pub struct Roles {
    pub shippers: Vec<u32>,
    pub consignees: Vec<u32>,
    pub forwarders: Vec<u32>,
    /// Country of each party, for choosing its ports.
    pub country: Vec<Option<Cow<'static, str>>>,
}

/// Generate `cfg.parties` parties: exporters (most), importers, forwarders, and a share of
/// variants of real list entries' names (`list_names`: company names with country) so that the
/// matcher has true links to find. `taken` holds the (norm, country) keys already in the
/// database; no generated party collides with them or with each other.
pub fn parties(
    cfg: &GenConfig,
    list_names: &[(String, Option<String>)],
    taken: &HashSet<(String, String)>,
) -> (Vec<BulkParty>, Roles) {
    let mut rng = Rng::with_seed(cfg.seed);
    let n = cfg.parties as usize;
    let mut out: Vec<BulkParty> = Vec::with_capacity(n);
    let mut roles = Roles::default();
    let mut seen: HashSet<(String, String)> = HashSet::with_capacity(n);
    let shipper_countries = Weighted::new(vocab::SHIPPER_COUNTRIES.iter().copied());
    let consignee_countries = Weighted::new(vocab::CONSIGNEE_COUNTRIES.iter().copied());

    let mut push = |out: &mut Vec<BulkParty>,
                    roles: &mut Roles,
                    rng: &mut Rng,
                    name: String,
                    country: Option<Cow<'static, str>>,
                    role: u8|
     -> bool {
        let norm = normalize_key(&name);
        let key = (norm, country.as_deref().unwrap_or("").to_string());
        if key.0.is_empty() || taken.contains(&key) || !seen.insert(key.clone()) {
            return false;
        }
        let idx = out.len() as u32;
        let city: Option<Cow<'static, str>> = country.as_deref().map(|c| {
            let cs = vocab::cities(c);
            Cow::Borrowed(cs[rng.usize(..cs.len())])
        });
        let address = match (&country, &city) {
            (Some(c), Some(ci)) => Some(names::address(rng, c, ci)),
            _ => None,
        };
        out.push(BulkParty {
            name,
            norm: key.0,
            address,
            city,
            country: country.clone(),
        });
        roles.country.push(country);
        match role {
            0 => roles.shippers.push(idx),
            1 => roles.consignees.push(idx),
            _ => roles.forwarders.push(idx),
        }
        true
    };

    // Variants of real list names: 0.5% of parties, each a listed company's spelling in a manifest.
    let companies: Vec<&(String, Option<String>)> =
        list_names.iter().filter(|(n, _)| n.len() >= 6).collect();
    let n_listed = (n / 200).min(companies.len());
    let mut tries = 0;
    while out.len() < n_listed && tries < n_listed * 4 {
        tries += 1;
        let (name, country) = companies[rng.usize(..companies.len())];
        let v = names::variant_of_text(&mut rng, name);
        let country = country.clone().map(Cow::Owned);
        push(&mut out, &mut roles, &mut rng, v, country, 0);
    }

    // Companies with 1–4 spellings each, until the count is reached.
    let mut stuck = 0;
    while out.len() < n && stuck < 1000 {
        let role = match rng.u8(..100) {
            0..=54 => 0,
            55..=92 => 1,
            _ => 2,
        };
        let country: &'static str = match role {
            0 => shipper_countries.pick(&mut rng),
            _ => consignee_countries.pick(&mut rng),
        };
        let base: Company = if role == 2 {
            names::forwarder(&mut rng)
        } else {
            names::company(&mut rng, country)
        };
        let spellings = match rng.u8(..10) {
            0..=6 => 1,
            7..=8 => 2,
            _ => 3 + usize::from(rng.bool()),
        };
        let mut added = false;
        for k in 0..spellings {
            if out.len() >= n {
                break;
            }
            let c = if k == 0 {
                base.clone()
            } else {
                names::variant(&mut rng, &base, country)
            };
            added |= push(
                &mut out,
                &mut roles,
                &mut rng,
                c.name(),
                Some(Cow::Borrowed(country)),
                role,
            );
        }
        stuck = if added { 0 } else { stuck + 1 };
    }
    // Activity rank is position in these vectors: shuffle so the busiest are not the first made.
    rng.shuffle(&mut roles.shippers);
    rng.shuffle(&mut roles.consignees);
    rng.shuffle(&mut roles.forwarders);
    if roles.consignees.is_empty() {
        roles.consignees = roles.shippers.clone();
    }
    if roles.shippers.is_empty() {
        roles.shippers = roles.consignees.clone();
    }
    (out, roles)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bulk::BulkShipment;
    use std::collections::HashMap;

    fn small() -> (Vec<BulkParty>, Roles) {
        let cfg = GenConfig {
            shipments: 20_000,
            parties: 2_000,
            seed: 42,
        };
        let list = vec![(
            "HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO., LTD.".to_string(),
            Some("CN".into()),
        )];
        parties(&cfg, &list, &HashSet::new())
    }

    #[test]
    fn parties_are_unique_on_norm_and_country_and_include_list_variants() {
        let (ps, roles) = small();
        assert_eq!(ps.len(), 2_000);
        let keys: HashSet<(&str, Option<&str>)> = ps
            .iter()
            .map(|p| (p.norm.as_str(), p.country.as_deref()))
            .collect();
        assert_eq!(keys.len(), ps.len());
        assert!(ps
            .iter()
            .any(|p| p.norm.contains("HIKVISION") || p.norm.contains("HIK")));
        assert!(!roles.shippers.is_empty() && !roles.consignees.is_empty());
        // Several spellings of one company: the same stem under different legal forms.
        let cn_ltd = ps.iter().filter(|p| p.name.ends_with("CO., LTD.")).count();
        let cn_limited = ps
            .iter()
            .filter(|p| p.name.ends_with("COMPANY LIMITED"))
            .count();
        assert!(cn_ltd > 0 && cn_limited > 0);
    }

    #[test]
    fn activity_is_skewed_and_generation_is_deterministic() {
        let cfg = GenConfig {
            shipments: 20_000,
            parties: 2_000,
            seed: 42,
        };
        let (_, roles) = small();
        let all: Vec<BulkShipment> = Shipments::new(&cfg, roles).flatten().collect();
        assert_eq!(all.len(), 20_000);
        let mut per: HashMap<u32, usize> = HashMap::new();
        for s in &all {
            *per.entry(s.consignee).or_default() += 1;
        }
        let mut counts: Vec<usize> = per.values().copied().collect();
        counts.sort_unstable_by(|a, b| b.cmp(a));
        // The busiest importer gets far more than an even share (20_000 / ~760 ≈ 26).
        assert!(counts[0] > 200, "{:?}", &counts[..5]);
        let (_, roles2) = small();
        let again: Vec<BulkShipment> = Shipments::new(&cfg, roles2).flatten().collect();
        assert_eq!(all[1234].description, again[1234].description);
        // Transshipment: some Chinese exporters' goods leave from hub countries.
        assert!(all.iter().any(|s| s.origin_country == "VN"));
        assert!(all.iter().all(|s| s.ship_date.as_ref() >= "2019-01-01"));
        // Made in date order, spread over the years.
        assert!(all.windows(2).all(|w| w[0].ship_date <= w[1].ship_date));
        assert!(all[0].ship_date.as_ref() < "2019-03-01");
        assert!(all[all.len() - 1].ship_date.as_ref() > "2023-06-01");
    }
}
