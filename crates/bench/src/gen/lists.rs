//! Synthetic watch lists at scale, in the real published formats: the OFAC legacy SDN CSV set
//! (sdn.csv, add.csv, alt.csv) and the trade.gov CSL CSV. For list-update benchmarks and tests
//! (issue 21 item 6): names in the styles of the countries on the lists (src/gen names),
//! persons as OFAC writes them ("SURNAME, Given"), vessels, aliases, addresses, programs.
//!
//! An entry is a pure function of (seed, entity number), so a later *revision* of the same list
//! is the earlier one with a few entries dropped, a few added and a few renamed — what a weekly
//! update looks like. Nothing here is real; the files say so only by their made-up names.

use std::io::{self, Write};

use fastrand::Rng;

use super::names;
use super::vocab::{cities, SURNAMES};

const GIVEN: &[&str] = &[
    "Ali", "Ahmad", "Mohammad", "Hassan", "Hossein", "Reza", "Omar", "Yusuf", "Ivan", "Sergei",
    "Dmitri", "Alexei", "Olga", "Elena", "Natalia", "Wei", "Jun", "Li", "Ming", "Hui", "Kim",
    "Min-jun", "Carlos", "Jose", "Luis", "Maria", "Ana", "Juan", "Viktor", "Andrei", "Pavel",
    "Fatima", "Aisha", "Khalid", "Tariq", "Samir", "Nikolai", "Yuri", "Hamid", "Mehdi",
];

const PROGRAMS: &[&str] = &[
    "SDGT",
    "IRAN",
    "RUSSIA-EO14024",
    "UKRAINE-EO13662",
    "SYRIA",
    "DPRK3",
    "CUBA",
    "IFSR",
    "NPWMD",
    "SDNTK",
    "ILLICIT-DRUGS-EO14059",
    "VENEZUELA-EO13850",
    "BELARUS-EO14038",
    "GLOMAG",
    "CYBER2",
    "CAATSA - RUSSIA",
    "HK-EO13936",
];

/// Countries of listed parties, with weights (roughly the shares of the real lists).
const COUNTRIES: &[(&str, &str, u32)] = &[
    ("RU", "Russia", 30),
    ("CN", "China", 14),
    ("IR", "Iran", 12),
    ("AE", "United Arab Emirates", 6),
    ("HK", "Hong Kong", 5),
    ("TR", "Turkey", 4),
    ("SY", "Syria", 4),
    ("KP", "North Korea", 3),
    ("BY", "Belarus", 3),
    ("VE", "Venezuela", 3),
    ("MX", "Mexico", 4),
    ("IN", "India", 2),
    ("MY", "Malaysia", 2),
    ("TH", "Thailand", 2),
    ("VN", "Vietnam", 2),
    ("US", "United States", 2),
    ("DE", "Germany", 2),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Entity,
    Individual,
    Vessel,
}

/// One generated listing.
#[derive(Debug, Clone)]
pub struct ListedEntry {
    pub ent_num: u64,
    pub kind: Kind,
    pub name: String,
    pub program: &'static str,
    pub country: &'static str,
    pub country_name: &'static str,
    pub city: &'static str,
    pub address: String,
    pub aliases: Vec<String>,
}

/// Cities of the listed countries the trade vocabulary lacks.
fn list_cities(code: &str) -> &'static [&'static str] {
    match code {
        "RU" => &[
            "MOSCOW",
            "SAINT PETERSBURG",
            "YEKATERINBURG",
            "NOVOSIBIRSK",
            "KAZAN",
        ],
        "IR" => &["TEHRAN", "ISFAHAN", "MASHHAD", "TABRIZ", "SHIRAZ"],
        "AE" => &["DUBAI", "ABU DHABI", "SHARJAH"],
        "SY" => &["DAMASCUS", "ALEPPO", "LATAKIA"],
        "KP" => &["PYONGYANG", "NAMPO"],
        "BY" => &["MINSK", "GOMEL", "BREST"],
        "VE" => &["CARACAS", "MARACAIBO", "VALENCIA"],
        "TR" => &["ISTANBUL", "ANKARA", "IZMIR", "MERSIN"],
        "DE" => &["HAMBURG", "FRANKFURT", "MUNICH", "BERLIN"],
        _ => cities(code),
    }
}

