//! Fixed vocabulary of the demo data: the listed makers under the spellings shippers use, their
//! products with real model-number patterns, unrelated goods, ports and vessels. Port strings
//! and vessel names are real ones, as they appear in AMS headers
//! (data/manifests/derived/…2018-sample.csv.gz); everything combined from them is synthetic.

/// A listed maker: name spellings seen on bills, home city, port of lading, brand, products.
pub struct Maker {
    pub brand: &'static str,
    pub spellings: &'static [&'static str],
    pub city: &'static str,
    pub address: &'static str,
    pub ports: &'static [&'static str],
    /// Relative share of the makers' shipments.
    pub weight: u32,
    pub products: &'static [Product],
}

/// A product line: model number, English description, HS code.
pub struct Product {
    pub model: &'static str,
    pub text: &'static str,
    pub hs: &'static str,
}

const fn p(model: &'static str, text: &'static str, hs: &'static str) -> Product {
    Product { model, text, hs }
}

pub const HIKVISION: usize = 0;

pub const MAKERS: &[Maker] = &[
    Maker {
        brand: "HIKVISION",
        spellings: &[
            "HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO., LTD.",
            "HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO LTD",
            "HIKVISION DIGITAL TECHNOLOGY CO.,LTD.",
            "HANGZHOU HIKVISION DIGITAL TECH CO LTD",
            "HANGZHOU HIK-VISION DIGITAL TECHNOLOGY CO., LTD",
        ],
        city: "Hangzhou",
        address: "No. 555 Qianmo Road, Binjiang District",
        ports: &["Ningpo,China (Mainland)", "Shanghai,China (Mainland)"],
        weight: 34,
        products: &[
            p(
                "DS-2CD2143G0-I",
                "4MP IR FIXED DOME NETWORK CAMERA",
                "8525.89",
            ),
            p(
                "DS-2CD2T47G2-L",
                "4MP COLORVU FIXED BULLET NETWORK CAMERA",
                "8525.89",
            ),
            p(
                "iDS-2CD7A46G0-IZHS",
                "4MP DEEPINVIEW BULLET CAMERA 2.8-12MM",
                "8525.89",
            ),
            p(
                "DS-2DE4425IW-DE",
                "4MP 25X IR NETWORK SPEED DOME",
                "8525.89",
            ),
            p("DS-7608NI-K2", "8CH NETWORK VIDEO RECORDER", "8521.90"),
            p("DS-7616NI-Q2", "16CH NETWORK VIDEO RECORDER", "8521.90"),
            p(
                "iDS-7208HUHI-M2/S",
                "8CH ACUSENSE DIGITAL VIDEO RECORDER",
                "8521.90",
            ),
            p("DS-KH6320-WTE1", "VIDEO INTERCOM INDOOR STATION", "8517.62"),
            p("DS-UC8", "USB WEBCAM 1080P 3.6MM LENS", "8525.89"),
        ],
    },
    Maker {
        brand: "DAHUA",
        spellings: &[
            "ZHEJIANG DAHUA TECHNOLOGY CO., LTD.",
            "ZHEJIANG DAHUA TECHNOLOGY CO LTD",
            "DAHUA TECHNOLOGY CO.,LTD",
        ],
        city: "Hangzhou",
        address: "No. 1199 Bin'an Road, Binjiang District",
        ports: &["Ningpo,China (Mainland)", "Shanghai,China (Mainland)"],
        weight: 24,
        products: &[
            p(
                "IPC-HFW2431S-S-S2",
                "4MP LITE IR FIXED-FOCAL BULLET NETWORK CAMERA",
                "8525.89",
            ),
            p(
                "IPC-HDW2431T-AS-S2",
                "4MP LITE IR EYEBALL NETWORK CAMERA",
                "8525.89",
            ),
            p(
                "DH-SD49225XA-HNR",
                "2MP 25X STARLIGHT IR PTZ NETWORK CAMERA",
                "8525.89",
            ),
            p(
                "DH-XVR5108HS-I3",
                "8CH PENTA-BRID DIGITAL VIDEO RECORDER",
                "8521.90",
            ),
            p(
                "DH-NVR4216-16P-4KS2",
                "16CH 1U 16POE NETWORK VIDEO RECORDER",
                "8521.90",
            ),
            p("DHI-VTH5221D", "VIDEO INTERCOM INDOOR MONITOR", "8517.62"),
        ],
    },
    Maker {
        brand: "HUAWEI",
        spellings: &[
            "HUAWEI TECHNOLOGIES CO., LTD.",
            "HUAWEI TECHNOLOGIES CO LTD",
            "HUAWEI TECH. CO., LTD.",
        ],
        city: "Shenzhen",
        address: "Bantian Huawei Base, Longgang District",
        ports: &["Yantian,China (Mainland)", "Hong Kong,Hong Kong"],
        weight: 14,
        products: &[
            p(
                "S5735-L24T4S-A",
                "24-PORT GIGABIT ETHERNET SWITCH",
                "8517.62",
            ),
            p("AR6120", "ENTERPRISE ACCESS ROUTER", "8517.62"),
            p("EG8145V5", "GPON OPTICAL NETWORK TERMINAL", "8517.62"),
            p("MA5800-X7", "OPTICAL LINE TERMINAL CHASSIS", "8517.62"),
            p("AP4050DN", "DUAL-BAND WIRELESS ACCESS POINT", "8517.62"),
            p("RRU5502", "REMOTE RADIO UNIT", "8517.61"),
        ],
    },
    Maker {
        brand: "ZTE",
        spellings: &["ZTE CORPORATION", "ZTE CORP."],
        city: "Shenzhen",
        address: "ZTE Plaza, Keji Road South, Hi-Tech Industrial Park, Nanshan District",
        ports: &["Yantian,China (Mainland)", "Hong Kong,Hong Kong"],
        weight: 9,
        products: &[
            p("ZXHN F670L", "GPON ONT WIFI ROUTER", "8517.62"),
            p("ZXA10 C600", "OPTICAL LINE TERMINAL", "8517.62"),
            p("MF286R", "4G LTE INDOOR ROUTER", "8517.62"),
            p("ZXR10 5960", "ETHERNET SWITCH", "8517.62"),
        ],
    },
    Maker {
        brand: "HYTERA",
        spellings: &[
            "HYTERA COMMUNICATIONS CORPORATION LIMITED",
            "HYTERA COMMUNICATIONS CORP., LTD.",
        ],
        city: "Shenzhen",
        address: "Hytera Tower, Hi-Tech Industrial Park North, Nanshan District",
        ports: &["Yantian,China (Mainland)"],
        weight: 8,
        products: &[
            p("PD785", "DMR PORTABLE TWO-WAY RADIO", "8525.60"),
            p("MD785", "DMR MOBILE RADIO", "8525.60"),
            p("HR1065", "DMR REPEATER", "8525.60"),
            p(
                "BL2020",
                "LI-ION BATTERY PACK FOR PORTABLE RADIO",
                "8507.60",
            ),
        ],
    },
    Maker {
        brand: "DJI",
        spellings: &["SZ DJI TECHNOLOGY CO., LTD.", "SZ DJI TECHNOLOGY CO LTD"],
        city: "Shenzhen",
        address: "Skyworth Semiconductor Design Building, Nanshan District",
        ports: &["Yantian,China (Mainland)", "Hong Kong,Hong Kong"],
        weight: 11,
        products: &[
            p(
                "MAVIC 3 ENTERPRISE",
                "UNMANNED AERIAL VEHICLE WITH CAMERA",
                "8806.22",
            ),
            p(
                "MATRICE 300 RTK",
                "INDUSTRIAL UNMANNED AERIAL VEHICLE",
                "8806.22",
            ),
            p("ZENMUSE H20T", "GIMBAL THERMAL CAMERA FOR DRONE", "8525.89"),
            p("TB65", "INTELLIGENT FLIGHT BATTERY", "8507.60"),
        ],
    },
];

