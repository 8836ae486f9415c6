//! trade.gov Consolidated Screening List: one CSV (or .csv.gz) with a header row, all US lists.
//! Columns are found by name, so reordered or added columns still import.

use std::io::Read;

use crate::error::{Error, Result};
use tradescope_core::country;

use super::csl_ids;
use super::fields::{self, opt, split_multi, Header};
use super::input::decode;
use super::lists::NewEntry;
use super::records::Records;
use super::ListSink;

pub const DATASET: &str = "csl";

pub fn read(name: &str, reader: Box<dyn Read + Send + '_>, sink: &mut dyn ListSink) -> Result<()> {
    let mut records = Records::new(name, reader, b',');
    if !records.read_next()? {
        return Err(Error::file(
            name,
            "the file is empty (expected a CSL header row)",
        ));
    }
    records.check_fields(&|i| format!("(header column {})", i + 1))?;
    let header = Header::new(
        name,
        records.rec.iter().map(|f| decode(f).into_owned()).collect(),
    )?;
    let c = Columns::new(&header)?;
    records.set_columns(&header.names);
    let mut unparsed: Vec<(u64, String)> = Vec::new();
    let mut ids_total = 0u64;
    while records.read_next()? {
        if records.is_blank() {
            continue;
        }
        records.check_row(&header)?;
        let line = records.line();
        let rec = &records.rec;
        let get = |i: Option<usize>| -> String {
            i.and_then(|i| rec.get(i))
                .map(|f| decode(f).into_owned())
                .unwrap_or_default()
        };
        let (entry, ids) = c.entry(name, line, &get)?;
        ids_total += entry.ids.len() as u64;
        unparsed.extend(ids.unparsed.into_iter().map(|raw| (line, raw)));
        sink.entry(entry)?;
    }
    if !unparsed.is_empty() {
        let examples: Vec<String> = unparsed
            .iter()
            .take(3)
            .map(|(line, raw)| format!("line {line}: {raw:?}"))
            .collect();
        sink.warning(format!(
            "{name}: {} of {ids_total} ids kept unparsed (id type \"{}\", value as published): \
             neither order of type, value and country fits them; e.g. {}",
            unparsed.len(),
            csl_ids::UNPARSED,
            examples.join(", ")
        ));
    }
    Ok(())
}

struct Columns {
    id: Option<usize>,
    source: usize,
    entity_number: Option<usize>,
    typ: Option<usize>,
    programs: Option<usize>,
    name: usize,
    title: Option<usize>,
    addresses: Option<usize>,
    frn: Option<usize>,
    start: Option<usize>,
    end: Option<usize>,
    lic_req: Option<usize>,
    lic_pol: Option<usize>,
    call_sign: Option<usize>,
    vessel_flag: Option<usize>,
    remarks: Option<usize>,
    list_url: Option<usize>,
    alt_names: Option<usize>,
    citizenships: Option<usize>,
    dob: Option<usize>,
    nationalities: Option<usize>,
    pob: Option<usize>,
    info_url: Option<usize>,
    ids: Option<usize>,
}

impl Columns {
    fn new(h: &Header) -> Result<Self> {
        Ok(Columns {
            id: h.find(&["_id", "id"]),
            source: h.require(&["source"])?,
            entity_number: h.find(&["entity_number"]),
            typ: h.find(&["type"]),
            programs: h.find(&["programs"]),
            name: h.require(&["name"])?,
            title: h.find(&["title"]),
            addresses: h.find(&["addresses"]),
            frn: h.find(&["federal_register_notice"]),
            start: h.find(&["start_date"]),
            end: h.find(&["end_date"]),
            lic_req: h.find(&["license_requirement"]),
            lic_pol: h.find(&["license_policy"]),
            call_sign: h.find(&["call_sign"]),
            vessel_flag: h.find(&["vessel_flag"]),
            remarks: h.find(&["remarks"]),
            list_url: h.find(&["source_list_url"]),
            alt_names: h.find(&["alt_names"]),
            citizenships: h.find(&["citizenships"]),
            dob: h.find(&["dates_of_birth"]),
            nationalities: h.find(&["nationalities"]),
            pob: h.find(&["places_of_birth"]),
            info_url: h.find(&["source_information_url"]),
            ids: h.find(&["ids"]),
        })
    }

