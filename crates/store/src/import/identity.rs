//! Identity of list entries across versions (issue 15 item 2). The publisher's own ids are not
//! stable: the CSL's `_id` changed scheme for the BIS and State lists (40 hex digits → 56 or
//! 32), and the DPL has none. An entry's listing key is therefore built from what the entry
//! says: the OFAC entity number where there is one (`ofac:N`, shared with the OFAC files), else
//! dataset + source list + normalized name (`csl:EL:HUAWEI TECHNOLOGIES CO LTD`), with a digest
//! of addresses, Federal Register notice and start date appended only where one list names the
//! same party more than once (Huawei affiliates, one row per address).
//!
//! A new version is matched to the one it replaces by key, then — for keys that changed, as
//! the old `_id` keys of databases built before — by list + name (entity number) with the most
//! similar addresses, then by list + addresses + start date (a renamed entry). A matched entry
//! takes over its predecessor's listing key, so decisions, links, cases and as-of history
//! (all keyed by listing) follow it; what differs is reported as changed.

use std::collections::{BTreeSet, HashMap, HashSet};

use rusqlite::{params, Transaction};
use sha2::{Digest, Sha256};

use super::input::hex;
use crate::error::Result;
use tradescope_matching as matching;

/// The listing key of an entry as published, before duplicates in one file are told apart.
pub fn base_key(
    dataset: &str,
    list_code: &str,
    entity_number: Option<&str>,
    name: &str,
    source_uid: &str,
) -> String {
    if let Some(n) = entity_number {
        return format!("ofac:{n}");
    }
    let norm = matching::normalize_key(name);
    if norm.is_empty() {
        return format!("{dataset}:{source_uid}");
    }
    format!("{dataset}:{list_code}:{norm}")
}

fn upper(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_end_matches(['.', ',', ';'])
        .to_uppercase()
}

fn set(joined: Option<&str>) -> BTreeSet<String> {
    joined
        .unwrap_or("")
        .split(';')
        .map(upper)
        .filter(|s| !s.is_empty())
        .collect()
}

/// Give the entries of `source_id` that share a key (one party named twice by one list) keys
/// of their own: `KEY~digest` of addresses, notice and start date, then `-2`, `-3` … OFAC
/// entity numbers stay as they are (one listing, possibly on several lists).
pub fn tell_duplicates_apart(tx: &Transaction, source_id: i64) -> Result<()> {
    let mut stmt = tx.prepare(
        "SELECT id, listing_key, addresses, federal_register_notice, start_date FROM list_entry
         WHERE source_id = ?1 AND listing_key NOT LIKE 'ofac:%' AND listing_key IN
           (SELECT listing_key FROM list_entry WHERE source_id = ?1
            GROUP BY listing_key HAVING count(*) > 1)
         ORDER BY listing_key, source_line",
    )?;
    type Row = (i64, String, Option<String>, Option<String>, Option<String>);
    let rows = stmt
        .query_map([source_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<rusqlite::Result<Vec<Row>>>()?;
    if rows.is_empty() {
        return Ok(());
    }
    let mut taken: HashSet<String> = HashSet::new();
    let mut update = tx.prepare("UPDATE list_entry SET listing_key = ?1 WHERE id = ?2")?;
    for (id, key, addresses, notice, start) in rows {
        let mut h = Sha256::new();
        for a in set(addresses.as_deref()) {
            h.update(a.as_bytes());
            h.update([0]);
        }
        h.update([1]);
        h.update(upper(notice.as_deref().unwrap_or("")).as_bytes());
        h.update([1]);
        h.update(start.as_deref().unwrap_or("").as_bytes());
        let mut new = format!("{key}~{}", hex(&h.finalize()[..4]));
        let mut n = 1;
        while !taken.insert(new.clone()) {
            n += 1;
            new = format!("{key}~{}-{n}", hex(&Sha256::digest(new.as_bytes())[..4]));
        }
        update.execute(params![new, id])?;
    }
    Ok(())
}

/// One entry of a version, as compared with the other version.
#[derive(Debug, Clone)]
pub struct Entry {
    pub id: i64,
    pub key: String,
    pub list_code: String,
    pub name: String,
    /// list + entity number or normalized name: what must agree for a match by content.
    base: String,
    addresses: BTreeSet<String>,
    notice: String,
    start: Option<String>,
    end: Option<String>,
    programs: BTreeSet<String>,
    aliases: BTreeSet<String>,
    ids: BTreeSet<String>,
    /// The matcher's keys of the name and of every alias: a renamed entry usually keeps its
    /// old name as an alias ("formerly known as").
    name_keys: BTreeSet<String>,
}

/// The entries of one version, with their aliases and ids.
pub fn load(tx: &Transaction, source_id: i64) -> Result<Vec<Entry>> {
    let mut stmt = tx.prepare(
        "SELECT id, listing_key, list_code, name, entity_number, addresses,
           federal_register_notice, start_date, end_date, programs
         FROM list_entry WHERE source_id = ?1 ORDER BY id",
    )?;
    let mut entries = stmt
        .query_map([source_id], |r| {
            let list_code: String = r.get(2)?;
            let name: String = r.get(3)?;
            let number: Option<String> = r.get(4)?;
            let base = match &number {
                Some(n) => format!("ofac:{n}"),
                None => format!("{list_code}:{}", matching::normalize_key(&name)),
            };
            Ok(Entry {
                id: r.get(0)?,
                key: r.get(1)?,
                addresses: set(r.get::<_, Option<String>>(5)?.as_deref()),
                notice: upper(&r.get::<_, Option<String>>(6)?.unwrap_or_default()),
                start: r.get(7)?,
                end: r.get(8)?,
                programs: set(r.get::<_, Option<String>>(9)?.as_deref()),
                aliases: BTreeSet::new(),
                ids: BTreeSet::new(),
                name_keys: BTreeSet::from([matching::normalize_key(&name)]),
                list_code,
                name,
                base,
            })
        })?
        .collect::<rusqlite::Result<Vec<Entry>>>()?;
    let at: HashMap<i64, usize> = entries.iter().enumerate().map(|(i, e)| (e.id, i)).collect();
    let mut stmt = tx.prepare(
        "SELECT n.entry_id, n.name FROM entry_name n JOIN list_entry e ON e.id = n.entry_id
         WHERE e.source_id = ?1 AND n.name_type <> 'primary'",
    )?;
    for row in stmt.query_map([source_id], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
    })? {
        let (id, alias) = row?;
        if let Some(&i) = at.get(&id) {
            entries[i].name_keys.insert(matching::normalize_key(&alias));
            entries[i].aliases.insert(upper(&alias));
        }
    }
    let mut stmt = tx.prepare(
        "SELECT i.entry_id, i.id_type || ' ' || i.value FROM entry_ident i
         JOIN list_entry e ON e.id = i.entry_id WHERE e.source_id = ?1",
    )?;
    for row in stmt.query_map([source_id], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
    })? {
        let (id, ident) = row?;
        if let Some(&i) = at.get(&id) {
            entries[i].ids.insert(upper(&ident));
        }
    }
    Ok(entries)
}