/// Goods of unrelated trade: description, HS code, countries that ship them.
pub struct Goods {
    pub text: &'static str,
    pub hs: &'static str,
    pub from: &'static [&'static str],
}

const fn g(text: &'static str, hs: &'static str, from: &'static [&'static str]) -> Goods {
    Goods { text, hs, from }
}

pub const GOODS: &[Goods] = &[
    g("WOODEN BEDROOM FURNITURE", "9403.50", &["CN", "VN", "MY"]),
    g("UPHOLSTERED SOFAS AND SECTIONALS", "9401.61", &["CN", "VN"]),
    g("OFFICE CHAIRS SWIVEL", "9401.30", &["CN", "TW"]),
    g("PLASTIC STORAGE CONTAINERS", "3924.90", &["CN", "VN"]),
    g("LED PANEL LIGHT FIXTURES", "9405.40", &["CN"]),
    g("SOLAR PHOTOVOLTAIC MODULES", "8541.40", &["CN", "VN", "MY"]),
    g("STEEL HEX BOLTS AND NUTS", "7318.15", &["CN", "TW", "IN"]),
    g("COTTON KNITTED T-SHIRTS", "6109.10", &["CN", "VN", "IN"]),
    g("MENS WOVEN COTTON TROUSERS", "6203.42", &["VN", "IN", "MX"]),
    g("RUBBER SOLED FOOTWEAR", "6402.99", &["CN", "VN"]),
    g("PORCELAIN FLOOR TILES", "6907.21", &["CN", "IN", "MX"]),
    g("PASSENGER CAR RADIAL TIRES", "4011.10", &["CN", "KR", "TH"]),
    g("AUTO BRAKE PADS", "8708.30", &["CN", "MX", "IN"]),
    g("BICYCLE PARTS AND ACCESSORIES", "8714.99", &["TW", "CN"]),
    g("PLUSH TOYS", "9503.00", &["CN", "VN"]),
    g("STAINLESS STEEL KITCHEN KNIVES", "8211.91", &["CN", "DE"]),
    g("ALUMINUM WINDOW PROFILES", "7604.29", &["CN"]),
    g("DRY PET FOOD", "2309.10", &["TH", "CN"]),
    g(
        "FROZEN SHRIMP PEELED DEVEINED",
        "0306.17",
        &["EC", "VN", "IN"],
    ),
    g("CASHEW KERNELS WW320", "0801.32", &["VN", "IN"]),
    g("GREEN COFFEE BEANS ROBUSTA", "0901.11", &["VN", "MX"]),
    g("FRESH BANANAS CAVENDISH", "0803.90", &["EC", "MX"]),
    g("POLISHED GRANITE COUNTERTOPS", "6802.93", &["IN", "CN"]),
    g("LUXURY VINYL PLANK FLOORING", "3918.10", &["CN", "VN"]),
    g("HAND TOOLS SETS", "8205.59", &["CN", "TW"]),
    g("ELECTRIC STAND FANS", "8414.51", &["CN"]),
    g("MICROWAVE OVENS", "8516.50", &["CN", "KR"]),
    g("LAPTOP BACKPACKS", "4202.92", &["CN", "VN"]),
    g("GLASS BOTTLES FOR BEVERAGES", "7010.90", &["CN", "MX"]),
    g("HDMI CABLES WITH CONNECTORS", "8544.42", &["CN"]),
    g("USB WALL CHARGERS", "8504.40", &["CN", "VN"]),
    g("PORTABLE BLUETOOTH SPEAKERS", "8518.22", &["CN", "VN"]),
    g("YOGA MATS", "9506.91", &["CN", "TW"]),
    g("CERAMIC DINNERWARE SETS", "6912.00", &["CN", "TH"]),
    g("ROSES FRESH CUT", "0603.11", &["EC"]),
    g("CAST IRON PIPE FITTINGS", "7307.19", &["IN", "CN"]),
];

