//! Deterministic demo shipments: a few thousand bills among a few hundred parties, generated
//! from a seed, every row flagged synthetic. Real facts used: the listed makers' names and the
//! consignees of the published Hikvision analysis; the rest is invented (data/demo/README.md).
//!
//! What the data lets an analyst practise: listed makers under spelling variants, distributors
//! in Vietnam, India, Ecuador and Mexico, onward shipments from those distributors to US
//! importers 30–180 days later with the same goods (same HS codes, repeated model numbers),
//! freight forwarders and "TO ORDER" bills (no consignee party) hiding the buyer, master/house bill pairs, and
//! unrelated trade as background. Hikvision ships both before and after its Entity List date.

mod cast;
pub mod catalog;
mod describe;
mod names;

use chrono::{Duration, NaiveDate};
use fastrand::Rng;
use rusqlite::{Connection, Transaction};
use serde::Serialize;

use tradescope_core::progress::Progress;
use tradescope_store::error::Result;
use tradescope_store::import::trade::{hs_digits, NewShipment, TradeWriter};
use tradescope_store::import::{self, ImportReport};

use cast::{Cast, P};
use catalog::{Product, GOODS, HIKVISION, MAKERS, US_PORTS};

/// Bump when the same seed would generate different data.
pub const GENERATOR_VERSION: u32 = 1;
pub const DEFAULT_SEED: u64 = 20_191_009;
/// Hikvision's Entity List start date (84 FR 54002).
pub const HIKVISION_EL_START: &str = "2019-10-09";

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DemoReport {
    pub seed: u64,
    pub parties: u64,
    pub shipments: u64,
    /// Listed maker → distributor in a transshipment country.
    pub maker_exports: u64,
    /// Distributor → US importer, 30–180 days after a maker export, same goods.
    pub onward_shipments: u64,
    pub hikvision_before_el: u64,
    pub hikvision_after_el: u64,
    /// The guaranteed trail Hikvision → PHUONG VIET DISTRIBUTION (VN) → a US importer.
    pub trail: Trail,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Trail {
    pub maker_shipment: i64,
    pub onward_shipment: i64,
    pub distributor: String,
    pub importer: String,
    pub days: i64,
    pub models: Vec<String>,
}

/// Generate the demo data into `source_id` (a synthetic source) inside `tx`.
pub fn generate(tx: &Transaction, source_id: i64, seed: u64) -> Result<DemoReport> {
    let mut g = Gen {
        rng: Rng::with_seed(seed),
        w: TradeWriter::new(tx, source_id, true)?,
        line: 0,
        ams_seq: 1000,
        report: DemoReport {
            seed,
            parties: 0,
            shipments: 0,
            maker_exports: 0,
            onward_shipments: 0,
            hikvision_before_el: 0,
            hikvision_after_el: 0,
            trail: Trail {
                maker_shipment: 0,
                onward_shipment: 0,
                distributor: String::new(),
                importer: String::new(),
                days: 0,
                models: Vec::new(),
            },
        },
    };
    let cast = Cast::build(&mut g.rng, &mut g.w, &mut g.line)?;
    g.trail(&cast)?;
    for _ in 0..1000 {
        g.maker_export(&cast)?;
    }
    for _ in 0..300 {
        g.maker_direct(&cast)?;
    }
    for _ in 0..1900 {
        g.unrelated(&cast)?;
    }
    let stats = g.w.finish()?;
    g.report.parties = stats.parties_created;
    g.report.shipments = stats.shipments;
    Ok(g.report)
}

/// Generate the demo data as its own synthetic source, linked like an import. The same seed is
/// generated once per database (a second call reports `already_imported`).
pub fn import(
    conn: &mut Connection,
    seed: u64,
    progress: &dyn Progress,
) -> Result<(ImportReport, Option<DemoReport>)> {
    let mut demo = None;
    let fingerprint = format!("tradescope demo shipments v{GENERATOR_VERSION} seed {seed}");
    let report = import::import_generated(
        conn,
        "demo",
        &format!("demo shipments (seed {seed})"),
        &fingerprint,
        progress,
        |tx, source_id| {
            let r = generate(tx, source_id, seed)?;
            let n = r.shipments;
            demo = Some(r);
            Ok(n)
        },
    )?;
    Ok((report, demo))
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

struct Gen<'c> {
    rng: Rng,
    w: TradeWriter<'c>,
    /// Sequence number of the generated record: its `source_line`.
    line: u64,
    /// AMS identifiers: run date + a sequence that is not zero-padded.
    ams_seq: u64,
    report: DemoReport,
}

impl Gen<'_> {
    fn day_between(&mut self, from: NaiveDate, to: NaiveDate) -> NaiveDate {
        let span = (to - from).num_days().max(1);
        from + Duration::days(self.rng.i64(0..span))
    }

    fn products(&mut self, maker: usize) -> Vec<&'static Product> {
        let all = MAKERS[maker].products;
        let n = self.rng.usize(1..=3.min(all.len()));
        let start = self.rng.usize(..all.len());
        // Goods of a kind travel together: consecutive catalogue lines.
        (0..n).map(|i| &all[(start + i) % all.len()]).collect()
    }

    fn count_maker(&mut self, maker: usize, day: NaiveDate) {
        if maker == HIKVISION {
            if day.format("%Y-%m-%d").to_string().as_str() < HIKVISION_EL_START {
                self.report.hikvision_before_el += 1;
            } else {
                self.report.hikvision_after_el += 1;
            }
        }
    }

    /// A shipment with the paperwork filled in; `us` marks a US import (AMS-like) bill.
    fn bill(&mut self, shipper: &P, consignee: &P, day: NaiveDate, us: bool) -> NewShipment {
        self.line += 1;
        let carrier = describe::carrier(&mut self.rng);
        let air = !us && self.rng.u8(..5) == 0;
        let lading = if shipper.ports.is_empty() {
            catalog::lading_ports(shipper.country)
        } else {
            shipper.ports
        };
        let port_of_lading = lading[self.rng.usize(..lading.len())].to_string();
        let port_of_unlading = if us {
            US_PORTS[self.rng.usize(..US_PORTS.len())].to_string()
        } else {
            let ports = catalog::lading_ports(consignee.country);
            ports[self.rng.usize(..ports.len())].to_string()
        };
        let identifier = if us {
            self.ams_seq += self.rng.u64(1..40);
            format!("{}{}", day.format("%Y%m%d"), self.ams_seq)
        } else {
            format!("DEMO-EX-{}", self.line)
        };
        let quantity = self.rng.i64(5..1500);
        let weight = (quantity as f64 * (1.0 + self.rng.f64() * 11.0)).round();
        NewShipment {
            line: self.line,
            identifier: Some(identifier),
            master_bol: (!air).then(|| describe::master_bol(&mut self.rng, carrier)),
            bill_type: Some("Regular Bill".into()),
            ship_date: Some(day.format("%Y-%m-%d").to_string()),
            estimated_arrival_date: us.then(|| {
                (day - Duration::days(self.rng.i64(0..3)))
                    .format("%Y-%m-%d")
                    .to_string()
            }),
            shipper_id: shipper.id,
            consignee_id: consignee.id,
            origin_country: Some(shipper.country.to_string()),
            dest_country: Some(if us { "US" } else { consignee.country }.to_string()),
            port_of_lading: Some(port_of_lading),
            port_of_unlading: Some(port_of_unlading),
            place_of_receipt: (!shipper.city.is_empty()).then(|| shipper.city.to_uppercase()),
            carrier_code: (!air).then(|| carrier.scac.to_string()),
            vessel_name: (!air).then(|| describe::vessel(&mut self.rng, carrier)),
            vessel_country: (!air).then(|| describe::flag(&mut self.rng)),
            mode: Some(if air { "Air" } else { "Vessel, containerized" }.to_string()),
            weight_kg: Some(weight),
            weight: Some(weight),
            weight_unit: Some("Kilograms".into()),
            quantity: Some(quantity),
            quantity_unit: Some(["CTN", "PKG", "PCS", "PLT"][self.rng.usize(..4)].to_string()),
            containers: if air {
                Vec::new()
            } else {
                describe::containers(&mut self.rng, carrier)
            },
            ..Default::default()
        }
    }

    fn hs(products: &[&Product]) -> Vec<String> {
        let mut codes: Vec<String> = Vec::new();
        for p in products {
            if let Some(c) = hs_digits(p.hs) {
                if !codes.contains(&c) {
                    codes.push(c);
                }
            }
        }
        codes
    }

    /// Hikvision → PHUONG VIET DISTRIBUTION → a US importer, 97 days apart, same models.
    fn trail(&mut self, cast: &Cast) -> Result<()> {
        let hik = &MAKERS[HIKVISION];
        let products: Vec<&Product> = hik
            .products
            .iter()
            .filter(|p| p.model == "iDS-2CD7A46G0-IZHS" || p.model == "iDS-7208HUHI-M2/S")
            .collect();
        let maker = &cast.makers[HIKVISION][0];
        let dist = cast.distributor("PHUONG VIET DISTRIBUTION");
        let importer = &cast.us_security[0];
        let day = date(2021, 3, 9);
        let mut s = self.bill(maker, &dist.party, day, false);
        s.description = Some(describe::export(&mut self.rng, "VN", hik.brand, &products));
        s.hs_codes = Self::hs(&products);
        let maker_shipment = self.w.shipment(&s)?;
        self.count_maker(HIKVISION, day);
        self.report.maker_exports += 1;
        let onward_day = day + Duration::days(97);
        let onward = self.onward(&dist.party, importer, onward_day, &products, hik.brand)?;
        self.report.trail = Trail {
            maker_shipment,
            onward_shipment: onward,
            distributor: dist.party.name.clone(),
            importer: importer.name.clone(),
            days: 97,
            models: products.iter().map(|p| p.model.to_string()).collect(),
        };
        Ok(())
    }

    fn onward(
        &mut self,
        dist: &P,
        importer: &P,
        day: NaiveDate,
        products: &[&Product],
        brand: &str,
    ) -> Result<i64> {
        let quantities: Vec<u32> = products.iter().map(|_| self.rng.u32(10..600)).collect();
        let mut s = self.bill(dist, importer, day, true);
        s.description = Some(describe::onward(
            &mut self.rng,
            brand,
            products,
            &quantities,
        ));
        s.hs_codes = Self::hs(products);
        self.report.onward_shipments += 1;
        self.w.shipment(&s)
    }

    /// A listed maker's shipment to a distributor, followed by an onward shipment to the US
    /// for some of them.
    fn maker_export(&mut self, cast: &Cast) -> Result<()> {
        let maker = cast.pick_maker(&mut self.rng);
        let dist = cast.pick_distributor(&mut self.rng, maker);
        let shipper = cast.maker_spelling(&mut self.rng, maker);
        let day = self.day_between(date(2018, 1, 2), date(2023, 6, 30));
        let products = self.products(maker);
        let mut s = self.bill(shipper, &dist.party, day, false);
        s.description = Some(describe::export(
            &mut self.rng,
            dist.party.country,
            MAKERS[maker].brand,
            &products,
        ));
        s.hs_codes = Self::hs(&products);
        self.w.shipment(&s)?;
        self.count_maker(maker, day);
        self.report.maker_exports += 1;
        if dist.forwards && self.rng.u8(..10) < 5 {
            let importer =
                &cast.us_security[dist.customers[self.rng.usize(..dist.customers.len())]];
            let later = day + Duration::days(self.rng.i64(30..=180));
            self.onward(&dist.party, importer, later, &products, MAKERS[maker].brand)?;
        }
        Ok(())
    }

    /// A listed maker's own shipment to the US, often through a forwarder or "TO ORDER";
    /// most of them before the 2019 listings.
    fn maker_direct(&mut self, cast: &Cast) -> Result<()> {
        let maker = cast.pick_maker(&mut self.rng);
        let shipper = cast.maker_spelling(&mut self.rng, maker);
        let day = if self.rng.u8(..10) < 7 {
            self.day_between(date(2018, 1, 2), date(2019, 10, 8))
        } else {
            self.day_between(date(2019, 10, 9), date(2023, 12, 31))
        };
        let products = self.products(maker);
        let importer = &cast.us_security[self.rng.usize(..cast.us_security.len())];
        let (consignee, notify) = cast.hide_buyer(&mut self.rng, importer);
        let mut s = self.bill(shipper, consignee, day, true);
        s.notify_id = notify.and_then(|p| p.id);
        s.description = Some(describe::direct(
            &mut self.rng,
            MAKERS[maker].brand,
            &products,
        ));
        s.hs_codes = Self::hs(&products);
        self.w.shipment(&s)?;
        self.count_maker(maker, day);
        Ok(())
    }

    /// Background trade: unrelated shippers to US importers; some consolidated by forwarders
    /// with a master bill and a house bill for the same goods.
    fn unrelated(&mut self, cast: &Cast) -> Result<()> {
        let shipper = &cast.shippers[self.rng.usize(..cast.shippers.len())];
        let choices: Vec<_> = GOODS
            .iter()
            .filter(|g| g.from.contains(&shipper.country))
            .collect();
        let goods = match choices.len() {
            0 => &GOODS[self.rng.usize(..GOODS.len())],
            n => choices[self.rng.usize(..n)],
        };
        let importer = &cast.us_other[self.rng.usize(..cast.us_other.len())];
        let day = self.day_between(date(2018, 1, 2), date(2023, 12, 31));
        let (consignee, notify) = cast.hide_buyer(&mut self.rng, importer);
        let mut s = self.bill(shipper, consignee, day, true);
        s.notify_id = notify.and_then(|p| p.id);
        s.description = Some(describe::goods(&mut self.rng, goods.text, goods.hs));
        s.hs_codes = hs_digits(goods.hs).into_iter().collect();
        if self.rng.u8(..100) < 12 {
            // The forwarders' master bill duplicates the house bill's goods.
            let origin = &cast.fwd_overseas[self.rng.usize(..cast.fwd_overseas.len())];
            let dest = &cast.fwd_us[self.rng.usize(..cast.fwd_us.len())];
            s.bill_type = Some("House Bill".into());
            s.house_bol = Some(describe::house_bol(&mut self.rng, &origin.name));
            let mut m = s.clone();
            self.line += 1;
            m.line = self.line;
            self.ams_seq += 1;
            m.identifier = Some(format!("{}{}", day.format("%Y%m%d"), self.ams_seq));
            m.bill_type = Some("Master Bill".into());
            m.house_bol = None;
            m.shipper_id = origin.id;
            m.consignee_id = dest.id;
            m.notify_id = None;
            self.w.shipment(&m)?;
        }
        self.w.shipment(&s)?;
        Ok(())
    }
}
