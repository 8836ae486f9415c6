//! Synthetic trade data at scale for `tradescope gen` and the benchmark: trade parties with the
//! spelling variants real manifests have, Zipf-like activity (a few importers receive a large
//! share of all freight), stable buyer–supplier relationships, transshipment through hub
//! countries, long descriptions with model numbers, realistic HS codes, ports and carriers, dates
//! over several years. Pure and deterministic for a seed: no I/O; the rows go to
//! `db::bulk::load`.

pub mod describe;
pub mod names;
mod run;
pub mod vocab;

pub use run::{generate, GenReport, LinkScope, META_KEY};

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::OnceLock;

use chrono::Datelike;

use fastrand::Rng;

use crate::db::bulk::{BulkParty, BulkShipment};
use crate::matching::normalize_key;
use describe::Catalog;
use names::Company;
use vocab::GOODS;

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

/// Makes shipments batch by batch (an iterator, so it can run on its own thread).
pub struct Shipments {
    rng: Rng,
    seed: u64,
    left: u64,
    total: u64,
    made: u64,
    /// The previous shipment's position in time, in [0, 1): shipments are made in date order.
    time: f64,
    roles: Roles,
    catalog: Catalog,
    shipper_zipf: Zipf,
    consignee_zipf: Zipf,
    forwarder_zipf: Zipf,
    home_ports: HashMap<&'static str, Weighted<usize>>,
    hub_ports: Weighted<usize>,
    unlading: Weighted<&'static str>,
    carriers: Weighted<&'static str>,
    goods: Weighted<usize>,
    day_count: usize,
}

impl Shipments {
    pub fn new(cfg: &GenConfig, roles: Roles) -> Shipments {
        let mut rng = Rng::with_seed(cfg.seed ^ 0x5eed_5eed);
        let catalog = Catalog::new(&mut rng);
        let mut home_ports: HashMap<&'static str, Vec<(usize, u32)>> = HashMap::new();
        for (i, (_, c, w)) in vocab::LADING_PORTS.iter().enumerate() {
            home_ports.entry(c).or_default().push((i, *w));
        }
        let hub_ports = Weighted::new(
            vocab::LADING_PORTS
                .iter()
                .enumerate()
                .filter(|(_, (_, c, _))| vocab::HUB_COUNTRIES.contains(c))
                .map(|(i, (_, _, w))| (i, *w)),
        );
        Shipments {
            seed: cfg.seed,
            left: cfg.shipments,
            total: cfg.shipments,
            made: 0,
            time: 0.0,
            shipper_zipf: Zipf::new(roles.shippers.len() as u64, 5.0),
            consignee_zipf: Zipf::new(roles.consignees.len() as u64, 5.0),
            forwarder_zipf: Zipf::new(roles.forwarders.len().max(1) as u64, 5.0),
            roles,
            catalog,
            home_ports: home_ports
                .into_iter()
                .map(|(c, v)| (c, Weighted::new(v)))
                .collect(),
            hub_ports,
            unlading: Weighted::new(vocab::UNLADING_PORTS.iter().copied()),
            carriers: Weighted::new(vocab::CARRIERS.iter().copied()),
            goods: Weighted::new(GOODS.iter().enumerate().map(|(i, g)| (i, g.weight))),
            day_count: dates().len(),
            rng,
        }
    }

    /// A uniform number in [0, 1) fixed by (consignee, k): the consignee's k-th regular supplier.
    fn stable_u(&self, consignee: u32, k: u64) -> f64 {
        let mut z = self.seed ^ (u64::from(consignee) << 8 | k).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }

    fn one(&mut self) -> BulkShipment {
        let rng = &mut self.rng;
        let consignee = self.roles.consignees[self.consignee_zipf.sample(rng) as usize];
        // Most freight comes from a buyer's few regular suppliers; some from anyone.
        let shipper_rank = if rng.u8(..100) < 85 {
            let k = rng.u64(..6);
            self.shipper_zipf.rank(self.stable_u(consignee, k))
        } else {
            self.shipper_zipf.sample(rng)
        };
        let rng = &mut self.rng;
        let shipper = self.roles.shippers[shipper_rank as usize];
        let notify = match rng.u8(..10) {
            0..=3 => None,
            4..=6 => Some(consignee),
            _ => self
                .roles
                .forwarders
                .get(self.forwarder_zipf.sample(rng) as usize)
                .copied(),
        };
        let home = self.roles.country[shipper as usize].as_deref();
        let port = match home.and_then(|c| self.home_ports.get(c)) {
            Some(ports) if rng.u8(..100) < 85 => ports.pick(rng),
            _ => self.hub_ports.pick(rng),
        };
        let (port_name, port_country, _) = vocab::LADING_PORTS[port];
        // Dates ascend with the row, as a feed appends day after day: the next of `left`
        // sorted uniform draws (1 - U_next = (1 - U) * V^(1/left)), so ids follow dates like
        // real loads and the trigram index's date keys (db::fts) stay dense. Freight grows over
        // the years: later days are likelier (the power).
        let left = self.total.saturating_sub(self.made).max(1) as f64;
        self.time = 1.0 - (1.0 - self.time) * rng.f64().powf(1.0 / left);
        let day = (self.time.powf(0.8) * self.day_count as f64) as usize;
        let ship_date = &dates()[day.min(self.day_count - 1)];
        let family = self.goods.pick(rng);
        let g = &GOODS[family];
        let n_hs = match rng.u8(..20) {
            0..=14 => 1,
            15..=18 => 2,
            _ => 3,
        };
        let mut hs_codes: Vec<Cow<'static, str>> = Vec::with_capacity(n_hs);
        for _ in 0..n_hs {
            let c = g.hs[rng.usize(..g.hs.len())];
            if !hs_codes.iter().any(|h| h == c) {
                hs_codes.push(Cow::Borrowed(c));
            }
        }
        let qty = match g.unit {
            "PCS" => rng.u32(50..20_000),
            _ => rng.u32(1..1_200),
        };
        let codes: Vec<&str> = hs_codes.iter().map(|c| c.as_ref()).collect();
        let mut description = String::with_capacity(256);
        describe::describe(rng, &self.catalog, family, &codes, qty, &mut description);
        let carrier = self.carriers.pick(rng);
        let n_cont = 1 + usize::from(rng.u8(..4) == 0);
        let mut containers = String::with_capacity(24);
        for k in 0..n_cont {
            if k > 0 {
                containers.push_str("; ");
            }
            containers.push_str(&carrier[..3]);
            containers.push('U');
            containers.push_str(&rng.u32(1_000_000..9_999_999).to_string());
        }
        let house = rng.u8(..10) < 4;
        let consignee_country = self.roles.country[consignee as usize].as_deref();
        self.made += 1;
        BulkShipment {
            identifier: format!("{}{:09}", &ship_date[..4], self.made),
            master_bol: format!("{carrier}{}", rng.u64(1_000_000_000..9_999_999_999)),
            house_bol: house.then(|| format!("HBL{}", rng.u64(100_000_000..999_999_999))),
            bill_type: if house { "House Bill" } else { "Master Bill" },
            ship_date: Cow::Borrowed(ship_date.as_str()),
            shipper,
            consignee,
            notify,
            origin_country: Cow::Borrowed(port_country),
            dest_country: Cow::Borrowed(match consignee_country {
                Some("PR") => "PR",
                _ => "US",
            }),
            port_of_lading: Cow::Borrowed(port_name),
            port_of_unlading: Cow::Borrowed(self.unlading.pick(rng)),
            carrier_code: Cow::Borrowed(carrier),
            vessel_name: Cow::Borrowed(vocab::VESSELS[rng.usize(..vocab::VESSELS.len())]),
            weight_kg: f64::from(qty) * (0.2 + rng.f64() * 4.0),
            quantity: i64::from(qty),
            quantity_unit: Cow::Borrowed(g.unit),
            containers,
            hs_codes,
            description,
        }
    }
}

impl Iterator for Shipments {
    type Item = Vec<BulkShipment>;

    fn next(&mut self) -> Option<Vec<BulkShipment>> {
        if self.left == 0 || self.roles.shippers.is_empty() {
            return None;
        }
        let n = (self.left as usize).min(BATCH);
        self.left -= n as u64;
        Some((0..n).map(|_| self.one()).collect())
    }
}

/// Run the shipment generator on its own thread; batches arrive on the returned channel (a few
/// batches of look-ahead keep both cores busy without buffering the whole data set).
pub fn spawn_shipments(cfg: GenConfig, roles: Roles) -> Receiver<Vec<BulkShipment>> {
    let (tx, rx) = sync_channel(8);
    std::thread::spawn(move || {
        for batch in Shipments::new(&cfg, roles) {
            if tx.send(batch).is_err() {
                break; // the writer stopped (error): nothing more to do
            }
        }
    });
    rx
}

#[cfg(test)]
mod tests {
    use super::*;

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