/// How two versions' entries correspond (indexes into the old and new slices).
#[derive(Debug, Default)]
pub struct Matching {
    pub pairs: Vec<(usize, usize)>,
    pub added: Vec<usize>,
    pub removed: Vec<usize>,
}

fn similarity(o: &Entry, n: &Entry) -> usize {
    4 * o.addresses.intersection(&n.addresses).count()
        + 2 * usize::from(o.notice == n.notice)
        + 2 * usize::from(o.start == n.start)
        + usize::from(o.end == n.end)
        + usize::from(o.name == n.name)
}

/// Match `new` to `old`: by key and list, then by list + name (entity number), most similar
/// first, then by list + addresses + start date (renamed), then — for entries still unmatched
/// on the same list, and only where the pair is the one candidate on both sides — by a shared
/// identifier (registration number, USCC, SWIFT), by a name the other version has as its name
/// or an alias with an address in common (renamed, old name kept as an alias), and by an
/// address in common with the same start date (renamed and moved or re-addressed).
pub fn match_versions(old: &[Entry], new: &[Entry]) -> Matching {
    let mut old_used = vec![false; old.len()];
    let mut new_used = vec![false; new.len()];
    let mut pairs = Vec::new();
    // 1. The same key on the same list.
    let mut by_key: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
    for (i, o) in old.iter().enumerate().rev() {
        by_key.entry((&o.key, &o.list_code)).or_default().push(i);
    }
    for (j, n) in new.iter().enumerate() {
        if let Some(i) = by_key
            .get_mut(&(n.key.as_str(), n.list_code.as_str()))
            .and_then(Vec::pop)
        {
            old_used[i] = true;
            new_used[j] = true;
            pairs.push((i, j));
        }
    }
    // 2. The same list and name (or entity number): most similar pairs first.
    let mut groups: HashMap<&str, (Vec<usize>, Vec<usize>)> = HashMap::new();
    for (i, o) in old.iter().enumerate().filter(|(i, _)| !old_used[*i]) {
        groups.entry(&o.base).or_default().0.push(i);
    }
    for (j, n) in new.iter().enumerate().filter(|(j, _)| !new_used[*j]) {
        if let Some(g) = groups.get_mut(n.base.as_str()) {
            g.1.push(j);
        }
    }
    let mut groups: Vec<_> = groups
        .into_values()
        .filter(|(_, n)| !n.is_empty())
        .collect();
    groups.sort();
    for (olds, news) in groups {
        let mut cand: Vec<(usize, usize, usize)> = Vec::new();
        for &i in &olds {
            for &j in &news {
                cand.push((similarity(&old[i], &new[j]), i, j));
            }
        }
        cand.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        for (_, i, j) in cand {
            if !old_used[i] && !new_used[j] {
                old_used[i] = true;
                new_used[j] = true;
                pairs.push((i, j));
            }
        }
    }
    // 3. Renamed: the same list, addresses and start date, unique on both sides.
    type Place<'a> = (&'a str, Vec<&'a String>, Option<&'a str>);
    let mut olds: HashMap<Place, Vec<usize>> = HashMap::new();
    for (i, o) in old
        .iter()
        .enumerate()
        .filter(|(i, o)| !old_used[*i] && !o.addresses.is_empty())
    {
        olds.entry((
            &o.list_code,
            o.addresses.iter().collect(),
            o.start.as_deref(),
        ))
        .or_default()
        .push(i);
    }
    let mut news: HashMap<Place, Vec<usize>> = HashMap::new();
    for (j, n) in new
        .iter()
        .enumerate()
        .filter(|(j, n)| !new_used[*j] && !n.addresses.is_empty())
    {
        news.entry((
            &n.list_code,
            n.addresses.iter().collect(),
            n.start.as_deref(),
        ))
        .or_default()
        .push(j);
    }
    for (k, js) in &news {
        if let (Some(is), [j]) = (olds.get(k), js.as_slice()) {
            if let [i] = is.as_slice() {
                old_used[*i] = true;
                new_used[*j] = true;
                pairs.push((*i, *j));
            }
        }
    }
    let shares_id = |o: &Entry, n: &Entry| o.ids.intersection(&n.ids).next().is_some();
    let shares_address =
        |o: &Entry, n: &Entry| o.addresses.intersection(&n.addresses).next().is_some();
    let shares_name = |o: &Entry, n: &Entry| {
        let (o_name, n_name) = (
            matching::normalize_key(&o.name),
            matching::normalize_key(&n.name),
        );
        let known = |k: &String| !k.is_empty();
        (known(&o_name) && n.name_keys.contains(&o_name))
            || (known(&n_name) && o.name_keys.contains(&n_name))
    };
    unique_pairs(
        old,
        new,
        &mut old_used,
        &mut new_used,
        &mut pairs,
        &shares_id,
    );
    unique_pairs(
        old,
        new,
        &mut old_used,
        &mut new_used,
        &mut pairs,
        &|o, n| {
            shares_name(o, n)
                && (shares_address(o, n) || o.addresses.is_empty() && n.addresses.is_empty())
        },
    );
    unique_pairs(
        old,
        new,
        &mut old_used,
        &mut new_used,
        &mut pairs,
        &|o, n| o.start.is_some() && o.start == n.start && shares_address(o, n),
    );
    pairs.sort_by_key(|p| p.1);
    Matching {
        pairs,
        added: (0..new.len()).filter(|j| !new_used[*j]).collect(),
        removed: (0..old.len()).filter(|i| !old_used[*i]).collect(),
    }
}

