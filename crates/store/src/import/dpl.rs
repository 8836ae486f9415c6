//! BIS Denied Persons List: tab-separated, every field quoted, a header row, dates MM/DD/YYYY.

use std::collections::HashMap;
use std::io::Read;

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use tradescope_core::country;

use super::as_of;
use super::fields::{self, opt, Header};
use super::input::{decode, hex};
use super::lists::NewEntry;
use super::records::Records;
use super::ListSink;

pub const DATASET: &str = "dpl";
const LIST_NAME: &str = "Denied Persons List (DPL) - Bureau of Industry and Security";

pub fn read(name: &str, reader: Box<dyn Read + Send + '_>, sink: &mut dyn ListSink) -> Result<()> {
    let mut records = Records::new(name, reader, b'\t');
    if !records.read_next()? {
        return Err(Error::file(
            name,
            "the file is empty (expected a DPL header row)",
        ));
    }
    records.check_fields(&|i| format!("(header column {})", i + 1))?;
    let h = Header::new(
        name,
        records.rec.iter().map(|f| decode(f).into_owned()).collect(),
    )?;
    let c_name = h.require(&["Name"])?;
    let c_street = h.find(&["Street_Address", "Address"]);
    let c_city = h.find(&["City"]);
    let c_state = h.find(&["State"]);
    let c_country = h.find(&["Country"]);
    let c_zip = h.find(&["Postal_Code", "Zip"]);
    let c_eff = h.find(&["Effective_Date"]);
    let c_exp = h.find(&["Expiration_Date"]);
    let c_order = h.find(&["Standard_Order"]);
    let c_update = h.find(&["Last_Update"]);
    let c_action = h.find(&["Action"]);
    let c_fr = h.find(&["FR_Citation"]);
    records.set_columns(&h.names);
    let mut seen: HashMap<String, u32> = HashMap::new();
    // The file's own date: its newest Last_Update (impossible years such as 3017 ignored).
    let today = crate::lapsed::today();
    let mut last_update: Option<String> = None;
    while records.read_next()? {
        if records.is_blank() {
            continue;
        }
        records.check_row(&h)?;
        let line = records.line();
        let rec = &records.rec;
        let get = |i: Option<usize>| {
            i.and_then(|i| rec.get(i))
                .map(|f| decode(f).trim().to_string())
                .unwrap_or_default()
        };
        let pname = get(Some(c_name));
        if pname.is_empty() {
            return Err(Error::input(name, line, "Name", "empty name"));
        }
        let (street, city, state, zip) = (get(c_street), get(c_city), get(c_state), get(c_zip));
        let mut ctry = get(c_country);
        // US addresses often leave Country empty and give a state.
        if ctry.is_empty() && state.len() == 2 {
            ctry = "US".into();
        }
        let code = country::code(&ctry).map(str::to_string);
        let address: Vec<&str> = [
            street.as_str(),
            city.as_str(),
            state.as_str(),
            zip.as_str(),
            ctry.as_str(),
        ]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
        if let Some(d) = as_of::newest_plausible([get(c_update).as_str()], &today) {
            if last_update.as_ref().is_none_or(|l| *l < d) {
                last_update = Some(d);
            }
        }
        let start = fields::date_at(name, line, "Effective_Date", &get(c_eff))?;
        let end = fields::date_at(name, line, "Expiration_Date", &get(c_exp))?;
        // Identity across versions: the published row's name, address and effective date.
        let mut hasher = Sha256::new();
        for part in [&pname, &street, &city, &get(c_eff)] {
            hasher.update(part.as_bytes());
            hasher.update([0]);
        }
        let mut uid = hex(&hasher.finalize()[..10]);
        let n = seen.entry(uid.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            uid = format!("{uid}-{n}");
        }
        let remarks: Vec<String> = [
            opt(&get(c_action)).map(|a| format!("Action: {a}")),
            opt(&get(c_update)).map(|u| format!("Last update: {u}")),
            opt(&get(c_order)).map(|o| format!("Standard order: {o}")),
        ]
        .into_iter()
        .flatten()
        .collect();
        sink.entry(NewEntry {
            line,
            list_code: "DPL".into(),
            list_name: LIST_NAME.into(),
            source_uid: uid,
            entity_type: "unknown".into(),
            name: pname,
            addresses: if address.is_empty() {
                vec![]
            } else {
                vec![address.join(", ")]
            },
            countries: code.into_iter().collect(),
            start_date: start,
            end_date: end,
            federal_register_notice: opt(&get(c_fr)),
            remarks: (!remarks.is_empty()).then(|| remarks.join("; ")),
            ..Default::default()
        })?;
    }
    if let Some(date) = last_update {
        sink.as_of(as_of::AsOf {
            date,
            basis: "Last_Update column".into(),
            derived: false,
        });
    }
    Ok(())
}
