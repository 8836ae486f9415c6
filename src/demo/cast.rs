//! The demo's parties: listed makers under their spellings, distributors in transshipment
//! countries (the five consignees of the published analysis among them), US importers,
//! unrelated shippers, freight forwarders and "TO ORDER" consignees.

use std::collections::BTreeSet;

use fastrand::Rng;

use tradescope_store::error::{Error, Result};
use tradescope_store::import::trade::{NewParty, TradeWriter};

use super::catalog::{HIKVISION, MAKERS};
use super::names::{self, Company, SEED_CONSIGNEES, TO_ORDER};

/// A party as the generator uses it.
pub struct P {
    /// None for a "TO ORDER" consignee: a placeholder, no party (a party of that name would
    /// link unrelated bills).
    pub id: Option<i64>,
    pub name: String,
    /// ISO alpha-2; empty for "TO ORDER" consignees, which have no country.
    pub country: &'static str,
    pub city: &'static str,
    /// Ports it ships from, when not just any port of its country (the makers').
    pub ports: &'static [&'static str],
}

pub struct Distributor {
    pub party: P,
    /// One of the consignees named in the published analysis (they buy from Hikvision).
    pub seed: bool,
    /// Sells on to the US.
    pub forwards: bool,
    /// Its US customers: indices into `Cast::us_security`.
    pub customers: Vec<usize>,
}

pub struct Cast {
    /// Per entry of `MAKERS`, one party per spelling.
    pub makers: Vec<Vec<P>>,
    pub distributors: Vec<Distributor>,
    /// US importers of security and telecom equipment.
    pub us_security: Vec<P>,
    /// US importers of everything else.
    pub us_other: Vec<P>,
    pub shippers: Vec<P>,
    pub fwd_overseas: Vec<P>,
    pub fwd_us: Vec<P>,
    pub to_order: Vec<P>,
}

/// Distributors invented per transshipment country.
const DISTRIBUTORS: &[(&str, usize)] = &[("VN", 8), ("IN", 7), ("EC", 5), ("MX", 8)];
/// Unrelated shippers per country.
const SHIPPERS: &[(&str, usize)] = &[
    ("CN", 60),
    ("VN", 14),
    ("IN", 9),
    ("EC", 6),
    ("MX", 8),
    ("TW", 8),
    ("KR", 4),
    ("TH", 3),
    ("MY", 3),
    ("DE", 3),
];

struct Registry<'w, 'c> {
    w: &'w mut TradeWriter<'c>,
    line: &'w mut u64,
}

impl Registry<'_, '_> {
    fn party(
        &mut self,
        name: &str,
        city: &'static str,
        address: &str,
        country: &'static str,
    ) -> Result<P> {
        *self.line += 1;
        let id = self
            .w
            .party(&NewParty {
                name: name.to_string(),
                address: (!address.is_empty()).then(|| address.to_string()),
                city: (!city.is_empty()).then(|| city.to_string()),
                country: (!country.is_empty()).then(|| country.to_string()),
                line: *self.line,
            })?
            .ok_or_else(|| Error::User(format!("demo party `{name}` has no usable name")))?;
        Ok(P {
            id: Some(id),
            name: name.to_string(),
            country,
            city,
            ports: &[],
        })
    }

    fn company(&mut self, c: Company, country: &'static str) -> Result<P> {
        self.party(&c.name, c.city, &c.address, country)
    }
}