/// Pair unmatched entries of the same list for which `same` holds, where each is the other's
/// only candidate (an ambiguous rename is reported as removed + added, never guessed).
fn unique_pairs(
    old: &[Entry],
    new: &[Entry],
    old_used: &mut [bool],
    new_used: &mut [bool],
    pairs: &mut Vec<(usize, usize)>,
    same: &dyn Fn(&Entry, &Entry) -> bool,
) {
    let mut olds_by_list: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, o) in old.iter().enumerate().filter(|(i, _)| !old_used[*i]) {
        olds_by_list.entry(&o.list_code).or_default().push(i);
    }
    let mut candidates: HashMap<usize, Vec<usize>> = HashMap::new(); // old → news
    let mut found: Vec<(usize, usize)> = Vec::new();
    for (j, n) in new.iter().enumerate().filter(|(j, _)| !new_used[*j]) {
        let Some(olds) = olds_by_list.get(n.list_code.as_str()) else {
            continue;
        };
        let hits: Vec<usize> = olds.iter().copied().filter(|&i| same(&old[i], n)).collect();
        for &i in &hits {
            candidates.entry(i).or_default().push(j);
        }
        if let [i] = hits.as_slice() {
            found.push((*i, j));
        }
    }
    for (i, j) in found {
        if candidates.get(&i).is_some_and(|js| js.len() == 1) {
            old_used[i] = true;
            new_used[j] = true;
            pairs.push((i, j));
        }
    }
}

