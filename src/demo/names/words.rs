//! The words and cities that make Vietnamese, Indian, Ecuadorian and Mexican
//! company names: the transshipment countries' distributors and shippers are built from them.

pub(super) const VN_WORDS: &[&str] = &[
    "SAO VIET",
    "AN PHAT",
    "MINH KHANG",
    "HOANG LONG",
    "DAI THANH",
    "TAN PHU",
    "KIM NGAN",
    "THIEN AN",
    "NAM VIET",
    "PHU THINH",
    "QUANG MINH",
    "HUNG THINH",
];
pub(super) const VN_CITIES: &[&str] = &[
    "Ho Chi Minh City",
    "Hanoi",
    "Da Nang",
    "Hai Phong",
    "Binh Duong",
];
pub(super) const IN_WORDS: &[&str] = &[
    "SHREE GANESH",
    "TRINETRA",
    "OMKAR",
    "SAI VISION",
    "MAHALAXMI",
    "NAVKAR",
    "SURAKSHA",
    "VEDANT",
    "SIDDHI",
    "ARIHANT",
];
pub(super) const IN_CITIES: &[&str] = &[
    "Mumbai",
    "New Delhi",
    "Pune",
    "Chennai",
    "Bengaluru",
    "Ahmedabad",
];
pub(super) const EC_WORDS: &[&str] = &[
    "ANDINA",
    "PACIFICO SUR",
    "TECNOSEGURIDAD",
    "COMPUEQUIP",
    "AUSTRO",
    "LITORAL",
    "SEGURIMAX",
    "ECUAVISION",
];
pub(super) const EC_CITIES: &[&str] = &["Guayaquil", "Quito", "Cuenca", "Manta"];
pub(super) const MX_WORDS: &[&str] = &[
    "VIDEOVIGILANCIA DEL NORTE",
    "SEGURIDAD INTEGRAL",
    "TECNOLOGIAS AZTECA",
    "SISTEMAS BAJIO",
    "REDES Y ENLACES",
    "PROTECCION TOTAL",
    "CONTROL Y ACCESO",
    "MONITOREO OCCIDENTE",
];
pub(super) const MX_CITIES: &[&str] = &[
    "Guadalajara",
    "Monterrey",
    "Ciudad de Mexico",
    "Tijuana",
    "Queretaro",
];
