//! Shipments, made in date order batch by batch on their own thread.

use std::collections::HashMap;
use std::sync::mpsc::{sync_channel, Receiver};

use fastrand::Rng;

use super::describe::Catalog;
use super::vocab::GOODS;
use super::*;
use crate::bulk::BulkShipment;

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