/// A number in [0, 2^64) fixed by (seed, ent_num, salt).
fn mix(seed: u64, ent_num: u64, salt: u64) -> u64 {
    let mut z = seed ^ ent_num.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ salt.rotate_left(29);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn pick<'a>(rng: &mut Rng, xs: &[&'a str]) -> &'a str {
    xs[rng.usize(..xs.len())]
}

fn country(rng: &mut Rng) -> (&'static str, &'static str) {
    let total: u32 = COUNTRIES.iter().map(|c| c.2).sum();
    let mut u = rng.u32(..total);
    for &(code, name, w) in COUNTRIES {
        if u < w {
            return (code, name);
        }
        u -= w;
    }
    ("RU", "Russia")
}

/// The entry `ent_num` of the list `seed`, as first listed.
pub fn entry(seed: u64, ent_num: u64) -> ListedEntry {
    let mut rng = Rng::with_seed(mix(seed, ent_num, 0));
    let (code, country_name) = country(&mut rng);
    let cs = list_cities(code);
    let city = cs[rng.usize(..cs.len())];
    let roll = rng.u8(..100);
    let (kind, name, aliases) = if roll < 28 {
        let surname = pick(&mut rng, SURNAMES);
        let given = pick(&mut rng, GIVEN);
        let middle = pick(&mut rng, GIVEN);
        let name = format!("{surname}, {given} {middle}");
        let alias = format!("{}, {given}", names::typo(&mut rng, surname));
        (Kind::Individual, name, vec![alias])
    } else if roll < 31 {
        let name = format!(
            "{} {}",
            pick(
                &mut rng,
                &["OCEAN", "SEA", "STAR", "PACIFIC", "GOLDEN", "NORTHERN"]
            ),
            pick(&mut rng, SURNAMES)
        );
        (Kind::Vessel, name, Vec::new())
    } else {
        let c = names::company(&mut rng, code);
        let name = c.name();
        let mut aliases = Vec::new();
        for _ in 0..rng.usize(..3) {
            aliases.push(names::variant(&mut rng, &c, code).name());
        }
        (Kind::Entity, name, aliases)
    };
    ListedEntry {
        ent_num,
        kind,
        name,
        program: pick(&mut rng, PROGRAMS),
        country: code,
        country_name,
        city,
        address: names::address(&mut rng, code, city),
        aliases,
    }
}

/// Revision `revision` (0 = first) of a list of about `n` entries: each later revision drops
/// about 2% of the entries, renames 1% (a corrected spelling) and adds 2% new ones (entity
/// numbers above `n`), relative to revision 0. In entity-number order.
pub fn revision(seed: u64, n: u64, revision: u64) -> impl Iterator<Item = ListedEntry> {
    let added = if revision == 0 { 0 } else { n / 50 };
    let base = (1..=n).filter_map(move |k| {
        let r = mix(seed, k, 1000 + revision);
        if revision > 0 && r % 50 == 0 {
            return None;
        }
        let mut e = entry(seed, k);
        if revision > 0 && r % 100 == 1 {
            let mut rng = Rng::with_seed(r);
            e.name = names::variant_of_text(&mut rng, &e.name);
        }
        Some(e)
    });
    let start = n + (revision.saturating_sub(1)) * (n / 50) + 1;
    base.chain((start..start + added).map(move |k| entry(seed, k)))
}