/// Ports of lading (AMS spelling "Place,Country") by ISO country.
pub const LADING_PORTS: &[(&str, &[&str])] = &[
    (
        "CN",
        &[
            "Shanghai,China (Mainland)",
            "Yantian,China (Mainland)",
            "Ningpo,China (Mainland)",
            "Xiamen,China (Mainland)",
            "Tsingtao,China (Mainland)",
        ],
    ),
    ("HK", &["Hong Kong,Hong Kong"]),
    ("TW", &["Kaohsiung,China (Taiwan)", "Taipei,China (Taiwan)"]),
    ("KR", &["Pusan,South Korea"]),
    (
        "VN",
        &[
            "Vung Tau,Vietnam",
            "Thanh Pho Ho Chi Minh,Vietnam",
            "Haiphong,Vietnam",
        ],
    ),
    ("IN", &["Nhava Sheva,India", "Mundra,India", "Madras,India"]),
    ("EC", &["Guayaquil,Ecuador", "Puerto Bolivar,Ecuador"]),
    (
        "MX",
        &[
            "Manzanillo,Mexico",
            "Lazaro Cardenas,Mexico",
            "Veracruz,Mexico",
        ],
    ),
    ("TH", &["Laem Chabang,Thailand"]),
    (
        "MY",
        &["Port Swettenham,Malaysia", "Tanjung Pelepas,Malaysia"],
    ),
    (
        "DE",
        &[
            "Bremerhaven,Federal Republic of Germany",
            "Hamburg,Federal Republic of Germany",
        ],
    ),
];

