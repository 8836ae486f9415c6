//! Goods descriptions and bill paperwork (bill numbers, containers) in the styles real records
//! use: Vietnamese customs transliterations, Spanish for Latin American buyers, terse English
//! on US import bills. Descriptions repeat model numbers, which is what lets an analyst follow
//! goods from a maker through a distributor to a US importer.

use fastrand::Rng;

use super::catalog::{Carrier, Product, CARRIERS};

fn pick<'a>(rng: &mut Rng, items: &[&'a str]) -> &'a str {
    items[rng.usize(..items.len())]
}

/// "iDS-2CD7A46G0-IZHS" as a customs broker retypes it: "IDS 2CD7A46G0 IZHS".
fn retyped(model: &str) -> String {
    model.to_ascii_uppercase().replace(['-', '/'], " ")
}

fn kind_vi(hs: &str) -> &'static str {
    match &hs[..4.min(hs.len())] {
        "8525" if hs.starts_with("8525.60") => "Bo dam",
        "8525" => "Camera quan sat hinh anh",
        "8521" => "Dau ghi hinh camera",
        "8517" => "Thiet bi mang",
        "8806" => "Flycam thiet bi bay khong nguoi lai",
        "8507" => "Pin sac",
        _ => "Thiet bi",
    }
}

fn kind_es(hs: &str) -> &'static str {
    match &hs[..4.min(hs.len())] {
        "8525" if hs.starts_with("8525.60") => "RADIO PORTATIL",
        "8525" => "CAMARA IP",
        "8521" => "GRABADOR DE VIDEO",
        "8517" => "EQUIPO DE RED",
        "8806" => "DRON CON CAMARA",
        "8507" => "BATERIA",
        _ => "EQUIPO",
    }
}

/// A listed maker's shipment to a distributor in `country`: one line per product.
pub fn export(rng: &mut Rng, country: &str, brand: &str, products: &[&Product]) -> String {
    let lines: Vec<String> = products
        .iter()
        .map(|p| match country {
            "VN" => format!(
                "{} {} {} Brand {} New100%",
                kind_vi(p.hs),
                if rng.bool() {
                    retyped(p.model)
                } else {
                    p.model.to_string()
                },
                p.text.to_lowercase(),
                brand.to_lowercase()
            ),
            "IN" => format!("{} {} (BRAND: {brand})", p.model, p.text),
            _ => format!("{} {brand} MODELO {}", kind_es(p.hs), p.model),
        })
        .collect();
    lines.join("\n")
}

/// A distributor's onward shipment to a US importer. The brand is named on some bills only.
pub fn onward(rng: &mut Rng, brand: &str, products: &[&Product], quantities: &[u32]) -> String {
    let with_brand = rng.u8(..10) < 4;
    let mut lines: Vec<String> = products
        .iter()
        .zip(quantities)
        .map(|(p, q)| {
            let brand = if with_brand {
                format!(" BRAND {brand}")
            } else {
                String::new()
            };
            format!("{} MODEL {}{brand} QTY {q} PCS", p.text, p.model)
        })
        .collect();
    if rng.bool() {
        lines.push(format!("PO# {}", rng.u32(410_000..499_999)));
    }
    lines.join("\n")
}

/// A listed maker's own shipment to the US.
pub fn direct(rng: &mut Rng, brand: &str, products: &[&Product]) -> String {
    let mut lines: Vec<String> = products
        .iter()
        .map(|p| format!("{brand} {} {}", p.text, p.model))
        .collect();
    if rng.bool() {
        lines.push(format!("HS CODE {}", products[0].hs.replace('.', "")));
    }
    lines.join("\n")
}

/// Unrelated goods.
pub fn goods(rng: &mut Rng, text: &str, hs: &str) -> String {
    match rng.u8(..4) {
        0 => format!("{text}\nPO# {}", rng.u32(100_000..999_999)),
        1 => format!("{text}\nHS CODE {}", hs.replace('.', "")),
        2 => format!("{} CARTONS {text}", rng.u32(20..1400)),
        _ => text.to_string(),
    }
}

pub fn carrier(rng: &mut Rng) -> &'static Carrier {
    &CARRIERS[rng.usize(..CARRIERS.len())]
}

/// A master bill number: the carrier's SCAC and ten digits.
pub fn master_bol(rng: &mut Rng, c: &Carrier) -> String {
    format!("{}{:010}", c.scac, rng.u64(1_000_000_000..9_999_999_999))
}

/// A forwarder's house bill number: letters from its name and eight digits.
pub fn house_bol(rng: &mut Rng, forwarder: &str) -> String {
    let letters: String = forwarder
        .chars()
        .filter(char::is_ascii_alphabetic)
        .take(4)
        .collect();
    format!("{letters}{:08}", rng.u32(10_000_000..99_999_999))
}

/// 1–3 container numbers of the carrier's boxes.
pub fn containers(rng: &mut Rng, c: &Carrier) -> Vec<String> {
    (0..rng.usize(1..4))
        .map(|_| format!("{}{:07}", c.box_prefix, rng.u32(0..9_999_999)))
        .collect()
}

pub fn vessel(rng: &mut Rng, c: &Carrier) -> String {
    pick(rng, c.vessels).to_string()
}

/// Flag states of container ships.
pub fn flag(rng: &mut Rng) -> String {
    pick(rng, &["PA", "LR", "MH", "SG", "HK", "DK", "MT"]).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retyped_models_keep_the_searchable_core() {
        assert_eq!(retyped("iDS-2CD7A46G0-IZHS"), "IDS 2CD7A46G0 IZHS");
        assert_eq!(retyped("iDS-7208HUHI-M2/S"), "IDS 7208HUHI M2 S");
    }
}