/// What differs between an entry and its predecessor, in the report's words.
pub fn changed_fields(o: &Entry, n: &Entry) -> Vec<&'static str> {
    let mut out = Vec::new();
    if upper(&o.name) != upper(&n.name) {
        out.push("name");
    }
    if o.aliases != n.aliases {
        out.push("aliases");
    }
    if o.addresses != n.addresses {
        out.push("addresses");
    }
    if o.programs != n.programs {
        out.push("programs");
    }
    if o.start != n.start || o.end != n.end {
        out.push("dates");
    }
    if o.ids != n.ids {
        out.push("ids");
    }
    if o.notice != n.notice {
        out.push("notice");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: i64, list: &str, name: &str, aliases: &[&str], addresses: &[&str]) -> Entry {
        let mut name_keys = BTreeSet::from([matching::normalize_key(name)]);
        name_keys.extend(aliases.iter().map(|a| matching::normalize_key(a)));
        Entry {
            id,
            key: format!("csl:{list}:{id}"),
            list_code: list.into(),
            name: name.into(),
            base: format!("{list}:{}", matching::normalize_key(name)),
            addresses: addresses.iter().map(|a| upper(a)).collect(),
            notice: String::new(),
            start: Some("2020-08-27".into()),
            end: None,
            programs: BTreeSet::new(),
            aliases: aliases.iter().map(|a| upper(a)).collect(),
            ids: BTreeSet::new(),
            name_keys,
        }
    }

    #[test]
    fn a_renamed_entry_that_keeps_its_old_name_as_an_alias_is_the_same_listing() {
        let old = [
            entry(1, "EL", "Sugon Information Industry", &[], &["Beijing"]),
            entry(2, "EL", "Other Trading", &[], &["Shenzhen"]),
        ];
        let mut new = [
            entry(
                11,
                "EL",
                "Dawning Information Industry",
                &["Sugon Information Industry"],
                &["Beijing", "Tianjin"],
            ),
            entry(12, "EL", "Other Trading", &[], &["Shenzhen"]),
        ];
        new[0].start = Some("2021-01-01".into());
        let m = match_versions(&old, &new);
        assert_eq!(m.pairs, vec![(0, 0), (1, 1)]);
        assert!(m.added.is_empty() && m.removed.is_empty());
        // On another list, or without an address in common, it is not the same listing.
        let elsewhere = [entry(
            11,
            "MEU",
            "Dawning Information Industry",
            &["Sugon Information Industry"],
            &["Beijing"],
        )];
        assert!(match_versions(&old[..1], &elsewhere).pairs.is_empty());
        let moved = [entry(
            11,
            "EL",
            "Dawning Information Industry",
            &["Sugon Information Industry"],
            &["Wuhan"],
        )];
        assert!(match_versions(&old[..1], &moved).pairs.is_empty());
    }

    #[test]
    fn a_shared_identifier_matches_only_when_it_is_the_one_candidate() {
        let mut a = entry(1, "EL", "Alpha Ltd", &[], &["X"]);
        a.ids.insert("COMPANY NUMBER 123".into());
        let mut b = entry(11, "EL", "Alpha Holdings Ltd", &[], &["Y"]);
        b.start = None;
        b.ids.insert("COMPANY NUMBER 123".into());
        assert_eq!(
            match_versions(&[a.clone()], &[b.clone()]).pairs,
            vec![(0, 0)]
        );
        // Two new entries with that identifier: ambiguous, reported as removed + added.
        let mut c = b.clone();
        c.id = 12;
        c.name = "Alpha Trading Ltd".into();
        let m = match_versions(&[a], &[b, c]);
        assert!(m.pairs.is_empty());
        assert_eq!((m.added.len(), m.removed.len()), (2, 1));
    }

    #[test]
    fn re_addressed_entries_with_the_same_start_date_match_when_unambiguous() {
        let old = [entry(
            1,
            "EL",
            "Beta Electronics",
            &[],
            &["Road 1, Wuhan", "Road 2, Wuhan"],
        )];
        let new = [entry(
            11,
            "EL",
            "Beta Electronic Technology",
            &[],
            &["Road 1, Wuhan"],
        )];
        assert_eq!(match_versions(&old, &new).pairs, vec![(0, 0)]);
    }
}
