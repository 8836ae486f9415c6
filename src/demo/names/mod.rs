//! Invented company names and addresses for the demo parties, built from word lists by the
//! seeded generator. The real names used in the demo are only the listed makers and the five
//! consignees of the published Hikvision analysis (see data/demo/README.md).

use std::collections::BTreeSet;

use fastrand::Rng;

mod words;
use words::*;

/// The consignees of the published analysis, with their countries.
pub const SEED_CONSIGNEES: &[(&str, &str)] = &[
    (
        "RECURSOS TECNOLOGICOS ABIERTOS TECHRESOURCES CIA LTDA",
        "EC",
    ),
    ("MACROQUIL", "EC"),
    ("JABIL CIRCUIT INDIA PRIVATE", "IN"),
    ("PHUONG VIET DISTRIBUTION", "VN"),
    ("LINACO VIET NAM TECHNOLOGY DEVELOPMENT COMPANY", "VN"),
];

/// Consignee names that hide the buyer.
pub const TO_ORDER: &[&str] = &["TO ORDER", "TO THE ORDER OF SHIPPER", "TO ORDER OF BANK"];

fn pick<'a>(rng: &mut Rng, items: &[&'a str]) -> &'a str {
    items[rng.usize(..items.len())]
}

/// A name from `make`, retried until it is not in `used`; when the word lists run out, a
/// branch name keeps it distinct.
fn unique(rng: &mut Rng, used: &mut BTreeSet<String>, make: impl Fn(&mut Rng) -> String) -> String {
    let mut attempt = 0u32;
    loop {
        let mut n = make(rng);
        if attempt >= 64 {
            n = format!("{n} (BRANCH {})", attempt - 63);
        }
        if used.insert(n.clone()) {
            return n;
        }
        attempt += 1;
    }
}

/// An invented company: name, city, street address.
pub struct Company {
    pub name: String,
    pub city: &'static str,
    pub address: String,
}

/// Security and telecom distributors of a transshipment country.
pub fn distributor(rng: &mut Rng, used: &mut BTreeSet<String>, country: &str) -> Company {
    let (words, cities, forms): (&[&str], &[&str], &[&str]) = match country {
        "VN" => (
            VN_WORDS,
            VN_CITIES,
            &[
                "SECURITY TECHNOLOGY JSC",
                "TECHNOLOGY TRADING CO., LTD",
                "DISTRIBUTION COMPANY LIMITED",
                "ELECTRONICS JOINT STOCK COMPANY",
            ],
        ),
        "IN" => (
            IN_WORDS,
            IN_CITIES,
            &[
                "SECURITY SYSTEMS PRIVATE LIMITED",
                "INFOTECH PVT LTD",
                "ELECTRONICS PRIVATE LIMITED",
                "TELECOM SOLUTIONS PVT. LTD.",
            ],
        ),
        "EC" => (
            EC_WORDS,
            EC_CITIES,
            &["CIA. LTDA.", "S.A.", "IMPORTACIONES CIA LTDA"],
        ),
        _ => (
            MX_WORDS,
            MX_CITIES,
            &["S.A. DE C.V.", "SA DE CV", "S. DE R.L. DE C.V."],
        ),
    };
    let name = unique(rng, used, |r| {
        format!("{} {}", pick(r, words), pick(r, forms))
    });
    let city = pick(rng, cities);
    Company {
        name,
        city,
        address: format!("{} {}", rng.u32(10..900), street(rng, country)),
    }
}

const US_WORDS: &[&str] = &[
    "SUNCOAST",
    "LIBERTY",
    "PINNACLE",
    "SUMMIT",
    "HARBORVIEW",
    "EAGLE CREST",
    "PRAIRIE",
    "CASCADE",
    "GULFSTREAM",
    "KEYSTONE",
    "REDWOOD",
    "IRONGATE",
    "BLUE RIDGE",
    "LONESTAR",
    "BAYSIDE",
    "NORTHPOINT",
    "TRI-STATE",
    "MIDWEST",
    "COASTAL",
    "FRONTIER",
];
const US_KINDS: &[&str] = &[
    "SECURITY SUPPLY",
    "SURVEILLANCE SYSTEMS",
    "TECHNOLOGY DISTRIBUTORS",
    "HOME GOODS",
    "IMPORTS",
    "TRADING",
    "WHOLESALE",
    "ELECTRONICS",
    "FURNITURE",
    "HARDWARE",
    "FOODS",
    "COMMUNICATIONS",
];
const US_FORMS: &[&str] = &["LLC", "INC", "INC.", "CORP", "CORPORATION", "CO."];
const US_CITIES: &[(&str, &str)] = &[
    ("ONTARIO", "CA"),
    ("CITY OF INDUSTRY", "CA"),
    ("MIAMI", "FL"),
    ("DORAL", "FL"),
    ("HOUSTON", "TX"),
    ("DALLAS", "TX"),
    ("EDISON", "NJ"),
    ("SECAUCUS", "NJ"),
    ("ATLANTA", "GA"),
    ("SAVANNAH", "GA"),
    ("CHICAGO", "IL"),
    ("KENT", "WA"),
    ("CHARLOTTE", "NC"),
    ("BROOKLYN", "NY"),
    ("LAS VEGAS", "NV"),
    ("PHOENIX", "AZ"),
];

/// A US importer. `security` picks a trade that buys cameras and network gear.
pub fn us_importer(rng: &mut Rng, used: &mut BTreeSet<String>, security: bool) -> Company {
    let name = unique(rng, used, |r| {
        let kind = if security {
            pick(r, &US_KINDS[..3])
        } else {
            pick(r, US_KINDS)
        };
        format!("{} {} {}", pick(r, US_WORDS), kind, pick(r, US_FORMS))
    });
    let (city, state) = US_CITIES[rng.usize(..US_CITIES.len())];
    Company {
        name,
        city,
        address: format!(
            "{} {}, {state} {:05}",
            rng.u32(100..9999),
            street(rng, "US"),
            rng.u32(10000..99950)
        ),
    }
}