/// US ports of unlading, as AMS writes them.
pub const US_PORTS: &[&str] = &[
    "Los Angeles, California",
    "Long Beach, California",
    "New York/Newark Area, Newark, New Jersey",
    "Savannah, Georgia",
    "Houston, Texas",
    "Tacoma, Washington",
    "Charleston, South Carolina",
    "Norfolk, Virginia",
    "Seattle, Washington",
    "Oakland, California",
    "Miami, Florida",
    "Port Everglades, Florida",
    "Baltimore, Maryland",
];

/// Carriers (SCAC) with vessels of their fleets and their container owner prefixes.
pub struct Carrier {
    pub scac: &'static str,
    pub vessels: &'static [&'static str],
    pub box_prefix: &'static str,
}

pub const CARRIERS: &[Carrier] = &[
    Carrier {
        scac: "COSU",
        vessels: &[
            "COSCO GLORY",
            "COSCO ASIA",
            "COSCO AMERICA",
            "COSCO HARMONY",
        ],
        box_prefix: "CSNU",
    },
    Carrier {
        scac: "MAEU",
        vessels: &[
            "MAERSK ESSEN",
            "MAERSK EDINBURGH",
            "GUTHORM MAERSK",
            "CLEMENTINE MAERSK",
        ],
        box_prefix: "MSKU",
    },
    Carrier {
        scac: "CMDU",
        vessels: &[
            "CMA CGM J. ADAMS",
            "CMA CGM T. ROOSEVELT",
            "CMA CGM G. WASHINGTON",
        ],
        box_prefix: "CMAU",
    },
    Carrier {
        scac: "ONEY",
        vessels: &["ONE COMMITMENT", "ONE STORK", "MOL CONTINUITY", "NYK ORION"],
        box_prefix: "ONEU",
    },
    Carrier {
        scac: "EGLV",
        vessels: &["EVER LUCKY", "EVER LIFTING", "EVER LYRIC"],
        box_prefix: "EGHU",
    },
    Carrier {
        scac: "OOLU",
        vessels: &["OOCL CHONGQING", "OOCL GENOA", "OOCL HO CHI MINH CITY"],
        box_prefix: "OOLU",
    },
    Carrier {
        scac: "YMLU",
        vessels: &["YM UNICORN", "YM UTMOST", "YM UNANIMITY"],
        box_prefix: "YMLU",
    },
    Carrier {
        scac: "APLU",
        vessels: &["APL PARIS", "APL DUBLIN", "APL SENTOSA"],
        box_prefix: "APHU",
    },
    Carrier {
        scac: "MEDU",
        vessels: &["MSC ALTAIR", "MSC BERYL"],
        box_prefix: "MEDU",
    },
];

/// Ports of lading of a country (falls back to Shanghai for countries not listed).
pub fn lading_ports(country: &str) -> &'static [&'static str] {
    LADING_PORTS
        .iter()
        .find(|(c, _)| *c == country)
        .map(|(_, p)| *p)
        .unwrap_or(&["Shanghai,China (Mainland)"])
}