    fn entry(
        &self,
        file: &str,
        line: u64,
        get: &dyn Fn(Option<usize>) -> String,
    ) -> Result<(NewEntry, csl_ids::ParsedIds)> {
        let source = get(Some(self.source));
        let name = get(Some(self.name)).trim().to_string();
        if name.is_empty() {
            return Err(Error::input(file, line, "name", "empty name"));
        }
        let list_code = list_code(&source)
            .ok_or_else(|| Error::input(file, line, "source", "empty list name"))?;
        let addresses = split_multi(&get(self.addresses));
        let countries = addresses
            .iter()
            .filter_map(|a| country::from_address(a).map(str::to_string))
            .collect();
        let entity_number = opt(&get(self.entity_number));
        let source_uid = opt(&get(self.id))
            .or_else(|| entity_number.clone())
            .unwrap_or_else(|| format!("line{line}"));
        let ids = csl_ids::parse(&get(self.ids));
        let entry = NewEntry {
            line,
            list_code,
            list_name: source.trim().to_string(),
            source_uid,
            entity_number,
            entity_type: entity_type(&get(self.typ)),
            aliases: split_multi(&get(self.alt_names))
                .into_iter()
                .map(|a| (a, "aka".to_string()))
                .collect(),
            name,
            programs: opt(&get(self.programs)),
            title: opt(&get(self.title)),
            addresses,
            countries,
            start_date: fields::date_at(file, line, "start_date", &get(self.start))?,
            end_date: fields::date_at(file, line, "end_date", &get(self.end))?,
            federal_register_notice: opt(&get(self.frn)),
            license_requirement: opt(&get(self.lic_req)),
            license_policy: opt(&get(self.lic_pol)),
            remarks: opt(&get(self.remarks)),
            source_list_url: opt(&get(self.list_url)),
            source_information_url: opt(&get(self.info_url)),
            vessel_flag: opt(&get(self.vessel_flag)),
            call_sign: opt(&get(self.call_sign)),
            dates_of_birth: opt(&get(self.dob)),
            nationalities: opt(&get(self.nationalities)),
            citizenships: opt(&get(self.citizenships)),
            places_of_birth: opt(&get(self.pob)),
            ids: ids
                .ids
                .iter()
                .map(|i| (i.id_type.clone(), i.value.clone(), i.country.clone()))
                .collect(),
        };
        Ok((entry, ids))
    }
}

/// "Entity List (EL) - Bureau of Industry and Security" → "EL";
/// "Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department" → "NS-MBS".
pub fn list_code(source: &str) -> Option<String> {
    let s = source.trim();
    if s.is_empty() {
        return None;
    }
    let head = s.split(" - ").next().unwrap_or(s);
    if let (Some(open), Some(close)) = (head.rfind('('), head.rfind(')')) {
        if open < close {
            let code = head[open + 1..close].trim();
            let code = code.strip_suffix(" List").unwrap_or(code);
            if !code.is_empty() {
                return Some(code.to_string());
            }
        }
    }
    Some(head.to_string())
}

pub fn entity_type(t: &str) -> String {
    match t.trim().to_ascii_lowercase().as_str() {
        "entity" => "entity",
        "individual" => "individual",
        "vessel" => "vessel",
        "aircraft" => "aircraft",
        _ => "unknown",
    }
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_codes() {
        assert_eq!(
            list_code("Entity List (EL) - Bureau of Industry and Security").as_deref(),
            Some("EL")
        );
        assert_eq!(
            list_code("Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department")
                .as_deref(),
            Some("NS-MBS")
        );
        assert_eq!(
            list_code("Military End User (MEU) List - Bureau of Industry and Security").as_deref(),
            Some("MEU")
        );
    }
}
