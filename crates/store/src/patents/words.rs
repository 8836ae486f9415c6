//! Patent word search for an engine without SQLite's FTS5 (PostgreSQL): the words of a
//! patent and of a query exactly as `patent_fts` reads them, so another engine's index gives
//! the same matches.
//!
//! The words come from SQLite's own tokenizer, `unicode61 remove_diacritics 2` (case and
//! diacritics folded, every run of letters and digits a word), run in an in-memory FTS5
//! table and read back through `fts5vocab` — not a second tokenizer that could disagree on
//! some script. A patent's words become a PostgreSQL `tsvector` of those exact lexemes, with
//! their positions (title, abstract, assignee names one after another, a position left out
//! between them so no phrase spans two); a query becomes a `tsquery`: every word must occur,
//! a word of several tokens ("face-recognition") is a phrase (`<->`), `neur*` a prefix of the
//! phrase's last token — what [`super::index::match_query`] asks FTS5.

use rusqlite::Connection;

use crate::error::Result;

/// The tokenizer of `patent_fts` (crates/store/schema.sql; a test checks they are the same).
pub const TOKENIZE: &str = "unicode61 remove_diacritics 2";

/// PostgreSQL's largest lexeme position (larger ones are stored as this).
const MAX_POSITION: usize = 16_383;

/// SQLite's FTS5 tokenizer of `patent_fts`, in memory.
pub struct Tokenizer {
    conn: Connection,
}

/// The title, abstract and assignee names (joined by " ; ") of one patent.
pub type Document<'a> = [Option<&'a str>; 3];

impl Tokenizer {
    pub fn new() -> Result<Tokenizer> {
        let conn = Connection::open_in_memory()?;
        conn.execute_batch(&format!(
            "CREATE VIRTUAL TABLE t USING fts5(title, abstract, assignees, tokenize='{TOKENIZE}');
             CREATE VIRTUAL TABLE temp.v USING fts5vocab(main, t, instance);"
        ))?;
        Ok(Tokenizer { conn })
    }

    /// The tokens of each document: (column, offset in the column, token), in order.
    pub fn tokens(&self, docs: &[Document<'_>]) -> Result<Vec<Vec<(usize, usize, String)>>> {
        let tx = self.conn.unchecked_transaction()?;
        tx.execute("DELETE FROM t", [])?;
        {
            let mut ins = tx.prepare_cached(
                "INSERT INTO t (rowid, title, abstract, assignees) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for (i, d) in docs.iter().enumerate() {
                ins.execute(rusqlite::params![i as i64 + 1, d[0], d[1], d[2]])?;
            }
        }
        let mut out: Vec<Vec<(usize, usize, String)>> = vec![Vec::new(); docs.len()];
        {
            let mut q = tx.prepare_cached(
                "SELECT doc, CASE col WHEN 'title' THEN 0 WHEN 'abstract' THEN 1 ELSE 2 END,
                        \"offset\", term FROM v ORDER BY doc, 2, 3",
            )?;
            let mut rows = q.query([])?;
            while let Some(r) = rows.next()? {
                let doc: i64 = r.get(0)?;
                let col: i64 = r.get(1)?;
                let off: i64 = r.get(2)?;
                if let Some(d) = usize::try_from(doc - 1).ok().and_then(|i| out.get_mut(i)) {
                    d.push((col as usize, off as usize, r.get(3)?));
                }
            }
        }
        tx.execute("DELETE FROM t", [])?;
        tx.commit()?;
        Ok(out)
    }

    /// The tokens of one text, in order.
    pub fn words(&self, text: &str) -> Result<Vec<String>> {
        let mut t = self.tokens(&[[Some(text), None, None]])?;
        Ok(t.pop()
            .unwrap_or_default()
            .into_iter()
            .map(|(_, _, w)| w)
            .collect())
    }

    /// Each document as a PostgreSQL `tsvector` literal (see the module's notes).
    pub fn tsvectors(&self, docs: &[Document<'_>]) -> Result<Vec<String>> {
        Ok(self.tokens(docs)?.iter().map(|t| tsvector(t)).collect())
    }

    /// What the user typed as a PostgreSQL `tsquery` literal, as [`super::index::match_query`]
    /// makes the FTS5 query; None when it holds nothing to search for (nothing matches).
    pub fn tsquery(&self, text: &str) -> Result<Option<String>> {
        let mut terms = Vec::new();
        for word in text.split_whitespace() {
            let prefix = word.ends_with('*');
            let core: String = word
                .trim_end_matches('*')
                .chars()
                .filter(|c| *c != '"')
                .collect();
            if !core.chars().any(char::is_alphanumeric) {
                continue;
            }
            let tokens = self.words(&core)?;
            if tokens.is_empty() {
                // FTS5 drops an empty phrase from the words that must occur (alone, it
                // matches nothing).
                continue;
            }
            let last = tokens.len() - 1;
            let phrase: Vec<String> = tokens
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    format!(
                        "{}{}",
                        quote(t),
                        if prefix && i == last { ":*" } else { "" }
                    )
                })
                .collect();
            terms.push(if phrase.len() > 1 {
                format!("({})", phrase.join(" <-> "))
            } else {
                phrase.join("")
            });
        }
        Ok((!terms.is_empty()).then(|| terms.join(" & ")))
    }
}

