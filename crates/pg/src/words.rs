//! `patent_word`, the word index of patents (schema version 2): every patent's title,
//! abstract and assignee names as the tsvector of the words SQLite's FTS5 reads
//! (tradescope_store::patents::words), written after a copy's rows are in and by the upgrade
//! from version 1.

use postgres::GenericClient;
use tradescope_store::patents::words::Tokenizer;

use crate::Result;

/// Patents tokenized and written per statement.
const BATCH: i64 = 5_000;

/// Write the words of every patent that has none yet; how many patents were written.
pub fn fill(client: &mut impl GenericClient) -> Result<u64> {
    let tok = Tokenizer::new()?;
    let mut after = 0i64;
    let mut n = 0u64;
    loop {
        // Assignee names in assignee order, joined as SQLite's index joins them.
        let rows = client.query(
            "SELECT p.id, p.title, p.abstract,
               (SELECT string_agg(name_as_published, ' ; ' ORDER BY assignee_id)
                  FROM patent_assignee WHERE patent_id = p.id)
             FROM patent p
             WHERE p.id > $1 AND NOT EXISTS (SELECT 1 FROM patent_word w WHERE w.patent_id = p.id)
             ORDER BY p.id LIMIT $2",
            &[&after, &BATCH],
        )?;
        let Some(last) = rows.last() else {
            return Ok(n);
        };
        after = last.get(0);
        let ids: Vec<i64> = rows.iter().map(|r| r.get(0)).collect();
        let texts: Vec<[Option<String>; 3]> = rows
            .iter()
            .map(|r| [r.get(1), r.get(2), r.get(3)])
            .collect();
        let docs: Vec<[Option<&str>; 3]> = texts
            .iter()
            .map(|t| [t[0].as_deref(), t[1].as_deref(), t[2].as_deref()])
            .collect();
        let vectors = tok.tsvectors(&docs)?;
        n += client.execute(
            "INSERT INTO patent_word (patent_id, words)
             SELECT * FROM unnest($1::bigint[], $2::text[]::tsvector[])",
            &[&ids, &vectors],
        )?;
    }
}