fn csv_quote(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// The OFAC legacy SDN CSV set of `entries`: sdn.csv, add.csv and alt.csv (no header, `-0- `
/// for null, CRLF line ends, as published).
pub fn write_ofac_sdn(
    entries: impl Iterator<Item = ListedEntry>,
    sdn: &mut dyn Write,
    add: &mut dyn Write,
    alt: &mut dyn Write,
) -> io::Result<u64> {
    const NULL: &str = "-0- ";
    let (mut add_num, mut alt_num, mut n) = (0u64, 0u64, 0u64);
    for e in entries {
        let sdn_type = match e.kind {
            Kind::Entity => NULL.to_string(),
            Kind::Individual => csv_quote("individual"),
            Kind::Vessel => csv_quote("vessel"),
        };
        write!(
            sdn,
            "{},{},{sdn_type},{},{NULL},{NULL},{NULL},{NULL},{NULL},{NULL},{NULL},{NULL}\r\n",
            e.ent_num,
            csv_quote(&e.name),
            csv_quote(e.program),
        )?;
        add_num += 1;
        write!(
            add,
            "{},{add_num},{},{},{},{NULL}\r\n",
            e.ent_num,
            csv_quote(&e.address),
            csv_quote(e.city),
            csv_quote(e.country_name),
        )?;
        for a in &e.aliases {
            alt_num += 1;
            write!(
                alt,
                "{},{alt_num},\"aka\",{},{NULL}\r\n",
                e.ent_num,
                csv_quote(a)
            )?;
        }
        n += 1;
    }
    Ok(n)
}

/// The trade.gov CSL CSV of `entries` (its header; SDN rows carry the OFAC entity number, the
/// rest are Entity List rows keyed by `_id`).
pub fn write_csl(
    entries: impl Iterator<Item = ListedEntry>,
    out: &mut dyn Write,
) -> io::Result<u64> {
    writeln!(
        out,
        "_id,source,entity_number,type,programs,name,title,addresses,federal_register_notice,\
         start_date,end_date,standard_order,license_requirement,license_policy,call_sign,\
         vessel_type,gross_tonnage,gross_registered_tonnage,vessel_flag,vessel_owner,remarks,\
         source_list_url,alt_names,citizenships,dates_of_birth,nationalities,places_of_birth,\
         source_information_url,ids"
    )?;
    let mut n = 0u64;
    for e in entries {
        let sdn = e.ent_num % 3 != 0;
        let (source, entity_number, id) = if sdn {
            (
                "Specially Designated Nationals (SDN) - Treasury Department",
                e.ent_num.to_string(),
                e.ent_num.to_string(),
            )
        } else {
            (
                "Entity List (EL) - Bureau of Industry and Security",
                String::new(),
                format!("{:016x}", mix(7, e.ent_num, 2)),
            )
        };
        let typ = match e.kind {
            Kind::Entity => "Entity",
            Kind::Individual => "Individual",
            Kind::Vessel => "Vessel",
        };
        let programs = if sdn { e.program } else { "" };
        let start = format!(
            "20{:02}-{:02}-{:02}",
            10 + e.ent_num % 14,
            1 + e.ent_num % 12,
            1 + e.ent_num % 28
        );
        writeln!(
            out,
            "{id},{source},{entity_number},{typ},{},{},,{},,{start},,,,,,,,,,,,,{},,,,,,",
            csv_quote(programs),
            csv_quote(&e.name),
            csv_quote(&format!("{}, {}, {}", e.address, e.city, e.country)),
            csv_quote(&e.aliases.join("; ")),
        )?;
        n += 1;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revisions_drop_rename_and_add_a_few_entries() {
        let r0: Vec<_> = revision(3, 5_000, 0).collect();
        let r1: Vec<_> = revision(3, 5_000, 1).collect();
        assert_eq!(r0.len(), 5_000);
        let nums0: std::collections::HashSet<u64> = r0.iter().map(|e| e.ent_num).collect();
        let dropped = r0.len() - r1.iter().filter(|e| nums0.contains(&e.ent_num)).count();
        let added = r1.iter().filter(|e| !nums0.contains(&e.ent_num)).count();
        assert!((50..=150).contains(&dropped), "dropped {dropped}");
        assert_eq!(added, 100);
        let renamed = r1
            .iter()
            .filter(|e| nums0.contains(&e.ent_num))
            .filter(|e| r0[e.ent_num as usize - 1].name != e.name)
            .count();
        assert!((20..=80).contains(&renamed), "renamed {renamed}");
        // Deterministic, and names look like names.
        assert_eq!(entry(3, 17).name, r0[16].name);
        assert!(r0
            .iter()
            .any(|e| e.kind == Kind::Individual && e.name.contains(", ")));
        assert!(r0
            .iter()
            .any(|e| e.kind == Kind::Entity && !e.aliases.is_empty()));
    }
}