impl Cast {
    pub fn build(rng: &mut Rng, w: &mut TradeWriter, line: &mut u64) -> Result<Cast> {
        let mut m = Registry { w, line };
        let mut used = BTreeSet::new();
        let mut makers = Vec::new();
        for maker in MAKERS {
            let mut spellings = Vec::new();
            for s in maker.spellings {
                used.insert(s.to_string());
                let mut p = m.party(s, maker.city, maker.address, "CN")?;
                p.ports = maker.ports;
                spellings.push(p);
            }
            makers.push(spellings);
        }
        let mut us_security = Vec::new();
        for _ in 0..30 {
            us_security.push(m.company(names::us_importer(rng, &mut used, true), "US")?);
        }
        let mut us_other = Vec::new();
        for _ in 0..50 {
            us_other.push(m.company(names::us_importer(rng, &mut used, false), "US")?);
        }
        let mut distributors = Vec::new();
        for (name, country) in SEED_CONSIGNEES {
            used.insert(name.to_string());
            let party = m.party(name, "", "", country)?;
            // A contract manufacturer builds the modules into its own products.
            let forwards = !name.starts_with("JABIL");
            distributors.push(Distributor {
                party,
                seed: true,
                forwards,
                customers: Vec::new(),
            });
        }
        for (country, n) in DISTRIBUTORS {
            for _ in 0..*n {
                let c = names::distributor(rng, &mut used, country);
                let party = m.company(c, country)?;
                let forwards = rng.u8(..10) < 7;
                distributors.push(Distributor {
                    party,
                    seed: false,
                    forwards,
                    customers: Vec::new(),
                });
            }
        }
        for (i, d) in distributors.iter_mut().enumerate() {
            // PHUONG VIET's first customer is the importer of the guaranteed trail.
            d.customers = if i == 3 { vec![0] } else { Vec::new() };
            for _ in 0..rng.usize(1..=3) {
                d.customers.push(rng.usize(..us_security.len()));
            }
        }
        let mut shippers = Vec::new();
        for (country, n) in SHIPPERS {
            for _ in 0..*n {
                shippers.push(m.company(names::shipper(rng, &mut used, country), country)?);
            }
        }
        let mut fwd_overseas = Vec::new();
        for _ in 0..8 {
            fwd_overseas.push(m.company(names::forwarder(rng, &mut used, true), "CN")?);
        }
        let mut fwd_us = Vec::new();
        for _ in 0..7 {
            fwd_us.push(m.company(names::forwarder(rng, &mut used, false), "US")?);
        }
        let mut to_order = Vec::new();
        for name in TO_ORDER {
            to_order.push(P {
                id: None,
                name: name.to_string(),
                country: "",
                city: "",
                ports: &[],
            });
        }
        Ok(Cast {
            makers,
            distributors,
            us_security,
            us_other,
            shippers,
            fwd_overseas,
            fwd_us,
            to_order,
        })
    }

    /// The distributor of that name (the first one if there is none: never, by construction).
    pub fn distributor(&self, name: &str) -> &Distributor {
        self.distributors
            .iter()
            .find(|d| d.party.name == name)
            .unwrap_or(&self.distributors[0])
    }

    /// A listed maker, by its share of shipments.
    pub fn pick_maker(&self, rng: &mut Rng) -> usize {
        let total: u32 = MAKERS.iter().map(|m| m.weight).sum();
        let mut x = rng.u32(..total);
        for (i, m) in MAKERS.iter().enumerate() {
            if x < m.weight {
                return i;
            }
            x -= m.weight;
        }
        0
    }

    /// The maker's usual spelling half of the time, else a variant.
    pub fn maker_spelling(&self, rng: &mut Rng, maker: usize) -> &P {
        let s = &self.makers[maker];
        if rng.bool() {
            &s[0]
        } else {
            &s[rng.usize(..s.len())]
        }
    }

    /// A distributor for a maker's shipment: the analysis's consignees buy Hikvision only.
    pub fn pick_distributor(&self, rng: &mut Rng, maker: usize) -> &Distributor {
        let seed = maker == HIKVISION && rng.u8(..10) < 3;
        let pool: Vec<&Distributor> = self
            .distributors
            .iter()
            .filter(|d| d.seed == seed)
            .collect();
        pool[rng.usize(..pool.len())]
    }

    /// Who appears as consignee (and notify party) on a bill for `importer`: the importer
    /// itself, or a forwarder or "TO ORDER" with the importer as notify party.
    pub fn hide_buyer<'a>(&'a self, rng: &mut Rng, importer: &'a P) -> (&'a P, Option<&'a P>) {
        match rng.u8(..100) {
            0..=67 => (importer, None),
            68..=85 => (&self.fwd_us[rng.usize(..self.fwd_us.len())], Some(importer)),
            _ => (
                &self.to_order[rng.usize(..self.to_order.len())],
                Some(importer),
            ),
        }
    }
}