const CN_CITIES: &[&str] = &[
    "NINGBO",
    "SHENZHEN",
    "XIAMEN",
    "QINGDAO",
    "GUANGZHOU",
    "DONGGUAN",
    "FOSHAN",
    "YIWU",
    "SUZHOU",
    "ZHONGSHAN",
    "JIANGMEN",
    "TAIZHOU",
];
const CN_WORDS: &[&str] = &[
    "JINLONG",
    "HUAXIN",
    "YONGSHENG",
    "TIANYU",
    "RUIFENG",
    "HONGXING",
    "XINDA",
    "BAOLI",
    "JIAHE",
    "SHENGTAI",
    "HENGFENG",
    "DEXIN",
    "WANJIA",
    "FUQIANG",
];
const TRADE_WORDS: &[&str] = &[
    "INDUSTRIAL",
    "IMPORT & EXPORT",
    "TRADING",
    "MANUFACTURING",
    "HOUSEWARE",
    "FURNITURE",
    "LIGHTING",
    "HARDWARE",
    "TEXTILE",
    "PLASTIC PRODUCTS",
];

/// An unrelated shipper (a manufacturer or exporter) in `country`.
pub fn shipper(rng: &mut Rng, used: &mut BTreeSet<String>, country: &str) -> Company {
    let name = unique(rng, used, |r| match country {
        "CN" => format!(
            "{} {} {} CO., LTD.",
            pick(r, CN_CITIES),
            pick(r, CN_WORDS),
            pick(r, TRADE_WORDS)
        ),
        "VN" => format!("{} {} CO., LTD", pick(r, VN_WORDS), pick(r, TRADE_WORDS)),
        "IN" => format!("{} EXPORTS PRIVATE LIMITED", pick(r, IN_WORDS)),
        "EC" => format!("EXPORTADORA {} S.A.", pick(r, EC_WORDS)),
        "MX" => format!(
            "{} {} SA DE CV",
            pick(r, &["GRUPO", "INDUSTRIAS", "COMERCIAL"]),
            pick(r, MX_WORDS)
        ),
        "TW" => format!(
            "{} {} CO., LTD.",
            pick(r, &["TAI-YANG", "CHIN-HSING", "YUAN-TAI", "HSIN-FU"]),
            pick(r, TRADE_WORDS)
        ),
        "KR" => format!(
            "{} {} CO., LTD.",
            pick(r, &["HANIL", "DAESUNG", "SEOJIN", "KUMHO"]),
            pick(r, TRADE_WORDS)
        ),
        "TH" => format!(
            "{} {} CO., LTD.",
            pick(r, &["SIAM", "CHAROEN", "THAI UNION"]),
            pick(r, TRADE_WORDS)
        ),
        "MY" => format!(
            "{} {} SDN. BHD.",
            pick(r, &["SRI", "MEGA", "PERMATA"]),
            pick(r, TRADE_WORDS)
        ),
        _ => format!(
            "{} {} GMBH",
            pick(r, &["NORD", "RHEIN", "ALPEN"]),
            pick(r, &["WERKZEUG", "HANDEL", "TECHNIK"])
        ),
    });
    Company {
        name,
        city: "",
        address: format!("{} {}", rng.u32(1..800), street(rng, country)),
    }
}

/// A freight forwarder: at origin (`overseas`) or in the US.
pub fn forwarder(rng: &mut Rng, used: &mut BTreeSet<String>, overseas: bool) -> Company {
    let words = &[
        "ORIENT STAR",
        "PACIFIC BRIDGE",
        "GLOBAL LINK",
        "SEAWAY",
        "FAR EAST",
        "TRANSOCEAN",
        "BLUE ANCHOR",
        "SILK ROAD",
    ];
    let name = unique(rng, used, |r| {
        if overseas {
            format!(
                "{} LOGISTICS ({}) CO., LTD.",
                pick(r, words),
                pick(r, &["SHENZHEN", "NINGBO", "SHANGHAI", "HK"])
            )
        } else {
            format!(
                "{} {} ",
                pick(r, words),
                pick(
                    r,
                    &[
                        "FREIGHT SERVICES INC",
                        "GLOBAL LOGISTICS LLC",
                        "SHIPPING INC."
                    ]
                )
            )
            .trim()
            .to_string()
        }
    });
    Company {
        name,
        city: "",
        address: format!(
            "{} {}",
            rng.u32(1..800),
            street(rng, if overseas { "CN" } else { "US" })
        ),
    }
}

fn street(rng: &mut Rng, country: &str) -> String {
    let names: &[&str] = match country {
        "US" => &[
            "EAST WALNUT AVE",
            "INDUSTRIAL PKWY",
            "COMMERCE DR",
            "HARBOR BLVD",
            "GATEWAY CT",
            "NW 25TH ST",
        ],
        "VN" => &["NGUYEN VAN LINH", "LE DUAN", "TRAN HUNG DAO", "CONG HOA"],
        "IN" => &["MG ROAD", "LBS MARG", "NEHRU PLACE", "MIDC ROAD"],
        "EC" | "MX" => &[
            "AV. 9 DE OCTUBRE",
            "AV. REFORMA",
            "CALLE JUAREZ",
            "AV. AMAZONAS",
        ],
        _ => &[
            "INDUSTRIAL ZONE ROAD",
            "HIGH-TECH PARK AVENUE",
            "PORT ROAD",
            "DEVELOPMENT ZONE",
        ],
    };
    pick(rng, names).to_string()
}