/// A lexeme quoted for a tsvector or tsquery literal.
fn quote(t: &str) -> String {
    format!("'{}'", t.replace('\\', "\\\\").replace('\'', "''"))
}

/// The tsvector literal of one document's tokens: each column's positions after the
/// previous column's, one position left out between columns.
fn tsvector(tokens: &[(usize, usize, String)]) -> String {
    let mut base = [0usize; 3];
    let mut len = [0usize; 3];
    for (c, off, _) in tokens {
        if let Some(l) = len.get_mut(*c) {
            *l = (*l).max(off + 1);
        }
    }
    base[1] = len[0] + 1;
    base[2] = base[1] + len[1] + 1;
    let mut by_word: std::collections::BTreeMap<&str, Vec<usize>> = Default::default();
    for (c, off, w) in tokens {
        let pos = (base.get(*c).copied().unwrap_or(0) + off + 1).min(MAX_POSITION);
        by_word.entry(w.as_str()).or_default().push(pos);
    }
    by_word
        .iter()
        .map(|(w, ps)| {
            let ps: Vec<String> = ps.iter().map(usize::to_string).collect();
            format!("{}:{}", quote(w), ps.join(","))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tokenizer_is_patent_fts_own() {
        let schema = crate::migrate::SCHEMA_SQL;
        let at = schema
            .find("CREATE VIRTUAL TABLE patent_fts")
            .expect("patent_fts");
        let def = &schema[at..at + schema[at..].find(");").expect("end")];
        assert!(def.contains(&format!("tokenize='{TOKENIZE}'")), "{def}");
    }

    #[test]
    fn words_fold_case_and_diacritics_and_split_on_punctuation() {
        let t = Tokenizer::new().unwrap();
        assert_eq!(
            t.words("Face-Recognition MÜNCHEN Façade naïve").unwrap(),
            ["face", "recognition", "munchen", "facade", "naive"]
        );
    }

    #[test]
    fn documents_keep_columns_apart_and_queries_are_phrases_and_prefixes() {
        let t = Tokenizer::new().unwrap();
        let v = t
            .tsvectors(&[[Some("Neural net"), Some("a net"), Some("Acme ; Beta")]])
            .unwrap();
        assert_eq!(v[0], "'a':4 'acme':7 'beta':8 'net':2,5 'neural':1");
        assert_eq!(
            t.tsquery("neur* face-recognition \"x\"")
                .unwrap()
                .as_deref(),
            Some("'neur':* & ('face' <-> 'recognition') & 'x'")
        );
        assert_eq!(t.tsquery("-- ** \"\"").unwrap(), None);
    }
}
